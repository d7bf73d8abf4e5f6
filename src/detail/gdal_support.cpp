#include "detail/gdal_support.hpp"

#include <gdal.h>

#include <mutex>

namespace bordercov::detail {

std::string last_gdal_error() {
    const char* message = CPLGetLastErrorMsg();
    if (message == nullptr || *message == '\0') {
        return {};
    }
    return std::string(": ") + message;
}

const OGRSpatialReference& wgs84_lonlat() {
    static const OGRSpatialReference srs = [] {
        OGRSpatialReference s;
        s.importFromEPSG(4326);
        s.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        return s;
    }();
    return srs;
}

std::optional<Transform> make_transform(const OGRSpatialReference& from,
                                        const OGRSpatialReference& to) {
    if (from.IsSame(&to) && from.GetDataAxisToSRSAxisMapping() == to.GetDataAxisToSRSAxisMapping()) {
        return Transform{};
    }
    Transform t(OGRCreateCoordinateTransformation(&from, &to));
    if (!t) {
        return std::nullopt;
    }
    return t;
}

void register_gdal() {
    static std::once_flag once;
    std::call_once(once, [] { GDALAllRegister(); });
}

} // namespace bordercov::detail
