// CoachService: a job coach's view of one participant of their caseload:
// the best next openings with their reasons, and the explanation of any
// pair. Coaches see every reason, support needs included.
// Proposals (ListProposals, DecideProposal) arrive with the overnight
// rematch; until then they answer UNIMPLEMENTED.
//
// Thread safety: thread-safe; queries read the current snapshot.

#ifndef PLACEMENT_SERVICE_COACH_SERVICE_H_
#define PLACEMENT_SERVICE_COACH_SERVICE_H_

#include "placement/v1/coach_service.grpc.pb.h"
#include "service/rpc_support.h"

namespace placement::service {

class CoachService final : public v1::CoachService::CallbackService {
 public:
  static constexpr uint32_t kDefaultK = 10;
  static constexpr uint32_t kMaxK = 100;

  explicit CoachService(ServiceContext& context) : context_(context) {}

  grpc::ServerUnaryReactor* SuggestOpenings(
      grpc::CallbackServerContext* server_context,
      const v1::SuggestOpeningsRequest* request,
      v1::SuggestOpeningsResponse* response) override;
  grpc::ServerUnaryReactor* ExplainMatch(
      grpc::CallbackServerContext* server_context,
      const v1::ExplainMatchRequest* request, v1::Match* response) override;

 private:
  absl::Status Suggest(const grpc::CallbackServerContext& server_context,
                       const v1::SuggestOpeningsRequest& request,
                       v1::SuggestOpeningsResponse& response);
  absl::Status Explain(const grpc::CallbackServerContext& server_context,
                       const v1::ExplainMatchRequest& request,
                       v1::Match& response);

  ServiceContext& context_;
};

}  // namespace placement::service

#endif  // PLACEMENT_SERVICE_COACH_SERVICE_H_
