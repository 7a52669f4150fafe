// PlacementService: holds, placements, the participant's timeline, an
// opening's placement counts and the situation after exit
// (proto/placement/v1/placement_service.proto). Each handler authorises,
// converts the request, calls its use case in app/placements.h and converts the
// answer.
//
// Thread safety: thread-safe.

#ifndef PLACEMENT_SERVICE_PLACEMENT_SERVICE_H_
#define PLACEMENT_SERVICE_PLACEMENT_SERVICE_H_

#include "app/placements.h"
#include "placement/v1/placement_service.grpc.pb.h"
#include "service/parsed_requests.h"
#include "service/rpc_support.h"

namespace placement::service {

class PlacementService final : public ParsesRequests<v1::PlacementService> {
 public:
  explicit PlacementService(ServiceContext& context) : context_(context) {
    ParseRequestsOf("HoldPlace", &PlacementService::HoldPlace);
    ParseRequestsOf("ReleaseHold", &PlacementService::ReleaseHold);
    ParseRequestsOf("ListHolds", &PlacementService::ListHolds);
    ParseRequestsOf("StartPlacement", &PlacementService::StartPlacement);
    ParseRequestsOf("EndPlacement", &PlacementService::EndPlacement);
    ParseRequestsOf("GetTimeline", &PlacementService::GetTimeline);
    ParseRequestsOf("GetOpeningPlacementCounts",
                    &PlacementService::GetOpeningPlacementCounts);
    ParseRequestsOf("RecordExitFollowUp",
                    &PlacementService::RecordExitFollowUp);
  }

  grpc::ServerUnaryReactor* HoldPlace(grpc::CallbackServerContext* server,
                                      const v1::HoldPlaceRequest* request,
                                      v1::Hold* response) override;
  grpc::ServerUnaryReactor* ReleaseHold(grpc::CallbackServerContext* server,
                                        const v1::ReleaseHoldRequest* request,
                                        v1::Hold* response) override;
  grpc::ServerUnaryReactor* ListHolds(grpc::CallbackServerContext* server,
                                      const v1::ListHoldsRequest* request,
                                      v1::ListHoldsResponse* response) override;
  grpc::ServerUnaryReactor* StartPlacement(
      grpc::CallbackServerContext* server,
      const v1::StartPlacementRequest* request,
      v1::StartPlacementResponse* response) override;
  grpc::ServerUnaryReactor* EndPlacement(
      grpc::CallbackServerContext* server,
      const v1::EndPlacementRequest* request,
      v1::PlacementRecord* response) override;
  grpc::ServerUnaryReactor* GetTimeline(
      grpc::CallbackServerContext* server,
      const v1::GetTimelineRequest* request,
      v1::GetTimelineResponse* response) override;
  grpc::ServerUnaryReactor* GetOpeningPlacementCounts(
      grpc::CallbackServerContext* server,
      const v1::GetOpeningPlacementCountsRequest* request,
      v1::OpeningPlacementCounts* response) override;
  grpc::ServerUnaryReactor* RecordExitFollowUp(
      grpc::CallbackServerContext* server,
      const v1::RecordExitFollowUpRequest* request,
      v1::ExitFollowUp* response) override;

 private:
  ServiceContext& context_;
};

// Engine records as the API's messages.
void ToProto(const Hold& hold, v1::Hold& out);
void ToProto(const PlacementRecord& placement, v1::PlacementRecord& out);
void ToProto(const TimelineEvent& event, v1::TimelineEvent& out);
void ToProto(const ExitFollowUp& follow_up, v1::ExitFollowUp& out);

}  // namespace placement::service

#endif  // PLACEMENT_SERVICE_PLACEMENT_SERVICE_H_
