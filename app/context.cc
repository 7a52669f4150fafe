#include "app/context.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "proto/request_check.h"

namespace placement::app {
namespace {

// Validator field names (CSV columns) to proto field paths.
struct PathMapping {
  absl::string_view field;
  absl::string_view path;
};
constexpr PathMapping kParticipantPaths[] = {
    {"municipality", "home.municipality_code"},
    {"lat", "home.point.latitude"},
    {"lon", "home.point.longitude"},
    {"hours_per_week", "hours_per_week_available"},
    {"needs", "support_needs"},
    {"vetoed_organisations", "vetoed_organisation_ids"},
};
constexpr PathMapping kOpeningPaths[] = {
    {"municipality", "location.municipality_code"},
    {"lat", "location.point.latitude"},
    {"lon", "location.point.longitude"},
    {"supports", "supports_offered"},
    {"min_hours", "min_hours_per_week"},
    {"max_hours", "max_hours_per_week"},
    {"min_age", "eligibility.min_age"},
    {"max_age", "eligibility.max_age"},
    {"target_groups", "eligibility.target_groups"},
};

template <size_t N>
absl::Status ProblemsToStatus(const std::vector<FieldProblem>& problems,
                              absl::string_view prefix,
                              const PathMapping (&paths)[N]) {
  if (problems.empty()) return absl::OkStatus();
  std::vector<std::string> parts;
  for (const FieldProblem& problem : problems) {
    absl::string_view path = problem.field;
    for (const PathMapping& mapping : paths) {
      if (mapping.field == problem.field) path = mapping.path;
    }
    parts.push_back(absl::StrCat(prefix, ".", path, ": ",
                                 QuoteValue(problem.value), " ",
                                 problem.reason));
  }
  return absl::InvalidArgumentError(absl::StrJoin(parts, "; "));
}

}  // namespace

const absl::TimeZone& SwedishZone() {
  static const absl::TimeZone* const kZone = [] {
    auto* zone = new absl::TimeZone(absl::UTCTimeZone());
    absl::LoadTimeZone("Europe/Stockholm", zone);
    return zone;
  }();
  return *kZone;
}

absl::Time SwedishStartOfDay(const Date& date) {
  return absl::FromCivil(absl::CivilDay(date.year, date.month, date.day),
                         SwedishZone());
}

Date SwedishDate(absl::Time time) {
  const absl::CivilDay day = absl::ToCivilDay(time, SwedishZone());
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

absl::StatusOr<int> ExpireDueHolds(Context& context) {
  // A context over a snapshot alone (the load tool's in-process peer) has
  // no store, so no holds.
  if (context.store == nullptr) return 0;
  const absl::Time now = context.now();
  if (absl::ToUnixMicros(now) < context.next_hold_expiry.load()) return 0;
  MutexLock lock(&context.write_mutex);
  absl::StatusOr<store::ExpiredHolds> expired = context.store->ExpireHolds(now);
  if (!expired.ok()) return expired.status();
  if (!expired->openings.empty()) {
    context.snapshots->Update(
        [&](const std::shared_ptr<const Snapshot>& snapshot) {
          std::shared_ptr<const Snapshot> next = snapshot;
          for (const Opening& opening : expired->openings) {
            next = next->WithOpening(opening);
          }
          return next;
        });
  }
  context.next_hold_expiry.store(expired->next_expiry
                                     ? absl::ToUnixMicros(*expired->next_expiry)
                                     : std::numeric_limits<int64_t>::max());
  return static_cast<int>(expired->holds.size());
}

std::shared_ptr<const Snapshot> LiveSnapshot(Context& context) {
  // A failed expiry leaves the holds counted (see the header): the answer
  // errs on the side of a place taken.
  ExpireDueHolds(context).IgnoreError();
  return context.snapshots->Current();
}

void NoteHoldExpiry(Context& context, absl::Time expires_at) {
  const int64_t micros = absl::ToUnixMicros(expires_at);
  int64_t current = context.next_hold_expiry.load();
  while (micros < current &&
         !context.next_hold_expiry.compare_exchange_weak(current, micros)) {
  }
}

void SubmitWrite(Context& context, Write write) {
  context.writes.Submit({.store = context.store,
                         .snapshots = context.snapshots,
                         .write_mutex = &context.write_mutex},
                        std::move(write));
}

size_t Utf8Characters(absl::string_view text) {
  return static_cast<size_t>(std::count_if(
      text.begin(), text.end(),
      [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

absl::Status CheckId(absl::string_view id, absl::string_view path) {
  return CheckIdField(path, id);
}

absl::Status ParticipantProblems(const std::vector<FieldProblem>& problems,
                                 absl::string_view prefix) {
  return ProblemsToStatus(problems, prefix, kParticipantPaths);
}

absl::Status OpeningProblems(const std::vector<FieldProblem>& problems,
                             absl::string_view prefix) {
  return ProblemsToStatus(problems, prefix, kOpeningPaths);
}

}  // namespace placement::app
