#include "bordercov/io/output_target.hpp"

#include "bordercov/error.hpp"
#include "bordercov/io/postgis.hpp"
#include "detail/gdal_support.hpp"

#include <gdal_priv.h>

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <strings.h>

namespace bordercov::io {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

/// The extension of a path, lower case, without the dot ("" for none).
std::string extension_of(const fs::path& p) {
    const std::string e = p.extension().string();
    return e.empty() ? std::string{} : lower(e.substr(1));
}

bool can_write_vector(GDALDriver* d) {
    return d != nullptr && d->GetMetadataItem(GDAL_DCAP_VECTOR) != nullptr &&
           d->GetMetadataItem(GDAL_DCAP_CREATE) != nullptr;
}

/// Drivers that hold one layer per file, and the extension of those files:
/// the output is a folder of them.
const char* per_layer_extension(const std::string& driver) {
    static const std::map<std::string, const char*> extensions{{"GeoJSON", "geojson"},
                                                               {"GeoJSONSeq", "geojsonl"},
                                                               {"ESRI Shapefile", "shp"},
                                                               {"FlatGeobuf", "fgb"},
                                                               {"CSV", "csv"},
                                                               {"MapInfo File", "tab"}};
    const auto it = extensions.find(driver);
    return it == extensions.end() ? nullptr : it->second;
}

/// The driver a file extension means, where the answer is the one a GIS
/// user expects (GDAL has two KML drivers; only LIBKML writes .kmz).
std::string driver_for_known_extension(const std::string& ext) {
    static const std::map<std::string, std::string> drivers{
        {"gpkg", "GPKG"},           {"geojson", "GeoJSON"},
        {"json", "GeoJSON"},        {"geojsonl", "GeoJSONSeq"},
        {"geojsons", "GeoJSONSeq"}, {"shp", "ESRI Shapefile"},
        {"fgb", "FlatGeobuf"},      {"csv", "CSV"},
        {"kmz", "LIBKML"},          {"sqlite", "SQLite"},
        {"xlsx", "XLSX"},           {"ods", "ODS"},
        {"tab", "MapInfo File"},    {"gml", "GML"}};
    if (ext == "kml") {
        return GetGDALDriverManager()->GetDriverByName("LIBKML") != nullptr ? "LIBKML" : "KML";
    }
    const auto it = drivers.find(ext);
    return it == drivers.end() ? std::string{} : it->second;
}

/// As ogr2ogr guesses: the writable vector drivers whose extensions hold ext.
std::vector<std::string> drivers_for_extension(const std::string& ext) {
    if (std::string known = driver_for_known_extension(ext); !known.empty()) {
        return {known};
    }
    std::vector<std::string> found;
    GDALDriverManager* manager = GetGDALDriverManager();
    for (int i = 0; i < manager->GetDriverCount(); ++i) {
        GDALDriver* d = manager->GetDriver(i);
        const char* exts = d->GetMetadataItem(GDAL_DMD_EXTENSIONS);
        if (!can_write_vector(d) || exts == nullptr) {
            continue;
        }
        const CPLStringList list(CSLTokenizeString(exts));
        for (int j = 0; j < list.size(); ++j) {
            if (lower(list[j]) == ext) {
                found.emplace_back(d->GetDescription());
                break;
            }
        }
    }
    return found;
}

/// GDAL's own spelling of a driver given in any case, with the names
/// people use for the common ones ("shapefile", "geopackage").
std::string canonical_driver(const std::string& given) {
    static const std::map<std::string, std::string> aliases{{"shapefile", "ESRI Shapefile"},
                                                            {"shp", "ESRI Shapefile"},
                                                            {"geopackage", "GPKG"},
                                                            {"json", "GeoJSON"},
                                                            {"fgb", "FlatGeobuf"},
                                                            {"kmz", "LIBKML"},
                                                            {"pg", "PostgreSQL"},
                                                            {"postgis", "PostgreSQL"}};
    const std::string key = lower(given);
    if (const auto it = aliases.find(key); it != aliases.end()) {
        return it->second;
    }
    GDALDriverManager* manager = GetGDALDriverManager();
    for (int i = 0; i < manager->GetDriverCount(); ++i) {
        GDALDriver* d = manager->GetDriver(i);
        if (lower(d->GetDescription()) == key) {
            return d->GetDescription();
        }
    }
    return {};
}

} // namespace

std::string writable_vector_drivers() {
    detail::register_gdal();
    std::vector<std::string> names;
    GDALDriverManager* manager = GetGDALDriverManager();
    for (int i = 0; i < manager->GetDriverCount(); ++i) {
        if (GDALDriver* d = manager->GetDriver(i); can_write_vector(d)) {
            names.emplace_back(d->GetDescription());
        }
    }
    std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
        return ::strcasecmp(a.c_str(), b.c_str()) < 0;
    });
    std::string text;
    for (const std::string& n : names) {
        text +=
            (text.empty() ? "" : ", ") + (n.find(' ') != std::string::npos ? "\"" + n + "\"" : n);
    }
    return text;
}

namespace {

/// The driver -o's extension says, as ogr2ogr guesses it (GPKG for none).
std::string driver_from_extension(const std::string& out, const std::string& ext,
                                  OutputTarget& target) {
    const std::vector<std::string> guessed =
        ext.empty() ? std::vector<std::string>{"GPKG"} : drivers_for_extension(ext);
    if (guessed.empty()) {
        throw UsageError(fmt::format("-o {}: no GDAL vector driver writes '.{}' files. Give the "
                                     "format with -f (GPKG, GeoJSON, \"ESRI Shapefile\", "
                                     "FlatGeobuf, CSV, LIBKML), or a name ending in .gpkg.",
                                     out, ext));
    }
    if (guessed.size() > 1) {
        target.notes.push_back(fmt::format("Several GDAL drivers write '.{}' files; using {} (give "
                                           "-f to choose another).",
                                           ext, guessed.front()));
    }
    return guessed.front();
}

/// The driver -f names, which must agree with -o's extension.
std::string driver_as_given(const std::string& out, const std::string& driver,
                            const std::string& ext) {
    const std::string name = canonical_driver(driver);
    GDALDriver* d = name.empty() ? nullptr : GetGDALDriverManager()->GetDriverByName(name.c_str());
    if (!can_write_vector(d)) {
        throw UsageError(fmt::format("-f '{}': {}. These can: {}.", driver,
                                     d == nullptr ? "GDAL has no driver of that name here"
                                                  : "that GDAL driver cannot write vector layers",
                                     writable_vector_drivers()));
    }
    // -o out/a.shp -f GeoJSON: one of the two is a slip.
    if (!ext.empty()) {
        const std::string meant = driver_for_known_extension(ext);
        const bool kml_pair = (meant == "LIBKML" || meant == "KML") &&
                              (name == "LIBKML" || name == "KML") && ext == "kml";
        if (!meant.empty() && meant != name && !kml_pair) {
            throw UsageError(
                fmt::format("-o {} names a {} file but -f asks for {}. Make them agree: "
                            "drop -f, or give -o a name for {}.",
                            out, meant, name, name));
        }
    }
    return name;
}

/// KML is one file for a phone or Google Earth: .kml, or .kmz with LIBKML.
void check_kml_name(const std::string& out, const std::string& driver, const std::string& ext) {
    if (driver != "KML" && driver != "LIBKML") {
        return;
    }
    if (ext != "kml" && ext != "kmz") {
        throw UsageError(fmt::format("-o {}: KML is written as one file for a phone or Google "
                                     "Earth. Give a name ending in .kml (or .kmz).",
                                     out));
    }
    if (ext == "kmz" && driver != "LIBKML") {
        throw UsageError(fmt::format("-o {}: only GDAL's LIBKML driver writes .kmz. Use -f LIBKML, "
                                     "or a name ending in .kml.",
                                     out));
    }
}

/// Where the files of a one-file-per-layer driver go: the folder out, or
/// for one layer the file out names, or for several a folder named as it.
void place_layer_files(const std::string& out, const std::string& ext, const char* layer_ext,
                       std::size_t layer_count, OutputTarget& target) {
    const fs::path path(out);
    target.per_layer = true;
    target.extension = layer_ext;
    const bool names_a_file =
        !ext.empty() &&
        (ext == layer_ext || drivers_for_extension(ext) == std::vector<std::string>{target.driver});
    if (!names_a_file) {
        target.folder = out;
        return;
    }
    if (layer_count == 1) {
        target.folder = path.parent_path().empty() ? std::string(".") : path.parent_path().string();
        target.single_file_stem = path.stem().string();
        target.extension = ext;
        return;
    }
    // Several layers and a file name: a folder named as the file without
    // its extension holds them, one file each.
    target.folder = (path.parent_path() / path.stem()).string();
    target.notes.push_back(
        fmt::format("{} holds one layer per file: the {} layers go to the folder {}/, "
                    "one .{} file each.",
                    target.driver, layer_count, target.folder, layer_ext));
}

/// A PostgreSQL database: the layers go into a schema of it (chosen by
/// check_output, which knows --schema).
OutputTarget postgres_target(const std::string& out, const std::string& driver) {
    if (!is_postgres(out)) {
        throw UsageError(fmt::format("-o {}: -f {} writes into a PostgreSQL database. Name it as "
                                     "-o PG:dbname=NAME (or postgresql://HOST/NAME).",
                                     shown_name(out), driver));
    }
    if (!driver.empty() && canonical_driver(driver) != "PostgreSQL") {
        throw UsageError(fmt::format("-o {} names a PostgreSQL database but -f asks for {}. Make "
                                     "them agree: drop -f, or give -o a file name.",
                                     shown_name(out), driver));
    }
    OutputTarget target;
    target.path = shown_name(out);
    target.driver = "PostgreSQL";
    target.database = true;
    return target;
}

} // namespace

OutputTarget output_target(const std::string& out, const std::string& driver,
                           std::size_t layer_count) {
    detail::register_gdal();
    if (is_postgres(out) || (!driver.empty() && canonical_driver(driver) == "PostgreSQL")) {
        return postgres_target(out, driver);
    }
    OutputTarget target;
    target.path = out;
    const std::string ext = extension_of(fs::path(out));
    target.driver = driver.empty() ? driver_from_extension(out, ext, target)
                                   : driver_as_given(out, driver, ext);
    check_kml_name(out, target.driver, ext);
    if (const char* layer_ext = per_layer_extension(target.driver)) {
        place_layer_files(out, ext, layer_ext, layer_count, target);
    }
    return target;
}

std::vector<std::string> own_files(const OutputTarget& target, const std::string& layer) {
    const std::string stem = target.single_file_stem.empty() ? layer : target.single_file_stem;
    std::vector<std::string> sidecars;
    if (target.driver == "ESRI Shapefile") {
        sidecars = {"shp", "shx", "dbf", "prj", "cpg", "qix", "sbn", "sbx"};
    } else if (target.driver == "FlatGeobuf") {
        sidecars = {"fgb", "csv", "csvt", "prj"};
    } else if (target.driver == "CSV") {
        sidecars = {"csv", "csvt", "prj"};
    } else if (target.driver == "MapInfo File") {
        sidecars = {"tab", "dat", "map", "id", "ind"};
    }
    std::vector<std::string> files{stem + "." + target.extension};
    for (const std::string& s : sidecars) {
        if (s != target.extension) {
            files.push_back(stem + "." + s);
        }
    }
    files.push_back(stem + ".qml");
    if (target.driver == "ESRI Shapefile") {
        files.push_back(stem + "_full.csv");
        files.push_back(stem + "_full.csvt");
    }
    return files;
}

std::vector<std::string> own_shared_files(const OutputTarget& target) {
    if (target.driver != "ESRI Shapefile") {
        return {};
    }
    return {target.single_file_stem.empty() ? std::string("field_names.csv")
                                            : target.single_file_stem + "_field_names.csv"};
}

} // namespace bordercov::io
