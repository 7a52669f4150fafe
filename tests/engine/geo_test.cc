#include "engine/geo.h"

#include "gtest/gtest.h"

namespace placement {
namespace {

constexpr GeoPoint kStockholm{59.3293, 18.0686};
constexpr GeoPoint kMalmo{55.6050, 13.0038};
constexpr GeoPoint kKalmar{56.6634, 16.3568};
constexpr GeoPoint kBorgholm{56.8794, 16.6557};

TEST(GreatCircleTest, KnownDistances) {
  EXPECT_NEAR(GreatCircleKm(kStockholm, kMalmo), 513.0, 5.0);
  EXPECT_NEAR(GreatCircleKm(kKalmar, kBorgholm), 30.5, 1.5);
}

TEST(GreatCircleTest, ZeroAndSymmetric) {
  EXPECT_DOUBLE_EQ(GreatCircleKm(kKalmar, kKalmar), 0.0);
  EXPECT_DOUBLE_EQ(GreatCircleKm(kKalmar, kMalmo),
                   GreatCircleKm(kMalmo, kKalmar));
}

TEST(GreatCircleTest, OneDegreeOfLatitudeIsAbout111Km) {
  EXPECT_NEAR(GreatCircleKm({60, 15}, {61, 15}), 111.2, 0.2);
}

TEST(SwedenBoundsTest, InsideAndOutside) {
  EXPECT_TRUE(IsInSweden(kStockholm));
  EXPECT_TRUE(IsInSweden({69.06, 20.55}));   // Treriksröset
  EXPECT_FALSE(IsInSweden({59.91, 10.75}));  // Oslo: west of the box
  EXPECT_FALSE(IsInSweden({54.9, 13.0}));    // south of Smygehuk
  EXPECT_FALSE(IsInSweden({0, 0}));
}

}  // namespace
}  // namespace placement
