#include "bordercov/diagnostic.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace bordercov {

const char* to_string(Severity s) {
    return s == Severity::error ? "error" : "warning";
}

std::string Diagnostic::describe() const {
    std::string where_text = file;
    if (!layer.empty()) {
        where_text += fmt::format("{}layer '{}'", where_text.empty() ? "" : ", ", layer);
    }
    if (!feature_id.empty() || fid >= 0) {
        where_text += ", feature";
        if (!feature_id.empty()) {
            where_text += fmt::format(" '{}'", feature_id);
        }
        if (fid >= 0) {
            where_text += fmt::format(" (FID {})", fid);
        }
    }
    if (!field.empty()) {
        where_text += fmt::format(", field '{}'", field);
    }
    return fmt::format("{}: {}", where_text, message);
}

Diagnostic& LayerReporter::add(Severity severity, std::string code, std::string feature_id,
                               std::int64_t fid, std::string field, std::string message) {
    return diagnostics_.add(make(severity, std::move(code), std::move(feature_id), fid,
                                 std::move(field), std::move(message)));
}

std::size_t Diagnostics::count(Severity s) const {
    return static_cast<std::size_t>(std::count_if(
        items_.begin(), items_.end(), [s](const Diagnostic& d) { return d.severity == s; }));
}

} // namespace bordercov
