// Geographic helpers: great-circle distance and the coarse bounds of Sweden.
//
// Distances use the haversine formula on a sphere of radius 6371.0088 km (the
// mean Earth radius); error against the ellipsoid is below 0.5 % at Swedish
// latitudes, far below the uncertainty of any travel-time estimate.
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

// Great-circle distance in kilometres. Symmetric; 0 for equal points.
double GreatCircleKm(const GeoPoint& a, const GeoPoint& b);

// True when the point lies inside the bounding box above.
bool IsInSweden(const GeoPoint& point);

}  // namespace placement

#endif  // PLACEMENT_ENGINE_GEO_H_
