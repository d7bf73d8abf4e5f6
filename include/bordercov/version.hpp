// The version of bordercov and of the libraries it was built with, as
// `bordercov --version` prints it.
//
// Example usage:
//     fmt::print("{}\n", bordercov::version_line());
//     // bordercov 0.1.0 (GDAL 3.6.2, PROJ 9.1.1, GEOS 3.11.1-CAPI-1.17.1)
#pragma once

#include <string>

namespace bordercov {

std::string version_line();

} // namespace bordercov
