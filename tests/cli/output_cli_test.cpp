// Outputs as a planner who knows QGIS and ogr2ogr meets them, through the
// built CLI: bordercov replaces only what it writes itself (a foreign file in
// the output folder and a foreign layer in the output GeoPackage survive
// --overwrite), takes driver names in any case and guesses the driver from
// the extension of -o as ogr2ogr does, leaves no stray file when a write
// fails in any driver, says what a Shapefile cannot hold, writes CSV that
// reads back typed and with its CRS, KML as one file, and proposals that
// ogr2ogr -append puts back into a workspace of every format.
#include "fixture.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <set>

namespace fs = std::filesystem;
using bordercov::test::DatasetPtr;
using bordercov::test::FixtureLayer;
using bordercov::test::open_vector;
using bordercov::test::run_bordercov;
using bordercov::test::RunResult;
using bordercov::test::slurp;
using bordercov::test::TempDir;
using bordercov::test::write_workspace;
using nlohmann::json;

namespace {

const std::string sample = BORDERCOV_SOURCE_DIR "/geodata/gia-lai.gpkg";
const char* const as_of = "2026-11-28";

/// Every file under a folder, relative, with its bytes.
std::map<std::string, std::string> tree(const fs::path& folder) {
    std::map<std::string, std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(folder)) {
        files[fs::relative(e.path(), folder).string()] =
            e.is_regular_file() ? slurp(e.path()) : "<dir>";
    }
    return files;
}

std::set<std::string> names_in(const fs::path& folder) {
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(folder)) {
        names.insert(e.path().filename().string());
    }
    return names;
}

/// Layer name -> feature count, as GDAL reads the file.
std::map<std::string, long long> layer_counts(const std::string& file) {
    std::map<std::string, long long> counts;
    const DatasetPtr ds = open_vector(file);
    if (ds) {
        for (OGRLayer* l : ds->GetLayers()) {
            counts[l->GetName()] = l->GetFeatureCount(TRUE);
        }
    }
    return counts;
}

const std::vector<std::string> kLayers{
    "segments",         "gaps",         "markers",      "commune_summary",
    "district_summary", "line_summary", "team_summary", "diagnostics"};

RunResult coverage(std::vector<std::string> extra) {
    std::vector<std::string> args{"coverage", sample, "--as-of", as_of};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_bordercov(args);
}

/// Whether s is well-formed UTF-8 (no character cut in two).
bool valid_utf8(const std::string& s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t n = c < 0x80           ? 1
                              : (c >> 5) == 0x6  ? 2
                              : (c >> 4) == 0xE  ? 3
                              : (c >> 3) == 0x1E ? 4
                                                 : 0;
        if (n == 0 || i + n > s.size()) {
            return false;
        }
        for (std::size_t k = 1; k < n; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
                return false;
            }
        }
        i += n;
    }
    return true;
}

} // namespace

// 1. A folder of the user's: --overwrite replaces bordercov's layer files only.
TEST(OutputCli, AForeignFileInTheOutputFolderSurvivesOverwrite) {
    TempDir dir;
    const fs::path folder = dir.path() / "myfolder";
    fs::create_directory(folder);
    std::ofstream(folder / "bao_cao_2025.docx") << "báo cáo năm 2025";
    std::ofstream(folder / "notes.geojson") << R"({"type": "FeatureCollection", "features": []})";
    const std::string docx = slurp(folder / "bao_cao_2025.docx");

    // Into an existing folder with no file of bordercov's: no --overwrite needed.
    RunResult r = coverage({"-o", folder.string(), "-f", "GeoJSON"});
    ASSERT_EQ(r.code, 0) << r.err;
    for (const std::string& layer : kLayers) {
        EXPECT_TRUE(fs::exists(folder / (layer + ".geojson"))) << layer;
    }
    // Again: refused, naming the files it would replace, without --overwrite.
    const auto before = tree(folder);
    r = coverage({"-o", folder.string(), "-f", "GeoJSON"});
    EXPECT_EQ(r.code, 3) << r.err;
    EXPECT_NE(r.err.find("segments.geojson"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--overwrite"), std::string::npos) << r.err;
    EXPECT_EQ(tree(folder), before);
    // And with it, every foreign file stays, byte for byte.
    r = coverage({"-o", folder.string(), "-f", "GeoJSON", "--overwrite"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(slurp(folder / "bao_cao_2025.docx"), docx);
    EXPECT_TRUE(fs::exists(folder / "notes.geojson"));
    EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"myfolder"})
        << "a temporary folder was left";
}

TEST(OutputCli, AFolderWhereALayerFileGoesStopsTheRunBeforeAnyFileMoves) {
    TempDir dir;
    const fs::path folder = dir.path() / "out";
    fs::create_directories(folder / "gaps.geojson");
    const RunResult r = coverage({"-o", folder.string(), "-f", "GeoJSON", "--overwrite"});
    EXPECT_EQ(r.code, 3) << r.err;
    EXPECT_NE(r.err.find("gaps.geojson is a folder"), std::string::npos) << r.err;
    EXPECT_EQ(names_in(folder), std::set<std::string>{"gaps.geojson"});
    EXPECT_TRUE(fs::is_empty(folder / "gaps.geojson"));
    EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"out"});
}

// 2. A GeoPackage of the user's: its other layers and styles stay.
TEST(OutputCli, AForeignLayerAndStyleInTheOutputGeoPackageSurviveOverwrite) {
    TempDir dir;
    const std::string project = dir / "project.gpkg";
    ASSERT_EQ(std::system(
                  ("ogr2ogr -f GPKG '" + project + "' '" + sample + "' households teams").c_str()),
              0);
    const auto own_counts = layer_counts(project);
    ASSERT_EQ(own_counts.at("households"), 6286);

    RunResult r = coverage({"-o", project});
    EXPECT_EQ(r.code, 3) << r.err;
    EXPECT_NE(r.err.find("households"), std::string::npos)
        << "the refusal names the layers it keeps: " << r.err;
    EXPECT_EQ(layer_counts(project), own_counts);

    r = coverage({"-o", project, "--overwrite"});
    ASSERT_EQ(r.code, 0) << r.err;
    auto counts = layer_counts(project);
    EXPECT_EQ(counts.at("households"), 6286);
    EXPECT_EQ(counts.at("teams"), 53);
    for (const std::string& layer : kLayers) {
        EXPECT_EQ(counts.count(layer), 1u) << layer;
    }
    // The planner saves a QGIS style of their own for households.
    ASSERT_EQ(
        std::system(
            ("ogrinfo -q '" + project +
             "' -sql \"INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
             "f_geometry_column, styleName, styleQML, useAsDefault) VALUES ('', '', 'households', "
             "'geom', 'mine', '<qgis/>', 1)\" >/dev/null")
                .c_str()),
        0);
    // A second run replaces bordercov's layers (once each) and nothing else.
    r = coverage({"-o", project, "--overwrite"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("replaced"), std::string::npos) << r.err;
    auto again = layer_counts(project);
    again.erase("layer_styles");
    counts.erase("layer_styles");
    EXPECT_EQ(again, counts);
    const DatasetPtr ds = open_vector(project);
    ASSERT_TRUE(ds);
    OGRLayer* styles =
        ds->ExecuteSQL("SELECT f_table_name, styleName FROM layer_styles", nullptr, nullptr);
    ASSERT_NE(styles, nullptr);
    std::multiset<std::string> rows;
    while (OGRFeatureUniquePtr f{styles->GetNextFeature()}) {
        rows.insert(std::string(f->GetFieldAsString(0)) + "/" + f->GetFieldAsString(1));
    }
    ds->ReleaseResultSet(styles);
    EXPECT_EQ(rows,
              (std::multiset<std::string>{"households/mine", "segments/bordercov", "gaps/bordercov",
                                          "markers/bordercov", "commune_summary/bordercov",
                                          "diagnostics/bordercov"}));
    EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"project.gpkg"});
}

TEST(OutputCli, AFileThatIsNoGeoPackageIsNeverReplaced) {
    TempDir dir;
    const fs::path out = dir.path() / "out.gpkg";
    std::ofstream(out) << "not a GeoPackage";
    const RunResult r = coverage({"-o", out.string(), "--overwrite"});
    EXPECT_EQ(r.code, 3) << r.err;
    EXPECT_NE(r.err.find("is not a GPKG file"), std::string::npos) << r.err;
    EXPECT_EQ(slurp(out), "not a GeoPackage");
}

// 3. Driver names in any case, as GDAL takes them.
TEST(OutputCli, DriverNamesInAnyCase) {
    TempDir dir;
    const std::map<std::string, std::string> main_file{{"csv", "gaps.csv"},
                                                       {"flatgeobuf", "gaps.fgb"},
                                                       {"geojson", "gaps.geojson"},
                                                       {"esri shapefile", "gaps.shp"},
                                                       {"Esri ShapeFile", "gaps.shp"},
                                                       {"GeoJson", "gaps.geojson"}};
    int n = 0;
    for (const auto& [driver, file] : main_file) {
        SCOPED_TRACE(driver);
        const fs::path out = dir.path() / ("out" + std::to_string(++n));
        const RunResult r = coverage({"-o", out.string(), "-f", driver});
        ASSERT_EQ(r.code, 0) << r.err;
        EXPECT_TRUE(fs::exists(out / file));
        EXPECT_TRUE(open_vector((out / file).string()));
    }
    const RunResult gpkg = coverage({"-o", dir / "lower.gpkg", "-f", "gpkg"});
    EXPECT_EQ(gpkg.code, 0) << gpkg.err;
    EXPECT_EQ(layer_counts(dir / "lower.gpkg").count("segments"), 1u);
}

TEST(OutputCli, ADriverThatCannotWriteVectorsIsRefusedNamingThoseThatCan) {
    TempDir dir;
    for (const char* driver : {"GTiff", "NoSuchDriver"}) {
        const RunResult r = coverage({"-o", dir / "x.gpkg", "-f", driver});
        EXPECT_EQ(r.code, 2) << r.err;
        EXPECT_NE(r.err.find("GPKG"), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("FlatGeobuf"), std::string::npos) << r.err;
        EXPECT_EQ(r.err.find("disk space"), std::string::npos) << r.err;
    }
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

// 4. The driver from the extension of -o, as ogr2ogr guesses it.
TEST(OutputCli, TheExtensionOfTheOutputNamesTheDriver) {
    TempDir dir;
    fs::create_directory(dir.path() / "out");
    struct Case {
        std::string out;
        std::string file; // a file the output must have
        std::string driver;
    };
    const std::vector<Case> cases{
        {"out/a.geojson", "out/a/gaps.geojson", "GeoJSON"},
        {"out/b.shp", "out/b/gaps.shp", "ESRI Shapefile"},
        {"out/c.fgb", "out/c/gaps.fgb", "FlatGeobuf"},
        {"out/d.csv", "out/d/gaps.csv", "CSV"},
        {"out/e.json", "out/e/gaps.geojson", "GeoJSON"},
        {"out/g.gpkg", "out/g.gpkg", "GPKG"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.out);
        const RunResult r = coverage({"-o", dir / c.out});
        ASSERT_EQ(r.code, 0) << r.err;
        EXPECT_TRUE(fs::is_regular_file(dir / c.file));
        const DatasetPtr ds = open_vector(dir / c.file);
        ASSERT_TRUE(ds);
        EXPECT_EQ(std::string(ds->GetDriver()->GetDescription()) == "KML"
                      ? "LIBKML"
                      : ds->GetDriver()->GetDescription(),
                  c.driver);
        EXPECT_NE(r.err.find("(" + c.driver + ")"), std::string::npos) << r.err;
    }
    // Several layers and a file name of a one-layer format: the folder is said.
    const RunResult r = coverage({"-o", dir / "out/h.geojson"});
    EXPECT_NE(r.err.find("one layer per file"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("out/h/"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "out/h.geojson")) << "no folder named like a file";
}

TEST(OutputCli, ASingleLayerGivenAFileNameIsThatFile) {
    TempDir dir;
    const RunResult r = run_bordercov({"check", sample, "-o", dir / "diagnostics-2026.geojson"});
    ASSERT_EQ(r.code, 0) << r.err;
    ASSERT_TRUE(fs::is_regular_file(dir / "diagnostics-2026.geojson"));
    const DatasetPtr ds = open_vector(dir / "diagnostics-2026.geojson");
    ASSERT_TRUE(ds);
    EXPECT_STREQ(ds->GetDriver()->GetDescription(), "GeoJSON");
    // assign writes three layers: a folder named as the file, said so.
    const RunResult a = run_bordercov(
        {"assign", sample, "--as-of", as_of, "-o", dir / "prop.geojson", "-f", "GeoJSON"});
    ASSERT_EQ(a.code, 0) << a.err;
    EXPECT_TRUE(fs::is_regular_file(dir / "prop/assignments.geojson"));
    EXPECT_FALSE(fs::exists(dir / "prop.geojson"));
}

TEST(OutputCli, AnExtensionAndADriverThatDisagreeAreRefused) {
    TempDir dir;
    const RunResult r = coverage({"-o", dir / "a.shp", "-f", "GeoJSON"});
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("Make them agree"), std::string::npos) << r.err;
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

// No stray file when a write fails half-way, in every driver: the files may
// be no larger than 24 KiB (the shell's ulimit -f), so the larger layers fail.
TEST(OutputCli, AFailedWriteLeavesNoStrayFileInAnyDriver) {
    TempDir dir;
    fs::create_directory(dir.path() / "t1");
    std::ofstream(dir.path() / "t1" / "mine.txt") << "mine";
    // (LIBKML is left out: it takes a minute and a half to write the sample,
    // see KmlIsOneFileWithCommunesNamedByTheirCoverage; GDAL's KML stands in.)
    for (const std::string driver :
         {"GPKG", "GeoJSON", "ESRI Shapefile", "FlatGeobuf", "CSV", "KML", "XLSX"}) {
        SCOPED_TRACE(driver);
        const std::string out = driver == "GPKG"   ? "t1/a.gpkg"
                                : driver == "KML"  ? "t1/a.kml"
                                : driver == "XLSX" ? "t1/a.xlsx"
                                : driver == "CSV"  ? "t1/a.csv"
                                                   : "t1/a";
        const RunResult r = run_bordercov({"coverage", sample, "--as-of", as_of, "-o", dir / out,
                                           "-f", driver == "CSV" ? "csv" : driver},
                                          "ulimit -f 48; trap '' XFSZ; ");
        EXPECT_EQ(r.code, 3) << r.err;
        EXPECT_EQ(r.err.find(".tmp-"), std::string::npos)
            << "a temporary name in the message: " << r.err;
        EXPECT_EQ(names_in(dir.path() / "t1"), std::set<std::string>{"mine.txt"}) << r.err;
        EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"t1"});
    }
}

TEST(OutputCli, AnUnwritableFolderIsNamedAsTheUserGaveIt) {
    // /proc takes no new file, not even from root.
    const RunResult r = coverage({"-o", "/proc/bordercov-out.gpkg"});
    EXPECT_EQ(r.code, 3) << r.err;
    EXPECT_NE(r.err.find("/proc/bordercov-out.gpkg"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find(".tmp-"), std::string::npos) << r.err;
}

// 5. Text a Shapefile cannot hold: cut at a character, said, kept whole.
TEST(OutputCli, ShapefileTextOver254BytesIsCutWithAWarningAndKeptWhole) {
    TempDir dir;
    // An unknown household with a long Vietnamese id: the diagnostic that
    // names it is longer than 254 bytes.
    const std::string id =
        "Hộ ông Nguyễn Văn Hùng thôn Lồ Sử Thàng xã Ia Pnôn huyện Đức Cơ tỉnh Gia Lai, "
        "đăng ký tự quản đoạn biên giới từ mốc 21 đến mốc 22 năm 2015";
    ASSERT_GT(id.size(), 150u);
    const std::string ws = write_workspace(
        dir / "ws.gpkg",
        {{"border_lines", {{"LINESTRING (107.6 13.6, 107.7 13.7)", {{"line_id", "L"}}}}},
         {"households", {{"POINT (107.65 13.6)", {{"household_id", "H1"}}}}},
         {"assignments",
          {{"",
            {{"assignment_id", "A1"},
             {"party_type", "household"},
             {"party_id", id},
             {"line_id", "L"},
             {"from_km", "0"},
             {"to_km", "1"}}}}}});
    const fs::path out = dir.path() / "out";
    const RunResult r = run_bordercov(
        {"coverage", ws, "--as-of", "2016-01-01", "-o", out.string(), "-f", "ESRI Shapefile"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("warning: layer 'diagnostics', field 'message'"), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("diagnostics_full.csv"), std::string::npos) << r.err;

    const DatasetPtr shp = open_vector((out / "diagnostics.shp").string());
    ASSERT_TRUE(shp);
    OGRFeatureUniquePtr cut{shp->GetLayer(0)->GetNextFeature()};
    ASSERT_TRUE(cut);
    const std::string in_shapefile = cut->GetFieldAsString("message");
    EXPECT_LE(in_shapefile.size(), 254u);
    EXPECT_GT(in_shapefile.size(), 250u);
    EXPECT_TRUE(valid_utf8(in_shapefile)) << "a character cut in two: " << in_shapefile;

    const DatasetPtr csv = open_vector((out / "diagnostics_full.csv").string());
    ASSERT_TRUE(csv);
    OGRFeatureUniquePtr whole{csv->GetLayer(0)->GetNextFeature()};
    ASSERT_TRUE(whole);
    const std::string full = whole->GetFieldAsString("message");
    EXPECT_NE(full.find(id), std::string::npos) << full;
    EXPECT_EQ(full.substr(0, in_shapefile.size()), in_shapefile);

    // The field-name map, where QGIS users find it.
    const std::string map = slurp(out / "field_names.csv");
    EXPECT_NE(map.find("gaps,from_marker,from_mark"), std::string::npos) << map;
    EXPECT_TRUE(std::regex_search(
        slurp(out / "gaps.qml"),
        std::regex(R"(<alias field="from_mark" index="\d+" name="from_marker"/>)")));
}

// 7. CSV that reads back typed, with its CRS, and opens in Excel.
TEST(OutputCli, CsvReadsBackWithTypesAndCrs) {
    TempDir dir;
    const fs::path out = dir.path() / "csv";
    ASSERT_EQ(coverage({"-o", out.string(), "-f", "CSV", "--t-srs", "EPSG:32648"}).code, 0);
    EXPECT_EQ(slurp(out / "gaps.csv").substr(0, 3), "\xEF\xBB\xBF")
        << "no UTF-8 byte-order mark for Excel";
    const DatasetPtr ds = open_vector((out / "gaps.csv").string());
    ASSERT_TRUE(ds);
    OGRLayer* gaps = ds->GetLayer(0);
    OGRFeatureDefn* defn = gaps->GetLayerDefn();
    EXPECT_EQ(defn->GetFieldDefn(defn->GetFieldIndex("length_km"))->GetType(), OFTReal);
    EXPECT_EQ(defn->GetFieldDefn(defn->GetFieldIndex("gap_id"))->GetType(), OFTString);
    const OGRSpatialReference* srs = gaps->GetSpatialRef();
    ASSERT_NE(srs, nullptr) << "no CRS with the CSV";
    OGRSpatialReference utm;
    utm.importFromEPSG(32648);
    EXPECT_TRUE(srs->IsSame(&utm));
    // The first gap's geometry is in UTM metres, not degrees.
    OGRFeatureUniquePtr f{gaps->GetNextFeature()};
    ASSERT_TRUE(f && f->GetGeometryRef());
    OGREnvelope e;
    f->GetGeometryRef()->getEnvelope(&e);
    EXPECT_GT(e.MinX, 100000.0);

    const fs::path plain = dir.path() / "plain";
    ASSERT_EQ(coverage({"-o", plain.string(), "-f", "CSV", "--no-bom"}).code, 0);
    EXPECT_EQ(slurp(plain / "gaps.csv").substr(0, 3), "WKT");
}

// 9. KML for a phone: one file, placemarks named as the README says. (A
// small workspace: GDAL's LIBKML driver takes a minute and a half to write
// the Gia Lai sample's layers.)
TEST(OutputCli, KmlIsOneFileWithCommunesNamedByTheirCoverage) {
    TempDir dir;
    const std::string ws = write_workspace(
        dir / "ws.gpkg",
        {{"border_lines",
          {{"LINESTRING (107.6 13.6, 108.0 13.6, 108.4 13.6)", {{"line_id", "L"}}}}},
         {"communes",
          {{"POLYGON ((107.5 13.5, 108 13.5, 108 13.7, 107.5 13.7, 107.5 13.5))",
            {{"commune_id", "C1"}, {"name", "Ia Pnôn"}, {"district", "Đức Cơ"}}},
           {"POLYGON ((108 13.5, 108.5 13.5, 108.5 13.7, 108 13.7, 108 13.5))",
            {{"commune_id", "C2"}, {"name", "Ia Nan"}, {"district", "Đức Cơ"}}}}},
         {"teams", {{"", {{"team_id", "T1"}, {"name", "Tổ 1"}}}}},
         {"assignments",
          {{"",
            {{"assignment_id", "A1"},
             {"party_type", "team"},
             {"party_id", "T1"},
             {"line_id", "L"},
             {"from_km", "0"},
             {"to_km", "50"}}}}}});
    fs::create_directory(dir.path() / "out");
    const RunResult folder = run_bordercov({"coverage", ws, "-o", dir / "out/kml", "-f", "LIBKML"});
    EXPECT_EQ(folder.code, 2) << folder.err;
    EXPECT_NE(folder.err.find(".kml"), std::string::npos) << folder.err;
    EXPECT_TRUE(fs::is_empty(dir.path() / "out"));

    const RunResult r = run_bordercov({"coverage", ws, "-o", dir / "out/phone.kml", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(names_in(dir.path() / "out"), std::set<std::string>{"phone.kml"});
    // The line is two geodesic edges of 0.4° at 13.6°N, about 43.3 km each,
    // Ia Pnôn's and Ia Nan's; the team holds the first 50 km: all of Ia Pnôn.
    const std::string kml = slurp(dir.path() / "out/phone.kml");
    EXPECT_NE(kml.find("<name>Ia Pnôn (100.00 %)</name>"), std::string::npos)
        << kml.substr(0, 2000);
    const json doc = json::parse(r.out);
    for (const auto& c : doc["communes"]) {
        char label[128];
        std::snprintf(label, sizeof label, "<name>%s (%.2f %%)</name>",
                      c["name"].get<std::string>().c_str(), c["coverage_pct"].get<double>());
        EXPECT_NE(kml.find(label), std::string::npos) << label;
    }
}

// 8. Proposals go back into a workspace of each format with ogr2ogr -append.
TEST(OutputCli, AssignAppendsBackIntoGeoPackageGeoJsonAndShapefileWorkspaces) {
    for (const std::string format : {"GPKG", "GeoJSON", "ESRI Shapefile"}) {
        SCOPED_TRACE(format);
        TempDir dir;
        const std::string ws = format == "GPKG" ? dir / "ws.gpkg" : dir / "ws";
        const std::string ext = format == "GeoJSON" ? ".geojson" : ".shp";
        if (format == "GPKG") {
            fs::copy_file(sample, ws);
        } else {
            fs::create_directory(ws);
            for (const char* layer : {"border_lines", "markers", "communes", "teams", "households",
                                      "assignments", "marker_custodians"}) {
                const std::string command = "ogr2ogr -f '" + format + "' '" + ws + "/" + layer +
                                            ext + "' '" + sample + "' " + layer +
                                            " >/dev/null 2>&1";
                ASSERT_EQ(std::system(command.c_str()), 0) << command;
            }
        }
        const std::string proposals = dir / "proposals.gpkg";
        const RunResult a = run_bordercov({"assign", ws, "--as-of", as_of, "-o", proposals});
        ASSERT_EQ(a.code, 0) << a.err;
        for (const char* layer : {"assignments", "marker_custodians"}) {
            const std::string target = format == "GPKG"      ? ws
                                       : format == "GeoJSON" ? ws + "/" + layer + ext
                                                             : ws;
            const std::string command = "ogr2ogr -append -update '" + target + "' '" + proposals +
                                        "' " + layer + " >/dev/null 2>&1";
            ASSERT_EQ(std::system(command.c_str()), 0) << command;
        }
        const RunResult check = run_bordercov({"check", ws, "--as-of", as_of, "--json"});
        EXPECT_EQ(check.code, 0) << check.out;
        const RunResult after = run_bordercov({"coverage", ws, "--as-of", as_of, "--json"});
        ASSERT_EQ(after.code, 0) << after.err;
        const json doc = json::parse(after.out);
        EXPECT_NEAR(doc["lines"][0]["uncovered_km"].get<double>(), 0.0, 0.0005);
        EXPECT_EQ(doc["lines"][0]["markers_unowned"].get<int>(), 0);
    }
}
