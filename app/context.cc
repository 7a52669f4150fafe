#include "app/context.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"

namespace placement::app {

Date SwedishDate(absl::Time time) {
  static const absl::TimeZone* const kZone = [] {
    auto* zone = new absl::TimeZone(absl::UTCTimeZone());
    absl::LoadTimeZone("Europe/Stockholm", zone);
    return zone;
  }();
  const absl::CivilDay day = absl::ToCivilDay(time, *kZone);
  return Date{.year = static_cast<int>(day.year()),
              .month = day.month(),
              .day = day.day()};
}

std::vector<store::AccessRecord> AccessRecords(
    const Context& context, const Caller& caller, absl::string_view call,
    const std::vector<std::string>& participant_ids) {
  const absl::Time now = context.now();
  std::vector<store::AccessRecord> records;
  records.reserve(participant_ids.size());
  for (const std::string& id : participant_ids) {
    records.push_back(
        store::AccessRecord{.at = now,
                            .actor = caller.principal,
                            .role = std::string(RoleSlug(caller.role)),
                            .call = std::string(call),
                            .participant_id = id});
  }
  return records;
}

absl::StatusOr<ScoringProfile> ProfileFor(const ScoringProfile& base,
                                          const WeightOverrides& weights,
                                          absl::string_view path) {
  absl::StatusOr<ScoringProfile> profile = base.WithOverrides(weights);
  if (!profile.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", profile.status().message()));
  }
  return profile;
}

size_t Utf8Characters(absl::string_view text) {
  return static_cast<size_t>(std::count_if(
      text.begin(), text.end(),
      [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace placement::app
