// FollowUpService.GetDecisionFunnel end to end on a real server over
// loopback: a coach reads suggestions, a run proposes, the coach accepts,
// the placement starts and ends well; the operator's funnel counts each
// stage; coaches and employer-contact staff are refused; bad periods are
// named.

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "placement/v1/coach_service.grpc.pb.h"
#include "placement/v1/followup_service.grpc.pb.h"
#include "placement/v1/placement_service.grpc.pb.h"
#include "placement/v1/registry_service.grpc.pb.h"
#include "placement/v1/rematch_service.grpc.pb.h"
#include "tests/testing/running_server.h"

namespace placement::service {
namespace {

using ::placement::testing::CallAs;
using ::placement::testing::kAdminToken;
using ::placement::testing::kCoachToken;
using ::placement::testing::kEmployerToken;
using ::placement::testing::kOperatorToken;
using ::placement::testing::RunningServer;
using ::placement::testing::ScratchDir;
using ::testing::HasSubstr;

v1::GetDecisionFunnelRequest Period(const v1::Date& from, const v1::Date& to) {
  v1::GetDecisionFunnelRequest request;
  *request.mutable_from_date() = from;
  *request.mutable_to_date() = to;
  return request;
}

grpc::Status Funnel(const RunningServer& server, const std::string& token,
                    const v1::GetDecisionFunnelRequest& request,
                    v1::DecisionFunnel* out) {
  return v1::FollowUpService::NewStub(server.channel())
      ->GetDecisionFunnel(CallAs(token).get(), request, out);
}

uint32_t Reached(const v1::FunnelGroup& group, v1::FunnelStageKind stage) {
  for (const v1::FunnelStage& s : group.stages()) {
    if (s.stage() == stage) return s.reached();
  }
  ADD_FAILURE() << "no stage " << stage << " in " << group.group();
  return 0;
}

TEST(FollowUpApiTest, TheFunnelCountsEachStageOfOneParticipantsPath) {
  ScratchDir scratch;
  RunningServer server(scratch);
  auto coach = v1::CoachService::NewStub(server.channel());
  auto registry = v1::ParticipantRegistry::NewStub(server.channel());
  auto rematch = v1::RematchService::NewStub(server.channel());
  auto placements = v1::PlacementService::NewStub(server.channel());

  // The run proposes; the coach picks one proposal of their caseload.
  v1::StartRunRequest start_run;
  start_run.set_seed(7);
  v1::Run run;
  ASSERT_TRUE(
      rematch->StartRun(CallAs(kOperatorToken).get(), start_run, &run).ok());
  {
    v1::WatchRunRequest watch;
    watch.set_run_id(run.run_id());
    auto context = CallAs(kOperatorToken, absl::Seconds(300));
    auto reader = rematch->WatchRun(context.get(), watch);
    v1::RunProgress progress;
    v1::RunState last = v1::RUN_STATE_UNSPECIFIED;
    while (reader->Read(&progress)) last = progress.state();
    ASSERT_TRUE(reader->Finish().ok());
    ASSERT_EQ(last, v1::RUN_STATE_SUCCEEDED);
  }
  v1::GetRunReportRequest report_request;
  report_request.set_run_id(run.run_id());
  v1::RunReport report;
  ASSERT_TRUE(
      rematch
          ->GetRunReport(CallAs(kOperatorToken).get(), report_request, &report)
          .ok());
  ASSERT_GT(report.participants_proposed(), 0u);

  v1::ListProposalsRequest list;
  list.mutable_page()->set_page_size(1);
  v1::ListProposalsResponse pending;
  ASSERT_TRUE(
      coach->ListProposals(CallAs(kCoachToken).get(), list, &pending).ok());
  ASSERT_EQ(pending.proposals_size(), 1) << "no proposal for the coach";
  const v1::Proposal proposal = pending.proposals(0);
  const std::string participant = proposal.participant_id();

  // The coach reads the day's suggestions for them, twice: one mark.
  for (int i = 0; i < 2; ++i) {
    v1::SuggestOpeningsRequest suggest;
    suggest.set_participant_id(participant);
    v1::SuggestOpeningsResponse suggested;
    ASSERT_TRUE(
        coach->SuggestOpenings(CallAs(kCoachToken).get(), suggest, &suggested)
            .ok());
    ASSERT_GT(suggested.suggestions_size(), 0);
  }

  // Accepting starts the placement; it ends completed, today.
  v1::DecideProposalRequest decide;
  decide.set_proposal_id(proposal.proposal_id());
  decide.set_decision(v1::DECISION_ACCEPT);
  v1::Proposal accepted;
  grpc::Status status =
      coach->DecideProposal(CallAs(kCoachToken).get(), decide, &accepted);
  ASSERT_TRUE(status.ok()) << status.error_message();
  v1::GetTimelineRequest timeline_request;
  timeline_request.set_participant_id(participant);
  v1::GetTimelineResponse timeline;
  ASSERT_TRUE(
      placements
          ->GetTimeline(CallAs(kCoachToken).get(), timeline_request, &timeline)
          .ok());
  std::string placement_id;
  v1::Date today;
  for (const v1::TimelineEvent& event : timeline.events()) {
    if (event.kind() == v1::TIMELINE_EVENT_KIND_PLACEMENT_STARTED) {
      placement_id = event.reference();
      today = event.date();
    }
  }
  ASSERT_FALSE(placement_id.empty()) << "accepting started no placement";
  v1::EndPlacementRequest end;
  end.set_placement_id(placement_id);
  end.set_outcome(v1::PLACEMENT_OUTCOME_COMPLETED);
  v1::PlacementRecord ended;
  status = placements->EndPlacement(CallAs(kCoachToken).get(), end, &ended);
  ASSERT_TRUE(status.ok()) << status.error_message();

  // The participant's own groups, as their coach sees them.
  v1::GetParticipantRequest get;
  get.set_participant_id(participant);
  v1::Participant record;
  ASSERT_TRUE(
      registry->GetParticipant(CallAs(kCoachToken).get(), get, &record).ok());

  v1::DecisionFunnel funnel;
  status = Funnel(server, kOperatorToken, Period(today, today), &funnel);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(funnel.min_group_size(), 5u);
  const v1::FunnelGroup& all = funnel.totals();
  EXPECT_FALSE(all.suppressed());
  EXPECT_EQ(all.participants(), 500u);  // the demo registry
  ASSERT_EQ(all.stages_size(), 5);
  EXPECT_EQ(Reached(all, v1::FUNNEL_STAGE_KIND_SUGGESTED), 1u);
  EXPECT_EQ(Reached(all, v1::FUNNEL_STAGE_KIND_PROPOSED),
            report.participants_proposed());
  EXPECT_EQ(Reached(all, v1::FUNNEL_STAGE_KIND_ACCEPTED), 1u);
  EXPECT_EQ(Reached(all, v1::FUNNEL_STAGE_KIND_STARTED), 1u);
  EXPECT_EQ(Reached(all, v1::FUNNEL_STAGE_KIND_GOOD_OUTCOME), 1u);
  // Each stage's share is of the 500: suggested 1, proposed N (more than
  // were suggested: the run's own path), accepted, started and ended well 1.
  EXPECT_DOUBLE_EQ(all.stages(0).share(), 1.0 / 500);
  EXPECT_DOUBLE_EQ(all.stages(1).share(),
                   report.participants_proposed() / 500.0);
  EXPECT_DOUBLE_EQ(all.stages(2).share(), 1.0 / 500);
  EXPECT_FALSE(all.stages(0).has_ratio_to_best());
  // The conversions follow the one proposal: accepted 1 of N proposed; the
  // placement started from it (1 of 1 accepted) and ended well (1 of 1).
  EXPECT_FALSE(all.stages(0).has_conversion());
  EXPECT_FALSE(all.stages(1).has_conversion());
  EXPECT_EQ(all.stages(2).conversion().converted(), 1u);
  EXPECT_DOUBLE_EQ(all.stages(2).conversion().rate(),
                   1.0 / report.participants_proposed());
  EXPECT_EQ(all.stages(3).conversion().converted(), 1u);
  EXPECT_DOUBLE_EQ(all.stages(3).conversion().rate(), 1.0);
  EXPECT_EQ(all.stages(4).conversion().converted(), 1u);
  EXPECT_DOUBLE_EQ(all.stages(4).conversion().rate(), 1.0);
  EXPECT_FALSE(all.stages(2).conversion().has_ratio_to_best());

  // The participant's gender group counts them at every stage after the
  // first, unless it is withheld.
  const std::string gender =
      record.follow_up().gender() == v1::GENDER_FEMALE  ? "female"
      : record.follow_up().gender() == v1::GENDER_MALE  ? "male"
      : record.follow_up().gender() == v1::GENDER_OTHER ? "other"
                                                        : "undisclosed";
  bool found = false;
  uint32_t gender_total = 0;
  for (const v1::FunnelGroup& group : funnel.groups()) {
    EXPECT_FALSE(group.dimension().empty());
    if (group.dimension() == "gender") gender_total += group.participants();
    if (group.dimension() != "gender" || group.group() != gender) continue;
    found = true;
    if (group.suppressed()) continue;
    EXPECT_EQ(Reached(group, v1::FUNNEL_STAGE_KIND_SUGGESTED), 1u);
    EXPECT_EQ(Reached(group, v1::FUNNEL_STAGE_KIND_ACCEPTED), 1u);
    EXPECT_EQ(Reached(group, v1::FUNNEL_STAGE_KIND_GOOD_OUTCOME), 1u);
  }
  EXPECT_TRUE(found) << "no gender group " << gender;
  EXPECT_LE(gender_total, 500u);
  // Counts only: no participant id anywhere in the answer.
  EXPECT_THAT(funnel.DebugString(), ::testing::Not(HasSubstr(participant)));

  // The day before: the run and the coach's acts are not in it.
  v1::Date yesterday = today;
  if (today.day() > 1) {
    yesterday.set_day(today.day() - 1);
    ASSERT_TRUE(
        Funnel(server, kAdminToken, Period(yesterday, yesterday), &funnel)
            .ok());
    for (const v1::FunnelStage& stage : funnel.totals().stages()) {
      EXPECT_EQ(stage.reached(), 0u) << stage.stage();
    }
  }

  // Coaches and employer-contact staff may not read it.
  for (const char* token : {kCoachToken, kEmployerToken}) {
    status = Funnel(server, token, Period(today, today), &funnel);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << token;
    EXPECT_THAT(status.error_message(),
                HasSubstr("may not call FollowUpService.GetDecisionFunnel"));
  }
}

TEST(FollowUpApiTest, ABadPeriodIsNamed) {
  ScratchDir scratch;
  RunningServer server(scratch);
  v1::Date from;
  from.set_year(2027);
  from.set_month(2);
  from.set_day(30);
  v1::Date to;
  to.set_year(2027);
  to.set_month(3);
  to.set_day(1);
  v1::DecisionFunnel funnel;
  grpc::Status status =
      Funnel(server, kOperatorToken, Period(from, to), &funnel);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              HasSubstr("from_date: 2027-02-30 is not a valid date"));
  from.set_day(2);
  to.set_month(1);
  status = Funnel(server, kOperatorToken, Period(from, to), &funnel);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              HasSubstr("to_date: 2027-01-01 is before from_date"));
  v1::GetDecisionFunnelRequest missing;
  status = Funnel(server, kOperatorToken, missing, &funnel);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("from_date: required"));
}

}  // namespace
}  // namespace placement::service
