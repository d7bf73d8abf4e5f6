#include "bordercov/crs.hpp"

#include "bordercov/error.hpp"
#include "detail/gdal_support.hpp"

#include <fmt/format.h>

namespace bordercov {

LonLat to_wgs84(LonLat p, const std::string& crs) {
    if (crs.empty()) {
        return p;
    }
    detail::QuietGdal quiet;
    OGRSpatialReference from;
    if (from.SetFromUserInput(crs.c_str()) != OGRERR_NONE) {
        throw UsageError(fmt::format("'{}' is no CRS PROJ knows. Give e.g. EPSG:32648.", crs));
    }
    from.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const auto transform = detail::make_transform(from, detail::wgs84_lonlat());
    if (!transform) {
        throw UsageError(fmt::format("PROJ finds no way from {} to WGS 84.", crs));
    }
    if (*transform && !(*transform)->Transform(1, &p.lon, &p.lat)) {
        throw UsageError(
            fmt::format("({}, {}) cannot be transformed from {} to WGS 84: is it inside "
                        "that CRS's area?",
                        p.lon, p.lat, crs));
    }
    return p;
}

} // namespace bordercov
