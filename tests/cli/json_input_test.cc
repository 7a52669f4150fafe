#include "cli/json_input.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "placement/v1/opening.pb.h"
#include "placement/v1/participant.pb.h"

namespace placement::cli {
namespace {

using ::testing::HasSubstr;

TEST(JsonInputTest, EnumsMayBeNamedAsTablesPrintThem) {
  v1::Opening opening;
  ASSERT_TRUE(JsonToMessage(R"({"kind": "social_enterprise",
                                "status": "Open",
                                "eligibility": {"target_groups":
                                  ["disability", "TARGET_GROUP_NEWLY_ARRIVED"]},
                                "capacity": 3})",
                            opening)
                  .ok());
  EXPECT_EQ(opening.kind(), v1::OPENING_KIND_SOCIAL_ENTERPRISE);
  EXPECT_EQ(opening.status(), v1::OPENING_STATUS_OPEN);
  ASSERT_EQ(opening.eligibility().target_groups_size(), 2);
  EXPECT_EQ(opening.eligibility().target_groups(0),
            v1::TARGET_GROUP_DISABILITY);
  EXPECT_EQ(opening.eligibility().target_groups(1),
            v1::TARGET_GROUP_NEWLY_ARRIVED);
  EXPECT_EQ(opening.capacity(), 3u);
}

TEST(JsonInputTest, ProtoNamesAndCamelCaseKeysStillWork) {
  v1::Participant participant;
  ASSERT_TRUE(JsonToMessage(R"({"travelMode": "TRAVEL_MODE_BIKE",
                                "support_needs": [{"need_code": "x",
                                                   "strength": "hard"}],
                                "follow_up": {"gender": "female"},
                                "updated_at": "2026-01-01T00:00:00Z"})",
                            participant)
                  .ok());
  EXPECT_EQ(participant.travel_mode(), v1::TRAVEL_MODE_BIKE);
  EXPECT_EQ(participant.support_needs(0).strength(), v1::NEED_STRENGTH_HARD);
  EXPECT_EQ(participant.follow_up().gender(), v1::GENDER_FEMALE);
  EXPECT_EQ(participant.updated_at().seconds(), 1767225600);
}

TEST(JsonInputTest, ABadEnumValueNamesItsPathAndTheValidValues) {
  v1::Opening opening;
  absl::Status status =
      JsonToMessage(R"({"kind": "sosial_enterprise"})", opening);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "kind: 'sosial_enterprise' is not one of employer_internship, "
            "work_training, enhanced_work_training, social_enterprise, "
            "supported_employment");
  status = JsonToMessage(
      R"({"eligibility": {"target_groups": ["disability", "elderly"]}})",
      opening);
  EXPECT_THAT(status.message(),
              HasSubstr("eligibility.target_groups[1]: 'elderly' is not one of "
                        "long_term_unemployed"));
  status = JsonToMessage(R"({"kind": "unspecified"})", opening);
  EXPECT_THAT(status.message(), HasSubstr("kind: 'unspecified' is not one of"));
}

TEST(JsonInputTest, OtherProblemsAreProtobufsOwn) {
  v1::Opening opening;
  EXPECT_THAT(JsonToMessage("{not json", opening).message(),
              HasSubstr("not JSON"));
  EXPECT_THAT(JsonToMessage("[1, 2]", opening).message(),
              HasSubstr("expected a JSON object (a Opening)"));
  EXPECT_THAT(JsonToMessage(R"({"salary": 3})", opening).message(),
              HasSubstr("salary"));
  EXPECT_THAT(JsonToMessage(R"({"capacity": "many"})", opening).message(),
              HasSubstr("capacity"));
}

}  // namespace
}  // namespace placement::cli
