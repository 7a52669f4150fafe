#include "engine/opening_rules.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace placement {
namespace {

using ::testing::HasSubstr;

constexpr Date kToday{2026, 11, 22};

Opening OpenWithAFreePlace() {
  Opening o;
  o.id = "O000012";
  o.status = OpeningStatus::kOpen;
  o.capacity = 2;
  o.places_taken = 1;
  o.start_date = {2026, 1, 1};
  return o;
}

TEST(AcceptsPlacementTest, OpenNotEndedWithAFreePlaceAccepts) {
  const Opening o = OpenWithAFreePlace();
  EXPECT_TRUE(AcceptsPlacement(o, kToday));
  EXPECT_TRUE(CheckAcceptsPlacement(o, kToday).ok());
}

TEST(AcceptsPlacementTest, EveryStatusButOpenRefuses) {
  for (OpeningStatus status : {OpeningStatus::kDraft, OpeningStatus::kPaused,
                               OpeningStatus::kClosed}) {
    Opening o = OpenWithAFreePlace();
    o.status = status;
    EXPECT_FALSE(AcceptsPlacement(o, kToday));
    EXPECT_FALSE(AcceptsPlacement(o, kToday, /*require_free_place=*/false));
    const absl::Status s = CheckAcceptsPlacement(o, kToday);
    EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(s.message(),
              absl::StrCat("opening O000012: status ",
                           OpeningStatusSlug(status), ", not open"));
  }
}

TEST(AcceptsPlacementTest, TheLastDayCountsAndTheDayAfterDoesNot) {
  Opening o = OpenWithAFreePlace();
  o.end_date = kToday;
  EXPECT_TRUE(AcceptsPlacement(o, kToday));
  o.end_date = Date{2026, 11, 21};
  EXPECT_FALSE(AcceptsPlacement(o, kToday));
  EXPECT_FALSE(AcceptsPlacement(o, kToday, /*require_free_place=*/false));
  const absl::Status s = CheckAcceptsPlacement(o, kToday);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), "opening O000012 ended on 2026-11-21");
  // Across a month and a year boundary.
  o.end_date = Date{2026, 10, 31};
  EXPECT_FALSE(AcceptsPlacement(o, Date{2026, 11, 1}));
  o.end_date = Date{2027, 1, 1};
  EXPECT_TRUE(AcceptsPlacement(o, Date{2026, 12, 31}));
}

TEST(AcceptsPlacementTest, AFullOpeningRefusesUnlessTheFreePlaceIsWaived) {
  Opening o = OpenWithAFreePlace();
  o.places_taken = 2;
  EXPECT_FALSE(AcceptsPlacement(o, kToday));
  EXPECT_TRUE(AcceptsPlacement(o, kToday, /*require_free_place=*/false));
  const absl::Status s = CheckAcceptsPlacement(o, kToday);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), "opening O000012: places_taken 2 = capacity 2");
  // Over-full (an import may leave one so) is full too.
  o.places_taken = 3;
  EXPECT_FALSE(AcceptsPlacement(o, kToday));
}

TEST(AcceptsPlacementTest, FactsAreIndependentAndTheStatusIsNamedFirst) {
  Opening o = OpenWithAFreePlace();
  o.status = OpeningStatus::kPaused;
  o.end_date = Date{2026, 1, 31};
  o.places_taken = 2;
  const OpeningAvailability a = AvailabilityOn(o, kToday);
  EXPECT_FALSE(a.open);
  EXPECT_TRUE(a.ended);
  EXPECT_FALSE(a.free_place);
  EXPECT_THAT(CheckAcceptsPlacement(o, kToday).message(),
              HasSubstr("status paused"));
  o.status = OpeningStatus::kOpen;
  EXPECT_THAT(CheckAcceptsPlacement(o, kToday).message(),
              HasSubstr("ended on 2026-01-31"));
}

}  // namespace
}  // namespace placement
