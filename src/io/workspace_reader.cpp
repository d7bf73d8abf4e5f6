#include "bordercov/io/workspace_reader.hpp"

#include "bordercov/error.hpp"
#include "bordercov/io/postgis.hpp"
#include "bordercov/text.hpp"
#include "detail/arrow_stream.hpp"
#include "detail/feature_row.hpp"
#include "detail/gdal_support.hpp"
#include "detail/geos_adapter.hpp"
#include "detail/huge_pages.hpp"
#include "detail/id_set.hpp"
#include "detail/parallel.hpp"
#include "detail/postgres.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <thread>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace bordercov::io {

namespace fs = std::filesystem;

const std::vector<std::string>& workspace_layers() {
    static const std::vector<std::string> names{
        "border_lines", "markers",     "communes",         "teams",
        "households",   "assignments", "marker_custodians"};
    return names;
}

namespace {

/// One layer of the workspace, open for reading, with the dataset it lives in.
struct OpenLayer {
    std::shared_ptr<GDALDataset> dataset;
    OGRLayer* layer = nullptr;
    std::string file; ///< as messages name it: a path, or "ws.zip (member ws/markers.geojson)"
    std::string name;
    /// The CRS a layer without one is in, by what it holds: EPSG:4326 for a
    /// CSV with lon/lat columns; "" when nothing says.
    std::string implied_srs;
    std::string implied_why;
};

bool is_vsi(const std::string& path) {
    return path.starts_with("/vsi");
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

/// Why a path on disk cannot be read, before GDAL hides it behind "not a
/// datasource": it does not exist, or permission is denied (to it, or to a
/// folder on the way). Throws IoError; returns when it can be read.
void check_readable(const std::string& path, bool folder) {
    if (is_vsi(path)) {
        return;
    }
    errno = 0;
    if (::access(path.c_str(), F_OK) != 0) {
        if (errno == EACCES) {
            throw IoError(fmt::format(
                "{}: permission denied on a folder on its path; bordercov may not look inside it. "
                "Give this user access to the folders (chmod o+x, or ask who owns them), or copy "
                "the workspace somewhere readable.",
                path));
        }
        throw IoError(fmt::format("{}: no such file or folder. Check the workspace path.", path));
    }
    if (::access(path.c_str(), folder ? (R_OK | X_OK) : R_OK) != 0) {
        const int e = errno;
        throw IoError(fmt::format("{}: cannot read it: {}. Give this user read access (chmod "
                                  "a+r{}, or ask who owns it), or copy it somewhere readable.",
                                  path, std::strerror(e), folder ? "x" : ""));
    }
}

/// Open options that let a CSV file be read as points: lon/lat, x/y or WKT
/// columns by their usual names, which do not then show as fields.
const char* const csv_open_options[] = {
    "X_POSSIBLE_NAMES=lon,long,lng,longitude,x", "Y_POSSIBLE_NAMES=lat,latitude,y",
    "GEOM_POSSIBLE_NAMES=wkt,geometry,geom,the_geom", "KEEP_GEOM_COLUMNS=NO", nullptr};

/// The column names of a CSV file (its first line), in lower case.
std::vector<std::string> csv_columns(const std::string& path) {
    std::vector<std::string> names;
    VSILFILE* f = VSIFOpenL(path.c_str(), "rb");
    if (f == nullptr) {
        return names;
    }
    const char* line = CPLReadLineL(f);
    std::string header = line ? line : "";
    VSIFCloseL(f);
    if (header.starts_with("\xEF\xBB\xBF")) {
        header.erase(0, 3); // a spreadsheet's byte order mark
    }
    std::string current;
    for (const char c : header + ",") {
        if (c == ',' || c == ';' || c == '\t') {
            const auto b = current.find_first_not_of(" \"'");
            const auto e = current.find_last_not_of(" \"'\r");
            names.push_back(b == std::string::npos ? "" : lower(current.substr(b, e - b + 1)));
            current.clear();
        } else {
            current.push_back(c);
        }
    }
    return names;
}

std::shared_ptr<GDALDataset> open_dataset(const std::string& path, const std::string& shown) {
    detail::register_gdal();
    if (io::is_postgres(path)) {
        const detail::PgConnection c = detail::parse_pg_connection(path);
        return std::shared_ptr<GDALDataset>(
            detail::open_pg(c, c.schema.empty() ? "" : detail::search_path_statement(c.schema), "",
                            false)
                .release(),
            detail::DatasetCloser{});
    }
    std::error_code ec;
    check_readable(path, fs::is_directory(path, ec));
    const bool csv = lower(fs::path(path).extension().string()) == ".csv";
    CPLErrorReset();
    GDALDataset* ds = GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr,
                                        csv ? csv_open_options : nullptr);
    if (ds == nullptr) {
        const std::string gdal_error = detail::last_gdal_error();
        if (lower(gdal_error).find("database is locked") != std::string::npos) {
            throw IoError(fmt::format(
                "{}: the file is locked by another program that is writing to it (SQLite: "
                "database is locked). Save and close it there (in QGIS: stop editing its layers), "
                "then try again.",
                shown));
        }
        if (!is_vsi(path) && !fs::exists(path, ec)) {
            throw IoError(
                fmt::format("{}: no such file or folder. Check the workspace path.", shown));
        }
        throw IoError(fmt::format("{}: not a vector datasource GDAL can read{}. A workspace is a "
                                  "GeoPackage, a folder of GeoJSON, Shapefile, FlatGeobuf or CSV "
                                  "files, or a .zip of either.",
                                  shown, gdal_error));
    }
    return std::shared_ptr<GDALDataset>(ds, detail::DatasetCloser{});
}

/// A name as compared for near misses: case, blanks around it, spaces or
/// hyphens for underscores, and a plural for a singular all fall away
/// ("Households ", "Border-Lines", "marker" all near "markers").
std::string near_name(std::string_view name) {
    std::string s;
    for (const char c : fold_diacritics(name)) {
        const char d = c == ' ' || c == '-' || c == '.' ? '_' : c;
        if (!(d == '_' && (s.empty() || s.back() == '_'))) {
            s.push_back(d);
        }
    }
    while (!s.empty() && s.back() == '_') {
        s.pop_back();
    }
    if (s.ends_with('s')) {
        s.pop_back();
    }
    return s;
}

/// A problem with how the workspace holds a layer, found before reading it.
struct SourceNote {
    Severity severity;
    std::string code;
    std::string message;
};

/// A workspace as a set of layers: one datasource, a folder with a file per
/// layer, or a .zip of either (read through GDAL's /vsizip/).
class Source {
  public:
    /// A database schema, read in one consistent snapshot.
    explicit Source(std::shared_ptr<const detail::PgSnapshot> pg)
        : path_(pg->shown()), shown_(pg->shown()), pg_(std::move(pg)) {
        names_ = pg_->tables();
    }

    explicit Source(const std::string& path) : path_(path) {
        detail::register_gdal();
        std::error_code ec;
        const bool zip = !is_vsi(path) && lower(fs::path(path).extension().string()) == ".zip" &&
                         !fs::is_directory(path, ec);
        if (zip) {
            check_readable(path, false);
            open_zip();
        } else if (fs::is_directory(path, ec) || (is_vsi(path) && is_vsi_folder(path))) {
            check_readable(path, true);
            list_folder(path,
                        [&](const std::string& name) { return (fs::path(path) / name).string(); });
        } else {
            dataset_ = open_dataset(path, path);
            shown_ = path;
            for (int i = 0; i < dataset_->GetLayerCount(); ++i) {
                names_.push_back(dataset_->GetLayer(i)->GetName());
            }
        }
    }

    /// The layer, or nullopt when the workspace has none by that name (or
    /// a name near it). notes receives what the reader should say about it.
    std::optional<OpenLayer> open(const std::string& name, std::vector<SourceNote>* notes) const {
        if (one_datasource()) {
            const auto candidates = matches(name, names_);
            if (candidates.empty()) {
                return std::nullopt;
            }
            const std::string& chosen = names_[candidates.front()];
            if (notes) {
                note_choice(name, candidates, names_, "layer", *notes);
            }
            const std::shared_ptr<GDALDataset> ds = pg_ ? open_table(chosen) : dataset_;
            OGRLayer* layer = ds->GetLayerByName(chosen.c_str());
            if (!layer) {
                return std::nullopt;
            }
            if (pg_ && !pg_->on_leader(chosen)) {
                layer->GetLayerDefn(); // the table's definition read before the snapshot
                pg_->enter(*ds);
            }
            return OpenLayer{ds, layer, shown_, name, {}, {}};
        }
        std::vector<std::string> stems;
        for (const File& f : files_) {
            stems.push_back(f.stem);
        }
        const auto candidates = matches(name, stems);
        if (candidates.empty()) {
            return std::nullopt;
        }
        const File& file = files_[candidates.front()];
        if (notes) {
            std::vector<std::string> shown;
            for (const File& f : files_) {
                shown.push_back(f.file_name);
            }
            note_choice(name, candidates, shown, "file", *notes);
        }
        auto ds = open_dataset(file.path, file.shown);
        OGRLayer* layer = ds->GetLayerByName(name.c_str());
        if (!layer && ds->GetLayerCount() > 0) {
            layer = ds->GetLayer(0);
        }
        if (!layer) {
            return std::nullopt;
        }
        OpenLayer open{ds, layer, file.shown, name, {}, {}};
        if (file.extension == ".csv") {
            const auto columns = csv_columns(file.path);
            const auto has = [&](std::initializer_list<const char*> any) {
                return std::any_of(any.begin(), any.end(), [&](const char* c) {
                    return std::find(columns.begin(), columns.end(), c) != columns.end();
                });
            };
            if (has({"lon", "long", "lng", "longitude"}) && has({"lat", "latitude"})) {
                open.implied_srs = "EPSG:4326";
                open.implied_why =
                    "its positions are in columns named lon/lat (or longitude/latitude), "
                    "and a CSV file carries no CRS";
            }
        }
        return open;
    }

    /// The layer is read on a connection that other layers share, so it
    /// must be read in the same thread as they (a small table of a database).
    bool shares_connection(const std::string& name) const {
        const auto candidates = matches(name, names_);
        return pg_ && !candidates.empty() && pg_->on_leader(names_[candidates.front()]);
    }

  private:
    struct File {
        std::string stem;      ///< as written, e.g. "Households "
        std::string extension; ///< lower case, with the dot
        std::string file_name; ///< as messages name it in the folder
        std::string path;      ///< to open (a /vsizip/ path in a zip)
        std::string shown;     ///< as messages name it
        std::size_t rank = 0;  ///< of the extension, by preference
    };

    static bool is_vsi_folder(const std::string& path) {
        VSIStatBufL stat;
        return VSIStatL(path.c_str(), &stat) == 0 && VSI_ISDIR(stat.st_mode);
    }

    /// The files of a folder that can hold a layer, by preference of their
    /// format. A Shapefile's .dbf counts only when it stands alone (a layer
    /// without geometry); any other two files of one name are two sources.
    template <typename PathOf>
    void list_folder(const std::string& vsi_folder, PathOf shown_of,
                     const std::string& prefix = {}) {
        static const std::vector<std::string> extensions{".gpkg",   ".geojson", ".json", ".shp",
                                                         ".fgb",    ".csv",     ".gml",  ".kml",
                                                         ".sqlite", ".dbf"};
        char** entries = VSIReadDir(vsi_folder.c_str());
        std::vector<File> found;
        for (int i = 0; entries && entries[i]; ++i) {
            const std::string entry = entries[i];
            const fs::path p(entry);
            const std::string ext = lower(p.extension().string());
            const auto rank = std::find(extensions.begin(), extensions.end(), ext);
            if (rank == extensions.end() || entry.starts_with(".")) {
                continue;
            }
            File f{p.stem().string(), ext,
                   prefix + entry,    vsi_folder + (vsi_folder.ends_with('/') ? "" : "/") + entry,
                   shown_of(entry),   static_cast<std::size_t>(rank - extensions.begin())};
            found.push_back(std::move(f));
        }
        CSLDestroy(entries);
        for (const File& f : found) {
            const bool shapefile_table =
                f.extension == ".dbf" &&
                std::any_of(found.begin(), found.end(), [&](const File& g) {
                    return g.stem == f.stem && g.extension == ".shp";
                });
            if (!shapefile_table) {
                files_.push_back(f);
            }
        }
        std::sort(files_.begin(), files_.end(), [](const File& a, const File& b) {
            return std::tie(a.rank, a.file_name) < std::tie(b.rank, b.file_name);
        });
    }

    /// A zip as the stations email it: a GeoPackage in it, or the layer
    /// files at its top or in one folder inside it.
    void open_zip() {
        const std::string zip = fs::absolute(path_).lexically_normal().string();
        const std::string root = "/vsizip/" + zip;
        char** all = VSIReadDirRecursive(root.c_str());
        std::vector<std::string> members;
        for (int i = 0; all && all[i]; ++i) {
            members.emplace_back(all[i]);
        }
        CSLDestroy(all);
        if (members.empty()) {
            throw IoError(
                fmt::format("{}: not a zip file GDAL can read, or an empty one{}. Zip the "
                            "workspace's GeoPackage, or its layer files, again.",
                            path_, detail::last_gdal_error()));
        }
        // The folder that holds border_lines (by its name or one near it);
        // else a GeoPackage alone; else the top of the zip.
        std::optional<std::string> folder;
        std::vector<std::string> packages;
        for (const std::string& m : members) {
            const fs::path p(m);
            const std::string ext = lower(p.extension().string());
            if (!m.ends_with('/') && near_name(p.stem().string()) == near_name("border_lines") &&
                ext != ".zip" && !folder) {
                folder = p.parent_path().string();
            }
            if (ext == ".gpkg" || ext == ".sqlite") {
                packages.push_back(m);
            }
        }
        if (!folder && packages.size() == 1) {
            shown_ = fmt::format("{} (member {})", path_, packages.front());
            dataset_ = open_dataset(root + "/" + packages.front(), shown_);
            for (int i = 0; i < dataset_->GetLayerCount(); ++i) {
                names_.push_back(dataset_->GetLayer(i)->GetName());
            }
            return;
        }
        std::string inside = folder.value_or("");
        if (!folder) {
            // No border_lines anywhere: list the top, or its one folder.
            std::set<std::string> tops;
            bool files_at_top = false;
            for (const std::string& m : members) {
                const auto slash = m.find('/');
                if (slash == std::string::npos) {
                    files_at_top = true;
                } else {
                    tops.insert(m.substr(0, slash));
                }
            }
            if (!files_at_top && tops.size() == 1) {
                inside = *tops.begin();
            }
        }
        const std::string prefix = inside.empty() ? "" : inside + "/";
        list_folder(
            inside.empty() ? root : root + "/" + inside,
            [&](const std::string& name) {
                return fmt::format("{} (member {}{})", path_, prefix, name);
            },
            prefix);
    }

    /// Indexes of the names that stand for the layer: the exact name first,
    /// then near misses, each group in the order given.
    static std::vector<std::size_t> matches(const std::string& layer,
                                            const std::vector<std::string>& names) {
        std::vector<std::size_t> exact, near;
        const std::string target = near_name(layer);
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (names[i] == layer) {
                exact.push_back(i);
            } else if (near_name(names[i]) == target) {
                near.push_back(i);
            }
        }
        exact.insert(exact.end(), near.begin(), near.end());
        return exact;
    }

    void note_choice(const std::string& layer, const std::vector<std::size_t>& candidates,
                     const std::vector<std::string>& shown, const char* kind,
                     std::vector<SourceNote>& notes) const {
        const std::string& chosen = shown[candidates.front()];
        const bool exact = one_datasource() ? names_[candidates.front()] == layer
                                            : files_[candidates.front()].stem == layer;
        if (candidates.size() > 1) {
            std::string all;
            for (std::size_t i = 0; i < candidates.size(); ++i) {
                all += fmt::format("{}'{}'",
                                   i == 0                       ? ""
                                   : i + 1 == candidates.size() ? " and "
                                                                : ", ",
                                   shown[candidates[i]]);
            }
            notes.push_back(
                {Severity::error, "duplicate-layer",
                 fmt::format("the workspace holds layer '{}' more than once: {}{}; only "
                             "'{}' is read. Remove or rename all but one of them.",
                             layer, std::string(kind) + "s ", all, chosen)});
        }
        if (!exact) {
            notes.push_back(
                {Severity::warning, "layer-name",
                 fmt::format(
                     "no {} is named '{}', but the {} '{}' looks like it and is read as that "
                     "layer. Rename it '{}{}' (layer and file names are lower case, with "
                     "underscores).",
                     kind, layer, kind, chosen, layer,
                     one_datasource() ? "" : files_[candidates.front()].extension)});
        }
    }

    /// A table of the database: on the leading connection, or on one of
    /// its own in the same snapshot.
    std::shared_ptr<GDALDataset> open_table(const std::string& table) const {
        pg_->check_readable(table);
        if (pg_->on_leader(table)) {
            return std::shared_ptr<GDALDataset>(std::shared_ptr<GDALDataset>{}, &pg_->leader());
        }
        return std::shared_ptr<GDALDataset>(pg_->open_reader().release(), detail::DatasetCloser{});
    }

    /// The layers are those of one datasource (a file, a database), not a
    /// folder's files.
    bool one_datasource() const { return dataset_ || pg_; }

    std::string path_;
    std::string shown_;
    std::shared_ptr<GDALDataset> dataset_;
    std::shared_ptr<const detail::PgSnapshot> pg_;
    std::vector<std::string> names_; ///< the dataset's layers
    std::vector<File> files_;        ///< a folder's layer files
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
        used_.assign(static_cast<std::size_t>(defn_->GetFieldCount()), false);
        id_index_ = field(id_field_);
        has_geometry_ = defn_->GetGeomFieldCount() > 0;
        // Where the count costs a pass over the table (a database), the
        // vectors grow as they are filled instead.
        if (const GIntBig n = open_.layer->TestCapability(OLCFastFeatureCount) != 0
                                  ? open_.layer->GetFeatureCount(FALSE)
                                  : 0;
            n > 0) {
            expected_ = static_cast<std::size_t>(n);
            seen_.reserve(expected_);
        }
    }

    const std::string& file() const { return open_.file; }
    /// The number of features when the driver knows it cheaply, else 0.
    std::size_t expected_count() const { return expected_; }
    const std::string& name() const { return open_.name; }
    OGRLayer& layer() { return *open_.layer; }

    /// The names of the layer's fields as stored.
    std::vector<std::string> field_names() const {
        std::vector<std::string> names;
        for (int i = 0; i < defn_->GetFieldCount(); ++i) {
            names.emplace_back(defn_->GetFieldDefn(i)->GetNameRef());
        }
        return names;
    }

    /// Index of a field, or -1. Checks required fields once, as a layer error.
    int field(const std::string& name) const {
        int i = defn_->GetFieldIndex(name.c_str());
        if (i < 0 && name.size() > 10) {
            i = defn_->GetFieldIndex(name.substr(0, 10).c_str());
        }
        if (i >= 0) {
            used_[static_cast<std::size_t>(i)] = true;
        }
        return i;
    }

    /// Whether the layer has every one of the fields (no diagnostic).
    bool has_fields(const std::vector<std::string>& names) const {
        return std::all_of(names.begin(), names.end(),
                           [&](const std::string& n) { return field(n) >= 0; });
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
            if (!holds_features()) {
                return true; // no coordinate to place (a table converted to FlatGeobuf, say)
            }
            const std::string none =
                srs == nullptr
                    ? std::string("no CRS")
                    : fmt::format("no CRS (only '{}', which says it is not known)", srs->GetName());
            if (fallback_) {
                report(Severity::warning, "assumed-crs", {}, -1, {},
                       fmt::format("the layer has geometry but {}; its coordinates are read in {}, "
                                   "as {}. Set the layer's own CRS if that is not right (in QGIS: "
                                   "Layer > Set CRS of Layer, then save).",
                                   none, fallback_text_, fallback_why_));
                srs = &*fallback_;
            } else if (srs == nullptr) {
                report(
                    Severity::error, "missing-crs", {}, -1, {},
                    "the layer has geometry but no CRS; the layer is ignored. Set its CRS (a .prj "
                    "beside a Shapefile; in QGIS: Layer > Set CRS of Layer, then save), or give "
                    "the CRS its coordinates are in with --assume-srs EPSG:<code>.");
                return false;
            } else {
                report(
                    Severity::error, "missing-crs", {}, -1, {},
                    fmt::format("the layer's CRS is '{}', which says only that its CRS is not "
                                "known; the layer is ignored. Set the CRS its coordinates are in "
                                "(in QGIS: Layer > Set CRS of Layer, then Export > Save Features "
                                "As... with that CRS; or with GDAL: ogr2ogr -a_srs EPSG:<code>), "
                                "or give it with --assume-srs EPSG:<code>.",
                                srs->GetName()));
                return false;
            }
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

    /// Whether the layer holds any feature: the driver's count where it is
    /// cheap, else whether a first feature can be read (GDAL writes an empty
    /// FlatGeobuf layer without its count, and then says -1).
    bool holds_features() {
        if (open_.layer->TestCapability(OLCFastFeatureCount) != 0) {
            return open_.layer->GetFeatureCount(FALSE) > 0;
        }
        open_.layer->ResetReading();
        const bool any = OGRFeatureUniquePtr(open_.layer->GetNextFeature()) != nullptr;
        open_.layer->ResetReading();
        return any;
    }

    /// The GDAL driver the layer is read with ("GPKG", "FlatGeobuf"), or "".
    std::string driver() const {
        const GDALDriver* d = open_.dataset ? open_.dataset->GetDriver() : nullptr;
        return d != nullptr ? d->GetDescription() : "";
    }

    /// The features for_each_feature has handed on so far, dropped or not.
    std::size_t rows_read() const { return rows_read_; }
    void count_row() { ++rows_read_; }

    /// The CRS for a layer that has geometry but none of its own (from
    /// --assume-srs, or implied by a CSV's lon/lat columns), and why.
    void set_fallback_crs(const OGRSpatialReference& srs, std::string text, std::string why) {
        fallback_ = srs;
        fallback_->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        fallback_text_ = std::move(text);
        fallback_why_ = std::move(why);
    }

    /// Fields (or "OGR_GEOMETRY") not to read at all: faster when not needed.
    void skip(std::vector<std::string> fields) {
        skipped_ = std::move(fields);
        ignore(skipped_);
    }

    /// Read through GDAL's Arrow stream where the driver reads columns
    /// natively, else (false) always feature by feature.
    void set_columnar(bool columnar) { columnar_ = columnar; }

    /// Calls each(row) for every feature, in the layer's order: through
    /// GDAL's Arrow stream where it can, else feature by feature.
    void for_each(const std::function<void(const detail::FeatureRow&)>& each) {
        if (const auto stream = open_columnar()) {
            stream->for_each(each);
            return;
        }
        open_.layer->ResetReading();
        while (const OGRFeatureUniquePtr f{open_.layer->GetNextFeature()}) {
            each(detail::OgrFeatureRow(*f));
        }
    }

    /// A field looked up once per layer, not once per feature.
    struct FieldRef {
        int index;
        const char* name;
    };
    FieldRef ref(const char* name) const { return {field(name), name}; }

    std::string text(const detail::FeatureRow& f, int i) const {
        if (i < 0 || !f.has(i)) {
            return {};
        }
        // Trim the blanks spreadsheets leave around ids.
        std::string_view s = f.text(i);
        const auto b = s.find_first_not_of(" \t\r\n");
        if (b == std::string_view::npos) {
            return {};
        }
        const auto e = s.find_last_not_of(" \t\r\n");
        return std::string(s.substr(b, e - b + 1));
    }

    std::string id(const detail::FeatureRow& f) const { return text(f, id_index_); }

    /// A number; decimal comma accepted. Not a number: an error that drops
    /// the feature (km, which place the stretch), or with
    /// Severity::warning a warning that leaves the value out and keeps the
    /// feature (an optional figure such as members).
    std::optional<double> number(const detail::FeatureRow& f, FieldRef field_ref,
                                 const std::string& id, Severity if_bad = Severity::error) {
        const int i = field_ref.index;
        const char* name = field_ref.name;
        if (i < 0 || !f.has(i)) {
            return std::nullopt;
        }
        double v = 0;
        const OGRFieldType type = defn_->GetFieldDefn(i)->GetType();
        if (type == OFTReal || type == OFTInteger || type == OFTInteger64) {
            v = f.number(i);
        } else {
            const std::string typed = text(f, i);
            if (typed.empty()) {
                return std::nullopt;
            }
            std::string s = typed;
            std::replace(s.begin(), s.end(), ',', '.'); // "12,5" as typed in a Vietnamese locale
            const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
            if (ec != std::errc{} || ptr != s.data() + s.size()) {
                const bool km = std::string_view(name).ends_with("_km");
                // Quote the value as typed, not as rewritten for parsing.
                const std::string what_to_do =
                    km ? "Write km as a decimal number such as 12.345 (or 12,345), without "
                         "thousands separators."
                       : fmt::format("Write {} in digits, such as 4.", name);
                if (if_bad == Severity::warning) {
                    report(Severity::warning, "bad-number", id, f.fid(), name,
                           fmt::format("'{}' is not a number; the value is left out (not known) "
                                       "and the feature is kept. {}",
                                       typed, what_to_do));
                    return std::nullopt;
                }
                report(Severity::error, "bad-number", id, f.fid(), name,
                       fmt::format("'{}' is not a number; the feature is dropped. {}", typed,
                                   what_to_do));
                throw Dropped{};
            }
        }
        if (!std::isfinite(v)) {
            if (if_bad == Severity::warning) {
                report(Severity::warning, "bad-number", id, f.fid(), name,
                       "the value is not finite (NaN or infinity); it is left out (not known) and "
                       "the feature is kept. Write a number.");
                return std::nullopt;
            }
            report(Severity::error, "bad-number", id, f.fid(), name,
                   "the value is not finite (NaN or infinity); the feature is dropped. Write a "
                   "number.");
            throw Dropped{};
        }
        return v;
    }

    /// A count (such as a household's members): a whole number, 0 or more.
    /// A fraction is rounded, a negative number left out (unknown), each
    /// with a warning.
    std::optional<std::int64_t> count(const detail::FeatureRow& f, FieldRef field_ref,
                                      const std::string& id) {
        const auto v = number(f, field_ref, id, Severity::warning);
        const char* name = field_ref.name;
        if (!v) {
            return std::nullopt;
        }
        if (*v < 0) {
            report(Severity::warning, "bad-number", id, f.fid(), name,
                   fmt::format("{} is below zero, which no number of {} can be; it is left out "
                               "(unknown). Write the number of {} as a whole number, 0 or more.",
                               *v, name, name));
            return std::nullopt;
        }
        const auto rounded = static_cast<std::int64_t>(std::llround(*v));
        if (*v != std::floor(*v)) {
            report(Severity::warning, "bad-number", id, f.fid(), name,
                   fmt::format("{} is not a whole number; it is rounded to {}. Write the number of "
                               "{} as a whole number.",
                               *v, rounded, name));
        }
        return rounded;
    }

    /// A date field. An unreadable date never drops the feature: its value
    /// is left out with a diagnostic. For signed and expires that leaves the
    /// period open at that end (active from the start, or never expiring),
    /// which counts the row as active where it perhaps is not: an error, so
    /// that check fails and --strict stops. For built (a marker's history) a
    /// warning; there a year ("2010") or a month ("2010-05") alone is read as
    /// its first day, with a warning saying so.
    std::optional<Date> date(const detail::FeatureRow& f, FieldRef field_ref, const std::string& id,
                             const char* what) {
        const int i = field_ref.index;
        const char* name = field_ref.name;
        if (i < 0 || !f.has(i)) {
            return std::nullopt;
        }
        const bool built = std::string_view(name) == "built";
        const OGRFieldType type = defn_->GetFieldDefn(i)->GetType();
        std::optional<Date> d;
        if (type == OFTDate || type == OFTDateTime) {
            if (const auto day = f.day(i)) {
                d = Date::from_ymd(day->year, day->month, day->day);
            }
        } else {
            const std::string s = text(f, i);
            if (s.empty()) {
                return std::nullopt;
            }
            if (!built) {
                d = Date::parse(s);
            } else if (const auto partial = Date::parse_partial(s)) {
                d = partial->first_day;
                if (partial->precision != Date::Precision::day) {
                    report(Severity::warning, "partial-date", id, f.fid(), name,
                           fmt::format(
                               "'{}' gives only the {}; it is read as {}, the first day. "
                               "Write the whole date ({}) when it is known.",
                               s, partial->precision == Date::Precision::year ? "year" : "month",
                               d->iso(), date_formats));
                }
            }
        }
        if (!d) {
            const std::string typed = text(f, i);
            if (built) {
                report(
                    Severity::warning, "bad-date", id, f.fid(), name,
                    fmt::format("'{}' is not a date; the value is left out (not known) and the {} "
                                "is kept. Write dates as {}, or a year (YYYY) or month (YYYY-MM) "
                                "alone.",
                                typed, what, date_formats));
            } else {
                const bool start = std::string_view(name) == "signed";
                report(Severity::error, "bad-date", id, f.fid(), name,
                       fmt::format("'{}' is not a date; the value is left out and the {} is kept, "
                                   "counted as {} until it is corrected. Write dates as {}.",
                                   typed, what,
                                   start ? "active from any date (as if it had no signed date)"
                                         : "never expiring (as if it had no expires date)",
                                   date_formats));
            }
        }
        return d;
    }

    /// The feature's geometry in WGS 84 lon/lat as parts of points; empty
    /// when it has none. Bad coordinates drop the feature.
    std::vector<std::vector<LonLat>> lines(const detail::FeatureRow& f, const std::string& id) {
        std::vector<std::vector<LonLat>> parts;
        const detail::GeometryPtr copy = f.geometry();
        if (copy == nullptr || copy->IsEmpty()) {
            return parts;
        }
        const auto type = wkbFlatten(copy->getGeometryType());
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

    std::optional<LonLat> point(const detail::FeatureRow& f, const std::string& id) {
        const detail::GeometryPtr copy = f.geometry();
        if (copy == nullptr || copy->IsEmpty()) {
            return std::nullopt;
        }
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

    MultiPolygon polygons(const detail::FeatureRow& f, const std::string& id) {
        MultiPolygon out;
        detail::GeometryPtr copy = f.geometry();
        if (copy == nullptr || copy->IsEmpty()) {
            return out;
        }
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
            detail::GeometryPtr repaired;
            if (!fixed.empty()) {
                OGRGeometry* made = nullptr;
                const OGRErr err =
                    OGRGeometryFactory::createFromWkb(fixed.data(), nullptr, &made, fixed.size());
                repaired.reset(made);
                if (err != OGRERR_NONE || (repaired && repaired->IsEmpty())) {
                    repaired.reset();
                }
            }
            const std::string what = fmt::format(
                "the polygon is invalid ({}{})", validity.reason,
                validity.location ? fmt::format(" at POINT ({:.7f} {:.7f})", validity.location->lon,
                                                validity.location->lat)
                                  : "");
            Diagnostic& d = reporter_.add(
                Severity::error, "invalid-polygon", id, f.fid(), {},
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
            copy.reset(repaired.release());
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
        reporter_.add(severity, std::move(code), std::move(id), fid, std::move(field_name),
                      std::move(message));
    }

    /// Thrown to drop the feature being read; its diagnostic is already out.
    struct Dropped {};

    /// The id of a feature, or a diagnostic and Dropped when empty or repeated.
    std::string unique_id(const detail::FeatureRow& f) {
        std::string fid_text = id(f);
        if (fid_text.empty()) {
            report(
                Severity::error, "missing-id", {}, f.fid(), id_field_,
                fmt::format("the feature has no {}; it is dropped. Give every feature a unique {}.",
                            id_field_, id_field_));
            throw Dropped{};
        }
        if (!seen_.insert(fid_text)) {
            report(
                Severity::error, "duplicate-id", fid_text, f.fid(), id_field_,
                fmt::format("{} '{}' appears more than once; this later feature is dropped. Make "
                            "the ids unique.",
                            id_field_, fid_text));
            throw Dropped{};
        }
        return fid_text;
    }

  private:
    void ignore(const std::vector<std::string>& fields) {
        std::vector<const char*> names;
        for (const std::string& f : fields) {
            names.push_back(f.c_str());
        }
        names.push_back(nullptr);
        open_.layer->SetIgnoredFields(names.data());
    }

    /// The layer's Arrow stream, or null to read it feature by feature. The
    /// fields the stream cannot give exactly as OGRFeature does are left
    /// out when nothing reads them; when one is read, the layer is read
    /// feature by feature. The fields read are those looked up by field().
    std::unique_ptr<detail::ArrowLayerStream> open_columnar() {
        // Only a layer the driver knows to hold features goes through the
        // stream: GDAL 3.6's Arrow stream of an empty FlatGeobuf layer never
        // comes to its end.
        if (!columnar_ || open_.layer->TestCapability(OLCFastFeatureCount) == 0 ||
            open_.layer->GetFeatureCount(FALSE) <= 0) {
            return nullptr;
        }
        std::vector<std::string> ignored = skipped_;
        for (int i = 0; i < defn_->GetFieldCount(); ++i) {
            const OGRFieldDefn& field = *defn_->GetFieldDefn(i);
            if (detail::arrow_readable_field(field)) {
                continue;
            }
            if (used_[static_cast<std::size_t>(i)]) {
                return nullptr;
            }
            ignored.emplace_back(field.GetNameRef());
        }
        ignore(ignored);
        auto stream = detail::ArrowLayerStream::open(*open_.layer, open_.file);
        if (!stream) {
            ignore(skipped_);
        }
        return stream;
    }

    void transform(OGRGeometry& g, const detail::FeatureRow& f, const std::string& id) {
        if (transform_ && g.transform(transform_.get()) != OGRERR_NONE) {
            report(Severity::error, "bad-coordinate", id, f.fid(), "geometry",
                   "the geometry cannot be transformed to WGS 84 (coordinates outside the layer "
                   "CRS's area, or not finite); the feature is dropped. Check the layer's CRS.");
            throw Dropped{};
        }
    }

    void check_coordinate(LonLat p, const detail::FeatureRow& f, const std::string& id) {
        if (!std::isfinite(p.lon) || !std::isfinite(p.lat) || std::abs(p.lon) > 180 ||
            std::abs(p.lat) > 90) {
            report(
                Severity::error, "bad-coordinate", id, f.fid(), "geometry",
                fmt::format(
                    "coordinate ({}, {}) is not a lon/lat position on Earth (NaN, "
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
        if (!srs.GetAreaOfUse(&w, &s, &e, &n, &area_name) ||
            (w <= -180 && e >= 180 && s <= -90 && n >= 90)) {
            return; // unknown, or the whole world
        }
        std::string crs = srs.GetName() ? srs.GetName() : "?";
        if (const char* code = srs.GetAuthorityCode(nullptr);
            code && srs.GetAuthorityName(nullptr)) {
            crs += fmt::format(" ({}:{})", srs.GetAuthorityName(nullptr), code);
        }
        if (area_name) {
            crs += fmt::format(", meant for {}", area_name);
        }
        area_ = AreaOfUse{w, s, e, n, std::move(crs)};
    }

    /// A warning for the first few features outside the area of use, then one
    /// for the rest of the layer.
    void outside_area(LonLat p, const detail::FeatureRow& f, const std::string& id) {
        static constexpr int named = 20;
        if (f.fid() == last_outside_fid_) {
            return; // one warning per feature
        }
        last_outside_fid_ = f.fid();
        ++outside_count_;
        const std::string where = fmt::format("lon {:.2f} to {:.2f}, lat {:.2f} to {:.2f}",
                                              area_->west, area_->east, area_->south, area_->north);
        if (outside_count_ <= named) {
            reporter_
                .add(Severity::warning, "outside-crs-area", id, f.fid(), "geometry",
                     fmt::format(
                         "the position ({:.5f}, {:.5f}) in lon/lat lies more than {}° outside the "
                         "area "
                         "of use of the layer's CRS {} ({}): the layer's CRS is most likely wrong. "
                         "Check it (in QGIS: Layer Properties > Source), or reproject the data.",
                         p.lon, p.lat, AreaOfUse::margin_deg, area_->crs, where))
                .where = {p};
        } else if (outside_count_ == named + 1) {
            report(Severity::warning, "outside-crs-area", {}, -1, "geometry",
                   fmt::format(
                       "more features than the {} named lie outside the area of use of the layer's "
                       "CRS {} ({}); they are not each named. Check the layer's CRS.",
                       named, area_->crs, where));
        }
    }

    std::vector<LonLat> points_of(const OGRLineString& line, const detail::FeatureRow& f,
                                  const std::string& id) {
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

    [[noreturn]] void wrong_type(const detail::FeatureRow& f, const std::string& id,
                                 const char* found, const char* expected) {
        report(Severity::error, "wrong-geometry-type", id, f.fid(), {},
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
    std::optional<OGRSpatialReference> fallback_;
    std::string fallback_text_, fallback_why_;
    detail::Transform transform_;
    std::optional<AreaOfUse> area_;
    GIntBig last_outside_fid_ = OGRNullFID;
    int outside_count_ = 0;
    detail::IdSet seen_;
    mutable std::vector<bool> used_; ///< per field: looked up by field(), so read
    std::vector<std::string> skipped_;
    bool columnar_ = true;
    std::size_t rows_read_ = 0;
};

/// Runs read_one on every feature, dropping those that throw Dropped.
template <typename ReadOne> void for_each_feature(LayerReader& reader, ReadOne read_one) {
    reader.for_each([&](const detail::FeatureRow& f) {
        reader.count_row();
        try {
            read_one(f);
        } catch (const LayerReader::Dropped&) {
        }
    });
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

/// A line as read, its geometry not measured yet.
struct ReadLine {
    std::string id;
    std::vector<BorderLine::Part> parts;
    std::string name, neighbour, side;
    std::int64_t fid = -1;
    std::size_t vertices() const {
        std::size_t n = 0;
        for (const BorderLine::Part& p : parts) {
            n += p.size();
        }
        return n;
    }
};

/// Each line's chainage and indexes (about 1.4 µs a vertex: 18 s for the
/// world's 12.7 million) built on a few threads, the longest lines first so
/// that no thread is left with a long one at the end; kept in layer order.
void build_lines(std::vector<ReadLine> read, std::vector<BorderLine>& out) {
    std::vector<std::size_t> order(read.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return read[a].vertices() > read[b].vertices();
    });
    std::vector<std::optional<BorderLine>> built(read.size());
    std::atomic<std::size_t> next{0};
    detail::parallel_workers(detail::worker_count(read.size(), 2), [&](std::size_t) {
        for (std::size_t k = next++; k < order.size(); k = next++) {
            ReadLine& l = read[order[k]];
            BorderLine line(std::move(l.id), std::move(l.parts));
            line.name = std::move(l.name);
            line.neighbour = std::move(l.neighbour);
            line.neighbour_side = std::move(l.side);
            line.fid = l.fid;
            built[order[k]].emplace(std::move(line));
        }
    });
    out.reserve(out.size() + built.size());
    for (std::optional<BorderLine>& line : built) {
        out.push_back(std::move(*line));
    }
}

void read_lines(LayerReader& r, Workspace& ws) {
    const int name = r.field("name"), neighbour = r.field("neighbour"),
              side = r.field("neighbour_side");
    std::vector<ReadLine> read;
    for_each_feature(r, [&](const detail::FeatureRow& f) {
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
            r.report(Severity::error, "degenerate-line", id, f.fid(), {},
                     "the line is empty or has fewer than two distinct vertices; it is dropped. "
                     "Redraw it.");
            return;
        }
        if (degenerate > 0) {
            r.report(Severity::warning, "degenerate-line", id, f.fid(), {},
                     fmt::format("{} part(s) with fewer than two distinct vertices are left out. "
                                 "Redraw or delete them in QGIS.",
                                 degenerate));
        }
        std::string neighbour_side = fold_diacritics(r.text(f, side));
        if (!neighbour_side.empty() && neighbour_side != "left" && neighbour_side != "right") {
            r.report(Severity::warning, "bad-side", id, f.fid(), "neighbour_side",
                     fmt::format(
                         "'{}' is not a side; write 'left' or 'right' (of the line's direction). "
                         "Sides are named left and right meanwhile.",
                         neighbour_side));
            neighbour_side.clear();
        }
        read.push_back({id, std::move(parts), r.text(f, name), r.text(f, neighbour),
                        std::move(neighbour_side), f.fid()});
    });
    build_lines(std::move(read), ws.lines);
}

void read_markers(LayerReader& r, Workspace& ws) {
    const int line_id = r.field("line_id"), kind = r.field("kind");
    const auto built = r.ref("built");
    detail::reserve_in_huge_pages(ws.markers, r.expected_count());
    for_each_feature(r, [&](const detail::FeatureRow& f) {
        Marker m;
        m.marker_id = r.unique_id(f);
        const auto p = r.point(f, m.marker_id);
        if (!p) {
            r.report(Severity::error, "missing-geometry", m.marker_id, f.fid(), {},
                     "the marker has no point; it is dropped. Place it on the map.");
            return;
        }
        m.position = *p;
        m.line_id = r.text(f, line_id);
        m.kind = r.text(f, kind);
        m.built = r.date(f, built, m.marker_id, "marker");
        m.fid = f.fid();
        ws.markers.push_back(std::move(m));
    });
}

void read_communes(LayerReader& r, Workspace& ws) {
    const int name = r.field("name"), district = r.field("district"),
              province = r.field("province");
    detail::reserve_in_huge_pages(ws.communes, r.expected_count());
    for_each_feature(r, [&](const detail::FeatureRow& f) {
        Commune c;
        c.commune_id = r.unique_id(f);
        c.area = r.polygons(f, c.commune_id);
        if (c.area.empty()) {
            r.report(Severity::warning, "missing-geometry", c.commune_id, f.fid(), {},
                     "the commune has no polygon: no border is counted in it. Draw the commune's "
                     "boundary in QGIS, or copy it in from the administrative boundaries.");
        }
        c.name = r.text(f, name);
        c.district = r.text(f, district);
        c.province = r.text(f, province);
        c.fid = f.fid();
        ws.communes.push_back(std::move(c));
    });
}

void read_teams(LayerReader& r, Workspace& ws) {
    const int name = r.field("name"), commune = r.field("commune_id"), kind = r.field("kind"),
              leader = r.field("leader"), phone = r.field("phone");
    detail::reserve_in_huge_pages(ws.teams, r.expected_count());
    for_each_feature(r, [&](const detail::FeatureRow& f) {
        Team t;
        t.team_id = r.unique_id(f);
        t.name = r.text(f, name);
        t.commune_id = r.text(f, commune);
        t.kind = r.text(f, kind);
        t.leader = r.text(f, leader);
        t.phone = r.text(f, phone);
        t.position = r.point(f, t.team_id);
        t.fid = f.fid();
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
    detail::reserve_in_huge_pages(ws.households, r.expected_count());
    for_each_feature(r, [&](const detail::FeatureRow& f) {
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
        h.fid = f.fid();
        ws.households.push_back(std::move(h));
    });
}

void read_assignments(LayerReader& r, Workspace& ws) {
    const int party_type = r.field("party_type"), party_id = r.field("party_id"),
              line_id = r.field("line_id"), from_marker = r.field("from_marker"),
              to_marker = r.field("to_marker");
    const auto from_km = r.ref("from_km"), to_km = r.ref("to_km"), signed_on = r.ref("signed"),
               expires = r.ref("expires");
    detail::reserve_in_huge_pages(ws.assignments, r.expected_count());
    for_each_feature(r, [&](const detail::FeatureRow& f) {
        Assignment a;
        a.assignment_id = r.unique_id(f);
        const std::string type_text = r.text(f, party_type);
        const auto type = parse_party_type(type_text);
        if (!type) {
            r.report(Severity::error, "bad-party-type", a.assignment_id, f.fid(), "party_type",
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
        a.signed_on = r.date(f, signed_on, a.assignment_id, "assignment");
        a.expires = r.date(f, expires, a.assignment_id, "assignment");
        auto parts = r.lines(f, a.assignment_id);
        if (parts.size() > 1) {
            r.report(Severity::error, "wrong-geometry-type", a.assignment_id, f.fid(), {},
                     "a drawn assignment must be one LineString, not several parts; it is dropped. "
                     "Split it into one assignment per part.");
            return;
        }
        if (parts.size() == 1) {
            a.drawn = std::move(parts.front());
        }
        a.fid = f.fid();
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
    detail::reserve_in_huge_pages(ws.custodians, r.expected_count());
    CustodiesHeld held;
    for_each_feature(r, [&](const detail::FeatureRow& f) {
        MarkerCustodian c;
        c.marker_id = r.text(f, marker_id);
        const std::string label = c.marker_id + "/" + r.text(f, party_id);
        const std::string type_text = r.text(f, party_type);
        const auto type = parse_party_type(type_text);
        if (!type) {
            r.report(Severity::error, "bad-party-type", label, f.fid(), "party_type",
                     fmt::format("'{}' is not a party type; the row is dropped. Write 'household' "
                                 "or 'team'.",
                                 type_text));
            return;
        }
        c.party_type = *type;
        c.party_id = r.text(f, party_id);
        c.signed_on = r.date(f, signed_on, label, "custody");
        c.expires = r.date(f, expires, label, "custody");
        c.fid = f.fid();
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
    /// false: the layer's geometry, if it has one, is never read, so it
    /// needs no CRS (marker_custodians).
    bool reads_geometry = true;
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

/// The workspace as layers: a file, folder or zip by its path, a database
/// schema in the snapshot every layer is read in.
struct WorkspaceSource {
    std::string path;
    std::shared_ptr<const detail::PgSnapshot> pg;

    Source open() const { return pg ? Source(pg) : Source(path); }
    const std::string& shown() const { return pg ? pg->shown() : path; }
};

std::string test_pause_prefix();
bool columnar_read(bool wanted);

WorkspaceSource workspace_source(const std::string& path, const ReadOptions& options) {
    if (io::is_postgres(path)) {
        // The test of the snapshot reads every table on a connection of its own.
        return {path, std::make_shared<const detail::PgSnapshot>(path, options.schema,
                                                                 !test_pause_prefix().empty())};
    }
    if (!options.schema.empty()) {
        throw UsageError(fmt::format("{}: a schema is given, but the workspace is no PostgreSQL "
                                     "database. Leave the schema out, or name a database "
                                     "(PG:dbname=NAME).",
                                     path));
    }
    return {path, nullptr};
}

/// The layer's absence as the part says it: only border_lines must be there.
void missing_layer(const std::string& shown, const std::string& name, LayerPart& out) {
    if (name != "border_lines") {
        return;
    }
    out.fatal = fmt::format(
        "{}: no layer 'border_lines', the one layer a workspace must have. Name the layer (or, "
        "in a folder, the file) border_lines.",
        shown);
    out.diagnostics.add({Severity::error,
                         "missing-layer",
                         shown,
                         name,
                         {},
                         -1,
                         {},
                         out.fatal.substr(shown.size() + 2),
                         {}});
}

/// A warning for a layer of things on the map that holds no geometry.
void note_no_geometry(LayerReader& reader, LayerReporter& reporter) {
    const std::string& name = reader.name();
    if (reader.has_geometry() ||
        (name != "markers" && name != "households" && name != "communes") ||
        reader.layer().GetFeatureCount(TRUE) <= 0) {
        return;
    }
    reporter.add(
        Severity::warning, "layer-without-geometry", {}, -1, {},
        fmt::format("the layer has no geometry, so no {} can be placed on the map{}. Give it its "
                    "geometry ({}){}.",
                    name == "markers"      ? "marker"
                    : name == "households" ? "home"
                                           : "commune",
                    name == "households" ? " (and assign finds no household near a gap)" : "",
                    name == "communes" ? "polygons" : "points",
                    fs::path(reader.file()).extension() == ".csv"
                        ? "; in a CSV file, as columns lon and lat (or x and y, or WKT)"
                        : ""));
}

/// A warning for a layer other than border_lines that is there but holds no
/// feature: what that means for the figures, and, for a FlatGeobuf file, the
/// likely cause (a FlatGeobuf file keeps no feature without geometry, so a
/// workspace converted to FlatGeobuf loses its tables without geometry).
void note_empty_layer(LayerReader& reader, LayerReporter& reporter) {
    static const std::map<std::string, const char*> meaning{
        {"markers", "no marker is counted or has a custodian, and no stretch can run from marker "
                    "to marker"},
        {"communes", "the border lies in no commune and there are no figures per commune, "
                     "district or province"},
        {"teams", "no team can hold a stretch or a marker, the team_id of a household names no "
                  "team, and there are no figures per team"},
        {"households", "no household can hold a stretch or a marker, and assign finds no "
                       "household to propose"},
        {"assignments", "no stretch of border is held by anyone and all of it is a gap"},
        {"marker_custodians", "no marker has a custodian"},
    };
    const auto it = meaning.find(reader.name());
    if (it == meaning.end()) {
        return;
    }
    reporter.add(
        Severity::warning, "empty-layer", {}, -1, {},
        fmt::format("the layer is there but holds no feature, so {}. {}", it->second,
                    reader.driver() == "FlatGeobuf"
                        ? "A FlatGeobuf file keeps no row without geometry: converted to "
                          "FlatGeobuf (ogr2ogr -f FlatGeobuf), a workspace loses its teams, its "
                          "marker_custodians and the assignments given by markers or km. Keep "
                          "those layers in a GeoPackage or in CSV files, or fill this one."
                        : "Fill it, or leave the layer out of the workspace if it is meant to be "
                          "empty."));
}

/// border_lines, the one layer without which nothing can be measured: the
/// workspace's CRS and its lines, or why the workspace cannot be used.
void read_border_lines(LayerReader& reader, bool usable, LayerPart& out) {
    Workspace& ws = out.part;
    if (!usable) {
        out.fatal = fmt::format("{}, layer 'border_lines': {}", reader.file(),
                                out.diagnostics.items().back().message);
        return;
    }
    if (const OGRSpatialReference* srs = reader.srs()) {
        ws.crs_wkt = wkt_of(srs);
        ws.crs_name = srs->GetName() ? srs->GetName() : "";
    }
    read_lines(reader, ws);
    if (!ws.lines.empty()) {
        return;
    }
    // The reason is the first error (a warning may come before it).
    const auto& items = out.diagnostics.items();
    const auto error = std::find_if(items.begin(), items.end(), [](const Diagnostic& d) {
        return d.severity == Severity::error;
    });
    if (error == items.end()) {
        const std::string why = "the layer holds no border line. Draw the border line in it (in "
                                "QGIS), or copy it in from the demarcation data.";
        reader.report(Severity::error, "empty-layer", {}, -1, {}, why);
        out.fatal =
            fmt::format("{}, layer 'border_lines': no usable border line: {}", reader.file(), why);
    } else {
        out.fatal = fmt::format("{}, layer 'border_lines': no usable border line: {}",
                                reader.file(), error->describe());
    }
}

/// The features of a layer other than border_lines, into the part.
void read_features(LayerReader& reader, const ReadOptions& options, Workspace& ws) {
    const std::string& name = reader.name();
    if (name == "markers") {
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
}

LayerPart read_layer(const WorkspaceSource& where, const LayerSpec& spec,
                     const ReadOptions& options,
                     const std::optional<OGRSpatialReference>& assumed_srs) {
    detail::QuietGdal quiet;
    LayerPart out;
    const Source source = where.open();
    std::vector<SourceNote> notes;
    auto open = source.open(spec.name, &notes);
    const std::string name = spec.name;
    if (!open) {
        missing_layer(where.shown(), name, out);
        return out;
    }
    const std::string file = open->file;
    LayerReporter layer_reporter(file, name, out.diagnostics);
    for (SourceNote& note : notes) {
        layer_reporter.add(note.severity, std::move(note.code), {}, -1, {},
                           std::move(note.message));
    }
    std::string implied_srs = open->implied_srs, implied_why = open->implied_why;
    LayerReader reader(std::move(*open), spec.id_field, out.diagnostics);
    reader.set_columnar(columnar_read(options.columnar));
    if (assumed_srs) {
        reader.set_fallback_crs(*assumed_srs, options.assume_srs, "--assume-srs says");
    } else if (!implied_srs.empty()) {
        OGRSpatialReference implied;
        implied.SetFromUserInput(implied_srs.c_str());
        reader.set_fallback_crs(implied, implied_srs + " (WGS 84 lon/lat)",
                                implied_why + " (give another with --assume-srs)");
    }
    // A layer without features may lack its fields too (an empty GeoJSON
    // FeatureCollection has none): it is empty, not wrong.
    const bool empty_without_fields =
        name != "border_lines" && !reader.has_fields(spec.required) && !reader.holds_features();
    const bool usable = !empty_without_fields && reader.require(spec.required) &&
                        (!spec.reads_geometry || reader.prepare_crs());
    out.part.sources.push_back(
        {file, spec.name, reader.has_geometry(), wkt_of(reader.srs()), reader.field_names()});
    note_no_geometry(reader, layer_reporter);
    if (name == "border_lines") {
        read_border_lines(reader, usable, out);
    } else if (usable) {
        read_features(reader, options, out.part);
    }
    if (name != "border_lines" && (empty_without_fields || (usable && reader.rows_read() == 0))) {
        note_empty_layer(reader, layer_reporter);
    }
    return out;
}

/// Whether layers may be read through GDAL's Arrow stream: as the options
/// say, unless BORDERCOV_READ=features asks for the per-feature read.
bool columnar_read(bool wanted) {
    const char* read = std::getenv("BORDERCOV_READ");
    return wanted && !(read != nullptr && std::string_view(read) == "features");
}

/// For tests that another user's commit lands while a workspace is read:
/// with BORDERCOV_TEST_PAUSE_BETWEEN_LAYERS=P, the layers are read one after
/// the other (each table of a database on a connection of its own); after
/// households, P.paused is created and the reading waits (at most a minute)
/// until P.resume exists before it reads the others.
std::string test_pause_prefix() {
    const char* p = std::getenv("BORDERCOV_TEST_PAUSE_BETWEEN_LAYERS");
    return p == nullptr ? std::string{} : std::string(p);
}

void test_pause(const std::string& prefix) {
    std::error_code ec;
    { std::ofstream(prefix + ".paused") << ::getpid() << '\n'; }
    for (int waited = 0; waited < 6000 && !fs::exists(prefix + ".resume", ec); ++waited) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

/// The layers each thread reads, in order: a layer alone, except those that
/// share a connection (the small tables of a database), which one thread
/// reads one after the other; all in one thread for the test pause.
std::vector<std::vector<std::size_t>>
reading_lanes(const WorkspaceSource& where, const std::vector<LayerSpec>& specs, bool one_lane) {
    std::vector<std::vector<std::size_t>> lanes(1);
    detail::QuietGdal quiet;
    const Source source = where.open();
    for (std::size_t i = 0; i < specs.size(); ++i) {
        if (one_lane || source.shares_connection(specs[i].name)) {
            lanes.front().push_back(i);
        } else {
            lanes.push_back({i});
        }
    }
    if (lanes.front().empty()) {
        lanes.erase(lanes.begin());
    }
    return lanes;
}

/// --assume-srs as PROJ reads it; nullopt when not given. Throws
/// UsageError for a CRS PROJ does not know.
std::optional<OGRSpatialReference> parse_assumed_srs(const std::string& text) {
    if (text.empty()) {
        return std::nullopt;
    }
    detail::register_gdal();
    detail::QuietGdal quiet;
    OGRSpatialReference srs;
    CPLErrorReset();
    if (srs.SetFromUserInput(text.c_str()) != OGRERR_NONE) {
        throw UsageError(fmt::format("--assume-srs '{}': PROJ knows no such CRS{}. Give one as "
                                     "EPSG:<code>, such as EPSG:4326 or EPSG:3405.",
                                     text, detail::last_gdal_error()));
    }
    return srs;
}

/// What the reading threads and GDAL freed (batches, caches of the layers'
/// connections) stays mapped in the threads' malloc arenas, where the stages
/// after the read, on other threads, do not reuse it: given back to the
/// system, it no longer counts in the command's peak memory (about 20 MB
/// on a national workspace).
void give_back_free_memory() {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

template <typename T> void take(std::vector<T>& into, std::vector<T>& from) {
    if (!from.empty()) {
        into = std::move(from);
    }
}

} // namespace

Workspace read_workspace(const std::string& path, Diagnostics& diagnostics,
                         const ReadOptions& options) {
    const std::optional<OGRSpatialReference> assumed_srs = parse_assumed_srs(options.assume_srs);
    WorkspaceSource where;
    {
        detail::QuietGdal quiet;
        where = workspace_source(path, options);
        const Source check = where.open(); // a missing or unreadable path fails here, once
    }
    const std::vector<LayerSpec> specs{
        {"border_lines", "line_id", {"line_id"}},
        {"markers", "marker_id", {"marker_id"}},
        {"communes", "commune_id", {"commune_id", "name"}},
        {"teams", "team_id", {"team_id", "name"}},
        {"households", "household_id", {"household_id"}},
        {"assignments", "assignment_id", {"assignment_id", "party_type", "party_id"}},
        {"marker_custodians", "marker_id", {"marker_id", "party_type", "party_id"}, false},
    };
    // The layers are independent: read them side by side, then put them
    // together in a fixed order so the result does not depend on timing.
    std::vector<LayerPart> parts(specs.size());
    const std::string pause = test_pause_prefix();
    const std::vector<std::vector<std::size_t>> lanes = reading_lanes(where, specs, !pause.empty());
    detail::parallel_workers(lanes.size(), [&](std::size_t lane) {
        for (const std::size_t i : lanes[lane]) {
            parts[i] = read_layer(where, specs[i], options, assumed_srs);
            if (!pause.empty() && std::string_view(specs[i].name) == "households") {
                test_pause(pause);
            }
        }
    });
    give_back_free_memory();
    Workspace ws;
    ws.path = where.shown();
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
    const auto ds = open_dataset(path, path);
    if (ds->GetLayerCount() == 0) {
        throw IoError(fmt::format(
            "{}: the datasource has no layer. Give a file with incident points.", path));
    }
    OGRLayer* layer = ds->GetLayer(0);
    const int id_field = layer->GetLayerDefn()->GetFieldIndex("id") >= 0
                             ? layer->GetLayerDefn()->GetFieldIndex("id")
                             : layer->GetLayerDefn()->GetFieldIndex("incident_id");
    const std::string id_name =
        id_field >= 0 ? layer->GetLayerDefn()->GetFieldDefn(id_field)->GetNameRef() : "";
    LayerReader reader(OpenLayer{ds, layer, path, layer->GetName(), {}, {}}, id_name, diagnostics);
    reader.set_columnar(columnar_read(true));
    std::vector<IncidentPoint> points;
    if (!reader.prepare_crs()) {
        throw DataError(fmt::format("{}, layer '{}': {}", path, layer->GetName(),
                                    diagnostics.items().back().message));
    }
    for_each_feature(reader, [&](const detail::FeatureRow& f) {
        std::string id = id_field >= 0 ? reader.text(f, id_field) : std::to_string(f.fid());
        const auto p = reader.point(f, id);
        if (!p) {
            reader.report(Severity::error, "missing-geometry", id, f.fid(), {},
                          "the feature has no point; it is left out. Give it a position.");
            return;
        }
        points.push_back({std::move(id), *p, f.fid()});
    });
    return points;
}

std::vector<LayerInfo> describe_workspace(const std::string& path, const ReadOptions& options) {
    parse_assumed_srs(options.assume_srs); // a CRS PROJ does not know fails here
    detail::QuietGdal quiet;
    const Source source = workspace_source(path, options).open();
    std::vector<LayerInfo> out;
    for (const std::string& name : workspace_layers()) {
        const auto open = source.open(name, nullptr);
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
        if (type != wkbNone && (info.crs.empty() || info.crs.starts_with("none"))) {
            if (!options.assume_srs.empty()) {
                info.crs = options.assume_srs + " (assumed)";
            } else if (!open->implied_srs.empty()) {
                info.crs = open->implied_srs + " (assumed)";
            }
        }
        out.push_back(std::move(info));
    }
    return out;
}

} // namespace bordercov::io
