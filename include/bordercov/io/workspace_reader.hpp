// Reading a workspace through GDAL/OGR: a GeoPackage (or any single
// datasource) holding the layers, or a folder with one file per layer
// (GeoJSON, Shapefile, FlatGeobuf, ...). Every geometry is transformed to
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
};

Workspace read_workspace(const std::string& path, Diagnostics& diagnostics,
                         const ReadOptions& options = {});

/// What `info` shows of a layer without resolving anything.
struct LayerInfo {
    std::string layer;
    std::string file;
    std::int64_t features = 0;
    std::string geometry_type;
    std::string crs; ///< name of the CRS, "" when none
};

std::vector<LayerInfo> describe_workspace(const std::string& path);

/// The layer names of SPEC section 2, border_lines first.
const std::vector<std::string>& workspace_layers();

} // namespace bordercov::io
