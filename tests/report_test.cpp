// The report's engine side: each commune's coverage from one sweep is what
// `coverage --commune` computes on its own, and every value on a page is
// HTML-escaped.
#include "bordercov/coverage.hpp"
#include "bordercov/i18n.hpp"
#include "bordercov/io/workspace_reader.hpp"
#include "bordercov/report.hpp"
#include "bordercov/resolve.hpp"
#include "fixture.hpp"

#include <gtest/gtest.h>

using namespace bordercov;
using bordercov::test::FixtureLayer;
using bordercov::test::TempDir;
using bordercov::test::write_workspace;

namespace {

void expect_same(const Figures& a, const Figures& b, const std::string& where) {
    EXPECT_DOUBLE_EQ(a.border_km, b.border_km) << where;
    EXPECT_DOUBLE_EQ(a.covered_km, b.covered_km) << where;
    EXPECT_DOUBLE_EQ(a.overlap_km, b.overlap_km) << where;
    EXPECT_EQ(a.gaps, b.gaps) << where;
    EXPECT_EQ(a.markers, b.markers) << where;
    EXPECT_EQ(a.markers_unowned, b.markers_unowned) << where;
    EXPECT_EQ(a.markers_not_built, b.markers_not_built) << where;
    EXPECT_EQ(a.households, b.households) << where;
    EXPECT_EQ(a.teams, b.teams) << where;
}

void expect_same(const Coverage& a, const Coverage& b, const std::string& where) {
    ASSERT_EQ(a.segments.size(), b.segments.size()) << where;
    for (std::size_t i = 0; i < a.segments.size(); ++i) {
        EXPECT_EQ(a.segments[i].stretch.from_km, b.segments[i].stretch.from_km) << where;
        EXPECT_EQ(a.segments[i].owners, b.segments[i].owners) << where;
    }
    ASSERT_EQ(a.gaps.size(), b.gaps.size()) << where;
    for (std::size_t i = 0; i < a.gaps.size(); ++i) {
        EXPECT_EQ(a.gaps[i].gap_id, b.gaps[i].gap_id) << where;
        EXPECT_EQ(a.gaps[i].stretch.to_km, b.gaps[i].stretch.to_km) << where;
        EXPECT_EQ(a.gaps[i].from_marker, b.gaps[i].from_marker) << where;
        EXPECT_EQ(a.gaps[i].markers, b.gaps[i].markers) << where;
    }
    ASSERT_EQ(a.markers.size(), b.markers.size()) << where;
    for (std::size_t i = 0; i < a.markers.size(); ++i) {
        EXPECT_EQ(a.markers[i].marker, b.markers[i].marker) << where;
        EXPECT_EQ(a.markers[i].custodians, b.markers[i].custodians) << where;
    }
    ASSERT_EQ(a.communes.size(), b.communes.size()) << where;
    for (std::size_t i = 0; i < a.communes.size(); ++i) {
        expect_same(a.communes[i].figures, b.communes[i].figures, where + " commune");
    }
    ASSERT_EQ(a.districts.size(), b.districts.size()) << where;
    ASSERT_EQ(a.teams.size(), b.teams.size()) << where;
    for (std::size_t i = 0; i < a.teams.size(); ++i) {
        EXPECT_EQ(a.teams[i].team, b.teams[i].team) << where;
        EXPECT_DOUBLE_EQ(a.teams[i].held_km, b.teams[i].held_km) << where;
        EXPECT_EQ(a.teams[i].markers, b.teams[i].markers) << where;
    }
    for (std::size_t i = 0; i < a.lines.size(); ++i) {
        expect_same(a.lines[i].figures, b.lines[i].figures, where + " line");
    }
    expect_same(a.total, b.total, where + " total");
}

} // namespace

TEST(CoverageByCommune, EachCommuneAsItsOwnRunGivesIt) {
    // The sample on two dates: 2026 has gaps across commune boundaries
    // (pieces G2.1, ...), 2010 markers not built yet.
    for (const char* day : {"2026-11-28", "2010-01-01"}) {
        Diagnostics diagnostics;
        const Workspace ws =
            io::read_workspace(BORDERCOV_SOURCE_DIR "/geodata/gia-lai.gpkg", diagnostics);
        const Plan plan = resolve(ws, {.as_of = *Date::parse(day)}, diagnostics);
        std::vector<int> communes;
        for (std::size_t c = 0; c < ws.communes.size(); ++c) {
            communes.push_back(static_cast<int>(c));
        }
        const CoverageByCommune all = compute_coverage_by_commune(ws, plan, communes);
        expect_same(all.whole, compute_coverage(ws, plan, {}), std::string(day) + " whole");
        ASSERT_EQ(all.communes.size(), communes.size());
        for (std::size_t i = 0; i < communes.size(); ++i) {
            expect_same(all.communes[i], compute_coverage(ws, plan, {.commune = communes[i]}),
                        std::string(day) + " " + ws.communes[i].commune_id);
        }
    }
}

TEST(Report, EveryValueIsEscaped) {
    TempDir dir;
    // A line of ~11 km; the household holds its first 5 km: the rest is a
    // gap whose nearest party it is.
    const std::string ws = write_workspace(
        dir / "ws.gpkg",
        {FixtureLayer{"border_lines",
                      {{"LINESTRING (107.6 13.6, 107.6 13.7)",
                        {{"line_id", "L<1>"}, {"neighbour", "KH"}, {"neighbour_side", "right"}}}}},
         FixtureLayer{
             "communes",
             {{"POLYGON ((107.5 13.55, 107.7 13.55, 107.7 13.75, 107.5 13.75, 107.5 13.55))",
               {{"commune_id", "C\"1"},
                {"name", "Ia <b>Pnôn</b> & co"},
                {"district", "Đức <i>Cơ</i>"},
                {"province", "Gia Lai"}}}}},
         FixtureLayer{"households",
                      {{"POINT (107.59 13.61)",
                        {{"household_id", "H'1"},
                         {"head", "<script>alert(1)</script>"},
                         {"commune_id", "C\"1"},
                         {"phone", "<img src=x onerror=alert(2)>"}}}}},
         FixtureLayer{"assignments",
                      {{"",
                        {{"assignment_id", "A1"},
                         {"party_type", "household"},
                         {"party_id", "H'1"},
                         {"line_id", "L<1>"},
                         {"from_km", "0"},
                         {"to_km", "5"}}}}}});
    Diagnostics diagnostics;
    const Workspace workspace = io::read_workspace(ws, diagnostics);
    const Plan plan = resolve(workspace, {.as_of = *Date::parse("2020-01-01")}, diagnostics);
    const auto vi = i18n::Catalogue::for_language(i18n::Language::vi, {BORDERCOV_BUILT_LOCALEDIR});
    ReportOptions options;
    options.source = "<ws>.gpkg";
    const auto pages = make_report(workspace, plan, vi, options);
    ASSERT_EQ(pages.size(), 4u); // index, the district, the commune, print.html
    EXPECT_EQ(pages[3].file, "print.html");
    EXPECT_EQ(pages[0].file, "index.html");
    EXPECT_EQ(pages[1].file, "district-duc-i-co-i.html");
    EXPECT_EQ(pages[2].file, "commune-C-1.html");
    for (const ReportPage& page : pages) {
        EXPECT_EQ(page.html.find("<script"), std::string::npos) << page.file;
        EXPECT_EQ(page.html.find("<img"), std::string::npos) << page.file;
        EXPECT_EQ(page.html.find("<b>"), std::string::npos) << page.file;
        EXPECT_EQ(page.html.find("<i>"), std::string::npos) << page.file;
        EXPECT_NE(page.html.find("Ia &lt;b&gt;Pnôn&lt;/b&gt; &amp; co"), std::string::npos)
            << page.file;
        // In the style sheet, the source is a CSS string that cannot end the
        // <style> element.
        EXPECT_NE(page.html.find("Nguồn dữ liệu: \\3C ws>.gpkg"), std::string::npos) << page.file;
    }
    const std::string& commune = pages[2].html;
    EXPECT_NE(commune.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    EXPECT_NE(commune.find("&lt;img src=x onerror=alert(2)&gt;"), std::string::npos);
    EXPECT_NE(commune.find("Xã Ia &lt;b&gt;Pnôn&lt;/b&gt; &amp; co"), std::string::npos);
    EXPECT_NE(commune.find(">G1<"), std::string::npos);
    EXPECT_NE(commune.find("CAMPUCHIA") == std::string::npos ? commune.find("Campuchia")
                                                             : std::string::npos,
              std::string::npos);
}
