// A QGIS project (.qgs, QGIS's XML project file) over the layers bordercov
// wrote: grouped (coverage, markers, communes, diagnostics), each styled as
// io/qgis_style.hpp gives it, in the output's CRS and zoomed to the layers,
// with a print layout whose atlas makes one A4 page per commune (its map,
// figures and gaps; QGIS exports them all to one PDF, docs/outputs.md).
// Paths in it are relative to the project file, so the project and the
// output can be moved or sent together.
//
// Example usage:
//   io::check_qgis_project("out/gia-lai.qgs", "out/gia-lai.gpkg", write, {});
//   io::write_tables(tables, "out/gia-lai.gpkg", ws.crs_wkt, write);
//   io::write_qgis_project("out/gia-lai.qgs", tables, "out/gia-lai.gpkg", write, {});
#pragma once

#include "bordercov/date.hpp"
#include "bordercov/i18n.hpp"
#include "bordercov/io/layer_writer.hpp"
#include "bordercov/table.hpp"

#include <optional>
#include <string>
#include <vector>

namespace bordercov::io {

struct ProjectOptions {
    bool overwrite = false; ///< replace an existing project file. DEFAULT: false
    std::string title;      ///< the project's title. DEFAULT: "bordercov: <output file name>"
    /// Layer and group titles and field aliases in this catalogue's language
    /// (labels.hpp); null: the layers' own names. DEFAULT: null
    const i18n::Catalogue* titles = nullptr;
    /// The day the figures hold, named on the print layout's pages. DEFAULT: none
    std::optional<Date> as_of;
    /// The data source named in the layout's footer (the workspace's file
    /// name, never a path of this machine). DEFAULT: ""
    std::string source;
};

/// Checks, before any work, that the project can be written: a name ending
/// in .qgs, an existing folder, no file there unless overwrite, and neither
/// the output, a file inside an output folder, nor an input. Throws
/// UsageError or IoError.
void check_qgis_project(const std::string& project, const std::string& out,
                        const WriteOptions& write, const ProjectOptions& options);

/// Writes the project over the tables as write_tables wrote them to out with
/// write.driver. The written layers are opened with GDAL for their CRS and
/// extent (a layer missing there is an error). The project goes to a
/// temporary name beside its target and is renamed when complete; throws
/// IoError (nothing left behind) on failure.
void write_qgis_project(const std::string& project, const std::vector<Table>& tables,
                        const std::string& out, const WriteOptions& write,
                        const ProjectOptions& options = {});

/// The group of the project's layer tree that holds a layer: "coverage",
/// "markers", "communes" or "diagnostics"; "" for a layer of no group (it
/// goes at the top of the tree).
std::string qgis_group(const std::string& layer);

} // namespace bordercov::io
