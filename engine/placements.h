// Holds, placements and the step history: a participant's path through
// openings, as records and life cycles. What the store keeps and the use
// cases (app/placements.h) read back; pure rules, no storage.
//
// A hold reserves one free place of an OPEN opening for one participant for
// a limited time, so that a coach who found it need not race other coaches
// while talking to the participant and the employer. Its life cycle:
//
//              release      expire       start
//   ACTIVE     RELEASED     EXPIRED      STARTED
//   RELEASED   = RELEASED   refused      refused
//   EXPIRED    refused      = EXPIRED    refused: the hold expired
//   STARTED    refused      refused      refused: already started
//
// "=": the action was already taken; a safe retry that changes nothing.
// A hold is live while ACTIVE and before its expiry (IsLive); an ACTIVE hold
// past its expiry counts as EXPIRED everywhere, before the sweep stores it
// so. A live hold takes its place for everyone else (Opening::places_held,
// engine/opening_rules.h). A participant holds at most one place at a time.
//
// A hold lasts a number of working days (Monday to Friday; public holidays
// are not modelled): placed on day D for N days, it expires at the end of
// the N-th working day after D (HoldExpiryDay), in Swedish time.
//
// A placement's life cycle:
//
//            end
//   ACTIVE   ENDED
//   ENDED    refused: already ended
//
// A placement starts from a hold, from an accepted proposal, or directly;
// it takes a place and makes the participant PLACED. It ends with an end
// date and an outcome (PlacementOutcome); the place is freed and the
// participant is ACTIVE again, or EXITED when they leave the programme.
// Every change of a participant's step is kept as a StepChange.
//
// Thread safety: plain values and pure functions.

#ifndef PLACEMENT_ENGINE_PLACEMENTS_H_
#define PLACEMENT_ENGINE_PLACEMENTS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "engine/types.h"

namespace placement {

// ---- Holds ----------------------------------------------------------------

inline constexpr int kDefaultHoldWorkingDays = 3;
inline constexpr int kMaxHoldWorkingDays = 10;

enum class HoldState : uint8_t { kActive, kReleased, kExpired, kStarted };
inline constexpr int kHoldStateCount = 4;
enum class HoldAction : uint8_t { kRelease, kExpire, kStart };
inline constexpr int kHoldActionCount = 3;

// "ACTIVE", "RELEASED", "EXPIRED", "STARTED".
absl::string_view HoldStateName(HoldState state);
// "active", "released", "expired", "started" (as stored).
absl::string_view HoldStateSlug(HoldState state);
absl::StatusOr<HoldState> ParseHoldState(absl::string_view slug);
// "release", "expire", "start".
absl::string_view HoldActionSlug(HoldAction action);

// The state after `action` on a hold in `from` (the table above), or
// FAILED_PRECONDITION naming the hold:
//   "hold H0000012 has expired"
//   "hold H0000012 was released"
//   "hold H0000012 was already started as placement L0000003"
absl::StatusOr<HoldState> NextHoldState(HoldState from, HoldAction action,
                                        absl::string_view hold_id);

struct Hold {
  std::string id = {};  // "H" + 7 digits, given by the store
  std::string participant_id = {};
  std::string opening_id = {};
  std::string coach_id = {};  // who placed it
  HoldState state = HoldState::kActive;
  absl::Time created_at = absl::UnixEpoch();
  absl::Time expires_at = absl::UnixEpoch();
  std::optional<absl::Time> ended_at = {};  // released, expired or started
  std::string ended_by = {};                // principal; empty for an expiry
  std::string placement_id = {};            // for STARTED
};

// Whether the hold still reserves its place at `now`: ACTIVE and before its
// expiry.
inline bool IsLive(const Hold& hold, absl::Time now) {
  return hold.state == HoldState::kActive && now < hold.expires_at;
}

// The state the hold has at `now`: EXPIRED for an ACTIVE hold past its
// expiry, else its stored state.
inline HoldState StateAt(const Hold& hold, absl::Time now) {
  return hold.state == HoldState::kActive && now >= hold.expires_at
             ? HoldState::kExpired
             : hold.state;
}

// Monday to Friday.
bool IsWorkingDay(const Date& date);
// The `working_days`-th working day after `placed_on` (placed_on itself
// never counts): a hold placed on Friday for 3 days lasts through Wednesday.
// Precondition: placed_on is a valid date, working_days >= 1.
Date HoldExpiryDay(const Date& placed_on, int working_days);
// The day after `date`.
Date NextDay(const Date& date);
// INVALID_ARGUMENT naming `field` unless 0 (the default) <= days <=
// kMaxHoldWorkingDays.
absl::Status CheckHoldWorkingDays(int days, absl::string_view field);

// ---- Placements ----------------------------------------------------------

enum class PlacementSource : uint8_t { kHold, kProposal, kDirect };
inline constexpr int kPlacementSourceCount = 3;
// "hold", "proposal", "direct".
absl::string_view PlacementSourceSlug(PlacementSource source);
absl::StatusOr<PlacementSource> ParsePlacementSource(absl::string_view slug);

// How a placement ended.
enum class PlacementOutcome : uint8_t {
  kCompleted,                 // the agreed period was completed
  kMovedUp,                   // moved up the ladder, to a given step
  kUnsubsidisedWork,          // osubventionerat arbete
  kSubsidisedWork,            // subventionerat arbete or anställning med stöd
  kStudies,                   // studier
  kInterruptedByParticipant,  // avbrutet av deltagaren
  kInterruptedByEmployer,     // avbrutet av arbetsgivaren
  kInterruptedForHealth,      // avbrutet av hälsoskäl (health data)
  kInterruptedOther,          // avbrutet, annat skäl
};
inline constexpr int kPlacementOutcomeCount = 9;
// "completed", "moved_up", "unsubsidised_work", "subsidised_work",
// "studies", "interrupted_by_participant", "interrupted_by_employer",
// "interrupted_health", "interrupted_other".
absl::string_view PlacementOutcomeSlug(PlacementOutcome outcome);
absl::StatusOr<PlacementOutcome> ParsePlacementOutcome(absl::string_view slug);

// What an employer may know of an outcome: the four interruptions are one
// "interrupted", so a health reason is never shown.
enum class EmployerOutcome : uint8_t {
  kCompleted,
  kMovedUp,
  kUnsubsidisedWork,
  kSubsidisedWork,
  kStudies,
  kInterrupted,
};
inline constexpr int kEmployerOutcomeCount = 6;
EmployerOutcome EmployerOutcomeOf(PlacementOutcome outcome);
// "completed", "moved_up", "unsubsidised_work", "subsidised_work",
// "studies", "interrupted".
absl::string_view EmployerOutcomeSlug(EmployerOutcome outcome);

enum class PlacementState : uint8_t { kActive, kEnded };
enum class PlacementAction : uint8_t { kEnd };
// "ACTIVE", "ENDED".
absl::string_view PlacementStateName(PlacementState state);

// The state after `action` (the table above), or FAILED_PRECONDITION
// "placement L0000003 already ended on 2027-02-01".
absl::StatusOr<PlacementState> NextPlacementState(
    PlacementState from, PlacementAction action, absl::string_view placement_id,
    const std::optional<Date>& ended_on);

struct PlacementRecord {
  std::string id = {};  // "L" + 7 digits, given by the store
  std::string participant_id = {};
  std::string opening_id = {};
  PlacementSource source = PlacementSource::kDirect;
  std::string source_id = {};   // the hold or proposal id; empty for direct
  std::string started_by = {};  // principal
  Date start_date = {};
  absl::Time created_at = absl::UnixEpoch();
  // Set once ended.
  std::optional<Date> end_date = {};
  std::optional<PlacementOutcome> outcome = {};
  int moved_to_step = -1;  // for kMovedUp; -1 otherwise
  bool left_programme = false;
  std::string ended_by = {};
  std::optional<absl::Time> ended_at = {};

  PlacementState state() const {
    return end_date.has_value() ? PlacementState::kEnded
                                : PlacementState::kActive;
  }
};

// How far back and ahead a start date may lie from today: a coach records
// a start that happened in the last month, or one agreed for the coming
// three months.
inline constexpr int kMaxStartDaysBack = 31;
inline constexpr int kMaxStartDaysAhead = 92;

// INVALID_ARGUMENT naming `field` unless `start` is a valid date within
// [today - kMaxStartDaysBack, today + kMaxStartDaysAhead].
absl::Status CheckStartDate(const Date& start, const Date& today,
                            absl::string_view field);

// How a placement ends, as the coach reports it.
struct PlacementEnd {
  Date end_date = {};
  PlacementOutcome outcome = PlacementOutcome::kCompleted;
  int to_step = -1;  // required for kMovedUp: above the current step
  // The participant leaves the programme: EXITED with exit_date = end_date.
  bool leaves_programme = false;
};

enum class StepChangeReason : uint8_t {
  kRegistered,        // the step at entry into the registry
  kCoach,             // the coach's own update through the registry
  kPlacementOutcome,  // a placement ended as moved up
};
// "registered", "coach", "placement_outcome".
absl::string_view StepChangeReasonSlug(StepChangeReason reason);
absl::StatusOr<StepChangeReason> ParseStepChangeReason(absl::string_view slug);

struct StepChange {
  std::string participant_id = {};
  Date on = {};
  int from_step = -1;  // -1 for kRegistered
  int to_step = 0;
  StepChangeReason reason = StepChangeReason::kCoach;
  std::string placement_id = {};  // for kPlacementOutcome
  std::string actor = {};
  absl::Time at = absl::UnixEpoch();
};

// The participant after `placement` ends as `end` (status ACTIVE, or EXITED
// with its exit date; the new step for kMovedUp) and the step change it
// implies, if any. INVALID_ARGUMENT naming the request field for an end
// date before the start or after `today`, a kMovedUp without a step above
// the participant's own (`to_step`), or a to_step given with another
// outcome.
struct EndEffect {
  Participant participant = {};
  std::optional<StepChange> step_change = {};
};
absl::StatusOr<EndEffect> ApplyPlacementEnd(const PlacementRecord& placement,
                                            Participant participant,
                                            const PlacementEnd& end,
                                            const Date& today,
                                            absl::string_view actor,
                                            absl::Time at);

// An opening's placements as an employer may see them: counts only.
struct OpeningPlacementCounts {
  int current = 0;
  int ended = 0;
  std::array<int, kEmployerOutcomeCount> ended_by_outcome = {};
};
OpeningPlacementCounts CountPlacements(
    const std::vector<PlacementRecord>& placements);

// ---- The situation six months after exit -----------------------------------

enum class ExitSituation : uint8_t {
  kUnsubsidisedWork,  // osubventionerat arbete
  kSubsidisedWork,    // subventionerat arbete or anställning med stöd
  kStudies,
  kJobSeeking,  // arbetssökande
  kOther,
};
inline constexpr int kExitSituationCount = 5;
// "unsubsidised_work", "subsidised_work", "studies", "job_seeking", "other".
absl::string_view ExitSituationSlug(ExitSituation situation);
absl::StatusOr<ExitSituation> ParseExitSituation(absl::string_view slug);

// A coach may record the situation from this many days after the exit.
inline constexpr int kExitFollowUpMinDays = 150;

// One participant's recorded situation after their exit; recording again
// replaces it.
struct ExitFollowUp {
  std::string participant_id = {};
  ExitSituation situation = ExitSituation::kOther;
  Date checked_on = {};
  Date exit_date = {};  // the exit it follows up
  std::string recorded_by = {};
  absl::Time recorded_at = absl::UnixEpoch();
};

// Whether `participant` may get a follow-up checked on `checked_on`:
// FAILED_PRECONDITION unless EXITED with an exit date; INVALID_ARGUMENT
// naming `field` for a day that is not a date, after `today`, or fewer than
// kExitFollowUpMinDays after the exit ("checked_on: 2026-03-01 is 90 days
// after the exit 2025-12-01; at least 150").
absl::Status CheckExitFollowUp(const Participant& participant,
                               const Date& checked_on, const Date& today,
                               absl::string_view field);

// ---- The participant's timeline ------------------------------------------

// In the order events of the same moment are listed: a step change after
// the placement end that caused it.
enum class TimelineEventKind : uint8_t {
  kHoldPlaced,
  kHoldReleased,
  kHoldExpired,
  kHoldStarted,
  kPlacementStarted,
  kPlacementEnded,
  kProposalMade,
  kProposalAccepted,
  kProposalRejected,
  kProposalExpired,
  kStepChanged,
  kExitFollowUp,  // the situation after exit, dated the day it was checked
};
inline constexpr int kTimelineEventKindCount = 12;
// "hold_placed", ..., "step_changed" (the enumerators in snake case).
absl::string_view TimelineEventKindSlug(TimelineEventKind kind);

struct TimelineEvent {
  Date on;             // the day it happened (a placement's own start/end date)
  absl::Time at = {};  // when it was recorded
  TimelineEventKind kind = TimelineEventKind::kHoldPlaced;
  std::string opening_id = {};  // empty for step changes
  std::string reference = {};   // the hold, placement or proposal id
  std::string actor = {};       // principal; empty for the server's own acts
  int from_step = -1;           // step changes
  int to_step = -1;
  std::optional<PlacementOutcome> outcome = {};  // kPlacementEnded
  std::optional<ExitSituation> situation = {};   // kExitFollowUp
  std::string note = {};  // a rejection reason, a step change's reason slug
};

// Sorts events by day, then recording time, then kind, then reference: the
// same events always come out in the same order.
void SortTimeline(std::vector<TimelineEvent>& events);

}  // namespace placement

#endif  // PLACEMENT_ENGINE_PLACEMENTS_H_
