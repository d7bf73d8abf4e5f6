// Independent references for the tests: PROJ's geodesic API called directly,
// never through bordercov.
#pragma once

#include <geodesic.h>

namespace bordercov::test {

inline const geod_geodesic& reference_wgs84() {
    static const geod_geodesic g = [] {
        geod_geodesic init{};
        geod_init(&init, 6378137.0, 1.0 / 298.257223563);
        return init;
    }();
    return g;
}

/// Geodesic distance in metres between (lon1, lat1) and (lon2, lat2).
inline double ref_distance_m(double lon1, double lat1, double lon2, double lat2) {
    double s12 = 0;
    geod_inverse(&reference_wgs84(), lat1, lon1, lat2, lon2, &s12, nullptr, nullptr);
    return s12;
}

/// The point at distance_m from (lon, lat) along azimuth_deg.
inline void ref_direct(double lon, double lat, double azimuth_deg, double distance_m,
                       double& out_lon, double& out_lat) {
    geod_direct(&reference_wgs84(), lat, lon, azimuth_deg, distance_m, &out_lat, &out_lon, nullptr);
}

} // namespace bordercov::test
