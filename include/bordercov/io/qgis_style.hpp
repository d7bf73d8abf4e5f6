// QGIS styles for the result layers, so that they open in QGIS ready to read:
// segments green where someone is responsible and red where no one is, gaps
// labelled with their km, markers by custody, communes shaded by coverage,
// diagnostics by severity. A style is QML, QGIS's own style XML; QGIS applies
// it on load from a GeoPackage's layer_styles table or from a <layer>.qml
// file beside a GeoJSON, Shapefile or FlatGeobuf file of the same name.
//
// Example usage:
//   std::string qml = io::qgis_style("segments", "ESRI Shapefile");
//   // its renderer classifies on "status" and sizes lines by "owner_cnt"
#pragma once

#include "bordercov/i18n.hpp"
#include "bordercov/table.hpp"

#include <string>
#include <vector>

namespace bordercov::io {

/// The QML style of a result layer, naming its fields as the driver writes
/// them (a Shapefile cuts them to 10 characters, shapefile_field_name); empty
/// for a layer without a style (the tables without geometry, layers of other
/// commands).
std::string qgis_style(const std::string& layer, const std::string& driver = "GPKG");

/// The QML style of a table as an output writes it: qgis_style(table.name,
/// driver) with QGIS field aliases, so the attribute table shows readable
/// headings — each field's title in the catalogue's language (labels.hpp,
/// "Biên giới (km)" for border_km) when `titles` is given, else only the
/// full name of each field a Shapefile cut. "" for a table with neither a
/// style nor an alias to give.
std::string qgis_layer_style(const Table& table, const std::string& driver,
                             const i18n::Catalogue* titles = nullptr);

/// The layers that have a style: commune_summary, diagnostics, gaps, markers, segments.
std::vector<std::string> styled_layers();

/// The name of the style bordercov gives every layer (layer_styles.styleName).
inline constexpr const char* kQgisStyleName = "bordercov";

/// KML has no layer styles, only a style per placemark: the QGIS style's
/// colours as an OGR feature style string for one row of a styled layer
/// ("PEN(c:#d7191c,w:4px)" for an uncovered segment), which GDAL's KML
/// drivers turn into the placemark's <Style>; "" for other layers.
std::string kml_style(const Table& table, const Row& row);

/// The placemark's name a phone shows, as the QGIS style labels the row
/// ("G5: 2.009 km", a marker's id); "" for none.
std::string kml_name(const Table& table, const Row& row);

} // namespace bordercov::io
