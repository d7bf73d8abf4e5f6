// Text put into XML (the QGIS styles, projects and print layouts): the five
// markup characters as entities, and line ends as character references (a
// parser turns a literal line end in an attribute into a space).
#pragma once

#include <string>
#include <string_view>

namespace bordercov::detail {

inline std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&apos;";
            break;
        case '\n':
            out += "&#10;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

} // namespace bordercov::detail
