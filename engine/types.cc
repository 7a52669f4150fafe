#include "engine/types.h"

#include <array>
#include <cstdio>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace placement {
namespace {

// Slug tables are indexed by the enumerator's value, so they must list the
// enumerators in declaration order.
constexpr std::array<absl::string_view, kTravelModeCount> kTravelModeSlugs = {
    "walk", "bike", "public_transport", "car"};
constexpr std::array<absl::string_view, kSwedishLevelCount> kSwedishLevelSlugs =
    {"none", "basic", "intermediate", "good", "fluent"};
constexpr std::array<absl::string_view, kTargetGroupCount> kTargetGroupSlugs = {
    "long_term_unemployed", "outside_labour_market", "disability",
    "sick_leave_return",    "activity_compensation", "no_upper_secondary",
    "newly_arrived",        "financial_assistance"};
constexpr std::array<absl::string_view, kGenderCount> kGenderSlugs = {
    "female", "male", "other", "undisclosed"};
constexpr std::array<absl::string_view, kParticipantStatusCount>
    kParticipantStatusSlugs = {"active", "paused", "placed", "exited"};
constexpr std::array<absl::string_view, kOpeningKindCount> kOpeningKindSlugs = {
    "employer_internship", "work_training", "enhanced_work_training",
    "social_enterprise", "supported_employment"};
constexpr std::array<absl::string_view, kOpeningStatusCount>
    kOpeningStatusSlugs = {"draft", "open", "paused", "closed"};
constexpr std::array<absl::string_view, 2> kNeedStrengthSlugs = {"hard",
                                                                 "soft"};

template <typename Enum, size_t N>
absl::StatusOr<Enum> ParseSlug(absl::string_view what,
                               const std::array<absl::string_view, N>& slugs,
                               absl::string_view slug) {
  for (size_t i = 0; i < N; ++i) {
    if (slugs[i] == slug) return static_cast<Enum>(i);
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown ", what, " '", slug,
                                                 "'; expected one of ",
                                                 absl::StrJoin(slugs, ", ")));
}

}  // namespace

absl::string_view TravelModeSlug(TravelMode mode) {
  return kTravelModeSlugs[static_cast<size_t>(mode)];
}
absl::StatusOr<TravelMode> ParseTravelMode(absl::string_view slug) {
  return ParseSlug<TravelMode>("travel mode", kTravelModeSlugs, slug);
}
absl::string_view SwedishLevelSlug(SwedishLevel level) {
  return kSwedishLevelSlugs[static_cast<size_t>(level)];
}
absl::StatusOr<SwedishLevel> ParseSwedishLevel(absl::string_view slug) {
  return ParseSlug<SwedishLevel>("Swedish level", kSwedishLevelSlugs, slug);
}
absl::string_view TargetGroupSlug(TargetGroup group) {
  return kTargetGroupSlugs[static_cast<size_t>(group)];
}
absl::StatusOr<TargetGroup> ParseTargetGroup(absl::string_view slug) {
  return ParseSlug<TargetGroup>("target group", kTargetGroupSlugs, slug);
}
absl::string_view GenderSlug(Gender gender) {
  return kGenderSlugs[static_cast<size_t>(gender)];
}
absl::StatusOr<Gender> ParseGender(absl::string_view slug) {
  return ParseSlug<Gender>("gender", kGenderSlugs, slug);
}
absl::string_view ParticipantStatusSlug(ParticipantStatus status) {
  return kParticipantStatusSlugs[static_cast<size_t>(status)];
}
absl::StatusOr<ParticipantStatus> ParseParticipantStatus(
    absl::string_view slug) {
  return ParseSlug<ParticipantStatus>("participant status",
                                      kParticipantStatusSlugs, slug);
}
absl::string_view OpeningKindSlug(OpeningKind kind) {
  return kOpeningKindSlugs[static_cast<size_t>(kind)];
}
absl::StatusOr<OpeningKind> ParseOpeningKind(absl::string_view slug) {
  return ParseSlug<OpeningKind>("opening kind", kOpeningKindSlugs, slug);
}
absl::string_view OpeningStatusSlug(OpeningStatus status) {
  return kOpeningStatusSlugs[static_cast<size_t>(status)];
}
absl::StatusOr<OpeningStatus> ParseOpeningStatus(absl::string_view slug) {
  return ParseSlug<OpeningStatus>("opening status", kOpeningStatusSlugs, slug);
}
absl::string_view NeedStrengthSlug(NeedStrength strength) {
  return kNeedStrengthSlugs[static_cast<size_t>(strength)];
}
absl::StatusOr<NeedStrength> ParseNeedStrength(absl::string_view slug) {
  return ParseSlug<NeedStrength>("need strength", kNeedStrengthSlugs, slug);
}

bool IsValidDate(const Date& date) {
  if (date.year < 1900 || date.year > 2200) return false;
  if (date.month < 1 || date.month > 12) return false;
  static constexpr std::array<int, 12> kDaysInMonth = {31, 28, 31, 30, 31, 30,
                                                       31, 31, 30, 31, 30, 31};
  const bool leap =
      (date.year % 4 == 0 && date.year % 100 != 0) || date.year % 400 == 0;
  const int days = kDaysInMonth[static_cast<size_t>(date.month - 1)] +
                   (date.month == 2 && leap ? 1 : 0);
  return date.day >= 1 && date.day <= days;
}

std::string FormatDate(const Date& date) {
  char buffer[16];
  std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02d", date.year, date.month,
                date.day);
  return buffer;
}

absl::StatusOr<Date> ParseDate(absl::string_view text) {
  const auto invalid = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not a date of the form YYYY-MM-DD"));
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return invalid();
  Date date;
  if (!absl::SimpleAtoi(text.substr(0, 4), &date.year) ||
      !absl::SimpleAtoi(text.substr(5, 2), &date.month) ||
      !absl::SimpleAtoi(text.substr(8, 2), &date.day)) {
    return invalid();
  }
  if (!IsValidDate(date)) return invalid();
  return date;
}

}  // namespace placement
