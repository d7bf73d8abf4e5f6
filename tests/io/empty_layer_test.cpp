// A layer that is there but holds no feature: read to its end (GDAL 3.6's
// Arrow stream of an empty FlatGeobuf layer never ends, so such a layer must
// not go through it; ctest gives these tests a TIMEOUT, so a hang fails),
// named in an empty-layer warning that says what it means, and not refused
// for lacking a CRS it has no coordinate to need. A table without geometry
// converted to FlatGeobuf (ogr2ogr -f FlatGeobuf) comes out as such a layer:
// a geometry column of no type and no CRS, no feature, no count.
#include "bordercov/io/workspace_reader.hpp"
#include "detail/arrow_stream.hpp"
#include "fixture.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace bordercov {
namespace {

using test::TempDir;

struct Row {
    std::string wkt; ///< "" for no geometry
    std::vector<std::string> values;
};

/// A layer with text fields and the rows given, in EPSG:4326 or (crs
/// false) in no CRS.
void add_layer(GDALDataset& ds, const char* name, OGRwkbGeometryType type, bool crs,
               const std::vector<std::string>& fields, const std::vector<Row>& rows) {
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRLayer* layer = ds.CreateLayer(name, crs ? &wgs84 : nullptr, type, nullptr);
    ASSERT_NE(layer, nullptr) << name;
    for (const std::string& f : fields) {
        OGRFieldDefn defn(f.c_str(), OFTString);
        ASSERT_EQ(layer->CreateField(&defn), OGRERR_NONE);
    }
    for (const Row& r : rows) {
        OGRFeature f(layer->GetLayerDefn());
        for (std::size_t i = 0; i < r.values.size(); ++i) {
            f.SetField(static_cast<int>(i), r.values[i].c_str());
        }
        if (!r.wkt.empty()) {
            OGRGeometry* g = nullptr;
            ASSERT_EQ(OGRGeometryFactory::createFromWkt(r.wkt.c_str(), nullptr, &g), OGRERR_NONE);
            f.SetGeometryDirectly(g);
        }
        ASSERT_EQ(layer->CreateFeature(&f), OGRERR_NONE);
    }
}

test::DatasetPtr create(const char* driver, const std::string& path) {
    GDALAllRegister();
    return test::DatasetPtr(GetGDALDriverManager()->GetDriverByName(driver)->Create(
        path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
}

const Row border_line{"LINESTRING (107.60 13.60, 107.70 13.70)", {"L1"}};

/// A folder of FlatGeobuf files: one border line, an empty markers layer
/// with its CRS, and teams, assignments and marker_custodians as GDAL
/// writes a table without geometry (no type, no CRS) that holds no row.
std::string flatgeobuf_with_empty_layers(const TempDir& dir) {
    const std::string folder = dir / "fgb";
    const test::DatasetPtr ds = create("FlatGeobuf", folder);
    EXPECT_TRUE(ds);
    if (!ds) {
        return folder;
    }
    add_layer(*ds, "border_lines", wkbLineString, true, {"line_id"}, {border_line});
    add_layer(*ds, "markers", wkbPoint, true, {"marker_id"}, {});
    add_layer(*ds, "teams", wkbUnknown, false, {"team_id", "name"}, {});
    add_layer(*ds, "assignments", wkbUnknown, false, {"assignment_id", "party_type", "party_id"},
              {});
    add_layer(*ds, "marker_custodians", wkbUnknown, false, {"marker_id", "party_type", "party_id"},
              {});
    return folder;
}

struct Read {
    Workspace ws;
    Diagnostics diagnostics;
    std::size_t arrow_layers = 0;
};

Read read(const std::string& path, bool columnar, const std::string& assume_srs = "") {
    io::ReadOptions options;
    options.columnar = columnar;
    options.assume_srs = assume_srs;
    Read out;
    const std::size_t before = detail::arrow_layers_read();
    out.ws = io::read_workspace(path, out.diagnostics, options);
    out.arrow_layers = detail::arrow_layers_read() - before;
    return out;
}

/// The layers named in diagnostics of the code, in order.
std::vector<std::string> layers_with(const Diagnostics& diagnostics, const std::string& code) {
    std::vector<std::string> layers;
    for (const Diagnostic& d : diagnostics.items()) {
        if (d.code == code) {
            layers.push_back(d.layer);
        }
    }
    return layers;
}

using Layers = std::vector<std::string>;

TEST(EmptyLayer, EmptyFlatGeobufLayersAreReadToTheirEndAndNamed) {
    TempDir dir;
    const std::string folder = flatgeobuf_with_empty_layers(dir);
    for (const bool columnar : {true, false}) {
        for (const std::string assume : {"", "EPSG:4326"}) {
            SCOPED_TRACE(testing::Message()
                         << "columnar " << columnar << ", assume '" << assume << "'");
            const Read r = read(folder, columnar, assume);
            EXPECT_EQ(r.ws.lines.size(), 1u);
            EXPECT_TRUE(r.ws.markers.empty() && r.ws.teams.empty() && r.ws.assignments.empty() &&
                        r.ws.custodians.empty());
            // The stream still reads the layer whose count the file holds.
            EXPECT_EQ(r.arrow_layers, columnar ? 1u : 0u);
            // Nothing to place, so no CRS is missing and none is assumed.
            EXPECT_EQ(layers_with(r.diagnostics, "missing-crs"), Layers{});
            EXPECT_EQ(layers_with(r.diagnostics, "assumed-crs"), Layers{});
            EXPECT_EQ(layers_with(r.diagnostics, "empty-layer"),
                      (Layers{"markers", "teams", "assignments", "marker_custodians"}));
            for (const Diagnostic& d : r.diagnostics.items()) {
                EXPECT_EQ(d.severity, Severity::warning) << d.describe();
                EXPECT_EQ(d.file, folder + "/" + d.layer + ".fgb") << d.describe();
                EXPECT_NE(d.message.find("FlatGeobuf"), std::string::npos) << d.describe();
            }
            EXPECT_EQ(r.diagnostics.items().size(), 4u);
        }
    }
}

TEST(EmptyLayer, SayWhatAnEmptyLayerMeans) {
    TempDir dir;
    const std::string folder = flatgeobuf_with_empty_layers(dir);
    const Read r = read(folder, true);
    const auto message = [&](const std::string& layer) {
        for (const Diagnostic& d : r.diagnostics.items()) {
            if (d.layer == layer) {
                return d.message;
            }
        }
        return std::string{};
    };
    EXPECT_NE(message("assignments").find("all of it is a gap"), std::string::npos);
    EXPECT_NE(message("marker_custodians").find("no marker has a custodian"), std::string::npos);
    EXPECT_NE(message("teams").find("no figures per team"), std::string::npos);
    EXPECT_NE(message("markers").find("no marker is counted"), std::string::npos);
}

TEST(EmptyLayer, TheGiaLaiSampleConvertedToFlatGeobufIsReadToItsEnd) {
    // ogr2ogr -f FlatGeobuf DIR gia-lai.gpkg: the sample's teams and
    // marker_custodians have no geometry and come out empty.
    TempDir dir;
    const std::string sample = std::string(BORDERCOV_SOURCE_DIR) + "/geodata/gia-lai.gpkg";
    const std::string folder = dir / "fgb";
    ASSERT_TRUE(test::translate_to_flatgeobuf(sample, folder));
    for (const std::string assume : {"", "EPSG:4326"}) {
        const Read r = read(folder, true, assume);
        EXPECT_EQ(r.ws.households.size(), 6286u) << assume;
        EXPECT_TRUE(r.ws.teams.empty() && r.ws.custodians.empty()) << assume;
        EXPECT_EQ(layers_with(r.diagnostics, "empty-layer"), (Layers{"teams", "marker_custodians"}))
            << assume;
        EXPECT_EQ(r.diagnostics.count(Severity::error), 0u) << assume;
        EXPECT_EQ(layers_with(r.diagnostics, "assumed-crs"), Layers{}) << assume;
    }
}

TEST(EmptyLayer, AnEmptyGeoPackageLayerWithoutCrsIsNamedWithoutFlatGeobufAdvice) {
    TempDir dir;
    const std::string path = dir / "ws.gpkg";
    {
        const test::DatasetPtr ds = create("GPKG", path);
        ASSERT_TRUE(ds);
        add_layer(*ds, "border_lines", wkbLineString, true, {"line_id"}, {border_line});
        add_layer(*ds, "households", wkbPoint, false, {"household_id"}, {});
        add_layer(*ds, "assignments", wkbNone, false, {"assignment_id", "party_type", "party_id"},
                  {});
    }
    for (const bool columnar : {true, false}) {
        const Read r = read(path, columnar);
        EXPECT_EQ(layers_with(r.diagnostics, "missing-crs"), Layers{}) << columnar;
        EXPECT_EQ(layers_with(r.diagnostics, "empty-layer"), (Layers{"households", "assignments"}))
            << columnar;
        for (const Diagnostic& d : r.diagnostics.items()) {
            EXPECT_EQ(d.file, path) << d.describe();
            EXPECT_EQ(d.message.find("FlatGeobuf"), std::string::npos) << d.describe();
        }
    }
}

TEST(EmptyLayer, ALayerWhoseRowsAreAllDroppedIsNotEmpty) {
    // A row that is there but dropped for an error is named by that error.
    TempDir dir;
    const std::string path = dir / "ws.gpkg";
    {
        const test::DatasetPtr ds = create("GPKG", path);
        ASSERT_TRUE(ds);
        add_layer(*ds, "border_lines", wkbLineString, true, {"line_id"}, {border_line});
        add_layer(*ds, "assignments", wkbNone, false, {"assignment_id", "party_type", "party_id"},
                  {{"", {"A1", "neighbour", "H1"}}});
    }
    const Read r = read(path, true);
    EXPECT_TRUE(r.ws.assignments.empty());
    EXPECT_EQ(layers_with(r.diagnostics, "bad-party-type"), Layers{"assignments"});
    EXPECT_EQ(layers_with(r.diagnostics, "empty-layer"), Layers{});
}

TEST(EmptyLayer, MarkerCustodiansNeedNoCrsForAGeometryNeverRead) {
    // Custody rows carry no place; a geometry column without CRS (a
    // Shapefile without .prj, say) must not lose them.
    TempDir dir;
    const std::string path = dir / "ws.gpkg";
    {
        const test::DatasetPtr ds = create("GPKG", path);
        ASSERT_TRUE(ds);
        add_layer(*ds, "border_lines", wkbLineString, true, {"line_id"}, {border_line});
        add_layer(*ds, "marker_custodians", wkbPoint, false,
                  {"marker_id", "party_type", "party_id"},
                  {{"POINT (107.6 13.6)", {"1", "team", "T1"}}});
    }
    for (const bool columnar : {true, false}) {
        const Read r = read(path, columnar);
        ASSERT_EQ(r.ws.custodians.size(), 1u) << columnar;
        EXPECT_EQ(r.ws.custodians.front().marker_id, "1");
        EXPECT_TRUE(r.diagnostics.items().empty()) << r.diagnostics.items().front().describe();
    }
}

} // namespace
} // namespace bordercov
