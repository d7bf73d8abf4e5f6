// Writing result tables with any GDAL vector driver. GPKG holds all layers in
// one file; GeoJSON, Shapefile, FlatGeobuf and CSV write one file (set) per
// layer in a folder (io/output_target.hpp says where). Output goes to a
// temporary name beside the target and is put in place when complete and
// read back whole, so a failed run leaves nothing half-written and no stray
// file. bordercov only ever replaces what it writes itself: the files of its
// own layers in a folder, its own layers in an existing GeoPackage, the
// tables it wrote in a PostgreSQL schema (replaced in one transaction,
// detail/postgis_output.hpp); every other file, layer, style and table
// stays as it was.
//
// Example usage:
//   io::WriteOptions write;           // GPKG unless -o's extension says otherwise
//   io::check_output("out/c.gpkg", coverage_layer_names(), write);   // before any work
//   const io::WriteReport r = io::write_tables(tables, "out/c.gpkg", ws.crs_wkt, write);
#pragma once

#include "bordercov/i18n.hpp"
#include "bordercov/io/output_target.hpp"
#include "bordercov/table.hpp"

#include <functional>
#include <string>
#include <vector>

namespace bordercov::io {

struct WriteOptions {
    /// A GDAL vector driver, named in any case ("gpkg", "ESRI Shapefile").
    /// DEFAULT: "" — from the extension of the output (.gpkg, .geojson, .shp,
    /// .fgb, .csv, .kml, ...), GPKG when it has none.
    std::string driver;
    /// CRS of the output (anything PROJ knows); empty keeps the workspace CRS.
    /// GeoJSON and KML are always WGS 84 lon/lat.
    std::string target_crs;
    /// Replace bordercov's own layers (in a GeoPackage) or files (in a
    /// folder) of an earlier output; nothing else is ever replaced. DEFAULT: false
    bool overwrite = false;
    /// Give each layer a spatial index (GPKG, FlatGeobuf). In GPKG the R-tree
    /// is packed once the rows are written (detail/gpkg_rtree.hpp), not
    /// filled a row at a time as GDAL 3.6 does (about 20 us a feature). DEFAULT: true
    bool spatial_index = true;
    /// Inputs the output must never replace or write into (the workspace):
    /// refused when a file the output writes is one of them or lies in one.
    std::vector<std::string> inputs;
    /// Give the layers their QGIS styles (io/qgis_style.hpp): in a GeoPackage
    /// its layer_styles table, beside per-layer files a <layer>.qml. DEFAULT: true
    bool qgis_styles = true;
    /// The schema of a PostgreSQL output (-o PG:...), over the connection
    /// string's active_schema=. DEFAULT: "" (active_schema=, else public)
    std::string schema = {};
    /// Start CSV files with a UTF-8 byte-order mark, without which Excel
    /// shows Vietnamese as mojibake (GDAL and QGIS read it either way). DEFAULT: true
    bool csv_bom = true;
    /// Field aliases in the QGIS styles (and layer titles in the QGIS
    /// project) in this catalogue's language (labels.hpp); null: none,
    /// QGIS shows the field names. DEFAULT: null
    const i18n::Catalogue* titles = nullptr;
    /// The time a GeoPackage records as its layers' last change
    /// (gpkg_contents.last_change), as ISO 8601 UTC
    /// ("2026-11-28T00:00:00.000Z"): with the as-of date, the same input
    /// gives the same file byte for byte. DEFAULT: "" — the time of writing
    std::string timestamp = {};
};

/// What a write did, for the user to read.
struct WriteReport {
    OutputTarget target;
    std::vector<std::string> replaced; ///< layers or files of an earlier output replaced
    std::vector<std::string> kept;     ///< other layers of the existing file, kept as they were
    std::vector<std::string> warnings; ///< names and values the format could not hold whole
    std::vector<std::string> notes;    ///< where the layers went, when not plain from -o
};

/// Checks, before any work, that out can be written with these layers as
/// asked: a known driver, a CRS PROJ knows, an existing parent folder, not an
/// input, and none of the layers (or their files) there already unless
/// overwrite. Returns where the layers will go. Throws UsageError or IoError
/// naming what is in the way and what to do.
OutputTarget check_output(const std::string& out, const std::vector<std::string>& layers,
                          const WriteOptions& options);

/// Writes the tables to out; throws IoError (nothing left behind, nothing
/// of the user's touched) on failure.
///
/// `meanwhile`, when given, runs on another thread from the start and may
/// still be making the tables after the first (into `tables`, whose names
/// are set already): they are read only once it has returned, and what it
/// throws is thrown here. So the other layers are made while the first,
/// the longest (the segments), is written. It has returned when this does.
WriteReport write_tables(const std::vector<Table>& tables, const std::string& out,
                         const std::string& workspace_crs_wkt, const WriteOptions& options,
                         const std::function<void()>& meanwhile = {});

/// Shapefile field names are at most 10 characters: the documented mapping.
std::string shapefile_field_name(const std::string& field);

/// The names a table's fields get in a Shapefile: shapefile_field_name,
/// made unique with a digit where two would clash.
std::vector<std::string> shapefile_field_names(const std::vector<Field>& fields);

/// Where write_tables puts a table: the file that holds it (out itself when
/// the driver holds every layer in one file; else <folder>/<name>.<ext>, a
/// .dbf alone for a Shapefile table without geometry, a .csv for a
/// FlatGeobuf table with rows without geometry) and the layer's name in it.
struct LayerLocation {
    std::string file;
    std::string layer;
    bool one_file_per_layer = false; ///< the file holds this layer alone
};
LayerLocation layer_location(const Table& table, const OutputTarget& target);

} // namespace bordercov::io
