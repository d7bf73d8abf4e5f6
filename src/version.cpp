#include "bordercov/version.hpp"

#include <gdal.h>
#include <geos_c.h>
#include <proj.h>

#include <fmt/format.h>

namespace bordercov {

std::string version_line() {
    return fmt::format("bordercov {} (GDAL {}, PROJ {}.{}.{}, GEOS {})", BORDERCOV_VERSION,
                       GDALVersionInfo("RELEASE_NAME"), PROJ_VERSION_MAJOR, PROJ_VERSION_MINOR,
                       PROJ_VERSION_PATCH, GEOSversion());
}

} // namespace bordercov
