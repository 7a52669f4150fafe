// The rules a participant or an opening must satisfy before the engine
// accepts it, in one place for every way records arrive: CSV import and the
// gRPC API both call these.
//
// Field names are those of the CSV formats in data/README.md ("municipality",
// "lat", "hours_per_week", "skills", ...); the service maps them to proto
// field paths. Every problem is reported, not only the first.
//
// Thread safety: pure functions.

#ifndef PLACEMENT_ENGINE_VALIDATION_H_
#define PLACEMENT_ENGINE_VALIDATION_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "engine/reference_data.h"
#include "engine/types.h"

namespace placement {

struct FieldProblem {
  std::string field;   // CSV column name
  std::string value;   // the offending value (one item of a list field)
  std::string reason;  // plain English

  friend bool operator==(const FieldProblem&, const FieldProblem&) = default;
};

// Ranges (inclusive).
inline constexpr int kMinBirthYear = 1920;
inline constexpr int kMaxBirthYear = 2020;
inline constexpr int kMaxTravelMinutes = 240;
inline constexpr double kMinHoursPerWeek = 1;
inline constexpr double kMaxHoursPerWeek = 60;
inline constexpr int kMaxCapacity = 1000;
inline constexpr int kMaxAge = 100;
inline constexpr size_t kMaxIdLength = 40;
inline constexpr size_t kMaxTextBytes = 200;
// The earliest entry into a programme the engine accepts. Whether an entry
// date lies in the future depends on today: CheckEntryNotAhead.
inline constexpr Date kFirstEntryDate = {.year = 2000, .month = 1, .day = 1};

// Problems with an id: empty, too long, characters outside A-Z a-z 0-9 _ - .,
// or shaped like a Swedish personal identity number (never allowed as an id).
std::vector<std::string> IdProblems(absl::string_view id);
// True for text shaped like a personnummer or samordningsnummer
// (YYMMDD-NNNN, YYYYMMDDNNNN, with or without separator).
bool LooksLikePersonalIdentityNumber(absl::string_view text);

std::vector<FieldProblem> CheckParticipant(const Participant& participant,
                                           const ReferenceData& reference);
// Problems of an entry date after `today` (field "entry_date").
std::vector<FieldProblem> CheckEntryNotAhead(const Participant& participant,
                                             const Date& today);
std::vector<FieldProblem> CheckOpening(const Opening& opening,
                                       const ReferenceData& reference);

}  // namespace placement

#endif  // PLACEMENT_ENGINE_VALIDATION_H_
