// QGIS styles and projects: the GeoPackage's layer_styles table as QGIS
// creates and reads it, a .qml beside each styled GeoJSON or Shapefile layer
// naming the fields as that file has them, the .qgs with paths relative to
// itself, and KML placemarks named and coloured. Files are read back with
// GDAL and GDAL's XML parser, not with bordercov. (That QGIS itself applies
// them is the ctest labelled qgis, tests/qgis/check_qgis.py.)
#include "bordercov/coverage.hpp"
#include "bordercov/error.hpp"
#include "bordercov/io/layer_writer.hpp"
#include "bordercov/io/qgis_project.hpp"
#include "bordercov/io/qgis_style.hpp"
#include "bordercov/io/workspace_reader.hpp"
#include "bordercov/resolve.hpp"
#include "bordercov/table.hpp"
#include "fixture.hpp"

#include <cpl_minixml.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <regex>
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
using test::write_workspace;
namespace fs = std::filesystem;

/// A line of 3 markers in two communes, one household holding its first
/// 10 km: segments covered and uncovered, a gap, an unowned marker.
std::vector<FixtureLayer> plan_layers() {
    return {
        {"border_lines",
         {{"LINESTRING (107.6 13.6, 107.85 13.72, 108.05 13.83, 108.3 13.95)",
           {{"line_id", "L1"}, {"name", "Biên giới"}}}}},
        {"markers",
         {{"POINT (107.6 13.6)", {{"marker_id", "21"}, {"line_id", "L1"}}},
          {"POINT (108.05 13.83)", {{"marker_id", "21/1"}, {"line_id", "L1"}}},
          {"POINT (108.3 13.95)", {{"marker_id", "22"}, {"line_id", "L1"}}}}},
        {"communes",
         {{"POLYGON ((107.5 13.5, 108 13.5, 108 14.2, 107.5 14.2, 107.5 13.5))",
           {{"commune_id", "C1"}, {"name", "Ia Pnôn"}, {"district", "Đức Cơ"}}},
          {"POLYGON ((108 13.5, 108.5 13.5, 108.5 14.2, 108 14.2, 108 13.5))",
           {{"commune_id", "C2"}, {"name", "Ia Mơ"}, {"district", "Chư Prông"}}}}},
        {"households",
         {{"POINT (107.9 13.7)",
           {{"household_id", "H1"}, {"head", "Siu Blơn"}, {"commune_id", "C1"}}}}},
        {"assignments",
         {{"",
           {{"assignment_id", "A1"},
            {"party_type", "household"},
            {"party_id", "H1"},
            {"line_id", "L1"},
            {"from_km", "0"},
            {"to_km", "10"},
            {"signed", "2015-01-15"}}}}},
        {"marker_custodians",
         {{"",
           {{"marker_id", "21"},
            {"party_type", "household"},
            {"party_id", "H1"},
            {"signed", "2015-03-01"}}}}},
    };
}

io::WriteOptions write_options(const std::string& driver) {
    io::WriteOptions options;
    options.driver = driver;
    return options;
}

struct XmlDeleter {
    void operator()(CPLXMLNode* node) const { CPLDestroyXMLNode(node); }
};
using XmlPtr = std::unique_ptr<CPLXMLNode, XmlDeleter>;

/// The document's root element (GDAL's parser also returns the DOCTYPE).
const CPLXMLNode* root_element(const XmlPtr& doc, const char* name) {
    for (const CPLXMLNode* n = doc.get(); n != nullptr; n = n->psNext) {
        if (n->eType == CXT_Element && std::string(n->pszValue) == name) {
            return n;
        }
    }
    return nullptr;
}

/// Every element named `name` under node, depth first.
void find_all(const CPLXMLNode* node, const std::string& name,
              std::vector<const CPLXMLNode*>& out) {
    for (const CPLXMLNode* c = node->psChild; c != nullptr; c = c->psNext) {
        if (c->eType == CXT_Element) {
            if (name == c->pszValue) {
                out.push_back(c);
            }
            find_all(c, name, out);
        }
    }
}

std::vector<const CPLXMLNode*> find_all(const CPLXMLNode* node, const std::string& name) {
    std::vector<const CPLXMLNode*> out;
    find_all(node, name, out);
    return out;
}

/// The fields a QML style reads: the renderer's attr and every "quoted"
/// name in an expression (as QGIS quotes field names).
std::set<std::string> fields_read(const std::string& qml) {
    std::set<std::string> fields;
    static const std::regex attr("attr=\"([A-Za-z_0-9]+)\"");
    static const std::regex quoted("&quot;([A-Za-z_0-9]+)&quot;");
    static const std::regex label_field("fieldName=\"([A-Za-z_0-9]+)\" isExpression=\"0\"");
    for (const std::regex* r : {&attr, &quoted, &label_field}) {
        for (auto it = std::sregex_iterator(qml.begin(), qml.end(), *r);
             it != std::sregex_iterator(); ++it) {
            fields.insert((*it)[1]);
        }
    }
    return fields;
}

std::set<std::string> layer_fields(OGRLayer& layer) {
    std::set<std::string> names;
    OGRFeatureDefn* defn = layer.GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        names.insert(defn->GetFieldDefn(i)->GetNameRef());
    }
    return names;
}

const std::set<std::string> kStyled{"commune_summary", "diagnostics", "gaps", "markers",
                                    "segments"};

// --- the styles themselves ---------------------------------------------------------------------

TEST(QgisStyle, EveryStyledLayerHasWellFormedQml) {
    const std::vector<std::string> layers = io::styled_layers();
    EXPECT_EQ(std::set<std::string>(layers.begin(), layers.end()), kStyled);
    for (const std::string& layer : layers) {
        for (const std::string driver : {"GPKG", "ESRI Shapefile"}) {
            SCOPED_TRACE(layer + " " + driver);
            const std::string qml = io::qgis_style(layer, driver);
            EXPECT_EQ(qml.find("{{"), std::string::npos) << "a field placeholder is left";
            const XmlPtr doc(CPLParseXMLString(qml.c_str()));
            ASSERT_TRUE(doc) << "not XML";
            const CPLXMLNode* root = root_element(doc, "qgis");
            ASSERT_NE(root, nullptr);
            EXPECT_EQ(find_all(root, "renderer-v2").size(), 1u);
        }
    }
    EXPECT_EQ(io::qgis_style("team_summary"), "");
    EXPECT_EQ(io::qgis_style("assignments"), "") << "a layer of another command has no style";
}

TEST(QgisStyle, RendersTheStatusOfSegmentsAndMarkers) {
    const XmlPtr segments(CPLParseXMLString(io::qgis_style("segments").c_str()));
    const CPLXMLNode* renderer = find_all(root_element(segments, "qgis"), "renderer-v2").at(0);
    EXPECT_STREQ(CPLGetXMLValue(renderer, "type", ""), "categorizedSymbol");
    EXPECT_STREQ(CPLGetXMLValue(renderer, "attr", ""), "status");
    std::set<std::string> values;
    for (const CPLXMLNode* c : find_all(renderer, "category")) {
        values.insert(CPLGetXMLValue(c, "value", ""));
    }
    EXPECT_EQ(values, (std::set<std::string>{"covered", "uncovered", "overlap"}));

    const XmlPtr markers(CPLParseXMLString(io::qgis_style("markers").c_str()));
    values.clear();
    for (const CPLXMLNode* c : find_all(root_element(markers, "qgis"), "category")) {
        values.insert(CPLGetXMLValue(c, "value", ""));
    }
    EXPECT_EQ(values, (std::set<std::string>{"custodied", "unowned"}));
}

// --- GeoPackage: the layer_styles table ---------------------------------------------------------

TEST(QgisStyleGpkg, LayerStylesHoldsADefaultStylePerStyledLayer) {
    TempDir dir;
    const EngineRun run = run_engine(write_workspace(dir / "plan.gpkg", plan_layers()));
    const std::string out = dir / "out.gpkg";
    io::write_tables(run.tables, out, run.ws.crs_wkt, write_options("GPKG"));

    const DatasetPtr ds = open_vector(out);
    ASSERT_TRUE(ds);
    OGRLayer* styles = ds->GetLayerByName("layer_styles");
    ASSERT_NE(styles, nullptr);
    // The columns QGIS's OGR provider creates and queries, by these names.
    const std::vector<std::string> columns{
        "f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column",
        "styleName",       "styleQML",       "styleSLD",     "useAsDefault",
        "description",     "owner",          "ui",           "update_time"};
    std::vector<std::string> got;
    OGRFeatureDefn* defn = styles->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        got.push_back(defn->GetFieldDefn(i)->GetNameRef());
    }
    EXPECT_EQ(got, columns);
    EXPECT_EQ(defn->GetFieldDefn(defn->GetFieldIndex("useAsDefault"))->GetSubType(), OFSTBoolean);
    EXPECT_STREQ(styles->GetFIDColumn(), "id");

    std::set<std::string> styled;
    styles->ResetReading();
    while (OGRFeatureUniquePtr f{styles->GetNextFeature()}) {
        const std::string table = f->GetFieldAsString("f_table_name");
        SCOPED_TRACE(table);
        styled.insert(table);
        // QGIS loads the style whose schema is '' and whose table and
        // geometry column are the layer's.
        EXPECT_TRUE(f->IsFieldSetAndNotNull(defn->GetFieldIndex("f_table_schema")));
        EXPECT_STREQ(f->GetFieldAsString("f_table_schema"), "");
        OGRLayer* layer = ds->GetLayerByName(table.c_str());
        ASSERT_NE(layer, nullptr);
        EXPECT_STREQ(f->GetFieldAsString("f_geometry_column"), layer->GetGeometryColumn());
        EXPECT_STRNE(layer->GetGeometryColumn(), "");
        EXPECT_EQ(f->GetFieldAsInteger("useAsDefault"), 1);
        EXPECT_TRUE(f->IsFieldSetAndNotNull(defn->GetFieldIndex("update_time")));
        const std::string qml = f->GetFieldAsString("styleQML");
        EXPECT_EQ(qml, io::qgis_style(table, "GPKG"));
        for (const std::string& field : fields_read(qml)) {
            EXPECT_EQ(layer_fields(*layer).count(field), 1u)
                << "the style reads a field the layer lacks: " << field;
        }
    }
    EXPECT_EQ(styled, kStyled);
    // The result layers are all there, and layer_styles besides.
    EXPECT_EQ(ds->GetLayerCount(), static_cast<int>(run.tables.size()) + 1);
}

TEST(QgisStyleGpkg, NoStylesWhenAskedForNone) {
    TempDir dir;
    const EngineRun run = run_engine(write_workspace(dir / "plan.gpkg", plan_layers()));
    io::WriteOptions options = write_options("GPKG");
    options.qgis_styles = false;
    io::write_tables(run.tables, dir / "out.gpkg", run.ws.crs_wkt, options);
    const DatasetPtr ds = open_vector(dir / "out.gpkg");
    ASSERT_TRUE(ds);
    EXPECT_EQ(ds->GetLayerCount(), static_cast<int>(run.tables.size()));
}

// --- per-layer formats: a .qml beside each styled layer -----------------------------------------

class QmlBeside : public testing::TestWithParam<std::string> {};

TEST_P(QmlBeside, EachStyledLayerNamingTheFieldsOfItsFile) {
    const std::string driver = GetParam();
    const std::string ext = driver == "GeoJSON" ? ".geojson" : ".shp";
    TempDir dir;
    const EngineRun run = run_engine(write_workspace(dir / "plan.gpkg", plan_layers()));
    const fs::path out = dir / "out";
    io::write_tables(run.tables, out.string(), run.ws.crs_wkt, write_options(driver));
    for (const Table& t : run.tables) {
        SCOPED_TRACE(t.name);
        const fs::path qml = out / (t.name + ".qml");
        if (!kStyled.count(t.name)) {
            // A Shapefile's table gets the full names of renamed fields as
            // QGIS aliases, and nothing else.
            if (fs::exists(qml)) {
                EXPECT_EQ(driver, "ESRI Shapefile");
                EXPECT_NE(slurp(qml).find("<aliases>"), std::string::npos);
                EXPECT_EQ(slurp(qml).find("renderer"), std::string::npos);
            }
            continue;
        }
        ASSERT_TRUE(fs::exists(qml));
        ASSERT_TRUE(fs::exists(out / (t.name + ext))) << "QGIS applies <name>.qml to <name>" << ext;
        std::string text = slurp(qml);
        if (driver == "ESRI Shapefile" && text.find("<aliases>") != std::string::npos) {
            // The style, with the full names of renamed fields as aliases.
            const std::size_t begin = text.find("  <aliases>\n");
            const std::size_t end = text.find("  </aliases>\n");
            ASSERT_NE(begin, std::string::npos);
            ASSERT_NE(end, std::string::npos);
            text.erase(begin, end + 13 - begin);
            text.replace(text.find("styleCategories=\"Fields|"), 24, "styleCategories=\"");
        }
        EXPECT_EQ(text, io::qgis_style(t.name, driver));
        const DatasetPtr ds = open_vector((out / (t.name + ext)).string());
        ASSERT_TRUE(ds);
        if (t.rows.empty() && driver == "GeoJSON") {
            continue; // an empty FeatureCollection has no fields to read
        }
        const std::set<std::string> fields = layer_fields(*ds->GetLayer(0));
        for (const std::string& field : fields_read(text)) {
            EXPECT_EQ(fields.count(field), 1u)
                << "the style reads a field the file lacks: " << field;
        }
    }
    if (driver == "ESRI Shapefile") {
        // The 10-character names of the documented mapping.
        const std::set<std::string> segments = fields_read(slurp(out / "segments.qml"));
        EXPECT_EQ(segments.count("owner_cnt"), 1u);
        EXPECT_EQ(segments.count("owner_count"), 0u);
        const std::set<std::string> communes = fields_read(slurp(out / "commune_summary.qml"));
        EXPECT_EQ(communes.count("cover_pct"), 1u);
        EXPECT_EQ(communes.count("coverage_pct"), 0u);
    }
}

std::string driver_name(const testing::TestParamInfo<std::string>& param) {
    return param.param == "ESRI Shapefile" ? "Shapefile" : param.param;
}

INSTANTIATE_TEST_SUITE_P(Drivers, QmlBeside, testing::Values("GeoJSON", "ESRI Shapefile"),
                         driver_name);

// --- the QGIS project ---------------------------------------------------------------------------

struct Project {
    XmlPtr doc;
    const CPLXMLNode* root = nullptr;
    std::map<std::string, std::string> sources; ///< layer name -> datasource
};

Project read_project(const std::string& path) {
    Project p;
    p.doc.reset(CPLParseXMLString(slurp(path).c_str()));
    if (!p.doc) {
        ADD_FAILURE() << path << " is not XML";
        return p;
    }
    p.root = root_element(p.doc, "qgis");
    if (p.root == nullptr) {
        ADD_FAILURE() << path << " has no <qgis> root";
        return p;
    }
    for (const CPLXMLNode* layer : find_all(p.root, "maplayer")) {
        p.sources[CPLGetXMLValue(layer, "layername", "")] = CPLGetXMLValue(layer, "datasource", "");
    }
    return p;
}

TEST(QgisProject, ReferencesTheGpkgByRelativePaths) {
    TempDir dir;
    const EngineRun run = run_engine(write_workspace(dir / "plan.gpkg", plan_layers()));
    fs::create_directories(dir.path() / "data");
    fs::create_directories(dir.path() / "maps");
    const std::string out = dir / "data/out.gpkg";
    const io::WriteOptions write = write_options("GPKG");
    io::write_tables(run.tables, out, run.ws.crs_wkt, write);
    io::write_qgis_project(dir / "beside.qgs", run.tables, out, write);
    io::write_qgis_project(dir / "maps/elsewhere.qgs", run.tables, out, write);

    for (const auto& [project, prefix] : std::vector<std::pair<std::string, std::string>>{
             {dir / "beside.qgs", "./data/out.gpkg"},
             {dir / "maps/elsewhere.qgs", "../data/out.gpkg"}}) {
        SCOPED_TRACE(project);
        const Project p = read_project(project);
        ASSERT_NE(p.root, nullptr);
        ASSERT_EQ(p.sources.size(), run.tables.size());
        for (const Table& t : run.tables) {
            EXPECT_EQ(p.sources.at(t.name), prefix + "|layername=" + t.name);
        }
        // The layer tree names the same sources, and nothing names the
        // absolute path of the temporary folder.
        for (const CPLXMLNode* l : find_all(p.root, "layer-tree-layer")) {
            EXPECT_EQ(std::string(CPLGetXMLValue(l, "source", "")).rfind(prefix, 0), 0u);
        }
        EXPECT_EQ(slurp(project).find(dir.path().string()), std::string::npos);
        EXPECT_STREQ(CPLGetXMLValue(p.root, "properties.Paths.Absolute", ""), "false");
        // The project CRS is the output's.
        EXPECT_STREQ(CPLGetXMLValue(p.root, "projectCrs.spatialrefsys.authid", ""), "EPSG:4326");
        std::vector<std::string> groups;
        for (const CPLXMLNode* g : find_all(p.root, "layer-tree-group")) {
            if (const char* name = CPLGetXMLValue(g, "name", nullptr)) {
                groups.emplace_back(name);
            }
        }
        EXPECT_EQ(groups,
                  (std::vector<std::string>{"diagnostics", "markers", "coverage", "communes"}));
    }
}

TEST(QgisProject, OfAShapefileFolderInAProjectedCrs) {
    TempDir dir;
    const EngineRun run = run_engine(write_workspace(dir / "plan.gpkg", plan_layers()));
    io::WriteOptions write = write_options("ESRI Shapefile");
    write.target_crs = "EPSG:32648";
    io::write_tables(run.tables, dir / "shp", run.ws.crs_wkt, write);
    io::write_qgis_project(dir / "shp.qgs", run.tables, dir / "shp", write);
    const Project p = read_project(dir / "shp.qgs");
    ASSERT_NE(p.root, nullptr);
    EXPECT_EQ(p.sources.at("segments"), "./shp/segments.shp");
    EXPECT_EQ(p.sources.at("line_summary"), "./shp/line_summary.dbf");
    EXPECT_STREQ(CPLGetXMLValue(p.root, "projectCrs.spatialrefsys.authid", ""), "EPSG:32648");
    EXPECT_STREQ(CPLGetXMLValue(p.root, "mapcanvas.units", ""), "meters");
    // The styles in the project read the Shapefile's field names.
    const std::set<std::string> fields = fields_read(slurp(dir / "shp.qgs"));
    EXPECT_EQ(fields.count("cover_pct"), 1u);
    EXPECT_EQ(fields.count("coverage_pct"), 0u);
}

TEST(QgisProject, IsKeptWithoutOverwriteAndNeverAQgz) {
    TempDir dir;
    const EngineRun run = run_engine(write_workspace(dir / "plan.gpkg", plan_layers()));
    const std::string out = dir / "out.gpkg";
    const io::WriteOptions write = write_options("GPKG");
    io::write_tables(run.tables, out, run.ws.crs_wkt, write);
    { std::ofstream(dir / "mine.qgs") << "<qgis/>"; }
    try {
        io::write_qgis_project(dir / "mine.qgs", run.tables, out, write);
        FAIL() << "an existing project was replaced without overwrite";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("--overwrite"), std::string::npos) << e.what();
    }
    EXPECT_EQ(slurp(dir / "mine.qgs"), "<qgis/>");
    io::ProjectOptions overwrite;
    overwrite.overwrite = true;
    io::write_qgis_project(dir / "mine.qgs", run.tables, out, write, overwrite);
    EXPECT_NE(slurp(dir / "mine.qgs").find("<projectlayers>"), std::string::npos);

    EXPECT_THROW(io::write_qgis_project(dir / "p.qgz", run.tables, out, write), UsageError);
    EXPECT_THROW(io::check_qgis_project(dir / "p.qgs", "", write, {}), UsageError);
    EXPECT_THROW(io::check_qgis_project(out, out, write, {}), UsageError);
    // Nothing but the inputs, the output and the project.
    std::set<std::string> files;
    for (const auto& entry : fs::directory_iterator(dir.path())) {
        files.insert(entry.path().filename().string());
    }
    EXPECT_EQ(files, (std::set<std::string>{"plan.gpkg", "out.gpkg", "mine.qgs"}));
}

TEST(QgisProject, FromTheCommandLine) {
    TempDir dir;
    const std::string workspace = write_workspace(dir / "plan.gpkg", plan_layers());
    const std::string out = dir / "out.gpkg";
    const std::string project = dir / "out.qgs";
    const test::RunResult r = test::run_bordercov(
        {"coverage", workspace, "--as-of", "2016-01-01", "-o", out, "--qgis-project", project});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(read_project(project).sources.at("gaps"), "./out.gpkg|layername=gaps");

    // An existing project is refused before anything is written.
    fs::remove(out);
    const test::RunResult again = test::run_bordercov(
        {"coverage", workspace, "--as-of", "2016-01-01", "-o", out, "--qgis-project", project});
    EXPECT_EQ(again.code, 3) << again.err;
    EXPECT_NE(again.err.find("--overwrite"), std::string::npos) << again.err;
    EXPECT_FALSE(fs::exists(out));

    const test::RunResult no_output =
        test::run_bordercov({"coverage", workspace, "--qgis-project", dir / "x.qgs"});
    EXPECT_EQ(no_output.code, 2) << no_output.err;
}

// --- KML: placemarks named and coloured ---------------------------------------------------------

class KmlOutput : public testing::TestWithParam<std::string> {};

TEST_P(KmlOutput, KeepsEveryFieldInItsPlaceAndNamesThePlacemarks) {
    const std::string driver = GetParam();
    TempDir dir;
    const EngineRun run = run_engine(write_workspace(dir / "plan.gpkg", plan_layers()));
    const std::string out = dir / "out.kml";
    io::write_tables(run.tables, out, run.ws.crs_wkt, write_options(driver));
    const DatasetPtr ds = open_vector(out);
    ASSERT_TRUE(ds);
    OGRLayer* markers = ds->GetLayerByName("markers");
    ASSERT_NE(markers, nullptr);
    const Table& table = find_table(run.tables, "markers");
    std::map<std::string, std::string> status; // marker_id -> status, as written
    markers->ResetReading();
    while (OGRFeatureUniquePtr f{markers->GetNextFeature()}) {
        status[f->GetFieldAsString("marker_id")] = f->GetFieldAsString("status");
        // The placemark's name is the marker's id.
        EXPECT_STREQ(f->GetFieldAsString("Name"), f->GetFieldAsString("marker_id"));
    }
    std::map<std::string, std::string> want;
    for (const Row& r : table.rows) {
        want[std::get<std::string>(r.values[table.column("marker_id")])] =
            std::get<std::string>(r.values[table.column("status")]);
    }
    EXPECT_EQ(status, want);
    // An uncovered segment is red (KML colours are aabbggrr).
    const std::string text = slurp(out);
    EXPECT_NE(text.find(driver == "KML" ? "FF1c19d7" : "ff1c19d7"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Drivers, KmlOutput, testing::Values("KML", "LIBKML"));

} // namespace
} // namespace bordercov
