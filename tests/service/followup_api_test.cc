// FollowUpService end to end on a real server over loopback: a coach enters
// participants, holds, starts and ends their placements with an exit, and
// records the situation six months after an earlier exit; the operator's
// report counts them; the situation is on the timeline; a coach may not read
// the report.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "placement/v1/coach_service.grpc.pb.h"
#include "placement/v1/followup_service.grpc.pb.h"
#include "placement/v1/placement_service.grpc.pb.h"
#include "placement/v1/registry_service.grpc.pb.h"
#include "tests/testing/running_server.h"

namespace placement::service {
namespace {

using ::placement::testing::CallAs;
using ::placement::testing::kAdminToken;
using ::placement::testing::kCoachToken;
using ::placement::testing::kOperatorToken;
using ::placement::testing::RunningServer;
using ::placement::testing::ScratchDir;
using ::testing::HasSubstr;

absl::CivilDay Today() {
  absl::TimeZone sweden;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/Stockholm", &sweden));
  return absl::ToCivilDay(absl::Now(), sweden);
}

v1::Date ProtoDay(absl::CivilDay day) {
  v1::Date out;
  out.set_year(static_cast<uint32_t>(day.year()));
  out.set_month(static_cast<uint32_t>(day.month()));
  out.set_day(static_cast<uint32_t>(day.day()));
  return out;
}

const v1::FollowUpRow& Row(
    const google::protobuf::RepeatedPtrField<v1::FollowUpRow>& rows,
    const std::string& key) {
  for (const v1::FollowUpRow& row : rows) {
    if (row.key() == key) return row;
  }
  ADD_FAILURE() << "no row " << key;
  static const v1::FollowUpRow* const kNone = new v1::FollowUpRow;
  return *kNone;
}

TEST(FollowUpApiTest, TheReportCountsWhatCoachesRecorded) {
  ScratchDir scratch;
  RunningServer server(scratch);
  auto registry = v1::ParticipantRegistry::NewStub(server.channel());
  auto coach = v1::CoachService::NewStub(server.channel());
  auto placements = v1::PlacementService::NewStub(server.channel());
  auto follow_up = v1::FollowUpService::NewStub(server.channel());
  const absl::CivilDay today = Today();

  // A template: an active participant of the caseload who has a suggestion.
  v1::ListParticipantsRequest list;
  list.add_statuses(v1::PARTICIPANT_STATUS_ACTIVE);
  v1::ListParticipantsResponse caseload;
  ASSERT_TRUE(
      registry->ListParticipants(CallAs(kCoachToken).get(), list, &caseload)
          .ok());
  v1::Participant model;
  for (const v1::Participant& p : caseload.participants()) {
    v1::SuggestOpeningsRequest suggest;
    suggest.set_participant_id(p.id());
    suggest.set_k(1);
    v1::SuggestOpeningsResponse suggested;
    ASSERT_TRUE(
        coach->SuggestOpenings(CallAs(kCoachToken).get(), suggest, &suggested)
            .ok());
    if (suggested.suggestions_size() > 0) {
      model = p;
      break;
    }
  }
  ASSERT_FALSE(model.id().empty()) << "no participant with a suggestion";
  model.clear_updated_at();
  model.mutable_follow_up()->set_gender(v1::GENDER_FEMALE);

  // Five women enter 40 days ago; each is held a place, starts today and
  // leaves for unsubsidised work today.
  std::vector<std::string> placed;
  for (int i = 0; i < 5; ++i) {
    v1::UpsertParticipantRequest upsert;
    *upsert.mutable_participant() = model;
    upsert.mutable_participant()->set_id(absl::StrCat("P09100", i));
    *upsert.mutable_participant()->mutable_entry_date() = ProtoDay(today - 40);
    upsert.mutable_participant()->set_programme_code("22-014-S05");
    v1::Participant stored;
    grpc::Status status =
        registry->UpsertParticipant(CallAs(kCoachToken).get(), upsert, &stored);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(stored.programme_code(), "22-014-S05");
    placed.push_back(stored.id());

    v1::SuggestOpeningsRequest suggest;
    suggest.set_participant_id(stored.id());
    suggest.set_k(1);
    v1::SuggestOpeningsResponse suggested;
    ASSERT_TRUE(
        coach->SuggestOpenings(CallAs(kCoachToken).get(), suggest, &suggested)
            .ok());
    ASSERT_GT(suggested.suggestions_size(), 0);
    v1::HoldPlaceRequest hold_request;
    hold_request.set_participant_id(stored.id());
    hold_request.set_opening_id(suggested.suggestions(0).opening_id());
    v1::Hold hold;
    status =
        placements->HoldPlace(CallAs(kCoachToken).get(), hold_request, &hold);
    ASSERT_TRUE(status.ok()) << status.error_message();
    v1::StartPlacementRequest start;
    start.set_participant_id(stored.id());
    start.set_hold_id(hold.hold_id());
    v1::StartPlacementResponse started;
    status =
        placements->StartPlacement(CallAs(kCoachToken).get(), start, &started);
    ASSERT_TRUE(status.ok()) << status.error_message();
    v1::EndPlacementRequest end;
    end.set_placement_id(started.placement().placement_id());
    end.set_outcome(v1::PLACEMENT_OUTCOME_UNSUBSIDISED_WORK);
    end.set_leaves_programme(true);
    v1::PlacementRecord ended;
    status = placements->EndPlacement(CallAs(kCoachToken).get(), end, &ended);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  // Today is too soon after their exit for the six-month situation.
  v1::RecordExitFollowUpRequest too_soon;
  too_soon.set_participant_id(placed[0]);
  too_soon.set_situation(v1::EXIT_SITUATION_UNSUBSIDISED_WORK);
  v1::ExitFollowUp recorded;
  grpc::Status status = placements->RecordExitFollowUp(
      CallAs(kCoachToken).get(), too_soon, &recorded);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("is 0 days after the exit"));

  // Five women who left 200 days ago: their situation is checked today.
  for (int i = 0; i < 5; ++i) {
    v1::UpsertParticipantRequest upsert;
    *upsert.mutable_participant() = model;
    upsert.mutable_participant()->set_id(absl::StrCat("P09200", i));
    upsert.mutable_participant()->set_status(v1::PARTICIPANT_STATUS_EXITED);
    *upsert.mutable_participant()->mutable_entry_date() = ProtoDay(today - 400);
    *upsert.mutable_participant()->mutable_exit_date() = ProtoDay(today - 200);
    upsert.mutable_participant()->set_programme_code("22-014-S05");
    v1::Participant stored;
    status =
        registry->UpsertParticipant(CallAs(kCoachToken).get(), upsert, &stored);
    ASSERT_TRUE(status.ok()) << status.error_message();
    v1::RecordExitFollowUpRequest record;
    record.set_participant_id(stored.id());
    record.set_situation(i == 0 ? v1::EXIT_SITUATION_JOB_SEEKING
                                : v1::EXIT_SITUATION_STUDIES);
    status = placements->RecordExitFollowUp(CallAs(kCoachToken).get(), record,
                                            &recorded);
    ASSERT_TRUE(status.ok()) << status.error_message();
    if (i == 0) {
      // Recording again replaces it.
      record.set_situation(v1::EXIT_SITUATION_STUDIES);
      status = placements->RecordExitFollowUp(CallAs(kCoachToken).get(), record,
                                              &recorded);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
    EXPECT_EQ(recorded.situation(), v1::EXIT_SITUATION_STUDIES);
    EXPECT_EQ(recorded.exit_date().day(), ProtoDay(today - 200).day());
  }
  // On the timeline.
  v1::GetTimelineRequest timeline_request;
  timeline_request.set_participant_id("P092000");
  v1::GetTimelineResponse timeline;
  ASSERT_TRUE(
      placements
          ->GetTimeline(CallAs(kCoachToken).get(), timeline_request, &timeline)
          .ok());
  bool shown = false;
  for (const v1::TimelineEvent& e : timeline.events()) {
    if (e.kind() == v1::TIMELINE_EVENT_KIND_EXIT_FOLLOW_UP) {
      shown = true;
      EXPECT_EQ(e.situation(), v1::EXIT_SITUATION_STUDIES);
    }
  }
  EXPECT_TRUE(shown);

  // The operator's report for the programme over the last 400 days.
  v1::GetFollowUpReportRequest request;
  *request.mutable_from_date() = ProtoDay(today - 400);
  *request.mutable_to_date() = ProtoDay(today);
  request.set_programme_code("22-014-S05");
  v1::FollowUpReport report;
  status = follow_up->GetFollowUpReport(CallAs(kOperatorToken).get(), request,
                                        &report);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(report.withheld_below(), 5u);
  // The demo population has no exits and no placement records: these
  // are ours.
  const v1::FollowUpRow& work =
      Row(report.exits_by_outcome(), "unsubsidised_work");
  EXPECT_EQ(work.counts().female().count(), 5u);
  EXPECT_EQ(work.counts().total().count(), 5u);
  EXPECT_EQ(
      Row(report.exits_by_outcome(), "no_placement").counts().total().count(),
      5u);
  EXPECT_EQ(
      Row(report.exits_by_situation(), "studies").counts().total().count(), 5u);
  EXPECT_EQ(
      Row(report.exits_by_situation(), "not_recorded").counts().total().count(),
      5u);
  uint32_t started = 0;
  for (const v1::FollowUpRow& row : report.placements_by_kind()) {
    started += row.counts().total().count();
  }
  // Each kind's count is shown or withheld; at most the five of ours.
  EXPECT_LE(started, 5u);
  const v1::FollowUpMedian& median = report.days_to_first_placement().total();
  EXPECT_EQ(median.participants().count(), 5u);
  EXPECT_DOUBLE_EQ(median.median_days(), 40);
  EXPECT_THAT(report.DebugString(), ::testing::Not(HasSubstr("P0910")));

  // An admin may read it too; a coach may not.
  ASSERT_TRUE(
      follow_up->GetFollowUpReport(CallAs(kAdminToken).get(), request, &report)
          .ok());
  status =
      follow_up->GetFollowUpReport(CallAs(kCoachToken).get(), request, &report);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // Errors name the field.
  request.set_programme_code("22-999-S99");
  status = follow_up->GetFollowUpReport(CallAs(kOperatorToken).get(), request,
                                        &report);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("programme_code"));
  request.clear_programme_code();
  request.clear_to_date();
  status = follow_up->GetFollowUpReport(CallAs(kOperatorToken).get(), request,
                                        &report);
  EXPECT_THAT(status.error_message(), HasSubstr("to_date: required"));

  // An unknown programme on a participant is refused, naming it.
  v1::UpsertParticipantRequest bad;
  *bad.mutable_participant() = model;
  bad.mutable_participant()->set_id("P0930000");
  bad.mutable_participant()->set_programme_code("22-999-S99");
  v1::Participant refused;
  status =
      registry->UpsertParticipant(CallAs(kCoachToken).get(), bad, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              HasSubstr("participant.programme_code: '22-999-S99'"));
  bad.mutable_participant()->clear_programme_code();
  *bad.mutable_participant()->mutable_entry_date() = ProtoDay(today + 1);
  status =
      registry->UpsertParticipant(CallAs(kCoachToken).get(), bad, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("participant.entry_date"));
  // Unset, the entry date is today for a new participant.
  bad.mutable_participant()->clear_entry_date();
  ASSERT_TRUE(
      registry->UpsertParticipant(CallAs(kCoachToken).get(), bad, &refused)
          .ok());
  EXPECT_EQ(refused.entry_date().day(), ProtoDay(today).day());
}

}  // namespace
}  // namespace placement::service
