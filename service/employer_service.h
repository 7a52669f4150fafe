// EmployerService: the employer-contact view. Publish and maintain openings
// through their life cycle (DRAFT -> OPEN <-> PAUSED -> CLOSED, closing is
// final), rank candidates for an opening, and report supply gaps per
// municipality. Each handler authorises, converts the request, calls its
// use case in app/employer.h and converts the answer; the use cases hold the
// rules, the roles and the guarantee that no reply carries support needs.
// UpdateOpening's field mask is a protobuf concept and is checked and merged
// here, under the use case's write lock (app::OpeningEditor).
//
// Thread safety: thread-safe; handlers run on gRPC's callback threads.

#ifndef PLACEMENT_SERVICE_EMPLOYER_SERVICE_H_
#define PLACEMENT_SERVICE_EMPLOYER_SERVICE_H_

#include <vector>

#include "app/employer.h"
#include "placement/v1/employer_service.grpc.pb.h"
#include "service/parsed_requests.h"
#include "service/rpc_support.h"

namespace placement::service {

class EmployerService final : public ParsesRequests<v1::EmployerService> {
 public:
  explicit EmployerService(ServiceContext& context) : context_(context) {
    ParseRequestsOf("PublishOpening", &EmployerService::PublishOpening);
    ParseRequestsOf("UpdateOpening", &EmployerService::UpdateOpening);
    ParseRequestsOf("PauseOpening", &EmployerService::PauseOpening);
    ParseRequestsOf("ReopenOpening", &EmployerService::ReopenOpening);
    ParseRequestsOf("CloseOpening", &EmployerService::CloseOpening);
    ParseRequestsOf("GetOpening", &EmployerService::GetOpening);
    ParseRequestsOf("ListOpenings", &EmployerService::ListOpenings);
    ParseRequestsOf("SuggestCandidates", &EmployerService::SuggestCandidates);
    ParseRequestsOf("GetSupplyGaps", &EmployerService::GetSupplyGaps);
  }

  grpc::ServerUnaryReactor* PublishOpening(
      grpc::CallbackServerContext* server_context,
      const v1::PublishOpeningRequest* request, v1::Opening* response) override;
  grpc::ServerUnaryReactor* UpdateOpening(
      grpc::CallbackServerContext* server_context,
      const v1::UpdateOpeningRequest* request, v1::Opening* response) override;
  grpc::ServerUnaryReactor* PauseOpening(
      grpc::CallbackServerContext* server_context,
      const v1::PauseOpeningRequest* request, v1::Opening* response) override;
  grpc::ServerUnaryReactor* ReopenOpening(
      grpc::CallbackServerContext* server_context,
      const v1::ReopenOpeningRequest* request, v1::Opening* response) override;
  grpc::ServerUnaryReactor* CloseOpening(
      grpc::CallbackServerContext* server_context,
      const v1::CloseOpeningRequest* request, v1::Opening* response) override;
  grpc::ServerUnaryReactor* GetOpening(
      grpc::CallbackServerContext* server_context,
      const v1::GetOpeningRequest* request, v1::Opening* response) override;
  grpc::ServerUnaryReactor* ListOpenings(
      grpc::CallbackServerContext* server_context,
      const v1::ListOpeningsRequest* request,
      v1::ListOpeningsResponse* response) override;
  grpc::ServerUnaryReactor* SuggestCandidates(
      grpc::CallbackServerContext* server_context,
      const v1::SuggestCandidatesRequest* request,
      v1::SuggestCandidatesResponse* response) override;
  grpc::ServerUnaryReactor* GetSupplyGaps(
      grpc::CallbackServerContext* server_context,
      const v1::GetSupplyGapsRequest* request,
      v1::GetSupplyGapsResponse* response) override;

 private:
  // Fills the response and the access records it needs (RespondWhenLogged).
  absl::Status Suggest(const grpc::CallbackServerContext& server_context,
                       const v1::SuggestCandidatesRequest& request,
                       v1::SuggestCandidatesResponse& response,
                       std::vector<store::AccessRecord>& to_log);

  ServiceContext& context_;
};

}  // namespace placement::service

#endif  // PLACEMENT_SERVICE_EMPLOYER_SERVICE_H_
