// Text as planners type it: Vietnamese names compared without case or
// diacritics ("ia pnon" finds "Ia Pnôn"), and widths for aligned tables.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bordercov {

/// Lower case ASCII with Vietnamese (and Latin-1) diacritics removed; đ -> d.
std::string fold_diacritics(std::string_view utf8);

/// Display width in columns: code points, not bytes.
std::size_t display_width(std::string_view utf8);

/// "a, b, c" of at most `most` names, then " and N more": names in a message.
std::string name_list(const std::vector<std::string>& names, std::size_t most = 8);

} // namespace bordercov
