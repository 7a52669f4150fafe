// EmployerService: the employer-contact view. Publish and maintain openings
// through their life cycle (DRAFT -> OPEN <-> PAUSED -> CLOSED, closing is
// final), rank candidates for an opening, and report supply gaps per
// municipality.
//
// No reply or error of this service carries a participant's support needs,
// health-related reasons, follow-up attributes or vetoes: candidates carry
// reasons of the SKILLS, STEP, TRAVEL and PREFERENCE components only, and
// supply gaps are suppressed aggregates (engine/supply_gaps.h).
//
// Writes go to the store first and then to the snapshot, under
// ServiceContext::write_mutex, so each is visible to every query that
// starts after it returns. Candidate lists are recorded in the access log,
// one record per participant returned.
//
// Thread safety: thread-safe; handlers run on gRPC's callback threads.

#ifndef PLACEMENT_SERVICE_EMPLOYER_SERVICE_H_
#define PLACEMENT_SERVICE_EMPLOYER_SERVICE_H_

#include "placement/v1/employer_service.grpc.pb.h"
#include "service/rpc_support.h"

namespace placement::service {

class EmployerService final : public v1::EmployerService::CallbackService {
 public:
  static constexpr uint32_t kDefaultK = 10;
  static constexpr uint32_t kMaxK = 100;
  static constexpr uint32_t kDefaultPageSize = 50;
  static constexpr uint32_t kMaxPageSize = 500;
  static constexpr int kMaxMunicipalityCodes = 300;
  static constexpr size_t kMaxCloseReasonCharacters = 500;

  explicit EmployerService(ServiceContext& context) : context_(context) {}

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
  absl::Status Publish(const grpc::CallbackServerContext& server_context,
                       const v1::PublishOpeningRequest& request,
                       v1::Opening& response);
  absl::Status Update(const grpc::CallbackServerContext& server_context,
                      const v1::UpdateOpeningRequest& request,
                      v1::Opening& response);
  absl::Status Pause(const grpc::CallbackServerContext& server_context,
                     const v1::PauseOpeningRequest& request,
                     v1::Opening& response);
  absl::Status Reopen(const grpc::CallbackServerContext& server_context,
                      const v1::ReopenOpeningRequest& request,
                      v1::Opening& response);
  absl::Status Close(const grpc::CallbackServerContext& server_context,
                     const v1::CloseOpeningRequest& request,
                     v1::Opening& response);
  absl::Status Get(const grpc::CallbackServerContext& server_context,
                   const v1::GetOpeningRequest& request, v1::Opening& response);
  absl::Status List(const grpc::CallbackServerContext& server_context,
                    const v1::ListOpeningsRequest& request,
                    v1::ListOpeningsResponse& response);
  absl::Status Suggest(const grpc::CallbackServerContext& server_context,
                       const v1::SuggestCandidatesRequest& request,
                       v1::SuggestCandidatesResponse& response);
  absl::Status Gaps(const grpc::CallbackServerContext& server_context,
                    const v1::GetSupplyGapsRequest& request,
                    v1::GetSupplyGapsResponse& response);

  // Stores `opening` and then puts it in the snapshot.
  absl::Status Commit(const Opening& opening)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(context_.write_mutex);
  // Puts an opening the store already holds in the snapshot.
  void ShowInSnapshot(const Opening& opening)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(context_.write_mutex);

  ServiceContext& context_;
};

}  // namespace placement::service

#endif  // PLACEMENT_SERVICE_EMPLOYER_SERVICE_H_
