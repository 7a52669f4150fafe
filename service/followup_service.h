// FollowUpService: follow-up of outcomes and decisions for operators and
// admins (proto/placement/v1/followup_service.proto). Each handler
// authorises, converts the request, calls its use case (app/followup.h,
// app/funnel.h) and converts the answer.
//
// Thread safety: thread-safe.

#ifndef PLACEMENT_SERVICE_FOLLOWUP_SERVICE_H_
#define PLACEMENT_SERVICE_FOLLOWUP_SERVICE_H_

#include "app/followup.h"
#include "app/funnel.h"
#include "placement/v1/followup_service.grpc.pb.h"
#include "service/parsed_requests.h"
#include "service/rpc_support.h"

namespace placement::service {

class FollowUpService final : public ParsesRequests<v1::FollowUpService> {
 public:
  explicit FollowUpService(ServiceContext& context) : context_(context) {
    ParseRequestsOf("GetFollowUpReport", &FollowUpService::GetFollowUpReport);
    ParseRequestsOf("GetDecisionFunnel", &FollowUpService::GetDecisionFunnel);
  }

  grpc::ServerUnaryReactor* GetFollowUpReport(
      grpc::CallbackServerContext* server,
      const v1::GetFollowUpReportRequest* request,
      v1::FollowUpReport* response) override;

  grpc::ServerUnaryReactor* GetDecisionFunnel(
      grpc::CallbackServerContext* server,
      const v1::GetDecisionFunnelRequest* request,
      v1::DecisionFunnel* response) override;

 private:
  ServiceContext& context_;
};

// The engine's report as the API's message (generated_at left unset).
void ToProto(const FollowUpReport& report, v1::FollowUpReport& out);
// The engine's funnel as the API's message.
void ToProto(const DecisionFunnel& funnel, v1::DecisionFunnel& out);

}  // namespace placement::service

#endif  // PLACEMENT_SERVICE_FOLLOWUP_SERVICE_H_
