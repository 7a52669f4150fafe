#include "engine/geo.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace placement {

double GreatCircleKm(const GeoPoint& a, const GeoPoint& b) {
  constexpr double kRadiansPerDegree = std::numbers::pi / 180.0;
  const double lat1 = a.latitude_deg * kRadiansPerDegree;
  const double lat2 = b.latitude_deg * kRadiansPerDegree;
  const double half_dlat = (lat2 - lat1) / 2;
  const double half_dlon =
      (b.longitude_deg - a.longitude_deg) * kRadiansPerDegree / 2;
  const double h = std::sin(half_dlat) * std::sin(half_dlat) +
                   std::cos(lat1) * std::cos(lat2) * std::sin(half_dlon) *
                       std::sin(half_dlon);
  return 2 * kEarthRadiusKm * std::asin(std::sqrt(std::clamp(h, 0.0, 1.0)));
}

bool IsInSweden(const GeoPoint& point) {
  return point.latitude_deg >= kSwedenMinLatitude &&
         point.latitude_deg <= kSwedenMaxLatitude &&
         point.longitude_deg >= kSwedenMinLongitude &&
         point.longitude_deg <= kSwedenMaxLongitude;
}

}  // namespace placement
