// The command line as a user meets it: the built bordercov binary run on small
// fixture workspaces. Figures are checked against values worked out here --
// a meridian border line whose lengths come from PROJ's geodesic API and
// chainage intervals added up by hand -- never against bordercov's own output.
#include "../reference.hpp"
#include "fixture.hpp"

#include <geodesic.h>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace bordercov {
namespace {

using nlohmann::json;
using test::FixtureLayer;
using test::run_bordercov;
using test::RunResult;
using test::slurp;
using test::TempDir;
using test::write_workspace;
namespace fs = std::filesystem;

/// km along the 108th meridian from 13.5 N to lat, straight from PROJ.
double meridian_km(double lat) {
    return test::ref_distance_m(108.0, 13.5, 108.0, lat) / 1000.0;
}

// The plan, by hand. Line L1 runs north along 108 E from 13.5 N to 14.0 N:
// L km. Commune C1 "Ia Pnôn" holds it up to 13.75 N (D1 km), C2 "Ia Dom" the rest.
//   A1  household H1 (team T1)  [0, 10]   signed 2015-01-01
//   A2  team T1                 [8, 20]   signed 2015-02-01
//   A3  household H2            [30, 40]  signed 2015-01-01, expires 2015-06-30
// On 2015-12-31 A3 has expired: covered = [0, 20] = 20 km, of which [8, 10] = 2 km
// by two parties; one gap [20, L]. Marker M1 (13.5 N, chainage 0) has H1 as
// custodian, M2 (13.6 N) has none.
const double L = meridian_km(14.0);
const double D1 = meridian_km(13.75);
const double M2_KM = meridian_km(13.6);

std::vector<FixtureLayer> plan_layers() {
    return {
        {"border_lines",
         {{"LINESTRING (108 13.5, 108 14.0)", {{"line_id", "L1"}, {"neighbour", "KH"}}}}},
        {"markers",
         {{"POINT (108 13.5)", {{"marker_id", "M1"}, {"line_id", "L1"}}},
          {"POINT (108 13.6)", {{"marker_id", "M2"}, {"line_id", "L1"}}}}},
        {"communes",
         {{"POLYGON ((107.9 13.4, 108.1 13.4, 108.1 13.75, 107.9 13.75, 107.9 13.4))",
           {{"commune_id", "C1"},
            {"name", "Ia Pnôn"},
            {"district", "Đức Cơ"},
            {"province", "Gia Lai"}}},
          {"POLYGON ((107.9 13.75, 108.1 13.75, 108.1 14.1, 107.9 14.1, 107.9 13.75))",
           {{"commune_id", "C2"},
            {"name", "Ia Dom"},
            {"district", "Đức Cơ"},
            {"province", "Gia Lai"}}}}},
        {"teams",
         {{"",
           {{"team_id", "T1"},
            {"name", "Tổ tự quản 1"},
            {"commune_id", "C1"},
            {"kind", "border"}}}}},
        {"households",
         {{"POINT (107.95 13.55)",
           {{"household_id", "H1"}, {"head", "Siu Blơn"}, {"team_id", "T1"}, {"commune_id", "C1"}}},
          {"POINT (107.95 13.9)",
           {{"household_id", "H2"}, {"head", "Rơ Châm Ơi"}, {"commune_id", "C2"}}}}},
        {"assignments",
         {{"",
           {{"assignment_id", "A1"},
            {"party_type", "household"},
            {"party_id", "H1"},
            {"line_id", "L1"},
            {"from_km", "0"},
            {"to_km", "10"},
            {"signed", "2015-01-01"}}},
          {"",
           {{"assignment_id", "A2"},
            {"party_type", "team"},
            {"party_id", "T1"},
            {"line_id", "L1"},
            {"from_km", "20"},
            {"to_km", "8"},
            {"signed", "2015-02-01"}}}, // backwards: the same stretch
          {"",
           {{"assignment_id", "A3"},
            {"party_type", "household"},
            {"party_id", "H2"},
            {"line_id", "L1"},
            {"from_km", "30"},
            {"to_km", "40"},
            {"signed", "2015-01-01"},
            {"expires", "2015-06-30"}}}}},
        {"marker_custodians",
         {{"",
           {{"marker_id", "M1"},
            {"party_type", "household"},
            {"party_id", "H1"},
            {"signed", "2015-01-01"}}}}},
    };
}

/// Output km are rounded to 3 decimals: within 1e-3 km of the hand value.
constexpr double kKm = 1e-3;

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

const json* find_by(const json& list, const std::string& key, const std::string& value) {
    for (const json& item : list) {
        if (item.contains(key) && item[key].is_string() && item[key] == value) {
            return &item;
        }
    }
    return nullptr;
}

class Cli : public testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir;
        workspace_ = new std::string(write_workspace(*dir_ / "plan.gpkg", plan_layers()));
    }
    static void TearDownTestSuite() {
        delete workspace_;
        delete dir_;
    }
    static TempDir* dir_;
    static std::string* workspace_;
};

TempDir* Cli::dir_ = nullptr;
std::string* Cli::workspace_ = nullptr;

// --- the program itself ------------------------------------------------------------------------

TEST(CliBasics, Version) {
    const RunResult r = run_bordercov({"--version"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("bordercov"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("GDAL"), std::string::npos) << r.out;
    EXPECT_EQ(r.err, "");
}

TEST(CliBasics, HelpListsTheCommands) {
    const RunResult r = run_bordercov({"--help"});
    EXPECT_EQ(r.code, 0) << r.err;
    for (const char* command : {"info", "check", "coverage"}) {
        EXPECT_NE(r.out.find(command), std::string::npos) << command << " missing from\n" << r.out;
    }
    EXPECT_EQ(r.err, "");
}

TEST(CliBasics, HelpOnACommand) {
    const RunResult r = run_bordercov({"coverage", "--help"});
    EXPECT_EQ(r.code, 0) << r.err;
    for (const char* option : {"--as-of", "--commune", "--json", "--overwrite"}) {
        EXPECT_NE(r.out.find(option), std::string::npos) << option << " missing from\n" << r.out;
    }
}

TEST(CliBasics, BadOptionIsExit2) {
    const RunResult r = run_bordercov({"coverage", "--no-such-option", "x.gpkg"});
    EXPECT_EQ(r.code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("--no-such-option"), std::string::npos) << r.err;
}

TEST(CliBasics, NoCommandIsExit2) {
    const RunResult r = run_bordercov({});
    EXPECT_EQ(r.code, 2) << r.out << r.err;
}

TEST_F(Cli, TimingsGiveEachPhaseItsSecondsAndMemory) {
    const RunResult r = run_bordercov({"coverage", *workspace_, "--json", "--timings"});
    ASSERT_EQ(r.code, 0) << r.err;
    std::istringstream lines(r.err);
    std::string line;
    std::vector<std::string> phases;
    while (std::getline(lines, line)) {
        std::istringstream words(line);
        std::vector<std::string> w{std::istream_iterator<std::string>(words), {}};
        // "coverage sweep  0.005 s  3.3 %  65  65": name, seconds, s, share, %, memory, peak
        if (w.size() >= 7 && w[w.size() - 3] == "%" && w[w.size() - 5] == "s") {
            phases.push_back(w.front());
            const double memory = std::stod(w[w.size() - 2]), peak = std::stod(w.back());
            // A process holding GDAL has a few MB resident; the peak is never below the present.
            EXPECT_GT(memory, 1.0) << line;
            EXPECT_GE(peak + 1.0, memory) << line;
        }
    }
    EXPECT_EQ(phases, (std::vector<std::string>{"read", "resolve", "coverage", "result", "print"}))
        << r.err;
    EXPECT_NE(r.err.find("peak MB"), std::string::npos) << r.err;
}

// --- coverage --json, by hand ------------------------------------------------------------------

/// The field names of a layer as GDAL reads them from a written output.
std::set<std::string> layer_fields(const std::string& path, const char* layer) {
    std::set<std::string> out;
    const auto ds = test::open_vector(path);
    if (!ds || !ds->GetLayerByName(layer)) {
        ADD_FAILURE() << "no layer " << layer << " in " << path;
        return out;
    }
    OGRFeatureDefn* defn = ds->GetLayerByName(layer)->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        out.insert(defn->GetFieldDefn(i)->GetNameRef());
    }
    return out;
}

TEST_F(Cli, CoverageJsonCarriesEveryFieldOfEachLayer) {
    // A bad km adds a diagnostic, so that list is not empty either.
    TempDir dir;
    std::vector<FixtureLayer> layers = plan_layers();
    layers[5].text_fields = {"from_km"};
    layers[5].rows.push_back({"",
                              {{"assignment_id", "A9"},
                               {"party_type", "household"},
                               {"party_id", "H1"},
                               {"line_id", "L1"},
                               {"from_km", "abc"},
                               {"to_km", "12"}}});
    const std::string ws = write_workspace(dir / "ws.gpkg", layers);
    const RunResult r =
        run_bordercov({"coverage", ws, "--as-of", "2015-12-31", "--json", "-o", dir / "out.gpkg"});
    ASSERT_EQ(r.code, 0) << r.err;
    const json doc = parse(r);
    EXPECT_EQ(keys(doc),
              (std::set<std::string>{"schema_version", "workspace", "as_of", "lines", "communes",
                                     "districts", "teams", "gaps", "markers", "diagnostics"}));
    EXPECT_EQ(doc["schema_version"], 2);
    EXPECT_EQ(doc["workspace"], ws);
    EXPECT_EQ(doc["as_of"], "2015-12-31");
    const std::string out = dir / "out.gpkg";
    for (const auto& [list, layer] :
         std::vector<std::pair<const char*, const char*>>{{"lines", "line_summary"},
                                                          {"communes", "commune_summary"},
                                                          {"districts", "district_summary"},
                                                          {"teams", "team_summary"},
                                                          {"gaps", "gaps"},
                                                          {"markers", "markers"},
                                                          {"diagnostics", "diagnostics"}}) {
        ASSERT_TRUE(doc[list].is_array() && !doc[list].empty()) << list;
        const std::set<std::string> fields = layer_fields(out, layer);
        for (const json& item : doc[list]) {
            EXPECT_EQ(keys(item), fields) << list << " against the layer " << layer;
        }
    }
    // The fields the spec names, among them.
    EXPECT_TRUE(doc["gaps"][0].contains("from_marker") && doc["gaps"][0].contains("to_marker"));
    EXPECT_TRUE(doc["diagnostics"][0].contains("field") &&
                doc["diagnostics"][0].contains("source_fid"));

    // check --json: the same diagnostics fields as its -o layer.
    const RunResult c =
        run_bordercov({"check", ws, "--as-of", "2015-12-31", "--json", "-o", dir / "d.gpkg"});
    ASSERT_EQ(c.code, 1) << c.err;
    const json check = parse(c);
    EXPECT_EQ(check["schema_version"], 2);
    EXPECT_EQ(check["workspace"], ws);
    EXPECT_EQ(check["as_of"], "2015-12-31");
    ASSERT_FALSE(check["diagnostics"].empty());
    EXPECT_EQ(keys(check["diagnostics"][0]), layer_fields(dir / "d.gpkg", "diagnostics"));
}

TEST_F(Cli, InfoJsonGivesLayersAndLines) {
    const RunResult r = run_bordercov({"info", *workspace_, "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const json doc = parse(r);
    EXPECT_EQ(doc["schema_version"], 2);
    EXPECT_EQ(doc["workspace"], *workspace_);
    // Counts as plan_layers() writes them, and as GDAL counts them.
    const std::map<std::string, int> by_hand{
        {"border_lines", 1}, {"markers", 2},     {"communes", 2},         {"teams", 1},
        {"households", 2},   {"assignments", 3}, {"marker_custodians", 1}};
    const auto ds = test::open_vector(*workspace_);
    ASSERT_TRUE(ds);
    std::map<std::string, int> listed;
    for (const json& l : doc["layers"]) {
        const std::string name = l["layer"];
        listed[name] = l["features"].get<int>();
        EXPECT_EQ(l["features"].get<GIntBig>(), ds->GetLayerByName(name.c_str())->GetFeatureCount())
            << name;
        EXPECT_TRUE(l.contains("geometry") && l.contains("crs")) << l.dump();
        if (name == "border_lines") {
            EXPECT_NE(l["crs"].get<std::string>().find("4326"), std::string::npos) << l.dump();
        }
    }
    EXPECT_EQ(listed, by_hand);
    ASSERT_EQ(doc["lines"].size(), 1u);
    const json& line = doc["lines"][0];
    EXPECT_EQ(line["line_id"], "L1");
    EXPECT_EQ(line["neighbour"], "KH");
    EXPECT_EQ(line["parts"], 1);
    EXPECT_EQ(line["vertices"], 2);
    EXPECT_NEAR(line["length_km"].get<double>(), L, kKm);
}

TEST_F(Cli, CoverageFiguresAreTheHandComputedOnes) {
    const RunResult r = run_bordercov({"coverage", *workspace_, "--as-of", "2015-12-31", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err, "") << "a clean run prints nothing on stderr";
    const json doc = parse(r);
    EXPECT_EQ(doc["as_of"], "2015-12-31");
    EXPECT_EQ(doc["diagnostics"], json::array());

    ASSERT_EQ(doc["lines"].size(), 1u);
    const json& line = doc["lines"][0];
    EXPECT_EQ(line["line_id"], "L1");
    EXPECT_NEAR(line["length_km"].get<double>(), L, kKm);
    EXPECT_NEAR(line["covered_km"].get<double>(), 20.0, kKm);
    EXPECT_NEAR(line["overlap_km"].get<double>(), 2.0, kKm);
    EXPECT_NEAR(line["uncovered_km"].get<double>(), L - 20.0, kKm);
    EXPECT_EQ(line["gaps"], 1);
    EXPECT_EQ(line["markers"], 2);
    EXPECT_EQ(line["markers_unowned"], 1);

    ASSERT_EQ(doc["gaps"].size(), 1u);
    const json& gap = doc["gaps"][0];
    EXPECT_EQ(gap["line_id"], "L1");
    EXPECT_NEAR(gap["from_km"].get<double>(), 20.0, kKm);
    EXPECT_NEAR(gap["to_km"].get<double>(), L, kKm);
    EXPECT_NEAR(gap["length_km"].get<double>(), L - 20.0, kKm);
    // [20, D1] (7.6 km) lies in C1, [D1, L] (27.6 km) in C2: C2 holds most of it.
    ASSERT_GT(L - D1, D1 - 20.0);
    EXPECT_EQ(gap["commune_id"], "C2");

    ASSERT_EQ(doc["markers"].size(), 2u);
    const json* m1 = find_by(doc["markers"], "marker_id", "M1");
    const json* m2 = find_by(doc["markers"], "marker_id", "M2");
    ASSERT_TRUE(m1 && m2);
    EXPECT_NEAR((*m1)["chainage_km"].get<double>(), 0.0, kKm);
    EXPECT_NEAR((*m1)["offset_m"].get<double>(), 0.0, 0.1);
    EXPECT_EQ((*m1)["custodian_count"], 1);
    EXPECT_EQ((*m1)["status"], "custodied");
    EXPECT_NEAR((*m2)["chainage_km"].get<double>(), M2_KM, kKm);
    EXPECT_NEAR((*m2)["offset_m"].get<double>(), 0.0, 0.1);
    EXPECT_EQ((*m2)["custodian_count"], 0);
    EXPECT_EQ((*m2)["status"], "unowned");

    const json* c1 = find_by(doc["communes"], "commune_id", "C1");
    const json* c2 = find_by(doc["communes"], "commune_id", "C2");
    ASSERT_TRUE(c1 && c2) << doc["communes"].dump(1);
    EXPECT_EQ((*c1)["name"], "Ia Pnôn");
    EXPECT_EQ((*c1)["district"], "Đức Cơ");
    EXPECT_NEAR((*c1)["border_km"].get<double>(), D1, kKm);
    EXPECT_NEAR((*c1)["covered_km"].get<double>(), 20.0, kKm);
    EXPECT_NEAR((*c1)["overlap_km"].get<double>(), 2.0, kKm);
    EXPECT_NEAR((*c1)["uncovered_km"].get<double>(), D1 - 20.0, kKm);
    EXPECT_NEAR((*c1)["coverage_pct"].get<double>(), 100.0 * 20.0 / D1, 0.01);
    EXPECT_EQ((*c1)["households"], 1);
    EXPECT_EQ((*c1)["teams"], 1);
    EXPECT_EQ((*c1)["markers"], 2);
    EXPECT_EQ((*c1)["markers_unowned"], 1);
    EXPECT_NEAR((*c2)["border_km"].get<double>(), L - D1, kKm);
    EXPECT_NEAR((*c2)["covered_km"].get<double>(), 0.0, kKm);
    EXPECT_NEAR((*c2)["uncovered_km"].get<double>(), L - D1, kKm);
    EXPECT_NEAR((*c2)["coverage_pct"].get<double>(), 0.0, 0.01);
    EXPECT_EQ((*c2)["households"], 1);
    EXPECT_EQ((*c2)["teams"], 0);
    EXPECT_EQ((*c2)["markers"], 0);
    // No border outside the two communes: no "-" row.
    EXPECT_EQ(doc["communes"].size(), 2u) << doc["communes"].dump(1);

    ASSERT_EQ(doc["districts"].size(), 1u) << doc["districts"].dump(1);
    const json& district = doc["districts"][0];
    EXPECT_EQ(district["district"], "Đức Cơ");
    EXPECT_NEAR(district["border_km"].get<double>(), L, kKm);
    EXPECT_NEAR(district["covered_km"].get<double>(), 20.0, kKm);
    EXPECT_NEAR(district["overlap_km"].get<double>(), 2.0, kKm);
    EXPECT_EQ(district["households"], 2);
    EXPECT_EQ(district["teams"], 1);

    // T1 with its household H1: [0, 10] u [8, 20] = 20 km, all within the team.
    ASSERT_EQ(doc["teams"].size(), 1u);
    const json& team = doc["teams"][0];
    EXPECT_EQ(team["team_id"], "T1");
    const char* held = team.contains("held_km") ? "held_km" : "covered_km";
    ASSERT_TRUE(team.contains(held)) << team.dump();
    EXPECT_NEAR(team[held].get<double>(), 20.0, kKm);
}

TEST_F(Cli, AsOfIsHonoured) {
    // 2015-03-01: A3 is active too. Covered [0, 20] u [30, 40] = 30 km, gaps [20, 30], [40, L].
    const RunResult march =
        run_bordercov({"coverage", *workspace_, "--as-of", "2015-03-01", "--json"});
    ASSERT_EQ(march.code, 0) << march.err;
    const json doc = parse(march);
    EXPECT_EQ(doc["as_of"], "2015-03-01");
    EXPECT_NEAR(doc["lines"][0]["covered_km"].get<double>(), 30.0, kKm);
    EXPECT_NEAR(doc["lines"][0]["overlap_km"].get<double>(), 2.0, kKm);
    EXPECT_NEAR(doc["lines"][0]["uncovered_km"].get<double>(), L - 30.0, kKm);
    ASSERT_EQ(doc["gaps"].size(), 2u);
    EXPECT_NEAR(doc["gaps"][0]["from_km"].get<double>(), 20.0, kKm);
    EXPECT_NEAR(doc["gaps"][0]["to_km"].get<double>(), 30.0, kKm);
    EXPECT_NEAR(doc["gaps"][1]["from_km"].get<double>(), 40.0, kKm);
    EXPECT_NEAR(doc["gaps"][1]["to_km"].get<double>(), L, kKm);

    // 2015-01-15: A2 not yet signed. A1 [0, 10] and A3 [30, 40]: 20 km, no overlap.
    const RunResult january =
        run_bordercov({"coverage", *workspace_, "--as-of", "2015-01-15", "--json"});
    ASSERT_EQ(january.code, 0) << january.err;
    const json jan = parse(january);
    EXPECT_NEAR(jan["lines"][0]["covered_km"].get<double>(), 20.0, kKm);
    EXPECT_NEAR(jan["lines"][0]["overlap_km"].get<double>(), 0.0, kKm);

    // 2015-06-30 is A3's expiry date: no longer active on it (D < expires).
    const RunResult june =
        run_bordercov({"coverage", *workspace_, "--as-of", "2015-06-30", "--json"});
    ASSERT_EQ(june.code, 0) << june.err;
    EXPECT_NEAR(parse(june)["lines"][0]["covered_km"].get<double>(), 20.0, kKm);
}

TEST_F(Cli, CommuneByNameIgnoresCaseAndDiacritics) {
    for (const std::string query : {"ia pnon", "IA PNÔN", "C1"}) {
        SCOPED_TRACE(query);
        const RunResult r = run_bordercov(
            {"coverage", *workspace_, "--as-of", "2015-12-31", "--commune", query, "--json"});
        ASSERT_EQ(r.code, 0) << r.err;
        const json doc = parse(r);
        ASSERT_EQ(doc["communes"].size(), 1u) << doc["communes"].dump(1);
        const json& c = doc["communes"][0];
        EXPECT_EQ(c["commune_id"], "C1");
        EXPECT_EQ(c["name"], "Ia Pnôn");
        EXPECT_NEAR(c["border_km"].get<double>(), D1, kKm);
        EXPECT_NEAR(c["covered_km"].get<double>(), 20.0, kKm);
        EXPECT_NEAR(c["overlap_km"].get<double>(), 2.0, kKm);
        EXPECT_NEAR(c["uncovered_km"].get<double>(), D1 - 20.0, kKm);
        // The one gap reaches into C1 only for [20, D1].
        for (const json& g : doc["gaps"]) {
            EXPECT_LE(g["to_km"].get<double>(), D1 + kKm) << g.dump();
        }
    }
}

TEST_F(Cli, UnknownCommuneIsExit2) {
    const RunResult r =
        run_bordercov({"coverage", *workspace_, "--commune", "Ia Nowhere", "--json"});
    EXPECT_EQ(r.code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("Ia Nowhere"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
}

TEST_F(Cli, BadAsOfIsExit2) {
    const RunResult r = run_bordercov({"coverage", *workspace_, "--as-of", "notadate", "--json"});
    EXPECT_EQ(r.code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("--as-of"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("notadate"), std::string::npos) << r.err;
}

TEST_F(Cli, InfoShowsTheLineLength) {
    const RunResult r = run_bordercov({"info", *workspace_});
    ASSERT_EQ(r.code, 0) << r.err;
    char length[32];
    std::snprintf(length, sizeof length, "%.3f", L);
    EXPECT_NE(r.out.find(length), std::string::npos) << "want " << length << " in\n" << r.out;
    for (const char* layer : {"border_lines", "markers", "communes", "teams", "households",
                              "assignments", "marker_custodians"}) {
        EXPECT_NE(r.out.find(layer), std::string::npos) << layer;
    }
    EXPECT_EQ(r.err, "");
}

TEST(CliPrecision, CommuneBoundaryChainageIsGeodesic) {
    // One geodesic edge along 108 E from 13 N to 15 N; C1 holds it up to 14 N.
    // The border in C1 is the meridian arc 13 N -> 14 N (PROJ), whatever the
    // line's vertices; docs/method.md ("Chainage") allows 1 m per 100 km, the output's
    // rounding another 0.5 m.
    geod_geodesic g{};
    geod_init(&g, 6378137.0, 1.0 / 298.257223563);
    double arc_m = 0, azi1 = 0, azi2 = 0;
    geod_inverse(&g, 13.0, 108.0, 14.0, 108.0, &arc_m, &azi1, &azi2);
    const double in_c1 = arc_m / 1000.0;
    const double tolerance = in_c1 / 100.0 * 1e-3 + 0.5e-3;
    TempDir dir;
    const std::string path =
        write_workspace(dir / "long.gpkg",
                        {{"border_lines", {{"LINESTRING (108 13, 108 15)", {{"line_id", "L1"}}}}},
                         {"communes",
                          {{"POLYGON ((107.9 12.9, 108.1 12.9, 108.1 14, 107.9 14, 107.9 12.9))",
                            {{"commune_id", "C1"}, {"name", "Ia O"}}},
                           {"POLYGON ((107.9 14, 108.1 14, 108.1 15.1, 107.9 15.1, 107.9 14))",
                            {{"commune_id", "C2"}, {"name", "Ia Chía"}}}}}});
    const RunResult r = run_bordercov({"coverage", path, "--as-of", "2015-12-31", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const json doc = parse(r);
    const json* c1 = find_by(doc["communes"], "commune_id", "C1");
    ASSERT_NE(c1, nullptr);
    EXPECT_NEAR((*c1)["border_km"].get<double>(), in_c1, tolerance);
}

// --- failures and their exit codes -------------------------------------------------------------

TEST(CliFailures, MissingWorkspaceIsExit3) {
    TempDir dir;
    const std::string path = dir / "nowhere.gpkg";
    const RunResult r = run_bordercov({"coverage", path, "--json"});
    EXPECT_EQ(r.code, 3) << r.out << r.err;
    EXPECT_NE(r.err.find(path), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
}

TEST(CliFailures, WorkspaceWithoutBorderLinesIsExit1) {
    TempDir dir;
    const std::string path = write_workspace(
        dir / "ws.gpkg", {{"markers", {{"POINT (108 13.5)", {{"marker_id", "M1"}}}}}});
    const RunResult r = run_bordercov({"coverage", path, "--json"});
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("border_lines"), std::string::npos) << r.err;
}

TEST(CliFailures, CheckNamesFileLayerFeatureAndField) {
    TempDir dir;
    std::vector<FixtureLayer> layers = plan_layers();
    layers[5].text_fields = {"from_km"};
    layers[5].rows.push_back({"",
                              {{"assignment_id", "A9"},
                               {"party_type", "household"},
                               {"party_id", "H1"},
                               {"line_id", "L1"},
                               {"from_km", "abc"},
                               {"to_km", "12"}}});
    const std::string path = write_workspace(dir / "bad.gpkg", layers);
    const RunResult r = run_bordercov({"check", path});
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    const std::string all = r.out + r.err;
    for (const std::string& part :
         {path, std::string("assignments"), std::string("'A9'"), std::string("from_km"),
          std::string("bad-number"), std::string("abc")}) {
        EXPECT_NE(all.find(part), std::string::npos) << "'" << part << "' not in\n" << all;
    }

    const RunResult as_json = run_bordercov({"check", path, "--json"});
    EXPECT_EQ(as_json.code, 1);
    const json doc = parse(as_json);
    EXPECT_EQ(doc["errors"], 1);
    ASSERT_EQ(doc["diagnostics"].size(), 1u);
    const json& d = doc["diagnostics"][0];
    EXPECT_EQ(d["code"], "bad-number");
    EXPECT_EQ(d["layer"], "assignments");
    EXPECT_EQ(d["feature_id"], "A9");
    EXPECT_EQ(d["field"], "from_km");
}

TEST(CliFailures, CheckShowsWhyThereIsNoUsableLine) {
    TempDir dir;
    const std::string path = write_workspace(
        dir / "ws.gpkg", {{"border_lines", {{"LINESTRING (108.2 13.6)", {{"line_id", "L7"}}}}}});
    const RunResult r = run_bordercov({"check", path});
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    const std::string all = r.out + r.err;
    EXPECT_NE(all.find("degenerate-line"), std::string::npos) << all;
    EXPECT_NE(all.find("'L7'"), std::string::npos) << all;
}

TEST_F(Cli, CheckOfACleanWorkspaceIsExit0) {
    const RunResult r = run_bordercov({"check", *workspace_});
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("no problems"), std::string::npos) << r.out;
    EXPECT_EQ(r.err, "");
}

TEST_F(Cli, ExistingOutputNeedsOverwrite) {
    TempDir dir;
    const std::string out = dir / "out.gpkg";
    const RunResult first =
        run_bordercov({"coverage", *workspace_, "--as-of", "2015-12-31", "-o", out});
    ASSERT_EQ(first.code, 0) << first.err;
    ASSERT_TRUE(fs::is_regular_file(out));
    EXPECT_EQ(first.err.find("Warning"), std::string::npos) << "GDAL noise:\n" << first.err;
    EXPECT_EQ(first.err.find("ERROR"), std::string::npos) << "GDAL noise:\n" << first.err;
    const std::string bytes = slurp(out);

    const RunResult again =
        run_bordercov({"coverage", *workspace_, "--as-of", "2015-12-31", "-o", out});
    EXPECT_EQ(again.code, 3) << again.err;
    EXPECT_NE(again.err.find("--overwrite"), std::string::npos) << again.err;
    EXPECT_NE(again.err.find(out), std::string::npos) << again.err;
    EXPECT_EQ(slurp(out), bytes) << "the existing output was touched";

    const RunResult replaced =
        run_bordercov({"coverage", *workspace_, "--as-of", "2015-12-31", "-o", out, "--overwrite"});
    EXPECT_EQ(replaced.code, 0) << replaced.err;
    std::set<std::string> files;
    for (const auto& entry : fs::directory_iterator(dir.path())) {
        files.insert(entry.path().filename().string());
    }
    EXPECT_EQ(files, (std::set<std::string>{"out.gpkg"})) << "a temporary file was left behind";
}

TEST_F(Cli, WritingEveryFormatIsQuiet) {
    // Only bordercov's own one-line log may reach stderr: no GDAL warnings
    // (field name laundering, RFC 7946 notes, ...).
    TempDir dir;
    for (const std::string driver : {"GeoJSON", "ESRI Shapefile", "FlatGeobuf", "CSV"}) {
        SCOPED_TRACE(driver);
        const std::string out = dir / ("out-" + std::to_string(driver.size()));
        const RunResult r = run_bordercov(
            {"coverage", *workspace_, "--as-of", "2015-12-31", "-f", driver, "-o", out, "--json"});
        ASSERT_EQ(r.code, 0) << r.err;
        EXPECT_TRUE(fs::is_directory(out));
        EXPECT_EQ(r.err.find("Warning"), std::string::npos) << r.err;
        EXPECT_EQ(r.err.find("ERROR"), std::string::npos) << r.err;
        // A Shapefile adds one warning: the fields it renames, and where the map is.
        const long warnings = driver == "ESRI Shapefile" ? 1 : 0;
        EXPECT_LE(std::count(r.err.begin(), r.err.end(), '\n'), 1 + warnings) << r.err;
        if (warnings > 0) {
            EXPECT_NE(r.err.find("warning: Shapefile field names hold at most 10 characters"),
                      std::string::npos)
                << r.err;
        }
        EXPECT_NO_THROW(json::parse(r.out)) << "the log went to stdout";
    }
}

TEST_F(Cli, OutputIntoAMissingFolderIsExit3) {
    TempDir dir;
    const RunResult r = run_bordercov(
        {"coverage", *workspace_, "--as-of", "2015-12-31", "-o", dir / "missing/out.gpkg"});
    EXPECT_EQ(r.code, 3) << r.err;
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(CliFailures, ErrorsAtTheSameFidInTwoLayersStillWriteAGpkg) {
    TempDir dir;
    std::vector<FixtureLayer> layers = plan_layers();
    layers[1].rows[0].values["built"] = ""; // markers: first row fine
    layers[5].text_fields = {"from_km"};
    layers[5].rows[0].values["from_km"] = "abc"; // assignments FID 1: bad-number
    layers[6].rows[0].values["party_id"] = "H9"; // marker_custodians FID 1: unknown party
    const std::string path = write_workspace(dir / "ws.gpkg", layers);
    const RunResult r =
        run_bordercov({"coverage", path, "--as-of", "2015-12-31", "-o", dir / "out.gpkg"});
    EXPECT_EQ(r.code, 0) << r.err;
}

} // namespace
TEST(CliText, ThatIsNotUtf8StillGivesJson) {
    // A line id in a legacy 8-bit encoding ("L" then byte 0xF4, "ô" in
    // Latin-1): the JSON carries U+FFFD for it instead of stopping the run.
    TempDir dir;
    fs::create_directories(dir.path() / "ws");
    std::ofstream(dir.path() / "ws" / "border_lines.geojson", std::ios::binary)
        << "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
           "{\"line_id\":\"L\xf4\"},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[108,13]"
           ",[108,13.1]]}}]}";
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"coverage", dir / "ws", "--json"},
          {"check", dir / "ws", "--json"},
          {"nearest", dir / "ws", "--at", "108.01,13.05", "--json"}}) {
        const RunResult r = run_bordercov(args);
        EXPECT_EQ(r.code, 0) << args[0] << ": " << r.err;
        const json doc = json::parse(r.out); // throws on invalid UTF-8
        if (args[0] != "check") {            // check names no line when all is well
            EXPECT_NE(r.out.find("L\xef\xbf\xbd"), std::string::npos)
                << args[0] << ": " << r.out.substr(0, 400);
        }
    }
}

TEST(CliStrict, EveryCommandThatReadsAPlanStopsOnErrors) {
    // An assignment of a household that does not exist: an error in the data.
    TempDir dir;
    const std::string ws = write_workspace(
        dir / "ws.gpkg",
        {FixtureLayer{"border_lines", {{"LINESTRING (108 13, 108 13.1)", {{"line_id", "L1"}}}}},
         FixtureLayer{"assignments",
                      {{"",
                        {{"assignment_id", "A1"},
                         {"party_type", "household"},
                         {"party_id", "H9"},
                         {"line_id", "L1"},
                         {"from_km", "0"},
                         {"to_km", "1"}}}}}});
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"coverage", ws, "--strict", "-o", dir / "c.gpkg"},
          {"nearest", ws, "--strict", "--at", "108.01,13.05"},
          {"assign", ws, "--strict", "-o", dir / "a.gpkg"}}) {
        const RunResult r = run_bordercov(args);
        EXPECT_EQ(r.code, 1) << args[0] << ": " << r.err;
        EXPECT_NE(r.err.find("--strict"), std::string::npos) << args[0] << ": " << r.err;
        EXPECT_NE(r.err.find("unknown-party"), std::string::npos) << args[0] << ": " << r.err;
    }
    EXPECT_FALSE(fs::exists(dir / "c.gpkg"));
    EXPECT_FALSE(fs::exists(dir / "a.gpkg"));
}

} // namespace bordercov
