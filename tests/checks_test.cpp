#include "bordercov/checks.hpp"

#include "plan_fixture.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>

using namespace bordercov;
using namespace bordercov::test;

namespace {

std::vector<const Diagnostic*> with_code(const Diagnostics& d, const std::string& code) {
    std::vector<const Diagnostic*> out;
    for (const Diagnostic& x : d.items()) {
        if (x.code == code) {
            out.push_back(&x);
        }
    }
    return out;
}

Diagnostics checked(const Workspace& ws) {
    Diagnostics d;
    const Plan plan = resolve(ws, {}, d);
    check_consistency(ws, plan, d);
    return d;
}

} // namespace

TEST(Checks, MarkersAgainstTheirNumberingAreNamed) {
    Workspace ws = meridian_workspace();
    // Along the line: 21, 21/1, 23, 22, 24: "22" comes after "23".
    ws.markers = {marker("21", 108, 13.1), marker("21/1", 108, 13.15), marker("23", 108, 13.2),
                  marker("22", 108, 13.3), marker("24", 108, 13.4)};
    const Diagnostics d = checked(ws);
    const auto found = with_code(d, "marker-out-of-order");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0]->feature_id, "22");
    EXPECT_EQ(found[0]->severity, Severity::warning);
    EXPECT_NE(found[0]->message.find("'23'"), std::string::npos) << found[0]->message;
}

TEST(Checks, MarkerNumbersAtTheEndsOfALongCompareWithoutOverflow) {
    // Ids are free text: the extreme longs must compare, not be subtracted
    // (-1 then 9223372036854775807 rises; then -9223372036854775808 falls).
    Workspace ws = meridian_workspace();
    ws.markers = {marker("-1", 108, 13.1), marker("9223372036854775807", 108, 13.2),
                  marker("-9223372036854775808", 108, 13.3),
                  marker("9223372036854775807/1", 108, 13.4)};
    const Diagnostics d = checked(ws);
    const auto found = with_code(d, "marker-out-of-order");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0]->feature_id, "-9223372036854775808");
}

TEST(Checks, NumberingMayFallAlongTheLine) {
    Workspace ws = meridian_workspace();
    ws.markers = {marker("30", 108, 13.1), marker("29", 108, 13.2), marker("28", 108, 13.3)};
    EXPECT_TRUE(with_code(checked(ws), "marker-out-of-order").empty());
}

TEST(Checks, HouseholdOutsideItsCommuneAndTeamWithoutHouseholds) {
    Workspace ws = meridian_workspace();
    Commune c;
    c.commune_id = "C1";
    c.area = {{{{107.9, 13.0}, {108.1, 13.0}, {108.1, 13.2}, {107.9, 13.2}, {107.9, 13.0}}}};
    ws.communes = {c};
    ws.households[0].commune_id = "C1";
    ws.households[0].home = LonLat{108.05, 13.1}; // inside
    ws.households[1].commune_id = "C1";
    ws.households[1].home = LonLat{108.05, 13.3}; // 0.1 degree north of it
    const Diagnostics d = checked(ws);
    const auto outside = with_code(d, "household-outside-commune");
    ASSERT_EQ(outside.size(), 1u);
    EXPECT_EQ(outside[0]->feature_id, "H2");
    EXPECT_EQ(outside[0]->layer, "households");
    EXPECT_EQ(outside[0]->field, "commune_id");
    // T1 has H1..H3; T2 has nobody.
    const auto lonely = with_code(d, "team-without-households");
    ASSERT_EQ(lonely.size(), 1u);
    EXPECT_EQ(lonely[0]->feature_id, "T2");
}

TEST(Checks, ALineThatCrossesItselfOrWhosePartsOverlap) {
    Workspace ws = meridian_workspace();
    ws.lines.emplace_back("Z", std::vector<BorderLine::Part>{
                                   {{108.1, 13.0}, {108.2, 13.1}, {108.2, 13.0}, {108.1, 13.1}}});
    ws.lines.emplace_back("P", std::vector<BorderLine::Part>{{{108.3, 13.0}, {108.3, 13.2}},
                                                             {{108.3, 13.1}, {108.3, 13.3}}});
    ws.lines.emplace_back(
        "B", std::vector<BorderLine::Part>{{{108.4, 13.0}, {108.4, 13.2}, {108.4, 13.1}}});
    const Diagnostics diagnostics = checked(ws);
    const auto found = with_code(diagnostics, "line-not-simple");
    // Z crosses itself, P's parts overlap, B doubles back; L (the meridian) is simple
    ASSERT_EQ(found.size(), 3u);
    EXPECT_EQ(found[0]->feature_id, "Z");
    EXPECT_EQ(found[1]->feature_id, "P");
    EXPECT_EQ(found[0]->layer, "border_lines");
    // Z's first and third edges cross midway: (108.15, 13.05) by hand.
    ASSERT_EQ(found[0]->where.size(), 1u);
    EXPECT_NEAR(found[0]->where[0].lon, 108.15, 1e-12);
    EXPECT_NEAR(found[0]->where[0].lat, 13.05, 1e-12);
    EXPECT_NE(found[0]->message.find("POINT (108.1500000 13.0500000)"), std::string::npos)
        << found[0]->message;
    // P's parts share the stretch 13.1..13.2 on 108.3: an end of it is named.
    ASSERT_EQ(found[1]->where.size(), 1u);
    EXPECT_DOUBLE_EQ(found[1]->where[0].lon, 108.3);
    EXPECT_TRUE(found[1]->where[0].lat == 13.1 || found[1]->where[0].lat == 13.2)
        << found[1]->where[0].lat;
    // B runs 13.1..13.2 twice (it turns back at 13.2 and ends at 13.1): an end of that is named.
    EXPECT_EQ(found[2]->feature_id, "B");
    ASSERT_EQ(found[2]->where.size(), 1u);
    EXPECT_DOUBLE_EQ(found[2]->where[0].lon, 108.4);
    EXPECT_TRUE(found[2]->where[0].lat == 13.1 || found[2]->where[0].lat == 13.2)
        << found[2]->where[0].lat;
}

namespace {

Commune box_commune(std::string id, double west, double south, double east, double north) {
    Commune c;
    c.commune_id = std::move(id);
    c.area = {{{{west, south}, {east, south}, {east, north}, {west, north}, {west, south}}}};
    return c;
}

} // namespace

TEST(Checks, OverlappingCommunesAreNamedWithAPointOfTheOverlap) {
    Workspace ws = meridian_workspace(); // L runs up the 108th meridian, 13.0..13.5 N
    // C1 107.9..108.2 x 13.0..13.3 and C2 107.95..108.1 x 13.2..13.5 share the box
    // 107.95..108.1 x 13.2..13.3: 0.15 x 0.1 = 0.015 square degrees, a third of
    // C2 (0.15 x 0.3 = 0.045), and 13.2..13.3 of the line runs through it.
    // C3 (east of C1) only shares C1's edge on 108.2: no overlap.
    ws.communes = {box_commune("C1", 107.9, 13.0, 108.2, 13.3),
                   box_commune("C2", 107.95, 13.2, 108.1, 13.5),
                   box_commune("C3", 108.2, 13.0, 108.4, 13.3)};
    const Diagnostics d = checked(ws);
    const auto found = with_code(d, "overlapping-communes");
    ASSERT_EQ(found.size(), 1u);
    const Diagnostic& o = *found[0];
    EXPECT_EQ(o.severity, Severity::warning);
    EXPECT_EQ(o.layer, "communes");
    EXPECT_EQ(o.feature_id, "C2"); // the later of the two
    // A point of the overlap: GEOS's interior point of a box is its centre,
    // ((107.95 + 108.1) / 2, (13.2 + 13.3) / 2).
    ASSERT_EQ(o.where.size(), 1u);
    EXPECT_NEAR(o.where[0].lon, 108.025, 1e-9);
    EXPECT_NEAR(o.where[0].lat, 13.25, 1e-9);
    EXPECT_NE(o.message.find("POINT (108.0250000 13.2500000)"), std::string::npos) << o.message;
    EXPECT_NE(o.message.find("'C1' and 'C2'"), std::string::npos) << o.message;
    EXPECT_NE(o.message.find("33.3% of 'C2'"), std::string::npos) << o.message;
    // The border in the overlap: the meridian from 13.2 to 13.3 N, by PROJ.
    const std::string km = fmt::format("{:.3f} km", meridian_km(13.3) - meridian_km(13.2));
    EXPECT_NE(o.message.find(km), std::string::npos) << km << " in " << o.message;
    EXPECT_NE(o.message.find("count for 'C1' only"), std::string::npos) << o.message;
}

TEST(Checks, ACommuneInsideAnotherOverlapsIt) {
    Workspace ws = meridian_workspace();
    // C2 lies wholly inside C1, away from the line: all of C2 is overlap.
    ws.communes = {box_commune("C1", 107.0, 12.0, 109.0, 14.0),
                   box_commune("C2", 107.2, 12.2, 107.4, 12.4)};
    const Diagnostics d = checked(ws);
    const auto found = with_code(d, "overlapping-communes");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_NE(found[0]->message.find("100.0% of 'C2'"), std::string::npos) << found[0]->message;
    EXPECT_NE(found[0]->message.find("no border line runs through it"), std::string::npos)
        << found[0]->message;
    ASSERT_EQ(found[0]->where.size(), 1u);
    EXPECT_NEAR(found[0]->where[0].lon, 107.3, 1e-9); // C2's centre
    EXPECT_NEAR(found[0]->where[0].lat, 12.3, 1e-9);
}

TEST(Checks, ASliverAlongASharedEdgeIsNoOverlap) {
    Workspace ws = meridian_workspace();
    // C2 reaches 0.0001 degree into C1 along their 0.3 degree edge: 3e-5
    // square degrees, 0.05% of either (0.06): below the 0.1% that counts.
    ws.communes = {box_commune("C1", 107.9, 13.0, 108.1, 13.3),
                   box_commune("C2", 108.0999, 13.0, 108.3, 13.3)};
    EXPECT_TRUE(with_code(checked(ws), "overlapping-communes").empty());
    // Twenty times as deep (0.002 degree, 1%) it is an overlap.
    ws.communes[1] = box_commune("C2", 108.098, 13.0, 108.3, 13.3);
    EXPECT_EQ(with_code(checked(ws), "overlapping-communes").size(), 1u);
}

TEST(Checks, ManyCommunesInAGridOverlapOnlyWhereOneIsMoved) {
    // 40 x 25 communes of 0.01 degree, edge to edge; one of them, shifted east
    // by half its width, overlaps the next in its row by half of it (and
    // leaves a gap towards the one before).
    Workspace ws = meridian_workspace();
    for (int row = 0; row < 25; ++row) {
        for (int col = 0; col < 40; ++col) {
            const double west = 107.5 + 0.01 * col + (row == 7 && col == 11 ? 0.005 : 0.0);
            const double south = 12.5 + 0.01 * row;
            ws.communes.push_back(box_commune(fmt::format("R{}C{}", row, col), west, south,
                                              west + 0.01, south + 0.01));
        }
    }
    const Diagnostics d = checked(ws);
    const auto found = with_code(d, "overlapping-communes");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0]->feature_id, "R7C12");
    EXPECT_NE(found[0]->message.find("'R7C11' and 'R7C12'"), std::string::npos)
        << found[0]->message;
}

TEST(Checks, EachStretchOfBorderInNoCommuneIsAWarning) {
    // Line L along 108 E from 13.0 to 13.5 N. Commune A holds 13.0-13.05 N,
    // B a U that the line crosses at 13.1-13.2 N and 13.3-13.4 N: in no
    // commune are 13.05-13.1, 13.2-13.3 and 13.4-13.5 N.
    Workspace ws = meridian_workspace();
    Commune a, b;
    a.commune_id = "A";
    a.area = {{{{107.99, 13.0}, {108.01, 13.0}, {108.01, 13.05}, {107.99, 13.05}, {107.99, 13.0}}}};
    b.commune_id = "B";
    b.area = {{{{107.99, 13.1},
                {108.05, 13.1},
                {108.05, 13.4},
                {107.99, 13.4},
                {107.99, 13.3},
                {108.02, 13.3},
                {108.02, 13.2},
                {107.99, 13.2},
                {107.99, 13.1}}}};
    ws.communes = {a, b};
    Diagnostics d;
    check_border_in_communes(ws, d);
    const auto found = with_code(d, "border-outside-communes");
    ASSERT_EQ(found.size(), 3u);
    const double bounds[][2] = {{13.05, 13.1}, {13.2, 13.3}, {13.4, 13.5}};
    for (std::size_t i = 0; i < 3; ++i) {
        const Diagnostic& x = *found[i];
        const double from = meridian_km(bounds[i][0]), to = meridian_km(bounds[i][1]);
        EXPECT_EQ(x.severity, Severity::warning);
        EXPECT_EQ(x.layer, "border_lines");
        EXPECT_EQ(x.feature_id, "L");
        EXPECT_NE(x.message.find(
                      fmt::format("from {:.3f} km to {:.3f} km ({:.3f} km)", from, to, to - from)),
                  std::string::npos)
            << x.message;
        // The stretch itself is the diagnostic's place.
        ASSERT_GE(x.where.size(), 2u);
        EXPECT_NEAR(x.where.front().lat, bounds[i][0], 1e-6);
        EXPECT_NEAR(x.where.back().lat, bounds[i][1], 1e-6);
    }
    // A workspace without communes says nothing: there is nothing to be outside of.
    ws.communes.clear();
    Diagnostics none;
    check_border_in_communes(ws, none);
    EXPECT_TRUE(none.items().empty());
}
