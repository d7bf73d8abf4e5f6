// Where an output goes, in which format, and which files or layers of it
// are bordercov's own. The format is a GDAL vector driver named as GDAL names
// it (in any case, as ogr2ogr takes it) or guessed from the extension of -o
// exactly as ogr2ogr guesses it. bordercov only ever replaces what it writes
// itself: in a folder, the files of its own layers and their sidecars; in a
// GeoPackage, its own layers (and their rows of layer_styles); in a
// PostgreSQL schema, the tables it wrote itself (io/postgis.hpp).
//
// Example usage:
//   const io::OutputTarget target = io::output_target("out/a.geojson", "", 8);
//   // target.driver == "GeoJSON", target.folder == "out/a" (8 layers, one file each)
#pragma once

#include <string>
#include <vector>

namespace bordercov::io {

struct OutputTarget {
    std::string path;   ///< -o as the user gave it (a database's password hidden)
    std::string driver; ///< GDAL's own name of the driver ("ESRI Shapefile")
    /// One file (set) per layer, in `folder` (GeoJSON, Shapefile, FlatGeobuf,
    /// CSV, ...); otherwise every layer in the one file `path` (GPKG, KML, ...).
    bool per_layer = false;
    std::string folder;    ///< per_layer: the folder of the layer files
    std::string extension; ///< per_layer: the main file's extension, without dot ("shp")
    /// per_layer with a single layer and -o a file name with the driver's
    /// extension ("proposals.geojson"): the layer's file is exactly that
    /// file; empty otherwise (each layer is <folder>/<layer>.<extension>).
    std::string single_file_stem;
    /// A PostgreSQL database (driver "PostgreSQL"): the layers are tables of
    /// `schema` in it, written in one transaction.
    bool database = false;
    std::string schema; ///< database: the schema of the layers (set by check_output)
    /// What the user should know about where the layers go (one line each).
    std::vector<std::string> notes;
};

/// Resolves the format and place of an output of `layer_count` layers:
/// `driver` as given with -f (any case; empty: from the extension of out,
/// else GPKG). Throws UsageError for a driver GDAL does not know or that
/// cannot write vector layers (naming those that can), and for a KML output
/// not named .kml / .kmz.
OutputTarget output_target(const std::string& out, const std::string& driver,
                           std::size_t layer_count);

/// The vector drivers GDAL has here that can create a file, comma-separated.
std::string writable_vector_drivers();

/// The files bordercov owns for a layer in a per-layer folder: its main
/// file in every variant the driver may need (a FlatGeobuf table with rows
/// without geometry is a .csv) and every sidecar (.shx, .dbf, .prj, .cpg,
/// .csvt, .qml, the full-text .csv of a Shapefile layer).
std::vector<std::string> own_files(const OutputTarget& target, const std::string& layer);

/// The files of the output not tied to one layer (the Shapefile field-name map).
std::vector<std::string> own_shared_files(const OutputTarget& target);

} // namespace bordercov::io
