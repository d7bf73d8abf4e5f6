// The print layout of the QGIS project: "Commune sheets", one A4 landscape
// page per commune, whose atlas runs over commune_summary (the map follows
// the commune; title, figures and the table of its gaps are expressions over
// the atlas feature, evaluated by QGIS). Written from the template
// share/qgis/commune_sheets.mustache (compiled into the library by
// cmake/embed_mustache.cmake), every word from the message catalogue.
#pragma once

#include "bordercov/date.hpp"
#include "bordercov/i18n.hpp"
#include "bordercov/table.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bordercov::detail {

struct LayoutTemplate {
    std::string_view name; ///< the file's name without .mustache, e.g. "commune_sheets"
    std::string_view text;
};

/// Every layout template, sorted by name.
const std::vector<LayoutTemplate>& layout_templates();

/// A layer of the project as the layout refers to it.
struct LayoutLayer {
    std::string name;   ///< the result layer, e.g. "gaps"
    std::string title;  ///< its name in the layer tree (and the legend)
    std::string id;     ///< its id in the project
    std::string source; ///< its data source, relative to the project
};

struct CommuneSheets {
    /// The words and number formats; null: English.
    const i18n::Catalogue* catalogue = nullptr;
    std::string driver;              ///< the output's GDAL driver (Shapefile field names are cut)
    LayoutLayer communes;            ///< commune_summary, the atlas's coverage layer
    std::optional<LayoutLayer> gaps; ///< the table of the commune's gaps
    std::optional<LayoutLayer> districts;          ///< district_summary, for the province
    std::vector<LayoutLayer> legend;               ///< the layers the legend shows, top first
    std::optional<Date> as_of;                     ///< the day the figures hold
    std::string source;                            ///< the data source named in the footer
    std::vector<std::string> commune_order;        ///< commune ids in the order of the pages
    double xmin = 0, ymin = 0, xmax = 0, ymax = 0; ///< the map's extent outside the atlas
};

/// The communes' ids by district, then by name, both compared without case
/// or diacritics (text.hpp): the order of the pages.
std::vector<std::string> commune_order(const Table& commune_summary);

/// The layout's name: "Commune sheets", or its translation.
std::string commune_sheets_name(const i18n::Catalogue* catalogue);

/// The <Layouts> element of the project, holding the one layout.
std::string commune_sheets_xml(const CommuneSheets& sheets);

} // namespace bordercov::detail
