// PlacementService end to end on a real server over loopback: a coach holds
// a place, starts the placement from the hold and ends it; the timeline
// shows it; the employer sees the hold and the placement as counts only; the
// operator's follow-up report counts the placement (withheld, as one); the
// auditor sees the coach's reads and writes and the other coach's refusal.

#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "placement/v1/audit_service.grpc.pb.h"
#include "placement/v1/coach_service.grpc.pb.h"
#include "placement/v1/employer_service.grpc.pb.h"
#include "placement/v1/followup_service.grpc.pb.h"
#include "placement/v1/placement_service.grpc.pb.h"
#include "placement/v1/registry_service.grpc.pb.h"
#include "tests/testing/running_server.h"

namespace placement::service {
namespace {

using ::placement::testing::CallAs;
using ::placement::testing::kAuditorToken;
using ::placement::testing::kCoachToken;
using ::placement::testing::kEmployerToken;
using ::placement::testing::kOperatorToken;
using ::placement::testing::kOtherCoachToken;
using ::placement::testing::RunningServer;
using ::placement::testing::ScratchDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Placements started this year and last, by kind, in the operator's
// follow-up report.
v1::FollowUpReport ReportOfTheseTwoYears(v1::FollowUpService::Stub& stub) {
  const int year = static_cast<int>(
      absl::ToCivilYear(absl::Now(), absl::UTCTimeZone()).year());
  v1::GetFollowUpReportRequest request;
  request.mutable_from_date()->set_year(static_cast<uint32_t>(year - 1));
  request.mutable_from_date()->set_month(1);
  request.mutable_from_date()->set_day(1);
  request.mutable_to_date()->set_year(static_cast<uint32_t>(year));
  request.mutable_to_date()->set_month(12);
  request.mutable_to_date()->set_day(31);
  v1::FollowUpReport report;
  const grpc::Status status =
      stub.GetFollowUpReport(CallAs(kOperatorToken).get(), request, &report);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return report;
}

TEST(PlacementApiTest, HoldStartEndTimelineAndCounts) {
  ScratchDir scratch;
  RunningServer server(scratch);
  auto registry = v1::ParticipantRegistry::NewStub(server.channel());
  auto coach = v1::CoachService::NewStub(server.channel());
  auto placements = v1::PlacementService::NewStub(server.channel());
  auto employer = v1::EmployerService::NewStub(server.channel());
  auto follow_up = v1::FollowUpService::NewStub(server.channel());
  auto audit = v1::AuditService::NewStub(server.channel());
  // The demo data's places were imported as taken: no placement records.
  const v1::FollowUpReport before = ReportOfTheseTwoYears(*follow_up);
  for (const v1::FollowUpRow& row : before.placements_by_kind()) {
    EXPECT_FALSE(row.counts().total().withheld()) << row.key();
    EXPECT_EQ(row.counts().total().count(), 0u) << row.key();
  }

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

  // The report counts the one placement under its opening's kind: a count
  // of 1, so withheld; every other kind still 0.
  int withheld = 0;
  const v1::FollowUpReport after = ReportOfTheseTwoYears(*follow_up);
  for (const v1::FollowUpRow& row : after.placements_by_kind()) {
    if (row.counts().total().withheld()) {
      ++withheld;
    } else {
      EXPECT_EQ(row.counts().total().count(), 0u) << row.key();
    }
  }
  EXPECT_EQ(withheld, 1);

  // The auditor sees who read and changed the participant, and the other
  // coach's refusals.
  v1::ListAccessLogRequest log_request;
  log_request.set_participant_id(participant);
  v1::ListAccessLogResponse log;
  status = audit->ListAccessLog(CallAs(kAuditorToken).get(), log_request, &log);
  ASSERT_TRUE(status.ok()) << status.error_message();
  int coach_writes = 0;
  int coach_timelines = 0;
  int refusals = 0;
  for (const v1::AccessLogRecord& r : log.records()) {
    EXPECT_EQ(r.participant_id(), participant);
    if (r.outcome() == v1::ACCESS_OUTCOME_DENIED) {
      ++refusals;
      EXPECT_EQ(r.principal(), "C1280-04");
      continue;
    }
    EXPECT_EQ(r.principal(), "C0136-01") << r.call();
    if (r.call() == "PlacementService.HoldPlace" ||
        r.call() == "PlacementService.StartPlacement" ||
        r.call() == "PlacementService.EndPlacement") {
      ++coach_writes;
    }
    if (r.call() == "PlacementService.GetTimeline") ++coach_timelines;
  }
  EXPECT_EQ(coach_writes, 3);
  EXPECT_EQ(coach_timelines, 1);
  EXPECT_EQ(refusals, 2);  // the other coach's hold and timeline
  EXPECT_EQ(audit->ListAccessLog(CallAs(kCoachToken).get(), log_request, &log)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace placement::service
