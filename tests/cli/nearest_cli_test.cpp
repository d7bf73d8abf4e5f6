// `bordercov nearest` as a user meets it: the built binary on a workspace the
// test writes. Every expected value is worked out here -- km along the 108th
// meridian and distances to homes from PROJ's geodesic API, the order of the
// parties by hand -- never taken from bordercov's own output.
#include "../reference.hpp"
#include "fixture.hpp"

#include <geodesic.h>
#include <nlohmann/json.hpp>
#include <proj.h>

#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
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

double distance_km(LonLat a, LonLat b) {
    double s12 = 0;
    geod_inverse(&test::reference_wgs84(), a.lat, a.lon, b.lat, b.lon, &s12, nullptr, nullptr);
    return s12 / 1000.0;
}

LonLat direct(LonLat from, double azimuth_deg, double distance_m) {
    LonLat out;
    geod_direct(&test::reference_wgs84(), from.lat, from.lon, azimuth_deg, distance_m, &out.lat,
                &out.lon, nullptr);
    return out;
}

/// The point km along the 108th meridian north of 13.5 N, and back.
LonLat on_l1(double km) {
    return direct({108.0, 13.5}, 0, km * 1000.0);
}
double l1_km(double lat) {
    return distance_km({108.0, 13.5}, {108.0, lat});
}

// The plan, by hand, on 2020-01-01. Line L1 runs north along 108 E from 13.5 N
// to 14.0 N (L km; its neighbour KH lies on its right, the east); line L2
// along 107.5 E holds no stretch.
//   A1  household H1 (team T1, C1)  [2, 11.5]
//   A2  household H2 (team T2, C1)  [10.5, 18]   (overlapping H1's)
//   A3  team T1                     [20, 25]
//   A4  household H3 (team T2, C2)  [30, 40]
//   A5  household H4 (no team, C1) [41, 45]   expired 2019-06-30: H4 holds nothing
// Gaps on L1: [0, 2] H1 | [18, 20] H2 T1 | [25, 30] T1 H3 | [40, L] H3;
// and all of L2. Markers: M1 at 13.5 N held by H1; M2 at 13.65 N (inside H2's
// stretch) never held; M3 at 13.95 N whose custody expired: M2 and M3 unowned.
const double L = l1_km(14.0);
const LonLat H1_HOME{107.95, 13.55}, H2_HOME{108.03, 13.62}, H3_HOME{107.98, 13.9},
    H4_HOME{108.001, 13.66};

std::vector<FixtureLayer> plan_layers() {
    return {
        {"border_lines",
         {{"LINESTRING (108 13.5, 108 13.75, 108 14.0)",
           {{"line_id", "L1"}, {"neighbour", "KH"}, {"neighbour_side", "right"}}},
          {"LINESTRING (107.5 13.5, 107.5 14.0)", {{"line_id", "L2"}, {"neighbour", "KH"}}}}},
        {"markers",
         {{"POINT (108 13.5)", {{"marker_id", "M1"}, {"line_id", "L1"}}},
          {"POINT (108 13.65)", {{"marker_id", "M2"}, {"line_id", "L1"}}},
          {"POINT (108 13.95)", {{"marker_id", "M3"}, {"line_id", "L1"}}}}},
        {"communes",
         {{"POLYGON ((107.9 13.4, 108.1 13.4, 108.1 13.75, 107.9 13.75, 107.9 13.4))",
           {{"commune_id", "C1"}, {"name", "Ia Pnôn"}, {"district", "Đức Cơ"}}},
          {"POLYGON ((107.9 13.75, 108.1 13.75, 108.1 14.1, 107.9 14.1, 107.9 13.75))",
           {{"commune_id", "C2"}, {"name", "Ia Dom"}, {"district", "Đức Cơ"}}}}},
        {"teams",
         {{"", {{"team_id", "T1"}, {"name", "Tổ tự quản 1"}, {"commune_id", "C1"}}},
          {"", {{"team_id", "T2"}, {"name", "Tổ tự quản 2"}, {"commune_id", "C2"}}}}},
        {"households",
         {{"POINT (107.95 13.55)",
           {{"household_id", "H1"},
            {"head", "Siu Blơn"},
            {"team_id", "T1"},
            {"commune_id", "C1"},
            {"phone", "0905 123 456"}}},
          {"POINT (108.03 13.62)",
           {{"household_id", "H2"},
            {"head", "Rơ Châm Ơi"},
            {"team_id", "T2"},
            {"commune_id", "C1"}}},
          {"POINT (107.98 13.9)",
           {{"household_id", "H3"},
            {"head", "Ksor Hlin"},
            {"team_id", "T2"},
            {"commune_id", "C2"}}},
          {"POINT (108.001 13.66)",
           {{"household_id", "H4"}, {"head", "Nguyễn Văn Đức"}, {"commune_id", "C1"}}}}},
        {"assignments",
         {{"",
           {{"assignment_id", "A1"},
            {"party_type", "household"},
            {"party_id", "H1"},
            {"line_id", "L1"},
            {"from_km", "2"},
            {"to_km", "11.5"}}},
          {"",
           {{"assignment_id", "A2"},
            {"party_type", "household"},
            {"party_id", "H2"},
            {"line_id", "L1"},
            {"from_km", "10.5"},
            {"to_km", "18"}}},
          {"",
           {{"assignment_id", "A3"},
            {"party_type", "team"},
            {"party_id", "T1"},
            {"line_id", "L1"},
            {"from_km", "25"},
            {"to_km", "20"}}},
          {"",
           {{"assignment_id", "A4"},
            {"party_type", "household"},
            {"party_id", "H3"},
            {"line_id", "L1"},
            {"from_km", "30"},
            {"to_km", "40"},
            {"signed", "2016-01-01"}}},
          {"",
           {{"assignment_id", "A5"},
            {"party_type", "household"},
            {"party_id", "H4"},
            {"line_id", "L1"},
            {"from_km", "41"},
            {"to_km", "45"},
            {"expires", "2019-06-30"}}}}},
        {"marker_custodians",
         {{"", {{"marker_id", "M1"}, {"party_type", "household"}, {"party_id", "H1"}}},
          {"",
           {{"marker_id", "M3"},
            {"party_type", "household"},
            {"party_id", "H3"},
            {"expires", "2019-01-01"}}}}},
    };
}

/// Output km have 3 decimals, offsets 1: within half a unit of the last digit.
constexpr double kKm = 0.0005 + 1e-9;
constexpr double kM = 0.05 + 1e-9;

std::set<std::string> keys(const json& object) {
    std::set<std::string> out;
    for (const auto& [k, v] : object.items()) {
        out.insert(k);
    }
    return out;
}

json parse(const RunResult& r) {
    try {
        return json::parse(r.out);
    } catch (const json::exception& e) {
        ADD_FAILURE() << "stdout is not JSON (" << e.what() << "):\n"
                      << r.out << "\nstderr:\n"
                      << r.err;
        return json::object();
    }
}

std::vector<std::string> ids(const json& parties) {
    std::vector<std::string> out;
    for (const json& p : parties) {
        out.push_back(p.value("party_id", std::string("?")));
    }
    return out;
}

/// A null along_km is "no stretch on this line": after every number.
double along(const json& party) {
    return party.at("along_km").is_null() ? INFINITY : party.at("along_km").get<double>();
}

/// Parties nearest first: along non-decreasing, then distance non-decreasing.
void expect_nearest_first(const json& parties, const std::string& what) {
    for (std::size_t i = 1; i < parties.size(); ++i) {
        const double a0 = along(parties[i - 1]), a1 = along(parties[i]);
        EXPECT_LE(a0, a1) << what << ": party " << i << "\n" << parties.dump(1);
        if (a0 == a1 && !parties[i]["distance_km"].is_null() &&
            !parties[i - 1]["distance_km"].is_null()) {
            EXPECT_LE(parties[i - 1]["distance_km"].get<double>(),
                      parties[i]["distance_km"].get<double>())
                << what << ": party " << i << "\n"
                << parties.dump(1);
        }
    }
}

const std::set<std::string> kPartyKeys{"party_id",   "party_type", "name",       "team_id",
                                       "commune_id", "along_km",   "distance_km"};

class NearestCli : public testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir;
        workspace_ = new std::string(write_workspace(*dir_ / "plan.gpkg", plan_layers()));
        empty_ = new std::string(write_workspace(
            *dir_ / "empty.gpkg",
            {{"border_lines", {{"LINESTRING (108 13.5, 108 14.0)", {{"line_id", "L1"}}}}}}));
    }
    static void TearDownTestSuite() {
        delete empty_;
        delete workspace_;
        delete dir_;
    }
    static RunResult nearest(std::vector<std::string> args) {
        args.insert(args.begin(), {"nearest", *workspace_, "--as-of", "2020-01-01"});
        return run_bordercov(args);
    }
    static std::string at_arg(LonLat p) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.10f,%.10f", p.lon, p.lat);
        return buf;
    }
    static TempDir* dir_;
    static std::string* workspace_;
    static std::string* empty_;
};

TempDir* NearestCli::dir_ = nullptr;
std::string* NearestCli::workspace_ = nullptr;
std::string* NearestCli::empty_ = nullptr;

// --- --at --------------------------------------------------------------------------------------

/// 500 m due east of the point 11 km along L1: on L1 at 11 km, 500 m off, on
/// the neighbour's side. H1 and H2 both hold 11 km (0 along, an exact tie)
/// and H2 lives nearer; then T1 (9 km), H3 (19 km), and H4 whose only
/// stretch has expired, by its home.
const LonLat P = direct(on_l1(11), 90, 500);

TEST_F(NearestCli, AtGivesTheLocationAndThePartiesNearestFirst) {
    const RunResult r = nearest({"--at", at_arg(P), "-k", "10", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const json doc = parse(r);
    EXPECT_EQ(keys(doc), (std::set<std::string>{"schema_version", "workspace", "as_of", "location",
                                                "warnings", "parties"}));
    EXPECT_EQ(doc["schema_version"], 2);
    EXPECT_EQ(doc["workspace"], *workspace_);
    EXPECT_EQ(doc["as_of"], "2020-01-01");
    EXPECT_EQ(doc["warnings"], json::array()); // 500 m from the line: not far
    const json& loc = doc["location"];
    EXPECT_EQ(keys(loc),
              (std::set<std::string>{"line_id", "chainage_km", "offset_m", "side", "far"}));
    EXPECT_EQ(loc["far"], false);
    EXPECT_EQ(loc["line_id"], "L1");
    EXPECT_NEAR(loc["chainage_km"].get<double>(), 11.0, kKm);
    EXPECT_NEAR(loc["offset_m"].get<double>(), 500.0, kM);
    EXPECT_EQ(loc["side"], "KH");

    const json& parties = doc["parties"];
    ASSERT_TRUE(parties.is_array());
    for (const json& p : parties) {
        EXPECT_EQ(keys(p), kPartyKeys) << p.dump();
    }
    ASSERT_LT(distance_km(P, H2_HOME), distance_km(P, H1_HOME)); // the hand premise
    ASSERT_EQ(ids(parties), (std::vector<std::string>{"H2", "H1", "T1", "H3", "H4"}))
        << parties.dump(1);
    const std::vector<double> along_km{0, 0, 9, 19};
    const std::vector<double> dist_km{distance_km(P, H2_HOME), distance_km(P, H1_HOME),
                                      distance_km(P, on_l1(20)), distance_km(P, H3_HOME),
                                      distance_km(P, H4_HOME)};
    for (std::size_t i = 0; i < 5; ++i) {
        if (i < 4) {
            EXPECT_NEAR(parties[i]["along_km"].get<double>(), along_km[i], kKm) << i;
        } else {
            EXPECT_TRUE(parties[i]["along_km"].is_null()) << parties[i].dump();
        }
        EXPECT_NEAR(parties[i]["distance_km"].get<double>(), dist_km[i], kKm) << i;
    }
    EXPECT_EQ(parties[0]["party_type"], "household");
    EXPECT_EQ(parties[0]["name"], "Rơ Châm Ơi");
    EXPECT_EQ(parties[0]["team_id"], "T2");
    EXPECT_EQ(parties[0]["commune_id"], "C1");
    EXPECT_EQ(parties[2]["party_type"], "team");
    EXPECT_EQ(parties[2]["name"], "Tổ tự quản 1");
    EXPECT_EQ(parties[2]["team_id"], "T1");
    EXPECT_EQ(parties[4]["name"], "Nguyễn Văn Đức");
    EXPECT_TRUE(parties[4]["team_id"].is_null() || parties[4]["team_id"] == "")
        << parties[4].dump();
    expect_nearest_first(parties, "--at");
}

TEST_F(NearestCli, KIsHonoured) {
    for (const int k : {1, 2, 4}) {
        const RunResult r = nearest({"--at", at_arg(P), "-k", std::to_string(k), "--json"});
        ASSERT_EQ(r.code, 0) << r.err;
        const std::vector<std::string> all{"H2", "H1", "T1", "H3"};
        EXPECT_EQ(ids(parse(r)["parties"]), std::vector<std::string>(all.begin(), all.begin() + k));
    }
    // Default: 5.
    const RunResult r = nearest({"--at", at_arg(P), "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(parse(r)["parties"].size(), 5u);
}

TEST_F(NearestCli, TheWestSideIsHomeAndAPointOnTheOtherLineLocatesThere) {
    const LonLat west = direct(on_l1(30), 270, 250);
    RunResult r = nearest({"--at", at_arg(west), "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    json doc = parse(r);
    EXPECT_EQ(doc["location"]["line_id"], "L1");
    EXPECT_NEAR(doc["location"]["chainage_km"].get<double>(), 30.0, kKm);
    EXPECT_NEAR(doc["location"]["offset_m"].get<double>(), 250.0, kM);
    EXPECT_EQ(doc["location"]["side"], "home");
    // 30 km is where H3's stretch begins: H3 first, at 0 km along.
    ASSERT_FALSE(doc["parties"].empty());
    EXPECT_EQ(doc["parties"][0]["party_id"], "H3");
    EXPECT_NEAR(doc["parties"][0]["along_km"].get<double>(), 0.0, kKm);

    // 2 km east of L2 (107.5 E) at 13.7 N: on L2, which says nothing of its
    // sides, so "right". Nobody holds L2: the households follow by their
    // homes, in the order PROJ's distances give.
    const LonLat q = direct({107.5, 13.7}, 90, 2000);
    r = nearest({"--at", at_arg(q), "-k", "4", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    doc = parse(r);
    EXPECT_EQ(doc["location"]["line_id"], "L2");
    EXPECT_NEAR(doc["location"]["chainage_km"].get<double>(),
                distance_km({107.5, 13.5}, {107.5, 13.7}), kKm);
    EXPECT_NEAR(doc["location"]["offset_m"].get<double>(), 2000.0, kM);
    EXPECT_EQ(doc["location"]["side"], "right");
    std::vector<std::pair<double, std::string>> homes{{distance_km(q, H1_HOME), "H1"},
                                                      {distance_km(q, H2_HOME), "H2"},
                                                      {distance_km(q, H3_HOME), "H3"},
                                                      {distance_km(q, H4_HOME), "H4"}};
    std::sort(homes.begin(), homes.end());
    const json& parties = doc["parties"];
    ASSERT_EQ(parties.size(), 4u) << parties.dump(1);
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(parties[i]["party_id"], homes[i].second) << i;
        EXPECT_TRUE(parties[i]["along_km"].is_null());
        EXPECT_NEAR(parties[i]["distance_km"].get<double>(), homes[i].first, kKm);
    }
}

TEST_F(NearestCli, AtInAProjectedCrsIsTheSamePlace) {
    // P in UTM 48 N, computed here with PROJ.
    PJ_CONTEXT* ctx = proj_context_create();
    PJ* raw = proj_create_crs_to_crs(ctx, "EPSG:4326", "EPSG:32648", nullptr);
    ASSERT_NE(raw, nullptr);
    PJ* utm = proj_normalize_for_visualization(ctx, raw);
    proj_destroy(raw);
    ASSERT_NE(utm, nullptr);
    const PJ_COORD xy = proj_trans(utm, PJ_FWD, proj_coord(P.lon, P.lat, 0, 0));
    proj_destroy(utm);
    proj_context_destroy(ctx);
    ASSERT_GT(xy.xy.x, 100000.0);
    ASSERT_LT(xy.xy.x, 900000.0);
    ASSERT_GT(xy.xy.y, 1400000.0); // 13.6 N is about 1 500 km north of the equator
    char at[64];
    std::snprintf(at, sizeof at, "%.4f,%.4f", xy.xy.x, xy.xy.y);

    const RunResult in_utm = nearest({"--at", at, "--s-srs", "EPSG:32648", "--json"});
    const RunResult in_lonlat = nearest({"--at", at_arg(P), "--json"});
    ASSERT_EQ(in_utm.code, 0) << in_utm.err;
    ASSERT_EQ(in_lonlat.code, 0) << in_lonlat.err;
    const json a = parse(in_utm), b = parse(in_lonlat);
    EXPECT_EQ(a["location"]["line_id"], "L1");
    EXPECT_NEAR(a["location"]["chainage_km"].get<double>(), 11.0, kKm);
    EXPECT_NEAR(a["location"]["offset_m"].get<double>(), 500.0, kM);
    EXPECT_EQ(a["location"]["side"], b["location"]["side"]);
    EXPECT_NEAR(a["location"]["chainage_km"].get<double>(),
                b["location"]["chainage_km"].get<double>(), 0.0011);
    EXPECT_EQ(ids(a["parties"]), ids(b["parties"]));
}

// --- --gaps and coverage -----------------------------------------------------------------------

struct HandGap {
    std::string line_id;
    double from_km, to_km;
    std::set<std::string> owners; ///< of the stretches adjoining it
};

std::vector<HandGap> hand_gaps() {
    return {{"L1", 0, 2, {"H1"}},
            {"L1", 18, 20, {"H2", "T1"}},
            {"L1", 25, 30, {"T1", "H3"}},
            {"L1", 40, L, {"H3"}},
            {"L2", 0, distance_km({107.5, 13.5}, {107.5, 14.0}), {}}};
}

TEST_F(NearestCli, GapsListTheOwnersOfTheAdjoiningStretchesFirst) {
    const RunResult cov =
        run_bordercov({"coverage", *workspace_, "--as-of", "2020-01-01", "--json"});
    ASSERT_EQ(cov.code, 0) << cov.err;
    const json coverage = parse(cov);
    const RunResult r = nearest({"--gaps", "-k", "10", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const json list = parse(r)["gaps"];
    ASSERT_TRUE(list.is_array()) << r.out;

    // The gaps are the hand ones, and --gaps lists each once.
    const std::vector<HandGap> hand = hand_gaps();
    ASSERT_EQ(coverage["gaps"].size(), hand.size()) << coverage["gaps"].dump(1);
    ASSERT_EQ(list.size(), hand.size()) << list.dump(1);
    std::map<std::string, const HandGap*> by_id;
    for (const json& g : coverage["gaps"]) {
        const HandGap* match = nullptr;
        for (const HandGap& h : hand) {
            if (g["line_id"] == h.line_id &&
                std::abs(g["from_km"].get<double>() - h.from_km) <= kKm &&
                std::abs(g["to_km"].get<double>() - h.to_km) <= kKm) {
                match = &h;
            }
        }
        ASSERT_NE(match, nullptr) << "a gap not worked out by hand: " << g.dump();
        by_id[g["gap_id"].get<std::string>()] = match;
    }
    ASSERT_EQ(by_id.size(), hand.size());

    for (const json& item : list) {
        EXPECT_EQ(keys(item), (std::set<std::string>{"gap_id", "line_id", "from_km", "to_km",
                                                     "length_km", "parties"}));
        const std::string gap_id = item["gap_id"];
        ASSERT_TRUE(by_id.count(gap_id)) << gap_id;
        const HandGap& h = *by_id[gap_id];
        const json& parties = item["parties"];
        for (const json& p : parties) {
            EXPECT_EQ(keys(p), kPartyKeys) << p.dump();
        }
        expect_nearest_first(parties, gap_id);
        // The adjoining owners first, 0 km along; everybody after is farther.
        ASSERT_GT(parties.size(), h.owners.size()) << gap_id << parties.dump(1);
        std::set<std::string> first;
        for (std::size_t i = 0; i < h.owners.size(); ++i) {
            first.insert(parties[i]["party_id"].get<std::string>());
            EXPECT_NEAR(along(parties[i]), 0.0, kKm) << gap_id;
        }
        EXPECT_EQ(first, h.owners) << gap_id << parties.dump(1);
        EXPECT_GT(along(parties[h.owners.size()]), 0.5) << gap_id << parties.dump(1);

        // coverage --json names the first of them.
        const json* row = nullptr;
        for (const json& g : coverage["gaps"]) {
            if (g["gap_id"] == gap_id) {
                row = &g;
            }
        }
        ASSERT_NE(row, nullptr);
        EXPECT_EQ((*row)["nearest_party_id"], parties[0]["party_id"]) << gap_id;
        if (h.owners.empty()) {
            EXPECT_TRUE((*row)["nearest_party_km"].is_null()) << row->dump();
        } else {
            EXPECT_NEAR((*row)["nearest_party_km"].get<double>(), 0.0, kKm) << row->dump();
        }
    }
}

TEST_F(NearestCli, AGapRankedInFullByHand) {
    // [0, 2], distances from its middle (1 km): H1 adjoins it; then H2 8.5 km
    // along (10.5 - 2), T1 18 km (20 - 2), H3 28 km (30 - 2), H4 by its home.
    const RunResult r = nearest({"--gaps", "-k", "10", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const json list = parse(r)["gaps"];
    const json* gap = nullptr;
    for (const json& item : list) {
        if (!item["parties"].empty() && item["parties"][0]["party_id"] == "H1" &&
            !item["parties"][0]["along_km"].is_null()) {
            gap = &item;
        }
    }
    ASSERT_NE(gap, nullptr) << list.dump(1);
    const LonLat mid = on_l1(1);
    const json& parties = (*gap)["parties"];
    ASSERT_EQ(ids(parties), (std::vector<std::string>{"H1", "H2", "T1", "H3", "H4"}))
        << parties.dump(1);
    const std::vector<double> along_km{0, 8.5, 18, 28};
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_NEAR(along(parties[i]), along_km[i], kKm) << i;
    }
    EXPECT_TRUE(parties[4]["along_km"].is_null());
    EXPECT_NEAR(parties[0]["distance_km"].get<double>(), distance_km(mid, H1_HOME), kKm);
    EXPECT_NEAR(parties[1]["distance_km"].get<double>(), distance_km(mid, H2_HOME), kKm);
    EXPECT_NEAR(parties[3]["distance_km"].get<double>(), distance_km(mid, H3_HOME), kKm);
    EXPECT_NEAR(parties[4]["distance_km"].get<double>(), distance_km(mid, H4_HOME), kKm);
}

// --- --markers ---------------------------------------------------------------------------------

TEST_F(NearestCli, MarkersListsTheUnownedMarkersOnly) {
    const RunResult r = nearest({"--markers", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const json list = parse(r)["markers"];
    ASSERT_TRUE(list.is_array()) << r.out;
    std::vector<std::string> markers;
    for (const json& item : list) {
        EXPECT_EQ(keys(item), (std::set<std::string>{"marker_id", "line_id", "chainage_km",
                                                     "offset_m", "parties"}));
        markers.push_back(item.value("marker_id", std::string("?")));
        ASSERT_TRUE(item["parties"].is_array());
        EXPECT_FALSE(item["parties"].empty()) << item.dump(1);
        for (const json& p : item["parties"]) {
            for (const std::string& k : kPartyKeys) {
                EXPECT_TRUE(p.contains(k)) << k << " missing: " << p.dump();
            }
        }
    }
    std::sort(markers.begin(), markers.end());
    EXPECT_EQ(markers, (std::vector<std::string>{"M2", "M3"})); // M1 held; M3's custody expired
}

TEST_F(NearestCli, MarkersRankPartiesAlongTheBorderFirst) {
    // docs/method.md, "Nearest": for a gap, an unowned marker or an incident
    // point, the responsible parties are ranked by the km along the border,
    // then by geodesic distance; docs/json.md: "Parties come nearest first." M2 lies
    // inside H2's stretch [10.5, 18]: H2 first, 0 km along. M3 (13.95 N) lies
    // in the gap [40, L]: H3 first, M3 - 40 km along.
    const RunResult r = nearest({"--markers", "-k", "3", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const json list = parse(r)["markers"];
    ASSERT_EQ(list.size(), 2u) << list.dump(1);
    for (const json& item : list) {
        const json& parties = item["parties"];
        ASSERT_FALSE(parties.empty());
        expect_nearest_first(parties, item["marker_id"]);
        if (item["marker_id"] == "M2") {
            EXPECT_EQ(parties[0].value("party_id", std::string()), "H2") << parties.dump(1);
            EXPECT_NEAR(along(parties[0]), 0.0, kKm);
        } else {
            EXPECT_EQ(parties[0].value("party_id", std::string()), "H3") << parties.dump(1);
            EXPECT_NEAR(along(parties[0]), l1_km(13.95) - 40.0, kKm);
        }
    }
}

TEST_F(NearestCli, MarkersGiveAtMostKParties) {
    // M2 (13.65 N) lies inside H2's stretch: H2 is its nearest party, and H1,
    // custodian of the neighbouring marker M1, ranks after it (H1's stretch
    // ends 11.5 km along, M2 is farther on). With -k 1 only H2 is shown.
    ASSERT_GT(l1_km(13.65), 11.5);
    for (const int k : {1, 2, 3}) {
        const RunResult r = nearest({"--markers", "-k", std::to_string(k), "--json"});
        ASSERT_EQ(r.code, 0) << r.err;
        const json list = parse(r)["markers"];
        ASSERT_EQ(list.size(), 2u) << list.dump(1);
        for (const json& item : list) {
            EXPECT_LE(item["parties"].size(), static_cast<std::size_t>(k)) << item.dump(1);
            for (const json& p : item["parties"]) {
                EXPECT_FALSE(p["role"].get<std::string>().empty()) << p.dump();
                EXPECT_FALSE(p["distance_km"].is_null()) << p.dump();
            }
            if (item["marker_id"] == "M2") {
                ASSERT_FALSE(item["parties"].empty());
                EXPECT_EQ(item["parties"][0]["party_id"], "H2");
            }
        }
    }
    const RunResult table = nearest({"--markers", "-k", "1"});
    ASSERT_EQ(table.code, 0) << table.err;
    EXPECT_EQ(table.out.find("H1 "), std::string::npos) << table.out;
}

TEST_F(NearestCli, APlaceFarFromEveryLineIsFlagged) {
    // 20 km due east of L1 at 11 km (L2 lies 55 km west): beyond the default
    // 5 km, not beyond --max-offset 25. Parties are listed either way.
    const LonLat far = direct(on_l1(11), 90, 20000);
    RunResult r = nearest({"--at", at_arg(far), "-k", "2", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    json doc = parse(r);
    EXPECT_EQ(doc["location"]["far"], true) << doc.dump(1);
    EXPECT_NEAR(doc["location"]["offset_m"].get<double>(), 20000.0, 1.0);
    ASSERT_EQ(doc["warnings"].size(), 1u) << doc.dump(1);
    EXPECT_NE(doc["warnings"][0].get<std::string>().find("--max-offset"), std::string::npos);
    EXPECT_EQ(doc["parties"].size(), 2u);

    r = nearest({"--at", at_arg(far), "-k", "2"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("warning"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("20.000 km from the nearest border line L1"), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("far from the border"), std::string::npos) << r.out;

    r = nearest({"--at", at_arg(far), "-k", "2", "--max-offset", "25", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    doc = parse(r);
    EXPECT_EQ(doc["location"]["far"], false);
    EXPECT_EQ(doc["warnings"], json::array());

    r = nearest({"--at", at_arg(P), "--max-offset", "0"});
    EXPECT_EQ(r.code, 2) << r.err;
}

TEST_F(NearestCli, GapsAndMarkersNameTheNearestPartyForAFieldTeam) {
    // Gap G1 [0, 2] on L1 adjoins H1's stretch: H1 (Siu Blơn, team T1,
    // phone given) is nearest; it lies in C1, Ia Pnôn. M2 lies inside H2's
    // stretch: H2 (Rơ Châm Ơi, T2, no phone).
    const RunResult cov =
        run_bordercov({"coverage", *workspace_, "--as-of", "2020-01-01", "--json"});
    ASSERT_EQ(cov.code, 0) << cov.err;
    const json doc = parse(cov);
    const json& g1 = doc["gaps"][0];
    EXPECT_EQ(g1["gap_id"], "G1");
    EXPECT_EQ(g1["commune_id"], "C1");
    EXPECT_EQ(g1["commune_name"], "Ia Pnôn");
    EXPECT_EQ(g1["nearest_party_id"], "H1");
    EXPECT_EQ(g1["nearest_party_name"], "Siu Blơn");
    EXPECT_EQ(g1["nearest_party_type"], "household");
    EXPECT_EQ(g1["nearest_party_team_id"], "T1");
    EXPECT_EQ(g1["nearest_party_phone"], "0905 123 456");
    const json* m2 = nullptr;
    for (const json& m : doc["markers"]) {
        if (m["marker_id"] == "M2") {
            m2 = &m;
        }
    }
    ASSERT_NE(m2, nullptr);
    EXPECT_EQ((*m2)["nearest_party_name"], "Rơ Châm Ơi");
    EXPECT_EQ((*m2)["nearest_party_team_id"], "T2");
    EXPECT_TRUE((*m2)["nearest_party_phone"].is_null());

    // The same in a Shapefile, under names of at most 10 characters.
    const TempDir out;
    const RunResult shp = run_bordercov({"coverage", *workspace_, "--as-of", "2020-01-01", "-o",
                                         out / "shp", "-f", "ESRI Shapefile"});
    ASSERT_EQ(shp.code, 0) << shp.err;
    const auto ds = test::open_vector(out / "shp/gaps.shp");
    ASSERT_TRUE(ds);
    OGRLayer* gaps = ds->GetLayer(0);
    OGRFeatureUniquePtr f(gaps->GetNextFeature());
    ASSERT_TRUE(f);
    EXPECT_STREQ(f->GetFieldAsString("near_phone"), "0905 123 456");
    EXPECT_STREQ(f->GetFieldAsString("near_name"), "Siu Blơn");
    EXPECT_STREQ(f->GetFieldAsString("comm_name"), "Ia Pnôn");
}

// --- bad input and empty workspaces ------------------------------------------------------------

TEST_F(NearestCli, BadInputIsExit2WithAMessageAndNothingOnStdout) {
    const std::string good = at_arg(P);
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
        {{"--at", "abc"}, "--at"},
        {{"--at", "200,10"}, "longitude"},
        {{"--at", "nan,1"}, "--at"},
        {{"--at", "107.5"}, "--at"},
        {{"--at", good, "-k", "0"}, "-k"},
        {{"--at", good, "-k", "-3"}, "-k"},
        {{"--at", good, "--s-srs", "EPSG:9999999"}, "--s-srs"},
        {{"--at", good, "--gaps"}, "--gaps"},
        {{}, "--at"},
    };
    for (const auto& [args, mention] : cases) {
        std::string line;
        for (const auto& a : args) {
            line += a + " ";
        }
        const RunResult r = nearest(args);
        EXPECT_EQ(r.code, 2) << line << "\nstdout:\n" << r.out << "\nstderr:\n" << r.err;
        EXPECT_EQ(r.out, "") << line;
        EXPECT_NE(r.err.find(mention), std::string::npos)
            << line << ": stderr does not name " << mention << ":\n"
            << r.err;
        EXPECT_LT(r.err.size(), 2000u) << line << ": a message, not a manual:\n" << r.err;
    }
}

TEST_F(NearestCli, NobodyToRankIsNotAnError) {
    // No assignments and no households: exit 0, no parties, a word on stderr.
    const RunResult at = run_bordercov({"nearest", *empty_, "--at", at_arg(P), "--json"});
    ASSERT_EQ(at.code, 0) << at.err;
    const json doc = parse(at);
    EXPECT_EQ(doc["location"]["line_id"], "L1");
    EXPECT_NEAR(doc["location"]["chainage_km"].get<double>(), 11.0, kKm);
    EXPECT_EQ(doc["parties"], json::array());
    EXPECT_NE(at.err, "");

    const RunResult gaps = run_bordercov({"nearest", *empty_, "--gaps", "--json"});
    ASSERT_EQ(gaps.code, 0) << gaps.err;
    const json list = parse(gaps)["gaps"];
    ASSERT_EQ(list.size(), 1u) << list.dump(1); // the whole line
    EXPECT_EQ(list[0]["parties"], json::array());
    EXPECT_NE(gaps.err, "");

    const RunResult markers = run_bordercov({"nearest", *empty_, "--markers", "--json"});
    ASSERT_EQ(markers.code, 0) << markers.err;
    EXPECT_EQ(parse(markers)["markers"], json::array());

    // And as tables, for a person.
    for (const char* mode : {"--gaps", "--markers"}) {
        const RunResult table = run_bordercov({"nearest", *empty_, mode});
        EXPECT_EQ(table.code, 0) << mode << table.err;
    }
    const RunResult table = run_bordercov({"nearest", *empty_, "--at", at_arg(P)});
    EXPECT_EQ(table.code, 0) << table.err;
    EXPECT_NE(table.out.find("L1"), std::string::npos) << table.out;
}

TEST_F(NearestCli, TablesForAPersonDoNotCrash) {
    for (const std::vector<std::string>& args : {std::vector<std::string>{"--at", at_arg(P)},
                                                 {"--gaps"},
                                                 {"--markers"},
                                                 {"--at", at_arg(P), "-k", "100000"}}) {
        const RunResult r = nearest(args);
        EXPECT_EQ(r.code, 0) << args[0] << r.err;
        EXPECT_NE(r.out, "") << args[0];
    }
    const RunResult r = nearest({"--at", at_arg(P)});
    EXPECT_NE(r.out.find("Rơ Châm Ơi"), std::string::npos) << r.out; // UTF-8 intact
}

} // namespace
} // namespace bordercov
