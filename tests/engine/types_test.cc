#include "engine/types.h"

#include "gtest/gtest.h"

namespace placement {
namespace {

// Every enumerator's slug parses back to it.
template <typename Enum, typename Slug, typename Parse>
void ExpectSlugsRoundTrip(int count, Slug slug, Parse parse) {
  for (int i = 0; i < count; ++i) {
    const Enum value = static_cast<Enum>(i);
    absl::StatusOr<Enum> parsed = parse(slug(value));
    ASSERT_TRUE(parsed.ok()) << slug(value);
    EXPECT_EQ(*parsed, value);
  }
}

TEST(TypesTest, SlugsRoundTrip) {
  ExpectSlugsRoundTrip<TravelMode>(kTravelModeCount, TravelModeSlug,
                                   ParseTravelMode);
  ExpectSlugsRoundTrip<SwedishLevel>(kSwedishLevelCount, SwedishLevelSlug,
                                     ParseSwedishLevel);
  ExpectSlugsRoundTrip<TargetGroup>(kTargetGroupCount, TargetGroupSlug,
                                    ParseTargetGroup);
  ExpectSlugsRoundTrip<Gender>(kGenderCount, GenderSlug, ParseGender);
  ExpectSlugsRoundTrip<ParticipantStatus>(
      kParticipantStatusCount, ParticipantStatusSlug, ParseParticipantStatus);
  ExpectSlugsRoundTrip<OpeningKind>(kOpeningKindCount, OpeningKindSlug,
                                    ParseOpeningKind);
  ExpectSlugsRoundTrip<OpeningStatus>(kOpeningStatusCount, OpeningStatusSlug,
                                      ParseOpeningStatus);
  ExpectSlugsRoundTrip<NeedStrength>(2, NeedStrengthSlug, ParseNeedStrength);
}

TEST(TypesTest, KnownSlugs) {
  EXPECT_EQ(TravelModeSlug(TravelMode::kPublicTransport), "public_transport");
  EXPECT_EQ(OpeningKindSlug(OpeningKind::kEnhancedWorkTraining),
            "enhanced_work_training");
  EXPECT_EQ(TargetGroupSlug(TargetGroup::kNewlyArrived), "newly_arrived");
}

TEST(TypesTest, UnknownSlugNamesTheValueAndTheChoices) {
  absl::StatusOr<TravelMode> parsed = ParseTravelMode("helicopter");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(parsed.status().message().find("'helicopter'"),
            absl::string_view::npos);
  EXPECT_NE(parsed.status().message().find("public_transport"),
            absl::string_view::npos);
  EXPECT_FALSE(ParseTravelMode("").ok());
  EXPECT_FALSE(ParseTravelMode("Walk").ok());  // slugs are case-sensitive
}

TEST(TypesTest, DatesParseAndFormat) {
  absl::StatusOr<Date> date = ParseDate("2024-02-29");
  ASSERT_TRUE(date.ok());
  EXPECT_EQ(*date, (Date{2024, 2, 29}));
  EXPECT_EQ(FormatDate(*date), "2024-02-29");
  EXPECT_EQ(FormatDate(Date{1999, 1, 5}), "1999-01-05");
}

TEST(TypesTest, ImpossibleDatesAreRejected) {
  for (const char* text :
       {"2023-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-1-01",
        "20260101", "", "abcd-ef-gh", "1899-12-31"}) {
    EXPECT_FALSE(ParseDate(text).ok()) << text;
  }
  EXPECT_TRUE(ParseDate("2000-02-29").ok());   // divisible by 400
  EXPECT_FALSE(ParseDate("2100-02-29").ok());  // divisible by 100 only
}

TEST(TypesTest, DatesOrder) {
  EXPECT_LT((Date{2026, 1, 31}), (Date{2026, 2, 1}));
  EXPECT_LT((Date{2025, 12, 31}), (Date{2026, 1, 1}));
}

}  // namespace
}  // namespace placement
