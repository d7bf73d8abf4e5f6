#include "detail/gdal_support.hpp"

#include "bordercov/io/postgis.hpp"

#include <gdal.h>

#include <cctype>
#include <mutex>

namespace bordercov::detail {

std::string last_gdal_error() {
    const char* message = CPLGetLastErrorMsg();
    if (message == nullptr || *message == '\0') {
        return {};
    }
    // Messages name the output the user asked for, never the temporary
    // name it is written under (".tmp-PID-NAME", detail/temporary_output.hpp).
    std::string text(message);
    for (std::size_t at = text.find(".tmp-"); at != std::string::npos;
         at = text.find(".tmp-", at)) {
        std::size_t end = at + 5;
        while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) {
            ++end;
        }
        if (end > at + 5 && end < text.size() && text[end] == '-') {
            text.erase(at, end + 1 - at);
        } else {
            at = end;
        }
    }
    // GDAL's PostgreSQL driver repeats connection strings in its messages.
    return ": " + io::hide_passwords(text);
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
    if (from.IsSame(&to) &&
        from.GetDataAxisToSRSAxisMapping() == to.GetDataAxisToSRSAxisMapping()) {
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

ScopedConfigOption::ScopedConfigOption(const char* key, const std::string& value) : key_(key) {
    if (value.empty()) {
        return;
    }
    if (const char* before = CPLGetConfigOption(key, nullptr)) {
        before_ = before;
    }
    CPLSetConfigOption(key, value.c_str());
    set_ = true;
}

ScopedConfigOption::~ScopedConfigOption() {
    if (set_) {
        CPLSetConfigOption(key_, before_ ? before_->c_str() : nullptr);
    }
}

} // namespace bordercov::detail
