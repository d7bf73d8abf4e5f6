// `bordercov assign` through the built CLI on the Gia Lai sample: the
// proposals appended to a copy of the workspace with ogr2ogr close every gap
// and every unowned marker (4.707 km and 6 markers as of 2026-11-28, see
// geodata/README.md); the same input gives the same file byte for byte; bad
// options and empty workspaces get a clear answer.
#include "fixture.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace fs = std::filesystem;
using bordercov::test::FixtureLayer;
using bordercov::test::run_bordercov;
using bordercov::test::slurp;
using bordercov::test::TempDir;
using bordercov::test::write_workspace;
using nlohmann::json;

namespace {

const std::string sample = BORDERCOV_SOURCE_DIR "/geodata/gia-lai.gpkg";
const char* const as_of = "2026-11-28";

json coverage_of(const std::string& ws) {
    const auto r = run_bordercov({"coverage", ws, "--as-of", as_of, "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    return json::parse(r.out);
}

} // namespace

TEST(AssignCli, ProposalsAppendedToTheWorkspaceCloseEveryGap) {
    TempDir dir;
    const std::string before = slurp(sample);
    const json was = coverage_of(sample);
    ASSERT_NEAR(was["lines"][0]["uncovered_km"].get<double>(), 4.707, 0.002);

    const std::string proposals = dir / "proposals.gpkg";
    const auto r = run_bordercov({"assign", sample, "--as-of", as_of, "-o", proposals, "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(slurp(sample), before) << "the workspace was touched";
    const json doc = json::parse(r.out);
    double gap_km = 0, covered_km = 0;
    for (const auto& row : doc["summary"]) {
        gap_km += row["gap_km"].get<double>();
        covered_km += row["covered_km"].get<double>();
    }
    EXPECT_NEAR(gap_km, 4.707, 0.002);
    EXPECT_NEAR(covered_km, gap_km, 0.001); // a household or, failing one, a team for every piece

    // The README's two commands: append the proposed layers to a copy.
    const std::string copy = dir / "gia-lai.gpkg";
    fs::copy_file(sample, copy);
    for (const char* layer : {"assignments", "marker_custodians"}) {
        const std::string append =
            "ogr2ogr -append -update '" + copy + "' '" + proposals + "' " + layer;
        ASSERT_EQ(std::system(append.c_str()), 0) << append;
    }
    const json now = coverage_of(copy);
    EXPECT_NEAR(now["lines"][0]["covered_km"].get<double>(),
                now["lines"][0]["length_km"].get<double>(), 0.0005);
    EXPECT_EQ(now["lines"][0]["uncovered_km"].get<double>(), 0.0);
    EXPECT_TRUE(now["gaps"].empty());
    // No proposal overlaps what was held: the overlap stays as it was.
    EXPECT_NEAR(now["lines"][0]["overlap_km"].get<double>(),
                was["lines"][0]["overlap_km"].get<double>(), 0.0005);
    for (const auto& m : now["markers"]) {
        EXPECT_NE(m["status"], "unowned") << m.dump();
    }
    // Proposals are signed on the as-of date: the past stays as it was.
    const auto then = run_bordercov({"coverage", copy, "--as-of", "2016-01-01", "--json"});
    const auto then_was = run_bordercov({"coverage", sample, "--as-of", "2016-01-01", "--json"});
    ASSERT_EQ(then.code, 0);
    EXPECT_EQ(json::parse(then.out)["lines"], json::parse(then_was.out)["lines"]);
    const auto check = run_bordercov({"check", copy, "--as-of", as_of, "--json"});
    EXPECT_EQ(check.code, 0) << check.out;
    EXPECT_EQ(json::parse(check.out)["errors"].get<int>(), 0);
}

TEST(AssignCli, TheSameInputGivesTheSameFileByteForByte) {
    TempDir dir;
    for (const char* format : {"GPKG", "GeoJSON"}) {
        const std::string a = dir / (std::string("a-") + format),
                          b = dir / (std::string("b-") + format);
        for (const std::string& out : {a, b}) {
            const auto r =
                run_bordercov({"assign", sample, "--as-of", as_of, "-o", out, "-f", format});
            ASSERT_EQ(r.code, 0) << r.err;
        }
        if (fs::is_directory(a)) {
            for (const auto& entry : fs::directory_iterator(a)) {
                EXPECT_EQ(slurp(entry.path()), slurp(fs::path(b) / entry.path().filename()))
                    << entry.path();
            }
        } else {
            EXPECT_EQ(slurp(a), slurp(b)) << format;
        }
    }
}

TEST(AssignCli, CapacitiesThatAreNotPositiveAreUsageErrors) {
    TempDir dir;
    for (const std::vector<std::string>& bad : {std::vector<std::string>{"--household-km", "0"},
                                                {"--household-km", "-1"},
                                                {"--piece-km", "0"},
                                                {"--marker-households", "0"},
                                                {"--marker-households", "-2"},
                                                {"--max-home-km", "0"}}) {
        std::vector<std::string> args{"assign", sample, "-o", dir / "out.gpkg"};
        args.insert(args.end(), bad.begin(), bad.end());
        const auto r = run_bordercov(args);
        EXPECT_EQ(r.code, 2) << bad[0] << " " << bad[1] << ": " << r.err;
        EXPECT_NE(r.err.find(bad[0]), std::string::npos) << r.err;
        EXPECT_FALSE(fs::exists(dir / "out.gpkg"));
    }
}

TEST(AssignCli, NoHouseholdNearEnoughIsSaidAndTeamsStandIn) {
    TempDir dir;
    const auto r = run_bordercov(
        {"assign", sample, "--as-of", as_of, "-o", dir / "out.gpkg", "--max-home-km", "0.001"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("Households would take 0.000 km"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("4.7"), std::string::npos) << r.out; // the km teams take instead
}

TEST(AssignCli, AWorkspaceWithoutHouseholdsOrTeamsSaysNoOneCanTakeIt) {
    TempDir dir;
    const std::string ws = write_workspace(
        dir / "ws.gpkg",
        {FixtureLayer{"border_lines", {{"LINESTRING (108 13, 108 13.1)", {{"line_id", "L1"}}}}}});
    const auto r =
        run_bordercov({"assign", ws, "--as-of", as_of, "-o", dir / "out.gpkg", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const json doc = json::parse(r.out);
    ASSERT_EQ(doc["summary"].size(), 1u);
    EXPECT_GT(doc["summary"][0]["unassigned_km"].get<double>(), 11.0); // the whole 11.06 km line
    EXPECT_EQ(doc["summary"][0]["household_km"].get<double>(), 0.0);
    EXPECT_EQ(doc["eligible_households"].get<int>(), 0);
}

TEST(AssignCli, ProposalsAppendToWorkspacesInAProjectedCrsWithOrWithoutDrawnAssignments) {
    // Line L1 from 13.0 to 13.1 N on 108 E (11.06 km), stored in UTM 48N.
    // Household H1 holds 0-5 km; the rest is a gap. With assignments that
    // have geometry the proposals are drawn (in UTM 48N, as the workspace's
    // assignments are); with assignments that have none, they give km.
    for (const bool drawn : {true, false}) {
        SCOPED_TRACE(drawn ? "drawn" : "km");
        TempDir dir;
        FixtureLayer assignments{"assignments", {}};
        if (drawn) {
            assignments.rows.push_back(
                {"LINESTRING (108 13.0, 108 13.045)",
                 {{"assignment_id", "A1"}, {"party_type", "household"}, {"party_id", "H1"}}});
        } else {
            assignments.rows.push_back({"",
                                        {{"assignment_id", "A1"},
                                         {"party_type", "household"},
                                         {"party_id", "H1"},
                                         {"line_id", "L1"},
                                         {"from_km", "0"},
                                         {"to_km", "5"}}});
        }
        const std::string ws = write_workspace(
            dir / "ws.gpkg",
            {FixtureLayer{"border_lines",
                          {{"LINESTRING (108 13, 108 13.05, 108 13.1)", {{"line_id", "L1"}}}}},
             FixtureLayer{"households",
                          {{"POINT (108.01 13.06)", {{"household_id", "H1"}, {"team_id", "T1"}}},
                           {"POINT (108.01 13.08)", {{"household_id", "H2"}, {"team_id", "T1"}}}}},
             FixtureLayer{"teams", {{"", {{"team_id", "T1"}, {"name", "Tổ 1"}}}}}, assignments},
            {.epsg = 32648});
        const std::string proposals = dir / "proposals.gpkg";
        const auto r = run_bordercov({"assign", ws, "--as-of", as_of, "-o", proposals,
                                      "--household-km", "10", "--piece-km", "1", "--json"});
        ASSERT_EQ(r.code, 0) << r.err;
        const std::string append =
            "ogr2ogr -append -update '" + ws + "' '" + proposals + "' assignments";
        ASSERT_EQ(std::system(append.c_str()), 0) << append;
        const auto after = run_bordercov({"coverage", ws, "--as-of", as_of, "--json"});
        ASSERT_EQ(after.code, 0) << after.err;
        const json doc = json::parse(after.out);
        EXPECT_EQ(doc["lines"][0]["uncovered_km"].get<double>(), 0.0) << after.out.substr(0, 600);
        EXPECT_EQ(doc["lines"][0]["overlap_km"].get<double>(), 0.0);
        const auto check = run_bordercov({"check", ws, "--as-of", as_of, "--json"});
        EXPECT_EQ(json::parse(check.out)["errors"].get<int>(), 0) << check.out.substr(0, 800);
    }
}
