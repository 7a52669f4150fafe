#include "service/placement_service.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "proto/convert.h"

namespace placement::service {
namespace {

using google::protobuf::util::TimeUtil;

void SetTime(absl::Time time, google::protobuf::Timestamp& out) {
  out = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

void SetDate(const Date& date, v1::Date& out) {
  out.set_year(static_cast<uint32_t>(date.year));
  out.set_month(static_cast<uint32_t>(date.month));
  out.set_day(static_cast<uint32_t>(date.day));
}

Date DateOf(const v1::Date& date) {
  return Date{.year = static_cast<int>(date.year()),
              .month = static_cast<int>(date.month()),
              .day = static_cast<int>(date.day())};
}

// Engine enums are 0-based; the API's lists them from 1.
template <typename ProtoEnum, typename EngineEnum>
ProtoEnum ProtoOf(EngineEnum value) {
  return static_cast<ProtoEnum>(static_cast<int>(value) + 1);
}

}  // namespace

void ToProto(const Hold& hold, v1::Hold& out) {
  out.set_hold_id(hold.id);
  out.set_participant_id(hold.participant_id);
  out.set_opening_id(hold.opening_id);
  out.set_coach_id(hold.coach_id);
  out.set_state(ProtoOf<v1::HoldState>(hold.state));
  SetTime(hold.created_at, *out.mutable_created_at());
  SetTime(hold.expires_at, *out.mutable_expires_at());
  if (hold.ended_at) SetTime(*hold.ended_at, *out.mutable_ended_at());
  out.set_placement_id(hold.placement_id);
}

void ToProto(const PlacementRecord& p, v1::PlacementRecord& out) {
  out.set_placement_id(p.id);
  out.set_participant_id(p.participant_id);
  out.set_opening_id(p.opening_id);
  out.set_source(ProtoOf<v1::PlacementSource>(p.source));
  out.set_source_id(p.source_id);
  out.set_started_by(p.started_by);
  SetDate(p.start_date, *out.mutable_start_date());
  if (p.end_date) SetDate(*p.end_date, *out.mutable_end_date());
  if (p.outcome) out.set_outcome(ProtoOf<v1::PlacementOutcome>(*p.outcome));
  if (p.moved_to_step >= 0) {
    out.set_moved_to_step(static_cast<uint32_t>(p.moved_to_step));
  }
  out.set_left_programme(p.left_programme);
  out.set_ended_by(p.ended_by);
}

void ToProto(const TimelineEvent& e, v1::TimelineEvent& out) {
  SetDate(e.on, *out.mutable_date());
  SetTime(e.at, *out.mutable_recorded_at());
  out.set_kind(ProtoOf<v1::TimelineEventKind>(e.kind));
  out.set_opening_id(e.opening_id);
  out.set_reference(e.reference);
  out.set_actor(e.actor);
  if (e.from_step >= 0) out.set_from_step(static_cast<uint32_t>(e.from_step));
  if (e.to_step >= 0) out.set_to_step(static_cast<uint32_t>(e.to_step));
  if (e.outcome) out.set_outcome(ProtoOf<v1::PlacementOutcome>(*e.outcome));
  out.set_note(e.note);
  if (e.situation) out.set_situation(ProtoOf<v1::ExitSituation>(*e.situation));
}

void ToProto(const ExitFollowUp& f, v1::ExitFollowUp& out) {
  out.set_participant_id(f.participant_id);
  out.set_situation(ProtoOf<v1::ExitSituation>(f.situation));
  SetDate(f.checked_on, *out.mutable_checked_on());
  SetDate(f.exit_date, *out.mutable_exit_date());
  out.set_recorded_by(f.recorded_by);
  SetTime(f.recorded_at, *out.mutable_recorded_at());
}

grpc::ServerUnaryReactor* PlacementService::HoldPlace(
    grpc::CallbackServerContext* server, const v1::HoldPlaceRequest* request,
    v1::Hold* response) {
  return RespondWhenCommitted(server, [&](Finish finish) {
    absl::StatusOr<Caller> caller = Authorize(context_, *server, {Role::kCoach},
                                              "PlacementService.HoldPlace");
    if (!caller.ok()) return std::move(finish)(caller.status());
    const uint32_t days = request->working_days();
    app::HoldPlace(
        context_, *caller,
        {.participant_id = request->participant_id(),
         .opening_id = request->opening_id(),
         .working_days = days > static_cast<uint32_t>(kMaxHoldWorkingDays)
                             ? kMaxHoldWorkingDays + 1  // refused by the rule
                             : static_cast<int>(days)},
        [response,
         finish = std::move(finish)](absl::StatusOr<Hold> hold) mutable {
          if (hold.ok()) ToProto(*hold, *response);
          std::move(finish)(hold.status());
        });
  });
}

grpc::ServerUnaryReactor* PlacementService::ReleaseHold(
    grpc::CallbackServerContext* server, const v1::ReleaseHoldRequest* request,
    v1::Hold* response) {
  return RespondWhenCommitted(server, [&](Finish finish) {
    absl::StatusOr<Caller> caller = Authorize(context_, *server, {Role::kCoach},
                                              "PlacementService.ReleaseHold");
    if (!caller.ok()) return std::move(finish)(caller.status());
    app::ReleaseHold(context_, *caller, request->hold_id(),
                     [response, finish = std::move(finish)](
                         absl::StatusOr<Hold> hold) mutable {
                       if (hold.ok()) ToProto(*hold, *response);
                       std::move(finish)(hold.status());
                     });
  });
}

grpc::ServerUnaryReactor* PlacementService::ListHolds(
    grpc::CallbackServerContext* server, const v1::ListHoldsRequest* request,
    v1::ListHoldsResponse* response) {
  return RespondWhenLogged(
      context_, server,
      [&](std::vector<store::AccessRecord>& to_log) -> absl::Status {
        absl::StatusOr<Caller> caller = Authorize(
            context_, *server, {Role::kCoach}, "PlacementService.ListHolds");
        if (!caller.ok()) return caller.status();
        if (!request->participant_id().empty()) {
          if (absl::Status s =
                  CheckId(request->participant_id(), "participant_id");
              !s.ok()) {
            return s;
          }
        }
        absl::StatusOr<app::HoldList> list =
            app::ListHolds(context_, *caller, request->participant_id());
        if (!list.ok()) return list.status();
        for (const Hold& hold : list->holds)
          ToProto(hold, *response->add_holds());
        to_log = std::move(list->access);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* PlacementService::StartPlacement(
    grpc::CallbackServerContext* server,
    const v1::StartPlacementRequest* request,
    v1::StartPlacementResponse* response) {
  return RespondWhenCommitted(server, [&](Finish finish) {
    absl::StatusOr<Caller> caller = Authorize(
        context_, *server, {Role::kCoach}, "PlacementService.StartPlacement");
    if (!caller.ok()) return std::move(finish)(caller.status());
    if (request->hold_id().empty() && request->opening_id().empty()) {
      return std::move(finish)(absl::InvalidArgumentError(
          "hold_id, opening_id: one of the two is required"));
    }
    app::StartQuery query{.participant_id = request->participant_id(),
                          .opening_id = request->opening_id(),
                          .hold_id = request->hold_id(),
                          .start_date = {}};
    if (request->has_start_date())
      query.start_date = DateOf(request->start_date());
    app::StartPlacement(
        context_, *caller, std::move(query),
        [response, finish = std::move(finish)](
            absl::StatusOr<store::PlacementChange> started) mutable {
          if (started.ok()) {
            ToProto(started->placement, *response->mutable_placement());
            placement::ToProto(started->participant,
                               *response->mutable_participant());
            response->set_expired_proposals(
                static_cast<uint32_t>(started->expired_proposals));
          }
          std::move(finish)(started.status());
        });
  });
}

grpc::ServerUnaryReactor* PlacementService::EndPlacement(
    grpc::CallbackServerContext* server, const v1::EndPlacementRequest* request,
    v1::PlacementRecord* response) {
  return RespondWhenCommitted(server, [&](Finish finish) {
    absl::StatusOr<Caller> caller = Authorize(context_, *server, {Role::kCoach},
                                              "PlacementService.EndPlacement");
    if (!caller.ok()) return std::move(finish)(caller.status());
    const int outcome = request->outcome();
    if (outcome < 1 || outcome > kPlacementOutcomeCount) {
      return std::move(finish)(absl::InvalidArgumentError(
          absl::StrCat("outcome: ", outcome, " is not a placement outcome")));
    }
    PlacementEnd end{.end_date = request->has_end_date()
                                     ? DateOf(request->end_date())
                                     : app::SwedishDate(context_.now()),
                     .outcome = static_cast<PlacementOutcome>(outcome - 1),
                     .to_step = request->has_to_step()
                                    ? static_cast<int>(std::min<uint32_t>(
                                          request->to_step(), kMaxStep + 1))
                                    : -1,
                     .leaves_programme = request->leaves_programme()};
    app::EndPlacement(
        context_, *caller, request->placement_id(), end,
        [response, finish = std::move(finish)](
            absl::StatusOr<store::PlacementChange> ended) mutable {
          if (ended.ok()) ToProto(ended->placement, *response);
          std::move(finish)(ended.status());
        });
  });
}

grpc::ServerUnaryReactor* PlacementService::GetTimeline(
    grpc::CallbackServerContext* server, const v1::GetTimelineRequest* request,
    v1::GetTimelineResponse* response) {
  return RespondWhenLogged(
      context_, server,
      [&](std::vector<store::AccessRecord>& to_log) -> absl::Status {
        absl::StatusOr<Caller> caller = Authorize(
            context_, *server, {Role::kCoach}, "PlacementService.GetTimeline");
        if (!caller.ok()) return caller.status();
        if (absl::Status s =
                CheckId(request->participant_id(), "participant_id");
            !s.ok()) {
          return s;
        }
        absl::StatusOr<app::Timeline> timeline =
            app::GetTimeline(context_, *caller, request->participant_id());
        if (!timeline.ok()) return timeline.status();
        for (const TimelineEvent& event : timeline->events) {
          ToProto(event, *response->add_events());
        }
        to_log = std::move(timeline->access);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* PlacementService::GetOpeningPlacementCounts(
    grpc::CallbackServerContext* server,
    const v1::GetOpeningPlacementCountsRequest* request,
    v1::OpeningPlacementCounts* response) {
  return Respond(server, [&]() -> absl::Status {
    absl::StatusOr<Caller> caller =
        Authorize(context_, *server,
                  {Role::kEmployerContact, Role::kOperator, Role::kAdmin},
                  "PlacementService.GetOpeningPlacementCounts");
    if (!caller.ok()) return caller.status();
    absl::StatusOr<OpeningPlacementCounts> counts =
        app::GetOpeningPlacementCounts(context_, *caller,
                                       request->opening_id());
    if (!counts.ok()) return counts.status();
    const auto by = [&](EmployerOutcome outcome) {
      return static_cast<uint32_t>(
          counts->ended_by_outcome[static_cast<size_t>(outcome)]);
    };
    response->set_opening_id(request->opening_id());
    response->set_current(static_cast<uint32_t>(counts->current));
    response->set_ended(static_cast<uint32_t>(counts->ended));
    response->set_completed(by(EmployerOutcome::kCompleted));
    response->set_moved_up(by(EmployerOutcome::kMovedUp));
    response->set_unsubsidised_work(by(EmployerOutcome::kUnsubsidisedWork));
    response->set_subsidised_work(by(EmployerOutcome::kSubsidisedWork));
    response->set_studies(by(EmployerOutcome::kStudies));
    response->set_interrupted(by(EmployerOutcome::kInterrupted));
    std::shared_ptr<const Snapshot> snapshot = app::LiveSnapshot(context_);
    if (std::optional<int> index =
            snapshot->FindOpening(request->opening_id())) {
      response->set_places_held(
          static_cast<uint32_t>(snapshot->opening(*index).places_held));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* PlacementService::RecordExitFollowUp(
    grpc::CallbackServerContext* server,
    const v1::RecordExitFollowUpRequest* request, v1::ExitFollowUp* response) {
  return RespondWhenCommitted(server, [&](Finish finish) {
    absl::StatusOr<Caller> caller =
        Authorize(context_, *server, {Role::kCoach},
                  "PlacementService.RecordExitFollowUp");
    if (!caller.ok()) return std::move(finish)(caller.status());
    const int situation = request->situation();
    if (situation == v1::EXIT_SITUATION_UNSPECIFIED) {
      return std::move(finish)(
          absl::InvalidArgumentError("situation: required"));
    }
    if (situation < 1 || situation > kExitSituationCount) {
      return std::move(finish)(absl::InvalidArgumentError(absl::StrCat(
          "situation: ", situation, " is not a situation after exit")));
    }
    app::ExitFollowUpQuery query{
        .participant_id = request->participant_id(),
        .situation = static_cast<ExitSituation>(situation - 1),
        .checked_on = {}};
    if (request->has_checked_on()) {
      query.checked_on = DateOf(request->checked_on());
    }
    app::RecordExitFollowUp(context_, *caller, query,
                            [response, finish = std::move(finish)](
                                absl::StatusOr<ExitFollowUp> recorded) mutable {
                              if (recorded.ok()) ToProto(*recorded, *response);
                              std::move(finish)(recorded.status());
                            });
  });
}

}  // namespace placement::service
