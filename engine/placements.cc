#include "engine/placements.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"

namespace placement {
namespace {

constexpr std::array<absl::string_view, kHoldStateCount> kHoldStateNames = {
    "ACTIVE", "RELEASED", "EXPIRED", "STARTED"};
constexpr std::array<absl::string_view, kHoldStateCount> kHoldStateSlugs = {
    "active", "released", "expired", "started"};
constexpr std::array<absl::string_view, kHoldActionCount> kHoldActionSlugs = {
    "release", "expire", "start"};
constexpr std::array<absl::string_view, kPlacementSourceCount>
    kPlacementSourceSlugs = {"hold", "proposal", "direct"};
constexpr std::array<absl::string_view, kPlacementOutcomeCount>
    kPlacementOutcomeSlugs = {"completed",
                              "moved_up",
                              "unsubsidised_work",
                              "subsidised_work",
                              "studies",
                              "interrupted_by_participant",
                              "interrupted_by_employer",
                              "interrupted_health",
                              "interrupted_other"};
constexpr std::array<absl::string_view, kEmployerOutcomeCount>
    kEmployerOutcomeSlugs = {"completed",       "moved_up", "unsubsidised_work",
                             "subsidised_work", "studies",  "interrupted"};
constexpr std::array<absl::string_view, 3> kStepChangeReasonSlugs = {
    "registered", "coach", "placement_outcome"};
constexpr std::array<absl::string_view, kTimelineEventKindCount>
    kTimelineEventKindSlugs = {
        "hold_placed",      "hold_released",     "hold_expired",
        "hold_started",     "placement_started", "placement_ended",
        "proposal_made",    "proposal_accepted", "proposal_rejected",
        "proposal_expired", "step_changed",      "exit_follow_up"};
constexpr std::array<absl::string_view, kExitSituationCount>
    kExitSituationSlugs = {"unsubsidised_work", "subsidised_work", "studies",
                           "job_seeking", "other"};

template <typename Enum, size_t N>
absl::StatusOr<Enum> ParseSlug(absl::string_view what,
                               const std::array<absl::string_view, N>& slugs,
                               absl::string_view slug) {
  for (size_t i = 0; i < N; ++i) {
    if (slugs[i] == slug) return static_cast<Enum>(i);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "'", slug, "' is not ", what, " (", absl::StrJoin(slugs, ", "), ")"));
}

absl::CivilDay ToCivil(const Date& date) {
  return absl::CivilDay(date.year, date.month, date.day);
}

Date FromCivil(absl::CivilDay day) {
  return Date{.year = static_cast<int>(day.year()),
              .month = day.month(),
              .day = day.day()};
}

}  // namespace

absl::string_view HoldStateName(HoldState state) {
  return kHoldStateNames[static_cast<size_t>(state)];
}
absl::string_view HoldStateSlug(HoldState state) {
  return kHoldStateSlugs[static_cast<size_t>(state)];
}
absl::StatusOr<HoldState> ParseHoldState(absl::string_view slug) {
  return ParseSlug<HoldState>("a hold state", kHoldStateSlugs, slug);
}
absl::string_view HoldActionSlug(HoldAction action) {
  return kHoldActionSlugs[static_cast<size_t>(action)];
}

absl::StatusOr<HoldState> NextHoldState(HoldState from, HoldAction action,
                                        absl::string_view hold_id) {
  const HoldState to = action == HoldAction::kRelease  ? HoldState::kReleased
                       : action == HoldAction::kExpire ? HoldState::kExpired
                                                       : HoldState::kStarted;
  switch (from) {
    case HoldState::kActive:
      return to;
    case HoldState::kReleased:
      if (action == HoldAction::kRelease) return from;
      return absl::FailedPreconditionError(
          absl::StrCat("hold ", hold_id, " was released"));
    case HoldState::kExpired:
      if (action == HoldAction::kExpire) return from;
      return absl::FailedPreconditionError(
          absl::StrCat("hold ", hold_id, " has expired"));
    case HoldState::kStarted:
      break;
  }
  return absl::FailedPreconditionError(
      absl::StrCat("hold ", hold_id, " was already started as a placement"));
}

bool IsWorkingDay(const Date& date) {
  const absl::Weekday weekday = absl::GetWeekday(ToCivil(date));
  return weekday != absl::Weekday::saturday && weekday != absl::Weekday::sunday;
}

Date HoldExpiryDay(const Date& placed_on, int working_days) {
  absl::CivilDay day = ToCivil(placed_on);
  int counted = 0;
  while (counted < working_days) {
    ++day;
    if (IsWorkingDay(FromCivil(day))) ++counted;
  }
  return FromCivil(day);
}

Date NextDay(const Date& date) { return FromCivil(ToCivil(date) + 1); }

absl::Status CheckHoldWorkingDays(int days, absl::string_view field) {
  if (days < 0 || days > kMaxHoldWorkingDays) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", days, " is outside 1..", kMaxHoldWorkingDays,
                     " working days (0 for the server's default)"));
  }
  return absl::OkStatus();
}

absl::string_view PlacementSourceSlug(PlacementSource source) {
  return kPlacementSourceSlugs[static_cast<size_t>(source)];
}
absl::StatusOr<PlacementSource> ParsePlacementSource(absl::string_view slug) {
  return ParseSlug<PlacementSource>("a placement source", kPlacementSourceSlugs,
                                    slug);
}
absl::string_view PlacementOutcomeSlug(PlacementOutcome outcome) {
  return kPlacementOutcomeSlugs[static_cast<size_t>(outcome)];
}
absl::StatusOr<PlacementOutcome> ParsePlacementOutcome(absl::string_view slug) {
  return ParseSlug<PlacementOutcome>("a placement outcome",
                                     kPlacementOutcomeSlugs, slug);
}

EmployerOutcome EmployerOutcomeOf(PlacementOutcome outcome) {
  switch (outcome) {
    case PlacementOutcome::kCompleted:
      return EmployerOutcome::kCompleted;
    case PlacementOutcome::kMovedUp:
      return EmployerOutcome::kMovedUp;
    case PlacementOutcome::kUnsubsidisedWork:
      return EmployerOutcome::kUnsubsidisedWork;
    case PlacementOutcome::kSubsidisedWork:
      return EmployerOutcome::kSubsidisedWork;
    case PlacementOutcome::kStudies:
      return EmployerOutcome::kStudies;
    case PlacementOutcome::kInterruptedByParticipant:
    case PlacementOutcome::kInterruptedByEmployer:
    case PlacementOutcome::kInterruptedForHealth:
    case PlacementOutcome::kInterruptedOther:
      break;
  }
  return EmployerOutcome::kInterrupted;
}
absl::string_view EmployerOutcomeSlug(EmployerOutcome outcome) {
  return kEmployerOutcomeSlugs[static_cast<size_t>(outcome)];
}

absl::string_view PlacementStateName(PlacementState state) {
  return state == PlacementState::kActive ? "ACTIVE" : "ENDED";
}

absl::StatusOr<PlacementState> NextPlacementState(
    PlacementState from, PlacementAction /*action*/,
    absl::string_view placement_id, const std::optional<Date>& ended_on) {
  if (from == PlacementState::kActive) return PlacementState::kEnded;
  return absl::FailedPreconditionError(absl::StrCat(
      "placement ", placement_id, " already ended",
      ended_on ? absl::StrCat(" on ", FormatDate(*ended_on)) : std::string()));
}

absl::Status CheckStartDate(const Date& start, const Date& today,
                            absl::string_view field) {
  if (!IsValidDate(start)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": '", FormatDate(start), "' is not a date"));
  }
  const absl::CivilDay earliest = ToCivil(today) - kMaxStartDaysBack;
  const absl::CivilDay latest = ToCivil(today) + kMaxStartDaysAhead;
  const absl::CivilDay day = ToCivil(start);
  if (day < earliest || day > latest) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": ", FormatDate(start), " is outside ",
        FormatDate(FromCivil(earliest)), "..", FormatDate(FromCivil(latest)),
        " (at most ", kMaxStartDaysBack, " days back and ", kMaxStartDaysAhead,
        " ahead)"));
  }
  return absl::OkStatus();
}

absl::string_view StepChangeReasonSlug(StepChangeReason reason) {
  return kStepChangeReasonSlugs[static_cast<size_t>(reason)];
}
absl::StatusOr<StepChangeReason> ParseStepChangeReason(absl::string_view slug) {
  return ParseSlug<StepChangeReason>("a step change reason",
                                     kStepChangeReasonSlugs, slug);
}

absl::StatusOr<EndEffect> ApplyPlacementEnd(const PlacementRecord& placement,
                                            Participant participant,
                                            const PlacementEnd& end,
                                            const Date& today,
                                            absl::string_view actor,
                                            absl::Time at) {
  if (!IsValidDate(end.end_date)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "end_date: '", FormatDate(end.end_date), "' is not a date"));
  }
  if (end.end_date < placement.start_date) {
    return absl::InvalidArgumentError(absl::StrCat(
        "end_date: ", FormatDate(end.end_date), " is before the start on ",
        FormatDate(placement.start_date)));
  }
  if (end.end_date > today) {
    return absl::InvalidArgumentError(
        absl::StrCat("end_date: ", FormatDate(end.end_date),
                     " is in the future; end a placement once it has ended"));
  }
  EndEffect effect;
  if (end.outcome == PlacementOutcome::kMovedUp) {
    if (end.to_step <= participant.step || end.to_step > kMaxStep) {
      return absl::InvalidArgumentError(absl::StrCat(
          "to_step: ", end.to_step, " is not above the participant's step ",
          participant.step, " (", participant.step + 1, "..", kMaxStep, ")"));
    }
    effect.step_change =
        StepChange{.participant_id = participant.id,
                   .on = end.end_date,
                   .from_step = participant.step,
                   .to_step = end.to_step,
                   .reason = StepChangeReason::kPlacementOutcome,
                   .placement_id = placement.id,
                   .actor = std::string(actor),
                   .at = at};
    participant.step = end.to_step;
  } else if (end.to_step >= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("to_step: only an outcome of moved_up names a step, not ",
                     PlacementOutcomeSlug(end.outcome)));
  }
  if (end.leaves_programme) {
    participant.status = ParticipantStatus::kExited;
    participant.exit_date = end.end_date;
  } else {
    participant.status = ParticipantStatus::kActive;
    participant.exit_date.reset();
  }
  participant.updated_at = at;
  effect.participant = std::move(participant);
  return effect;
}

OpeningPlacementCounts CountPlacements(
    const std::vector<PlacementRecord>& placements) {
  OpeningPlacementCounts counts;
  for (const PlacementRecord& p : placements) {
    if (p.state() == PlacementState::kActive || !p.outcome) {
      ++counts.current;
      continue;
    }
    ++counts.ended;
    ++counts
          .ended_by_outcome[static_cast<size_t>(EmployerOutcomeOf(*p.outcome))];
  }
  return counts;
}

absl::string_view TimelineEventKindSlug(TimelineEventKind kind) {
  return kTimelineEventKindSlugs[static_cast<size_t>(kind)];
}

void SortTimeline(std::vector<TimelineEvent>& events) {
  std::sort(events.begin(), events.end(),
            [](const TimelineEvent& a, const TimelineEvent& b) {
              return std::tie(a.on, a.at, a.kind, a.reference) <
                     std::tie(b.on, b.at, b.kind, b.reference);
            });
}

absl::string_view ExitSituationSlug(ExitSituation situation) {
  return kExitSituationSlugs[static_cast<size_t>(situation)];
}

absl::StatusOr<ExitSituation> ParseExitSituation(absl::string_view slug) {
  for (size_t i = 0; i < kExitSituationSlugs.size(); ++i) {
    if (kExitSituationSlugs[i] == slug) return static_cast<ExitSituation>(i);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("'", slug, "' is not a situation after exit (",
                   absl::StrJoin(kExitSituationSlugs, ", "), ")"));
}

absl::Status CheckExitFollowUp(const Participant& participant,
                               const Date& checked_on, const Date& today,
                               absl::string_view field) {
  if (participant.status != ParticipantStatus::kExited ||
      !participant.exit_date) {
    return absl::FailedPreconditionError(
        absl::StrCat("participant ", participant.id, " is ",
                     ParticipantStatusSlug(participant.status),
                     ", not exited: a follow-up after exit needs an exit"));
  }
  if (!IsValidDate(checked_on)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", FormatDate(checked_on), " is not a date"));
  }
  if (today < checked_on) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", FormatDate(checked_on), " is after today ",
                     FormatDate(today)));
  }
  const int64_t days = ToCivil(checked_on) - ToCivil(*participant.exit_date);
  if (days < kExitFollowUpMinDays) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": ", FormatDate(checked_on), " is ", days,
        " days after the exit ", FormatDate(*participant.exit_date),
        "; at least ", kExitFollowUpMinDays));
  }
  return absl::OkStatus();
}

}  // namespace placement
