#include "bordercov/geodesy.hpp"

#include "reference.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

using namespace bordercov;
using bordercov::test::ref_direct;
using bordercov::test::ref_distance_m;

TEST(Geodesy, MeridianDegreeAtTheEquatorIs110574Metres) {
    // The WGS 84 meridian arc from 0 to 1 degree north: 110 574.389 m.
    const std::vector<LonLat> meridian{{108, 0}, {108, 1}};
    EXPECT_NEAR(geodesic_length_km(meridian), 110.574389, 0.001);
}

TEST(Geodesy, LengthIsTheSumOfGeodesicEdges) {
    const std::vector<LonLat> line{{107.9, 13.5}, {108.05, 13.61}, {108.2, 13.58}};
    const double expected_m =
        ref_distance_m(107.9, 13.5, 108.05, 13.61) + ref_distance_m(108.05, 13.61, 108.2, 13.58);
    EXPECT_NEAR(geodesic_length_km(line) * 1000.0, expected_m, 1e-6);
}

TEST(Geodesy, ProjectionOntoAnEdgeMatchesDenseSampling) {
    const LonLat a{107.6, 13.7}, b{108.4, 14.1};
    const double length = ref_distance_m(a.lon, a.lat, b.lon, b.lat);
    double azimuth = 0;
    {
        double s = 0, azi2 = 0;
        geod_inverse(&bordercov::test::reference_wgs84(), a.lat, a.lon, b.lat, b.lon, &s, &azimuth,
                     &azi2);
    }
    for (const LonLat p :
         {LonLat{107.9, 13.95}, LonLat{108.3, 13.9}, LonLat{107.5, 13.6}, LonLat{108.0, 13.9}}) {
        // Brute force: the nearest of 20 001 points on the geodesic, then a
        // finer pass around it.
        double best = std::numeric_limits<double>::infinity(), best_s = 0;
        const int n = 20000;
        for (int i = 0; i <= n; ++i) {
            const double s = length * i / n;
            double lon = 0, lat = 0;
            ref_direct(a.lon, a.lat, azimuth, s, lon, lat);
            const double d = ref_distance_m(lon, lat, p.lon, p.lat);
            if (d < best) {
                best = d;
                best_s = s;
            }
        }
        for (int i = -1000; i <= 1000; ++i) {
            const double s = std::clamp(best_s + length / n * i / 1000.0, 0.0, length);
            double lon = 0, lat = 0;
            ref_direct(a.lon, a.lat, azimuth, s, lon, lat);
            best = std::min(best, ref_distance_m(lon, lat, p.lon, p.lat));
        }
        const EdgeProjection e = project_onto_edge(a, b, p);
        EXPECT_NEAR(e.offset_m, best, 1e-3) << p.lon << " " << p.lat;
        EXPECT_NEAR(ref_distance_m(e.nearest.lon, e.nearest.lat, p.lon, p.lat), e.offset_m, 1e-6);
    }
}

TEST(Geodesy, SideOfANorthboundEdge) {
    const LonLat a{108, 13}, b{108, 14};
    EXPECT_GT(project_onto_edge(a, b, {108.01, 13.5}).side, 0); // east: right
    EXPECT_LT(project_onto_edge(a, b, {107.99, 13.5}).side, 0); // west: left
}

TEST(Geodesy, InterpolationFollowsTheGeodesic) {
    const LonLat a{102.1, 21.9}, b{106.7, 22.9};
    double s = 0, azi1 = 0, azi2 = 0;
    geod_inverse(&bordercov::test::reference_wgs84(), a.lat, a.lon, b.lat, b.lon, &s, &azi1, &azi2);
    double lon = 0, lat = 0;
    ref_direct(a.lon, a.lat, azi1, 0.3 * s, lon, lat);
    const LonLat p = interpolate_on_edge(a, b, 0.3);
    EXPECT_LT(ref_distance_m(p.lon, p.lat, lon, lat), 1e-3);
}

TEST(Geodesy, ShortDistanceIsTheGeodesicWithinItsBound) {
    // Random pairs up to 10 km apart at every latitude to 85 degrees, across
    // the antimeridian too, against PROJ's geodesic directly.
    std::mt19937 rng(18);
    std::uniform_real_distribution<double> u(0, 1);
    double worst = 0;
    for (int i = 0; i < 200'000; ++i) {
        const double lon = -180 + 360 * u(rng), lat = -85 + 170 * u(rng);
        const double distance = i % 10 == 0 ? 10 * u(rng) : 10'000 * u(rng);
        double lon2 = 0, lat2 = 0;
        ref_direct(lon, lat, 360 * u(rng), distance, lon2, lat2);
        const double reference = ref_distance_m(lon, lat, lon2, lat2);
        worst = std::max(worst, std::abs(short_distance_m({lon, lat}, {lon2, lat2}) - reference));
    }
    EXPECT_LT(worst, short_distance_error_m / 5);
    EXPECT_EQ(short_distance_m({108, 13}, {108, 13}), 0);
}

TEST(Geodesy, TheLocalFootIsTheProjectionsOwnOnShortEdges) {
    // On a short edge with p within 5 km, project_onto_edge measures from
    // the foot local_foot_on_edge finds; elsewhere there is none.
    const LonLat a{108, 13}, b{108.0001, 13.0002}, p{108.01, 13.0001};
    const auto foot = local_foot_on_edge(a, b, p);
    ASSERT_TRUE(foot);
    const EdgeProjection e = project_onto_edge(a, b, p);
    EXPECT_EQ(foot->foot, e.nearest);
    EXPECT_EQ(foot->fraction, e.fraction);
    EXPECT_EQ(ref_distance_m(foot->foot.lon, foot->foot.lat, p.lon, p.lat), e.offset_m);
    EXPECT_FALSE(local_foot_on_edge(a, b, {108.1, 13}));  // 10.8 km away
    EXPECT_FALSE(local_foot_on_edge(a, {108.02, 13}, p)); // an edge of 0.02 degrees
}
