// Geographic helpers: great-circle distance and the coarse bounds of Sweden.
//
// Distances are great-circle distances on a sphere of radius 6371.0088 km
// (the mean Earth radius); error against the ellipsoid is below 0.5 % at
// Swedish latitudes, far below the uncertainty of any travel-time estimate.
// They are computed from 3-D unit vectors: d = 2R asin(|u - v| / 2), which
// equals the haversine formula and keeps full precision for short distances.
// The fast matcher stores the unit vectors and runs the same operations, so
// its distances are bit-identical to GreatCircleKm's.
//
// Thread safety: pure functions.

#ifndef PLACEMENT_ENGINE_GEO_H_
#define PLACEMENT_ENGINE_GEO_H_

#include "engine/types.h"

namespace placement {

inline constexpr double kEarthRadiusKm = 6371.0088;

// Bounding box of Sweden, with a small margin (Smygehuk 55.34 N, Treriksröset
// 69.06 N, Koster 10.96 E, Haparanda 24.17 E). Coordinates outside it are
// rejected as input errors. A box is a coarse check: it keeps out swapped
// latitude/longitude and points abroad to the west (Oslo), not Copenhagen.
inline constexpr double kSwedenMinLatitude = 55.0;
inline constexpr double kSwedenMaxLatitude = 69.2;
inline constexpr double kSwedenMinLongitude = 10.9;
inline constexpr double kSwedenMaxLongitude = 24.5;

// A point on the unit sphere (x towards 0 N 0 E, z towards the north pole).
struct UnitVector {
  double x = 0;
  double y = 0;
  double z = 0;
};
UnitVector ToUnitVector(const GeoPoint& point);

// Squared straight-line (chord) distance between two unit vectors.
inline double ChordSquared(const UnitVector& a, const UnitVector& b) {
  const double dx = a.x - b.x;
  const double dy = a.y - b.y;
  const double dz = a.z - b.z;
  return dx * dx + dy * dy + dz * dz;
}
// Great-circle kilometres for a squared chord; monotonic increasing.
double ChordSquaredToKm(double chord_squared);
// The squared chord of a great-circle distance; inverse of the above.
double KmToChordSquared(double km);

// Great-circle distance in kilometres. Symmetric; 0 for equal points.
double GreatCircleKm(const GeoPoint& a, const GeoPoint& b);

// True when the point lies inside the bounding box above.
bool IsInSweden(const GeoPoint& point);

}  // namespace placement

#endif  // PLACEMENT_ENGINE_GEO_H_
