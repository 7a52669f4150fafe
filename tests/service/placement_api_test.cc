// PlacementService end to end on a real server over loopback: a coach holds
// a place, starts the placement from the hold and ends it; the timeline
// shows it; the employer sees the hold and the placement as counts only.

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "placement/v1/coach_service.grpc.pb.h"
#include "placement/v1/employer_service.grpc.pb.h"
#include "placement/v1/placement_service.grpc.pb.h"
#include "placement/v1/registry_service.grpc.pb.h"
#include "tests/testing/running_server.h"

namespace placement::service {
namespace {

using ::placement::testing::CallAs;
using ::placement::testing::kCoachToken;
using ::placement::testing::kEmployerToken;
using ::placement::testing::kOtherCoachToken;
using ::placement::testing::RunningServer;
using ::placement::testing::ScratchDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(PlacementApiTest, HoldStartEndTimelineAndCounts) {
  ScratchDir scratch;
  RunningServer server(scratch);
  auto registry = v1::ParticipantRegistry::NewStub(server.channel());
  auto coach = v1::CoachService::NewStub(server.channel());
  auto placements = v1::PlacementService::NewStub(server.channel());
  auto employer = v1::EmployerService::NewStub(server.channel());

  // An active participant of the coach's caseload with an eligible opening.
  v1::ListParticipantsRequest list;
  list.add_statuses(v1::PARTICIPANT_STATUS_ACTIVE);
  v1::ListParticipantsResponse caseload;
  ASSERT_TRUE(
      registry->ListParticipants(CallAs(kCoachToken).get(), list, &caseload)
          .ok());
  std::string participant;
  std::string opening;
  for (const v1::Participant& p : caseload.participants()) {
    v1::SuggestOpeningsRequest suggest;
    suggest.set_participant_id(p.id());
    suggest.set_k(1);
    v1::SuggestOpeningsResponse suggested;
    ASSERT_TRUE(
        coach->SuggestOpenings(CallAs(kCoachToken).get(), suggest, &suggested)
            .ok());
    if (suggested.suggestions_size() > 0) {
      participant = p.id();
      opening = suggested.suggestions(0).opening_id();
      break;
    }
  }
  ASSERT_FALSE(participant.empty()) << "no participant with a suggestion";

  v1::HoldPlaceRequest hold_request;
  hold_request.set_participant_id(participant);
  hold_request.set_opening_id(opening);
  hold_request.set_working_days(2);
  v1::Hold hold;
  grpc::Status status =
      placements->HoldPlace(CallAs(kCoachToken).get(), hold_request, &hold);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(hold.state(), v1::HOLD_STATE_ACTIVE);
  // Another coach may not touch this caseload.
  v1::Hold refused;
  status = placements->HoldPlace(CallAs(kOtherCoachToken).get(), hold_request,
                                 &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // The employer sees one place held, never by whom.
  v1::GetOpeningRequest get_opening;
  get_opening.set_opening_id(opening);
  v1::Opening shown;
  ASSERT_TRUE(
      employer->GetOpening(CallAs(kEmployerToken).get(), get_opening, &shown)
          .ok());
  EXPECT_EQ(shown.places_held(), 1u);
  const uint32_t taken_before = shown.places_taken();

  v1::ListHoldsRequest list_holds;
  v1::ListHoldsResponse holds;
  ASSERT_TRUE(
      placements->ListHolds(CallAs(kCoachToken).get(), list_holds, &holds)
          .ok());
  ASSERT_EQ(holds.holds_size(), 1);
  EXPECT_EQ(holds.holds(0).hold_id(), hold.hold_id());

  v1::StartPlacementRequest start;
  start.set_participant_id(participant);
  start.set_hold_id(hold.hold_id());
  v1::StartPlacementResponse started;
  status =
      placements->StartPlacement(CallAs(kCoachToken).get(), start, &started);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(started.placement().source(), v1::PLACEMENT_SOURCE_HOLD);
  EXPECT_EQ(started.participant().status(), v1::PARTICIPANT_STATUS_PLACED);
  EXPECT_TRUE(started.participant().has_updated_at());

  v1::EndPlacementRequest end;
  end.set_placement_id(started.placement().placement_id());
  end.set_outcome(v1::PLACEMENT_OUTCOME_INTERRUPTED_HEALTH);
  v1::PlacementRecord ended;
  status = placements->EndPlacement(CallAs(kCoachToken).get(), end, &ended);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(ended.outcome(), v1::PLACEMENT_OUTCOME_INTERRUPTED_HEALTH);
  status = placements->EndPlacement(CallAs(kCoachToken).get(), end, &ended);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  v1::GetTimelineRequest timeline_request;
  timeline_request.set_participant_id(participant);
  v1::GetTimelineResponse timeline;
  ASSERT_TRUE(
      placements
          ->GetTimeline(CallAs(kCoachToken).get(), timeline_request, &timeline)
          .ok());
  std::vector<v1::TimelineEventKind> kinds;
  for (const v1::TimelineEvent& e : timeline.events())
    kinds.push_back(e.kind());
  EXPECT_THAT(kinds, ElementsAre(v1::TIMELINE_EVENT_KIND_HOLD_PLACED,
                                 v1::TIMELINE_EVENT_KIND_HOLD_STARTED,
                                 v1::TIMELINE_EVENT_KIND_PLACEMENT_STARTED,
                                 v1::TIMELINE_EVENT_KIND_PLACEMENT_ENDED));
  EXPECT_EQ(timeline.events(3).outcome(),
            v1::PLACEMENT_OUTCOME_INTERRUPTED_HEALTH);
  status = placements->GetTimeline(CallAs(kOtherCoachToken).get(),
                                   timeline_request, &timeline);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // Counts only, the health reason as a neutral interruption.
  v1::GetOpeningPlacementCountsRequest counts_request;
  counts_request.set_opening_id(opening);
  v1::OpeningPlacementCounts counts;
  status = placements->GetOpeningPlacementCounts(CallAs(kEmployerToken).get(),
                                                 counts_request, &counts);
  ASSERT_TRUE(status.ok()) << status.error_message();
  // Places the demo data imported as taken have no placement record.
  EXPECT_EQ(counts.current(), 0u);
  EXPECT_EQ(counts.ended(), 1u);
  EXPECT_EQ(counts.interrupted(), 1u);
  EXPECT_EQ(counts.places_held(), 0u);
  EXPECT_THAT(counts.DebugString(), ::testing::Not(HasSubstr(participant)));
  EXPECT_THAT(counts.DebugString(), ::testing::Not(HasSubstr("health")));
  ASSERT_TRUE(
      employer->GetOpening(CallAs(kEmployerToken).get(), get_opening, &shown)
          .ok());
  EXPECT_EQ(shown.places_taken(), taken_before);
  EXPECT_EQ(shown.places_held(), 0u);
  EXPECT_TRUE(shown.has_updated_at());
}

}  // namespace
}  // namespace placement::service
