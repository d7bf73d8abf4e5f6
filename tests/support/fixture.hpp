// Small workspaces written by the tests themselves: layers given as rows of
// WKT (in lon/lat) and field values, stored with any GDAL driver and in any
// EPSG CRS; plus a temporary folder and a runner for the built CLI.
#pragma once

#include "bordercov/geodesy.hpp"
#include "bordercov/model.hpp"
#include "bordercov/table.hpp"

#include <gdal_priv.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace bordercov::test {

/// A fresh folder under the system temp dir, removed with its contents.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::string operator/(const std::string& name) const { return (path_ / name).string(); }

  private:
    std::filesystem::path path_;
};

/// One row: WKT in lon/lat WGS 84 ("" for no geometry) and field values by
/// name ("" leaves the field null).
struct FixtureRow {
    std::string wkt;
    std::map<std::string, std::string> values;
};

/// A layer's fields are the union of its rows' keys. Types follow the names:
/// *_km and members are numbers, signed/expires/built dates, others text —
/// unless listed in text_fields (to write "abc" into from_km, say).
struct FixtureLayer {
    std::string name;
    std::vector<FixtureRow> rows;
    std::vector<std::string> text_fields = {};
};

struct FixtureOptions {
    std::string driver = "GPKG"; ///< GPKG: one file; GeoJSON / ESRI Shapefile: a folder
    int epsg = 4326;             ///< CRS the geometries are stored in (transformed from lon/lat)
    bool crs = true;             ///< false: layers carry no CRS
};

/// Writes the layers and returns the workspace path (a file or a folder).
std::string write_workspace(const std::string& path, const std::vector<FixtureLayer>& layers,
                            const FixtureOptions& options = {});

/// "x y, x y, ..." of the points, for WKT.
std::string wkt_coords(const std::vector<LonLat>& points);

struct RunResult {
    int code = -1;
    std::string out;
    std::string err;
};

/// A workspace read and its result tables, as `coverage` makes them.
struct EngineRun {
    Workspace ws;
    std::vector<Table> tables;
};
EngineRun run_engine(const std::string& workspace, const std::string& as_of = "2016-01-01");

struct DatasetCloser {
    void operator()(GDALDataset* ds) const { GDALClose(ds); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

/// A vector dataset opened read-only with GDAL (null when it cannot be).
DatasetPtr open_vector(const std::string& path);

/// The vector dataset at `source` converted to FlatGeobuf, a file per layer
/// in `folder`, as `ogr2ogr -f FlatGeobuf folder source` does (GDAL's
/// FlatGeobuf keeps no feature without geometry: such layers come out
/// empty). False when GDAL could not.
bool translate_to_flatgeobuf(const std::string& source, const std::string& folder);

/// A file's bytes ("" when it cannot be read).
std::string slurp(const std::filesystem::path& file);

/// The path of the built bordercov.
const char* bordercov_binary();

/// Runs build/bin/bordercov with the arguments (each shell-quoted), after
/// the shell commands of `shell_prefix` ("ulimit -f 40; " to limit the size
/// of the files it may write).
RunResult run_bordercov(const std::vector<std::string>& args, const std::string& shell_prefix = "");

} // namespace bordercov::test
