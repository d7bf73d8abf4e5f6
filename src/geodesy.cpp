#include "bordercov/geodesy.hpp"

#include <geodesic.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace bordercov {

namespace {

const geod_geodesic& wgs84() {
    static const geod_geodesic g = [] {
        geod_geodesic init{};
        geod_init(&init, 6378137.0, 1.0 / 298.257223563);
        return init;
    }();
    return g;
}

constexpr double deg = std::numbers::pi / 180.0;

} // namespace

SearchWindow search_window(LonLat p, double radius_m) {
    const double dlat = radius_m / 110000.0;
    const double lat_max = std::min(89.999, std::abs(p.lat) + dlat);
    const double dlon = std::min(360.0, radius_m / (111000.0 * std::cos(lat_max * deg)));
    return {{p.lon - dlon, p.lat - dlat}, {p.lon + dlon, p.lat + dlat}};
}

std::vector<std::pair<double, double>> lon_ranges(double lo, double hi) {
    if (hi - lo >= 360) {
        return {{-180, 180}};
    }
    if (lo < -180) {
        return {{-180, hi}, {lo + 360, 180}};
    }
    if (hi > 180) {
        return {{lo, 180}, {-180, hi - 360}};
    }
    return {{lo, hi}};
}

Inverse geodesic_inverse(LonLat a, LonLat b) {
    Inverse r{};
    geod_inverse(&wgs84(), a.lat, a.lon, b.lat, b.lon, &r.distance_m, &r.azimuth1_deg,
                 &r.azimuth2_deg);
    return r;
}

double geodesic_distance_m(LonLat a, LonLat b) {
    double s12 = 0;
    geod_inverse(&wgs84(), a.lat, a.lon, b.lat, b.lon, &s12, nullptr, nullptr);
    return s12;
}

LonLat geodesic_direct(LonLat a, double azimuth_deg, double distance_m) {
    LonLat r;
    geod_direct(&wgs84(), a.lat, a.lon, azimuth_deg, distance_m, &r.lat, &r.lon, nullptr);
    return r;
}

double geodesic_length_km(std::span<const LonLat> polyline) {
    double m = 0;
    for (std::size_t i = 1; i < polyline.size(); ++i) {
        m += geodesic_distance_m(polyline[i - 1], polyline[i]);
    }
    return m / 1000.0;
}

LocalScale local_scale(double lat_deg) {
    constexpr double a = 6378137.0, f = 1.0 / 298.257223563, e2 = f * (2 - f);
    const double s = std::sin(lat_deg * deg);
    const double w = std::sqrt(1 - e2 * s * s);
    const double prime_vertical = a / w, meridional = a * (1 - e2) / (w * w * w);
    return {prime_vertical * std::cos(lat_deg * deg) * deg, meridional * deg};
}

double short_distance_m(LonLat a, LonLat b) {
    constexpr double major = 6378137.0, f = 1.0 / 298.257223563, e2 = f * (2 - f);
    const auto ecef = [&](LonLat p) {
        const double sin_lat = std::sin(p.lat * deg), cos_lat = std::cos(p.lat * deg);
        const double n = major / std::sqrt(1 - e2 * sin_lat * sin_lat);
        return std::array{n * cos_lat * std::cos(p.lon * deg), n * cos_lat * std::sin(p.lon * deg),
                          n * (1 - e2) * sin_lat};
    };
    const auto pa = ecef(a), pb = ecef(b);
    const double dx = pa[0] - pb[0], dy = pa[1] - pb[1], dz = pa[2] - pb[2];
    const double chord2 = dx * dx + dy * dy + dz * dz;
    // The arc over a chord c of a curve of radius R: c + c^3 / (24 R^2) + ...;
    // R^2 = M N, the meridional and prime-vertical radii at the mid-latitude.
    const double s = std::sin(0.5 * (a.lat + b.lat) * deg);
    const double w2 = 1 - e2 * s * s;
    const double mn = major * major * (1 - e2) / (w2 * w2);
    const double chord = std::sqrt(chord2);
    return chord + chord * chord2 / (24 * mn);
}

std::optional<LocalFoot> local_foot_on_edge(LonLat a, LonLat b, LonLat p) {
    const double dlon = wrap_lon(b.lon - a.lon);
    if (std::max(std::abs(dlon), std::abs(b.lat - a.lat)) >= 0.01) {
        return std::nullopt;
    }
    const LocalScale k = local_scale(0.5 * (a.lat + b.lat));
    const double bx = dlon * k.m_per_deg_lon, by = (b.lat - a.lat) * k.m_per_deg_lat;
    const double px = wrap_lon(p.lon - a.lon) * k.m_per_deg_lon,
                 py = (p.lat - a.lat) * k.m_per_deg_lat;
    if (px * px + py * py >= 25e6) { // beyond 5 km
        return std::nullopt;
    }
    const double len2 = bx * bx + by * by;
    const double t = len2 > 0 ? std::clamp((px * bx + py * by) / len2, 0.0, 1.0) : 0.0;
    const LonLat foot{wrap_lon(a.lon + dlon * t), a.lat + (b.lat - a.lat) * t};
    return LocalFoot{t, foot, bx * py - by * px}; // cross > 0: p left of a->b (x east, y north)
}

EdgeProjection project_onto_edge(LonLat a, LonLat b, LonLat p) {
    // A short edge near p: in the local frame of the ellipsoid at the edge, a
    // geodesic of under a kilometre and the straight segment part by far less
    // than a millimetre, so the foot of the perpendicular found there is the
    // nearest point; its distance to p is then measured exactly.
    if (const auto local = local_foot_on_edge(a, b, p)) {
        const double offset = geodesic_distance_m(local->foot, p);
        return {local->fraction, offset, offset > 1e-9 ? -local->cross : 0.0, local->foot};
    }
    const double dlon = wrap_lon(b.lon - a.lon);
    const Inverse ab = geodesic_inverse(a, b);
    const double length = ab.distance_m;
    if (length == 0) {
        return {0, geodesic_distance_m(a, p), 0, a};
    }
    geod_geodesicline line{};
    geod_lineinit(&line, &wgs84(), a.lat, a.lon, ab.azimuth1_deg, 0);

    // Start from the projection in a local equirectangular frame, then move
    // along the geodesic by the along-track component of the offset until the
    // direction to p is perpendicular to the edge (Newton's method on the
    // distance; converges in a few steps, exactly on the ellipsoid).
    const double k = std::cos(a.lat * deg);
    const double bx = dlon * k, by = b.lat - a.lat;
    const double px = wrap_lon(p.lon - a.lon) * k, py = p.lat - a.lat;
    const double denom = bx * bx + by * by;
    double s = denom > 0 ? std::clamp((px * bx + py * by) / denom, 0.0, 1.0) * length : 0.0;

    LonLat x = a;
    Inverse xp{};
    double azimuth_x = ab.azimuth1_deg;
    for (int iteration = 0; iteration < 20; ++iteration) {
        geod_position(&line, s, &x.lat, &x.lon, &azimuth_x);
        xp = geodesic_inverse(x, p);
        const double step = xp.distance_m * std::cos((xp.azimuth1_deg - azimuth_x) * deg);
        const double next = std::clamp(s + step, 0.0, length);
        if (std::abs(next - s) < 1e-6) {
            break;
        }
        s = next;
    }
    geod_position(&line, s, &x.lat, &x.lon, &azimuth_x);
    xp = geodesic_inverse(x, p);
    double side = 0;
    if (xp.distance_m > 1e-9) {
        side = std::sin((xp.azimuth1_deg - azimuth_x) * deg);
    }
    return {s / length, xp.distance_m, side, x};
}

LonLat interpolate_on_edge(LonLat a, LonLat b, double t) {
    if (t <= 0) {
        return a;
    }
    if (t >= 1) {
        return b;
    }
    // Below a few km a geodesic and the straight lon/lat segment part by less
    // than a millimetre; interpolate linearly there, on the geodesic beyond.
    const double dlon = wrap_lon(b.lon - a.lon);
    const double span = std::max(std::abs(dlon), std::abs(b.lat - a.lat));
    if (span < 0.02) {
        return {wrap_lon(a.lon + dlon * t), a.lat + (b.lat - a.lat) * t};
    }
    const Inverse ab = geodesic_inverse(a, b);
    return geodesic_direct(a, ab.azimuth1_deg, ab.distance_m * t);
}

} // namespace bordercov
