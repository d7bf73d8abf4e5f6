// The two ways of reading a layer, GDAL's Arrow stream (where the driver
// reads columns natively: GeoPackage, FlatGeobuf) and GDAL's per-feature
// read (every driver; ReadOptions::columnar = false, BORDERCOV_READ=features),
// must give the same workspace and the same diagnostics, value for value and
// in the same order: on the Gia Lai sample, on every case of the bad-input
// corpus stored as a GeoPackage, and on values the Arrow stream lays out
// differently (nulls, empty text, Vietnamese text, numbers and dates in
// fields that are read as text).
#include "bordercov/error.hpp"
#include "bordercov/io/workspace_reader.hpp"
#include "detail/arrow_stream.hpp"
#include "fixture.hpp"

#include <fmt/format.h>
#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogrsf_frmts.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace bordercov {
namespace {

using test::TempDir;
namespace fs = std::filesystem;

std::string show(const std::optional<Date>& d) {
    return d ? d->iso() : "-";
}
template <typename T> std::string show(const std::optional<T>& v) {
    return v ? fmt::format("{}", *v) : "-";
}
std::string show(const std::optional<LonLat>& p) {
    return p ? fmt::format("({} {})", p->lon, p->lat) : "-";
}
std::string show(const std::vector<LonLat>& points) {
    std::string out;
    for (const LonLat& p : points) {
        out += fmt::format("({} {})", p.lon, p.lat);
    }
    return out;
}

/// Every value of the workspace, a line per feature, doubles written in
/// full (the shortest text that reads back as the same double).
std::vector<std::string> lines_of(const Workspace& ws) {
    std::vector<std::string> out{ws.path, ws.crs_wkt, ws.crs_name};
    for (const BorderLine& l : ws.lines) {
        std::string parts;
        for (const auto& part : l.parts()) {
            parts += "[" + show(part) + "]";
        }
        out.push_back(fmt::format("line {}|{}|{}|{}|{}|{}", l.line_id(), l.name, l.neighbour,
                                  l.neighbour_side, l.fid, parts));
    }
    for (const Marker& m : ws.markers) {
        out.push_back(fmt::format("marker {}|{}|{}|{}|{}|{}", m.marker_id, m.line_id, m.kind,
                                  show(m.built), show(std::optional<LonLat>(m.position)), m.fid));
    }
    for (const Commune& c : ws.communes) {
        std::string area;
        for (const Polygon& p : c.area) {
            for (const Ring& r : p) {
                area += "[" + show(r) + "]";
            }
            area += ";";
        }
        out.push_back(fmt::format("commune {}|{}|{}|{}|{}|{}", c.commune_id, c.name, c.district,
                                  c.province, area, c.fid));
    }
    for (const Team& t : ws.teams) {
        out.push_back(fmt::format("team {}|{}|{}|{}|{}|{}|{}|{}", t.team_id, t.name, t.commune_id,
                                  t.kind, t.leader, t.phone, show(t.position), t.fid));
    }
    for (const Household& h : ws.households) {
        out.push_back(fmt::format("household {}|{}|{}|{}|{}|{}|{}|{}", h.household_id, h.head,
                                  h.team_id, h.commune_id, show(h.members), h.phone, show(h.home),
                                  h.fid));
    }
    for (const Assignment& a : ws.assignments) {
        out.push_back(fmt::format("assignment {}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", a.assignment_id,
                                  to_string(a.party_type), a.party_id, a.line_id, a.from_marker,
                                  a.to_marker, show(a.from_km), show(a.to_km), show(a.drawn),
                                  show(a.signed_on), show(a.expires), a.fid));
    }
    for (const MarkerCustodian& c : ws.custodians) {
        out.push_back(fmt::format("custodian {}|{}|{}|{}|{}|{}", c.marker_id,
                                  to_string(c.party_type), c.party_id, show(c.signed_on),
                                  show(c.expires), c.fid));
    }
    for (const LayerSource& s : ws.sources) {
        out.push_back(fmt::format("source {}|{}|{}|{}|{}", s.file, s.layer, s.has_geometry,
                                  s.crs_wkt, fmt::join(s.fields, ",")));
    }
    return out;
}

std::vector<std::string> lines_of(const Diagnostics& diagnostics) {
    std::vector<std::string> out;
    for (const Diagnostic& d : diagnostics.items()) {
        out.push_back(fmt::format("{} {} {} where {}", to_string(d.severity), d.code, d.describe(),
                                  show(d.where)));
    }
    return out;
}

/// A workspace read one way: its lines, its diagnostics, or the error that
/// stopped the read, and how many layers came through the Arrow stream.
struct Read {
    std::vector<std::string> workspace;
    std::vector<std::string> diagnostics;
    std::string error;
    std::size_t arrow_layers = 0;
};

Read read(const std::string& path, bool columnar) {
    io::ReadOptions options;
    options.columnar = columnar;
    Read out;
    Diagnostics diagnostics;
    const std::size_t before = detail::arrow_layers_read();
    try {
        out.workspace = lines_of(io::read_workspace(path, diagnostics, options));
    } catch (const Error& e) {
        out.error = fmt::format("{} (exit {})", e.what(), static_cast<int>(e.code()));
    }
    out.arrow_layers = detail::arrow_layers_read() - before;
    out.diagnostics = lines_of(diagnostics);
    return out;
}

/// Reads the workspace both ways and compares; returns the layers read
/// through the Arrow stream.
std::size_t expect_same_both_ways(const std::string& path) {
    const Read columns = read(path, true);
    const Read features = read(path, false);
    EXPECT_EQ(features.arrow_layers, 0u) << path;
    EXPECT_EQ(columns.error, features.error) << path;
    EXPECT_EQ(columns.diagnostics, features.diagnostics) << path;
    EXPECT_EQ(columns.workspace.size(), features.workspace.size()) << path;
    for (std::size_t i = 0; i < std::min(columns.workspace.size(), features.workspace.size());
         ++i) {
        EXPECT_EQ(columns.workspace[i], features.workspace[i]) << path << ", line " << i;
    }
    return columns.arrow_layers;
}

TEST(ArrowRead, GiaLaiSampleIsTheSameBothWays) {
    const std::string sample = std::string(BORDERCOV_SOURCE_DIR) + "/geodata/gia-lai.gpkg";
    EXPECT_EQ(expect_same_both_ways(sample), 7u); // every layer through the Arrow stream
}

TEST(ArrowRead, GiaLaiSampleAsFlatGeobufIsTheSameBothWays) {
    TempDir dir;
    const std::string sample = std::string(BORDERCOV_SOURCE_DIR) + "/geodata/gia-lai.gpkg";
    const std::string folder = dir / "fgb";
    ASSERT_TRUE(test::translate_to_flatgeobuf(sample, folder));
    // FlatGeobuf stores no FID: both ways number the features alike.
    EXPECT_GT(expect_same_both_ways(folder), 0u);
}

/// Every layer file of a corpus case copied into one GeoPackage, a layer
/// per file named as the file; nullopt when GDAL cannot read one of them
/// (the cases about unreadable files).
std::optional<std::string> as_geopackage(const fs::path& case_dir, const std::string& out) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(case_dir)) {
        const std::string ext = entry.path().extension().string();
        if (ext == ".geojson" || ext == ".shp" || ext == ".csv") {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
        return std::nullopt;
    }
    for (const fs::path& file : files) {
        const std::string layer = file.stem().string();
        std::vector<std::string> args{"-nln", layer, "-skipfailures"};
        if (fs::exists(out)) {
            args.insert(args.begin(), "-update");
        }
        std::vector<char*> argv;
        for (std::string& a : args) {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);
        GDALVectorTranslateOptions* options = GDALVectorTranslateOptionsNew(argv.data(), nullptr);
        CPLPushErrorHandler(CPLQuietErrorHandler);
        GDALDatasetH src =
            GDALOpenEx(file.string().c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
        GDALDatasetH dst =
            src ? GDALVectorTranslate(fs::exists(out) ? nullptr : out.c_str(),
                                      fs::exists(out)
                                          ? GDALOpenEx(out.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE,
                                                       nullptr, nullptr, nullptr)
                                          : nullptr,
                                      1, &src, options, nullptr)
                : nullptr;
        GDALVectorTranslateOptionsFree(options);
        if (src) {
            GDALClose(src);
        }
        if (dst) {
            GDALClose(dst); // GDAL says here that it cannot store an infinite extent
        }
        CPLPopErrorHandler();
        if (dst == nullptr) {
            return std::nullopt;
        }
    }
    return out;
}

TEST(ArrowRead, BadInputCorpusAsGeoPackagesIsTheSameBothWays) {
    GDALAllRegister();
    TempDir dir;
    std::size_t compared = 0, gpkg_cases = 0;
    for (const auto& entry : fs::directory_iterator(BORDERCOV_BAD_CORPUS)) {
        if (!entry.is_directory()) {
            continue;
        }
        const std::string name = entry.path().filename().string();
        SCOPED_TRACE(name);
        if (fs::exists(entry.path() / "workspace.gpkg")) {
            expect_same_both_ways((entry.path() / "workspace.gpkg").string());
            ++gpkg_cases;
        }
        if (const auto gpkg = as_geopackage(entry.path(), dir / (name + ".gpkg"))) {
            if (expect_same_both_ways(*gpkg) > 0) {
                ++compared;
            }
        }
    }
    EXPECT_GE(gpkg_cases, 3u);
    EXPECT_GE(compared, 50u); // the cases GDAL can copy into a GeoPackage
}

/// A GeoPackage layer with fields of every type the reader meets, written
/// with GDAL directly: text, integers, reals and dates, each null, empty,
/// blank or holding Vietnamese text.
void write_layer(GDALDataset& ds, const char* name, OGRwkbGeometryType type,
                 const std::vector<std::pair<const char*, OGRFieldType>>& fields,
                 const std::vector<std::pair<std::string, std::vector<std::string>>>& rows) {
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    OGRLayer* layer = ds.CreateLayer(name, type == wkbNone ? nullptr : &wgs84, type, nullptr);
    ASSERT_NE(layer, nullptr);
    for (const auto& [field, field_type] : fields) {
        OGRFieldDefn defn(field, field_type);
        ASSERT_EQ(layer->CreateField(&defn), OGRERR_NONE);
    }
    for (const auto& [wkt, values] : rows) {
        OGRFeature f(layer->GetLayerDefn());
        if (!wkt.empty()) {
            OGRGeometry* g = nullptr;
            OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &g);
            f.SetGeometryDirectly(g);
        }
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (values[i] == "<null>") {
                f.SetFieldNull(static_cast<int>(i));
            } else {
                f.SetField(static_cast<int>(i), values[i].c_str());
            }
        }
        ASSERT_EQ(layer->CreateFeature(&f), OGRERR_NONE);
    }
}

/// A new, empty GeoPackage at path.
test::DatasetPtr new_geopackage(const std::string& path) {
    return test::DatasetPtr(GetGDALDriverManager()->GetDriverByName("GPKG")->Create(
        path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
}

TEST(ArrowRead, NullsEmptyTextVietnameseAndNumbersAsTextAreTheSameBothWays) {
    GDALAllRegister();
    TempDir dir;
    const std::string path = dir / "values.gpkg";
    {
        const test::DatasetPtr ds = new_geopackage(path);
        ASSERT_TRUE(ds);
        write_layer(*ds, "border_lines", wkbLineString,
                    {{"line_id", OFTString}, {"name", OFTString}, {"neighbour_side", OFTString}},
                    {{"LINESTRING (107.6 13.6, 107.7 13.7, 107.7 13.7, 107.8 13.75)",
                      {" L1 ", "Biên giới Việt Nam – Campuchia", "Trái"}},
                     {"LINESTRING (107.8 13.75, 107.9 13.8)", {"L2", "<null>", ""}},
                     {"", {"L3", "", "left"}}});
        write_layer(*ds, "markers", wkbPoint,
                    {{"marker_id", OFTInteger}, {"line_id", OFTString}, {"built", OFTDate}},
                    {{"POINT (107.6 13.6)", {"21", "L1", "2010-05-01"}},
                     {"POINT (107.7 13.7)", {"<null>", "L1", "<null>"}},
                     {"POINT (107.75 13.72)", {"22", "L1", "1899-12-31"}},
                     {"", {"23", "L1", "2038-01-20"}},
                     {"POINT (107.8 13.75)", {"21", "L1", "<null>"}}});
        write_layer(
            *ds, "communes", wkbMultiPolygon,
            {{"commune_id", OFTReal}, {"name", OFTString}, {"district", OFTString}},
            {{"MULTIPOLYGON (((107.5 13.5, 108 13.5, 108 14, 107.5 14, 107.5 13.5)))",
              {"1.5", "Ia Pnôn", "Đức Cơ"}},
             {"MULTIPOLYGON (((107 13, 107.5 13, 107.5 13.5, 107 13)))", {"2", "Ia Dom", "<null>"}},
             {"", {"0.1", "  ", ""}}});
        write_layer(*ds, "households", wkbPoint,
                    {{"household_id", OFTInteger64},
                     {"head", OFTString},
                     {"team_id", OFTString},
                     {"members", OFTString}},
                    {{"POINT (107.61 13.61)", {"9000000000", "Rơ Châm Ớt", "T1", "4"}},
                     {"POINT (107.62 13.62)", {"2", "Nguyễn Thị Ánh", "T1", "3,0"}},
                     {"", {"3", "<null>", "<null>", "bốn"}},
                     {"POINT (107.63 13.63)", {"4", "", " T1", "-1"}},
                     {"POINT (107.64 13.64)", {"5", "Ksor H'Bia", "T1", "2.5"}}});
        write_layer(*ds, "assignments", wkbLineString,
                    {{"assignment_id", OFTString},
                     {"party_type", OFTString},
                     {"party_id", OFTString},
                     {"line_id", OFTString},
                     {"from_km", OFTReal},
                     {"to_km", OFTString},
                     {"signed", OFTDate},
                     {"expires", OFTString}},
                    {{"", {"A1", "hộ", "9000000000", "L1", "0", "1,5", "2015-01-09", "2020-01-09"}},
                     {"", {"A2", "Tổ", "T1", "L1", "<null>", "", "<null>", "09/01/2020"}},
                     {"LINESTRING (107.6 13.6, 107.65 13.65)",
                      {"A3", "team", "T1", "<null>", "<null>", "<null>", "<null>", "tháng 1"}},
                     {"", {"A4", "đội", "T1", "L1", "0.25", "x", "<null>", "<null>"}}});
        write_layer(*ds, "marker_custodians", wkbNone,
                    {{"marker_id", OFTString},
                     {"party_type", OFTString},
                     {"party_id", OFTString},
                     {"signed", OFTDate}},
                    {{"", {"21", "household", "2", "2015-01-09"}},
                     {"", {"21", "household", "2", "<null>"}},
                     {"", {"22", "<null>", "T1", "<null>"}}});
    }
    EXPECT_EQ(expect_same_both_ways(path), 6u);
}

TEST(ArrowRead, ADateTimeFieldThatIsReadGoesFeatureByFeature) {
    GDALAllRegister();
    TempDir dir;
    const std::string path = dir / "datetime.gpkg";
    {
        const test::DatasetPtr ds = new_geopackage(path);
        ASSERT_TRUE(ds);
        write_layer(*ds, "border_lines", wkbLineString,
                    {{"line_id", OFTString}, {"edited", OFTDateTime}},
                    {{"LINESTRING (107.6 13.6, 107.8 13.75)", {"L1", "2015-01-09T23:30:00+07"}}});
        write_layer(*ds, "marker_custodians", wkbNone,
                    {{"marker_id", OFTString},
                     {"party_type", OFTString},
                     {"party_id", OFTString},
                     {"signed", OFTDateTime}},
                    {{"", {"21", "household", "2", "2015-01-09T23:30:00+07"}}});
    }
    // border_lines leaves its date-time out and comes through the stream;
    // marker_custodians reads its date-time, feature by feature.
    EXPECT_EQ(expect_same_both_ways(path), 1u);
}

} // namespace
} // namespace bordercov
