#include "service/registry_service.h"

#include "absl/strings/str_cat.h"
#include "proto/convert.h"

namespace placement::service {
namespace {

// Only the participant's coach sees support needs and follow-up data.
void Redact(v1::Participant& participant) {
  participant.clear_support_needs();
  participant.clear_follow_up();
  participant.set_sensitive_fields_redacted(true);
}

}  // namespace

grpc::ServerUnaryReactor* RegistryService::UpsertParticipant(
    grpc::CallbackServerContext* server_context,
    const v1::UpsertParticipantRequest* request, v1::Participant* response) {
  return Respond(server_context,
                 [&] { return Upsert(*server_context, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::UpdateParticipant(
    grpc::CallbackServerContext* server_context,
    const v1::UpdateParticipantRequest* request, v1::Participant* response) {
  return Respond(server_context,
                 [&] { return Update(*server_context, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::GetParticipant(
    grpc::CallbackServerContext* server_context,
    const v1::GetParticipantRequest* request, v1::Participant* response) {
  return Respond(server_context,
                 [&] { return Get(*server_context, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::ListParticipants(
    grpc::CallbackServerContext* server_context,
    const v1::ListParticipantsRequest* request,
    v1::ListParticipantsResponse* response) {
  return Respond(server_context,
                 [&] { return List(*server_context, *request, *response); });
}

grpc::ServerUnaryReactor* RegistryService::EraseParticipant(
    grpc::CallbackServerContext* server_context,
    const v1::EraseParticipantRequest* request,
    v1::EraseParticipantResponse* response) {
  return Respond(server_context,
                 [&] { return Erase(*server_context, *request, *response); });
}

absl::Status RegistryService::Upsert(
    const grpc::CallbackServerContext& server_context,
    const v1::UpsertParticipantRequest& request, v1::Participant& response) {
  constexpr absl::string_view kCall = "ParticipantRegistry.UpsertParticipant";
  absl::StatusOr<Caller> caller =
      Authorize(context_, server_context, {Role::kCoach}, kCall);
  if (!caller.ok()) return caller.status();
  if (!request.has_participant()) {
    return absl::InvalidArgumentError("participant: required");
  }
  absl::StatusOr<Participant> participant =
      Checked(*caller, request.participant());
  if (!participant.ok()) return participant.status();
  {
    MutexLock lock(&context_.write_mutex);
    std::shared_ptr<const Snapshot> current = context_.snapshots->Current();
    if (std::optional<int> existing =
            current->FindParticipant(participant->id)) {
      if (absl::Status s = app::CheckCaseload(*caller, participant->id,
                                         &current->participant(*existing));
          !s.ok()) {
        return s;
      }
    }
    if (absl::Status s = Save(*participant); !s.ok()) return s;
  }
  if (absl::Status s = LogAccess(context_, *caller, kCall, participant->id);
      !s.ok())
    return s;
  ToProto(*participant, response);
  return absl::OkStatus();
}

absl::Status RegistryService::Update(
    const grpc::CallbackServerContext& server_context,
    const v1::UpdateParticipantRequest& request, v1::Participant& response) {
  constexpr absl::string_view kCall = "ParticipantRegistry.UpdateParticipant";
  // Participant fields an update may not name: the server maintains them, or
  // they identify the record.
  constexpr absl::string_view kOutputOnly[] = {"updated_at",
                                               "sensitive_fields_redacted"};
  constexpr absl::string_view kImmutable[] = {"id"};
  absl::StatusOr<Caller> caller =
      Authorize(context_, server_context, {Role::kCoach}, kCall);
  if (!caller.ok()) return caller.status();
  const std::string& id = request.participant().id();
  if (absl::Status s = CheckId(id, "participant.id"); !s.ok()) return s;
  if (absl::Status s =
          CheckUpdateMask(request.update_mask(), *v1::Participant::descriptor(),
                          kOutputOnly, kImmutable, "max_travel_minutes");
      !s.ok()) {
    return s;
  }
  Participant participant;
  {
    MutexLock lock(&context_.write_mutex);
    std::shared_ptr<const Snapshot> current = context_.snapshots->Current();
    absl::StatusOr<const Participant*> stored =
        app::ParticipantForCaller(*current, *caller, id);
    if (!stored.ok()) return stored.status();
    v1::Participant merged;
    ToProto(**stored, merged);
    MergeMasked(request.participant(), request.update_mask(), merged);
    absl::StatusOr<Participant> checked = Checked(*caller, merged);
    if (!checked.ok()) return checked.status();
    participant = *std::move(checked);
    if (participant != **stored) {
      if (absl::Status s = Save(participant); !s.ok()) return s;
    }
  }
  if (absl::Status s = LogAccess(context_, *caller, kCall, participant.id);
      !s.ok())
    return s;
  ToProto(participant, response);
  return absl::OkStatus();
}

absl::StatusOr<Participant> RegistryService::Checked(
    const Caller& caller, const v1::Participant& proto) const {
  absl::StatusOr<Participant> participant = FromProto(proto, "participant");
  if (!participant.ok()) return participant.status();
  // Coordinates are optional: the municipality's main town stands in.
  if (!proto.home().has_point()) {
    if (std::optional<int> m = context_.reference->municipalities.Find(
            participant->municipality_code)) {
      participant->home = context_.reference->municipalities.all()[*m].centre;
    }
  }
  if (absl::Status s = ParticipantProblems(
          CheckParticipant(*participant, *context_.reference), "participant");
      !s.ok()) {
    return s;
  }
  // A coach may create participants only in their own caseload, and may not
  // take over someone else's.
  if (participant->coach_id != caller.principal) {
    return absl::PermissionDeniedError(absl::StrCat(
        "participant.coach_id: '", participant->coach_id,
        "' is not you; coaches add participants to their own caseload"));
  }
  return participant;
}

absl::Status RegistryService::Save(const Participant& participant) {
  if (absl::Status s = context_.store->UpsertParticipants({participant});
      !s.ok())
    return s;
  context_.snapshots->Update(
      [&](const std::shared_ptr<const Snapshot>& snapshot) {
        return snapshot->WithParticipant(participant);
      });
  return absl::OkStatus();
}

absl::Status RegistryService::Get(
    const grpc::CallbackServerContext& server_context,
    const v1::GetParticipantRequest& request, v1::Participant& response) {
  constexpr absl::string_view kCall = "ParticipantRegistry.GetParticipant";
  absl::StatusOr<Caller> caller =
      Authorize(context_, server_context, {Role::kCoach, Role::kAdmin}, kCall);
  if (!caller.ok()) return caller.status();
  std::shared_ptr<const Snapshot> snapshot = context_.snapshots->Current();
  absl::StatusOr<const Participant*> found =
      app::ParticipantForCaller(*snapshot, *caller, request.participant_id());
  if (!found.ok()) return found.status();
  const Participant* participant = *found;
  if (absl::Status s = LogAccess(context_, *caller, kCall, participant->id);
      !s.ok())
    return s;
  ToProto(*participant, response);
  if (caller->role != Role::kCoach) Redact(response);
  return absl::OkStatus();
}

absl::Status RegistryService::List(
    const grpc::CallbackServerContext& server_context,
    const v1::ListParticipantsRequest& request,
    v1::ListParticipantsResponse& response) {
  constexpr absl::string_view kCall = "ParticipantRegistry.ListParticipants";
  absl::StatusOr<Caller> caller =
      Authorize(context_, server_context, {Role::kCoach, Role::kAdmin}, kCall);
  if (!caller.ok()) return caller.status();
  const uint32_t page_size = static_cast<uint32_t>(PageSize(request.page()));
  std::vector<ParticipantStatus> statuses;
  for (int i = 0; i < request.statuses_size(); ++i) {
    absl::StatusOr<ParticipantStatus> status = ParticipantStatusFromProto(
        request.statuses(i), absl::StrCat("statuses[", i, "]"));
    if (!status.ok()) return status.status();
    statuses.push_back(*status);
  }
  // Coaches see their own caseload whatever coach_id they ask for.
  const std::string coach =
      caller->role == Role::kCoach ? caller->principal : request.coach_id();

  std::shared_ptr<const Snapshot> snapshot = context_.snapshots->Current();
  const std::string& after = request.page().page_token();
  int index = 0;
  if (!after.empty()) {
    // Page tokens are the last id of the previous page; records are in id
    // order.
    int low = 0;
    int high = snapshot->participant_count();
    while (low < high) {
      const int middle = (low + high) / 2;
      if (snapshot->participant(middle).id <= after) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    index = low;
  }
  std::vector<const Participant*> page;
  for (; index < snapshot->participant_count(); ++index) {
    const Participant& p = snapshot->participant(index);
    if (!coach.empty() && p.coach_id != coach) continue;
    if (!statuses.empty() && std::find(statuses.begin(), statuses.end(),
                                       p.status) == statuses.end()) {
      continue;
    }
    if (page.size() == page_size) {
      response.set_next_page_token(page.back()->id);
      break;
    }
    page.push_back(&p);
  }
  std::vector<std::string> ids;
  for (const Participant* p : page) ids.push_back(p->id);
  if (absl::Status s = LogAccess(context_, *caller, kCall, ids); !s.ok())
    return s;
  const bool redact = caller->role != Role::kCoach;
  for (const Participant* p : page) {
    v1::Participant* out = response.add_participants();
    ToProto(*p, *out);
    if (redact) Redact(*out);
  }
  return absl::OkStatus();
}

absl::Status RegistryService::Erase(
    const grpc::CallbackServerContext& server_context,
    const v1::EraseParticipantRequest& request,
    v1::EraseParticipantResponse& response) {
  constexpr absl::string_view kCall = "ParticipantRegistry.EraseParticipant";
  absl::StatusOr<Caller> caller =
      Authorize(context_, server_context, {Role::kAdmin}, kCall);
  if (!caller.ok()) return caller.status();
  if (request.participant_id().empty()) {
    return absl::InvalidArgumentError("participant_id: required");
  }
  store::ErasureCounts counts;
  {
    MutexLock lock(&context_.write_mutex);
    absl::StatusOr<store::ErasureCounts> erased =
        context_.store->EraseParticipant(request.participant_id());
    if (!erased.ok()) return erased.status();
    counts = *erased;
    context_.snapshots->Update(
        [&](const std::shared_ptr<const Snapshot>& snapshot) {
          std::shared_ptr<const Snapshot> updated =
              snapshot->WithoutParticipant(request.participant_id());
          for (const Opening& opening : counts.released_openings) {
            updated = updated->WithOpening(opening);
          }
          return updated;
        });
  }
  // The log records that an erasure happened, never whom it concerned.
  if (absl::Status s = LogAccess(context_, *caller, kCall, "erased"); !s.ok())
    return s;
  response.set_participant_id(request.participant_id());
  response.set_participants_removed(static_cast<uint32_t>(counts.participants));
  response.set_proposals_removed(static_cast<uint32_t>(counts.proposals));
  response.set_places_released(static_cast<uint32_t>(counts.placements));
  return absl::OkStatus();
}

}  // namespace placement::service
