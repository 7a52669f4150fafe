#include "app/placements.h"

#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"

namespace placement::app {
namespace {

constexpr absl::string_view kHoldCall = "PlacementService.HoldPlace";
constexpr absl::string_view kReleaseCall = "PlacementService.ReleaseHold";
constexpr absl::string_view kListHoldsCall = "PlacementService.ListHolds";
constexpr absl::string_view kStartCall = "PlacementService.StartPlacement";
constexpr absl::string_view kEndCall = "PlacementService.EndPlacement";
constexpr absl::string_view kTimelineCall = "PlacementService.GetTimeline";
constexpr absl::string_view kExitFollowUpCall =
    "PlacementService.RecordExitFollowUp";

absl::Status Log(Context& context, const Caller& caller, absl::string_view call,
                 const std::string& participant_id) {
  return context.store->AppendAccess(
      AccessRecords(context, caller, call, {participant_id}));
}

// PERMISSION_DENIED unless `participant_id` is of the caller's caseload in
// `snapshot`, worded for `what` ("hold H0000001"), the same whether or not
// it exists.
absl::Status CheckOwn(const Snapshot& snapshot, const Caller& caller,
                      absl::string_view participant_id,
                      absl::string_view what) {
  const std::optional<int> index = snapshot.FindParticipant(participant_id);
  if (!index || snapshot.participant(*index).coach_id != caller.principal) {
    return absl::PermissionDeniedError(
        absl::StrCat(what, " is not for a participant of your caseload"));
  }
  return absl::OkStatus();
}

// The store's answer into the working snapshot: the participant and every
// opening.
void Apply(WorkingSnapshot& working, const store::PlacementChange& change) {
  working.Update([&](const std::shared_ptr<const Snapshot>& snapshot) {
    std::shared_ptr<const Snapshot> next =
        snapshot->WithParticipant(change.participant);
    for (const Opening& opening : change.openings) {
      next = next->WithOpening(opening);
    }
    return next;
  });
}

}  // namespace

void HoldPlace(Context& context, const Caller& caller, const HoldQuery& query,
               WriteDone<Hold> done) {
  if (absl::Status s = CheckRole(caller, {Role::kCoach}, kHoldCall); !s.ok())
    return std::move(done)(s);
  if (absl::Status s = CheckId(query.participant_id, "participant_id");
      !s.ok()) {
    return std::move(done)(s);
  }
  if (absl::Status s = CheckId(query.opening_id, "opening_id"); !s.ok())
    return std::move(done)(s);
  if (absl::Status s = CheckHoldWorkingDays(query.working_days, "working_days");
      !s.ok()) {
    return std::move(done)(s);
  }
  std::shared_ptr<const Snapshot> snapshot = LiveSnapshot(context);
  absl::StatusOr<const Participant*> participant =
      ParticipantForCaller(*snapshot, caller, query.participant_id);
  if (!participant.ok()) return std::move(done)(participant.status());
  if (!snapshot->FindOpening(query.opening_id)) {
    return std::move(done)(absl::NotFoundError(
        absl::StrCat("opening_id: '", query.opening_id, "' does not exist")));
  }
  const int days =
      query.working_days == 0 ? context.hold_working_days : query.working_days;
  SubmitWrite<Hold>(
      context,
      [&context, caller, query,
       days](WorkingSnapshot& working) -> absl::StatusOr<Hold> {
        const absl::Time now = context.now();
        const Date today = SwedishDate(now);
        absl::StatusOr<store::HoldChange> held =
            context.store->PlaceHold({.participant_id = query.participant_id,
                                      .opening_id = query.opening_id,
                                      .coach_id = caller.principal,
                                      .at = now,
                                      .expires_at = SwedishStartOfDay(
                                          NextDay(HoldExpiryDay(today, days))),
                                      .today = today});
        if (!held.ok()) return held.status();
        if (absl::Status s =
                Log(context, caller, kHoldCall, query.participant_id);
            !s.ok()) {
          return s;
        }
        // Early is harmless: the next read asks the store.
        NoteHoldExpiry(context, held->hold.expires_at);
        if (held->opening) {
          working.Update([&](const std::shared_ptr<const Snapshot>& current) {
            return current->WithOpening(*held->opening);
          });
        }
        return held->hold;
      },
      std::move(done));
}

absl::StatusOr<Hold> HoldPlace(Context& context, const Caller& caller,
                               const HoldQuery& query) {
  return Await<Hold>([&](WriteDone<Hold> done) {
    HoldPlace(context, caller, query, std::move(done));
  });
}

void ReleaseHold(Context& context, const Caller& caller,
                 absl::string_view hold_id, WriteDone<Hold> done) {
  if (absl::Status s = CheckRole(caller, {Role::kCoach}, kReleaseCall); !s.ok())
    return std::move(done)(s);
  if (absl::Status s = CheckId(hold_id, "hold_id"); !s.ok())
    return std::move(done)(s);
  std::shared_ptr<const Snapshot> snapshot = LiveSnapshot(context);
  absl::StatusOr<Hold> stored = context.store->GetHold(hold_id);
  if (!stored.ok() && !absl::IsNotFound(stored.status())) {
    return std::move(done)(stored.status());
  }
  if (absl::Status s =
          CheckOwn(*snapshot, caller,
                   stored.ok() ? stored->participant_id : std::string(),
                   absl::StrCat("hold '", hold_id, "'"));
      !s.ok()) {
    return std::move(done)(s);
  }
  SubmitWrite<Hold>(
      context,
      [&context, caller, id = std::string(hold_id)](
          WorkingSnapshot& working) -> absl::StatusOr<Hold> {
        absl::StatusOr<store::HoldChange> released =
            context.store->ReleaseHold(id, caller.principal, context.now());
        if (!released.ok()) return released.status();
        if (absl::Status s = Log(context, caller, kReleaseCall,
                                 released->hold.participant_id);
            !s.ok()) {
          return s;
        }
        if (released->changed && released->opening) {
          working.Update([&](const std::shared_ptr<const Snapshot>& current) {
            return current->WithOpening(*released->opening);
          });
        }
        return released->hold;
      },
      std::move(done));
}

absl::StatusOr<Hold> ReleaseHold(Context& context, const Caller& caller,
                                 absl::string_view hold_id) {
  return Await<Hold>([&](WriteDone<Hold> done) {
    ReleaseHold(context, caller, hold_id, std::move(done));
  });
}

absl::StatusOr<HoldList> ListHolds(Context& context, const Caller& caller,
                                   absl::string_view participant_id) {
  if (absl::Status s = CheckRole(caller, {Role::kCoach}, kListHoldsCall);
      !s.ok()) {
    return s;
  }
  std::shared_ptr<const Snapshot> snapshot = LiveSnapshot(context);
  if (!participant_id.empty()) {
    absl::StatusOr<const Participant*> participant =
        ParticipantForCaller(*snapshot, caller, participant_id);
    if (!participant.ok()) return participant.status();
  }
  absl::StatusOr<std::vector<Hold>> holds =
      context.store->ListHolds({.participant_id = std::string(participant_id),
                                .coach_id = caller.principal,
                                .opening_id = {},
                                .live_at = context.now(),
                                .limit = 1000});
  if (!holds.ok()) return holds.status();
  HoldList list;
  std::vector<std::string> ids;
  for (const Hold& hold : *holds) ids.push_back(hold.participant_id);
  list.holds = *std::move(holds);
  list.access = AccessRecords(context, caller, kListHoldsCall, ids);
  return list;
}

void StartPlacement(Context& context, const Caller& caller, StartQuery query,
                    WriteDone<store::PlacementChange> done) {
  if (absl::Status s = CheckRole(caller, {Role::kCoach}, kStartCall); !s.ok())
    return std::move(done)(s);
  if (absl::Status s = CheckId(query.participant_id, "participant_id");
      !s.ok()) {
    return std::move(done)(s);
  }
  if (query.hold_id.empty()) {
    if (absl::Status s = CheckId(query.opening_id, "opening_id"); !s.ok())
      return std::move(done)(s);
  } else if (absl::Status s = CheckId(query.hold_id, "hold_id"); !s.ok()) {
    return std::move(done)(s);
  }
  std::shared_ptr<const Snapshot> snapshot = LiveSnapshot(context);
  absl::StatusOr<const Participant*> participant =
      ParticipantForCaller(*snapshot, caller, query.participant_id);
  if (!participant.ok()) return std::move(done)(participant.status());
  SubmitWrite<store::PlacementChange>(
      context,
      [&context, caller, query = std::move(query)](
          WorkingSnapshot& working) -> absl::StatusOr<store::PlacementChange> {
        const absl::Time now = context.now();
        const Date today = SwedishDate(now);
        const Date start_date =
            query.start_date == Date{} ? today : query.start_date;
        if (absl::Status s = CheckStartDate(start_date, today, "start_date");
            !s.ok()) {
          return s;
        }
        absl::StatusOr<store::PlacementChange> started =
            context.store->StartPlacement(
                {.participant_id = query.participant_id,
                 .opening_id = query.opening_id,
                 .hold_id = query.hold_id,
                 .actor = caller.principal,
                 .start_date = start_date,
                 .at = now,
                 .today = today});
        if (!started.ok()) return started.status();
        if (absl::Status s =
                Log(context, caller, kStartCall, query.participant_id);
            !s.ok()) {
          return s;
        }
        Apply(working, *started);
        return started;
      },
      std::move(done));
}

absl::StatusOr<store::PlacementChange> StartPlacement(Context& context,
                                                      const Caller& caller,
                                                      StartQuery query) {
  return Await<store::PlacementChange>(
      [&](WriteDone<store::PlacementChange> done) {
        StartPlacement(context, caller, std::move(query), std::move(done));
      });
}

void EndPlacement(Context& context, const Caller& caller,
                  absl::string_view placement_id, const PlacementEnd& end,
                  WriteDone<store::PlacementChange> done) {
  if (absl::Status s = CheckRole(caller, {Role::kCoach}, kEndCall); !s.ok())
    return std::move(done)(s);
  if (absl::Status s = CheckId(placement_id, "placement_id"); !s.ok())
    return std::move(done)(s);
  absl::StatusOr<PlacementRecord> stored =
      context.store->GetPlacement(placement_id);
  if (!stored.ok() && !absl::IsNotFound(stored.status())) {
    return std::move(done)(stored.status());
  }
  if (absl::Status s =
          CheckOwn(*context.snapshots->Current(), caller,
                   stored.ok() ? stored->participant_id : std::string(),
                   absl::StrCat("placement '", placement_id, "'"));
      !s.ok()) {
    return std::move(done)(s);
  }
  SubmitWrite<store::PlacementChange>(
      context,
      [&context, caller, id = std::string(placement_id), end](
          WorkingSnapshot& working) -> absl::StatusOr<store::PlacementChange> {
        const absl::Time now = context.now();
        absl::StatusOr<store::PlacementChange> ended =
            context.store->EndPlacement(id, end, caller.principal, now,
                                        SwedishDate(now));
        if (!ended.ok()) return ended.status();
        if (absl::Status s =
                Log(context, caller, kEndCall, ended->placement.participant_id);
            !s.ok()) {
          return s;
        }
        Apply(working, *ended);
        return ended;
      },
      std::move(done));
}

absl::StatusOr<store::PlacementChange> EndPlacement(
    Context& context, const Caller& caller, absl::string_view placement_id,
    const PlacementEnd& end) {
  return Await<store::PlacementChange>(
      [&](WriteDone<store::PlacementChange> done) {
        EndPlacement(context, caller, placement_id, end, std::move(done));
      });
}

absl::StatusOr<Timeline> GetTimeline(Context& context, const Caller& caller,
                                     absl::string_view participant_id) {
  if (absl::Status s = CheckRole(caller, {Role::kCoach}, kTimelineCall);
      !s.ok()) {
    return s;
  }
  std::shared_ptr<const Snapshot> snapshot = LiveSnapshot(context);
  absl::StatusOr<const Participant*> participant =
      ParticipantForCaller(*snapshot, caller, participant_id);
  if (!participant.ok()) return participant.status();
  const std::string id((*participant)->id);
  const absl::Time now = context.now();
  Timeline timeline;
  std::vector<TimelineEvent>& events = timeline.events;

  absl::StatusOr<std::vector<StepChange>> steps =
      context.store->ListStepChanges(id);
  if (!steps.ok()) return steps.status();
  for (const StepChange& step : *steps) {
    events.push_back({.on = step.on,
                      .at = step.at,
                      .kind = TimelineEventKind::kStepChanged,
                      .reference = step.placement_id,
                      .actor = step.actor,
                      .from_step = step.from_step,
                      .to_step = step.to_step,
                      .note = std::string(StepChangeReasonSlug(step.reason))});
  }

  absl::StatusOr<std::vector<Hold>> holds =
      context.store->ListHolds({.participant_id = id, .limit = 100'000});
  if (!holds.ok()) return holds.status();
  for (const Hold& hold : *holds) {
    events.push_back({.on = SwedishDate(hold.created_at),
                      .at = hold.created_at,
                      .kind = TimelineEventKind::kHoldPlaced,
                      .opening_id = hold.opening_id,
                      .reference = hold.id,
                      .actor = hold.coach_id});
    const HoldState state = StateAt(hold, now);
    if (state == HoldState::kActive) continue;
    const absl::Time ended = hold.ended_at.value_or(hold.expires_at);
    events.push_back({.on = SwedishDate(ended),
                      .at = ended,
                      .kind = state == HoldState::kReleased
                                  ? TimelineEventKind::kHoldReleased
                              : state == HoldState::kExpired
                                  ? TimelineEventKind::kHoldExpired
                                  : TimelineEventKind::kHoldStarted,
                      .opening_id = hold.opening_id,
                      .reference = hold.id,
                      .actor = hold.ended_by,
                      .note = hold.placement_id});
  }

  absl::StatusOr<std::vector<PlacementRecord>> placements =
      context.store->ListPlacements({.participant_id = id, .limit = 100'000});
  if (!placements.ok()) return placements.status();
  for (const PlacementRecord& p : *placements) {
    events.push_back(
        {.on = p.start_date,
         .at = p.created_at,
         .kind = TimelineEventKind::kPlacementStarted,
         .opening_id = p.opening_id,
         .reference = p.id,
         .actor = p.started_by,
         .note = absl::StrCat(PlacementSourceSlug(p.source),
                              p.source_id.empty() ? "" : " ", p.source_id)});
    if (p.end_date) {
      events.push_back({.on = *p.end_date,
                        .at = p.ended_at.value_or(p.created_at),
                        .kind = TimelineEventKind::kPlacementEnded,
                        .opening_id = p.opening_id,
                        .reference = p.id,
                        .actor = p.ended_by,
                        .to_step = p.moved_to_step,
                        .outcome = p.outcome,
                        .note = p.left_programme ? "left_programme" : ""});
    }
  }

  absl::StatusOr<std::vector<PublishedProposal>> proposals =
      context.store->ListProposals({.participant_id = id, .limit = 100'000});
  if (!proposals.ok()) return proposals.status();
  for (const PublishedProposal& p : *proposals) {
    events.push_back({.on = SwedishDate(p.created_at),
                      .at = p.created_at,
                      .kind = TimelineEventKind::kProposalMade,
                      .opening_id = p.opening_id,
                      .reference = p.id});
    // Expiries older than the server's keeping of their time have none:
    // they are shown on the day the proposal was made.
    const absl::Time decided = p.decided_at.value_or(p.created_at);
    switch (p.state) {
      case ProposalState::kAccepted:
      case ProposalState::kRejected:
      case ProposalState::kExpired:
        events.push_back({.on = SwedishDate(decided),
                          .at = decided,
                          .kind = p.state == ProposalState::kAccepted
                                      ? TimelineEventKind::kProposalAccepted
                                  : p.state == ProposalState::kRejected
                                      ? TimelineEventKind::kProposalRejected
                                      : TimelineEventKind::kProposalExpired,
                          .opening_id = p.opening_id,
                          .reference = p.id,
                          .actor = p.decided_by,
                          .note = p.rejection_reason});
        break;
      case ProposalState::kPending:
      case ProposalState::kDryRun:
        break;
    }
  }
  absl::StatusOr<std::optional<ExitFollowUp>> follow_up =
      context.store->GetExitFollowUp(id);
  if (!follow_up.ok()) return follow_up.status();
  if (*follow_up) {
    const ExitFollowUp& after = **follow_up;
    events.push_back({.on = after.checked_on,
                      .at = after.recorded_at,
                      .kind = TimelineEventKind::kExitFollowUp,
                      .actor = after.recorded_by,
                      .situation = after.situation,
                      .note = FormatDate(after.exit_date)});
  }
  SortTimeline(events);
  timeline.access = AccessRecords(context, caller, kTimelineCall, {id});
  return timeline;
}

void RecordExitFollowUp(Context& context, const Caller& caller,
                        const ExitFollowUpQuery& query,
                        WriteDone<ExitFollowUp> done) {
  if (absl::Status s = CheckRole(caller, {Role::kCoach}, kExitFollowUpCall);
      !s.ok()) {
    return std::move(done)(s);
  }
  if (absl::Status s = CheckId(query.participant_id, "participant_id");
      !s.ok()) {
    return std::move(done)(s);
  }
  if (!query.situation) {
    return std::move(done)(absl::InvalidArgumentError("situation: required"));
  }
  SubmitWrite<ExitFollowUp>(
      context,
      [&context, caller,
       query](WorkingSnapshot& working) -> absl::StatusOr<ExitFollowUp> {
        std::shared_ptr<const Snapshot> snapshot = working.Current();
        absl::StatusOr<const Participant*> participant =
            ParticipantForCaller(*snapshot, caller, query.participant_id);
        if (!participant.ok()) return participant.status();
        const absl::Time now = context.now();
        const Date today = SwedishDate(now);
        const Date checked_on =
            query.checked_on.year == 0 ? today : query.checked_on;
        if (absl::Status s = CheckExitFollowUp(**participant, checked_on, today,
                                               "checked_on");
            !s.ok()) {
          return s;
        }
        ExitFollowUp follow_up{.participant_id = (*participant)->id,
                               .situation = *query.situation,
                               .checked_on = checked_on,
                               .exit_date = *(*participant)->exit_date,
                               .recorded_by = caller.principal,
                               .recorded_at = now};
        if (absl::Status s = context.store->SaveExitFollowUp(follow_up);
            !s.ok()) {
          return s;
        }
        if (absl::Status s = Log(context, caller, kExitFollowUpCall,
                                 follow_up.participant_id);
            !s.ok()) {
          return s;
        }
        return follow_up;
      },
      std::move(done));
}

absl::StatusOr<ExitFollowUp> RecordExitFollowUp(
    Context& context, const Caller& caller, const ExitFollowUpQuery& query) {
  return Await<ExitFollowUp>([&](WriteDone<ExitFollowUp> done) {
    RecordExitFollowUp(context, caller, query, std::move(done));
  });
}

absl::StatusOr<OpeningPlacementCounts> GetOpeningPlacementCounts(
    Context& context, const Caller& caller, absl::string_view opening_id) {
  if (absl::Status s = CheckRole(
          caller, {Role::kEmployerContact, Role::kOperator, Role::kAdmin},
          "PlacementService.GetOpeningPlacementCounts");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckId(opening_id, "opening_id"); !s.ok()) return s;
  if (!context.snapshots->Current()->FindOpening(opening_id)) {
    return absl::NotFoundError(
        absl::StrCat("opening_id: '", opening_id, "' does not exist"));
  }
  absl::StatusOr<std::vector<PlacementRecord>> placements =
      context.store->ListPlacements(
          {.opening_id = std::string(opening_id), .limit = 1'000'000});
  if (!placements.ok()) return placements.status();
  return CountPlacements(*placements);
}

}  // namespace placement::app
