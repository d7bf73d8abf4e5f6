#include "bordercov/io/workspace_reader.hpp"

#include "bordercov/error.hpp"
#include "bordercov/text.hpp"
#include "detail/gdal_support.hpp"
#include "detail/geos_adapter.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <charconv>
#include <filesystem>
#include <future>
#include <fmt/format.h>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace bordercov::io {

namespace fs = std::filesystem;

const std::vector<std::string>& workspace_layers() {
    static const std::vector<std::string> names{"border_lines", "markers", "communes", "teams",
                                                "households", "assignments", "marker_custodians"};
    return names;
}

namespace {

/// One layer of the workspace, open for reading, with the dataset it lives in.
struct OpenLayer {
    std::shared_ptr<GDALDataset> dataset;
    OGRLayer* layer = nullptr;
    std::string file;
    std::string name;
};

std::shared_ptr<GDALDataset> open_dataset(const std::string& path) {
    detail::register_gdal();
    CPLErrorReset();
    GDALDataset* ds = GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY);
    if (ds == nullptr) {
        std::error_code ec;
        if (!fs::exists(path, ec)) {
            throw IoError(fmt::format("{}: no such file or folder. Check the workspace path.", path));
        }
        throw IoError(fmt::format("{}: not a vector datasource GDAL can read{}. A workspace is a "
                                  "GeoPackage, or a folder of GeoJSON, Shapefile or FlatGeobuf files.",
                                  path, detail::last_gdal_error()));
    }
    return std::shared_ptr<GDALDataset>(ds, [](GDALDataset* d) { GDALClose(d); });
}

/// A workspace as a set of layers: one datasource, or a folder with a file per layer.
class Source {
public:
    explicit Source(const std::string& path) : path_(path) {
        std::error_code ec;
        if (fs::is_directory(path, ec)) {
            // By preference: a Shapefile's .shp before its .dbf, which stands
            // alone for a layer without geometry.
            static const std::vector<std::string> extensions{
                ".gpkg", ".geojson", ".json", ".shp", ".fgb", ".csv", ".gml", ".kml", ".sqlite", ".dbf"};
            std::vector<fs::path> entries;
            for (const auto& entry : fs::directory_iterator(path, ec)) {
                entries.push_back(entry.path());
            }
            std::map<std::string, std::pair<std::size_t, std::string>> best;
            for (const auto& p : entries) {
                const std::string ext = fold_diacritics(p.extension().string());
                const std::string stem = fold_diacritics(p.stem().string());
                const auto rank = std::find(extensions.begin(), extensions.end(), ext);
                if (rank == extensions.end()) {
                    continue;
                }
                const std::size_t r = static_cast<std::size_t>(rank - extensions.begin());
                const auto it = best.find(stem);
                if (it == best.end() || r < it->second.first ||
                    (r == it->second.first && p.string() < it->second.second)) {
                    best[stem] = {r, p.string()};
                }
            }
            for (const auto& [stem, entry] : best) {
                files_[stem] = entry.second;
            }
        } else {
            dataset_ = open_dataset(path);
        }
    }

    std::optional<OpenLayer> open(const std::string& name) const {
        if (dataset_) {
            OGRLayer* layer = dataset_->GetLayerByName(name.c_str());
            if (!layer) {
                return std::nullopt;
            }
            return OpenLayer{dataset_, layer, path_, name};
        }
        const auto it = files_.find(name);
        if (it == files_.end()) {
            return std::nullopt;
        }
        auto ds = open_dataset(it->second);
        OGRLayer* layer = ds->GetLayerByName(name.c_str());
        if (!layer && ds->GetLayerCount() > 0) {
            layer = ds->GetLayer(0);
        }
        if (!layer) {
            return std::nullopt;
        }
        return OpenLayer{ds, layer, it->second, name};
    }

private:
    std::string path_;
    std::shared_ptr<GDALDataset> dataset_;
    std::map<std::string, std::string> files_;
};

/// The "undefined" CRSs of the GeoPackage standard: srs_id 0 ("undefined
/// geographic") and -1 ("undefined Cartesian"). GDAL's GPKG driver does not
/// return them as no CRS but builds, whatever gpkg_spatial_ref_sys says, a
/// geographic CRS named "Undefined geographic SRS" (on an "unknown" datum
/// with the WGS 84 ellipsoid, so PROJ would happily treat it as lon/lat) and
/// a LOCAL_CS named "Undefined Cartesian SRS"; it recognises them by these
/// names when it writes them back (GDALGeoPackageDataset::GetSrsId), and so
/// do we. Recent GDAL writes a layer without CRS as srs_id 99999, a
/// LOCAL_CS named "Undefined SRS" (organization GDAL), which GDAL before 3.9
/// reads back as that local CS. All three say: the coordinates' CRS is not
/// known.
bool is_undefined_crs(const OGRSpatialReference& srs) {
    const char* name = srs.GetName();
    if (name == nullptr || srs.GetAuthorityName(nullptr) != nullptr) {
        return false;
    }
    const std::string n = fold_diacritics(name);
    return (srs.IsGeographic() && n == "undefined geographic srs") ||
           (srs.IsLocal() && (n == "undefined cartesian srs" || n == "undefined srs"));
}

/// The CRS as WKT2, or "" for none.
std::string wkt_of(const OGRSpatialReference* srs) {
    if (srs == nullptr) {
        return {};
    }
    char* wkt = nullptr;
    const char* wkt_options[] = {"FORMAT=WKT2_2019", nullptr};
    srs->exportToWkt(&wkt, wkt_options);
    std::string out = wkt ? wkt : "";
    CPLFree(wkt);
    return out;
}

/// Reads the features of one layer: fields by name (Shapefile's 10-character
/// names accepted), values checked, geometry in WGS 84 lon/lat, and every
/// problem reported as a diagnostic naming file, layer, feature and field.
class LayerReader {
public:
    LayerReader(OpenLayer open, std::string id_field, Diagnostics& diagnostics)
        : open_(std::move(open)), id_field_(std::move(id_field)),
          reporter_(open_.file, open_.name, diagnostics) {
        defn_ = open_.layer->GetLayerDefn();
        id_index_ = field(id_field_);
        has_geometry_ = defn_->GetGeomFieldCount() > 0;
        if (const GIntBig n = open_.layer->GetFeatureCount(FALSE); n > 0) {
            expected_ = static_cast<std::size_t>(n);
            seen_.reserve(expected_);
        }
    }

    const std::string& file() const { return open_.file; }
    /// The number of features when the driver knows it cheaply, else 0.
    std::size_t expected_count() const { return expected_; }
    const std::string& name() const { return open_.name; }
    OGRLayer& layer() { return *open_.layer; }

    /// Index of a field, or -1. Checks required fields once, as a layer error.
    int field(const std::string& name) const {
        int i = defn_->GetFieldIndex(name.c_str());
        if (i < 0 && name.size() > 10) {
            i = defn_->GetFieldIndex(name.substr(0, 10).c_str());
        }
        return i;
    }

    bool require(const std::vector<std::string>& names) {
        bool ok = true;
        for (const auto& n : names) {
            if (field(n) < 0) {
                report(Severity::error, "missing-field", {}, -1, n,
                       fmt::format("the layer has no field '{}', which is required; the layer is "
                                   "ignored. Add the field (lower case) and fill it.",
                                   n));
                ok = false;
            }
        }
        return ok;
    }

    /// Sets up the transformation to WGS 84; false (with an error) when the
    /// layer has geometry but no CRS or one PROJ cannot use.
    bool prepare_crs() {
        if (!has_geometry_) {
            return true;
        }
        const OGRSpatialReference* srs = open_.layer->GetSpatialRef();
        if (srs == nullptr || is_undefined_crs(*srs)) {
            if (open_.layer->GetFeatureCount(FALSE) == 0) {
                return true;
            }
            if (srs == nullptr) {
                report(
                    Severity::error, "missing-crs", {}, -1, {},
                    "the layer has geometry but no CRS; the layer is ignored. Set its CRS (a .prj "
                    "beside a Shapefile; in QGIS: Layer > Set CRS of Layer, then save).");
            } else {
                report(
                    Severity::error, "missing-crs", {}, -1, {},
                    fmt::format("the layer's CRS is '{}', which says only that its CRS is not "
                                "known; the layer is ignored. Set the CRS its coordinates are in "
                                "(in QGIS: Layer > Set CRS of Layer, then Export > Save Features "
                                "As... with that CRS; or with GDAL: ogr2ogr -a_srs EPSG:<code>).",
                                srs->GetName()));
            }
            return false;
        }
        srs_ = srs;
        auto transform = detail::make_transform(*srs, detail::wgs84_lonlat());
        if (!transform) {
            report(Severity::error, "unusable-crs", {}, -1, {},
                   fmt::format("PROJ finds no transformation from the layer's CRS '{}' to WGS 84; "
                               "the layer is ignored. Reproject it to a CRS with an EPSG code.",
                               srs->GetName() ? srs->GetName() : "?"));
            return false;
        }
        transform_ = std::move(*transform);
        set_area_of_use(*srs);
        return true;
    }

    const OGRSpatialReference* srs() const { return srs_; }
    bool has_geometry() const { return has_geometry_; }

    /// Fields (or "OGR_GEOMETRY") not to read at all: faster when not needed.
    void skip(std::vector<const char*> fields) {
        fields.push_back(nullptr);
        open_.layer->SetIgnoredFields(fields.data());
    }

    OGRFeatureUniquePtr next() { return OGRFeatureUniquePtr(open_.layer->GetNextFeature()); }

    /// A field looked up once per layer, not once per feature.
    struct FieldRef {
        int index;
        const char* name;
    };
    FieldRef ref(const char* name) const { return {field(name), name}; }

    std::string text(const OGRFeature& f, int i) const {
        if (i < 0 || !f.IsFieldSetAndNotNull(i)) {
            return {};
        }
        // Trim the blanks spreadsheets leave around ids.
        std::string_view s = f.GetFieldAsString(i);
        const auto b = s.find_first_not_of(" \t\r\n");
        if (b == std::string_view::npos) {
            return {};
        }
        const auto e = s.find_last_not_of(" \t\r\n");
        return std::string(s.substr(b, e - b + 1));
    }

    std::string id(const OGRFeature& f) const { return text(f, id_index_); }

    std::optional<double> number(const OGRFeature& f, FieldRef field_ref, const std::string& id) {
        const int i = field_ref.index;
        const char* name = field_ref.name;
        if (i < 0 || !f.IsFieldSetAndNotNull(i)) {
            return std::nullopt;
        }
        double v = 0;
        const OGRFieldType type = defn_->GetFieldDefn(i)->GetType();
        if (type == OFTReal || type == OFTInteger || type == OFTInteger64) {
            v = f.GetFieldAsDouble(i);
        } else {
            std::string s = text(f, i);
            if (s.empty()) {
                return std::nullopt;
            }
            std::replace(s.begin(), s.end(), ',', '.'); // "12,5" as typed in a Vietnamese locale
            const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
            if (ec != std::errc{} || ptr != s.data() + s.size()) {
                const bool km = std::string_view(name).ends_with("_km");
                report(Severity::error, "bad-number", id, f.GetFID(), name,
                       fmt::format("'{}' is not a number; the feature is dropped. {}", s,
                                   km ? "Write km as a decimal number such as 12.345."
                                      : fmt::format("Write {} in digits, such as 4.", name)));
                throw Dropped{};
            }
        }
        if (!std::isfinite(v)) {
            report(Severity::error, "bad-number", id, f.GetFID(), name,
                   "the value is not finite (NaN or infinity); the feature is dropped. Write a number.");
            throw Dropped{};
        }
        return v;
    }

    /// A count (such as a household's members): a whole number, 0 or more.
    /// A fraction is rounded, a negative number left out (unknown), each
    /// with a warning.
    std::optional<std::int64_t> count(const OGRFeature& f, FieldRef field_ref,
                                      const std::string& id) {
        const auto v = number(f, field_ref, id);
        const char* name = field_ref.name;
        if (!v) {
            return std::nullopt;
        }
        if (*v < 0) {
            report(Severity::warning, "bad-number", id, f.GetFID(), name,
                   fmt::format("{} is below zero, which no number of {} can be; it is left out "
                               "(unknown). Write the number of {} as a whole number, 0 or more.",
                               *v, name, name));
            return std::nullopt;
        }
        const auto rounded = static_cast<std::int64_t>(std::llround(*v));
        if (*v != std::floor(*v)) {
            report(Severity::warning, "bad-number", id, f.GetFID(), name,
                   fmt::format("{} is not a whole number; it is rounded to {}. Write the number of "
                               "{} as a whole number.",
                               *v, rounded, name));
        }
        return rounded;
    }

    std::optional<Date> date(const OGRFeature& f, FieldRef field_ref, const std::string& id) {
        const int i = field_ref.index;
        const char* name = field_ref.name;
        if (i < 0 || !f.IsFieldSetAndNotNull(i)) {
            return std::nullopt;
        }
        const OGRFieldType type = defn_->GetFieldDefn(i)->GetType();
        std::optional<Date> d;
        if (type == OFTDate || type == OFTDateTime) {
            int y = 0, m = 0, day = 0, h = 0, min = 0, tz = 0;
            float s = 0;
            if (f.GetFieldAsDateTime(i, &y, &m, &day, &h, &min, &s, &tz)) {
                d = Date::from_ymd(y, m, day);
            }
        } else {
            const std::string s = text(f, i);
            if (s.empty()) {
                return std::nullopt;
            }
            d = Date::parse(s);
        }
        if (!d) {
            report(Severity::error, "bad-date", id, f.GetFID(), name,
                   fmt::format("'{}' is not a date; the feature is dropped. Write dates as "
                               "YYYY-MM-DD (or DD/MM/YYYY).",
                               text(f, i)));
            throw Dropped{};
        }
        return d;
    }

    /// The feature's geometry in WGS 84 lon/lat as parts of points; empty
    /// when it has none. Bad coordinates drop the feature.
    std::vector<std::vector<LonLat>> lines(const OGRFeature& f, const std::string& id) {
        std::vector<std::vector<LonLat>> parts;
        const OGRGeometry* g = f.GetGeometryRef();
        if (g == nullptr || g->IsEmpty()) {
            return parts;
        }
        const auto type = wkbFlatten(g->getGeometryType());
        std::unique_ptr<OGRGeometry> copy(g->clone());
        transform(*copy, f, id);
        if (type == wkbLineString) {
            parts.push_back(points_of(*copy->toLineString(), f, id));
        } else if (type == wkbMultiLineString) {
            for (const OGRLineString* part : *copy->toMultiLineString()) {
                parts.push_back(points_of(*part, f, id));
            }
        } else {
            wrong_type(f, id, OGRGeometryTypeToName(type), "LineString or MultiLineString");
        }
        return parts;
    }

    std::optional<LonLat> point(const OGRFeature& f, const std::string& id) {
        const OGRGeometry* g = f.GetGeometryRef();
        if (g == nullptr || g->IsEmpty()) {
            return std::nullopt;
        }
        std::unique_ptr<OGRGeometry> copy(g->clone());
        transform(*copy, f, id);
        const auto type = wkbFlatten(copy->getGeometryType());
        const OGRPoint* p = nullptr;
        if (type == wkbPoint) {
            p = copy->toPoint();
        } else if (type == wkbMultiPoint && copy->toMultiPoint()->getNumGeometries() == 1) {
            p = copy->toMultiPoint()->getGeometryRef(0);
        } else {
            wrong_type(f, id, OGRGeometryTypeToName(type), "Point");
        }
        const LonLat ll{p->getX(), p->getY()};
        check_coordinate(ll, f, id);
        return ll;
    }

    MultiPolygon polygons(const OGRFeature& f, const std::string& id) {
        MultiPolygon out;
        const OGRGeometry* g = f.GetGeometryRef();
        if (g == nullptr || g->IsEmpty()) {
            return out;
        }
        std::unique_ptr<OGRGeometry> copy(g->clone());
        const auto type = wkbFlatten(copy->getGeometryType());
        if (type != wkbPolygon && type != wkbMultiPolygon) {
            wrong_type(f, id, OGRGeometryTypeToName(type), "Polygon or MultiPolygon");
        }
        transform(*copy, f, id);
        OGREnvelope extent;
        copy->getEnvelope(&extent);
        check_coordinate({extent.MinX, extent.MinY}, f, id); // NaN or out of range anywhere
        check_coordinate({extent.MaxX, extent.MaxY}, f, id);
        detail::Wkb wkb(static_cast<std::size_t>(copy->WkbSize()));
        copy->exportToWkb(wkbNDR, wkb.data());
        const detail::Validity validity = detail::check_validity(wkb);
        if (!validity.valid) {
            // Repair first, then say once what became of the polygon: repaired
            // for this run, or dropped when the repair leaves no area at all
            // (a ring that runs out and back along itself).
            const detail::Wkb fixed = detail::make_valid(wkb);
            OGRGeometry* repaired = nullptr;
            if (!fixed.empty() &&
                (OGRGeometryFactory::createFromWkb(fixed.data(), nullptr, &repaired,
                                                   fixed.size()) != OGRERR_NONE ||
                 repaired->IsEmpty())) {
                delete repaired;
                repaired = nullptr;
            }
            const std::string what = fmt::format(
                "the polygon is invalid ({}{})", validity.reason,
                validity.location ? fmt::format(" at POINT ({:.7f} {:.7f})", validity.location->lon,
                                                validity.location->lat)
                                  : "");
            Diagnostic& d = reporter_.add(
                Severity::error, "invalid-polygon", id, f.GetFID(), {},
                repaired
                    ? fmt::format("{}; it is repaired with GEOS MakeValid for this run. Fix it "
                                  "in QGIS (Vector > Geometry Tools > Fix Geometries).",
                                  what)
                    : fmt::format("{} and has no area left once repaired; the commune is "
                                  "dropped. Redraw its boundary in QGIS.",
                                  what));
            if (validity.location) {
                d.where = {*validity.location};
            }
            if (!repaired) {
                throw Dropped{};
            }
            copy.reset(repaired);
        }
        const auto add_polygon = [&](const OGRPolygon& polygon) {
            Polygon p;
            for (const OGRLinearRing* ring : polygon) {
                Ring r;
                for (const OGRPoint& v : *ring) {
                    r.push_back({v.getX(), v.getY()});
                }
                p.push_back(std::move(r));
            }
            out.push_back(std::move(p));
        };
        const auto fixed_type = wkbFlatten(copy->getGeometryType());
        if (fixed_type == wkbPolygon) {
            add_polygon(*copy->toPolygon());
        } else if (fixed_type == wkbMultiPolygon) {
            for (const OGRPolygon* p : *copy->toMultiPolygon()) {
                add_polygon(*p);
            }
        }
        return out;
    }

    void report(Severity severity, std::string code, std::string id, std::int64_t fid,
                std::string field_name, std::string message) {
        reporter_.add(severity, std::move(code), std::move(id), fid, std::move(field_name), std::move(message));
    }

    /// Thrown to drop the feature being read; its diagnostic is already out.
    struct Dropped {};

    /// The id of a feature, or a diagnostic and Dropped when empty or repeated.
    std::string unique_id(const OGRFeature& f) {
        std::string fid_text = id(f);
        if (fid_text.empty()) {
            report(Severity::error, "missing-id", {}, f.GetFID(), id_field_,
                   fmt::format("the feature has no {}; it is dropped. Give every feature a unique {}.",
                               id_field_, id_field_));
            throw Dropped{};
        }
        if (!seen_.insert(fid_text).second) {
            report(Severity::error, "duplicate-id", fid_text, f.GetFID(), id_field_,
                   fmt::format("{} '{}' appears more than once; this later feature is dropped. Make "
                               "the ids unique.",
                               id_field_, fid_text));
            throw Dropped{};
        }
        return fid_text;
    }

private:
    void transform(OGRGeometry& g, const OGRFeature& f, const std::string& id) {
        if (transform_ && g.transform(transform_.get()) != OGRERR_NONE) {
            report(Severity::error, "bad-coordinate", id, f.GetFID(), "geometry",
                   "the geometry cannot be transformed to WGS 84 (coordinates outside the layer "
                   "CRS's area, or not finite); the feature is dropped. Check the layer's CRS.");
            throw Dropped{};
        }
    }

    void check_coordinate(LonLat p, const OGRFeature& f, const std::string& id) {
        if (!std::isfinite(p.lon) || !std::isfinite(p.lat) || std::abs(p.lon) > 180 ||
            std::abs(p.lat) > 90) {
            report(Severity::error, "bad-coordinate", id, f.GetFID(), "geometry",
                   fmt::format("coordinate ({}, {}) is not a lon/lat position on Earth (NaN, "
                               "infinite, or the layer's CRS is wrong); the feature is dropped. Correct the "
                               "vertex, or the layer's CRS.",
                               p.lon, p.lat));
            throw Dropped{};
        }
        if (area_ && !area_->holds(p)) {
            outside_area(p, f, id);
        }
    }

    /// The CRS's area of use, widened by a margin: coordinates far outside
    /// it most likely mean the layer is declared in the wrong CRS.
    struct AreaOfUse {
        static constexpr double margin_deg = 2.0; ///< about 200 km
        double west, south, east, north;
        std::string crs;
        bool holds(LonLat p) const {
            if (p.lat < south - margin_deg || p.lat > north + margin_deg) {
                return false;
            }
            const double w = west - margin_deg, e = east + margin_deg;
            return west <= east ? (p.lon >= w && p.lon <= e) || e - w >= 360
                                : p.lon >= w || p.lon <= e; // across the antimeridian
        }
    };

    void set_area_of_use(const OGRSpatialReference& srs) {
        double w = 0, s = 0, e = 0, n = 0;
        const char* area_name = nullptr;
        if (!srs.GetAreaOfUse(&w, &s, &e, &n, &area_name) || (w <= -180 && e >= 180 && s <= -90 && n >= 90)) {
            return; // unknown, or the whole world
        }
        std::string crs = srs.GetName() ? srs.GetName() : "?";
        if (const char* code = srs.GetAuthorityCode(nullptr); code && srs.GetAuthorityName(nullptr)) {
            crs += fmt::format(" ({}:{})", srs.GetAuthorityName(nullptr), code);
        }
        if (area_name) {
            crs += fmt::format(", meant for {}", area_name);
        }
        area_ = AreaOfUse{w, s, e, n, std::move(crs)};
    }

    /// A warning for the first few features outside the area of use, then one
    /// for the rest of the layer.
    void outside_area(LonLat p, const OGRFeature& f, const std::string& id) {
        static constexpr int named = 20;
        if (f.GetFID() == last_outside_fid_) {
            return; // one warning per feature
        }
        last_outside_fid_ = f.GetFID();
        ++outside_count_;
        const std::string where = fmt::format(
            "lon {:.2f} to {:.2f}, lat {:.2f} to {:.2f}", area_->west, area_->east, area_->south, area_->north);
        if (outside_count_ <= named) {
            reporter_
                .add(Severity::warning, "outside-crs-area", id, f.GetFID(), "geometry",
                   fmt::format("the position ({:.5f}, {:.5f}) in lon/lat lies more than {}° outside the area "
                               "of use of the layer's CRS {} ({}): the layer's CRS is most likely wrong. "
                               "Check it (in QGIS: Layer Properties > Source), or reproject the data.",
                               p.lon, p.lat, AreaOfUse::margin_deg, area_->crs, where))
                .where = {p};
        } else if (outside_count_ == named + 1) {
            report(Severity::warning, "outside-crs-area", {}, -1, "geometry",
                   fmt::format("more features than the {} named lie outside the area of use of the layer's "
                               "CRS {} ({}); they are not each named. Check the layer's CRS.",
                               named, area_->crs, where));
        }
    }

    std::vector<LonLat> points_of(const OGRLineString& line, const OGRFeature& f, const std::string& id) {
        std::vector<LonLat> points;
        points.reserve(static_cast<std::size_t>(line.getNumPoints()));
        for (int i = 0; i < line.getNumPoints(); ++i) {
            const LonLat p{line.getX(i), line.getY(i)};
            check_coordinate(p, f, id);
            if (points.empty() || !(points.back() == p)) {
                points.push_back(p); // repeated vertices add nothing
            }
        }
        return points;
    }

    [[noreturn]] void wrong_type(const OGRFeature& f, const std::string& id, const char* found,
                                 const char* expected) {
        report(Severity::error, "wrong-geometry-type", id, f.GetFID(), {},
               fmt::format("the geometry is a {}, a {} is expected; the feature is dropped. Redraw "
                           "it as a {}, or move it to the layer it belongs in.",
                           found, expected, expected));
        throw Dropped{};
    }

    OpenLayer open_;
    std::string id_field_;
    LayerReporter reporter_;
    OGRFeatureDefn* defn_ = nullptr;
    int id_index_ = -1;
    std::size_t expected_ = 0;
    bool has_geometry_ = false;
    const OGRSpatialReference* srs_ = nullptr;
    detail::Transform transform_;
    std::optional<AreaOfUse> area_;
    GIntBig last_outside_fid_ = OGRNullFID;
    int outside_count_ = 0;
    std::unordered_set<std::string> seen_;
};

/// Runs read_one on every feature, dropping those that throw Dropped.
template <typename ReadOne>
void for_each_feature(LayerReader& reader, ReadOne read_one) {
    reader.layer().ResetReading();
    while (OGRFeatureUniquePtr f = reader.next()) {
        try {
            read_one(*f);
        } catch (const LayerReader::Dropped&) {
        }
    }
}

std::optional<PartyType> parse_party_type(const std::string& text) {
    const std::string t = fold_diacritics(text);
    if (t == "household" || t == "ho" || t == "ho gia dinh") {
        return PartyType::household;
    }
    if (t == "team" || t == "to" || t == "to tu quan") {
        return PartyType::team;
    }
    return std::nullopt;
}

void read_lines(LayerReader& r, Workspace& ws) {
    for_each_feature(r, [&](const OGRFeature& f) {
        const std::string id = r.unique_id(f);
        std::vector<BorderLine::Part> parts;
        std::size_t degenerate = 0;
        for (auto& part : r.lines(f, id)) {
            if (part.size() >= 2) {
                parts.push_back(std::move(part));
            } else {
                ++degenerate;
            }
        }
        if (parts.empty()) {
            r.report(Severity::error, "degenerate-line", id, f.GetFID(), {},
                     "the line is empty or has fewer than two distinct vertices; it is dropped. "
                     "Redraw it.");
            return;
        }
        if (degenerate > 0) {
            r.report(Severity::warning, "degenerate-line", id, f.GetFID(), {},
                     fmt::format("{} part(s) with fewer than two distinct vertices are left out. "
                                 "Redraw or delete them in QGIS.",
                                 degenerate));
        }
        BorderLine line(id, std::move(parts));
        line.name = r.text(f, r.field("name"));
        line.neighbour = r.text(f, r.field("neighbour"));
        line.neighbour_side = fold_diacritics(r.text(f, r.field("neighbour_side")));
        if (!line.neighbour_side.empty() && line.neighbour_side != "left" && line.neighbour_side != "right") {
            r.report(Severity::warning, "bad-side", id, f.GetFID(), "neighbour_side",
                     fmt::format("'{}' is not a side; write 'left' or 'right' (of the line's direction). "
                                 "Sides are named left and right meanwhile.",
                                 line.neighbour_side));
            line.neighbour_side.clear();
        }
        line.fid = f.GetFID();
        ws.lines.push_back(std::move(line));
    });
}

void read_markers(LayerReader& r, Workspace& ws) {
    const int line_id = r.field("line_id"), kind = r.field("kind");
    const auto built = r.ref("built");
    ws.markers.reserve(r.expected_count());
    for_each_feature(r, [&](const OGRFeature& f) {
        Marker m;
        m.marker_id = r.unique_id(f);
        const auto p = r.point(f, m.marker_id);
        if (!p) {
            r.report(Severity::error, "missing-geometry", m.marker_id, f.GetFID(), {},
                     "the marker has no point; it is dropped. Place it on the map.");
            return;
        }
        m.position = *p;
        m.line_id = r.text(f, line_id);
        m.kind = r.text(f, kind);
        m.built = r.date(f, built, m.marker_id);
        m.fid = f.GetFID();
        ws.markers.push_back(std::move(m));
    });
}

void read_communes(LayerReader& r, Workspace& ws) {
    const int name = r.field("name"), district = r.field("district"), province = r.field("province");
    ws.communes.reserve(r.expected_count());
    for_each_feature(r, [&](const OGRFeature& f) {
        Commune c;
        c.commune_id = r.unique_id(f);
        c.area = r.polygons(f, c.commune_id);
        if (c.area.empty()) {
            r.report(Severity::warning, "missing-geometry", c.commune_id, f.GetFID(), {},
                     "the commune has no polygon: no border is counted in it. Draw the commune's "
                     "boundary in QGIS, or copy it in from the administrative boundaries.");
        }
        c.name = r.text(f, name);
        c.district = r.text(f, district);
        c.province = r.text(f, province);
        c.fid = f.GetFID();
        ws.communes.push_back(std::move(c));
    });
}

void read_teams(LayerReader& r, Workspace& ws) {
    const int name = r.field("name"), commune = r.field("commune_id"), kind = r.field("kind"),
              leader = r.field("leader"), phone = r.field("phone");
    ws.teams.reserve(r.expected_count());
    for_each_feature(r, [&](const OGRFeature& f) {
        Team t;
        t.team_id = r.unique_id(f);
        t.name = r.text(f, name);
        t.commune_id = r.text(f, commune);
        t.kind = r.text(f, kind);
        t.leader = r.text(f, leader);
        t.phone = r.text(f, phone);
        t.position = r.point(f, t.team_id);
        t.fid = f.GetFID();
        ws.teams.push_back(std::move(t));
    });
}

void read_households(LayerReader& r, Workspace& ws, bool in_full) {
    const int head = r.field("head"), team = r.field("team_id"), commune = r.field("commune_id"),
              phone = r.field("phone");
    const auto members = r.ref("members");
    if (!in_full) {
        r.skip({"OGR_GEOMETRY", "head", "members"});
    }
    ws.households.reserve(r.expected_count());
    for_each_feature(r, [&](const OGRFeature& f) {
        Household h;
        h.household_id = r.unique_id(f);
        h.head = r.text(f, head);
        h.team_id = r.text(f, team);
        h.commune_id = r.text(f, commune);
        h.phone = r.text(f, phone);
        if (in_full) {
            h.members = r.count(f, members, h.household_id);
            h.home = r.point(f, h.household_id);
        }
        h.fid = f.GetFID();
        ws.households.push_back(std::move(h));
    });
}

void read_assignments(LayerReader& r, Workspace& ws) {
    const int party_type = r.field("party_type"), party_id = r.field("party_id"),
              line_id = r.field("line_id"), from_marker = r.field("from_marker"),
              to_marker = r.field("to_marker");
    const auto from_km = r.ref("from_km"), to_km = r.ref("to_km"), signed_on = r.ref("signed"),
               expires = r.ref("expires");
    ws.assignments.reserve(r.expected_count());
    for_each_feature(r, [&](const OGRFeature& f) {
        Assignment a;
        a.assignment_id = r.unique_id(f);
        const std::string type_text = r.text(f, party_type);
        const auto type = parse_party_type(type_text);
        if (!type) {
            r.report(Severity::error, "bad-party-type", a.assignment_id, f.GetFID(), "party_type",
                     fmt::format("'{}' is not a party type; the assignment is dropped. Write "
                                 "'household' or 'team'.",
                                 type_text));
            return;
        }
        a.party_type = *type;
        a.party_id = r.text(f, party_id);
        a.line_id = r.text(f, line_id);
        a.from_marker = r.text(f, from_marker);
        a.to_marker = r.text(f, to_marker);
        a.from_km = r.number(f, from_km, a.assignment_id);
        a.to_km = r.number(f, to_km, a.assignment_id);
        a.signed_on = r.date(f, signed_on, a.assignment_id);
        a.expires = r.date(f, expires, a.assignment_id);
        auto parts = r.lines(f, a.assignment_id);
        if (parts.size() > 1) {
            r.report(Severity::error, "wrong-geometry-type", a.assignment_id, f.GetFID(), {},
                     "a drawn assignment must be one LineString, not several parts; it is dropped. "
                     "Split it into one assignment per part.");
            return;
        }
        if (parts.size() == 1) {
            a.drawn = std::move(parts.front());
        }
        a.fid = f.GetFID();
        ws.assignments.push_back(std::move(a));
    });
}

/// The custodies read so far, by marker, party type and party (the key of a
/// marker_custodians row, which has no id of its own): each row's period.
struct CustodyPeriod {
    std::optional<Date> signed_on, expires;
    std::int64_t fid = -1;
};
using CustodiesHeld = std::unordered_map<std::string, std::vector<CustodyPeriod>>;

/// The FID of an earlier row giving the same party the same marker for a
/// time that overlaps c's; c is recorded. Rows with the same key and periods
/// apart are a custody renewed, not a repeat. A row that expires before it
/// is signed is left to its own error (expires-before-signed).
std::optional<std::int64_t> custody_held_already(CustodiesHeld& held, const MarkerCustodian& c) {
    if (c.signed_on && c.expires && *c.expires < *c.signed_on) {
        return std::nullopt;
    }
    auto& rows =
        held[fmt::format("{}\x1f{}\x1f{}", c.marker_id, to_string(c.party_type), c.party_id)];
    // Periods are [signed, expires), open at an end whose date is missing.
    const auto overlaps = [&](const CustodyPeriod& x) {
        return (!c.signed_on || !x.expires || *c.signed_on < *x.expires) &&
               (!x.signed_on || !c.expires || *x.signed_on < *c.expires);
    };
    const auto earlier = std::find_if(rows.begin(), rows.end(), overlaps);
    std::optional<std::int64_t> found;
    if (earlier != rows.end()) {
        found = earlier->fid;
    }
    rows.push_back({c.signed_on, c.expires, c.fid});
    return found;
}

void read_custodians(LayerReader& r, Workspace& ws) {
    const int marker_id = r.field("marker_id"), party_type = r.field("party_type"),
              party_id = r.field("party_id");
    const auto signed_on = r.ref("signed"), expires = r.ref("expires");
    ws.custodians.reserve(r.expected_count());
    CustodiesHeld held;
    for_each_feature(r, [&](const OGRFeature& f) {
        MarkerCustodian c;
        c.marker_id = r.text(f, marker_id);
        const std::string label = c.marker_id + "/" + r.text(f, party_id);
        const std::string type_text = r.text(f, party_type);
        const auto type = parse_party_type(type_text);
        if (!type) {
            r.report(Severity::error, "bad-party-type", label, f.GetFID(), "party_type",
                     fmt::format("'{}' is not a party type; the row is dropped. Write 'household' "
                                 "or 'team'.",
                                 type_text));
            return;
        }
        c.party_type = *type;
        c.party_id = r.text(f, party_id);
        c.signed_on = r.date(f, signed_on, label);
        c.expires = r.date(f, expires, label);
        c.fid = f.GetFID();
        if (const auto earlier = custody_held_already(held, c)) {
            r.report(Severity::warning, "duplicate-id", label, c.fid, {},
                     fmt::format("{} '{}' holds marker '{}' by an earlier row too (FID {}), for a "
                                 "time that overlaps this row's; the custody counts once. Delete "
                                 "one of the two rows, or merge them into one.",
                                 to_string(c.party_type), c.party_id, c.marker_id, *earlier));
        }
        ws.custodians.push_back(std::move(c));
    });
}

struct LayerSpec {
    const char* name;
    const char* id_field;
    std::vector<std::string> required;
};

} // namespace

namespace {

/// One layer read on its own (in its own thread, with its own dataset
/// handle): the part of the workspace it fills and its diagnostics.
struct LayerPart {
    Workspace part;
    Diagnostics diagnostics;
    std::string fatal; ///< why the workspace cannot be used, after the diagnostics are kept
};

LayerPart read_layer(const std::string& path, const LayerSpec& spec, const ReadOptions& options) {
    detail::QuietGdal quiet;
    LayerPart out;
    Workspace& ws = out.part;
    const Source source(path);
    auto open = source.open(spec.name);
    const std::string name = spec.name;
    if (!open) {
        if (name == "border_lines") {
            throw DataError(fmt::format(
                "{}: no layer 'border_lines', the one layer a workspace must have. Name the "
                "layer (or, in a folder, the file) border_lines.",
                path));
        }
        return out;
    }
    const std::string file = open->file;
    LayerReader reader(std::move(*open), spec.id_field, out.diagnostics);
    const bool usable = reader.require(spec.required) && reader.prepare_crs();
    ws.sources.push_back({file, spec.name, reader.has_geometry(), wkt_of(reader.srs())});
    if (name == "border_lines") {
        if (!usable) {
            out.fatal = fmt::format("{}, layer 'border_lines': {}", reader.file(),
                                    out.diagnostics.items().back().message);
            return out;
        }
        if (const OGRSpatialReference* srs = reader.srs()) {
            ws.crs_wkt = wkt_of(srs);
            ws.crs_name = srs->GetName() ? srs->GetName() : "";
        }
        read_lines(reader, ws);
        if (ws.lines.empty()) {
            // The reason is the first error (a warning may come before it).
            const auto& items = out.diagnostics.items();
            const auto error = std::find_if(items.begin(), items.end(), [](const Diagnostic& d) {
                return d.severity == Severity::error;
            });
            out.fatal = fmt::format(
                "{}, layer 'border_lines': no usable border line{}", reader.file(),
                error == items.end()
                    ? std::string(": the layer is empty. Draw the border line in it (in QGIS), or "
                                  "copy it in from the demarcation data.")
                    : ": " + error->describe());
        }
    } else if (!usable) {
        return out;
    } else if (name == "markers") {
        read_markers(reader, ws);
    } else if (name == "communes") {
        read_communes(reader, ws);
    } else if (name == "teams") {
        read_teams(reader, ws);
    } else if (name == "households") {
        read_households(reader, ws, options.households_in_full);
    } else if (name == "assignments") {
        read_assignments(reader, ws);
    } else if (name == "marker_custodians") {
        read_custodians(reader, ws);
    }
    return out;
}

template <typename T>
void take(std::vector<T>& into, std::vector<T>& from) {
    if (!from.empty()) {
        into = std::move(from);
    }
}

} // namespace

Workspace read_workspace(const std::string& path, Diagnostics& diagnostics,
                         const ReadOptions& options) {
    {
        detail::QuietGdal quiet;
        const Source check(path); // a missing or unreadable path fails here, once
    }
    const std::vector<LayerSpec> specs{
        {"border_lines", "line_id", {"line_id"}},
        {"markers", "marker_id", {"marker_id"}},
        {"communes", "commune_id", {"commune_id", "name"}},
        {"teams", "team_id", {"team_id", "name"}},
        {"households", "household_id", {"household_id"}},
        {"assignments", "assignment_id", {"assignment_id", "party_type", "party_id"}},
        {"marker_custodians", "marker_id", {"marker_id", "party_type", "party_id"}},
    };
    // The layers are independent: read them side by side, then put them
    // together in a fixed order so the result does not depend on timing.
    std::vector<std::future<LayerPart>> reading;
    for (const LayerSpec& spec : specs) {
        reading.push_back(std::async(std::launch::async, read_layer, std::cref(path), std::cref(spec),
                                     std::cref(options)));
    }
    std::vector<LayerPart> parts;
    std::exception_ptr failure;
    for (auto& r : reading) {
        try {
            parts.push_back(r.get());
        } catch (...) {
            if (!failure) {
                failure = std::current_exception();
            }
        }
    }
    if (failure) {
        std::rethrow_exception(failure);
    }
    Workspace ws;
    ws.path = path;
    std::string fatal;
    for (LayerPart& p : parts) {
        if (fatal.empty()) {
            fatal = p.fatal;
        }
        for (Diagnostic& d : p.diagnostics.items_for_move()) {
            diagnostics.add(std::move(d));
        }
        Workspace& w = p.part;
        ws.sources.insert(ws.sources.end(), w.sources.begin(), w.sources.end());
        if (!w.crs_wkt.empty()) {
            ws.crs_wkt = std::move(w.crs_wkt);
            ws.crs_name = std::move(w.crs_name);
        }
        take(ws.lines, w.lines);
        take(ws.markers, w.markers);
        take(ws.communes, w.communes);
        take(ws.teams, w.teams);
        take(ws.households, w.households);
        take(ws.assignments, w.assignments);
        take(ws.custodians, w.custodians);
    }
    if (!fatal.empty()) {
        throw DataError(fatal); // the diagnostics that explain it are kept
    }
    return ws;
}

std::vector<IncidentPoint> read_points(const std::string& path, Diagnostics& diagnostics) {
    detail::QuietGdal quiet;
    const auto ds = open_dataset(path);
    if (ds->GetLayerCount() == 0) {
        throw IoError(fmt::format("{}: the datasource has no layer. Give a file with incident points.", path));
    }
    OGRLayer* layer = ds->GetLayer(0);
    const int id_field = layer->GetLayerDefn()->GetFieldIndex("id") >= 0
                             ? layer->GetLayerDefn()->GetFieldIndex("id")
                             : layer->GetLayerDefn()->GetFieldIndex("incident_id");
    const std::string id_name = id_field >= 0 ? layer->GetLayerDefn()->GetFieldDefn(id_field)->GetNameRef() : "";
    LayerReader reader(OpenLayer{ds, layer, path, layer->GetName()}, id_name, diagnostics);
    std::vector<IncidentPoint> points;
    if (!reader.prepare_crs()) {
        throw DataError(fmt::format("{}, layer '{}': {}", path, layer->GetName(),
                                    diagnostics.items().back().message));
    }
    for_each_feature(reader, [&](const OGRFeature& f) {
        std::string id = id_field >= 0 ? reader.text(f, id_field) : std::to_string(f.GetFID());
        const auto p = reader.point(f, id);
        if (!p) {
            reader.report(Severity::error, "missing-geometry", id, f.GetFID(), {},
                          "the feature has no point; it is left out. Give it a position.");
            return;
        }
        points.push_back({std::move(id), *p, f.GetFID()});
    });
    return points;
}

std::vector<LayerInfo> describe_workspace(const std::string& path) {
    detail::QuietGdal quiet;
    const Source source(path);
    std::vector<LayerInfo> out;
    for (const std::string& name : workspace_layers()) {
        const auto open = source.open(name);
        if (!open) {
            continue;
        }
        LayerInfo info;
        info.layer = name;
        info.file = open->file;
        info.features = open->layer->GetFeatureCount(TRUE);
        const OGRwkbGeometryType type = open->layer->GetGeomType();
        info.geometry_type = type == wkbNone ? "none" : OGRGeometryTypeToName(type);
        if (const OGRSpatialReference* srs = open->layer->GetSpatialRef();
            srs && is_undefined_crs(*srs)) {
            info.crs = fmt::format("none ({})", srs->GetName());
        } else if (srs) {
            const char* auth = srs->GetAuthorityName(nullptr);
            const char* code = srs->GetAuthorityCode(nullptr);
            info.crs = srs->GetName() ? srs->GetName() : "?";
            if (auth && code) {
                info.crs += fmt::format(" ({}:{})", auth, code);
            }
        }
        out.push_back(std::move(info));
    }
    return out;
}

} // namespace bordercov::io
