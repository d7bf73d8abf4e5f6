// The report's templates share/report/<name>.mustache, compiled into the
// library by cmake/embed_mustache.cmake (the definition is generated
// at build time), and the one way they are rendered.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bordercov::detail {

struct ReportTemplate {
    std::string_view name; ///< the file's name without .mustache, e.g. "page"
    std::string_view text;
};

/// Every template, sorted by name.
const std::vector<ReportTemplate>& report_templates();

/// The template of that name; throws std::out_of_range for none.
std::string_view report_template(std::string_view name);

} // namespace bordercov::detail
