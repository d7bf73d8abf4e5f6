// Geodesic measures on the WGS 84 ellipsoid, through PROJ's geodesic API
// (GeographicLib's algorithms): the distances and azimuths every length,
// chainage and offset in bordercov is made of. Coordinates are lon/lat degrees.
#pragma once

#include <cmath>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace bordercov {

struct LonLat {
    double lon = 0;
    double lat = 0;
    friend bool operator==(const LonLat&, const LonLat&) = default;
};

/// A difference of longitudes brought into [-180, 180]: the short way round,
/// across the antimeridian when that is shorter.
inline double wrap_lon(double d) {
    return d - 360.0 * std::round(d / 360.0);
}

/// The parts of the longitude range [lo, hi] (hi - lo < 360) within
/// [-180, 180], as they wrap around the antimeridian: one or two ranges.
std::vector<std::pair<double, double>> lon_ranges(double lo, double hi);

/// A lon/lat box sure to hold every point within radius_m of p (degrees of
/// latitude taken as 110.0 km, of longitude as 111.0 km * cos of the most
/// poleward latitude: never more than they are). Its longitudes may run past
/// +-180; lon_ranges() wraps them.
struct SearchWindow {
    LonLat min;
    LonLat max;
};
SearchWindow search_window(LonLat p, double radius_m);

struct Inverse {
    double distance_m;
    double azimuth1_deg; ///< forward azimuth at the first point, clockwise from north
    double azimuth2_deg; ///< forward azimuth at the second point
};

/// The geodesic between two points (the inverse problem).
Inverse geodesic_inverse(LonLat a, LonLat b);

/// Geodesic distance in metres.
double geodesic_distance_m(LonLat a, LonLat b);

/// The point at distance_m from a along azimuth_deg (the direct problem).
LonLat geodesic_direct(LonLat a, double azimuth_deg, double distance_m);

/// Length in km of a polyline whose edges are geodesics.
double geodesic_length_km(std::span<const LonLat> polyline);

/// Metres per degree of longitude and of latitude at a latitude (the radii
/// of curvature of the WGS 84 ellipsoid there): a local frame for short work.
struct LocalScale {
    double m_per_deg_lon;
    double m_per_deg_lat;
};
LocalScale local_scale(double lat_deg);

/// The geodesic distance between two points at most 10 km apart, from the
/// chord through the ellipsoid bent into an arc of the mean radius of
/// curvature at their mid-latitude: within short_distance_error_m of
/// geodesic_distance_m (tests check it against PROJ's) for a fraction of its
/// cost. Only for a measure that is compared or rounded, and that falls
/// back on geodesic_distance_m where the bound leaves the outcome open.
double short_distance_m(LonLat a, LonLat b);
/// Below 0.01 mm up to 10 km; the bound gives tenfold room.
inline constexpr double short_distance_error_m = 1e-4;

/// The nearest point to p on a short edge a-b as project_onto_edge finds it
/// in the local frame of the ellipsoid at the edge (an edge under 0.01
/// degrees, p within 5 km of a); none for other edges and points.
struct LocalFoot {
    double fraction; ///< along the edge, 0 at a, 1 at b
    LonLat foot;
    double cross; ///< > 0 when p lies left of a->b
};
std::optional<LocalFoot> local_foot_on_edge(LonLat a, LonLat b, LonLat p);

/// Nearest point to p on the geodesic edge a-b.
struct EdgeProjection {
    double fraction; ///< where the nearest point lies along the edge, 0 at a, 1 at b
    double offset_m; ///< geodesic distance from p to the nearest point
    double side;     ///< > 0 when p lies right of the direction a->b, < 0 left, 0 on it
    LonLat nearest;
};
EdgeProjection project_onto_edge(LonLat a, LonLat b, LonLat p);

/// The point at fraction t in [0, 1] of the geodesic edge a-b.
LonLat interpolate_on_edge(LonLat a, LonLat b, double t);

} // namespace bordercov
