#include "bordercov/io/layer_writer.hpp"

#include "bordercov/error.hpp"
#include "bordercov/io/qgis_style.hpp"
#include "bordercov/text.hpp"
#include "detail/gdal_support.hpp"
#include "detail/gpkg_rtree.hpp"
#include "detail/layer_styles.hpp"
#include "detail/postgis_output.hpp"
#include "detail/temporary_output.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <functional>
#include <future>
#include <map>
#include <optional>
#include <unistd.h>

namespace bordercov::io {

namespace fs = std::filesystem;

std::string shapefile_field_name(const std::string& field) {
    static const std::map<std::string, std::string> names{
        {"from_marker", "from_mark"},
        {"to_marker", "to_mark"},
        {"owner_count", "owner_cnt"},
        {"chainage_km", "chain_km"},
        {"custodian_count", "cust_cnt"},
        {"nearest_party_id", "near_party"},
        {"nearest_party_km", "near_km"},
        {"uncovered_km", "uncov_km"},
        {"coverage_pct", "cover_pct"},
        {"markers_unowned", "mark_unown"},
        {"assignments", "assigns"},
        {"markers_not_built", "not_built"},
        {"commune_name", "comm_name"},
        {"nearest_party_name", "near_name"},
        {"nearest_party_type", "near_type"},
        {"nearest_party_team_id", "near_team"},
        {"nearest_party_phone", "near_phone"},
        {"markers_inside", "markers_in"},
    };
    const auto it = names.find(field);
    return it != names.end() ? it->second : field.substr(0, 10);
}

/// The names a table's fields get in a Shapefile: the documented map, else
/// cut to 10 characters, made unique with a digit where two would clash.
std::vector<std::string> shapefile_field_names(const std::vector<Field>& fields) {
    std::vector<std::string> names;
    for (const Field& f : fields) {
        std::string name = shapefile_field_name(f.name);
        for (int k = 1; std::find(names.begin(), names.end(), name) != names.end(); ++k) {
            const std::string digit = std::to_string(k);
            name = shapefile_field_name(f.name).substr(0, 10 - digit.size()) + digit;
        }
        names.push_back(name);
    }
    return names;
}

namespace {

using detail::DatasetPtr;

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
        std::unique_ptr<OGRGeometry>
        operator()(const std::vector<std::vector<LonLat>>& parts) const {
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

/// Text cut to at most max bytes without splitting a UTF-8 character.
std::string cut_utf8(const std::string& s, std::size_t max) {
    if (s.size() <= max) {
        return s;
    }
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) {
        --n; // s[n] continues a character: cut before it starts
    }
    return s.substr(0, n);
}

/// Shapefile (dBASE) text fields hold at most 254 bytes.
constexpr std::size_t kShapefileTextBytes = 254;

/// What a layer could not hold whole: per field, the values cut.
struct LayerCuts {
    std::map<std::string, std::size_t> values_cut; ///< field -> values cut to 254 bytes
};

class Writer {
  public:
    Writer(std::string driver_name, OGRSpatialReference srs, const WriteOptions& options)
        : name_(std::move(driver_name)), srs_(std::move(srs)), options_(options) {
        driver_ = GetGDALDriverManager()->GetDriverByName(name_.c_str());
        srs_.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        auto t = detail::make_transform(detail::wgs84_lonlat(), srs_);
        if (!t) {
            throw UsageError(fmt::format("PROJ finds no transformation from WGS 84 to the output "
                                         "CRS '{}'. Choose another --t-srs.",
                                         srs_.GetName() ? srs_.GetName() : "?"));
        }
        transform_ = std::move(*t);
    }

    DatasetPtr create(const std::string& path, const std::string& shown) {
        CPLErrorReset();
        DatasetPtr ds(driver_->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds) {
            throw IoError(fmt::format("{}: cannot create the output with driver {}{}. Check that "
                                      "the folder is writable.",
                                      shown, name_, detail::last_gdal_error()));
        }
        return ds;
    }

    /// Writes one table as a new layer of ds; `shown` is the name the user
    /// knows the file by.
    /// `extra`: layer creation options of the output's own (a database's schema).
    LayerCuts write(GDALDataset& ds, const Table& table, const std::string& shown,
                    const std::vector<std::string>& extra = {}) {
        const OGRwkbGeometryType type = ogr_type(table.geometry);
        // A GeoPackage's spatial index is packed once the rows are in
        // (detail/gpkg_rtree.hpp), not built by GDAL row by row.
        const bool own_index = name_ == "GPKG" && options_.spatial_index && type != wkbNone;
        std::vector<std::string> option_text = layer_options(own_index);
        option_text.insert(option_text.end(), extra.begin(), extra.end());
        std::vector<char*> options;
        for (auto& o : option_text) {
            options.push_back(o.data());
        }
        options.push_back(nullptr);
        OGRLayer* layer = ds.CreateLayer(table.name.c_str(), type == wkbNone ? nullptr : &srs_,
                                         type, options.data());
        if (!layer) {
            fail(shown, table.name, "cannot create the layer");
        }
        const LayerFields fields = create_fields(*layer, table, shown);
        LayerCuts cuts;
        // A database's tables are all written in one transaction of their own.
        const bool transactions = ds.TestCapability(ODsCTransactions) != 0 && name_ != "PostgreSQL";
        if (transactions) {
            ds.StartTransaction();
        }
        std::vector<detail::RTreeBox> boxes;
        if (own_index) {
            boxes.reserve(table.size());
        }
        write_features(*layer, table, fields, shown, cuts, own_index ? &boxes : nullptr);
        if (own_index) {
            detail::write_gpkg_rtree(ds, table.name, layer->GetGeometryColumn(),
                                     layer->GetFIDColumn(), std::move(boxes), shown);
        }
        if (transactions && ds.CommitTransaction() != OGRERR_NONE) {
            fail(shown, table.name, "cannot commit the layer");
        }
        return cuts;
    }

    const std::string& driver() const { return name_; }

  private:
    /// Where each of a table's fields went in the layer, and the field that
    /// names a KML placemark (-1 for none).
    struct LayerFields {
        std::vector<int> index;
        int placemark_name = -1;
    };

    /// Features made ahead of their writing, with the envelope of each
    /// one's geometry (empty when it has none).
    struct FeatureBlock {
        std::vector<std::unique_ptr<OGRFeature>> features;
        std::vector<OGREnvelope> envelopes;
        std::size_t count = 0; ///< features in use, from the first
    };

    /// The rows as features of the layer, with each feature's box when
    /// `boxes` is given. The features of the next block of rows are made
    /// (values, geometry, CRS; a deferred table's rows themselves) on
    /// another thread while GDAL writes those of the block before, which
    /// comes back to that thread to be filled again: this thread does
    /// little but GDAL's insertion.
    void write_features(OGRLayer& layer, const Table& table, const LayerFields& fields,
                        const std::string& shown, LayerCuts& cuts,
                        std::vector<detail::RTreeBox>* boxes) {
        constexpr std::size_t block = 4096;
        const std::size_t n = table.size();
        OGRFeatureDefn* defn = layer.GetLayerDefn();
        Row scratch;
        const auto make = [&, boxes](std::size_t first, FeatureBlock b) {
            b.count = std::min(n, first + block) - first;
            b.envelopes.resize(b.count);
            for (std::size_t k = 0; k < b.count; ++k) {
                if (k == b.features.size()) {
                    b.features.push_back(std::make_unique<OGRFeature>(defn));
                }
                OGRFeature& feature = *b.features[k];
                fill_feature(feature, table, table.row(first + k, scratch), fields, shown, cuts);
                const OGRGeometry* g = feature.GetGeometryRef();
                b.envelopes[k] = OGREnvelope();
                if (boxes && g && !g->IsEmpty()) {
                    g->getEnvelope(&b.envelopes[k]);
                }
            }
            return b;
        };
        // A block is made by one thread at a time, so `cuts` and `scratch`
        // have one writer.
        std::future<FeatureBlock> next = std::async(std::launch::async, make, 0, FeatureBlock{});
        FeatureBlock written;
        for (std::size_t first = 0; first < n; first += block) {
            FeatureBlock features = next.get();
            if (first + block < n) {
                next = std::async(std::launch::async, make, first + block, std::move(written));
            }
            for (std::size_t k = 0; k < features.count; ++k) {
                OGRFeature& feature = *features.features[k];
                if (layer.CreateFeature(&feature) != OGRERR_NONE) {
                    fail(shown, table.name, "cannot write a feature");
                }
                if (const OGREnvelope& e = features.envelopes[k]; boxes && e.IsInit()) {
                    boxes->push_back(
                        detail::rtree_box(feature.GetFID(), e.MinX, e.MaxX, e.MinY, e.MaxY));
                }
            }
            written = std::move(features);
        }
    }

    LayerFields create_fields(OGRLayer& layer, const Table& table, const std::string& shown) {
        const bool shapefile = name_ == "ESRI Shapefile";
        const std::vector<std::string> names =
            shapefile ? shapefile_field_names(table.fields) : field_names(table);
        for (std::size_t i = 0; i < table.fields.size(); ++i) {
            const Field& f = table.fields[i];
            const OGRFieldType ft = f.type == FieldType::text      ? OFTString
                                    : f.type == FieldType::integer ? OFTInteger64
                                                                   : OFTReal;
            OGRFieldDefn defn(names[i].c_str(), ft);
            if (shapefile && ft == OFTString) {
                defn.SetWidth(static_cast<int>(kShapefileTextBytes));
            }
            if (shapefile && ft == OFTReal) {
                defn.SetWidth(20);
                defn.SetPrecision(6);
            }
            if (layer.CreateField(&defn) != OGRERR_NONE) {
                fail(shown, table.name, fmt::format("cannot create field '{}'", f.name));
            }
        }
        // Where each field went: GDAL's KML driver puts Name and Description
        // fields of its own ahead of the table's.
        LayerFields fields;
        OGRFeatureDefn* defn = layer.GetLayerDefn();
        for (std::size_t i = 0; i < table.fields.size(); ++i) {
            fields.index.push_back(defn->GetFieldIndex(names[i].c_str()));
            if (fields.index.back() < 0) {
                fail(shown, table.name,
                     fmt::format("cannot find field '{}' after creating it", table.fields[i].name));
            }
        }
        // KML: each placemark named and coloured as the QGIS style labels
        // and shows the row. KML's placemark name is the field "Name" (a
        // table's own "name" field, OGR matching names in any case): the
        // label goes there, so a commune reads "Ia Nan (84.55 %)".
        if (kml()) {
            fields.placemark_name = defn->GetFieldIndex("Name");
            if (fields.placemark_name < 0) {
                OGRFieldDefn name("Name", OFTString);
                if (layer.CreateField(&name) != OGRERR_NONE) {
                    fail(shown, table.name, "cannot create field 'Name'");
                }
                fields.placemark_name = layer.GetLayerDefn()->GetFieldIndex("Name");
            }
        }
        return fields;
    }

    /// The feature of one row: its values (text a Shapefile cannot hold cut
    /// at a character and counted), its geometry in the output CRS, and in
    /// KML its placemark's name and style.
    void fill_feature(OGRFeature& feature, const Table& table, const Row& row,
                      const LayerFields& fields, const std::string& shown, LayerCuts& cuts) {
        const bool shapefile = name_ == "ESRI Shapefile";
        feature.Reset();
        feature.SetFID(OGRNullFID); // a feature used before is written as a new one
        for (std::size_t i = 0; i < row.values.size(); ++i) {
            const int fi = fields.index[i];
            std::visit(
                [&](const auto& v) {
                    using T = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<T, std::monostate>) {
                        feature.SetFieldNull(fi);
                    } else if constexpr (std::is_same_v<T, std::string>) {
                        if (shapefile && v.size() > kShapefileTextBytes) {
                            ++cuts.values_cut[table.fields[i].name];
                            feature.SetField(fi, cut_utf8(v, kShapefileTextBytes).c_str());
                        } else {
                            feature.SetField(fi, v.c_str());
                        }
                    } else if constexpr (std::is_same_v<T, std::int64_t>) {
                        feature.SetField(fi, static_cast<GIntBig>(v));
                    } else {
                        feature.SetField(fi, v);
                    }
                },
                row.values[i]);
        }
        if (table.geometry != GeometryType::none) {
            if (std::unique_ptr<OGRGeometry> g = to_ogr(row.geometry)) {
                if (transform_ && g->transform(transform_.get()) != OGRERR_NONE) {
                    fail(shown, table.name, "cannot transform a geometry to the output CRS");
                }
                feature.SetGeometryDirectly(g.release());
            }
        }
        if (kml()) {
            if (const std::string name = kml_name(table, row);
                !name.empty() && fields.placemark_name >= 0) {
                feature.SetField(fields.placemark_name, name.c_str());
            }
            const std::string style = kml_style(table, row);
            feature.SetStyleString(style.empty() ? nullptr : style.c_str());
        }
    }

    bool kml() const { return name_ == "KML" || name_ == "LIBKML"; }

    /// own_index: the spatial index is bordercov's to make, not GDAL's.
    std::vector<std::string> layer_options(bool own_index) const {
        std::vector<std::string> o;
        if (name_ == "GeoJSON") {
            o = {"RFC7946=YES"};
        } else if (name_ == "ESRI Shapefile") {
            o = {"ENCODING=UTF-8"};
        } else if (name_ == "CSV") {
            // Types in a .csvt (else every field reads back as text), the
            // geometry as WKT (GDAL writes its CRS as a .prj beside).
            o = {"GEOMETRY=AS_WKT", "CREATE_CSVT=YES"};
            if (options_.csv_bom) {
                o.emplace_back("WRITE_BOM=YES");
            }
        }
        if ((!options_.spatial_index || own_index) && (name_ == "GPKG" || name_ == "FlatGeobuf")) {
            o.emplace_back("SPATIAL_INDEX=NO");
        }
        return o;
    }

    static std::vector<std::string> field_names(const Table& table) {
        std::vector<std::string> names;
        for (const Field& f : table.fields) {
            names.push_back(f.name);
        }
        return names;
    }

    [[noreturn]] void fail(const std::string& shown, const std::string& layer,
                           const std::string& what) {
        throw IoError(fmt::format("{}, layer '{}': {}{}. Check free disk space and permissions.",
                                  shown, layer, what, detail::last_gdal_error()));
    }

    GDALDriver* driver_ = nullptr;
    std::string name_;
    OGRSpatialReference srs_;
    const WriteOptions& options_;
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

bool every_row_has_geometry(const Table& t) {
    if (t.geometry == GeometryType::none) {
        return false;
    }
    Row scratch;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (std::holds_alternative<std::monostate>(t.row(i, scratch).geometry)) {
            return false;
        }
    }
    return true;
}

/// The stem of a table's files in a per-layer folder.
std::string file_stem(const Table& t, const OutputTarget& target) {
    return target.single_file_stem.empty() ? t.name : target.single_file_stem;
}

/// The main file of a table in a per-layer folder.
std::string layer_file_name(const Table& t, const OutputTarget& target) {
    const std::string stem = file_stem(t, target);
    if (target.driver == "FlatGeobuf" && !every_row_has_geometry(t)) {
        return stem + ".csv";
    }
    if (target.driver == "ESRI Shapefile" && t.geometry == GeometryType::none) {
        return stem + ".dbf";
    }
    return stem + "." + target.extension;
}

/// Writes a layer's QGIS style as <stem>.qml into folder, when it has one
/// (QGIS applies it when it opens <stem>.geojson, .shp, .fgb, ... beside it),
/// with its field aliases (io/qgis_style.hpp).
void write_qml(const Table& t, const OutputTarget& target, const fs::path& folder,
               const i18n::Catalogue* titles) {
    const std::string qml = qgis_layer_style(t, target.driver, titles);
    if (qml.empty()) {
        return;
    }
    const std::string file = file_stem(t, target) + ".qml";
    std::ofstream out(folder / file, std::ios::binary);
    out << qml;
    out.close();
    if (!out) {
        throw IoError(fmt::format("{}: cannot write the QGIS style. Check free disk space and "
                                  "permissions.",
                                  (fs::path(target.folder) / file).string()));
    }
}

/// The layers of an existing file: those an output of these layers would
/// replace (ours) and those it keeps (others; QGIS's layer_styles counts
/// as neither). nullopt when GDAL cannot open it with the output's driver.
struct ExistingLayers {
    std::vector<std::string> ours;
    std::vector<std::string> others;
};
std::optional<ExistingLayers> existing_layers(const std::string& file, const std::string& driver,
                                              const std::vector<std::string>& layers) {
    const char* const allowed[] = {driver.c_str(), nullptr};
    const DatasetPtr ds(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, allowed,
                                          nullptr, nullptr));
    if (!ds) {
        return std::nullopt;
    }
    ExistingLayers split;
    for (OGRLayer* layer : ds->GetLayers()) {
        const std::string name = layer->GetName();
        if (std::find(layers.begin(), layers.end(), name) != layers.end()) {
            split.ours.push_back(name);
        } else if (name != "layer_styles") {
            split.others.push_back(name);
        }
    }
    return split;
}

/// Drivers whose existing file bordercov can update in a copy: delete its
/// own layers, write them anew, keep the rest.
bool keeps_other_layers(const std::string& driver) {
    return driver == "GPKG" || driver == "SQLite";
}

/// A file an SQLite-based output has beside it while another program
/// (QGIS) holds it open with changes not yet in the file itself.
std::optional<fs::path> open_elsewhere(const fs::path& file) {
    std::error_code ec;
    for (const char* suffix : {"-wal", "-journal"}) {
        const fs::path side(file.string() + suffix);
        if (fs::exists(side, ec) && fs::file_size(side, ec) > 0) {
            return side;
        }
    }
    return std::nullopt;
}

fs::path absolute_normal(const fs::path& p) {
    std::error_code ec;
    fs::path a = fs::weakly_canonical(p, ec);
    return ec ? fs::absolute(p).lexically_normal() : a;
}

/// p is q or lies inside q.
bool within(const fs::path& p, const fs::path& q) {
    const fs::path a = absolute_normal(p);
    const fs::path b = absolute_normal(q);
    const auto [end, unused] = std::mismatch(b.begin(), b.end(), a.begin(), a.end());
    return !b.empty() && end == b.end();
}

/// Every path the output writes, for the input check.
std::vector<fs::path> written_paths(const OutputTarget& target,
                                    const std::vector<std::string>& layers) {
    std::vector<fs::path> paths;
    if (!target.per_layer) {
        paths.emplace_back(target.path);
        return paths;
    }
    for (const std::string& layer : layers) {
        for (const std::string& f : own_files(target, layer)) {
            paths.push_back(fs::path(target.folder) / f);
        }
    }
    for (const std::string& f : own_shared_files(target)) {
        paths.push_back(fs::path(target.folder) / f);
    }
    return paths;
}

/// The files of these layers (and the shared ones) that exist in the folder.
std::vector<std::string> existing_own_files(const OutputTarget& target,
                                            const std::vector<std::string>& layers) {
    std::vector<std::string> found;
    std::error_code ec;
    for (const fs::path& p : written_paths(target, layers)) {
        if (fs::exists(p, ec)) {
            found.push_back(p.filename().string());
        }
    }
    return found;
}

void check_inputs(const OutputTarget& target, const std::vector<std::string>& layers,
                  const WriteOptions& options) {
    const std::vector<fs::path> paths = written_paths(target, layers);
    for (const std::string& input : options.inputs) {
        if (input.rfind("PG:", 0) == 0 || input.rfind("/vsi", 0) == 0) {
            continue;
        }
        std::error_code ec;
        const bool folder_input = fs::is_directory(input, ec);
        // Neither a file the output writes may be the input (or inside an
        // input folder), nor may the output go into a workspace folder.
        const bool clash = std::any_of(paths.begin(), paths.end(),
                                       [&](const fs::path& p) { return within(p, input); }) ||
                           (target.per_layer && folder_input && within(target.folder, input));
        if (clash) {
            throw IoError(
                fmt::format("{}: that would write {} the workspace {}, which is only ever read. "
                            "Choose another -o.",
                            target.path, folder_input ? "into" : "over", input));
        }
    }
}

} // namespace

LayerLocation layer_location(const Table& table, const OutputTarget& target) {
    if (target.per_layer) {
        return {(fs::path(target.folder) / layer_file_name(table, target)).string(), table.name,
                true};
    }
    return {target.path, table.name, false};
}

namespace {

/// The folder out goes in (its parent, for a file) must exist.
void check_parent(const std::string& out, const fs::path& path) {
    std::error_code ec;
    const fs::path parent = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    if (!fs::is_directory(parent, ec)) {
        throw IoError(
            fmt::format("{}: the folder {} does not exist. Create it, or choose another -o.", out,
                        parent.string()));
    }
}

/// A folder of one file per layer: a file in the way is refused; so are
/// files of these layers from an earlier run, unless overwrite.
void check_folder(const OutputTarget& target, const std::vector<std::string>& layers,
                  const WriteOptions& options) {
    std::error_code ec;
    const fs::path folder(target.folder);
    if (fs::exists(folder, ec) && !fs::is_directory(folder, ec)) {
        throw IoError(
            fmt::format("{}: {} writes a folder of files here, but {} is a file; it is left "
                        "as it is. Choose another -o.",
                        target.path, target.driver, target.folder));
    }
    if (!fs::is_directory(folder, ec)) {
        check_parent(target.path, folder);
        return;
    }
    const std::vector<std::string> existing = existing_own_files(target, layers);
    for (const std::string& f : existing) {
        if (fs::is_directory(folder / f, ec)) {
            throw IoError(
                fmt::format("{}: {} is a folder where bordercov writes a file; everything "
                            "is left as it is. Rename it, or choose another -o.",
                            target.path, (folder / f).string()));
        }
    }
    if (!existing.empty() && !options.overwrite) {
        throw IoError(
            fmt::format("{}: the folder holds {} of an earlier output already; every file is "
                        "left as it is. --overwrite replaces these files of bordercov's "
                        "layers and no others; or choose another -o.",
                        target.folder, name_list(existing)));
    }
}

/// An existing file of a multi-layer format: only one bordercov can open
/// as that format, with overwrite, whose other layers it can keep, and that
/// no other program holds open with unsaved changes.
void check_existing_file(const OutputTarget& target, const std::vector<std::string>& layers,
                         const WriteOptions& options) {
    const std::string& out = target.path;
    const std::optional<ExistingLayers> existing = existing_layers(out, target.driver, layers);
    if (!existing) {
        throw IoError(
            fmt::format("{}: exists and is not a {} file bordercov can add its layers to; it is "
                        "left as it is. Choose another -o.",
                        out, target.driver));
    }
    const std::vector<std::string>& ours = existing->ours;
    const std::vector<std::string>& others = existing->others;
    if (!options.overwrite) {
        throw IoError(fmt::format(
            "{}: the file exists already; it is left as it is. --overwrite {}{}; or choose "
            "another -o.",
            out,
            ours.empty() ? "adds bordercov's layers to it"
                         : fmt::format("replaces its layers {} (and only those)", name_list(ours)),
            others.empty() ? std::string{}
                           : fmt::format(" and keeps its {} other layer(s) {}", others.size(),
                                         name_list(others))));
    }
    if (!others.empty() && !keeps_other_layers(target.driver)) {
        throw IoError(
            fmt::format("{}: holds {} other layer(s) ({}) that a {} file cannot keep when "
                        "bordercov writes its own; it is left as it is. Choose another -o.",
                        out, others.size(), name_list(others), target.driver));
    }
    if (const auto side = open_elsewhere(out)) {
        throw IoError(
            fmt::format("{}: another program (QGIS?) has it open with changes not yet saved into "
                        "it ({} exists); it is left as it is. Close it there and run again.",
                        out, side->string()));
    }
}

} // namespace

OutputTarget check_output(const std::string& out, const std::vector<std::string>& layers,
                          const WriteOptions& options) {
    detail::QuietGdal quiet;
    OutputTarget target = output_target(out, options.driver, layers.size());
    output_srs(target.driver, {}, options.target_crs);
    if (target.database) {
        const detail::PgOutput pg = detail::pg_output(out, options.schema);
        detail::check_pg_output(pg, layers, options.overwrite, options.inputs);
        target.schema = pg.schema;
        target.path = pg.shown;
        return target;
    }
    if (!options.schema.empty()) {
        throw UsageError(fmt::format("--schema {}: -o {} is no PostgreSQL database; a schema is "
                                     "only for -o PG:... . Leave --schema out.",
                                     options.schema, out));
    }
    check_inputs(target, layers, options);
    std::error_code ec;
    if (target.per_layer) {
        check_folder(target, layers, options);
    } else if (fs::is_directory(out, ec)) {
        throw IoError(
            fmt::format("{}: that is a folder, and {} writes one file. Give a file name such as "
                        "{}/coverage.{}, or -f for a format of one file per layer (GeoJSON, "
                        "\"ESRI Shapefile\", FlatGeobuf, CSV).",
                        out, target.driver, out, target.driver == "GPKG" ? "gpkg" : "out"));
    } else if (fs::exists(out, ec)) {
        check_existing_file(target, layers, options);
    } else {
        check_parent(out, out);
    }
    return target;
}

namespace {

/// The tables to write, those after the first perhaps still being made by
/// `meanwhile` on another thread, started here: table i > 0 is read only
/// once it has returned (what it threw is thrown then). It is waited for
/// in any case before the tables are let go.
class TablesInMaking {
  public:
    TablesInMaking(const std::vector<Table>& tables, const std::function<void()>& meanwhile)
        : tables_(tables) {
        if (meanwhile) {
            pending_ = std::async(std::launch::async, meanwhile);
        }
    }
    ~TablesInMaking() {
        if (pending_.valid()) {
            pending_.wait();
        }
    }
    TablesInMaking(const TablesInMaking&) = delete;
    TablesInMaking& operator=(const TablesInMaking&) = delete;

    std::size_t size() const { return tables_.size(); }
    /// Table i, once it is made.
    const Table& at(std::size_t i) {
        if (i > 0) {
            ready();
        }
        return tables_[i];
    }
    /// Every table, once all are made.
    const std::vector<Table>& all() {
        ready();
        return tables_;
    }

  private:
    void ready() {
        if (pending_.valid()) {
            pending_.get();
        }
    }

    const std::vector<Table>& tables_;
    std::future<void> pending_;
};

/// Closes a dataset and fails if GDAL reports an error on the way (a full
/// disk shows when the last buffers are flushed).
void close_checked(DatasetPtr& ds, const std::string& shown) {
    CPLErrorReset();
    ds.reset();
    if (CPLGetLastErrorType() >= CE_Failure) {
        throw IoError(fmt::format("{}: writing failed when the file was closed{}. Check free disk "
                                  "space and permissions.",
                                  shown, detail::last_gdal_error()));
    }
}

/// Reopens a written file and checks that every layer holds all its rows,
/// and a GeoPackage the QGIS styles of these layers: some drivers (GeoJSON,
/// CSV) do not report a write that fell short.
void verify(const std::string& file, const std::vector<const Table*>& tables,
            const std::string& shown, std::size_t styles = 0, bool empty_may_be_absent = false) {
    const DatasetPtr ds(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (styles > 0) {
        std::vector<std::string> names;
        for (const Table* t : tables) {
            names.push_back(t->name);
        }
        if (!ds || ::bordercov::detail::count_layer_styles(*ds, names) != styles) {
            throw IoError(
                fmt::format("{}, layer 'layer_styles': the QGIS styles written cannot be read "
                            "back whole{}. Check free disk space and permissions.",
                            shown, detail::last_gdal_error()));
        }
    }
    for (const Table* t : tables) {
        OGRLayer* layer = ds ? (tables.size() == 1 && ds->GetLayerCount() == 1
                                    ? ds->GetLayer(0)
                                    : ds->GetLayerByName(t->name.c_str()))
                             : nullptr;
        if (!layer && empty_may_be_absent && t->size() == 0) {
            continue;
        }
        if (!layer || layer->GetFeatureCount(TRUE) != static_cast<GIntBig>(t->size())) {
            throw IoError(
                fmt::format("{}, layer '{}': the file written cannot be read back whole{}. "
                            "Check free disk space and permissions.",
                            shown, t->name, detail::last_gdal_error()));
        }
    }
}

/// The warning for values a Shapefile could not hold whole.
std::string cut_warning(const Table& t, const LayerCuts& cuts, const std::string& full_file) {
    std::string fields;
    for (const auto& [field, n] : cuts.values_cut) {
        fields += fmt::format("{}'{}' ({} value(s))", fields.empty() ? "" : ", ", field, n);
    }
    return fmt::format(
        "layer '{}', field {}: longer than the {} bytes a Shapefile text field holds, cut "
        "there in the Shapefile; the full text is in {}.",
        t.name, fields, kShapefileTextBytes, full_file);
}

/// The warning and the field-name map for fields a Shapefile renamed.
std::string renamed_warning(const std::vector<Table>& tables, const std::string& map_file) {
    std::string renamed;
    for (const Table& t : tables) {
        const std::vector<std::string> names = shapefile_field_names(t.fields);
        std::string these;
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (names[i] != t.fields[i].name) {
                these +=
                    fmt::format("{}{}→{}", these.empty() ? "" : ", ", t.fields[i].name, names[i]);
            }
        }
        if (!these.empty()) {
            renamed += fmt::format("{}{}: {}", renamed.empty() ? "" : "; ", t.name, these);
        }
    }
    if (renamed.empty()) {
        return {};
    }
    return fmt::format(
        "Shapefile field names hold at most 10 characters, so these are renamed ({}); the map "
        "is in {}, and the .qml styles show QGIS the full names.",
        renamed, map_file);
}

/// field_names.csv: layer, field, shapefile_field for every field.
void write_field_map(const std::vector<Table>& tables, const fs::path& file,
                     const std::string& shown) {
    std::ofstream out(file, std::ios::binary);
    out << "\xEF\xBB\xBF"
        << "layer,field,shapefile_field\n";
    for (const Table& t : tables) {
        const std::vector<std::string> names = shapefile_field_names(t.fields);
        for (std::size_t i = 0; i < names.size(); ++i) {
            out << t.name << ',' << t.fields[i].name << ',' << names[i] << '\n';
        }
    }
    out.close();
    if (!out) {
        throw IoError(fmt::format(
            "{}: cannot write the field-name map. Check free disk space and permissions.", shown));
    }
}

/// Writes each table as its own file set into the temporary folder.
void write_per_layer(TablesInMaking& tables, const OutputTarget& target, const fs::path& temporary,
                     const OGRSpatialReference& srs, const WriteOptions& options,
                     WriteReport& report) {
    Writer writer(target.driver, srs, options);
    std::unique_ptr<Writer> csv;
    const fs::path shown_folder(target.folder);
    for (std::size_t i = 0; i < tables.size(); ++i) {
        const Table& t = tables.at(i);
        const std::string file = layer_file_name(t, target);
        const std::string stem = file_stem(t, target);
        // FlatGeobuf drops features without geometry (and says nothing):
        // such tables go beside the .fgb files as CSV.
        const bool as_csv = target.driver == "FlatGeobuf" && !every_row_has_geometry(t);
        if (as_csv && !csv) {
            csv = std::make_unique<Writer>("CSV", srs, options);
        }
        Writer& w = as_csv ? *csv : writer;
        // Created under the driver's own extension: GDAL writes a Shapefile
        // table without geometry as a .dbf alone.
        const std::string created = as_csv ? file : stem + "." + target.extension;
        const std::string shown = (shown_folder / file).string();
        DatasetPtr ds = w.create((temporary / created).string(), shown);
        const LayerCuts cuts = w.write(*ds, t, shown);
        close_checked(ds, shown);
        verify((temporary / file).string(), {&t}, shown);
        if (!cuts.values_cut.empty()) {
            // The whole table, every value whole, beside the Shapefile.
            if (!csv) {
                csv = std::make_unique<Writer>("CSV", srs, options);
            }
            Table attributes{t.name, GeometryType::none, t.fields, {}};
            attributes.rows.reserve(t.size());
            Row scratch;
            for (std::size_t r = 0; r < t.size(); ++r) {
                attributes.rows.push_back({t.row(r, scratch).values, {}});
            }
            const std::string full = stem + "_full.csv";
            const std::string full_shown = (shown_folder / full).string();
            DatasetPtr f = csv->create((temporary / full).string(), full_shown);
            csv->write(*f, attributes, full_shown);
            close_checked(f, full_shown);
            verify((temporary / full).string(), {&attributes}, full_shown);
            report.warnings.push_back(cut_warning(t, cuts, full_shown));
        }
        if (options.qgis_styles) {
            write_qml(t, target, temporary, options.titles);
        }
    }
    for (const std::string& shared : own_shared_files(target)) {
        const std::string shown = (shown_folder / shared).string();
        if (std::string warning = renamed_warning(tables.all(), shown); !warning.empty()) {
            write_field_map(tables.all(), temporary / shared, shown);
            report.warnings.push_back(std::move(warning));
        }
    }
}

/// Writes every table into one dataset at `file` (new, or a copy of the
/// existing output with bordercov's layers removed).
void write_one_file(TablesInMaking& tables, const std::vector<std::string>& names,
                    const OutputTarget& target, const fs::path& file, bool update,
                    const OGRSpatialReference& srs, const WriteOptions& options) {
    Writer writer(target.driver, srs, options);
    DatasetPtr ds;
    if (update) {
        const char* const allowed[] = {target.driver.c_str(), nullptr};
        ds.reset(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, allowed, nullptr,
                                   nullptr));
        if (!ds) {
            throw IoError(fmt::format(
                "{}: cannot open a copy of it to replace bordercov's layers{}. Check free "
                "disk space and permissions.",
                target.path, detail::last_gdal_error()));
        }
        for (const std::string& name : names) {
            for (int i = ds->GetLayerCount() - 1; i >= 0; --i) {
                if (name == ds->GetLayer(i)->GetName() && ds->DeleteLayer(i) != OGRERR_NONE) {
                    throw IoError(fmt::format("{}, layer '{}': cannot replace it{}.", target.path,
                                              name, detail::last_gdal_error()));
                }
            }
        }
        if (options.qgis_styles && target.driver == "GPKG") {
            ::bordercov::detail::remove_layer_styles(*ds, names, target.path);
        }
    } else {
        ds = writer.create(file.string(), target.path);
    }
    for (std::size_t i = 0; i < tables.size(); ++i) {
        writer.write(*ds, tables.at(i), target.path);
    }
    // QGIS applies a layer's style from the GeoPackage's own table. Flushed
    // first: in a copy whose layers were deleted, GDAL 3.6 writes the style
    // rows with every field empty after a layer of some 150,000 features or
    // more unless the layers written are flushed before.
    ds->FlushCache(false);
    const std::size_t styles = options.qgis_styles && target.driver == "GPKG"
                                   ? ::bordercov::detail::write_layer_styles(
                                         *ds, tables.all(), target.path, options.titles)
                                   : 0;
    close_checked(ds, target.path); // close (and flush) before the rename
    std::vector<const Table*> all;
    for (const Table& t : tables.all()) {
        all.push_back(&t);
    }
    // GDAL's spreadsheet drivers write no sheet for a table without rows.
    verify(file.string(), all, target.path, styles,
           target.driver == "XLSX" || target.driver == "ODS");
}

} // namespace

namespace {

/// A folder of one file (set) per layer: written in a temporary folder
/// beside it, then put in place (the whole folder in one rename when it is
/// new, else file by file, replacing only bordercov's own files).
void write_folder(TablesInMaking& tables, const std::vector<std::string>& names,
                  const OGRSpatialReference& srs, const WriteOptions& options,
                  WriteReport& report) {
    const OutputTarget& target = report.target;
    std::error_code ec;
    const fs::path folder(target.folder);
    const bool existed = fs::is_directory(folder, ec);
    report.replaced = existed ? existing_own_files(target, names) : std::vector<std::string>{};
    detail::TemporaryOutput output(folder);
    if (!fs::create_directory(output.path(), ec)) {
        throw IoError(fmt::format(
            "{}: cannot create a folder beside it ({}). Check that {} is writable.", target.folder,
            ec.message(), folder.parent_path().empty() ? "." : folder.parent_path().string()));
    }
    write_per_layer(tables, target, output.path(), srs, options, report);
    if (!existed) {
        output.put_in_place();
        return;
    }
    std::vector<std::string> own;
    for (const std::string& name : names) {
        const std::vector<std::string> files = own_files(target, name);
        own.insert(own.end(), files.begin(), files.end());
    }
    const std::vector<std::string> shared = own_shared_files(target);
    own.insert(own.end(), shared.begin(), shared.end());
    output.move_files_into(folder, own);
}

/// One file of every layer: written under a temporary name, then renamed
/// over out. An existing file is copied first, its other layers, styles
/// and tables kept, bordercov's layers written anew.
void write_file(TablesInMaking& tables, const std::string& out,
                const std::vector<std::string>& names, const OGRSpatialReference& srs,
                const WriteOptions& options, WriteReport& report) {
    const OutputTarget& target = report.target;
    std::error_code ec;
    const fs::path file(out);
    const bool existed = fs::exists(file, ec);
    detail::TemporaryOutput output(file);
    const bool update = existed && keeps_other_layers(target.driver);
    if (existed) {
        if (auto split = existing_layers(out, target.driver, names)) {
            report.replaced = std::move(split->ours);
            report.kept = std::move(split->others);
        }
        if (update) {
            fs::copy_file(file, output.path(), fs::copy_options::overwrite_existing);
        }
    }
    write_one_file(tables, names, target, output.path(), update, srs, options);
    output.put_in_place();
}

/// Tables of a PostgreSQL schema, all written in one transaction.
void write_database(TablesInMaking& tables, const std::string& out,
                    const std::vector<std::string>& names, const OGRSpatialReference& srs,
                    const WriteOptions& options, WriteReport& report) {
    const detail::PgOutput pg = detail::pg_output(out, options.schema);
    detail::PgOutputTransaction transaction(pg, names, options.overwrite);
    Writer writer("PostgreSQL", srs, options);
    for (std::size_t i = 0; i < tables.size(); ++i) {
        writer.write(transaction.dataset(), tables.at(i), pg.shown, transaction.layer_options());
    }
    transaction.finish(tables.all(), options.spatial_index, options.qgis_styles, report.warnings);
    report.replaced = transaction.replaced();
}

} // namespace

WriteReport write_tables(const std::vector<Table>& tables, const std::string& out,
                         const std::string& workspace_crs_wkt, const WriteOptions& options,
                         const std::function<void()>& meanwhile) {
    std::vector<std::string> names;
    for (const Table& t : tables) {
        names.push_back(t.name);
    }
    TablesInMaking made(tables, meanwhile); // only names are read of them until made
    WriteReport report;
    report.target = check_output(out, names, options);
    report.notes = report.target.notes;
    detail::QuietGdal quiet;
    const detail::ScopedConfigOption stamp("OGR_CURRENT_DATE", options.timestamp);
    CPLErrorReset();
    const OGRSpatialReference srs =
        output_srs(report.target.driver, workspace_crs_wkt, options.target_crs);
    try {
        if (report.target.database) {
            write_database(made, out, names, srs, options, report);
        } else if (report.target.per_layer) {
            write_folder(made, names, srs, options, report);
        } else {
            write_file(made, out, names, srs, options, report);
        }
        made.all(); // meanwhile has returned, or what it threw is thrown
        return report;
    } catch (const fs::filesystem_error& e) {
        throw IoError(
            fmt::format("{}: cannot put the output in place ({}). Check free disk space and "
                        "permissions.",
                        out, e.code().message()));
    }
}

} // namespace bordercov::io
