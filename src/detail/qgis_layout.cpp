#include "detail/qgis_layout.hpp"

#include "bordercov/io/layer_writer.hpp"
#include "bordercov/labels.hpp"
#include "bordercov/text.hpp"
#include "detail/xml_escape.hpp"

#include <fmt/format.h>
#include <kainjow/mustache.hpp>

#include <algorithm>
#include <stdexcept>
#include <tuple>
#include <utility>

namespace bordercov::detail {

namespace {

using Data = kainjow::mustache::data;

std::string_view layout_template(std::string_view name) {
    for (const LayoutTemplate& t : layout_templates()) {
        if (t.name == name) {
            return t.text;
        }
    }
    throw std::out_of_range("no QGIS layout template " + std::string(name));
}

/// A QGIS expression's string literal.
std::string quoted(const std::string& text) {
    std::string out = "'";
    for (const char c : text) {
        out += c;
        if (c == '\'') {
            out += '\'';
        }
    }
    return out + "'";
}

/// The words of the layout, in the catalogue's language.
struct Words {
    i18n::Catalogue english;
    const i18n::Catalogue& cat;
    std::string language; ///< for QGIS's format_number: "vi" or "en"

    Words(const Words&) = delete;
    Words& operator=(const Words&) = delete;
    explicit Words(const i18n::Catalogue* catalogue)
        : cat(catalogue ? *catalogue : english),
          language(i18n::code(catalogue ? catalogue->language() : i18n::Language::en)) {}

    std::string tr(std::string_view msgid) const { return cat.tr(msgid); }
    std::string format(std::string_view msgid, const std::string& value) const {
        return fmt::format(fmt::runtime(cat.tr(msgid)), value);
    }
};

/// A field of a layer as the driver wrote it, in a QGIS expression.
std::string field_ref(const CommuneSheets& s, const std::string& field) {
    const std::string name = s.driver == "ESRI Shapefile" ? io::shapefile_field_name(field) : field;
    return "\"" + name + "\"";
}

/// A number of the atlas feature, formatted by QGIS in the language's way.
std::string number_expression(const CommuneSheets& s, const Words& w, const std::string& field,
                              int decimals) {
    return fmt::format("format_number({}, {}, {})", field_ref(s, field), decimals,
                       quoted(w.language));
}

Data label(std::string id, double x, double y, double width, double height, std::string text,
           int size, bool bold, bool right = false) {
    Data d;
    d.set("id", std::move(id));
    d.set("x", fmt::format("{:g}", x));
    d.set("y", fmt::format("{:g}", y));
    d.set("width", fmt::format("{:g}", width));
    d.set("height", fmt::format("{:g}", height));
    d.set("text", std::move(text));
    d.set("size", std::to_string(size));
    d.set("weight", bold ? "75" : "50");
    d.set("halign", right ? "2" : "1"); // Qt::AlignRight, Qt::AlignLeft
    return d;
}

/// The title: the commune, its district and its province (looked up in
/// district_summary by the district's name).
std::string title_text(const CommuneSheets& s, const Words& w) {
    std::string title = w.format("{} commune", "[% " + field_ref(s, "name") + " %]") + ", " +
                        w.format("{} district", "[% " + field_ref(s, "district") + " %]");
    if (s.districts) {
        title += ", " + w.format("{} province",
                                 fmt::format("[% attribute(get_feature({}, 'district', {}), "
                                             "'province') %]",
                                             quoted(s.districts->id), field_ref(s, "district")));
    }
    return title;
}

/// The commune's key figures, one a line.
std::string figures_text(const CommuneSheets& s, const Words& w) {
    const std::pair<const char*, int> figures[] = {{"border_km", 3},
                                                   {"coverage_pct", 2},
                                                   {"households", 0},
                                                   {"teams", 0},
                                                   {"markers_unowned", 0}};
    std::string text;
    for (const auto& [field, decimals] : figures) {
        text += fmt::format("{}{}: [% {} %]", text.empty() ? "" : "\n", field_title(w.cat, field),
                            number_expression(s, w, field, decimals));
    }
    return text;
}

Data labels(const CommuneSheets& s, const Words& w) {
    std::string subtitle = w.tr("Self-management of the national border and its markers");
    if (s.as_of) {
        subtitle += " · " + w.format("As of {}", w.cat.date(*s.as_of));
    }
    std::string footer = w.format("Data source: {}", s.source);
    footer += " · " + w.format("Made by bordercov {}", BORDERCOV_VERSION);
    std::vector<Data> items;
    items.push_back(label("title", 10, 8, 277, 9, title_text(s, w), 15, true));
    items.push_back(label("subtitle", 10, 17, 277, 6, subtitle, 9, false));
    items.push_back(label("key figures heading", 194, 100, 93, 5, w.tr("Key figures"), 9, true));
    items.push_back(label("key figures", 194, 106, 93, 27, figures_text(s, w), 8, false));
    if (s.gaps) {
        items.push_back(label("gaps heading", 194, 135, 93, 5,
                              w.tr("Gaps and who is nearest to take them"), 9, true));
    }
    items.push_back(label("footer", 10, 194, 220, 6, footer, 7, false));
    items.push_back(label("page number", 232, 194, 55, 6,
                          fmt::format(fmt::runtime(w.tr("Page {} of {}")),
                                      "[% @atlas_featurenumber %]", "[% @atlas_totalfeatures %]"),
                          7, false, true));
    Data list{Data::type::list};
    for (std::size_t i = 0; i < items.size(); ++i) { // the template's own items end at 0x0f
        items[i].set("uuid", fmt::format("{{bc000000-0000-4000-8000-0000000001{:02x}}}", i));
        list.push_back(std::move(items[i]));
    }
    return list;
}

/// The table of the commune's gaps: only the gaps whose commune is the
/// atlas feature's, along the border.
Data gaps_table(const CommuneSheets& s, const Words& w) {
    const LayoutLayer& gaps = *s.gaps;
    Data d;
    d.set("layer_id", gaps.id);
    d.set("layer_name", gaps.title);
    d.set("layer_source", gaps.source);
    d.set("filter",
          fmt::format("{} = attribute(@atlas_feature, {})", field_ref(s, "commune_id"),
                      quoted(s.driver == "ESRI Shapefile" ? io::shapefile_field_name("commune_id")
                                                          : std::string("commune_id"))));
    d.set("max_rows", "40");
    d.set("empty", w.tr("No gap: every metre of the commune's border is held."));
    d.set("sort", field_ref(s, "from_km"));
    const std::string party =
        fmt::format("coalesce({0} || ' (' || {1} || ')', {1})", field_ref(s, "nearest_party_name"),
                    field_ref(s, "nearest_party_id"));
    const std::tuple<std::string, std::string, int, bool> columns[] = {
        {field_ref(s, "gap_id"), field_title(w.cat, "gap_id"), 9, false},
        {number_expression(s, w, "from_km", 3), field_title(w.cat, "from_km"), 12, true},
        {number_expression(s, w, "to_km", 3), field_title(w.cat, "to_km"), 12, true},
        {number_expression(s, w, "length_km", 3), field_title(w.cat, "length_km"), 12, true},
        {party, field_title(w.cat, "nearest_party_id"), 38, false}};
    Data list{Data::type::list};
    for (const auto& [expression, heading, width, right] : columns) {
        Data c;
        c.set("expression", expression);
        c.set("heading", heading);
        c.set("width", std::to_string(width));
        c.set("halign", right ? "2" : "1");
        list.push_back(std::move(c));
    }
    d.set("columns", std::move(list));
    return d;
}

Data legend_layers(const CommuneSheets& s) {
    Data list{Data::type::list};
    for (const LayoutLayer& l : s.legend) {
        Data d;
        d.set("id", l.id);
        d.set("title", l.title);
        d.set("source", l.source);
        list.push_back(std::move(d));
    }
    return list;
}

/// The pages in the order of commune_order, whatever the collation of the
/// machine QGIS runs on (QGIS compares text as the system locale does:
/// "Đức Cơ" after "Ia Grai" in the C locale); a commune not in the list
/// (added to the layer later) comes first.
std::string sort_key(const CommuneSheets& s) {
    std::string ids;
    for (const std::string& id : s.commune_order) {
        ids += (ids.empty() ? "" : ", ") + quoted(id);
    }
    return fmt::format("array_find(array({}), {})", ids, field_ref(s, "commune_id"));
}

/// The map item's size in mm, and its extent outside the atlas: the
/// layers' extent widened to the item's shape (QGIS would otherwise
/// resize the item to the extent's shape).
void set_map_extent(Data& d, const CommuneSheets& s) {
    constexpr double width = 178, height = 165;
    const double cx = (s.xmin + s.xmax) / 2, cy = (s.ymin + s.ymax) / 2;
    double dx = std::max(s.xmax - s.xmin, 1e-9), dy = std::max(s.ymax - s.ymin, 1e-9);
    if (dx / dy > width / height) {
        dy = dx * height / width;
    } else {
        dx = dy * width / height;
    }
    d.set("map_width", fmt::format("{:g}", width));
    d.set("map_height", fmt::format("{:g}", height));
    d.set("xmin", fmt::format("{:.9g}", cx - dx / 2));
    d.set("ymin", fmt::format("{:.9g}", cy - dy / 2));
    d.set("xmax", fmt::format("{:.9g}", cx + dx / 2));
    d.set("ymax", fmt::format("{:.9g}", cy + dy / 2));
}

} // namespace

std::vector<std::string> commune_order(const Table& commune_summary) {
    const std::size_t id = commune_summary.column("commune_id");
    const std::size_t name = commune_summary.column("name");
    const std::size_t district = commune_summary.column("district");
    const auto text = [](const Value& v) {
        const auto* s = std::get_if<std::string>(&v);
        return s ? *s : std::string{};
    };
    std::vector<std::tuple<std::string, std::string, std::string>> keys;
    for (const Row& row : commune_summary.rows) {
        keys.emplace_back(fold_diacritics(text(row.values[district])),
                          fold_diacritics(text(row.values[name])), text(row.values[id]));
    }
    std::sort(keys.begin(), keys.end());
    std::vector<std::string> ids;
    for (const auto& key : keys) {
        ids.push_back(std::get<2>(key));
    }
    return ids;
}

std::string commune_sheets_name(const i18n::Catalogue* catalogue) {
    return Words(catalogue).tr("Commune sheets");
}

std::string commune_sheets_xml(const CommuneSheets& s) {
    const Words w(s.catalogue);
    Data d;
    d.set("name", commune_sheets_name(s.catalogue));
    d.set("font", "DejaVu Sans");
    d.set("map_uuid", "{bc000000-0000-4000-8000-000000000002}");
    set_map_extent(d, s);
    d.set("margin", "0.1"); // around the commune: a tenth of its extent
    d.set("km", "km");
    d.set("labels", labels(s, w));
    d.set("legend_title", w.tr("Legend"));
    d.set("legend_layers", legend_layers(s));
    if (s.gaps) {
        d.set("gaps", gaps_table(s, w));
    }
    d.set("coverage_id", s.communes.id);
    d.set("coverage_name", s.communes.title);
    d.set("coverage_source", s.communes.source);
    d.set("page_name", field_ref(s, "name"));
    d.set("sort_key", sort_key(s));
    d.set("file_name", fmt::format("'commune_' || {}", field_ref(s, "commune_id")));
    kainjow::mustache::mustache tmpl{std::string(layout_template("commune_sheets"))};
    tmpl.set_custom_escape([](const std::string& text) { return xml_escape(text); });
    std::string out = tmpl.render(d);
    if (!tmpl.is_valid()) {
        throw std::logic_error("QGIS layout template commune_sheets: " + tmpl.error_message());
    }
    return out;
}

} // namespace bordercov::detail
