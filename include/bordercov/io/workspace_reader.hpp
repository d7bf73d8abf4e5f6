// Reading a workspace through GDAL/OGR: a GeoPackage (or any single
// datasource) holding the layers, or a folder with one file per layer
// (GeoJSON, Shapefile, FlatGeobuf, ...), or a schema of a PostgreSQL/PostGIS
// database, whose layers are all read in one consistent snapshot whatever
// other users commit meanwhile. Every geometry is transformed to
// WGS 84 lon/lat, whatever its CRS. Feature-level problems become diagnostics;
// a workspace that cannot be opened or has no usable border line throws.
#pragma once

#include "bordercov/diagnostic.hpp"
#include "bordercov/model.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace bordercov::io {

struct ReadOptions {
    /// Read households' homes, heads and members, which coverage figures do
    /// not need (ids, team and commune are always read). DEFAULT: true
    bool households_in_full = true;
    /// The CRS of layers that have geometry but no CRS of their own
    /// (anything PROJ knows: "EPSG:3405"), as --assume-srs gives it; each
    /// layer it applies to gets a warning, layers with a CRS keep theirs.
    /// DEFAULT: "" (such a layer is an error and is ignored)
    std::string assume_srs;
    /// The schema of a PostgreSQL workspace (io/postgis.hpp), over the
    /// connection string's active_schema=. DEFAULT: "" (active_schema=, else public)
    std::string schema = {};
    /// Read layers through GDAL's Arrow stream (RFC 86) where the driver
    /// reads columns natively (GeoPackage, FlatGeobuf, ...); false reads
    /// every layer feature by feature, as BORDERCOV_READ=features in the
    /// environment does. Both give the same workspace and diagnostics.
    /// DEFAULT: true
    bool columnar = true;
};

Workspace read_workspace(const std::string& path, Diagnostics& diagnostics,
                         const ReadOptions& options = {});

/// A point to locate, as read from any OGR point layer.
struct IncidentPoint {
    std::string id; ///< the layer's "id" (or "incident_id") field, else the FID
    LonLat position;
    std::int64_t fid = -1;
};

/// Every point of the first layer of a datasource, in WGS 84 lon/lat.
/// Features without a usable point become diagnostics.
std::vector<IncidentPoint> read_points(const std::string& path, Diagnostics& diagnostics);

/// What `info` shows of a layer without resolving anything.
struct LayerInfo {
    std::string layer;
    std::string file;
    std::int64_t features = 0;
    std::string geometry_type;
    std::string crs; ///< name of the CRS, "" when none
};

std::vector<LayerInfo> describe_workspace(const std::string& path, const ReadOptions& options = {});

/// The layer names of docs/workspace.md, border_lines first.
const std::vector<std::string>& workspace_layers();

} // namespace bordercov::io
