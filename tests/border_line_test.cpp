#include "bordercov/border_line.hpp"

#include "reference.hpp"

#include <gtest/gtest.h>

#include <iomanip>
#include <limits>
#include <random>

using namespace bordercov;
using bordercov::test::ref_direct;
using bordercov::test::ref_distance_m;

TEST(BorderLine, MeridianLineFromTheEquatorToOneDegreeNorth) {
    const BorderLine line("L", {{{108, 0}, {108, 0.5}, {108, 1}}});
    EXPECT_NEAR(line.length_km(), 110.574, 0.001);
}

TEST(BorderLine, CrossingTheUtmZoneEdgeAt108East) {
    const BorderLine line("L", {{{107.95, 13.5}, {108.0, 13.55}, {108.07, 13.62}}});
    const double expected_km =
        (ref_distance_m(107.95, 13.5, 108.0, 13.55) + ref_distance_m(108.0, 13.55, 108.07, 13.62)) /
        1000.0;
    EXPECT_NEAR(line.length_km(), expected_km, 1e-9);
}

TEST(BorderLine, TheHoleBetweenTwoPartsAddsNoChainage) {
    // Two parts on the 108th meridian with a hole of about 5 km between them.
    const BorderLine line("L", {{{108, 13.0}, {108, 13.1}}, {{108, 13.145}, {108, 13.245}}});
    const double part1 = ref_distance_m(108, 13.0, 108, 13.1) / 1000.0;
    const double part2 = ref_distance_m(108, 13.145, 108, 13.245) / 1000.0;
    const double hole = ref_distance_m(108, 13.1, 108, 13.145) / 1000.0;
    ASSERT_NEAR(hole, 4.98, 0.01);
    EXPECT_NEAR(line.length_km(), part1 + part2, 1e-9);
    ASSERT_EQ(line.part_joins_km().size(), 1u);
    EXPECT_NEAR(line.part_joins_km()[0], part1, 1e-9);
    // A stretch over the join is cut into one polyline per part.
    const auto parts = line.cut(part1 - 1.0, part1 + 1.0);
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_NEAR(parts[0].back().lat, 13.1, 1e-12);
    EXPECT_NEAR(parts[1].front().lat, 13.145, 1e-12);
    // A point in the hole lies nearest to one of the two part ends.
    const Location in_hole = line.locate({108, 13.11});
    EXPECT_NEAR(in_hole.chainage_km, part1, 1e-6);
    EXPECT_NEAR(in_hole.offset_m, ref_distance_m(108, 13.11, 108, 13.1), 1e-3);
}

TEST(BorderLine, NearbyDistanceIsOfTheRunNearThePointNotOfAPartJoin) {
    // Part 1: 40 edges along the equator from 0 E to 1 E; part 2 runs north
    // along 0.5 E from 1 N to 2 N. Edges 32..39 of part 1 and those of part 2
    // share a block of 32 edges, whose box (0.5..1 E, 0..2 N) holds p, 0.001
    // degrees north of the equator at 0.55 E, nearer than p's own run (on
    // the equator). The estimate must come from p's own run: the line lies
    // 0.001 degrees of latitude from p, not 0.25 degrees of longitude.
    std::vector<LonLat> part1, part2;
    for (int i = 0; i <= 40; ++i) {
        part1.push_back({i / 40.0, 0.0});
    }
    for (int i = 0; i <= 10; ++i) {
        part2.push_back({0.5, 1.0 + i / 10.0});
    }
    const BorderLine line("L", {part1, part2});
    const LonLat p{0.55, 0.001};
    const double expected_m = ref_distance_m(0.55, 0.001, 0.55, 0.0);
    ASSERT_NEAR(expected_m, 110.57, 0.01);
    EXPECT_NEAR(line.nearby_distance_m(p, 100000), expected_m, 0.01);
    EXPECT_NEAR(line.nearby_distance_m(p), expected_m, 0.01);
    EXPECT_NEAR(line.locate(p).offset_m, expected_m, 1e-6);
}

TEST(BorderLine, LocatesAPointOffTheLineWithChainageOffsetAndSide) {
    const BorderLine line("L", {{{108, 13.0}, {108, 13.2}, {108, 13.4}}});
    // 100 m due east of the point 5 km along the meridian, and 250 m due west
    // of the point 30 km along: the perpendiculars of a meridian run east-west.
    double lon = 0, lat = 0, east_lon = 0, east_lat = 0;
    ref_direct(108, 13.0, 0, 5000, lon, lat);
    ref_direct(lon, lat, 90, 100, east_lon, east_lat);
    const Location east = line.locate({east_lon, east_lat});
    EXPECT_NEAR(east.chainage_km, 5.0, 1e-6);
    EXPECT_NEAR(east.offset_m, 100.0, 1e-3);
    EXPECT_EQ(east.side, 1);

    ref_direct(108, 13.0, 0, 30000, lon, lat);
    ref_direct(lon, lat, 270, 250, east_lon, east_lat);
    const Location west = line.locate({east_lon, east_lat});
    EXPECT_NEAR(west.chainage_km, 30.0, 1e-6);
    EXPECT_NEAR(west.offset_m, 250.0, 1e-3);
    EXPECT_EQ(west.side, -1);
}

TEST(BorderLine, BeyondTheEndLocatesAtTheEnd) {
    const BorderLine line("L", {{{108, 13.0}, {108, 13.2}}});
    const Location at = line.locate({108, 13.3});
    EXPECT_NEAR(at.chainage_km, line.length_km(), 1e-9);
    EXPECT_NEAR(at.offset_m, ref_distance_m(108, 13.3, 108, 13.2), 1e-3);
}

TEST(BorderLine, LocateAgreesWithBruteForceOnAWigglyLine) {
    // A random walk of 300 vertices about 80 m apart; the reference samples
    // every edge each 0.5 m with PROJ and keeps the nearest sample.
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> turn(-40, 40);
    std::vector<LonLat> vertices{{107.6, 13.6}};
    double heading = 160;
    for (int i = 0; i < 300; ++i) {
        heading += turn(rng);
        LonLat next;
        ref_direct(vertices.back().lon, vertices.back().lat, heading, 80, next.lon, next.lat);
        vertices.push_back(next);
    }
    const BorderLine line("L", {vertices});
    std::uniform_int_distribution<std::size_t> pick(0, vertices.size() - 1);
    std::uniform_real_distribution<double> away(0, 400), direction(0, 360);
    for (int k = 0; k < 15; ++k) {
        LonLat p;
        const LonLat base = vertices[pick(rng)];
        ref_direct(base.lon, base.lat, direction(rng), away(rng), p.lon, p.lat);
        double best = std::numeric_limits<double>::infinity();
        for (std::size_t v = 0; v + 1 < vertices.size(); ++v) {
            double s = 0, azi1 = 0, azi2 = 0;
            geod_inverse(&bordercov::test::reference_wgs84(), vertices[v].lat, vertices[v].lon,
                         vertices[v + 1].lat, vertices[v + 1].lon, &s, &azi1, &azi2);
            if (ref_distance_m(p.lon, p.lat, vertices[v].lon, vertices[v].lat) > best + s) {
                continue; // no point of this edge can be nearer
            }
            for (double t = 0; t <= s; t += 0.5) {
                double lon = 0, lat = 0;
                ref_direct(vertices[v].lon, vertices[v].lat, azi1, t, lon, lat);
                best = std::min(best, ref_distance_m(lon, lat, p.lon, p.lat));
            }
        }
        const Location at = line.locate(p);
        // Sampling every 0.5 m overestimates the distance by at most ~0.25 m;
        // bordercov may exceed the true minimum by micrometres (a short edge's
        // foot is found in the local frame), never by a millimetre.
        EXPECT_LE(at.offset_m, best + 1e-3) << std::setprecision(12) << at.offset_m - best;
        EXPECT_GE(at.offset_m, best - 0.3);
    }
}

TEST(BorderLine, CutAndPointAtFollowTheChainage) {
    const BorderLine line("L", {{{108, 13.0}, {108, 13.2}, {108, 13.4}}});
    double lon = 0, lat2 = 0, lat5 = 0;
    ref_direct(108, 13.0, 0, 2000, lon, lat2);
    ref_direct(108, 13.0, 0, 25000, lon, lat5);
    const auto parts = line.cut(25.0, 2.0); // given backwards: the same stretch
    ASSERT_EQ(parts.size(), 1u);
    ASSERT_EQ(parts[0].size(), 3u); // start, the vertex at 13.2, end
    EXPECT_NEAR(parts[0].front().lat, lat2, 1e-9);
    EXPECT_NEAR(parts[0][1].lat, 13.2, 1e-12);
    EXPECT_NEAR(parts[0].back().lat, lat5, 1e-9);
    const LonLat p = line.point_at(2.0);
    EXPECT_LT(ref_distance_m(p.lon, p.lat, 108, lat2), 1e-3);
}
