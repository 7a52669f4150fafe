#include "cli/enum_names.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "placement/v1/opening.pb.h"
#include "placement/v1/rematch_service.pb.h"

namespace placement::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(EnumNamesTest, ShortNamesDropThePrefixAndNeverShowUnspecified) {
  EXPECT_EQ(EnumPrefix(*v1::OpeningKind_descriptor()), "OPENING_KIND_");
  EXPECT_EQ(ShortName(v1::OPENING_KIND_SOCIAL_ENTERPRISE), "SOCIAL_ENTERPRISE");
  EXPECT_EQ(LowerName(v1::OPENING_KIND_SOCIAL_ENTERPRISE), "social_enterprise");
  EXPECT_EQ(ShortName(v1::RUN_STATE_SUCCEEDED), "SUCCEEDED");
  EXPECT_EQ(ShortName(v1::OPENING_KIND_UNSPECIFIED), "-");
  EXPECT_EQ(LowerName(v1::RUN_PHASE_UNSPECIFIED), "-");
  EXPECT_EQ(ShortName(static_cast<v1::OpeningStatus>(99)), "-");
}

TEST(EnumNamesTest, ChoicesListEveryValueButTheUnsetOne) {
  EXPECT_EQ(EnumChoices(*v1::OpeningStatus_descriptor()),
            "draft, open, paused, closed");
}

TEST(EnumNamesTest, FindAcceptsShortAndFullNamesInAnyCase) {
  const auto& kinds = *v1::OpeningKind_descriptor();
  for (const char* name :
       {"social_enterprise", "SOCIAL_ENTERPRISE", "Social_Enterprise",
        "OPENING_KIND_SOCIAL_ENTERPRISE", "opening_kind_social_enterprise"}) {
    const google::protobuf::EnumValueDescriptor* value =
        FindEnumValue(kinds, name);
    ASSERT_NE(value, nullptr) << name;
    EXPECT_EQ(value->number(), v1::OPENING_KIND_SOCIAL_ENTERPRISE);
  }
  EXPECT_EQ(FindEnumValue(kinds, "unspecified"), nullptr);
  EXPECT_EQ(FindEnumValue(kinds, "OPENING_KIND_UNSPECIFIED"), nullptr);
  EXPECT_EQ(FindEnumValue(kinds, "social"), nullptr);
  EXPECT_EQ(FindEnumValue(kinds, ""), nullptr);
}

TEST(EnumNamesTest, ParseEnumListReadsCommaListsAndNamesABadItem) {
  absl::StatusOr<std::vector<v1::OpeningStatus>> statuses =
      ParseEnumList<v1::OpeningStatus>("--status", "open, PAUSED,,draft");
  ASSERT_TRUE(statuses.ok()) << statuses.status();
  EXPECT_THAT(*statuses,
              ElementsAre(v1::OPENING_STATUS_OPEN, v1::OPENING_STATUS_PAUSED,
                          v1::OPENING_STATUS_DRAFT));
  EXPECT_TRUE(ParseEnumList<v1::OpeningStatus>("--status", "")->empty());
  statuses = ParseEnumList<v1::OpeningStatus>("--status", "open,sleeping");
  ASSERT_FALSE(statuses.ok());
  EXPECT_EQ(statuses.status().message(),
            "--status: 'sleeping' is not one of draft, open, paused, closed");
  EXPECT_THAT(ParseEnumList<v1::OpeningKind>("--kind", "unspecified")
                  .status()
                  .message(),
              HasSubstr("'unspecified' is not one of employer_internship"));
}

}  // namespace
}  // namespace placement::cli
