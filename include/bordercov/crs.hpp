// Coordinates given by a user in some CRS, brought to WGS 84 lon/lat.
#pragma once

#include "bordercov/geodesy.hpp"

#include <string>

namespace bordercov {

/// p given in the CRS crs (anything PROJ knows: "EPSG:32648", WKT, ...; empty
/// for WGS 84 lon/lat), as WGS 84 lon/lat. Throws UsageError for a CRS PROJ
/// does not know or a point it cannot transform.
LonLat to_wgs84(LonLat p, const std::string& crs);

} // namespace bordercov
