// The names people read for what bordercov writes: the title of each result
// layer and field (with its unit), the words for a segment's or a marker's
// status, a party's type and a neighbouring country, each from the message
// catalogue (i18n.hpp). One table serves the report, the QGIS styles'
// field aliases and the QGIS project's layer titles, so a field is called
// the same wherever it is shown.
//
// Example usage:
//     const auto vi = i18n::Catalogue::for_language(i18n::Language::vi);
//     field_title(vi, "border_km");   // "Biên giới (km)"
//     country_name(vi, "KH");         // "Campuchia"
#pragma once

#include "bordercov/i18n.hpp"
#include "bordercov/model.hpp"

#include <string>
#include <string_view>

namespace bordercov {

/// A result layer's title ("segments": "Border segments"); the layer's own
/// name for a layer bordercov does not title.
std::string layer_title(const i18n::Catalogue& catalogue, std::string_view layer);

/// The title of a group of the QGIS project ("coverage", "markers",
/// "communes", "diagnostics"); the name itself for another.
std::string group_title(const i18n::Catalogue& catalogue, std::string_view group);

/// A result field's title with its unit ("border_km": "Border (km)"); the
/// field's own name for a field bordercov does not title.
std::string field_title(const i18n::Catalogue& catalogue, std::string_view field);

/// Whether field_title knows the field.
bool has_field_title(std::string_view field);

/// A status as the layers write it ("covered", "overlap", "uncovered",
/// "custodied", "unowned"), in words.
std::string status_title(const i18n::Catalogue& catalogue, std::string_view status);

std::string party_type_title(const i18n::Catalogue& catalogue, PartyType type);

/// A neighbouring country by its code (ISO 3166 alpha-2 as border_lines'
/// `neighbour` holds it: KH, LA, CN); the code itself for one not known.
std::string country_name(const i18n::Catalogue& catalogue, std::string_view code);

} // namespace bordercov
