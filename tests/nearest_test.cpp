// Who is nearest to act at a place on the border (nearest.hpp). Every expected
// value is worked out here: hand arithmetic on the meridian line of
// plan_fixture.hpp (whose km come from PROJ), and a brute force over every
// party with PROJ's geodesic API for random workspaces -- never bordercov's
// own ranking.
#include "bordercov/nearest.hpp"

#include "plan_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

using namespace bordercov;
using namespace bordercov::test;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

/// A workspace with its plan and index, kept at one address (the plan and
/// the index refer into the workspace).
struct Indexed {
    Workspace ws;
    Plan plan;
    std::unique_ptr<NearestIndex> index;

    std::string id(const RankedParty& r) const {
        return std::string(plan.parties[r.party].party_id);
    }
    std::vector<std::string> ids(const std::vector<RankedParty>& ranked) const {
        std::vector<std::string> out;
        for (const RankedParty& r : ranked) {
            out.push_back(id(r));
        }
        return out;
    }
};

std::unique_ptr<Indexed> index_of(Workspace ws, const char* as_of = "2020-01-01") {
    auto out = std::make_unique<Indexed>();
    out->ws = std::move(ws);
    ResolveOptions o;
    o.as_of = *Date::parse(as_of);
    Diagnostics d;
    out->plan = resolve(out->ws, o, d);
    for (const Diagnostic& x : d.items()) {
        ADD_FAILURE() << x.describe();
    }
    out->index = std::make_unique<NearestIndex>(out->ws, out->plan);
    return out;
}

LonLat on_meridian(double km) {
    return {108.0, meridian_lat(km)};
}

LonLat direct(LonLat from, double azimuth_deg, double distance_m) {
    LonLat out;
    ref_direct(from.lon, from.lat, azimuth_deg, distance_m, out.lon, out.lat);
    return out;
}

double ref_km(LonLat a, LonLat b) {
    return ref_distance_m(a.lon, a.lat, b.lon, b.lat) / 1000.0;
}

Household household(std::string id, std::optional<LonLat> home, std::string commune = "") {
    Household h;
    h.household_id = std::move(id);
    h.home = home;
    h.commune_id = std::move(commune);
    return h;
}

/// The meridian line and households H1..H3 (team T1) with homes, teams T1, T2.
Workspace homes_workspace() {
    Workspace ws = meridian_workspace();
    ws.households[0].home = LonLat{107.95, 13.10};
    ws.households[1].home = LonLat{108.04, 13.30};
    ws.households[2].home = LonLat{107.97, 13.45};
    return ws;
}

} // namespace

// --- hand cases on the meridian line -----------------------------------------------------------

TEST(NearestByHand, APlaceInsideAStretchRanksItsOwnerFirstAtZeroAlong) {
    Workspace ws = homes_workspace();
    ws.assignments = {km_assignment("A1", "H1", 10, 20), km_assignment("A2", "H2", 30, 40),
                      km_assignment("A3", "T2", 45, 50, PartyType::team)};
    const auto x = index_of(std::move(ws));
    const LonLat at = on_meridian(15);
    const auto ranked = x->index->rank({0, 15, 15, at}, 10);
    // H1 0 km along, H2 15 km (30 - 15), T2 30 km (45 - 15), then H3 with no
    // stretch at all, by its home.
    ASSERT_EQ(x->ids(ranked), (std::vector<std::string>{"H1", "H2", "T2", "H3"}));
    EXPECT_EQ(ranked[0].along_km, 0.0);
    EXPECT_NEAR(ranked[1].along_km, 15.0, 1e-12);
    EXPECT_NEAR(ranked[2].along_km, 30.0, 1e-12);
    EXPECT_EQ(ranked[3].along_km, inf);
    EXPECT_NEAR(ranked[0].distance_km, ref_km(at, {107.95, 13.10}), 1e-9);
    EXPECT_NEAR(ranked[1].distance_km, ref_km(at, {108.04, 13.30}), 1e-9);
    // A team is as far as the point of its stretch nearest along the border: 45 km.
    EXPECT_NEAR(ranked[2].distance_km, ref_km(at, on_meridian(45)), 1e-6);
    EXPECT_NEAR(ranked[3].distance_km, ref_km(at, {107.97, 13.45}), 1e-9);
    // k cuts the list, nearest first.
    EXPECT_EQ(x->ids(x->index->rank({0, 15, 15, at}, 2)), (std::vector<std::string>{"H1", "H2"}));
    EXPECT_TRUE(x->index->rank({0, 15, 15, at}, 0).empty());
}

TEST(NearestByHand, BetweenTwoStretchesTheNearerAlongTheBorderComesFirst) {
    Workspace ws = homes_workspace();
    // H2's home is right at the place; H1's is 20 km off. Along the border
    // H1's stretch ends 4 km before 24 km, H2's starts 6 km after.
    ws.households[1].home = on_meridian(24);
    ws.assignments = {km_assignment("A1", "H1", 10, 20), km_assignment("A2", "H2", 30, 40)};
    const auto x = index_of(std::move(ws));
    const auto at_24 = x->index->rank({0, 24, 24, on_meridian(24)}, 2);
    ASSERT_EQ(x->ids(at_24), (std::vector<std::string>{"H1", "H2"}));
    EXPECT_NEAR(at_24[0].along_km, 4.0, 1e-12);
    EXPECT_NEAR(at_24[1].along_km, 6.0, 1e-12);
    EXPECT_NEAR(at_24[1].distance_km, 0.0, 1e-9);
    // At 27 km it turns: H2 3 km, H1 7 km.
    const auto at_27 = x->index->rank({0, 27, 27, on_meridian(27)}, 2);
    ASSERT_EQ(x->ids(at_27), (std::vector<std::string>{"H2", "H1"}));
    EXPECT_NEAR(at_27[0].along_km, 3.0, 1e-12);
    EXPECT_NEAR(at_27[1].along_km, 7.0, 1e-12);
    // A place that is a stretch: [21, 28] is 1 km from H1's and 2 km from H2's.
    const auto stretch = x->index->rank({0, 21, 28, on_meridian(24.5)}, 2);
    ASSERT_EQ(x->ids(stretch), (std::vector<std::string>{"H1", "H2"}));
    EXPECT_NEAR(stretch[0].along_km, 1.0, 1e-12);
    EXPECT_NEAR(stretch[1].along_km, 2.0, 1e-12);
}

TEST(NearestByHand, BeyondTheLinesEndTheLastStretchsOwnerComesFirst) {
    Workspace ws = homes_workspace();
    ws.households[2].home = LonLat{107.5, 13.0}; // H3 lives far south
    ws.assignments = {km_assignment("A1", "H1", 10, 20), km_assignment("A3", "H3", 45, 50)};
    const auto x = index_of(std::move(ws));
    const double end = meridian_km(13.5);
    const LonLat p{108.0, 13.6};
    const auto [line, at] = locate_on_workspace(x->ws, p);
    EXPECT_EQ(line, 0u);
    EXPECT_NEAR(at.chainage_km, end, 1e-9);
    EXPECT_NEAR(at.offset_m, ref_distance_m(108, 13.6, 108, 13.5), 1e-3);
    const auto ranked = x->index->rank({line, at.chainage_km, at.chainage_km, p}, 3);
    ASSERT_EQ(x->ids(ranked), (std::vector<std::string>{"H3", "H1", "H2"}));
    EXPECT_NEAR(ranked[0].along_km, end - 50, 1e-9);
    EXPECT_NEAR(ranked[1].along_km, end - 20, 1e-9);
    EXPECT_EQ(ranked[2].along_km, inf);
    EXPECT_NEAR(ranked[0].distance_km, ref_km(p, {107.5, 13.0}), 1e-9);
}

TEST(NearestByHand, ChainageAcrossTheHoleOfATwoPartLineAddsNothing) {
    // Part 1: 13.0-13.2 N, part 2: 13.3-13.5 N, an 11 km hole between them.
    Workspace ws = homes_workspace();
    ws.lines.clear();
    ws.lines.emplace_back("L",
                          std::vector<BorderLine::Part>{{{108, 13.0}, {108, 13.1}, {108, 13.2}},
                                                        {{108, 13.3}, {108, 13.4}, {108, 13.5}}});
    const double join = meridian_km(13.2);
    const double hole = meridian_km(13.3) - join;
    ASSERT_GT(hole, 11.0);
    // A place 4 km into part 2: 4 km along from H1's [0, join] (not 15), 6 km
    // from H2's [join + 10, join + 12], though H2's home is at the place.
    const LonLat p = direct({108, 13.3}, 0, 4000);
    ws.households[1].home = p;
    ws.assignments = {km_assignment("A1", "H1", 0, join),
                      km_assignment("A2", "H2", join + 10, join + 12)};
    const auto x = index_of(std::move(ws));
    const auto [line, at] = locate_on_workspace(x->ws, p);
    EXPECT_NEAR(at.chainage_km, join + 4.0, 1e-6);
    EXPECT_NEAR(at.offset_m, 0.0, 1e-3);
    const auto ranked = x->index->rank({line, at.chainage_km, at.chainage_km, p}, 2);
    ASSERT_EQ(x->ids(ranked), (std::vector<std::string>{"H1", "H2"}));
    EXPECT_NEAR(ranked[0].along_km, 4.0, 1e-6);
    EXPECT_NEAR(ranked[1].along_km, 6.0, 1e-6);
    // A point in the hole is at the join (the end of part 1 and the start of
    // part 2 share the chainage), as far off as the nearer part end.
    const auto [line2, in_hole] = locate_on_workspace(x->ws, {108, 13.23});
    EXPECT_NEAR(in_hole.chainage_km, join, 1e-9);
    EXPECT_NEAR(in_hole.offset_m, ref_distance_m(108, 13.23, 108, 13.2), 1e-3);
    const auto from_hole =
        x->index->rank({line2, in_hole.chainage_km, in_hole.chainage_km, {108, 13.23}}, 2);
    ASSERT_EQ(x->ids(from_hole), (std::vector<std::string>{"H1", "H2"}));
    EXPECT_EQ(from_hole[0].along_km, 0.0);
    EXPECT_NEAR(from_hole[1].along_km, 10.0, 1e-9);
}

TEST(NearestByHand, ACommuneBoundaryDoesNotStopTheSearch) {
    // C1 holds the line south of 13.25 N, C2 north of it. A place 100 m into
    // C2: C1's household H1 holds the stretch ending at the boundary, C2's
    // household H2 one 20 km further on and lives next to the place.
    Workspace ws = homes_workspace();
    Commune c1;
    c1.commune_id = "C1";
    c1.name = "Ia O";
    c1.area = {{{{107.9, 13.0}, {108.1, 13.0}, {108.1, 13.25}, {107.9, 13.25}, {107.9, 13.0}}}};
    Commune c2;
    c2.commune_id = "C2";
    c2.name = "Ia Chía";
    c2.area = {{{{107.9, 13.25}, {108.1, 13.25}, {108.1, 13.5}, {107.9, 13.5}, {107.9, 13.25}}}};
    ws.communes = {c1, c2};
    ws.households[0].commune_id = "C1";
    ws.households[1].commune_id = "C2";
    ws.households[2].commune_id = "C2";
    const double boundary = meridian_km(13.25);
    const LonLat p = on_meridian(boundary + 0.1);
    ws.households[1].home = direct(p, 90, 50);
    ws.assignments = {km_assignment("A1", "H1", boundary - 5, boundary),
                      km_assignment("A2", "H2", boundary + 20, boundary + 25)};
    const auto x = index_of(std::move(ws));
    const auto [line, at] = locate_on_workspace(x->ws, p);
    EXPECT_NEAR(at.chainage_km, boundary + 0.1, 1e-6);
    const auto ranked = x->index->rank({line, at.chainage_km, at.chainage_km, p}, 3);
    ASSERT_EQ(x->ids(ranked), (std::vector<std::string>{"H1", "H2", "H3"}));
    EXPECT_NEAR(ranked[0].along_km, 0.1, 1e-6);
    EXPECT_NEAR(ranked[1].along_km, 19.9, 1e-6);
    EXPECT_NEAR(ranked[1].distance_km, 0.05, 1e-6);
    EXPECT_EQ(x->plan.parties[ranked[0].party].commune_id, "C1");
}

TEST(NearestByHand, SameAlongThenTheNearerHomeFirst) {
    // Place at 25 km: H1's [10, 20] and H2's [30, 40] both 5 km along. H1 has
    // the smaller id, H2 the nearer home; then the other way round.
    for (const bool h2_nearer : {true, false}) {
        Workspace ws = homes_workspace();
        const LonLat p = on_meridian(25);
        ws.households[0].home = direct(p, 270, h2_nearer ? 3000 : 1000);
        ws.households[1].home = direct(p, 90, h2_nearer ? 1000 : 3000);
        ws.assignments = {km_assignment("A1", "H1", 10, 20), km_assignment("A2", "H2", 30, 40)};
        const auto x = index_of(std::move(ws));
        const auto ranked = x->index->rank({0, 25, 25, p}, 2);
        ASSERT_EQ(ranked.size(), 2u);
        EXPECT_EQ(ranked[0].along_km, 5.0);
        EXPECT_EQ(ranked[1].along_km, 5.0);
        EXPECT_EQ(x->id(ranked[0]), h2_nearer ? "H2" : "H1");
        EXPECT_NEAR(ranked[0].distance_km, 1.0, 1e-9);
        EXPECT_NEAR(ranked[1].distance_km, 3.0, 1e-9);
    }
}

TEST(NearestByHand, ATeamIsAsFarAsItsStretchAtTheClampedChainage) {
    // Place 25 km, 200 m east of the line. T2 holds [30, 40] (5 km along),
    // H1 [10, 20] (5 km along) with a home 12 km away; the point of T2's
    // stretch at the clamped chainage is the point at 30 km.
    Workspace ws = homes_workspace();
    const LonLat p = direct(on_meridian(25), 90, 200);
    ws.households[0].home = direct(p, 180, 12000);
    ws.assignments = {km_assignment("A1", "H1", 10, 20),
                      km_assignment("A2", "T2", 30, 40, PartyType::team)};
    const auto x = index_of(std::move(ws));
    const auto ranked = x->index->rank({0, 25, 25, p}, 2);
    const double t2_km = ref_km(p, on_meridian(30));
    ASSERT_LT(t2_km, 12.0);
    ASSERT_EQ(x->ids(ranked), (std::vector<std::string>{"T2", "H1"}));
    EXPECT_NEAR(ranked[0].distance_km, t2_km, 1e-6);
    EXPECT_NEAR(ranked[1].distance_km, 12.0, 1e-9);
}

TEST(NearestByHand, SameAlongAndSameHomeDistanceThenByPartyId) {
    // HB and HA share one house; HB comes first in the workspace. Both hold a
    // stretch 5 km from the place; a third household HC farther along.
    Workspace ws = meridian_workspace();
    const LonLat p = on_meridian(25);
    const LonLat house = direct(p, 45, 2000);
    ws.households = {household("HB", house), household("HA", house), household("HC", p)};
    ws.assignments = {km_assignment("A1", "HB", 10, 20), km_assignment("A2", "HA", 30, 40),
                      km_assignment("A3", "HC", 41, 42)};
    const auto x = index_of(std::move(ws));
    EXPECT_EQ(x->ids(x->index->rank({0, 25, 25, p}, 3)),
              (std::vector<std::string>{"HA", "HB", "HC"}));
    // Homes mirrored across the meridian are as far from a point on it.
    Workspace mirrored = meridian_workspace();
    mirrored.households = {household("HB", LonLat{108.02, 13.3}),
                           household("HA", LonLat{107.98, 13.3})};
    ASSERT_EQ(ref_distance_m(108, 13.3, 108.02, 13.3), ref_distance_m(108, 13.3, 107.98, 13.3));
    const auto y = index_of(std::move(mirrored));
    EXPECT_EQ(y->ids(y->index->households_near({108, 13.3}, 2)),
              (std::vector<std::string>{"HA", "HB"}));
    EXPECT_EQ(y->ids(y->index->rank({0, 25, 25, {108, 13.3}}, 2)),
              (std::vector<std::string>{"HA", "HB"}));
}

TEST(NearestByHand, ExpiredAndNotYetSignedStretchesDoNotCount) {
    Workspace ws = homes_workspace();
    ws.assignments = {km_assignment("A1", "H1", 14, 16), km_assignment("A2", "H2", 20, 22),
                      km_assignment("A3", "H3", 24, 26)};
    ws.assignments[0].expires = Date::parse("2019-12-31");
    ws.assignments[1].signed_on = Date::parse("2020-01-02");
    const auto x = index_of(std::move(ws));
    const auto ranked = x->index->rank({0, 15, 15, on_meridian(15)}, 3);
    ASSERT_EQ(ranked.size(), 3u);
    EXPECT_EQ(x->id(ranked[0]), "H3");
    EXPECT_NEAR(ranked[0].along_km, 9.0, 1e-12);
    // H1 and H2 follow as households without an active stretch, by their homes.
    EXPECT_EQ(ranked[1].along_km, inf);
    EXPECT_EQ(ranked[2].along_km, inf);
    const LonLat at = on_meridian(15);
    const bool h1_first = ref_km(at, {107.95, 13.10}) < ref_km(at, {108.04, 13.30});
    EXPECT_EQ(x->id(ranked[1]), h1_first ? "H1" : "H2");
}

TEST(NearestByHand, AnIncidentPointIsLocatedWithChainageOffsetAndSide) {
    Workspace ws = meridian_workspace();
    const LonLat foot = on_meridian(12);
    const LonLat east = direct(foot, 90, 300);
    const LonLat west = direct(foot, 270, 300);
    const auto x = index_of(std::move(ws));
    const auto [line, at] = locate_on_workspace(x->ws, east);
    EXPECT_EQ(line, 0u);
    EXPECT_NEAR(at.chainage_km, 12.0, 1e-6);
    EXPECT_NEAR(at.offset_m, 300.0, 1e-3);
    EXPECT_NEAR(at.on_line.lon, foot.lon, 1e-9);
    EXPECT_NEAR(at.on_line.lat, foot.lat, 1e-9);
    EXPECT_EQ(side_name(x->ws.lines[line], at.side), "right");
    const auto [line_w, at_w] = locate_on_workspace(x->ws, west);
    EXPECT_NEAR(at_w.chainage_km, 12.0, 1e-6);
    EXPECT_NEAR(at_w.offset_m, 300.0, 1e-3);
    EXPECT_EQ(side_name(x->ws.lines[line_w], at_w.side), "left");
    const auto [line_on, at_on] = locate_on_workspace(x->ws, foot);
    EXPECT_NEAR(at_on.offset_m, 0.0, 1e-6);
    EXPECT_EQ(side_name(x->ws.lines[line_on], at_on.side), "on the line");
    // A line that says its neighbour lies on its right names the sides.
    BorderLine named("N", {{{108, 13.0}, {108, 13.5}}});
    named.neighbour = "KH";
    named.neighbour_side = "right";
    EXPECT_EQ(side_name(named, at.side), "KH");
    EXPECT_EQ(side_name(named, at_w.side), "home");
}

TEST(NearestByHand, TheNearestOfSeveralLinesIsTheOneLocatedOn) {
    // A second line 0.1 degree east: a point 300 m east of L is on L, a point
    // 300 m west of the second line on that one.
    Workspace ws = meridian_workspace();
    ws.lines.emplace_back("E", std::vector<BorderLine::Part>{{{108.1, 13.0}, {108.1, 13.5}}});
    const auto x = index_of(std::move(ws));
    const LonLat near_l = direct(on_meridian(12), 90, 300);
    EXPECT_EQ(locate_on_workspace(x->ws, near_l).first, 0u);
    const LonLat near_e = direct({108.1, 13.2}, 270, 300);
    const auto [line, at] = locate_on_workspace(x->ws, near_e);
    EXPECT_EQ(line, 1u);
    EXPECT_NEAR(at.offset_m, 300.0, 1e-3);
    EXPECT_NEAR(at.chainage_km, ref_distance_m(108.1, 13.0, 108.1, 13.2) / 1000.0, 1e-6);
}

TEST(NearestByHand, EquidistantLinesGoToTheFirstLine) {
    // nearest.hpp: "The nearest line to p ... (ties: the first line)". Two
    // meridian lines mirrored about lon 0; the second also bends back west so
    // that its box holds p (its cheap distance bound is then 0, and it is
    // searched first).
    Workspace ws;
    ws.lines.emplace_back("W", std::vector<BorderLine::Part>{{{-0.01, -1.0}, {-0.01, 1.0}}});
    ws.lines.emplace_back("E",
                          std::vector<BorderLine::Part>{{{0.01, -1.0}, {0.01, 1.0}, {-0.5, 1.5}}});
    ASSERT_EQ(ref_distance_m(0, 0, -0.01, 0), ref_distance_m(0, 0, 0.01, 0));
    const auto [line, at] = locate_on_workspace(ws, {0, 0});
    EXPECT_NEAR(at.offset_m, ref_distance_m(0, 0, 0.01, 0), 1e-6);
    EXPECT_EQ(line, 0u) << "the tie goes to " << ws.lines[line].line_id();
}

TEST(NearestByHand, HouseholdsNearAPoint) {
    Workspace ws = meridian_workspace();
    const LonLat p{108.0, 13.2};
    ws.households = {household("H1", direct(p, 10, 5000)), household("H2", direct(p, 200, 1500)),
                     household("H3", direct(p, 300, 40000)),
                     household("H4", std::nullopt)}; // no home: never ranked by it
    const auto x = index_of(std::move(ws));
    const auto near = x->index->households_near(p, 10);
    ASSERT_EQ(x->ids(near), (std::vector<std::string>{"H2", "H1", "H3"}));
    EXPECT_NEAR(near[0].distance_km, 1.5, 1e-9);
    EXPECT_NEAR(near[1].distance_km, 5.0, 1e-9);
    EXPECT_NEAR(near[2].distance_km, 40.0, 1e-9);
    EXPECT_EQ(near[0].along_km, inf);
    EXPECT_EQ(x->ids(x->index->households_near(p, 1)), (std::vector<std::string>{"H2"}));
    EXPECT_TRUE(x->index->households_near(p, 0).empty());
}

TEST(NearestByHand, AntimeridianHouseholdsNear) {
    // Homes 1 km either side of 180 degrees: the one across the antimeridian
    // from p is 1.1 km away, the one on p's side 30 km.
    Workspace ws = meridian_workspace();
    const LonLat p{179.995, 10.0};
    ws.households = {household("HFAR", direct(p, 270, 30000)),
                     household("HNEAR", direct(p, 90, 1100))};
    ASSERT_LT(ws.households[1].home->lon, -179.99);
    const auto x = index_of(std::move(ws));
    const auto near = x->index->households_near(p, 1);
    ASSERT_EQ(near.size(), 1u);
    EXPECT_EQ(x->id(near[0]), "HNEAR");
    EXPECT_NEAR(near[0].distance_km, 1.1, 1e-9);
}

TEST(NearestByHand, AntimeridianLocate) {
    // Line A east of 180 (on the -180 side), line B 1 km west of 180 at 179.99.
    // A point at -179.999 is 1.2 km from B across the antimeridian and 30 km from A.
    Workspace ws;
    const LonLat p{-179.999, 10.0};
    const LonLat a = direct(p, 90, 30000);
    ws.lines.emplace_back("A", std::vector<BorderLine::Part>{{{a.lon, 9.8}, {a.lon, 10.2}}});
    ws.lines.emplace_back("B", std::vector<BorderLine::Part>{{{179.99, 9.8}, {179.99, 10.2}}});
    const auto [line, at] = locate_on_workspace(ws, p);
    EXPECT_EQ(ws.lines[line].line_id(), "B");
    EXPECT_NEAR(at.offset_m, ref_distance_m(p.lon, p.lat, 179.99, 10.0), 1.0);
}

TEST(NearestByHand, ALineAcrossTheAntimeridian) {
    // One geodesic edge from 179.9 E to 179.9 W at 10 N. A point 200 m right
    // of the point 15 km along it: chainage 15, offset 200, right; a home
    // 1 km beyond 180 from a place on the west side is the nearest one.
    double s12 = 0, azi1 = 0, azi2 = 0;
    geod_inverse(&reference_wgs84(), 10, 179.9, 10, -179.9, &s12, &azi1, &azi2);
    ASSERT_NEAR(s12, 21900, 100);
    LonLat foot, p;
    geod_direct(&reference_wgs84(), 10, 179.9, azi1, 15000, &foot.lat, &foot.lon, &azi2);
    ASSERT_LT(foot.lon, -179.9); // past 180
    ref_direct(foot.lon, foot.lat, azi2 + 90, 200, p.lon, p.lat);
    Workspace ws;
    ws.lines.emplace_back("X", std::vector<BorderLine::Part>{{{179.9, 10}, {-179.9, 10}}});
    const LonLat west_home = direct({179.95, 10.0}, 270, 300);
    ws.households = {household("HW", west_home),
                     household("HE", direct({-179.995, 10.0}, 90, 1000))};
    Assignment a;
    a.assignment_id = "A1";
    a.party_id = "HW";
    a.line_id = "X";
    a.from_km = 2;
    a.to_km = 4;
    ws.assignments = {a};
    const auto x = index_of(std::move(ws));
    EXPECT_NEAR(x->ws.lines[0].length_km(), s12 / 1000.0, 1e-9);
    const auto [line, at] = locate_on_workspace(x->ws, p);
    EXPECT_EQ(line, 0u);
    EXPECT_NEAR(at.chainage_km, 15.0, 1e-6);
    EXPECT_NEAR(at.offset_m, 200.0, 1e-3);
    EXPECT_EQ(side_name(x->ws.lines[0], at.side), "right");
    // From 179.995 E: HE's home lies 0.01 degree east across 180 (~1.6 km),
    // HW's about 5 km west.
    const LonLat q{179.995, 10.0};
    const auto near = x->index->households_near(q, 2);
    ASSERT_EQ(x->ids(near), (std::vector<std::string>{"HE", "HW"}));
    EXPECT_NEAR(near[0].distance_km, ref_km(q, *x->ws.households[1].home), 1e-9);
    // Along the line from 15 km: HW 11 km (15 - 4), then HE by its home.
    const auto ranked = x->index->rank({0, 15, 15, p}, 2);
    ASSERT_EQ(x->ids(ranked), (std::vector<std::string>{"HW", "HE"}));
    EXPECT_NEAR(ranked[0].along_km, 11.0, 1e-12);
    EXPECT_NEAR(ranked[0].distance_km, ref_km(p, west_home), 1e-9);
}

// --- brute force -------------------------------------------------------------------------------

namespace {

/// A region of the globe: longitude bands (several across the antimeridian)
/// and a latitude band.
struct Region {
    std::vector<std::pair<double, double>> lon_bands;
    double lat_lo = 0, lat_hi = 0;
};

struct Generated {
    Workspace ws;
    /// Per assignment: whether it is active on 2020-01-01 (by construction).
    std::vector<bool> active;
};

class Generator {
  public:
    Generator(unsigned seed, Region region) : rng_(seed), region_(std::move(region)) {}

    double uniform(double lo, double hi) {
        return std::uniform_real_distribution<double>(lo, hi)(rng_);
    }
    std::size_t pick(std::size_t n) {
        return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
    }
    bool chance(double p) { return uniform(0, 1) < p; }

    LonLat random_point() {
        const auto& band = region_.lon_bands[pick(region_.lon_bands.size())];
        return {uniform(band.first, band.second), uniform(region_.lat_lo, region_.lat_hi)};
    }

    /// A line inside one lon band: north-going or east-going, vertices jittered,
    /// sometimes two parts with a hole.
    BorderLine random_line(const std::string& id) {
        const auto& band = region_.lon_bands[pick(region_.lon_bands.size())];
        const bool north = chance(0.5);
        const int n = 30 + static_cast<int>(pick(30));
        std::vector<LonLat> v;
        if (north) {
            const double lon0 = uniform(band.first + 0.05, band.second - 0.05);
            const double span = (region_.lat_hi - region_.lat_lo) * uniform(0.5, 0.9);
            const double lat0 = uniform(region_.lat_lo, region_.lat_hi - span);
            for (int i = 0; i < n; ++i) {
                v.push_back({std::clamp(lon0 + uniform(-0.03, 0.03), band.first, band.second),
                             lat0 + span * i / (n - 1)});
            }
        } else {
            const double lat0 = uniform(region_.lat_lo + 0.05, region_.lat_hi - 0.05);
            const double span = (band.second - band.first) * uniform(0.5, 0.9);
            const double lon0 = uniform(band.first, band.second - span);
            for (int i = 0; i < n; ++i) {
                v.push_back(
                    {lon0 + span * i / (n - 1),
                     std::clamp(lat0 + uniform(-0.03, 0.03), region_.lat_lo, region_.lat_hi)});
            }
        }
        if (region_.lon_bands.size() > 1 && chance(0.5)) {
            // East-going across the antimeridian: from about 179.7 E to 179.7 W.
            v.clear();
            const double lon0 = uniform(179.55, 179.8);
            const double lat0 = uniform(region_.lat_lo + 0.05, region_.lat_hi - 0.05);
            for (int i = 0; i < n; ++i) {
                double lon = lon0 + 0.6 * i / (n - 1);
                lon = lon > 180 ? lon - 360 : lon;
                v.push_back(
                    {lon, std::clamp(lat0 + uniform(-0.03, 0.03), region_.lat_lo, region_.lat_hi)});
            }
        }
        std::vector<BorderLine::Part> parts;
        if (chance(0.4)) {
            const auto cut = static_cast<std::ptrdiff_t>(n / 2);
            parts.emplace_back(v.begin(), v.begin() + cut);
            parts.emplace_back(v.begin() + cut + 2, v.end()); // two vertices dropped: a hole
        } else {
            parts.push_back(v);
        }
        return BorderLine(id, std::move(parts));
    }

    Generated workspace(std::size_t n_lines, std::size_t n_households, std::size_t n_teams) {
        Generated g;
        Workspace& ws = g.ws;
        for (std::size_t i = 0; i < n_lines; ++i) {
            ws.lines.push_back(random_line("L" + std::to_string(i)));
        }
        // Ids from one shuffled pool, so that id order is neither workspace
        // order nor type order.
        std::vector<std::string> ids;
        char buf[16];
        for (std::size_t i = 0; i < n_households + n_teams; ++i) {
            std::snprintf(buf, sizeof buf, "p%05zu", i);
            ids.emplace_back(buf);
        }
        std::shuffle(ids.begin(), ids.end(), rng_);
        for (std::size_t i = 0; i < n_teams; ++i) {
            Team t;
            t.team_id = ids[n_households + i];
            t.name = "Tổ " + t.team_id;
            if (chance(0.3)) {
                t.position = random_point(); // a team's own point never ranks it
            }
            ws.teams.push_back(t);
        }
        for (std::size_t i = 0; i < n_households; ++i) {
            Household h;
            h.household_id = ids[i];
            h.team_id = chance(0.5) ? ws.teams[pick(n_teams)].team_id : "";
            if (i > 0 && chance(0.05)) {
                h.home = ws.households[pick(i)].home; // two households, one house
            } else if (!chance(0.02)) {
                h.home = random_point();
            }
            ws.households.push_back(h);
        }
        // Stretches: households on a 0.5 km grid (ties along the border),
        // teams anywhere. The last line gets only two stretches.
        std::size_t n = 0;
        const auto assign = [&](PartyType type, const std::string& party, std::size_t line) {
            const double length = ws.lines[line].length_km();
            double from = 0, to = 0;
            if (type == PartyType::household) {
                const double cells = std::floor(length / 0.5);
                from = 0.5 * std::floor(uniform(0, cells - 1));
                to = std::min(from + 0.5 * (1 + static_cast<double>(pick(8))), 0.5 * cells);
            } else {
                from = uniform(0, length - 0.2);
                to = std::min(length, from + uniform(0.1, 4));
            }
            Assignment a = km_assignment("A" + std::to_string(n++), party, from, to, type);
            a.line_id = ws.lines[line].line_id();
            bool active = true;
            if (chance(0.1)) {
                a.expires = Date::parse("2019-06-30");
                active = false;
            } else if (chance(0.05)) {
                a.signed_on = Date::parse("2021-01-01");
                active = false;
            } else if (chance(0.3)) {
                a.signed_on = Date::parse("2018-01-01");
                a.expires = Date::parse("2030-01-01");
            }
            ws.assignments.push_back(a);
            g.active.push_back(active);
        };
        for (std::size_t i = 0; i < n_households; ++i) {
            if (chance(0.12)) {
                const std::size_t stretches = 1 + pick(2);
                for (std::size_t s = 0; s < stretches; ++s) {
                    assign(PartyType::household, ws.households[i].household_id, pick(n_lines - 1));
                }
            }
        }
        for (std::size_t i = 0; i < n_teams; ++i) {
            const std::size_t stretches = 1 + pick(3);
            for (std::size_t s = 0; s < stretches; ++s) {
                assign(PartyType::team, ws.teams[i].team_id, pick(n_lines - 1));
            }
        }
        assign(PartyType::household, ws.households[0].household_id, n_lines - 1);
        assign(PartyType::team, ws.teams[0].team_id, n_lines - 1);
        return g;
    }

    std::mt19937& rng() { return rng_; }

  private:
    std::mt19937 rng_;
    Region region_;
};

struct Expected {
    std::string id;
    double along_km;
    double distance_km;
};

bool expected_before(const Expected& a, const Expected& b) {
    return std::tie(a.along_km, a.distance_km, a.id) < std::tie(b.along_km, b.distance_km, b.id);
}

/// Every party ranked for a point place at chainage c on line, straight from
/// the contract: along = km to the nearest active stretch on that line; the
/// distance to the home (households) or to the stretch's point at c clamped
/// into it (teams); parties with no stretch there follow as households by home.
std::vector<Expected> brute_rank(const Workspace& ws, const std::vector<bool>& active,
                                 std::uint32_t line, double c, LonLat position) {
    const BorderLine& l = ws.lines[line];
    struct Best {
        double along = inf;
        double clamped = 0;
        bool team_distance_known = false;
        double team_distance = inf;
    };
    std::vector<Best> households(ws.households.size()), teams(ws.teams.size());
    std::unordered_map<std::string, std::size_t> household_at, team_at;
    for (std::size_t i = 0; i < ws.households.size(); ++i) {
        household_at[ws.households[i].household_id] = i;
    }
    for (std::size_t i = 0; i < ws.teams.size(); ++i) {
        team_at[ws.teams[i].team_id] = i;
    }
    for (std::size_t i = 0; i < ws.assignments.size(); ++i) {
        const Assignment& a = ws.assignments[i];
        if (!active[i] || a.line_id != l.line_id()) {
            continue;
        }
        const double from = *a.from_km, to = *a.to_km;
        const double along = std::max({0.0, from - c, c - to});
        const bool team = a.party_type == PartyType::team;
        Best& b = team ? teams[team_at.at(a.party_id)] : households[household_at.at(a.party_id)];
        if (team) {
            // The team's nearest stretch; if two are as near, the nearer point.
            const double at = std::clamp(c, from, to);
            const LonLat pt = l.point_at(at);
            const double d = ref_km(position, pt);
            if (along < b.along || (along == b.along && d < b.team_distance)) {
                b.along = along;
                b.team_distance = d;
                b.team_distance_known = true;
            }
        } else {
            b.along = std::min(b.along, along);
        }
    }
    std::vector<Expected> out;
    for (std::size_t i = 0; i < ws.households.size(); ++i) {
        const Household& h = ws.households[i];
        if (households[i].along == inf && !h.home) {
            continue; // no stretch, no home: nothing to rank it by
        }
        out.push_back(
            {h.household_id, households[i].along, h.home ? ref_km(position, *h.home) : inf});
    }
    for (std::size_t i = 0; i < ws.teams.size(); ++i) {
        if (teams[i].along != inf) {
            out.push_back({ws.teams[i].team_id, teams[i].along, teams[i].team_distance});
        }
    }
    std::sort(out.begin(), out.end(), expected_before);
    return out;
}

std::vector<Expected> brute_homes(const Workspace& ws, LonLat p) {
    std::vector<Expected> out;
    for (const Household& h : ws.households) {
        if (h.home) {
            out.push_back({h.household_id, inf, ref_km(p, *h.home)});
        }
    }
    std::sort(out.begin(), out.end(), expected_before);
    return out;
}

/// Compares the top k; returns false after the first mismatch (reported).
bool same_top(const Indexed& x, const std::vector<RankedParty>& got,
              const std::vector<Expected>& all, std::size_t k, const std::string& what) {
    const std::size_t n = std::min(k, all.size());
    if (got.size() != n) {
        ADD_FAILURE() << what << ": " << got.size() << " parties, expected " << n;
        return false;
    }
    for (std::size_t i = 0; i < n; ++i) {
        const Expected& e = all[i];
        const RankedParty& r = got[i];
        const bool along_ok =
            e.along_km == inf ? r.along_km == inf : std::abs(r.along_km - e.along_km) <= 1e-12;
        const bool distance_ok = e.distance_km == inf
                                     ? r.distance_km == inf
                                     : std::abs(r.distance_km - e.distance_km) <= 1e-9;
        if (x.id(r) != e.id || !along_ok || !distance_ok) {
            ADD_FAILURE() << what << ", rank " << i << ": got " << x.id(r) << " (along "
                          << r.along_km << ", distance " << r.distance_km << "), expected " << e.id
                          << " (along " << e.along_km << ", distance " << e.distance_km << ")";
            return false;
        }
    }
    return true;
}

struct Counts {
    std::size_t places = 0;
    std::size_t fallbacks = 0; ///< places whose top 20 ran into households without a stretch
    std::size_t ties = 0;      ///< places whose top 20 has an along tie broken by distance or id
};

Counts check_against_brute_force(unsigned seed, const Region& region, std::size_t households) {
    Generator gen(seed, region);
    Generated g = gen.workspace(5, households, 40);
    const std::vector<bool> active = g.active;
    const auto x = index_of(std::move(g.ws));
    const Workspace& ws = x->ws;
    Counts counts;
    for (int i = 0; i < 60; ++i) {
        const auto line = static_cast<std::uint32_t>(gen.pick(ws.lines.size()));
        const BorderLine& l = ws.lines[line];
        double c = gen.uniform(0, l.length_km());
        if (i % 4 == 1) {
            c = 0.5 * std::floor(c / 0.5); // on the households' grid: stretch ends, ties
        } else if (i == 2) {
            c = 0;
        } else if (i == 3) {
            c = l.length_km();
        }
        LonLat position = l.point_at(c);
        if (i % 3 != 0) {
            position = direct(position, gen.uniform(0, 360), gen.uniform(0, 3000));
        }
        const std::vector<Expected> all = brute_rank(ws, active, line, c, position);
        const std::string what = "seed " + std::to_string(seed) + ", place " + std::to_string(i) +
                                 " on " + l.line_id() + " at " + std::to_string(c) + " km";
        for (const std::size_t k : {1u, 5u, 20u}) {
            if (!same_top(*x, x->index->rank({line, c, c, position}, k), all, k,
                          what + ", k " + std::to_string(k))) {
                return counts;
            }
        }
        ++counts.places;
        const std::size_t top = std::min<std::size_t>(20, all.size());
        counts.fallbacks += top > 0 && all[top - 1].along_km == inf ? 1 : 0;
        for (std::size_t j = 1; j < top; ++j) {
            if (all[j].along_km == all[j - 1].along_km && all[j].along_km != inf &&
                all[j].along_km > 0) {
                ++counts.ties;
                break;
            }
        }
    }
    // Homes nearest to points anywhere in the region, and on the lines.
    for (int i = 0; i < 40; ++i) {
        const LonLat p = i % 2 == 0
                             ? gen.random_point()
                             : ws.lines[gen.pick(ws.lines.size())].point_at(gen.uniform(0, 10));
        const std::vector<Expected> all = brute_homes(ws, p);
        for (const std::size_t k : {1u, 5u, 20u}) {
            if (!same_top(*x, x->index->households_near(p, k), all, k,
                          "seed " + std::to_string(seed) + ", homes near point " +
                              std::to_string(i) + ", k " + std::to_string(k))) {
                return counts;
            }
        }
    }
    // More than there are homes: all of them.
    const LonLat p = gen.random_point();
    const std::vector<Expected> all = brute_homes(ws, p);
    same_top(*x, x->index->households_near(p, all.size() + 5), all, all.size() + 5, "every home");
    return counts;
}

} // namespace

TEST(NearestBruteForce, CentralHighlands) {
    const Region region{{{107.3, 108.0}}, 13.0, 14.5};
    for (const unsigned seed : {1u, 2u}) {
        const Counts c = check_against_brute_force(seed, region, 2500);
        EXPECT_EQ(c.places, 60u);
        // The cases the comparison is meant to reach are reached.
        EXPECT_GT(c.fallbacks, 0u);
        EXPECT_GT(c.ties, 0u);
    }
}

TEST(NearestBruteForce, HighLatitude) {
    const Region region{{{20.0, 26.0}}, 65.0, 75.0};
    const Counts c = check_against_brute_force(3, region, 3000);
    EXPECT_EQ(c.places, 60u);
    EXPECT_GT(c.fallbacks, 0u);
}

TEST(NearestBruteForce, SparseHomesFarApart) {
    // Few homes over a wide region: the search must grow far.
    const Region region{{{100.0, 110.0}}, -10.0, 20.0};
    const Counts c = check_against_brute_force(4, region, 300);
    EXPECT_EQ(c.places, 60u);
}

TEST(NearestBruteForce, AcrossTheAntimeridian) {
    const Region region{{{179.5, 180.0}, {-180.0, -179.5}}, 10.0, 11.0};
    const Counts c = check_against_brute_force(5, region, 2500);
    EXPECT_EQ(c.places, 60u);
}

TEST(NearestBruteForce, AntimeridianRankAlongTheBorderOnly) {
    // Along-border ranking works on chainage alone: with k no larger than the
    // parties holding stretches on the place's line, no home search is needed
    // (this part held even before the search windows wrapped at 180).
    const Region region{{{179.5, 180.0}, {-180.0, -179.5}}, 10.0, 11.0};
    Generator gen(6, region);
    Generated g = gen.workspace(3, 2000, 40);
    const std::vector<bool> active = g.active;
    const auto x = index_of(std::move(g.ws));
    std::size_t checked = 0;
    for (int i = 0; i < 60; ++i) {
        const auto line = static_cast<std::uint32_t>(gen.pick(x->ws.lines.size() - 1));
        const BorderLine& l = x->ws.lines[line];
        const double c = gen.uniform(0, l.length_km());
        const LonLat position = direct(l.point_at(c), gen.uniform(0, 360), gen.uniform(0, 3000));
        const auto all = brute_rank(x->ws, active, line, c, position);
        for (const std::size_t k : {1u, 5u}) {
            ASSERT_GE(all.size(), k);
            if (all[k - 1].along_km == inf) {
                continue;
            }
            ASSERT_TRUE(same_top(*x, x->index->rank({line, c, c, position}, k), all, k,
                                 "place " + std::to_string(i)));
            ++checked;
        }
    }
    EXPECT_GT(checked, 60u);
}

// --- a plan like a real border's ---------------------------------------------------------------

namespace {

/// A small plan shaped like a real border's: three wiggly lines with a vertex
/// every 20 m, each in three parts, meeting near one another; households'
/// stretches of 12-20 m scattered at random so that they overlap and leave
/// gaps (about 60 % of each line covered), homes 0.2-4.5 km off the line;
/// teams holding a few longer stretches; incident points up to 3 km off.
struct DenseGenerated {
    Workspace ws;
    std::vector<bool> active;
    std::vector<LonLat> points;
};

std::vector<LonLat> dense_walk(std::mt19937& rng, LonLat start, double heading, int vertices) {
    std::uniform_real_distribution<double> turn(-8, 8);
    std::vector<LonLat> v{start};
    while (static_cast<int>(v.size()) < vertices) {
        heading += turn(rng);
        v.push_back(direct(v.back(), heading, 20));
    }
    return v;
}

DenseGenerated dense_workspace(unsigned seed) {
    std::mt19937 rng(seed);
    const auto uniform = [&](double lo, double hi) {
        return std::uniform_real_distribution<double>(lo, hi)(rng);
    };
    DenseGenerated g;
    const LonLat starts[] = {{107.50, 13.50}, {107.52, 13.51}, {107.49, 13.53}};
    const double headings[] = {150, 60, 330};
    for (int l = 0; l < 3; ++l) {
        const std::vector<LonLat> v = dense_walk(rng, starts[l], headings[l], 2100);
        std::vector<BorderLine::Part> parts;
        for (int p = 0; p < 3; ++p) { // a hole of two vertices between parts
            parts.emplace_back(v.begin() + p * 700, v.begin() + p * 700 + 698);
        }
        g.ws.lines.emplace_back("L" + std::to_string(l), std::move(parts));
    }
    for (int t = 0; t < 6; ++t) {
        Team team;
        team.team_id = "T" + std::to_string(t);
        g.ws.teams.push_back(team);
    }
    int n = 0;
    const auto assign = [&](const std::string& party, PartyType type, const BorderLine& line,
                            double from, double to) {
        Assignment a = km_assignment("A" + std::to_string(n++), party, from, to, type);
        a.line_id = line.line_id();
        const bool expired = uniform(0, 1) < 0.05;
        if (expired) {
            a.expires = Date::parse("2019-06-30");
        }
        g.ws.assignments.push_back(a);
        g.active.push_back(!expired);
    };
    for (const BorderLine& line : g.ws.lines) {
        const double length = line.length_km();
        // A random scatter of stretches of mean length s covers 1 - exp(-n s / L).
        const auto households = static_cast<int>(0.95 * length / 0.016);
        for (int i = 0; i < households; ++i) {
            const double from = uniform(0, length - 0.02);
            const std::string id = line.line_id() + "-H" + std::to_string(i);
            g.ws.households.push_back(
                household(id, direct(line.point_at(from), uniform(0, 360),
                                     200 + 4300 * std::pow(uniform(0, 1), 2))));
            assign(id, PartyType::household, line, from, from + uniform(0.012, 0.020));
        }
        for (int t = 0; t < 6; ++t) {
            const double from = uniform(0, length - 3);
            assign("T" + std::to_string(t), PartyType::team, line, from, from + uniform(0.3, 3));
        }
    }
    for (int i = 0; i < 80; ++i) {
        const BorderLine& line = g.ws.lines[static_cast<std::size_t>(i % 3)];
        const LonLat on = line.point_at(uniform(0, line.length_km()));
        g.points.push_back(i % 8 == 0 ? on : direct(on, uniform(0, 360), uniform(0, 3000)));
    }
    return g;
}

/// The distance in metres from p to the nearest point of the line, by PROJ
/// alone: each edge that could hold a nearer point is searched along its
/// geodesic (golden section) for the point nearest to p.
double ref_offset_m(const BorderLine& line, LonLat p) {
    double best = inf; // first the nearest vertex, a bound that spares most edges
    for (const LonLat v : line.vertices()) {
        best = std::min(best, ref_distance_m(p.lon, p.lat, v.lon, v.lat));
    }
    for (const BorderLine::Part& part : line.parts()) {
        for (std::size_t v = 0; v + 1 < part.size(); ++v) {
            const LonLat a = part[v], b = part[v + 1];
            double s = 0, azi1 = 0, azi2 = 0;
            geod_inverse(&reference_wgs84(), a.lat, a.lon, b.lat, b.lon, &s, &azi1, &azi2);
            if (ref_distance_m(p.lon, p.lat, a.lon, a.lat) > best + s) {
                continue; // no point of this edge can be nearer
            }
            const auto at = [&](double t) {
                LonLat x;
                ref_direct(a.lon, a.lat, azi1, t, x.lon, x.lat);
                return ref_distance_m(x.lon, x.lat, p.lon, p.lat);
            };
            double lo = 0, hi = s;
            constexpr double ratio = 0.6180339887498949;
            for (int i = 0; i < 60 && hi - lo > 1e-7; ++i) {
                const double m1 = hi - ratio * (hi - lo), m2 = lo + ratio * (hi - lo);
                if (at(m1) < at(m2)) {
                    hi = m2;
                } else {
                    lo = m1;
                }
            }
            best = std::min({best, at(0.5 * (lo + hi)), at(0), at(s)});
        }
    }
    return best;
}

} // namespace

TEST(NearestBruteForce, ManyOverlappingStretchesAndGapsOnDenseLines) {
    DenseGenerated g = dense_workspace(11);
    const std::vector<bool> active = g.active;
    const std::vector<LonLat> points = g.points;
    const auto x = index_of(std::move(g.ws));
    const Workspace& ws = x->ws;
    const std::vector<RankedPoint> got = rank_points(ws, *x->index, points, 20);
    ASSERT_EQ(got.size(), points.size());
    std::size_t in_gaps = 0, overlapped = 0;
    for (std::size_t i = 0; i < points.size(); ++i) {
        const std::string what = "point " + std::to_string(i);
        // The line: the nearest by PROJ, at the distance PROJ finds.
        std::vector<double> offsets;
        for (const BorderLine& l : ws.lines) {
            offsets.push_back(ref_offset_m(l, points[i]));
        }
        const auto nearest = std::min_element(offsets.begin(), offsets.end()) - offsets.begin();
        EXPECT_EQ(got[i].line, static_cast<std::uint32_t>(nearest)) << what;
        EXPECT_LE(got[i].at.offset_m, offsets[got[i].line] + 1e-3) << what;
        EXPECT_GE(got[i].at.offset_m, offsets[got[i].line] - 1e-3) << what;
        // The parties, ranked from where the point was located.
        const std::vector<Expected> all =
            brute_rank(ws, active, got[i].line, got[i].at.chainage_km, points[i]);
        ASSERT_TRUE(same_top(*x, got[i].parties, all, 20, what));
        in_gaps += all.front().along_km > 0 ? 1 : 0;
        overlapped += all.size() > 1 && all[1].along_km == 0 ? 1 : 0;
        // One point at a time, the same.
        const auto [line, at] = locate_on_workspace(ws, points[i]);
        EXPECT_EQ(line, got[i].line);
        EXPECT_EQ(at.chainage_km, got[i].at.chainage_km);
        EXPECT_EQ(x->ids(x->index->rank({line, at.chainage_km, at.chainage_km, points[i]}, 20)),
                  x->ids(got[i].parties));
    }
    // The cases meant: points in gaps, and inside overlapping stretches.
    EXPECT_GT(in_gaps, 10u);
    EXPECT_GT(overlapped, 10u);
}
