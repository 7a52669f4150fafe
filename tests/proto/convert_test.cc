#include "proto/convert.h"

#include "engine/population_generator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_util.h"

namespace placement {
namespace {

using ::placement::testing::Reference;
using ::testing::HasSubstr;

// Property: engine -> proto -> wire bytes -> proto -> engine is the identity,
// over a generated population covering every enum value.
TEST(ConvertTest, ParticipantsRoundTripThroughTheWire) {
  const PopulationGenerator generator({.seed = 21, .participants = 3000},
                                      Reference());
  for (int i = 0; i < 3000; ++i) {
    const Participant original = generator.Participant(i);
    v1::Participant proto;
    ToProto(original, proto);
    v1::Participant decoded;
    ASSERT_TRUE(decoded.ParseFromString(proto.SerializeAsString()));
    absl::StatusOr<Participant> back = FromProto(decoded);
    ASSERT_TRUE(back.ok()) << back.status();
    ASSERT_EQ(*back, original) << original.id;
  }
}

TEST(ConvertTest, OpeningsRoundTripThroughTheWire) {
  const PopulationGenerator generator({.seed = 22, .openings = 3000},
                                      Reference());
  for (int i = 0; i < 3000; ++i) {
    const Opening original = generator.Opening(i);
    v1::Opening proto;
    ToProto(original, proto);
    v1::Opening decoded;
    ASSERT_TRUE(decoded.ParseFromString(proto.SerializeAsString()));
    absl::StatusOr<Opening> back = FromProto(decoded);
    ASSERT_TRUE(back.ok()) << back.status();
    ASSERT_EQ(*back, original) << original.id;
  }
}

TEST(ConvertTest, EnumsMapByMeaningNotByAccident) {
  Participant p = PopulationGenerator({.seed = 1}, Reference()).Participant(0);
  p.travel_mode = TravelMode::kPublicTransport;
  p.swedish_level = SwedishLevel::kNone;
  p.status = ParticipantStatus::kPlaced;
  p.target_groups = {TargetGroup::kNewlyArrived};
  p.gender = Gender::kFemale;
  v1::Participant proto;
  ToProto(p, proto);
  EXPECT_EQ(proto.travel_mode(), v1::TRAVEL_MODE_PUBLIC_TRANSPORT);
  EXPECT_EQ(proto.swedish_level(), v1::SWEDISH_LEVEL_NONE);
  EXPECT_EQ(proto.status(), v1::PARTICIPANT_STATUS_PLACED);
  EXPECT_EQ(proto.target_groups(0), v1::TARGET_GROUP_NEWLY_ARRIVED);
  EXPECT_EQ(proto.follow_up().gender(), v1::GENDER_FEMALE);

  Opening o = PopulationGenerator({.seed = 1}, Reference()).Opening(0);
  o.kind = OpeningKind::kSocialEnterprise;
  o.status = OpeningStatus::kClosed;
  v1::Opening opening;
  ToProto(o, opening);
  EXPECT_EQ(opening.kind(), v1::OPENING_KIND_SOCIAL_ENTERPRISE);
  EXPECT_EQ(opening.status(), v1::OPENING_STATUS_CLOSED);
}

TEST(ConvertTest, UnspecifiedOrUnknownEnumsNameTheField) {
  v1::Participant proto;
  ToProto(PopulationGenerator({.seed = 1}, Reference()).Participant(0), proto);

  v1::Participant no_mode = proto;
  no_mode.set_travel_mode(v1::TRAVEL_MODE_UNSPECIFIED);
  absl::Status status = FromProto(no_mode).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("participant.travel_mode: 0"));

  v1::Participant unknown_group = proto;
  unknown_group.add_target_groups(static_cast<v1::TargetGroup>(77));
  EXPECT_THAT(
      FromProto(unknown_group, "request.participant").status().message(),
      HasSubstr("request.participant.target_groups["));

  v1::Participant no_step = proto;
  no_step.clear_step();
  EXPECT_THAT(FromProto(no_step).status().message(),
              HasSubstr("participant.step: required"));
}

TEST(ConvertTest, DocumentedDefaultsForUnsetOptionalEnums) {
  v1::Participant proto;
  ToProto(PopulationGenerator({.seed = 1}, Reference()).Participant(0), proto);
  proto.set_status(v1::PARTICIPANT_STATUS_UNSPECIFIED);
  proto.mutable_follow_up()->set_gender(v1::GENDER_UNSPECIFIED);
  absl::StatusOr<Participant> p = FromProto(proto);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->status, ParticipantStatus::kActive);
  EXPECT_EQ(p->gender, Gender::kUndisclosed);

  v1::Opening opening;
  ToProto(PopulationGenerator({.seed = 1}, Reference()).Opening(0), opening);
  opening.set_min_swedish_level(v1::SWEDISH_LEVEL_UNSPECIFIED);
  opening.clear_end_date();
  absl::StatusOr<Opening> o = FromProto(opening);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->min_swedish, SwedishLevel::kNone);
  EXPECT_FALSE(o->end_date.has_value());
}

// Runs cross the store as engine records and the API as v1.Run: the round
// trip keeps every field, unset times and an unset bonus included.
TEST(ConvertTest, RunsRoundTripThroughTheWire) {
  RematchRun full;
  full.id = "R000042";
  full.state = RunState::kFailed;
  full.created_at = absl::FromUnixMicros(1'800'000'000'123'456);
  full.started_at = full.created_at + absl::Seconds(2);
  full.finished_at = full.created_at + absl::Seconds(90);
  full.parameters = {.candidates_per_participant = 80,
                     .seed = 7,
                     .continuity_bonus = 0.25,
                     .dry_run = true};
  full.requested_by = "OP-0001";
  full.snapshot_version = 12;
  full.error_message = "publishing failed: disk full";
  RematchRun queued;
  queued.id = "R000001";
  for (const RematchRun& original : {full, queued}) {
    v1::Run proto;
    ToProto(original, proto);
    v1::Run wire;
    ASSERT_TRUE(wire.ParseFromString(proto.SerializeAsString()));
    absl::StatusOr<RematchRun> back = FromProto(wire);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(back->id, original.id);
    EXPECT_EQ(back->state, original.state);
    EXPECT_EQ(back->created_at, original.created_at);
    EXPECT_EQ(back->started_at, original.started_at);
    EXPECT_EQ(back->finished_at, original.finished_at);
    EXPECT_EQ(back->parameters.candidates_per_participant,
              original.parameters.candidates_per_participant);
    EXPECT_EQ(back->parameters.seed, original.parameters.seed);
    EXPECT_EQ(back->parameters.continuity_bonus,
              original.parameters.continuity_bonus);
    EXPECT_EQ(back->parameters.dry_run, original.parameters.dry_run);
    EXPECT_EQ(back->requested_by, original.requested_by);
    EXPECT_EQ(back->snapshot_version, original.snapshot_version);
    EXPECT_EQ(back->error_message, original.error_message);
  }
  v1::Run proto;
  ToProto(full, proto);
  EXPECT_EQ(proto.state(), v1::RUN_STATE_FAILED);
  EXPECT_EQ(ToProto(RunState::kQueued), v1::RUN_STATE_QUEUED);
  EXPECT_EQ(ToProto(RunState::kCancelled), v1::RUN_STATE_CANCELLED);
  proto.set_state(v1::RUN_STATE_UNSPECIFIED);
  EXPECT_THAT(FromProto(proto).status().message(),
              HasSubstr("run.state: 0 is not a run state"));
}

TEST(ConvertTest, ProposalStatesAndDecisionsMapByMeaning) {
  EXPECT_EQ(ToProto(ProposalState::kDryRun), v1::PROPOSAL_STATE_UNSPECIFIED);
  EXPECT_EQ(ToProto(ProposalState::kPending), v1::PROPOSAL_STATE_PENDING);
  EXPECT_EQ(ToProto(ProposalState::kAccepted), v1::PROPOSAL_STATE_ACCEPTED);
  EXPECT_EQ(ToProto(ProposalState::kRejected), v1::PROPOSAL_STATE_REJECTED);
  EXPECT_EQ(ToProto(ProposalState::kExpired), v1::PROPOSAL_STATE_EXPIRED);
  for (int value = 0; value <= 4; ++value) {
    absl::StatusOr<ProposalState> state =
        ProposalStateFromProto(value, "states[0]");
    ASSERT_TRUE(state.ok()) << value;
    EXPECT_EQ(static_cast<int>(ToProto(*state)), value);
  }
  EXPECT_THAT(ProposalStateFromProto(9, "states[1]").status().message(),
              HasSubstr("states[1]: 9 is not a proposal state"));
  EXPECT_EQ(*DecisionFromProto(v1::DECISION_ACCEPT, "decision"),
            Decision::kAccept);
  EXPECT_EQ(*DecisionFromProto(v1::DECISION_REJECT, "decision"),
            Decision::kReject);
  EXPECT_THAT(DecisionFromProto(v1::DECISION_UNSPECIFIED, "decision")
                  .status()
                  .message(),
              HasSubstr("decision: 0 is not ACCEPT or REJECT"));
}

TEST(ConvertTest, AStoredProposalCarriesItsPublishedExplanation) {
  v1::Match match;
  match.set_participant_id("P0000001");
  match.set_opening_id("O000002");
  match.set_score(0.625);
  PublishedProposal stored;
  stored.id = "R000003-0000001";
  stored.run_id = "R000003";
  stored.participant_id = "P0000001";
  stored.opening_id = "O000002";
  stored.state = ProposalState::kRejected;
  stored.decided_by = "C0136-01";
  stored.decided_at = absl::FromUnixSeconds(1'800'000'500);
  stored.rejection_reason = "too far";
  stored.created_at = absl::FromUnixSeconds(1'800'000'100);
  stored.continued_from_previous_run = true;
  stored.explanation_record = match.SerializeAsString();
  absl::StatusOr<v1::Proposal> proposal = ProposalToProto(stored);
  ASSERT_TRUE(proposal.ok()) << proposal.status();
  EXPECT_EQ(proposal->proposal_id(), "R000003-0000001");
  EXPECT_EQ(proposal->run_id(), "R000003");
  EXPECT_EQ(proposal->state(), v1::PROPOSAL_STATE_REJECTED);
  EXPECT_EQ(proposal->decided_by(), "C0136-01");
  EXPECT_EQ(proposal->decided_at().seconds(), 1'800'000'500);
  EXPECT_EQ(proposal->rejection_reason(), "too far");
  EXPECT_EQ(proposal->created_at().seconds(), 1'800'000'100);
  EXPECT_TRUE(proposal->continued_from_previous_run());
  EXPECT_DOUBLE_EQ(proposal->match().score(), 0.625);
  stored.decided_at.reset();
  EXPECT_FALSE(ProposalToProto(stored)->has_decided_at());

  stored.explanation_record = "\xff\xff\xff";
  EXPECT_EQ(ProposalToProto(stored).status().code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace placement
