// `bordercov review` and `bordercov renewals` as a planner runs them: on a
// small plan whose figures are worked out by hand (km along a meridian from
// PROJ), as a GeoPackage and as a folder, and on the Gia Lai sample, where
// every date of the review must give what `coverage --as-of` gives.
#include "../reference.hpp"
#include "fixture.hpp"

#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace bordercov {
namespace {

using nlohmann::json;
using test::FixtureLayer;
using test::run_bordercov;
using test::RunResult;
using test::TempDir;
using test::write_workspace;

const std::string sample = BORDERCOV_SOURCE_DIR "/geodata/gia-lai.gpkg";

/// Line L1 along the 108th meridian from 13.5 N to 13.6 N; communes C1 (Đức
/// Cơ) south of 13.55 N and C2 (Ia Grai) north of it. H1 holds 0-5 km until
/// 2020-01-01 and H2 from that day; H3 holds 6-8 km until 2018-01-01, 9-10
/// km until 2020-01-15, and marker M1 until 2020-01-10.
std::vector<FixtureLayer> history_plan() {
    const auto km = [](const char* id, const char* party, const char* from, const char* to,
                       const char* signed_on, const char* expires) {
        return test::FixtureRow{"",
                                {{"assignment_id", id},
                                 {"party_type", "household"},
                                 {"party_id", party},
                                 {"line_id", "L1"},
                                 {"from_km", from},
                                 {"to_km", to},
                                 {"signed", signed_on},
                                 {"expires", expires}}};
    };
    return {
        {"border_lines", {{"LINESTRING (108 13.5, 108 13.6)", {{"line_id", "L1"}}}}},
        {"communes",
         {{"POLYGON ((107.9 13.4, 108.1 13.4, 108.1 13.55, 107.9 13.55, 107.9 13.4))",
           {{"commune_id", "C1"}, {"name", "Ia Dom"}, {"district", "Đức Cơ"}}},
          {"POLYGON ((107.9 13.55, 108.1 13.55, 108.1 13.7, 107.9 13.7, 107.9 13.55))",
           {{"commune_id", "C2"}, {"name", "Ia O"}, {"district", "Ia Grai"}}}}},
        {"teams", {{"", {{"team_id", "T1"}, {"name", "Tổ 1"}, {"commune_id", "C1"}}}}},
        {"households",
         {{"",
           {{"household_id", "H1"}, {"head", "Siu Blơn"}, {"team_id", "T1"}, {"commune_id", "C1"}}},
          {"",
           {{"household_id", "H2"},
            {"head", "Rơ Mah Hyai"},
            {"team_id", "T1"},
            {"commune_id", "C1"}}},
          {"",
           {{"household_id", "H3"},
            {"head", "Ksor Ƀlul"},
            {"commune_id", "C1"},
            {"phone", "0905 123 456"}}}}},
        {"markers", {{"POINT (108 13.52)", {{"marker_id", "M1"}, {"line_id", "L1"}}}}},
        {"marker_custodians",
         {{"",
           {{"marker_id", "M1"},
            {"party_type", "household"},
            {"party_id", "H3"},
            {"signed", "2012-01-01"},
            {"expires", "2020-01-10"}}}}},
        {"assignments",
         {km("A1", "H1", "0", "5", "2010-01-01", "2020-01-01"),
          km("A2", "H2", "0", "5", "2020-01-01", ""),
          km("A3", "H3", "6", "8", "2010-01-01", "2018-01-01"),
          km("A4", "H3", "9", "10", "2010-01-01", "2020-01-15")}},
    };
}

double line_km() {
    return test::ref_distance_m(108, 13.5, 108, 13.6) / 1000.0;
}

json run_json(const std::vector<std::string>& args) {
    const RunResult r = run_bordercov(args);
    EXPECT_EQ(r.code, 0) << r.err;
    return json::parse(r.out);
}

class ReviewCli : public ::testing::TestWithParam<const char*> {};

TEST_P(ReviewCli, FiguresAreTheHandArithmetic) {
    TempDir dir;
    test::FixtureOptions options;
    options.driver = GetParam();
    const std::string ws =
        write_workspace((dir.path() / (options.driver == "GPKG" ? "ws.gpkg" : "ws")).string(),
                        history_plan(), options);
    const json doc =
        run_json({"review", ws, "--from", "2015-06-01", "--to", "2021-01-01", "--json"});
    const json& t = doc["total"];
    EXPECT_EQ(doc["from"], "2015-06-01");
    EXPECT_NEAR(t["border_km"].get<double>(), line_km(), 0.0005);
    EXPECT_NEAR(t["covered_km_from"].get<double>(), 8, 0.0005); // 0-5, 6-8, 9-10
    EXPECT_NEAR(t["covered_km_to"].get<double>(), 5, 0.0005);
    EXPECT_NEAR(t["lost_km"].get<double>(), 3, 0.0005); // 6-8 and 9-10
    EXPECT_NEAR(t["handed_over_km"].get<double>(), 5, 0.0005);
    EXPECT_NEAR(t["gained_km"].get<double>(), 0, 0.0005);
    EXPECT_NEAR(t["uncovered_both_km"].get<double>(), line_km() - 8, 0.0005);
    EXPECT_EQ(t["households_from"], 2); // H1, H3
    EXPECT_EQ(t["households_to"], 1);   // H2
    EXPECT_EQ(t["households_joined"], 1);
    EXPECT_EQ(t["households_left"], 2);
    EXPECT_EQ(t["custodied_from"], 1);
    EXPECT_EQ(t["custodied_to"], 0);
    ASSERT_EQ(doc["marker_changes"].size(), 1u);
    EXPECT_EQ(doc["marker_changes"][0]["status"], "lost");
    EXPECT_EQ(doc["marker_changes"][0]["custodians_before"], "H3");
    // The changes listed are what changed: 3 km lost, 5 handed over.
    double km = 0, lost = 0;
    for (const json& c : doc["changes"]) {
        km += c["length_km"].get<double>();
        lost += c["status"] == "lost" ? c["length_km"].get<double>() : 0.0;
    }
    EXPECT_NEAR(km, 8, 0.002);
    EXPECT_NEAR(lost, 3, 0.002);
    // Per commune: 13.55 N is 5.53 km along; 6-8 and 9-10 km lie north of it, in C2.
    for (const json& c : doc["communes"]) {
        if (c["commune_id"] == "C2") {
            EXPECT_NEAR(c["lost_km"].get<double>(), 2 + 1, 0.0005) << c;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Formats, ReviewCli, ::testing::Values("GPKG", "GeoJSON"));

TEST(ReviewCliLayers, WritesEveryLayerWithTheTimeline) {
    TempDir dir;
    const std::string ws = write_workspace((dir.path() / "ws.gpkg").string(), history_plan());
    const std::string out = (dir.path() / "review.gpkg").string();
    const RunResult r = run_bordercov(
        {"review", ws, "--from", "2015-06-01", "--to", "2021-01-01", "--every", "year", "-o", out});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("Timeline"), std::string::npos) << r.out;
    const auto ds = test::open_vector(out);
    ASSERT_TRUE(ds);
    for (const char* layer : {"changes", "marker_changes", "line_review", "commune_review",
                              "district_review", "team_review", "timeline", "diagnostics"}) {
        EXPECT_NE(ds->GetLayerByName(layer), nullptr) << layer;
    }
    // 2015-06-01, then 2016 ... 2020, then 2021-01-01: 7 dates in total.
    OGRLayer* timeline = ds->GetLayerByName("timeline");
    ASSERT_NE(timeline, nullptr);
    timeline->SetAttributeFilter("scope = 'total'");
    EXPECT_EQ(timeline->GetFeatureCount(), 7);
    OGRLayer* changes = ds->GetLayerByName("changes");
    ASSERT_NE(changes, nullptr);
    // The layer covers the line once, end to end, kept and uncovered stretches too.
    double km = 0;
    for (const auto& feature : *changes) {
        km += feature->GetFieldAsDouble("length_km");
    }
    EXPECT_NEAR(km, line_km(), 0.002);
    changes->SetAttributeFilter("status = 'handed_over'");
    ASSERT_EQ(changes->GetFeatureCount(), 1);
    const auto f = std::unique_ptr<OGRFeature>(changes->GetNextFeature());
    EXPECT_STREQ(f->GetFieldAsString("parties_before"), "H1");
    EXPECT_STREQ(f->GetFieldAsString("parties_after"), "H2");
    ASSERT_NE(f->GetGeometryRef(), nullptr);
}

TEST(ReviewCliLayers, DistrictLimitsTheReviewAndUnknownOnesAreNamed) {
    TempDir dir;
    const std::string ws = write_workspace((dir.path() / "ws.gpkg").string(), history_plan());
    const json doc = run_json({"review", ws, "--from", "2015-06-01", "--to", "2021-01-01",
                               "--district", "duc co", "--json"});
    ASSERT_EQ(doc["communes"].size(), 1u);
    EXPECT_EQ(doc["communes"][0]["commune_id"], "C1");
    EXPECT_NEAR(doc["total"]["lost_km"].get<double>(), 0, 0.0005); // all lost km are in C2
    EXPECT_NEAR(doc["total"]["handed_over_km"].get<double>(), 5, 0.0005);
    const RunResult r =
        run_bordercov({"review", ws, "--from", "2015-06-01", "--district", "Chu Se"});
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("Đức Cơ"), std::string::npos) << r.err;
}

TEST(ReviewCliLayers, DatesInTheWrongOrderOrNotDatesAreUsageErrors) {
    TempDir dir;
    const std::string ws = write_workspace((dir.path() / "ws.gpkg").string(), history_plan());
    RunResult r = run_bordercov({"review", ws, "--from", "2021-01-01", "--to", "2015-01-01"});
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("before --from"), std::string::npos) << r.err;
    r = run_bordercov({"review", ws, "--from", "31/02/2015"});
    EXPECT_EQ(r.code, 2) << r.err;
    r = run_bordercov({"review", ws});
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("--from"), std::string::npos) << r.err;
}

TEST(RenewalsCli, KmAtRiskAndTheMarkerLeftAlone) {
    TempDir dir;
    const std::string ws = write_workspace((dir.path() / "ws.gpkg").string(), history_plan());
    const json doc =
        run_json({"renewals", ws, "--as-of", "2019-11-01", "--within", "90d", "--json"});
    EXPECT_EQ(doc["until"], "2020-01-30");
    // A1 (0-5 km, H2 takes over) and A4 (9-10 km, no one after): 1 km at risk.
    EXPECT_NEAR(doc["total"]["km_at_risk"].get<double>(), 1, 0.0005);
    EXPECT_EQ(doc["total"]["assignments"], 2);
    EXPECT_EQ(doc["total"]["custodies"], 1);
    EXPECT_EQ(doc["total"]["markers_at_risk"], 1);
    ASSERT_EQ(doc["renewals"].size(), 3u);
    EXPECT_EQ(doc["renewals"][0]["assignment_id"], "A4");
    EXPECT_EQ(doc["renewals"][0]["phone"], "0905 123 456");
    EXPECT_EQ(doc["renewals"][0]["days_left"], 75);
    EXPECT_EQ(doc["renewals"][1]["assignment_id"], "A1");
    EXPECT_NEAR(doc["renewals"][1]["km_at_risk"].get<double>(), 0, 1e-9);
    EXPECT_EQ(doc["renewals"][2]["kind"], "custody");
    ASSERT_EQ(doc["stretches_at_risk"].size(), 1u);
    EXPECT_NEAR(doc["stretches_at_risk"][0]["from_km"].get<double>(), 9, 0.0005);
    EXPECT_EQ(doc["stretches_at_risk"][0]["first_expiry"], "2020-01-15");

    const RunResult bad = run_bordercov({"renewals", ws, "--within", "soon"});
    EXPECT_EQ(bad.code, 2) << bad.err;
    EXPECT_NE(bad.err.find("90d"), std::string::npos) << bad.err;
}

TEST(ReviewCliSample, EveryDateGivesWhatCoverageGivesOnIt) {
    const json review = run_json({"review", sample, "--from", "2015-12-31", "--to", "2026-12-01",
                                  "--every", "year", "--json"});
    const auto coverage_total = [](const std::string& as_of) {
        const json c = run_json({"coverage", sample, "--as-of", as_of, "--json"});
        double covered = 0;
        for (const json& commune : c["communes"]) {
            covered += commune["covered_km"].get<double>();
        }
        return std::pair{covered, c["gaps"].size()};
    };
    const json& dates = review["timeline"]["dates"];
    ASSERT_EQ(dates.size(), 12u); // 2015-12-31, 2016 ... 2025, 2026-12-01
    for (const std::size_t i : {std::size_t{0}, std::size_t{5}, std::size_t{8}, std::size_t{11}}) {
        const auto [covered, gaps] = coverage_total(dates[i]);
        EXPECT_NEAR(review["timeline"]["total"][i]["covered_km"].get<double>(), covered, 0.002)
            << dates[i];
        EXPECT_EQ(review["timeline"]["total"][i]["gaps"], gaps) << dates[i];
    }
    const auto [from_km, from_gaps] = coverage_total("2015-12-31");
    const auto [to_km, to_gaps] = coverage_total("2026-12-01");
    EXPECT_NEAR(review["total"]["covered_km_from"].get<double>(), from_km, 0.002);
    EXPECT_NEAR(review["total"]["covered_km_to"].get<double>(), to_km, 0.002);
    const json& t = review["total"];
    EXPECT_NEAR(t["covered_km_from"].get<double>() - t["lost_km"].get<double>() +
                    t["gained_km"].get<double>(),
                t["covered_km_to"].get<double>(), 0.002);
    EXPECT_EQ(review["communes"].size(), 7u);
}

} // namespace
} // namespace bordercov
