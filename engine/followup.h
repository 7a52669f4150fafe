// The follow-up report: what happened to the programme's participants in a
// period, as ESF+ reporting counts it, split by gender. A pure function of
// plain event records (FollowUpEvents) that the store loads; no storage, no
// clock.
//
// For the period [from, to], both days included, and optionally one home
// municipality and/or one programme (the participant's as recorded now):
//   entries_by_age_band   participants whose entry date is in the period, by
//                         age at entry (entry year - birth year): "16-24",
//                         "25-29", "30-54", "55+", and "under-16" first when
//                         anyone entered younger;
//   placements_by_kind    placements whose start date is in the period, by
//                         the opening's kind;
//   exits_by_outcome      participants whose exit date is in the period, by
//                         the outcome of their last placement started on or
//                         before the exit (interruptions of every reason are
//                         one "interrupted"; "not_ended", "no_placement");
//   exits_by_situation    the same participants by the situation recorded
//                         about six months after that exit ("not_recorded");
//   moved_up              of the participants in the programme during the
//                         period (entered on or before `to`, or no entry date
//                         known; not exited before `from`), those with a step
//                         change upwards dated in the period, and the share;
//   days_to_first_placement  of the participants entering in the period who
//                         have had a placement starting on or after their
//                         entry, the median days from entry to the first.
// Every count is split by gender (female, male, other, undisclosed) plus the
// total. Counts of 1 to kFollowUpWithheldBelow - 1 are withheld (the cell
// says so and holds no number), the threshold of the run's fairness audit.
// Each row's total is the sum of its four gender cells, so the total minus
// the cells shown would give a withheld cell: a row with a withheld gender
// cell withholds its total too (ShownCounts). Withholding the smallest gender
// cell shown instead would keep the total, but a reader who knows that rule
// learns that the second cell withheld is at most every cell shown, and
// with cells close to 5 that pins the first one down ({5, 0, 5, 4 = 14}:
// the 4 is the only value that the rule would publish as shown); with the
// total withheld, every withheld cell can be any of 1..4 whatever the
// reader knows. A median over a withheld count, and a share of which either
// count is withheld, are withheld too. The raw counts never leave this
// function.
//
// Cost: O(P + L + S + F) time and O(P) extra memory for P participants, L
// placements, S step changes and F exit follow-ups (one hash map from id to
// participant, one pass over each list, one sort per median).
//
// Scoring and eligibility never read what this report reads (gender, entry
// and exit, the programme, the situation after exit).
//
// Usage:
//   FollowUpEvents events = ...;  // app/followup.cc loads them
//   FollowUpQuery query{.from = {2026, 1, 1}, .to = {2026, 12, 31}};
//   if (absl::Status s = CheckFollowUpQuery(query, reference); !s.ok()) ...
//   FollowUpReport report = ComputeFollowUpReport(events, query);
//
// Thread safety: plain values and pure functions.

#ifndef PLACEMENT_ENGINE_FOLLOWUP_H_
#define PLACEMENT_ENGINE_FOLLOWUP_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "engine/placements.h"
#include "engine/reference_data.h"
#include "engine/rematch.h"
#include "engine/types.h"

namespace placement {

// ---- The report's input ----------------------------------------------------

struct FollowUpParticipant {
  std::string id = {};
  Gender gender = Gender::kUndisclosed;
  int birth_year = 0;
  std::string municipality_code = {};
  std::string programme_code = {};  // empty: none
  std::optional<Date> entry_date = {};
  std::optional<Date> exit_date = {};  // set for EXITED participants
};

struct FollowUpPlacement {
  std::string id = {};  // orders placements started on the same day
  std::string participant_id = {};
  OpeningKind kind = OpeningKind::kWorkTraining;  // the opening's
  Date start_date = {};
  std::optional<Date> end_date = {};
  std::optional<PlacementOutcome> outcome = {};  // set once ended
};

struct FollowUpStepChange {
  std::string participant_id = {};
  Date on = {};
  int from_step = -1;  // -1: the step at registration
  int to_step = 0;
};

struct FollowUpSituation {
  std::string participant_id = {};
  Date exit_date = {};  // the exit it follows up
  ExitSituation situation = ExitSituation::kOther;
};

// Everything the report reads, in any order. Records of a participant who
// is not in `participants` (erased since) are ignored.
struct FollowUpEvents {
  std::vector<FollowUpParticipant> participants;
  std::vector<FollowUpPlacement> placements;
  std::vector<FollowUpStepChange> step_changes;
  std::vector<FollowUpSituation> situations;
};

struct FollowUpQuery {
  Date from = {};
  Date to = {};
  std::string municipality_code = {};  // empty: every municipality
  std::string programme_code = {};     // empty: every programme, and none
};

// The longest period a report covers: three years.
inline constexpr int kMaxFollowUpDays = 1096;

// INVALID_ARGUMENT naming the request field: from_date or to_date not a
// date ("from_date: 2025-02-30 is not a valid date"), to_date before
// from_date, a period above kMaxFollowUpDays, an unknown municipality_code
// or programme_code ("programme_code: \"22-999-S99\" is not a known
// programme").
absl::Status CheckFollowUpQuery(const FollowUpQuery& query,
                                const ReferenceData& reference);

// ---- The report ------------------------------------------------------------

// Counts from 1 to kFollowUpWithheldBelow - 1 are withheld.
inline constexpr int kFollowUpWithheldBelow = kAuditMinGroup;

struct FollowUpCell {
  bool withheld = false;
  int count = 0;  // 0 when withheld

  friend bool operator==(const FollowUpCell&, const FollowUpCell&) = default;
};

// The cell that shows `count` (withheld when 1..kFollowUpWithheldBelow-1).
FollowUpCell ShownCount(int count);

// Cells by Gender (in enum order), then the total at kFollowUpTotal.
inline constexpr int kFollowUpTotal = kGenderCount;
template <typename T>
using ByGender = std::array<T, kGenderCount + 1>;

// The cells that show one row of counts by gender, whose total is the sum
// of the four: each by ShownCount, and the total withheld too when any
// gender cell is, so that no withheld cell can be worked out from the cells
// shown. Precondition: counts[kFollowUpTotal] is the sum of the others, all
// >= 0.
ByGender<FollowUpCell> ShownCounts(const ByGender<int>& counts);

struct FollowUpRow {
  std::string key;  // the group's slug
  ByGender<FollowUpCell> counts = {};
};

struct FollowUpShare {
  FollowUpCell participants = {};
  FollowUpCell moved_up = {};
  std::optional<double> share = {};  // unset when withheld or no one
};

struct FollowUpMedian {
  FollowUpCell participants = {};
  std::optional<double> median_days = {};  // unset when withheld or no one
};

struct FollowUpReport {
  FollowUpQuery query = {};
  std::vector<FollowUpRow> entries_by_age_band = {};
  std::vector<FollowUpRow> placements_by_kind = {};
  std::vector<FollowUpRow> exits_by_outcome = {};
  std::vector<FollowUpRow> exits_by_situation = {};
  ByGender<FollowUpShare> moved_up = {};
  ByGender<FollowUpMedian> days_to_first_placement = {};
};

// The age band of someone born in `birth_year` at `entry` ("under-16",
// "16-24", "25-29", "30-54", "55+").
absl::string_view FollowUpAgeBand(int birth_year, const Date& entry);
// The row key of an exit whose last placement ended with `outcome`:
// PlacementOutcomeSlug, except every interruption is "interrupted".
absl::string_view FollowUpOutcomeKey(PlacementOutcome outcome);

// The report (see the file comment). Precondition: CheckFollowUpQuery
// accepted `query`. Deterministic: the same events in any order give the
// same report.
FollowUpReport ComputeFollowUpReport(const FollowUpEvents& events,
                                     const FollowUpQuery& query);

}  // namespace placement

#endif  // PLACEMENT_ENGINE_FOLLOWUP_H_
