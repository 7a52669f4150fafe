// CoachService: a job coach's view of one participant of their caseload:
// the best next openings with their reasons, and the explanation of any
// pair. Coaches see every reason, support needs included.
// Proposals of the overnight rematch (ListProposals, DecideProposal) are
// listed and decided here, for the coach's own caseload only.
// Each handler authorises, converts the request, calls its use case in
// app/coach.h and converts the answer.
//
// Thread safety: thread-safe; queries read the current snapshot.

#ifndef PLACEMENT_SERVICE_COACH_SERVICE_H_
#define PLACEMENT_SERVICE_COACH_SERVICE_H_

#include "app/coach.h"
#include "placement/v1/coach_service.grpc.pb.h"
#include "service/parsed_requests.h"
#include "service/rpc_support.h"

namespace placement::service {

class CoachService final : public ParsesRequests<v1::CoachService> {
 public:
  explicit CoachService(ServiceContext& context) : context_(context) {
    ParseRequestsOf("SuggestOpenings", &CoachService::SuggestOpenings,
                    &suggest_allocator_);
    ParseRequestsOf("ExplainMatch", &CoachService::ExplainMatch);
    ParseRequestsOf("ListProposals", &CoachService::ListProposals);
    ParseRequestsOf("DecideProposal", &CoachService::DecideProposal);
  }

  grpc::ServerUnaryReactor* SuggestOpenings(
      grpc::CallbackServerContext* server_context,
      const v1::SuggestOpeningsRequest* request,
      v1::SuggestOpeningsResponse* response) override;
  grpc::ServerUnaryReactor* ExplainMatch(
      grpc::CallbackServerContext* server_context,
      const v1::ExplainMatchRequest* request, v1::Match* response) override;
  grpc::ServerUnaryReactor* ListProposals(
      grpc::CallbackServerContext* server_context,
      const v1::ListProposalsRequest* request,
      v1::ListProposalsResponse* response) override;
  grpc::ServerUnaryReactor* DecideProposal(
      grpc::CallbackServerContext* server_context,
      const v1::DecideProposalRequest* request,
      v1::Proposal* response) override;

 private:
  // Fill the response and the access records it needs (RespondWhenLogged).
  absl::Status Suggest(const grpc::CallbackServerContext& server_context,
                       const v1::SuggestOpeningsRequest& request,
                       v1::SuggestOpeningsResponse& response,
                       std::vector<store::AccessRecord>& to_log);
  absl::Status Explain(const grpc::CallbackServerContext& server_context,
                       const v1::ExplainMatchRequest& request,
                       v1::Match& response,
                       std::vector<store::AccessRecord>& to_log);

  ServiceContext& context_;
  ArenaMessageAllocator<Parsed<v1::SuggestOpeningsRequest>,
                        v1::SuggestOpeningsResponse>
      suggest_allocator_;
};

// The request as the use case's query. INVALID_ARGUMENT names the field:
// an unknown opening kind or language.
absl::StatusOr<app::SuggestQuery> SuggestQueryOf(
    const v1::SuggestOpeningsRequest& request);

// The use case's answer as the API's, texts in `language` (both when
// UNSPECIFIED). The explanations' texts are moved, not copied.
void ToProto(app::Suggestions suggestions, v1::Language language,
             v1::SuggestOpeningsResponse& out);

}  // namespace placement::service

#endif  // PLACEMENT_SERVICE_COACH_SERVICE_H_
