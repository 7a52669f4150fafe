// ParticipantRegistry: upsert, update (by field mask), get, list and erase
// participants; the use cases are in app/registry.h, which says who may call
// what. Coaches work on their own caseload; admins list (without support needs
// or follow-up attributes) and erase. Every read or change writes one
// access-log record per participant before the answer leaves. A write is
// acknowledged only after the store has committed it, and is then visible to
// every query that starts afterwards.
//
// Thread safety: thread-safe; handlers run on gRPC's callback threads.

#ifndef PLACEMENT_SERVICE_REGISTRY_SERVICE_H_
#define PLACEMENT_SERVICE_REGISTRY_SERVICE_H_

#include <vector>

#include "placement/v1/registry_service.grpc.pb.h"
#include "service/parsed_requests.h"
#include "service/rpc_support.h"

namespace placement::service {

class RegistryService final : public ParsesRequests<v1::ParticipantRegistry> {
 public:
  explicit RegistryService(ServiceContext& context) : context_(context) {
    ParseRequestsOf("UpsertParticipant", &RegistryService::UpsertParticipant);
    ParseRequestsOf("UpdateParticipant", &RegistryService::UpdateParticipant);
    ParseRequestsOf("GetParticipant", &RegistryService::GetParticipant);
    ParseRequestsOf("ListParticipants", &RegistryService::ListParticipants);
    ParseRequestsOf("EraseParticipant", &RegistryService::EraseParticipant);
  }

  grpc::ServerUnaryReactor* UpsertParticipant(
      grpc::CallbackServerContext* server_context,
      const v1::UpsertParticipantRequest* request,
      v1::Participant* response) override;
  grpc::ServerUnaryReactor* UpdateParticipant(
      grpc::CallbackServerContext* server_context,
      const v1::UpdateParticipantRequest* request,
      v1::Participant* response) override;
  grpc::ServerUnaryReactor* GetParticipant(
      grpc::CallbackServerContext* server_context,
      const v1::GetParticipantRequest* request,
      v1::Participant* response) override;
  grpc::ServerUnaryReactor* ListParticipants(
      grpc::CallbackServerContext* server_context,
      const v1::ListParticipantsRequest* request,
      v1::ListParticipantsResponse* response) override;
  grpc::ServerUnaryReactor* EraseParticipant(
      grpc::CallbackServerContext* server_context,
      const v1::EraseParticipantRequest* request,
      v1::EraseParticipantResponse* response) override;

 private:
  // Answers through `finish` (RespondWhenCommitted).
  void Upsert(const grpc::CallbackServerContext& server_context,
              const v1::UpsertParticipantRequest& request,
              v1::Participant& response, Finish finish);
  // Answers through `finish` (RespondWhenCommitted).
  void Update(const grpc::CallbackServerContext& server_context,
              const v1::UpdateParticipantRequest& request,
              v1::Participant& response, Finish finish);
  absl::Status Get(const grpc::CallbackServerContext& server_context,
                   const v1::GetParticipantRequest& request,
                   v1::Participant& response,
                   std::vector<store::AccessRecord>& to_log);
  absl::Status List(const grpc::CallbackServerContext& server_context,
                    const v1::ListParticipantsRequest& request,
                    v1::ListParticipantsResponse& response,
                    std::vector<store::AccessRecord>& to_log);
  // Answers through `finish` (RespondWhenCommitted).
  void Erase(const grpc::CallbackServerContext& server_context,
             const v1::EraseParticipantRequest& request,
             v1::EraseParticipantResponse& response, Finish finish);

  ServiceContext& context_;
};

}  // namespace placement::service

#endif  // PLACEMENT_SERVICE_REGISTRY_SERVICE_H_
