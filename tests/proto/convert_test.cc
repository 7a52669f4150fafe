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

}  // namespace
}  // namespace placement
