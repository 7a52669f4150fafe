// The decision funnel audit: how far participants of each group get, within
// a period, through five stages of decisions, and whether a group falls
// behind the best-off group of its dimension at any of them. It audits
// people's decisions (which openings a coach is shown, which proposals a
// coach accepts, which placements start and end well) as well as the
// overnight run's proposals.
//
// Stages, in order (FunnelStage). A participant reaches a stage in the
// period [from, to] (both days included) when at least one event of its
// kind falls within it:
//   kSuggested    a coach was shown an opening for them (a suggestion mark,
//                 one per participant, opening and day);
//   kProposed     a published run proposed an opening for them (its day);
//   kAccepted     their coach accepted a proposal (the decision's day);
//   kStarted      a placement started (its start date), from a proposal, a
//                 hold or directly;
//   kGoodOutcome  a placement ended (its end date) with a good outcome
//                 (IsGoodOutcome: completed, moved up, to work or to
//                 studies).
// Stages are counted each on its own, not nested: a run proposes openings
// no coach was shown, a coach starts a placement from a hold or directly
// without any proposal, a proposal of last month is accepted this month.
// So a stage may count more people than the one before it.
//
// Each stage's share is its count / the group's participants (0..1), so
// every stage reads against the same people. Where one record carries a
// participant from the stage before to this one, the funnel also gives the
// conversion (FunnelConversion): of those who reached the stage before, the
// share whom the same record carried on within the period. Three stages
// have one, each nested in both stages by the data model:
//   kAccepted     a proposal published in the period and accepted in it
//                 (of those proposed);
//   kStarted      a placement started in the period from a proposal
//                 accepted in the period (PlacementSource::kProposal, its
//                 source id; of those accepted);
//   kGoodOutcome  a placement started in the period that ended well in it
//                 (of those started).
// kSuggested and kProposed have none: a run's proposals do not follow from
// what a coach was shown.
//
// The ratio to the best-off group is the share / the highest share at that
// stage among the dimension's unsuppressed groups; the same for each
// conversion's rate among the groups that have one. No ratio when that
// highest value is 0. A ratio below kFourFifths is flagged (the
// four-fifths rule): a signal for review, not proof of discrimination. A
// group with 1..kAuditMinGroup - 1 participants is suppressed: its numbers
// are withheld (zero) and it is never flagged.
// In the dimensions where each person is in exactly one group (all but
// target_group) the totals minus the groups shown would give the withheld
// groups' sum, so while that sum is 1..kAuditMinGroup - 1 people the
// smallest group shown is withheld too (the first in order among equals).
// The totals are withheld when fewer than kAuditMinGroup are counted.
//
// Participants counted: those in the programme during the period, i.e. not
// left before it (exit_date before `from`) and, where an entry date is
// known, entered on or before `to`. Events of anyone else are ignored.
//
// Dimensions, in this order: "gender" (GenderSlug, enum order),
// "born_abroad" ("no", "yes"), "age_band" (age = to.year − birth_year:
// "under-16", "16-24", "25-29", "30-54", "55+"), "target_group"
// (TargetGroupSlug in enum order, then "none" for a participant in no
// target group; a participant in several counts in each, once), and
// "municipality" (home kommunkod, ascending). Only groups with at least one
// participant are listed.
//
// Cost: O(P + E) time for P participants and E events (one hash lookup per
// event), O(P) memory beyond the input. Usage:
//   FunnelEvents events = ...;  // from the store and the snapshot
//   DecisionFunnel funnel = ComputeDecisionFunnel(events, from, to);
//
// The follow-up attributes (gender, born abroad) are read here and in the
// run's audit only; scoring never reads them. The result holds counts, no
// participant id.
//
// Thread safety: plain values and a pure function.

#ifndef PLACEMENT_ENGINE_FUNNEL_H_
#define PLACEMENT_ENGINE_FUNNEL_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "engine/placements.h"
#include "engine/types.h"

namespace placement {

enum class FunnelStage : uint8_t {
  kSuggested,
  kProposed,
  kAccepted,
  kStarted,
  kGoodOutcome,
};
inline constexpr int kFunnelStageCount = 5;
// "suggested", "proposed", "accepted", "started", "good_outcome".
absl::string_view FunnelStageSlug(FunnelStage stage);

// Completed, moved up, to unsubsidised or subsidised work, to studies:
// the outcomes the funnel's last stage counts. Interruptions are not.
bool IsGoodOutcome(PlacementOutcome outcome);

// The funnel's age band of `age`: "under-16", "16-24", "25-29", "30-54",
// "55+".
absl::string_view FunnelAgeBand(int age);

// What the funnel reads of a participant: the audited attributes and the
// dates that say whether they were in the programme.
struct FunnelParticipant {
  std::string id;
  Gender gender = Gender::kUndisclosed;
  bool born_abroad = false;
  int birth_year = 0;
  std::vector<TargetGroup> target_groups;
  std::string municipality_code;
  std::optional<Date> entry_date;  // unset: entered before any period
  std::optional<Date> exit_date;   // set when they left the programme
};

// A coach was shown an opening for the participant on `on`.
struct FunnelSuggestion {
  std::string participant_id;
  Date on;
};

// A published proposal (never a dry run's): the day it was published and,
// if the coach accepted it, the day of the decision.
struct FunnelProposal {
  std::string participant_id;
  Date proposed_on;
  std::optional<Date> accepted_on;
  std::string id;  // the proposal id, which a placement names as its source
};

// A placement: its start date and, once ended, its end date and outcome.
struct FunnelPlacement {
  std::string participant_id;
  Date start_date;
  std::optional<Date> end_date;
  std::optional<PlacementOutcome> outcome;
  // The accepted proposal it started from; empty for a hold or a direct
  // start.
  std::string proposal_id;
};

// Everything the funnel reads. Events may lie outside the period and may
// name participants who are not listed; both are ignored.
struct FunnelEvents {
  std::vector<FunnelParticipant> participants;
  std::vector<FunnelSuggestion> suggestions;
  std::vector<FunnelProposal> proposals;
  std::vector<FunnelPlacement> placements;
};

// Of those who reached the stage before, those whom the same record carried
// to this stage within the period (see the file comment).
struct FunnelConversion {
  int converted = 0;
  std::optional<double> rate;           // converted / the stage before's
                                        // reached; unset when that is 0
  std::optional<double> ratio_to_best;  // unset: see the file comment
  bool below_four_fifths = false;       // ratio_to_best < kFourFifths
};

struct FunnelStageResult {
  int reached = 0;                      // participants who reached it
  std::optional<double> share;          // reached / participants, 0..1
  std::optional<double> ratio_to_best;  // of the share; see the file comment
  bool below_four_fifths = false;       // ratio_to_best < kFourFifths
  // kAccepted, kStarted and kGoodOutcome only; unset when suppressed.
  std::optional<FunnelConversion> conversion;
};

// Whether `stage` has a conversion from the stage before (kAccepted,
// kStarted, kGoodOutcome).
bool HasFunnelConversion(FunnelStage stage);

struct FunnelGroupResult {
  std::string dimension;  // empty for the totals
  std::string group;      // empty for the totals
  int participants = 0;   // 0 when suppressed
  bool suppressed = false;
  // Indexed by FunnelStage; all zero and unset when suppressed.
  std::array<FunnelStageResult, kFunnelStageCount> stages = {};
};

struct DecisionFunnel {
  Date from;
  Date to;
  // Everyone counted, no dimension; suppressed like a group when 1..4
  // people; never has a ratio or a flag.
  FunnelGroupResult totals;
  // In the order of the file comment.
  std::vector<FunnelGroupResult> groups;
};

// The funnel of `events` over [from, to]. Precondition: from and to are
// valid dates, from <= to. Deterministic: the same events in any order give
// the same result.
DecisionFunnel ComputeDecisionFunnel(const FunnelEvents& events,
                                     const Date& from, const Date& to);

}  // namespace placement

#endif  // PLACEMENT_ENGINE_FUNNEL_H_
