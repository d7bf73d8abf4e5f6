#include "bordercov/io/qgis_style.hpp"

#include "bordercov/io/layer_writer.hpp"
#include "bordercov/labels.hpp"
#include "detail/qgis_style_templates.hpp"
#include "detail/xml_escape.hpp"

#include <fmt/format.h>
#include <optional>
#include <regex>
#include <variant>

namespace bordercov::io {

std::string qgis_style(const std::string& layer, const std::string& driver) {
    for (const detail::StyleTemplate& t : detail::style_templates()) {
        if (t.layer != layer) {
            continue;
        }
        // {{field}} becomes the field's name in this output.
        std::string qml;
        qml.reserve(t.qml.size());
        std::size_t at = 0;
        while (true) {
            const std::size_t open = t.qml.find("{{", at);
            const std::size_t close =
                open == std::string_view::npos ? open : t.qml.find("}}", open);
            if (close == std::string_view::npos) {
                qml.append(t.qml.substr(at));
                return qml;
            }
            qml.append(t.qml.substr(at, open - at));
            const std::string field(t.qml.substr(open + 2, close - open - 2));
            qml += driver == "ESRI Shapefile" ? shapefile_field_name(field) : field;
            at = close + 2;
        }
    }
    return {};
}

namespace {

/// The <aliases> block: a title for every field that has one (titles), or
/// the full name of every field a Shapefile renamed.
std::string qml_aliases(const Table& t, const std::string& driver, const i18n::Catalogue* titles) {
    std::vector<std::string> names;
    for (const Field& f : t.fields) {
        names.push_back(f.name);
    }
    if (driver == "ESRI Shapefile") {
        names = shapefile_field_names(t.fields);
    }
    std::string xml;
    for (std::size_t i = 0; i < t.fields.size(); ++i) {
        const std::string& field = t.fields[i].name;
        std::string alias;
        if (titles && has_field_title(field)) {
            alias = field_title(*titles, field);
        } else if (names[i] != field) {
            alias = field;
        }
        if (!alias.empty()) {
            xml += fmt::format("    <alias field=\"{}\" index=\"{}\" name=\"{}\"/>\n",
                               detail::xml_escape(names[i]), i, detail::xml_escape(alias));
        }
    }
    return xml.empty() ? xml : "  <aliases>\n" + xml + "  </aliases>\n";
}

/// The legend's words in the catalogue's language: a category of segments or
/// markers by its status (labels.hpp), the lowest class of communes.
std::string translate_legend(const std::string& qml, const i18n::Catalogue& titles) {
    static const std::regex category("(<category [^>]*value=\"([^\"]*)\"[^>]*label=\")([^\"]*)\"");
    std::string out;
    auto at = qml.cbegin();
    for (auto it = std::sregex_iterator(qml.begin(), qml.end(), category);
         it != std::sregex_iterator(); ++it) {
        const std::smatch& m = *it;
        out.append(at, m[0].first);
        out += m[1].str() + detail::xml_escape(status_title(titles, m[2].str())) + "\"";
        at = m[0].second;
    }
    out.append(at, qml.cend());
    const std::string lowest = "label=\"below 80 %\"";
    if (const std::size_t p = out.find(lowest); p != std::string::npos) {
        out.replace(p, lowest.size(),
                    "label=\"" + detail::xml_escape(titles.tr(N_("below 80 %"))) + "\"");
    }
    return out;
}

} // namespace

std::string qgis_layer_style(const Table& table, const std::string& driver,
                             const i18n::Catalogue* titles) {
    std::string qml = qgis_style(table.name, driver);
    if (titles) {
        qml = translate_legend(qml, *titles);
    }
    const std::string aliases = qml_aliases(table, driver, titles);
    if (aliases.empty()) {
        return qml;
    }
    if (qml.empty()) {
        qml = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
              "<qgis version=\"3.22.0\" styleCategories=\"Fields\">\n</qgis>\n";
    }
    const std::size_t end = qml.rfind("</qgis>");
    qml.insert(end, aliases);
    const std::size_t categories = qml.find("styleCategories=\"");
    if (categories != std::string::npos && categories < end &&
        qml.compare(categories, 25, "styleCategories=\"Fields\"") != 0) {
        qml.insert(categories + 17, "Fields|");
    }
    return qml;
}

std::vector<std::string> styled_layers() {
    std::vector<std::string> layers;
    for (const detail::StyleTemplate& t : detail::style_templates()) {
        layers.emplace_back(t.layer);
    }
    return layers;
}

namespace {

/// The text of a row's field, "" when absent or null.
std::string text(const Table& table, const Row& row, const std::string& field) {
    for (std::size_t i = 0; i < table.fields.size() && i < row.values.size(); ++i) {
        if (table.fields[i].name == field) {
            if (const auto* s = std::get_if<std::string>(&row.values[i])) {
                return *s;
            }
        }
    }
    return {};
}

std::optional<double> number(const Table& table, const Row& row, const std::string& field) {
    for (std::size_t i = 0; i < table.fields.size() && i < row.values.size(); ++i) {
        if (table.fields[i].name == field) {
            if (const auto* d = std::get_if<double>(&row.values[i])) {
                return *d;
            }
            if (const auto* n = std::get_if<std::int64_t>(&row.values[i])) {
                return static_cast<double>(*n);
            }
        }
    }
    return std::nullopt;
}

// The colours of share/qgis/*.qml.
constexpr const char* kRed = "#d7191c";
constexpr const char* kOrange = "#fd8d3c";
constexpr const char* kGreen = "#1a9641";
/// A KML point needs an icon to carry a colour (GDAL's LIBKML driver fails
/// without one): Google's white circle, which KML viewers tint.
constexpr const char* kIcon = "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png";

} // namespace

std::string kml_style(const Table& table, const Row& row) {
    if (table.name == "segments") {
        const std::string status = text(table, row, "status");
        return status == "uncovered" ? fmt::format("PEN(c:{},w:4px)", kRed)
               : status == "overlap" ? fmt::format("PEN(c:{},w:4px)", kOrange)
                                     : fmt::format("PEN(c:{},w:3px)", kGreen);
    }
    if (table.name == "gaps") {
        return fmt::format("PEN(c:{},w:6px);LABEL(c:#a50026)", kRed);
    }
    if (table.name == "markers") {
        return fmt::format("SYMBOL(id:\"{}\",c:{});LABEL(c:#282828)", kIcon,
                           text(table, row, "status") == "unowned" ? kRed : kGreen);
    }
    if (table.name == "diagnostics") {
        return fmt::format("SYMBOL(id:\"{}\",c:{})", kIcon,
                           text(table, row, "severity") == "error" ? kRed : kOrange);
    }
    if (table.name == "commune_summary") {
        // The ranges of commune_summary.qml, 60 % opaque.
        const double pct = number(table, row, "coverage_pct").value_or(0.0);
        const char* fill = pct <= 80.0     ? "#d7191c99"
                           : pct <= 90.0   ? "#fdae6199"
                           : pct <= 95.0   ? "#ffffbf99"
                           : pct <= 99.995 ? "#a6d96a99"
                                           : "#1a964199";
        return fmt::format("BRUSH(fc:{});PEN(c:#505050,w:1px)", fill);
    }
    return {};
}

std::string kml_name(const Table& table, const Row& row) {
    if (table.name == "gaps") {
        return fmt::format("{}: {:.3f} km", text(table, row, "gap_id"),
                           number(table, row, "length_km").value_or(0.0));
    }
    if (table.name == "markers") {
        return text(table, row, "marker_id");
    }
    if (table.name == "diagnostics") {
        return text(table, row, "code");
    }
    if (table.name == "commune_summary") {
        return fmt::format("{} ({:.2f} %)", text(table, row, "name"),
                           number(table, row, "coverage_pct").value_or(0.0));
    }
    return {};
}

} // namespace bordercov::io
