// Writing result tables with any GDAL vector driver. GPKG holds all layers in
// one file; GeoJSON, Shapefile, FlatGeobuf and CSV write one file (set) per
// layer in a folder. Output goes to a temporary name beside the target and is
// renamed when complete, so a failed run leaves nothing half-written.
#pragma once

#include "bordercov/table.hpp"

#include <string>
#include <vector>

namespace bordercov::io {

struct WriteOptions {
    std::string driver = "GPKG"; ///< a GDAL vector driver name. DEFAULT: GPKG
    /// CRS of the output (anything PROJ knows); empty keeps the workspace CRS.
    /// GeoJSON is always WGS 84 lon/lat (RFC 7946).
    std::string target_crs;
    bool overwrite = false; ///< replace an existing output. DEFAULT: false
    /// Give each layer a spatial index (GPKG, FlatGeobuf). In GPKG (GDAL 3.6)
    /// SQLite builds the R-tree at about 20 us a feature: most of the time of
    /// writing a national workspace. DEFAULT: true
    bool spatial_index = true;
    /// Inputs the output must never replace (the workspace, say): an output
    /// that is one of them, or a folder holding one, is refused.
    std::vector<std::string> inputs;
    /// Give the layers their QGIS styles (io/qgis_style.hpp): in a GeoPackage
    /// its layer_styles table, beside per-layer files a <layer>.qml. DEFAULT: true
    bool qgis_styles = true;
};

/// Checks, before any work, that out can be written as asked: a known driver,
/// a CRS PROJ knows, an existing parent folder, no output there unless
/// overwrite. Throws UsageError or IoError.
void check_output(const std::string& out, const WriteOptions& options);

/// Writes the tables to out; throws IoError (nothing left behind) on failure.
void write_tables(const std::vector<Table>& tables, const std::string& out,
                  const std::string& workspace_crs_wkt, const WriteOptions& options);

/// Shapefile field names are at most 10 characters: the documented mapping.
std::string shapefile_field_name(const std::string& field);

/// Where write_tables puts a table: the file that holds it (out itself when
/// the driver holds every layer in one file; else out/<name>.<ext>, a .dbf
/// alone for a Shapefile table without geometry, a .csv for a FlatGeobuf
/// table with rows without geometry) and the layer's name in that file.
struct LayerLocation {
    std::string file;
    std::string layer;
    bool one_file_per_layer = false; ///< the file holds this layer alone
};
LayerLocation layer_location(const Table& table, const std::string& out, const std::string& driver);

} // namespace bordercov::io
