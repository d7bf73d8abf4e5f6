#include "bordercov/commune_index.hpp"
#include "bordercov/coverage.hpp"
#include "bordercov/table.hpp"

#include "plan_fixture.hpp"

#include <gtest/gtest.h>

using namespace bordercov;
using namespace bordercov::test;

namespace {

Plan resolve_on(const Workspace& ws, const char* date) {
    ResolveOptions o;
    o.as_of = *Date::parse(date);
    Diagnostics d;
    Plan plan = resolve(ws, o, d);
    EXPECT_TRUE(d.items().empty()) << d.items().front().describe();
    return plan;
}

/// C1 is a U that the meridian crosses twice (13.1-13.2 N and 13.3-13.4 N);
/// C2 holds 13.0-13.05 N; the rest of the line lies in no commune.
void add_communes(Workspace& ws) {
    Commune c1;
    c1.commune_id = "C1";
    c1.name = "Ia O";
    c1.district = "Ia Grai";
    c1.area = {{{{107.99, 13.1},
                 {108.05, 13.1},
                 {108.05, 13.4},
                 {107.99, 13.4},
                 {107.99, 13.3},
                 {108.02, 13.3},
                 {108.02, 13.2},
                 {107.99, 13.2},
                 {107.99, 13.1}}}};
    Commune c2;
    c2.commune_id = "C2";
    c2.name = "Ia Pnôn";
    c2.district = "Đức Cơ";
    c2.area = {
        {{{107.99, 13.0}, {108.01, 13.0}, {108.01, 13.05}, {107.99, 13.05}, {107.99, 13.0}}}};
    ws.communes = {c1, c2};
}

/// H1 [0, 10] and again [5, 9]; H2 [8, 20]; H3 [20, 25] (touching H2) and
/// [50, end]; team T2 [22, 23] (nested in H3's). T1 holds H1..H3.
Workspace plan_workspace() {
    Workspace ws = meridian_workspace();
    add_communes(ws);
    const double end = meridian_km(13.5);
    ws.assignments = {
        km_assignment("A1", "H1", 0, 10),   km_assignment("A2", "H1", 5, 9),
        km_assignment("A3", "H2", 8, 20),   km_assignment("A4", "H3", 20, 25),
        km_assignment("A5", "H3", 50, end), km_assignment("A6", "T2", 22, 23, PartyType::team)};
    ws.markers = {marker("20", 108, 13.2), marker("21", 108, 13.45), marker("22", 108, 13.48)};
    MarkerCustodian held;
    held.marker_id = "20";
    held.party_id = "H1";
    MarkerCustodian expired;
    expired.marker_id = "21";
    expired.party_id = "H2";
    expired.expires = Date::parse("2019-01-01");
    ws.custodians = {held, expired};
    return ws;
}

const CommuneSummary& commune(const Coverage& cov, int index) {
    for (const CommuneSummary& c : cov.communes) {
        if (c.commune == index) {
            return c;
        }
    }
    throw std::runtime_error("no commune row");
}

} // namespace

TEST(Coverage, OverlappingTouchingAndNestedStretches) {
    const Workspace ws = plan_workspace();
    const Coverage cov = compute_coverage(ws, resolve_on(ws, "2020-01-01"), {});
    const double end = meridian_km(13.5);
    const Figures& f = cov.total;
    EXPECT_NEAR(f.border_km, end, 1e-9);
    EXPECT_NEAR(f.covered_km, 25.0 + (end - 50.0), 1e-9);
    // [8, 10]: H1 and H2; [22, 23]: H3 and T2. H1 with itself is no overlap.
    EXPECT_NEAR(f.overlap_km, 3.0, 1e-9);
    EXPECT_NEAR(f.uncovered_km(), 25.0, 1e-9);
    ASSERT_EQ(cov.gaps.size(), 1u);
    EXPECT_NEAR(cov.gaps[0].stretch.from_km, 25.0, 1e-12);
    EXPECT_NEAR(cov.gaps[0].stretch.to_km, 50.0, 1e-12);
    // Touching at 20 km: a cut there, but neither gap nor overlap.
    for (const Segment& s : cov.segments) {
        if (s.stretch.contains(19.9) || s.stretch.contains(20.1)) {
            EXPECT_EQ(s.owners.size(), 1u);
        }
    }
}

TEST(Coverage, GapNamesTheMarkersAroundIt) {
    const Workspace ws = plan_workspace();
    const Coverage cov = compute_coverage(ws, resolve_on(ws, "2020-01-01"), {});
    ASSERT_EQ(cov.gaps.size(), 1u);
    // Markers at 13.2 N (22.1 km), 13.45 N (49.8 km) and 13.48 N (53.1 km):
    // the last at or before the gap's start [25 km] is "20", the first at or
    // after its end [50 km] is "22".
    ASSERT_LT(meridian_km(13.45), 50.0);
    EXPECT_EQ(cov.gaps[0].from_marker, 0);
    EXPECT_EQ(cov.gaps[0].to_marker, 2);
    // Marker custody: 20 held, 21's custody expired, 22 never held.
    ASSERT_EQ(cov.markers.size(), 3u);
    EXPECT_TRUE(cov.markers[0].custodied());
    EXPECT_FALSE(cov.markers[1].custodied());
    EXPECT_EQ(cov.total.markers_unowned, 2u);
}

TEST(Coverage, PerCommuneWhereOneCommuneCrossesTheLineTwice) {
    const Workspace ws = plan_workspace();
    const Coverage cov = compute_coverage(ws, resolve_on(ws, "2020-01-01"), {});
    const double band1 = meridian_km(13.2) - meridian_km(13.1);
    const double band2 = meridian_km(13.4) - meridian_km(13.3);
    const Figures& c1 = commune(cov, 0).figures;
    EXPECT_NEAR(c1.border_km, band1 + band2, 1e-6);
    EXPECT_NEAR(c1.covered_km, band1, 1e-6); // the first band lies in [0, 25]
    EXPECT_NEAR(c1.overlap_km, meridian_km(13.2) - 22.0, 1e-6);
    const Figures& c2 = commune(cov, 1).figures;
    EXPECT_NEAR(c2.border_km, meridian_km(13.05), 1e-6);
    EXPECT_NEAR(c2.covered_km, meridian_km(13.05), 1e-6);
    // The stretches outside every commune: commune "-".
    const Figures& none = commune(cov, -1).figures;
    EXPECT_NEAR(none.border_km, meridian_km(13.5) - band1 - band2 - meridian_km(13.05), 1e-6);
    // Districts sum their communes.
    ASSERT_EQ(cov.districts.size(), 3u);
    double total = 0;
    for (const DistrictSummary& d : cov.districts) {
        total += d.figures.border_km;
    }
    EXPECT_NEAR(total, meridian_km(13.5), 1e-9);
}

TEST(Coverage, OneCommuneOnly) {
    const Workspace ws = plan_workspace();
    CoverageOptions only_c1;
    only_c1.commune = find_commune(ws, "ia o");
    ASSERT_EQ(only_c1.commune, 0);
    const Coverage cov = compute_coverage(ws, resolve_on(ws, "2020-01-01"), only_c1);
    const double band2 = meridian_km(13.4) - meridian_km(13.3);
    EXPECT_NEAR(cov.total.border_km, meridian_km(13.2) - meridian_km(13.1) + band2, 1e-6);
    ASSERT_EQ(cov.gaps.size(), 1u); // the second band, all of it in the gap [25, 50]
    EXPECT_NEAR(cov.gaps[0].stretch.length_km(), band2, 1e-6);
    EXPECT_EQ(find_commune(ws, "IA PNON"), 1);
    EXPECT_EQ(find_commune(ws, "C2"), 1);
    EXPECT_FALSE(find_commune(ws, "Ia Nan"));
}

TEST(Coverage, TeamHoldsTheUnionOfItsOwnAndItsHouseholdsStretches) {
    const Workspace ws = plan_workspace();
    const Coverage cov = compute_coverage(ws, resolve_on(ws, "2020-01-01"), {});
    ASSERT_EQ(cov.teams.size(), 2u);
    const TeamSummary& t1 = cov.teams[0];
    EXPECT_EQ(t1.households, 3u);
    EXPECT_EQ(t1.assignments, 5u);
    EXPECT_NEAR(t1.held_km, 25.0 + (meridian_km(13.5) - 50.0), 1e-9);
    EXPECT_NEAR(t1.overlap_km, 1.0, 1e-9); // [22, 23] shared with T2; H1/H2 are both T1
    EXPECT_EQ(t1.markers, 1u);
    const TeamSummary& t2 = cov.teams[1];
    EXPECT_NEAR(t2.held_km, 1.0, 1e-9);
    EXPECT_NEAR(t2.overlap_km, 1.0, 1e-9);
}

TEST(Coverage, TheHoleBetweenPartsIsNeverUncovered) {
    Workspace ws;
    ws.lines.emplace_back("L", std::vector<BorderLine::Part>{{{108, 13.0}, {108, 13.1}},
                                                             {{108, 13.145}, {108, 13.245}}});
    const Coverage cov = compute_coverage(ws, resolve_on(ws, "2020-01-01"), {});
    const double expected =
        (ref_distance_m(108, 13.0, 108, 13.1) + ref_distance_m(108, 13.145, 108, 13.245)) / 1000.0;
    EXPECT_NEAR(cov.total.uncovered_km(), expected, 1e-9);
    ASSERT_EQ(cov.gaps.size(), 1u);     // one gap in chainage, across the join
    EXPECT_EQ(cov.segments.size(), 2u); // but the geometry is cut at the join
}

TEST(CommuneIndex, SplitCoversTheWholeLineInOrder) {
    Workspace ws = plan_workspace();
    const CommuneIndex index(ws.communes);
    const auto pieces = index.split(ws.lines[0]);
    ASSERT_EQ(pieces.size(), 6u); // C2, -, C1, -, C1, -
    const int expected[] = {1, -1, 0, -1, 0, -1};
    const double bounds[] = {0,
                             meridian_km(13.05),
                             meridian_km(13.1),
                             meridian_km(13.2),
                             meridian_km(13.3),
                             meridian_km(13.4),
                             meridian_km(13.5)};
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        EXPECT_EQ(pieces[i].commune, expected[i]) << i;
        EXPECT_NEAR(pieces[i].from_km, bounds[i], 1e-6) << i;
        EXPECT_NEAR(pieces[i].to_km, bounds[i + 1], 1e-6) << i;
    }
}

TEST(Coverage, CommuneBoundaryInTheHoleBetweenParts) {
    // Part 1 lies in commune A, part 2 in B; their boundary (13.12 N) falls
    // in the hole between the parts, which no line edge crosses.
    Workspace ws;
    ws.lines.emplace_back("L", std::vector<BorderLine::Part>{{{108, 13.0}, {108, 13.1}},
                                                             {{108, 13.145}, {108, 13.245}}});
    Commune a, b;
    a.commune_id = "A";
    a.area = {{{{107.9, 12.9}, {108.1, 12.9}, {108.1, 13.12}, {107.9, 13.12}, {107.9, 12.9}}}};
    b.commune_id = "B";
    b.area = {{{{107.9, 13.12}, {108.1, 13.12}, {108.1, 13.3}, {107.9, 13.3}, {107.9, 13.12}}}};
    ws.communes = {a, b};
    const Coverage cov = compute_coverage(ws, resolve_on(ws, "2020-01-01"), {});
    EXPECT_NEAR(commune(cov, 0).figures.border_km, ref_distance_m(108, 13.0, 108, 13.1) / 1000.0,
                1e-6);
    EXPECT_NEAR(commune(cov, 1).figures.border_km,
                ref_distance_m(108, 13.145, 108, 13.245) / 1000.0, 1e-6);
}

TEST(Coverage, AStretchEndingJustShortOfAPartJoinLeavesNoSliver) {
    // The stretch ends 0.4 mm before the join (as a km typed to 3 decimals
    // does): no segment may span the join, and the uncovered part 2 is one
    // segment with the geometry of the whole part.
    Workspace ws = meridian_workspace();
    ws.lines.clear();
    ws.lines.emplace_back("L", std::vector<BorderLine::Part>{{{108, 13.0}, {108, 13.1}},
                                                             {{108, 13.145}, {108, 13.245}}});
    const double join = ws.lines[0].part_joins_km()[0];
    ws.assignments = {km_assignment("A1", "H1", 0.0, join - 4e-7)};
    const Coverage cov = compute_coverage(ws, resolve_on(ws, "2020-01-01"), {});
    ASSERT_EQ(cov.segments.size(), 2u);
    EXPECT_DOUBLE_EQ(cov.segments[0].stretch.to_km, join);
    EXPECT_DOUBLE_EQ(cov.segments[1].stretch.from_km, join);
    const auto parts =
        ws.lines[0].cut(cov.segments[1].stretch.from_km, cov.segments[1].stretch.to_km);
    ASSERT_EQ(parts.size(), 1u);
    EXPECT_NEAR(parts[0].front().lat, 13.145, 1e-9);
    EXPECT_NEAR(parts[0].back().lat, 13.245, 1e-9);
}

TEST(Coverage, DistrictsOfTheSameNameInTwoProvincesStayApart) {
    Workspace ws = plan_workspace();
    ws.communes[0].district = "Châu Thành";
    ws.communes[0].province = "Tây Ninh";
    ws.communes[1].district = "Châu Thành";
    ws.communes[1].province = "An Giang";
    const Coverage cov = compute_coverage(ws, resolve_on(ws, "2020-01-01"), {});
    ASSERT_EQ(cov.districts.size(), 3u); // An Giang, Tây Ninh, and "-" for the rest
    EXPECT_EQ(cov.districts[0].province, "-");
    EXPECT_EQ(cov.districts[1].province, "An Giang");
    EXPECT_NEAR(cov.districts[1].figures.border_km, meridian_km(13.05), 1e-6);
    EXPECT_EQ(cov.districts[2].province, "Tây Ninh");
    EXPECT_NEAR(cov.districts[2].figures.border_km,
                meridian_km(13.2) - meridian_km(13.1) + meridian_km(13.4) - meridian_km(13.3),
                1e-6);
}

TEST(Coverage, AGapKeepsItsWorkspaceIdWithinOneCommune) {
    // Gaps [0, 5] (G1) and [30, 35] (G2); the commune holds 13.25-13.35 N
    // (about 27.7-38.7 km): within it the one gap is G2.
    Workspace ws = meridian_workspace();
    ws.assignments = {km_assignment("A1", "H1", 5, 30),
                      km_assignment("A2", "H2", 35, meridian_km(13.5))};
    Commune c;
    c.commune_id = "C";
    c.area = {{{{107.9, 13.25}, {108.1, 13.25}, {108.1, 13.35}, {107.9, 13.35}, {107.9, 13.25}}}};
    ws.communes = {c};
    CoverageOptions only;
    only.commune = 0;
    const Coverage cov = compute_coverage(ws, resolve_on(ws, "2020-01-01"), only);
    ASSERT_EQ(cov.gaps.size(), 1u);
    EXPECT_EQ(cov.gaps[0].gap_id, "G2");
    EXPECT_NEAR(cov.gaps[0].stretch.from_km, 30.0, 1e-9);
}

TEST(Coverage, AMarkerBuiltAfterTheDateDoesNotExistYet) {
    // Markers 20 (22.1 km, held by H1), 21 (49.8 km) and 22 (53.1 km); 21 is
    // built on 2021-03-01 and 22 in 2020-01 (read as 2020-01-01). As of
    // 2020-01-01: 20 and 22 exist (22 from that very day), 21 does not yet.
    Workspace ws = plan_workspace();
    ws.markers[1].built = Date::parse("2021-03-01");
    ws.markers[2].built = Date::parse("2020-01-01");
    const Coverage cov = compute_coverage(ws, resolve_on(ws, "2020-01-01"), {});
    ASSERT_EQ(cov.markers.size(), 2u);
    EXPECT_EQ(ws.markers[cov.markers[0].marker].marker_id, "20");
    EXPECT_EQ(ws.markers[cov.markers[1].marker].marker_id, "22");
    EXPECT_EQ(cov.total.markers, 2u);
    EXPECT_EQ(cov.total.markers_unowned, 1u); // 22 only
    EXPECT_EQ(cov.total.markers_not_built, 1u);
    EXPECT_EQ(cov.lines[0].figures.markers_not_built, 1u);
    // 21 (13.45 N) lies in no commune: the "-" row counts it.
    EXPECT_EQ(commune(cov, -1).figures.markers_not_built, 1u);
    EXPECT_EQ(commune(cov, -1).figures.markers, 1u); // 22 (13.48 N)

    // A day before 22 is built, it does not exist either.
    const Coverage before = compute_coverage(ws, resolve_on(ws, "2019-12-31"), {});
    EXPECT_EQ(before.total.markers, 1u);
    EXPECT_EQ(before.total.markers_unowned, 0u);
    EXPECT_EQ(before.total.markers_not_built, 2u);
}

TEST(Coverage, AGapListsTheMarkersInsideIt) {
    // The gap [25, 50] holds marker 21 (13.45 N, 49.8 km) and one added at
    // 13.3 N (33.2 km), listed in chainage order; 20 (22.1 km) lies before
    // it and 22 (53.1 km) after it.
    Workspace ws = plan_workspace();
    ws.markers.push_back(marker("30", 108, 13.3));
    ASSERT_GT(meridian_km(13.3), 25.0);
    ASSERT_LT(meridian_km(13.45), 50.0);
    const Coverage cov = compute_coverage(ws, resolve_on(ws, "2020-01-01"), {});
    ASSERT_EQ(cov.gaps.size(), 1u);
    const Gap& g = cov.gaps[0];
    ASSERT_EQ(g.markers.size(), 2u);
    EXPECT_EQ(ws.markers[g.markers[0]].marker_id, "30");
    EXPECT_EQ(ws.markers[g.markers[1]].marker_id, "21");
    EXPECT_EQ(g.from_marker, 0);
    EXPECT_EQ(g.to_marker, 2);
    // The gaps layer lists them, comma-separated, in that order.
    const Plan plan = resolve_on(ws, "2020-01-01");
    const auto tables = coverage_tables(ws, plan, compute_coverage(ws, plan, {}), Diagnostics{},
                                        {.geometry = false, .segments = false});
    const Table& gaps = find_table(tables, "gaps");
    EXPECT_EQ(std::get<std::string>(gaps.rows[0].values[gaps.column("markers_inside")]), "30,21");
}

TEST(Tables, DeferredSegmentsAreTheRowsHeld) {
    // The segments' rows made one after the other into one scratch row (as
    // a writer reads them) are the rows coverage_tables holds: values
    // (owners, communes, the null district outside them) and geometry.
    Workspace ws = plan_workspace();
    add_communes(ws);
    const Plan plan = resolve_on(ws, "2020-01-01");
    const Coverage cov = compute_coverage(ws, plan, {});
    const Table held = find_table(coverage_tables(ws, plan, cov, Diagnostics{}), "segments");
    const Table deferred = segments_table(ws, plan, cov, {.defer_segments = true});
    ASSERT_GT(held.rows.size(), 3u);
    EXPECT_TRUE(deferred.rows.empty());
    ASSERT_EQ(deferred.size(), held.rows.size());
    EXPECT_EQ(deferred.fields.size(), held.fields.size());
    Row scratch;
    for (std::size_t i = 0; i < held.rows.size(); ++i) {
        SCOPED_TRACE(i);
        const Row& row = deferred.row(i, scratch);
        EXPECT_EQ(&row, &scratch);
        EXPECT_EQ(row.values, held.rows[i].values);
        EXPECT_EQ(row.geometry, held.rows[i].geometry);
    }
    // Made again in another order, into storage of other rows: the same.
    for (std::size_t i = held.rows.size(); i-- > 0;) {
        EXPECT_EQ(deferred.row(i, scratch).values, held.rows[i].values);
    }
    // A held table's row is the row itself.
    EXPECT_EQ(&held.row(0, scratch), &held.rows[0]);
}
