#include "engine/geo.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace placement {

namespace {
constexpr double kRadiansPerDegree = std::numbers::pi / 180.0;
}  // namespace

UnitVector ToUnitVector(const GeoPoint& point) {
  const double latitude = point.latitude_deg * kRadiansPerDegree;
  const double longitude = point.longitude_deg * kRadiansPerDegree;
  return UnitVector{.x = std::cos(latitude) * std::cos(longitude),
                    .y = std::cos(latitude) * std::sin(longitude),
                    .z = std::sin(latitude)};
}

double ChordSquaredToKm(double chord_squared) {
  const double half_chord = std::sqrt(chord_squared) / 2;
  return 2 * kEarthRadiusKm * std::asin(std::min(half_chord, 1.0));
}

double KmToChordSquared(double km) {
  const double angle = std::min(km / kEarthRadiusKm, std::numbers::pi);
  const double chord = 2 * std::sin(angle / 2);
  return chord * chord;
}

double GreatCircleKm(const GeoPoint& a, const GeoPoint& b) {
  return ChordSquaredToKm(ChordSquared(ToUnitVector(a), ToUnitVector(b)));
}

bool IsInSweden(const GeoPoint& point) {
  return point.latitude_deg >= kSwedenMinLatitude &&
         point.latitude_deg <= kSwedenMaxLatitude &&
         point.longitude_deg >= kSwedenMinLongitude &&
         point.longitude_deg <= kSwedenMaxLongitude;
}

}  // namespace placement
