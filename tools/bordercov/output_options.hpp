// Options every command that writes layers shares (-o is each command's own:
// its help says what goes there), and what the command line says of a write.
#pragma once

#include "bordercov/io/layer_writer.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace bordercov::cli {

struct OutputOptions {
    io::WriteOptions write;

    void add_to(CLI::App& app) {
        app.add_option(
               "-f,--format", write.driver,
               "GDAL vector driver, in any case: GPKG, GeoJSON, \"ESRI Shapefile\", FlatGeobuf, "
               "CSV, LIBKML, ... [default: from the extension of -o (.gpkg, .geojson, .shp, .fgb, "
               ".csv, .kml), else GPKG]")
            ->type_name("DRIVER");
        app.add_flag(
            "--overwrite", write.overwrite,
            "Replace bordercov's own layers (in an existing GeoPackage) or files (in an existing "
            "folder) from an earlier run; every other layer and file stays as it is");
        app.add_option("--schema", write.schema,
                       "Schema of the layers when -o is a PostgreSQL database (PG:dbname=NAME), "
                       "created if missing [default: active_schema= of -o, else public]")
            ->type_name("NAME");
        app.add_flag("--no-bom{false}", write.csv_bom,
                     "CSV without the UTF-8 byte-order mark that Excel needs to show Vietnamese");
    }
};

/// Says on stderr where the layers went, what they replaced and kept, and
/// what the format could not hold whole: "Wrote 8 layers to out.gpkg (GPKG)."
void print_written(const io::WriteReport& report, const std::string& what);

} // namespace bordercov::cli
