// Looking codes up in process: every role may, the engine's matchers decide
// what is found, and an over-long query is refused naming the field.

#include "app/reference.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_util.h"

namespace placement::app {
namespace {

using ::placement::testing::Reference;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ReferenceUseCaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_.reference = std::make_shared<const ReferenceData>(Reference());
  }

  Context context_;
};

TEST_F(ReferenceUseCaseTest, EveryRoleFindsWhatTheEngineMatches) {
  const ReferenceData& reference = *context_.reference;
  for (Role role :
       {Role::kCoach, Role::kEmployerContact, Role::kOperator, Role::kAdmin}) {
    const Caller caller{.principal = "X1", .role = role};
    absl::StatusOr<std::vector<int>> skills =
        LookUpCodes(context_, caller, ReferenceTable::kSkills, "diskmaskin");
    ASSERT_TRUE(skills.ok()) << skills.status();
    EXPECT_EQ(*skills, reference.skills.SkillsMatching("diskmaskin"));
  }
  const Caller coach{.principal = "C0136-01", .role = Role::kCoach};
  const auto found = [&](ReferenceTable table, absl::string_view query) {
    absl::StatusOr<std::vector<int>> got =
        LookUpCodes(context_, coach, table, query);
    EXPECT_TRUE(got.ok()) << got.status();
    return got.ok() ? *got : std::vector<int>{};
  };
  EXPECT_THAT(found(ReferenceTable::kOccupationFields, "animal"),
              ElementsAre(*reference.skills.FindField("animal_care")));
  EXPECT_THAT(found(ReferenceTable::kSupports, "rullstol"),
              ElementsAre(*reference.supports.FindSupport("step_free_access")));
  EXPECT_THAT(found(ReferenceTable::kSupportNeeds, "wheelchair_access"),
              ElementsAre(*reference.supports.FindNeed("wheelchair_access")));
  EXPECT_THAT(found(ReferenceTable::kMunicipalities, "HÄLLEFORS"),
              ElementsAre(*reference.municipalities.Find("1863")));
  EXPECT_EQ(found(ReferenceTable::kMunicipalities, "").size(),
            reference.municipalities.all().size());
}

TEST_F(ReferenceUseCaseTest, AQueryIsAtMostAHundredCharacters) {
  const Caller coach{.principal = "C0136-01", .role = Role::kCoach};
  // Characters, not bytes: a hundred Swedish letters are fine.
  std::string hundred;
  for (int i = 0; i < 100; ++i) hundred += "ö";
  EXPECT_TRUE(
      LookUpCodes(context_, coach, ReferenceTable::kSkills, hundred).ok());
  absl::StatusOr<std::vector<int>> refused = LookUpCodes(
      context_, coach, ReferenceTable::kSkills, std::string(101, 'a'));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(),
              HasSubstr("query: 101 characters; at most 100"));
}

}  // namespace
}  // namespace placement::app
