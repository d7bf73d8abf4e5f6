// Writing the result layers: the engine runs on a small fixture, every output
// driver writes, and GDAL itself (not bordercov) reads the files back: layer
// names, field names and types, feature counts, UTF-8 names, the CRS of the
// geometries, and the all-or-nothing rules of docs/outputs.md (temporary name,
// --overwrite, the input never touched).
#include "bordercov/coverage.hpp"
#include "bordercov/error.hpp"
#include "bordercov/io/layer_writer.hpp"
#include "bordercov/io/workspace_reader.hpp"
#include "bordercov/resolve.hpp"
#include "bordercov/table.hpp"
#include "fixture.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace bordercov {
namespace {

using test::DatasetPtr;
using test::EngineRun;
using test::FixtureLayer;
using test::open_vector;
using test::run_engine;
using test::slurp;
using test::TempDir;
using test::wkt_coords;
using test::write_workspace;
namespace fs = std::filesystem;

const std::vector<LonLat> kLine{
    {107.6, 13.6}, {107.85, 13.72}, {108.05, 13.83}, {108.3, 13.95}, {108.45, 14.1}};
const LonLat kMarker22{108.45, 14.1};

std::vector<FixtureLayer> plan_layers() {
    return {
        {"border_lines",
         {{"LINESTRING (" + wkt_coords(kLine) + ")", {{"line_id", "L1"}, {"name", "Biên giới"}}}}},
        {"markers",
         {{"POINT (107.6 13.6)", {{"marker_id", "21"}, {"line_id", "L1"}}},
          {"POINT (108.05 13.83)", {{"marker_id", "21/1"}, {"line_id", "L1"}}},
          {"POINT (" + wkt_coords({kMarker22}) + ")", {{"marker_id", "22"}, {"line_id", "L1"}}}}},
        {"communes",
         {{"POLYGON ((107.5 13.5, 108 13.5, 108 14.2, 107.5 14.2, 107.5 13.5))",
           {{"commune_id", "C1"}, {"name", "Ia Pnôn"}, {"district", "Đức Cơ"}}},
          {"POLYGON ((108 13.5, 108.5 13.5, 108.5 14.2, 108 14.2, 108 13.5))",
           {{"commune_id", "C2"}, {"name", "Ia Dom"}, {"district", "Đức Cơ"}}}}},
        {"teams", {{"", {{"team_id", "T1"}, {"name", "Tổ tự quản số 1"}, {"commune_id", "C1"}}}}},
        {"households",
         {{"POINT (107.9 13.7)",
           {{"household_id", "H1"},
            {"head", "Siu Blơn"},
            {"team_id", "T1"},
            {"commune_id", "C1"}}}}},
        {"assignments",
         {{"",
           {{"assignment_id", "A1"},
            {"party_type", "household"},
            {"party_id", "H1"},
            {"line_id", "L1"},
            {"from_km", "0"},
            {"to_km", "10"},
            {"signed", "2015-01-15"}}},
          {"",
           {{"assignment_id", "A2"},
            {"party_type", "team"},
            {"party_id", "T1"},
            {"line_id", "L1"},
            {"from_marker", "21/1"},
            {"to_marker", "22"},
            {"signed", "2015-02-01"}}},
          // An unknown party: a diagnostic, so the diagnostics layer has a row.
          {"",
           {{"assignment_id", "A3"},
            {"party_type", "household"},
            {"party_id", "H9"},
            {"line_id", "L1"},
            {"from_km", "5"},
            {"to_km", "6"},
            {"signed", "2015-02-01"}}}}},
        {"marker_custodians",
         {{"",
           {{"marker_id", "21"},
            {"party_type", "household"},
            {"party_id", "H1"},
            {"signed", "2015-03-01"}}}}},
    };
}

io::WriteOptions write_options(const std::string& driver, bool overwrite = false) {
    io::WriteOptions options;
    options.driver = driver;
    options.overwrite = overwrite;
    return options;
}

/// The file holding layer `name` in a per-layer output folder: the one whose
/// stem is the layer name (a Shapefile layer without geometry is a .dbf alone).
std::string layer_file(const std::string& folder, const std::string& name) {
    std::string found;
    for (const auto& entry : fs::directory_iterator(folder)) {
        const std::string ext = entry.path().extension().string();
        if (entry.path().stem() == name && ext != ".cpg" && ext != ".prj" && ext != ".shx" &&
            ext != ".csvt" && ext != ".qml" && (found.empty() || ext == ".shp")) {
            found = entry.path().string();
        }
    }
    return found;
}

/// A dataset and one of its layers, kept open together.
struct OpenLayer {
    DatasetPtr ds;
    OGRLayer* layer = nullptr;
};

OpenLayer open_layer(const std::string& out, const std::string& driver, const std::string& name) {
    OpenLayer open;
    const std::string file = driver == "GPKG" ? out : layer_file(out, name);
    if (file.empty()) {
        ADD_FAILURE() << "no file for layer " << name << " in " << out;
        return open;
    }
    open.ds = open_vector(file);
    if (!open.ds) {
        ADD_FAILURE() << "GDAL cannot open " << file;
        return open;
    }
    open.layer = open.ds->GetLayerByName(name.c_str());
    if (open.layer == nullptr) {
        ADD_FAILURE() << "no layer named " << name << " in " << file;
    }
    return open;
}

const std::vector<std::string> kLayers{
    "segments",         "gaps",         "markers",      "commune_summary",
    "district_summary", "line_summary", "team_summary", "diagnostics"};

/// The fields of docs/outputs.md, in its order, for the layers it lists in full;
/// for the others (and diagnostics) the fields it names must be present.
const std::vector<std::string>& spec_fields(const std::string& layer, bool& exact) {
    static const std::vector<std::string> segments{"line_id",   "from_km",    "to_km",
                                                   "length_km", "status",     "owner_count",
                                                   "owners",    "commune_id", "district"};
    // docs/outputs.md's fields, with those issue 12 added for a field team
    // (who the nearest party is and how to reach it, the markers inside a
    // gap, the markers not built yet on the date) where they belong.
    static const std::vector<std::string> gaps{"gap_id",
                                               "line_id",
                                               "from_km",
                                               "to_km",
                                               "length_km",
                                               "commune_id",
                                               "commune_name",
                                               "from_marker",
                                               "to_marker",
                                               "markers_inside",
                                               "nearest_party_id",
                                               "nearest_party_km",
                                               "nearest_party_name",
                                               "nearest_party_type",
                                               "nearest_party_team_id",
                                               "nearest_party_phone"};
    static const std::vector<std::string> markers{"marker_id",
                                                  "line_id",
                                                  "chainage_km",
                                                  "offset_m",
                                                  "custodian_count",
                                                  "custodians",
                                                  "status",
                                                  "nearest_party_id",
                                                  "nearest_party_name",
                                                  "nearest_party_type",
                                                  "nearest_party_team_id",
                                                  "nearest_party_phone"};
    static const std::vector<std::string> communes{
        "commune_id",       "name",         "district",   "border_km",
        "covered_km",       "uncovered_km", "overlap_km", "coverage_pct",
        "households",       "teams",        "markers",    "markers_unowned",
        "markers_not_built"};
    static const std::vector<std::string> districts{
        "district",     "border_km",  "covered_km", "uncovered_km", "overlap_km",
        "coverage_pct", "households", "teams",      "markers",      "markers_unowned"};
    static const std::vector<std::string> lines{"line_id",      "length_km",      "covered_km",
                                                "uncovered_km", "overlap_km",     "gaps",
                                                "markers",      "markers_unowned"};
    static const std::vector<std::string> teams{"team_id"};
    static const std::vector<std::string> diagnostics{"severity", "code", "layer", "feature_id",
                                                      "message"};
    exact =
        layer == "segments" || layer == "gaps" || layer == "markers" || layer == "commune_summary";
    if (layer == "segments")
        return segments;
    if (layer == "gaps")
        return gaps;
    if (layer == "markers")
        return markers;
    if (layer == "commune_summary")
        return communes;
    if (layer == "district_summary")
        return districts;
    if (layer == "line_summary")
        return lines;
    if (layer == "team_summary")
        return teams;
    return diagnostics;
}

/// What a GIS user expects of a field's type, by its name.
OGRFieldType expected_type(const std::string& field) {
    static const std::set<std::string> reals{
        "from_km",    "to_km",        "length_km",  "chainage_km",  "offset_m",         "border_km",
        "covered_km", "uncovered_km", "overlap_km", "coverage_pct", "nearest_party_km", "held_km"};
    static const std::set<std::string> integers{
        "owner_count", "custodian_count",  "households", "teams",
        "markers",     "markers_unowned",  "gaps",       "assignments",
        "source_fid",  "markers_not_built"};
    if (reals.count(field))
        return OFTReal;
    if (integers.count(field))
        return OFTInteger64;
    return OFTString;
}

TEST(CoverageTables, HaveTheFieldsOfTheSpec) {
    TempDir dir;
    const EngineRun run = run_engine(write_workspace(dir / "plan.gpkg", plan_layers()));
    ASSERT_EQ(run.tables.size(), kLayers.size());
    for (std::size_t t = 0; t < kLayers.size(); ++t) {
        const Table& table = run.tables[t];
        EXPECT_EQ(table.name, kLayers[t]);
        std::vector<std::string> names;
        for (const Field& f : table.fields) {
            names.push_back(f.name);
        }
        bool exact = false;
        const auto& spec = spec_fields(table.name, exact);
        if (exact) {
            EXPECT_EQ(names, spec) << table.name;
        } else {
            // The documented fields appear, in the documented order.
            std::size_t at = 0;
            for (const std::string& s : spec) {
                const auto it =
                    std::find(names.begin() + static_cast<std::ptrdiff_t>(at), names.end(), s);
                EXPECT_NE(it, names.end())
                    << table.name << " lacks " << s << " (or has it out of order)";
                if (it != names.end()) {
                    at = static_cast<std::size_t>(it - names.begin());
                }
            }
        }
    }
}

// --- every driver, read back with GDAL ---------------------------------------------------------

class EveryDriver : public testing::TestWithParam<std::string> {};

std::string driver_name(const testing::TestParamInfo<std::string>& info) {
    return info.param == "ESRI Shapefile" ? "Shapefile" : info.param;
}

TEST_P(EveryDriver, WritesEveryLayerAsGdalReadsIt) {
    const std::string driver = GetParam();
    TempDir dir;
    const EngineRun run = run_engine(write_workspace(dir / "plan.gpkg", plan_layers()));
    const std::string out = dir / (driver == "GPKG" ? "out.gpkg" : "out");
    io::write_tables(run.tables, out, run.ws.crs_wkt, write_options(driver));

    if (driver == "GPKG") {
        ASSERT_TRUE(fs::is_regular_file(out));
        const DatasetPtr ds = open_vector(out);
        ASSERT_TRUE(ds);
        // The result layers, and QGIS's layer_styles (qgis_style_test.cpp).
        EXPECT_EQ(ds->GetLayerCount(), static_cast<int>(kLayers.size()) + 1);
        EXPECT_NE(ds->GetLayerByName("layer_styles"), nullptr);
    } else {
        ASSERT_TRUE(fs::is_directory(out));
    }
    for (const Table& table : run.tables) {
        // FlatGeobuf cannot hold rows without geometry: such tables come as
        // CSV beside the .fgb files (FlatGeobufOutput.KeepsRowsWithoutGeometry).
        const bool as_csv =
            driver == "FlatGeobuf" && fs::exists(fs::path(out) / (table.name + ".csv"));
        const std::string format = as_csv ? "CSV" : driver;
        SCOPED_TRACE(format + " layer " + table.name);
        const OpenLayer open = open_layer(out, format, table.name);
        if (open.layer == nullptr) {
            continue;
        }
        EXPECT_GT(table.rows.size(), 0u) << "the fixture should give every layer a row";
        EXPECT_EQ(open.layer->GetFeatureCount(TRUE), static_cast<GIntBig>(table.rows.size()));

        // The layer's fields: the table's, in order (CSV adds its WKT column).
        std::vector<std::string> got;
        std::vector<OGRFieldType> types;
        OGRFeatureDefn* defn = open.layer->GetLayerDefn();
        for (int i = 0; i < defn->GetFieldCount(); ++i) {
            const std::string name = defn->GetFieldDefn(i)->GetNameRef();
            if (format == "CSV" && name == "WKT") {
                continue;
            }
            got.push_back(name);
            types.push_back(defn->GetFieldDefn(i)->GetType());
        }
        std::vector<std::string> want;
        std::set<std::string> distinct;
        std::vector<Field> fields = table.fields;
        for (const Field& f : fields) {
            want.push_back(driver == "ESRI Shapefile" ? io::shapefile_field_name(f.name) : f.name);
            if (driver == "ESRI Shapefile") {
                EXPECT_LE(want.back().size(), 10u) << f.name;
                EXPECT_TRUE(distinct.insert(want.back()).second)
                    << "two fields map to " << want.back();
            }
        }
        ASSERT_EQ(got, want);
        // CSV comes with a .csvt of its types (GDAL reads it back).
        // GeoJSON has no schema: GDAL guesses a column's type from its values,
        // and a column that is null throughout reads back as text.
        for (std::size_t i = 0; i < fields.size(); ++i) {
            const std::size_t column = table.column(fields[i].name);
            const bool all_null =
                std::all_of(table.rows.begin(), table.rows.end(), [&](const Row& r) {
                    return std::holds_alternative<std::monostate>(r.values[column]);
                });
            const bool untyped = format == "GeoJSON" && all_null;
            OGRFieldType want_type = untyped ? OFTString : expected_type(fields[i].name);
            OGRFieldType got_type = types[i];
            if (got_type == OFTInteger) {
                got_type = OFTInteger64; // either width of integer is fine
            }
            EXPECT_EQ(got_type, want_type)
                << fields[i].name << ": " << OGRFieldDefn::GetFieldTypeName(types[i]);
        }
    }

    // Vietnamese names survive every format.
    const OpenLayer communes = open_layer(out, driver, "commune_summary");
    ASSERT_NE(communes.layer, nullptr);
    std::vector<std::string> names;
    communes.layer->ResetReading();
    while (OGRFeatureUniquePtr f{communes.layer->GetNextFeature()}) {
        names.emplace_back(f->GetFieldAsString("name"));
    }
    // FlatGeobuf's spatial index reorders features: compare as a set.
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"Ia Dom", "Ia Pnôn"}));

    if (driver == "ESRI Shapefile") {
        for (const std::string& layer : kLayers) {
            std::ifstream cpg(out + "/" + layer + ".cpg");
            std::string encoding;
            std::getline(cpg, encoding);
            EXPECT_EQ(encoding, "UTF-8") << layer << ".cpg";
        }
    }
}

/// Every feature of every result layer in `out`, as GDAL reads and prints them.
std::string dump_layers(const std::string& out, const std::string& driver) {
    std::string text;
    for (const std::string& name : kLayers) {
        const OpenLayer open = open_layer(out, driver, name);
        if (open.layer == nullptr) {
            continue;
        }
        text += name + "\n";
        open.layer->ResetReading();
        while (OGRFeatureUniquePtr f{open.layer->GetNextFeature()}) {
            char* wkt = nullptr;
            if (const OGRGeometry* g = f->GetGeometryRef()) {
                g->exportToWkt(&wkt);
            }
            text += std::to_string(f->GetFID()) + (wkt ? std::string(" ") + wkt : "") + "\n";
            CPLFree(wkt);
            for (int i = 0; i < f->GetFieldCount(); ++i) {
                text += std::string(f->IsFieldNull(i) ? "(null)" : f->GetFieldAsString(i)) + "|";
            }
            text += "\n";
        }
    }
    return text;
}

TEST_P(EveryDriver, WritesTheSameTablesWhenMadeWhileWriting) {
    // The first table's rows made as they are written (Table::make_row),
    // the others made by `meanwhile` while it is: the files hold what the
    // tables made beforehand give.
    const std::string driver = GetParam();
    TempDir dir;
    const EngineRun run = run_engine(write_workspace(dir / "plan.gpkg", plan_layers()));
    const std::string name = driver == "GPKG" ? "out.gpkg" : "out";
    const std::string before = dir / ("before-" + name);
    io::write_tables(run.tables, before, run.ws.crs_wkt, write_options(driver));

    std::vector<Table> tables(run.tables.size());
    for (std::size_t i = 0; i < tables.size(); ++i) {
        tables[i].name = run.tables[i].name;
    }
    const Table& first = run.tables.front();
    ASSERT_GT(first.rows.size(), 1u);
    tables[0] = {first.name, first.geometry, first.fields, {}};
    tables[0].make_row = [&first](std::size_t i, Row& row) { row = first.rows[i]; };
    tables[0].deferred_rows = first.rows.size();
    bool made = false;
    const std::string during = dir / ("during-" + name);
    io::write_tables(tables, during, run.ws.crs_wkt, write_options(driver), [&] {
        for (std::size_t i = 1; i < tables.size(); ++i) {
            tables[i] = run.tables[i];
        }
        made = true;
    });
    EXPECT_TRUE(made);
    EXPECT_EQ(dump_layers(during, driver), dump_layers(before, driver));
}

INSTANTIATE_TEST_SUITE_P(Drivers, EveryDriver,
                         testing::Values("GPKG", "GeoJSON", "ESRI Shapefile", "FlatGeobuf", "CSV"),
                         driver_name);

TEST(GeoJsonOutput, OneDotGeojsonFilePerLayer) {
    TempDir dir;
    const EngineRun run = run_engine(write_workspace(dir / "plan.gpkg", plan_layers()));
    io::write_tables(run.tables, dir / "out", run.ws.crs_wkt, write_options("GeoJSON"));
    std::set<std::string> files;
    for (const auto& entry : fs::directory_iterator(dir / "out")) {
        files.insert(entry.path().filename().string());
    }
    std::set<std::string> want;
    for (const std::string& layer : kLayers) {
        want.insert(layer + ".geojson");
    }
    // and the QGIS style of each layer that has one (qgis_style_test.cpp)
    for (const std::string layer :
         {"segments", "gaps", "markers", "commune_summary", "diagnostics"}) {
        want.insert(layer + ".qml");
    }
    EXPECT_EQ(files, want);
}

TEST(FlatGeobufOutput, KeepsRowsWithoutGeometry) {
    // GDAL's FlatGeobuf driver drops features without geometry and says
    // nothing: every table with such rows must come as CSV instead, whole.
    TempDir dir;
    const EngineRun run = run_engine(write_workspace(dir / "plan.gpkg", plan_layers()));
    io::write_tables(run.tables, dir / "out", run.ws.crs_wkt, write_options("FlatGeobuf"));
    for (const Table& table : run.tables) {
        const bool all_geometry =
            table.geometry != GeometryType::none &&
            std::all_of(table.rows.begin(), table.rows.end(), [](const Row& r) {
                return !std::holds_alternative<std::monostate>(r.geometry);
            });
        const std::string format = all_geometry ? "FlatGeobuf" : "CSV";
        EXPECT_TRUE(
            fs::exists(fs::path(dir / "out") / (table.name + (all_geometry ? ".fgb" : ".csv"))))
            << table.name;
        const OpenLayer open = open_layer(dir / "out", format, table.name);
        ASSERT_NE(open.layer, nullptr);
        EXPECT_EQ(open.layer->GetFeatureCount(TRUE), static_cast<GIntBig>(table.rows.size()))
            << table.name;
    }
}

// --- coordinates: RFC 7946 for GeoJSON, the workspace CRS for the others ----------------------

/// Point of feature `marker_id` in the markers layer.
std::optional<LonLat> marker_point(OGRLayer& layer, const std::string& marker_id) {
    layer.ResetReading();
    while (OGRFeatureUniquePtr f{layer.GetNextFeature()}) {
        if (marker_id == f->GetFieldAsString("marker_id")) {
            const OGRGeometry* g = f->GetGeometryRef();
            if (g == nullptr || wkbFlatten(g->getGeometryType()) != wkbPoint) {
                return std::nullopt;
            }
            return LonLat{g->toPoint()->getX(), g->toPoint()->getY()};
        }
    }
    return std::nullopt;
}

TEST(GeoJsonOutput, IsLonLatEvenFromAUtmWorkspace) {
    TempDir dir;
    const EngineRun run =
        run_engine(write_workspace(dir / "plan.gpkg", plan_layers(), {.epsg = 32648}));
    io::write_tables(run.tables, dir / "out", run.ws.crs_wkt, write_options("GeoJSON"));

    const OpenLayer markers = open_layer(dir / "out", "GeoJSON", "markers");
    ASSERT_NE(markers.layer, nullptr);
    const auto p = marker_point(*markers.layer, "22");
    ASSERT_TRUE(p.has_value());
    // RFC 7946 writes 7 decimals: within 1e-7 degree of the original lon/lat.
    EXPECT_NEAR(p->lon, kMarker22.lon, 1e-7);
    EXPECT_NEAR(p->lat, kMarker22.lat, 1e-7);

    // The segments begin where the line does, in lon/lat order.
    const OpenLayer segments = open_layer(dir / "out", "GeoJSON", "segments");
    ASSERT_NE(segments.layer, nullptr);
    segments.layer->ResetReading();
    OGRFeatureUniquePtr first{segments.layer->GetNextFeature()};
    ASSERT_TRUE(first);
    const OGRGeometry* g = first->GetGeometryRef();
    ASSERT_NE(g, nullptr);
    ASSERT_EQ(wkbFlatten(g->getGeometryType()), wkbLineString);
    EXPECT_NEAR(g->toLineString()->getX(0), kLine[0].lon, 1e-7);
    EXPECT_NEAR(g->toLineString()->getY(0), kLine[0].lat, 1e-7);

    // No "crs" member: RFC 7946 has none (WGS 84 is implied).
    const std::string text = slurp(layer_file(dir / "out", "markers"));
    EXPECT_EQ(text.find("\"crs\""), std::string::npos) << text.substr(0, 300);
}

TEST(GpkgOutput, KeepsTheWorkspaceCrs) {
    TempDir dir;
    const EngineRun run =
        run_engine(write_workspace(dir / "plan.gpkg", plan_layers(), {.epsg = 32648}));
    io::write_tables(run.tables, dir / "out.gpkg", run.ws.crs_wkt, {});
    const OpenLayer markers = open_layer(dir / "out.gpkg", "GPKG", "markers");
    ASSERT_NE(markers.layer, nullptr);
    const OGRSpatialReference* srs = markers.layer->GetSpatialRef();
    ASSERT_NE(srs, nullptr);
    ASSERT_NE(srs->GetAuthorityCode(nullptr), nullptr);
    EXPECT_STREQ(srs->GetAuthorityCode(nullptr), "32648");

    // Where marker 22 must be in UTM 48N: projected here with OGR/PROJ directly.
    OGRSpatialReference wgs84, utm;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    utm.importFromEPSG(32648);
    utm.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> ct(
        OGRCreateCoordinateTransformation(&wgs84, &utm));
    ASSERT_TRUE(ct);
    double x = kMarker22.lon, y = kMarker22.lat;
    ASSERT_TRUE(ct->Transform(1, &x, &y));
    const auto p = marker_point(*markers.layer, "22");
    ASSERT_TRUE(p.has_value());
    EXPECT_NEAR(p->lon, x, 1e-3); // metres
    EXPECT_NEAR(p->lat, y, 1e-3);
}

TEST(GpkgOutput, DiagnosticsKeepTheirFidField) {
    // Two problems in different layers of the input, both at OGR FID 3.
    Diagnostics diagnostics;
    for (const char* layer : {"markers", "assignments"}) {
        Diagnostic d;
        d.code = "duplicate-id";
        d.layer = layer;
        d.feature_id = "X";
        d.fid = 3;
        d.field = "marker_id";
        d.message = "test";
        diagnostics.add(d);
    }
    TempDir dir;
    const std::string out = dir / "diagnostics.gpkg";
    ASSERT_NO_THROW(io::write_tables({diagnostics_table(diagnostics)}, out, "", {}));
    const OpenLayer open = open_layer(out, "GPKG", "diagnostics");
    ASSERT_NE(open.layer, nullptr);
    EXPECT_EQ(open.layer->GetFeatureCount(TRUE), 2);
    // "fid" would be taken by GPKG as its primary key: the field is source_fid.
    const int fid_field = open.layer->GetLayerDefn()->GetFieldIndex("source_fid");
    ASSERT_GE(fid_field, 0);
    open.layer->ResetReading();
    OGRFeatureUniquePtr first{open.layer->GetNextFeature()};
    ASSERT_TRUE(first);
    EXPECT_EQ(first->GetFieldAsInteger64(fid_field), 3);
}

// --- all or nothing ----------------------------------------------------------------------------

std::set<std::string> listing(const fs::path& folder) {
    std::set<std::string> names;
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
        names.insert(fs::relative(entry.path(), folder).string());
    }
    return names;
}

/// Every file of a folder (or the file itself) with its bytes.
std::map<std::string, std::string> contents(const fs::path& path) {
    std::map<std::string, std::string> out;
    if (fs::is_regular_file(path)) {
        out[path.filename().string()] = slurp(path.string());
        return out;
    }
    for (const auto& entry : fs::recursive_directory_iterator(path)) {
        if (entry.is_regular_file()) {
            out[fs::relative(entry.path(), path).string()] = slurp(entry.path().string());
        }
    }
    return out;
}

class ExistingOutput : public testing::TestWithParam<std::string> {};

TEST_P(ExistingOutput, IsKeptWithoutOverwriteAndReplacedWithIt) {
    const std::string driver = GetParam();
    TempDir dir;
    const EngineRun run = run_engine(write_workspace(dir / "plan.gpkg", plan_layers()));
    const std::string out = dir / (driver == "GPKG" ? "out.gpkg" : "out");
    io::write_tables(run.tables, out, run.ws.crs_wkt, write_options(driver));
    const auto before = contents(out);
    const auto folder_before = listing(dir.path());

    try {
        io::write_tables(run.tables, out, run.ws.crs_wkt, write_options(driver));
        FAIL() << "an existing output was overwritten without overwrite";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("--overwrite"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(out), std::string::npos) << e.what();
    }
    EXPECT_EQ(contents(out), before);
    EXPECT_EQ(listing(dir.path()), folder_before);

    // With overwrite, an output of two layers replaces those two (here with
    // one row more) and leaves the earlier run's other layers as they were.
    std::vector<Table> two{find_table(run.tables, "line_summary"),
                           find_table(run.tables, "diagnostics")};
    two[0].rows.push_back(two[0].rows.front());
    io::write_tables(two, out, run.ws.crs_wkt, write_options(driver, true));
    const auto count = [&](const std::string& layer) -> GIntBig {
        const std::string file = driver == "GPKG" ? out : layer_file(out, layer);
        const DatasetPtr ds = file.empty() ? nullptr : open_vector(file);
        OGRLayer* l = !ds                ? nullptr
                      : driver == "GPKG" ? ds->GetLayerByName(layer.c_str())
                                         : ds->GetLayer(0);
        return l == nullptr ? -1 : l->GetFeatureCount(TRUE);
    };
    EXPECT_EQ(count("line_summary"), static_cast<GIntBig>(two[0].rows.size()));
    EXPECT_EQ(count("segments"),
              static_cast<GIntBig>(find_table(run.tables, "segments").rows.size()))
        << "a layer this run does not write is not its to remove";
    // Nothing else appeared beside it.
    std::set<std::string> top;
    for (const auto& entry : fs::directory_iterator(dir.path())) {
        top.insert(entry.path().filename().string());
    }
    EXPECT_EQ(top, (std::set<std::string>{"plan.gpkg", fs::path(out).filename().string()}));
}

INSTANTIATE_TEST_SUITE_P(Drivers, ExistingOutput,
                         testing::Values("GPKG", "GeoJSON", "ESRI Shapefile"), driver_name);

TEST(FailedWrite, IntoAMissingFolderLeavesNothing) {
    TempDir dir;
    const EngineRun run = run_engine(write_workspace(dir / "plan.gpkg", plan_layers()));
    const auto before = listing(dir.path());
    for (const std::string driver : {"GPKG", "GeoJSON", "ESRI Shapefile"}) {
        SCOPED_TRACE(driver);
        const std::string out =
            dir / ("missing/" + std::string(driver == "GPKG" ? "out.gpkg" : "out"));
        EXPECT_THROW(io::write_tables(run.tables, out, run.ws.crs_wkt, write_options(driver)),
                     IoError);
        EXPECT_FALSE(fs::exists(dir / "missing"));
        EXPECT_EQ(listing(dir.path()), before);
    }
}

TEST(FailedWrite, HalfWayLeavesNoTemporaryFiles) {
    // The last layer holds a point that has no place in UTM 48N (latitude 95):
    // the writer fails after writing every other layer to its temporary name.
    TempDir dir;
    const EngineRun run =
        run_engine(write_workspace(dir / "plan.gpkg", plan_layers(), {.epsg = 32648}));
    std::vector<Table> tables = run.tables;
    Table& diagnostics = tables.back();
    ASSERT_EQ(diagnostics.name, "diagnostics");
    ASSERT_FALSE(diagnostics.rows.empty());
    Row bad = diagnostics.rows.front();
    bad.geometry = LonLat{108.0, 95.0};
    diagnostics.rows.push_back(bad);

    const auto before = listing(dir.path());
    for (const std::string driver : {"GPKG", "GeoJSON", "ESRI Shapefile", "FlatGeobuf"}) {
        SCOPED_TRACE(driver);
        const std::string out = dir / (driver == "GPKG" ? "out.gpkg" : "out");
        // GeoJSON is always lon/lat and has no trouble with the point; the others fail.
        if (driver == "GeoJSON") {
            continue;
        }
        EXPECT_THROW(io::write_tables(tables, out, run.ws.crs_wkt, write_options(driver)), IoError);
        EXPECT_FALSE(fs::exists(out));
        EXPECT_EQ(listing(dir.path()), before) << "something was left behind";
    }
}

TEST(FailedWrite, WhenTheTablesMadeMeanwhileFailLeavesNothing) {
    TempDir dir;
    const EngineRun run = run_engine(write_workspace(dir / "plan.gpkg", plan_layers()));
    const auto before = listing(dir.path());
    for (const std::string driver : {"GPKG", "GeoJSON"}) {
        SCOPED_TRACE(driver);
        const std::string out = dir / (driver == "GPKG" ? "out.gpkg" : "out");
        std::vector<Table> tables = run.tables;
        EXPECT_THROW(io::write_tables(tables, out, run.ws.crs_wkt, write_options(driver),
                                      [] { throw DataError("the tables cannot be made"); }),
                     DataError);
        EXPECT_FALSE(fs::exists(out));
        EXPECT_EQ(listing(dir.path()), before) << "something was left behind";
    }
}

// --- the input is never touched ----------------------------------------------------------------

TEST(Input, IsUnchangedByARun) {
    TempDir dir;
    for (const std::string driver : {"GPKG", "ESRI Shapefile"}) {
        SCOPED_TRACE(driver);
        const std::string workspace = write_workspace(
            dir / (driver == "GPKG" ? "plan.gpkg" : "plan"), plan_layers(), {.driver = driver});
        const auto bytes = contents(workspace);
        std::map<std::string, fs::file_time_type> mtimes;
        for (const auto& [name, _] : bytes) {
            const fs::path p = driver == "GPKG" ? fs::path(workspace) : fs::path(workspace) / name;
            mtimes[name] = fs::last_write_time(p);
        }
        const EngineRun run = run_engine(workspace);
        io::write_tables(run.tables, dir / ("out-" + std::to_string(mtimes.size()) + ".gpkg"),
                         run.ws.crs_wkt, {});
        EXPECT_EQ(contents(workspace), bytes);
        for (const auto& [name, mtime] : mtimes) {
            const fs::path p = driver == "GPKG" ? fs::path(workspace) : fs::path(workspace) / name;
            EXPECT_EQ(fs::last_write_time(p), mtime) << name;
        }
    }
}

} // namespace
} // namespace bordercov
