#include "service/registry_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "app/registry.h"
#include "proto/convert.h"

namespace placement::service {
namespace {

// The API form of a participant as the caller may see them: a redacted one
// has no support needs and no follow-up attributes at all.
void ToProto(const app::ShownParticipant& shown, v1::Participant& out) {
  placement::ToProto(shown.participant, out);
  if (shown.sensitive_fields_redacted) {
    out.clear_support_needs();
    out.clear_follow_up();
    out.set_sensitive_fields_redacted(true);
  }
}

// `proto` as the use cases take it: converted, with whether it gives the home
// coordinates.
absl::StatusOr<app::ParticipantDraft> DraftOf(const v1::Participant& proto) {
  absl::StatusOr<Participant> participant = FromProto(proto, "participant");
  if (!participant.ok()) return participant.status();
  return app::ParticipantDraft{.participant = *std::move(participant),
                               .home_point_given = proto.home().has_point()};
}

}  // namespace

grpc::ServerUnaryReactor* RegistryService::UpsertParticipant(
    grpc::CallbackServerContext* server_context,
    const v1::UpsertParticipantRequest* request, v1::Participant* response) {
  return RespondWhenCommitted(server_context, [&](Finish finish) {
    Upsert(*server_context, *request, *response, std::move(finish));
  });
}

grpc::ServerUnaryReactor* RegistryService::UpdateParticipant(
    grpc::CallbackServerContext* server_context,
    const v1::UpdateParticipantRequest* request, v1::Participant* response) {
  return RespondWhenCommitted(server_context, [&](Finish finish) {
    Update(*server_context, *request, *response, std::move(finish));
  });
}

grpc::ServerUnaryReactor* RegistryService::GetParticipant(
    grpc::CallbackServerContext* server_context,
    const v1::GetParticipantRequest* request, v1::Participant* response) {
  return RespondWhenLogged(
      context_, server_context, [&](std::vector<store::AccessRecord>& to_log) {
        return Get(*server_context, *request, *response, to_log);
      });
}

grpc::ServerUnaryReactor* RegistryService::ListParticipants(
    grpc::CallbackServerContext* server_context,
    const v1::ListParticipantsRequest* request,
    v1::ListParticipantsResponse* response) {
  return RespondWhenLogged(
      context_, server_context, [&](std::vector<store::AccessRecord>& to_log) {
        return List(*server_context, *request, *response, to_log);
      });
}

grpc::ServerUnaryReactor* RegistryService::EraseParticipant(
    grpc::CallbackServerContext* server_context,
    const v1::EraseParticipantRequest* request,
    v1::EraseParticipantResponse* response) {
  return RespondWhenCommitted(server_context, [&](Finish finish) {
    Erase(*server_context, *request, *response, std::move(finish));
  });
}

void RegistryService::Upsert(const grpc::CallbackServerContext& server_context,
                             const v1::UpsertParticipantRequest& request,
                             v1::Participant& response, Finish finish) {
  absl::StatusOr<Caller> caller =
      Authorize(context_, server_context, {Role::kCoach},
                "ParticipantRegistry.UpsertParticipant");
  if (!caller.ok()) return std::move(finish)(caller.status());
  if (!request.has_participant()) {
    return std::move(finish)(
        absl::InvalidArgumentError("participant: required"));
  }
  absl::StatusOr<app::ParticipantDraft> draft = DraftOf(request.participant());
  if (!draft.ok()) return std::move(finish)(draft.status());
  app::UpsertParticipant(context_, *caller, *std::move(draft),
                         [&response, finish = std::move(finish)](
                             absl::StatusOr<Participant> saved) mutable {
                           if (saved.ok()) placement::ToProto(*saved, response);
                           std::move(finish)(saved.status());
                         });
}

void RegistryService::Update(const grpc::CallbackServerContext& server_context,
                             const v1::UpdateParticipantRequest& request,
                             v1::Participant& response, Finish finish) {
  // Participant fields an update may not name: the server maintains them, or
  // they identify the record.
  constexpr absl::string_view kOutputOnly[] = {"updated_at",
                                               "sensitive_fields_redacted"};
  constexpr absl::string_view kImmutable[] = {"id"};
  absl::StatusOr<Caller> caller =
      Authorize(context_, server_context, {Role::kCoach},
                "ParticipantRegistry.UpdateParticipant");
  if (!caller.ok()) return std::move(finish)(caller.status());
  const std::string& id = request.participant().id();
  if (absl::Status s = CheckId(id, "participant.id"); !s.ok()) {
    return std::move(finish)(s);
  }
  if (absl::Status s =
          CheckUpdateMask(request.update_mask(), *v1::Participant::descriptor(),
                          kOutputOnly, kImmutable, "max_travel_minutes");
      !s.ok()) {
    return std::move(finish)(s);
  }
  // The mask is applied to the participant as stored, in their API form; the
  // request lives until the call finishes.
  app::UpdateParticipant(
      context_, *caller, id,
      [&request](
          const Participant& stored) -> absl::StatusOr<app::ParticipantDraft> {
        v1::Participant merged;
        placement::ToProto(stored, merged);
        MergeMasked(request.participant(), request.update_mask(), merged);
        return DraftOf(merged);
      },
      [&response, finish = std::move(finish)](
          absl::StatusOr<Participant> updated) mutable {
        if (updated.ok()) placement::ToProto(*updated, response);
        std::move(finish)(updated.status());
      });
}

absl::Status RegistryService::Get(
    const grpc::CallbackServerContext& server_context,
    const v1::GetParticipantRequest& request, v1::Participant& response,
    std::vector<store::AccessRecord>& to_log) {
  absl::StatusOr<Caller> caller =
      Authorize(context_, server_context, {Role::kCoach, Role::kAdmin},
                "ParticipantRegistry.GetParticipant");
  if (!caller.ok()) return caller.status();
  absl::StatusOr<app::ParticipantRead> read =
      app::GetParticipant(context_, *caller, request.participant_id());
  if (!read.ok()) return read.status();
  // The answer leaves once this record is on disk (RespondWhenLogged).
  to_log = std::move(read->access);
  ToProto(read->participant, response);
  return absl::OkStatus();
}

absl::Status RegistryService::List(
    const grpc::CallbackServerContext& server_context,
    const v1::ListParticipantsRequest& request,
    v1::ListParticipantsResponse& response,
    std::vector<store::AccessRecord>& to_log) {
  absl::StatusOr<Caller> caller =
      Authorize(context_, server_context, {Role::kCoach, Role::kAdmin},
                "ParticipantRegistry.ListParticipants");
  if (!caller.ok()) return caller.status();
  app::ParticipantQuery query;
  for (int i = 0; i < request.statuses_size(); ++i) {
    absl::StatusOr<ParticipantStatus> status = ParticipantStatusFromProto(
        request.statuses(i), absl::StrCat("statuses[", i, "]"));
    if (!status.ok()) return status.status();
    query.statuses.push_back(*status);
  }
  query.coach_id = request.coach_id();
  query.page_size = PageSize(request.page());
  query.page_token = request.page().page_token();
  absl::StatusOr<app::ParticipantPage> page =
      app::ListParticipants(context_, *caller, query);
  if (!page.ok()) return page.status();
  // The answer leaves once these records are on disk (RespondWhenLogged).
  to_log = std::move(page->access);
  for (const app::ShownParticipant& shown : page->participants) {
    ToProto(shown, *response.add_participants());
  }
  response.set_next_page_token(std::move(page->next_page_token));
  return absl::OkStatus();
}

void RegistryService::Erase(const grpc::CallbackServerContext& server_context,
                            const v1::EraseParticipantRequest& request,
                            v1::EraseParticipantResponse& response,
                            Finish finish) {
  absl::StatusOr<Caller> caller =
      Authorize(context_, server_context, {Role::kAdmin},
                "ParticipantRegistry.EraseParticipant");
  if (!caller.ok()) return std::move(finish)(caller.status());
  app::EraseParticipant(
      context_, *caller, request.participant_id(),
      [&request, &response, finish = std::move(finish)](
          absl::StatusOr<store::ErasureCounts> counts) mutable {
        if (counts.ok()) {
          response.set_participant_id(request.participant_id());
          response.set_participants_removed(
              static_cast<uint32_t>(counts->participants));
          response.set_proposals_removed(
              static_cast<uint32_t>(counts->proposals));
          response.set_places_released(
              static_cast<uint32_t>(counts->placements));
        }
        std::move(finish)(counts.status());
      });
}

}  // namespace placement::service
