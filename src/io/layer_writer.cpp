#include "bordercov/io/layer_writer.hpp"

#include "bordercov/error.hpp"
#include "bordercov/io/qgis_style.hpp"
#include "detail/gdal_support.hpp"
#include "detail/layer_styles.hpp"
#include "detail/temporary_output.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <unistd.h>

namespace bordercov::io {

namespace fs = std::filesystem;

std::string shapefile_field_name(const std::string& field) {
    static const std::map<std::string, std::string> names{
        {"from_marker", "from_mark"},       {"to_marker", "to_mark"},
        {"owner_count", "owner_cnt"},       {"chainage_km", "chain_km"},
        {"custodian_count", "cust_cnt"},    {"nearest_party_id", "near_party"},
        {"nearest_party_km", "near_km"},    {"uncovered_km", "uncov_km"},
        {"coverage_pct", "cover_pct"},      {"markers_unowned", "mark_unown"},
        {"assignments", "assigns"},         {"markers_not_built", "not_built"},
        {"commune_name", "comm_name"},      {"nearest_party_name", "near_name"},
        {"nearest_party_type", "near_type"}, {"nearest_party_team_id", "near_team"},
        {"nearest_party_phone", "near_phone"}, {"markers_inside", "markers_in"},
    };
    const auto it = names.find(field);
    return it != names.end() ? it->second : field.substr(0, 10);
}

namespace {

struct DatasetCloser {
    void operator()(GDALDataset* ds) const { GDALClose(ds); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

/// Drivers that hold one layer per file, and the extension of those files:
/// the output is a folder of them.
const char* per_layer_extension(const std::string& driver) {
    static const std::map<std::string, const char*> extensions{
        {"GeoJSON", "geojson"}, {"GeoJSONSeq", "geojsonl"}, {"ESRI Shapefile", "shp"},
        {"FlatGeobuf", "fgb"},  {"CSV", "csv"},             {"MapInfo File", "tab"}};
    const auto it = extensions.find(driver);
    return it == extensions.end() ? nullptr : it->second;
}

OGRwkbGeometryType ogr_type(GeometryType t) {
    switch (t) {
    case GeometryType::point:
        return wkbPoint;
    case GeometryType::line_string:
        return wkbLineString;
    case GeometryType::multi_line_string:
        return wkbMultiLineString;
    case GeometryType::multi_polygon:
        return wkbMultiPolygon;
    case GeometryType::none:
        break;
    }
    return wkbNone;
}

OGRLineString* line_string(const std::vector<LonLat>& points) {
    auto* ls = new OGRLineString();
    ls->setNumPoints(static_cast<int>(points.size()), FALSE);
    for (std::size_t i = 0; i < points.size(); ++i) {
        ls->setPoint(static_cast<int>(i), points[i].lon, points[i].lat);
    }
    return ls;
}

std::unique_ptr<OGRGeometry> to_ogr(const Geometry& g) {
    struct Visitor {
        std::unique_ptr<OGRGeometry> operator()(std::monostate) const { return nullptr; }
        std::unique_ptr<OGRGeometry> operator()(const LonLat& p) const {
            return std::make_unique<OGRPoint>(p.lon, p.lat);
        }
        std::unique_ptr<OGRGeometry> operator()(const std::vector<LonLat>& line) const {
            return std::unique_ptr<OGRGeometry>(line_string(line));
        }
        std::unique_ptr<OGRGeometry> operator()(const std::vector<std::vector<LonLat>>& parts) const {
            auto multi = std::make_unique<OGRMultiLineString>();
            for (const auto& part : parts) {
                multi->addGeometryDirectly(line_string(part));
            }
            return multi;
        }
        std::unique_ptr<OGRGeometry> operator()(const MultiPolygon& area) const {
            auto multi = std::make_unique<OGRMultiPolygon>();
            for (const Polygon& polygon : area) {
                auto* p = new OGRPolygon();
                for (const Ring& ring : polygon) {
                    auto* r = new OGRLinearRing();
                    for (const LonLat& v : ring) {
                        r->addPoint(v.lon, v.lat);
                    }
                    p->addRingDirectly(r);
                }
                multi->addGeometryDirectly(p);
            }
            return multi;
        }
    };
    return std::visit(Visitor{}, g);
}

class Writer {
public:
    Writer(GDALDriver& driver, const std::string& driver_name, OGRSpatialReference srs,
           bool spatial_index)
        : driver_(driver), name_(driver_name), srs_(std::move(srs)), spatial_index_(spatial_index) {
        srs_.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        auto t = detail::make_transform(detail::wgs84_lonlat(), srs_);
        if (!t) {
            throw UsageError(fmt::format("PROJ finds no transformation from WGS 84 to the output "
                                         "CRS '{}'. Choose another --t-srs.",
                                         srs_.GetName() ? srs_.GetName() : "?"));
        }
        transform_ = std::move(*t);
    }

    DatasetPtr create(const std::string& path) {
        CPLErrorReset();
        DatasetPtr ds(driver_.Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds) {
            throw IoError(fmt::format("{}: cannot create the output with driver {}{}. Check that "
                                      "the folder exists and is writable.",
                                      path, name_, detail::last_gdal_error()));
        }
        return ds;
    }

    void write(GDALDataset& ds, const Table& table, const std::string& file) {
        std::vector<std::string> option_text;
        if (name_ == "GeoJSON") {
            option_text = {"RFC7946=YES"};
        } else if (name_ == "ESRI Shapefile") {
            option_text = {"ENCODING=UTF-8"};
        } else if (name_ == "CSV") {
            option_text = {"GEOMETRY=AS_WKT"};
        }
        if (!spatial_index_ && (name_ == "GPKG" || name_ == "FlatGeobuf")) {
            option_text.push_back("SPATIAL_INDEX=NO");
        }
        std::vector<char*> options;
        for (auto& o : option_text) {
            options.push_back(o.data());
        }
        options.push_back(nullptr);
        const OGRwkbGeometryType type = ogr_type(table.geometry);
        OGRLayer* layer = ds.CreateLayer(table.name.c_str(), type == wkbNone ? nullptr : &srs_, type,
                                         options.data());
        if (!layer) {
            fail(file, table.name, "cannot create the layer");
        }
        const bool shapefile = name_ == "ESRI Shapefile";
        for (const Field& f : table.fields) {
            const OGRFieldType ft = f.type == FieldType::text      ? OFTString
                                    : f.type == FieldType::integer ? OFTInteger64
                                                                   : OFTReal;
            OGRFieldDefn defn(shapefile ? shapefile_field_name(f.name).c_str() : f.name.c_str(), ft);
            if (shapefile && ft == OFTString) {
                defn.SetWidth(254);
            }
            if (shapefile && ft == OFTReal) {
                defn.SetWidth(20);
                defn.SetPrecision(6);
            }
            if (layer->CreateField(&defn) != OGRERR_NONE) {
                fail(file, table.name, fmt::format("cannot create field '{}'", f.name));
            }
        }
        // Where each field went: GDAL's KML driver puts Name and Description
        // fields of its own ahead of the table's.
        OGRFeatureDefn* layer_defn = layer->GetLayerDefn();
        std::vector<int> index;
        for (const Field& f : table.fields) {
            index.push_back(layer_defn->GetFieldIndex(shapefile ? shapefile_field_name(f.name).c_str()
                                                                : f.name.c_str()));
            if (index.back() < 0) {
                fail(file, table.name, fmt::format("cannot find field '{}' after creating it", f.name));
            }
        }
        // KML: each placemark named and coloured as the QGIS style shows the
        // row (a table's own "name" field stays the placemark's name).
        const bool kml = name_ == "KML" || name_ == "LIBKML";
        int placemark_name = kml ? layer_defn->GetFieldIndex("Name") : -1;
        if (kml && placemark_name < 0) {
            OGRFieldDefn defn("Name", OFTString);
            if (layer->CreateField(&defn) != OGRERR_NONE) {
                fail(file, table.name, "cannot create field 'Name'");
            }
            placemark_name = layer->GetLayerDefn()->GetFieldIndex("Name");
        }
        if (std::find(index.begin(), index.end(), placemark_name) != index.end()) {
            placemark_name = -1;
        }
        const bool transactions = ds.TestCapability(ODsCTransactions) != 0;
        if (transactions) {
            ds.StartTransaction();
        }
        OGRFeature feature(layer->GetLayerDefn());
        for (const Row& row : table.rows) {
            feature.Reset();
            for (std::size_t i = 0; i < row.values.size(); ++i) {
                const int fi = index[i];
                std::visit(
                    [&](const auto& v) {
                        using T = std::decay_t<decltype(v)>;
                        if constexpr (std::is_same_v<T, std::monostate>) {
                            feature.SetFieldNull(fi);
                        } else if constexpr (std::is_same_v<T, std::string>) {
                            feature.SetField(fi, v.c_str());
                        } else if constexpr (std::is_same_v<T, std::int64_t>) {
                            feature.SetField(fi, static_cast<GIntBig>(v));
                        } else {
                            feature.SetField(fi, v);
                        }
                    },
                    row.values[i]);
            }
            if (type != wkbNone) {
                if (std::unique_ptr<OGRGeometry> g = to_ogr(row.geometry)) {
                    if (transform_ && g->transform(transform_.get()) != OGRERR_NONE) {
                        fail(file, table.name, "cannot transform a geometry to the output CRS");
                    }
                    feature.SetGeometryDirectly(g.release());
                }
            }
            if (kml) {
                if (const std::string name = kml_name(table, row); !name.empty() && placemark_name >= 0) {
                    feature.SetField(placemark_name, name.c_str());
                }
                const std::string style = kml_style(table, row);
                feature.SetStyleString(style.empty() ? nullptr : style.c_str());
            }
            if (layer->CreateFeature(&feature) != OGRERR_NONE) {
                fail(file, table.name, "cannot write a feature");
            }
        }
        if (transactions && ds.CommitTransaction() != OGRERR_NONE) {
            fail(file, table.name, "cannot commit the layer");
        }
    }

private:
    [[noreturn]] void fail(const std::string& file, const std::string& layer, const std::string& what) {
        throw IoError(fmt::format("{}, layer '{}': {}{}. Check free disk space and permissions.",
                                  file, layer, what, detail::last_gdal_error()));
    }

    GDALDriver& driver_;
    std::string name_;
    OGRSpatialReference srs_;
    bool spatial_index_;
    detail::Transform transform_;
};

OGRSpatialReference output_srs(const std::string& driver, const std::string& workspace_crs_wkt,
                               const std::string& target_crs) {
    OGRSpatialReference srs;
    if (driver == "GeoJSON" || driver == "GeoJSONSeq" || driver == "KML" || driver == "LIBKML") {
        return detail::wgs84_lonlat(); // RFC 7946 and KML are WGS 84 lon/lat by definition
    }
    if (!target_crs.empty()) {
        if (srs.SetFromUserInput(target_crs.c_str()) != OGRERR_NONE) {
            throw UsageError(fmt::format("--t-srs '{}' is no CRS PROJ knows. Give e.g. EPSG:3405 "
                                         "or EPSG:4326.",
                                         target_crs));
        }
        return srs;
    }
    if (workspace_crs_wkt.empty() || srs.importFromWkt(workspace_crs_wkt.c_str()) != OGRERR_NONE) {
        return detail::wgs84_lonlat();
    }
    return srs;
}

} // namespace

namespace {

GDALDriver& output_driver(const std::string& name) {
    detail::register_gdal();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(name.c_str());
    if (driver == nullptr || !driver->GetMetadataItem(GDAL_DCAP_VECTOR) ||
        !driver->GetMetadataItem(GDAL_DCAP_CREATE)) {
        throw UsageError(fmt::format("'{}' is not a GDAL vector driver that can write. Use GPKG, "
                                     "GeoJSON, \"ESRI Shapefile\", FlatGeobuf or CSV.",
                                     name));
    }
    return *driver;
}

bool every_row_has_geometry(const Table& t) {
    return t.geometry != GeometryType::none &&
           std::all_of(t.rows.begin(), t.rows.end(),
                       [](const Row& r) { return !std::holds_alternative<std::monostate>(r.geometry); });
}

/// The file of a table in a per-layer output folder.
std::string layer_file_name(const Table& t, const std::string& driver, const char* ext) {
    if (driver == "FlatGeobuf" && !every_row_has_geometry(t)) {
        return t.name + ".csv";
    }
    if (driver == "ESRI Shapefile" && t.geometry == GeometryType::none) {
        return t.name + ".dbf";
    }
    return t.name + "." + ext;
}

/// Writes a layer's QGIS style as <layer>.qml into folder, when it has one:
/// QGIS applies it when it opens <layer>.geojson, .shp, .fgb, ... beside it.
void write_qml(const Table& t, const std::string& driver, const fs::path& folder, const fs::path& shown) {
    const std::string qml = qgis_style(t.name, driver);
    if (qml.empty()) {
        return;
    }
    const std::string file = t.name + ".qml";
    std::ofstream out(folder / file, std::ios::binary);
    out << qml;
    out.close();
    if (!out) {
        throw IoError(fmt::format("{}: cannot write the QGIS style. Check free disk space and "
                                  "permissions.",
                                  (shown / file).string()));
    }
}

} // namespace

LayerLocation layer_location(const Table& table, const std::string& out, const std::string& driver) {
    if (const char* ext = per_layer_extension(driver)) {
        return {(fs::path(out) / layer_file_name(table, driver, ext)).string(), table.name, true};
    }
    return {out, table.name, false};
}

void check_output(const std::string& out, const WriteOptions& options) {
    detail::QuietGdal quiet;
    output_driver(options.driver);
    output_srs(options.driver, {}, options.target_crs);
    std::error_code ec;
    const fs::path target(out);
    if (fs::exists(target, ec) && !options.overwrite) {
        throw IoError(fmt::format("{}: the output exists already; it is left as it is. Try "
                                  "--overwrite, or choose another -o.",
                                  out));
    }
    for (const std::string& input : options.inputs) {
        const fs::path in = fs::weakly_canonical(input, ec);
        const fs::path o = fs::weakly_canonical(target, ec);
        const auto [end, unused] = std::mismatch(o.begin(), o.end(), in.begin(), in.end());
        if (!o.empty() && end == o.end()) { // the input is the output, or lies inside it
            throw IoError(fmt::format("{}: that is where the input {} is; it is left as it is. "
                                      "Choose another -o.",
                                      out, input));
        }
    }
    const fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    if (!fs::is_directory(parent, ec)) {
        throw IoError(fmt::format("{}: the folder {} does not exist. Create it, or choose another -o.",
                                  out, parent.string()));
    }
}

namespace {

/// Closes a dataset and fails if GDAL reports an error on the way (a full
/// disk shows when the last buffers are flushed).
void close_checked(DatasetPtr& ds, const std::string& file) {
    CPLErrorReset();
    ds.reset();
    if (CPLGetLastErrorType() >= CE_Failure) {
        throw IoError(fmt::format("{}: writing failed when the file was closed{}. Check free disk "
                                  "space and permissions.",
                                  file, detail::last_gdal_error()));
    }
}

/// Reopens a written file and checks that every layer holds all its rows,
/// and a GeoPackage its QGIS styles: some drivers (GeoJSON, CSV) do not
/// report a write that fell short.
void verify(const std::string& file, const std::vector<const Table*>& tables, const std::string& shown,
            std::size_t styles = 0) {
    const DatasetPtr ds(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (styles > 0 && (!ds || ::bordercov::detail::count_layer_styles(*ds) != styles)) {
        throw IoError(fmt::format("{}, layer 'layer_styles': the QGIS styles written cannot be read "
                                  "back whole{}. Check free disk space and permissions.",
                                  shown, detail::last_gdal_error()));
    }
    for (const Table* t : tables) {
        OGRLayer* layer = ds ? (tables.size() == 1 && ds->GetLayerCount() == 1 ? ds->GetLayer(0)
                                                                              : ds->GetLayerByName(t->name.c_str()))
                             : nullptr;
        if (!layer || layer->GetFeatureCount(TRUE) != static_cast<GIntBig>(t->rows.size())) {
            throw IoError(fmt::format("{}, layer '{}': the file written cannot be read back whole{}. "
                                      "Check free disk space and permissions.",
                                      shown, t->name, detail::last_gdal_error()));
        }
    }
}

} // namespace

void write_tables(const std::vector<Table>& tables, const std::string& out,
                  const std::string& workspace_crs_wkt, const WriteOptions& options) {
    check_output(out, options);
    detail::QuietGdal quiet;
    CPLErrorReset();
    GDALDriver* driver = &output_driver(options.driver);
    std::error_code ec;
    const fs::path target(out);
    const OGRSpatialReference srs = output_srs(options.driver, workspace_crs_wkt, options.target_crs);
    Writer writer(*driver, options.driver, srs, options.spatial_index);

    // Everything goes to a temporary name beside the target, put in place at the end.
    detail::TemporaryOutput output(target);
    const fs::path& temporary = output.path();
    try {
        if (const char* ext = per_layer_extension(options.driver)) {
            if (!fs::create_directory(temporary, ec)) {
                throw IoError(fmt::format("{}: cannot create the output folder ({}). Check that "
                                          "the parent folder exists and is writable.",
                                          out, ec.message()));
            }
            std::unique_ptr<Writer> csv;
            for (const Table& t : tables) {
                if (options.driver == "FlatGeobuf" && !every_row_has_geometry(t)) {
                    // FlatGeobuf drops features without geometry (and says
                    // nothing): such tables go beside the .fgb files as CSV.
                    if (!csv) {
                        csv = std::make_unique<Writer>(output_driver("CSV"), "CSV", srs, false);
                    }
                    const std::string file = t.name + ".csv";
                    DatasetPtr ds = csv->create((temporary / file).string());
                    csv->write(*ds, t, (target / file).string());
                    close_checked(ds, (target / file).string());
                    verify((temporary / file).string(), {&t}, (target / file).string());
                    if (options.qgis_styles) {
                        write_qml(t, options.driver, temporary, target);
                    }
                    continue;
                }
                const std::string file = t.name + "." + ext;
                DatasetPtr ds = writer.create((temporary / file).string());
                writer.write(*ds, t, (target / file).string());
                close_checked(ds, (target / file).string());
                // A Shapefile layer without geometry is a .dbf alone.
                const fs::path written = fs::exists(temporary / file, ec) ? temporary / file
                                                                         : temporary / (t.name + ".dbf");
                verify(written.string(), {&t}, (target / file).string());
                if (options.qgis_styles) {
                    write_qml(t, options.driver, temporary, target);
                }
            }
        } else {
            DatasetPtr ds = writer.create(temporary.string());
            for (const Table& t : tables) {
                writer.write(*ds, t, out);
            }
            // QGIS applies a layer's style from the GeoPackage's own table.
            const std::size_t styles = options.qgis_styles && options.driver == "GPKG"
                                           ? ::bordercov::detail::write_layer_styles(*ds, tables, out)
                                           : 0;
            close_checked(ds, out); // close (and flush) before the rename
            std::vector<const Table*> all;
            for (const Table& t : tables) {
                all.push_back(&t);
            }
            verify(temporary.string(), all, out, styles);
        }
        output.put_in_place();
    } catch (const fs::filesystem_error& e) {
        throw IoError(fmt::format("{}: cannot put the output in place ({}).", out, e.what()));
    }
}

} // namespace bordercov::io
