// The QGIS style templates share/qgis/<layer>.qml, compiled into the library
// by cmake/embed_qgis_styles.cmake (the definition is generated at build time).
#pragma once

#include <string_view>
#include <vector>

namespace bordercov::detail {

struct StyleTemplate {
    std::string_view layer; ///< the result layer it styles, e.g. "segments"
    std::string_view qml;   ///< field names as {{name}}, the names the engine gives them
};

/// Every template, sorted by layer name.
const std::vector<StyleTemplate>& style_templates();

} // namespace bordercov::detail
