// The map frame against independent arithmetic: lengths and directions on
// the ground from PROJ's geodesic API called directly (reference.hpp), the
// picture's from plain coordinate differences.
#include "bordercov/map_frame.hpp"
#include "reference.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace bordercov;
using bordercov::test::ref_direct;
using bordercov::test::ref_distance_m;

namespace {

/// A commune-sized box near the Gia Lai border (about 25 × 30 km).
const std::vector<LonLat> area{{107.45, 13.70}, {107.68, 13.70}, {107.68, 13.97}, {107.45, 13.97}};

double svg_distance(SvgPoint a, SvgPoint b) {
    return std::hypot(a.x - b.x, a.y - b.y);
}

} // namespace

TEST(MapFrame, TheAreaFitsTheBoxWithItsMarginAndShape) {
    const MapFrame frame(area, 1000, 640, 28);
    EXPECT_EQ(frame.width(), 1000);
    EXPECT_LE(frame.height(), 640 + 1e-9);
    for (const LonLat& p : area) {
        const SvgPoint s = frame.to_svg(p);
        EXPECT_GE(s.x, 28 - 1e-6);
        EXPECT_LE(s.x, 1000 - 28 + 1e-6);
        EXPECT_GE(s.y, 28 - 1e-6);
        EXPECT_LE(s.y, frame.height() - 28 + 1e-6);
    }
    // Taller than wide on the ground (30 km by 25 km): the height is what
    // limits, so it is used to the margin.
    EXPECT_NEAR(frame.height(), 640, 1e-6);
}

TEST(MapFrame, LengthsOnTheMapAreGeodesicLengthsTimesTheScale) {
    const MapFrame frame(area, 1000, 640, 28);
    const LonLat c = frame.centre();
    // 5 km in each of four directions from the centre, measured on the
    // ellipsoid by PROJ's geodesic API: on the map, 5 km × units per metre,
    // to 0.05 % (the transverse Mercator's scale 2.5 km off its meridian).
    for (const double azimuth : {0.0, 45.0, 90.0, 135.0}) {
        LonLat to{};
        ref_direct(c.lon, c.lat, azimuth, 5000, to.lon, to.lat);
        const double units = svg_distance(frame.to_svg(c), frame.to_svg(to));
        EXPECT_NEAR(units / frame.units_per_metre(), 5000, 2.5) << azimuth;
    }
    // And a long one corner to corner.
    const double metres = ref_distance_m(area[0].lon, area[0].lat, area[2].lon, area[2].lat);
    const double units = svg_distance(frame.to_svg(area[0]), frame.to_svg(area[2]));
    EXPECT_NEAR(units / frame.units_per_metre() / metres, 1.0, 5e-4);
}

TEST(MapFrame, NorthIsUpAtTheCentreAndEastIsRight) {
    const MapFrame frame(area, 1000, 640, 28);
    const LonLat c = frame.centre();
    LonLat north{}, east{};
    ref_direct(c.lon, c.lat, 0, 3000, north.lon, north.lat);
    ref_direct(c.lon, c.lat, 90, 3000, east.lon, east.lat);
    const SvgPoint s = frame.to_svg(c), n = frame.to_svg(north), e = frame.to_svg(east);
    // Up is -y on the page: the direction of true north, clockwise from up.
    const double north_deg = std::atan2(n.x - s.x, s.y - n.y) * 180 / M_PI;
    EXPECT_NEAR(north_deg, frame.north_deg(), 0.01);
    EXPECT_NEAR(north_deg, 0.0, 0.01);
    const double east_deg = std::atan2(e.x - s.x, s.y - e.y) * 180 / M_PI;
    EXPECT_NEAR(east_deg, 90.0, 0.05); // conformal: a right angle stays one
}

TEST(MapFrame, ATinyAreaIsShownAtLeastHalfAKilometreAcross) {
    const std::vector<LonLat> point{{107.5, 13.8}};
    const MapFrame frame(point, 1000, 640, 20);
    const SvgPoint s = frame.to_svg(point[0]);
    EXPECT_NEAR(s.x, 500, 1e-6);
    // 500 m fill the 600 units of height between the margins.
    EXPECT_NEAR(frame.units_per_metre(), 600.0 / 500.0, 1e-3);
}

TEST(MapFrame, ScaleBarIsARoundLengthDrawnToScale) {
    const MapFrame frame(area, 1000, 640, 28);
    const ScaleBar bar = scale_bar(frame, 250);
    // 584 units for ~30 km: about 51 m a unit; 250 units are ~12.8 km: 10 km.
    EXPECT_EQ(bar.metres, 10000);
    EXPECT_NEAR(bar.units, 10000 * frame.units_per_metre(), 1e-9);
    EXPECT_LE(bar.units, 250);
}

TEST(MapFrame, PathsAreThinnedToWhatThePictureShows) {
    const MapFrame frame(area, 1000, 640, 28);
    std::vector<LonLat> dense;
    for (int i = 0; i <= 1000; ++i) {
        dense.push_back({107.45 + 0.23 * i / 1000.0, 13.8});
    }
    const std::string d = frame.path(dense);
    EXPECT_EQ(d.rfind("M", 0), 0u);
    const auto vertices = std::count(d.begin(), d.end(), 'L') + 1;
    // ~25 km across ~480 units: about one vertex per half unit, never 1001.
    EXPECT_LT(vertices, 1001);
    EXPECT_GT(vertices, 400);
    EXPECT_EQ(frame.path(area, true).back(), 'Z');
}
