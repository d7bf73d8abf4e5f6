#include "bordercov/report.hpp"

#include "bordercov/error.hpp"
#include "bordercov/labels.hpp"
#include "bordercov/nearest.hpp"
#include "bordercov/table.hpp"
#include "bordercov/text.hpp"
#include "detail/report_model.hpp"
#include "detail/report_templates.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>

namespace bordercov {

namespace detail {

std::string_view report_template(std::string_view name) {
    for (const ReportTemplate& t : report_templates()) {
        if (t.name == name) {
            return t.text;
        }
    }
    throw std::out_of_range("no report template " + std::string(name));
}

namespace {

/// Text inside a CSS string ("..."): quotes, backslashes and line ends
/// escaped, and "<" so that no value can close the <style> element.
std::string css_string_escape(const std::string& text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\A ";
            break;
        case '<':
            out += "\\3C ";
            break;
        default:
            out += c;
        }
    }
    return out;
}

/// The template's text with each partial ({{> _party}}: the templates
/// whose names start with "_") written in its place, so that it is parsed
/// once and not at each use.
std::string expanded_template(std::string_view name) {
    std::string text(report_template(name));
    for (const ReportTemplate& t : report_templates()) {
        if (t.name.substr(0, 1) != "_") {
            continue;
        }
        const std::string tag = "{{> " + std::string(t.name) + "}}";
        for (std::size_t at = text.find(tag); at != std::string::npos;
             at = text.find(tag, at + t.text.size())) {
            text.replace(at, tag.size(), t.text);
        }
    }
    return text;
}

/// Each template parsed once (a national report renders them ten thousand
/// times). Throws std::logic_error when one is broken.
kainjow::mustache::mustache& parsed_template(std::string_view name, bool css) {
    static std::map<std::pair<std::string, bool>, std::unique_ptr<kainjow::mustache::mustache>>
        parsed;
    auto& slot = parsed[{std::string(name), css}];
    if (!slot) {
        slot = std::make_unique<kainjow::mustache::mustache>(expanded_template(name));
        if (css) {
            slot->set_custom_escape(css_string_escape);
        }
        if (!slot->is_valid()) {
            throw std::logic_error(
                fmt::format("report template {}: {}", name, slot->error_message()));
        }
    }
    return *slot;
}

std::string render_with(std::string_view name, const Data& data, bool css) {
    kainjow::mustache::mustache& tmpl = parsed_template(name, css);
    std::string out = tmpl.render(data);
    if (!tmpl.is_valid()) {
        throw std::logic_error(fmt::format("report template {}: {}", name, tmpl.error_message()));
    }
    return out;
}

} // namespace

std::string render(std::string_view template_name, Data data) {
    return render_with(template_name, data, false);
}

// kainjow::mustache's set() and push_back() copy the whole value, and a
// page is values inside values (a table's rows, each with its cells and
// parties): copied once per level, a national report spent most of its time
// copying. These put a placeholder in and move the value onto it.
void put(Data& object, const std::string& key, Data value) {
    object.set(key, Data{false});
    // The placeholder is an element of `object`'s own (non-const) map.
    *const_cast<Data*>(object.get(key)) = std::move(value);
}

Data list(Items items) {
    Data out{Data::type::list};
    // The list is `out`'s own; reserved first, so that growing it does not
    // copy every element (Data's move is not noexcept).
    auto& elements = const_cast<kainjow::mustache::list&>(out.list_value());
    elements.reserve(items.size());
    for (Data& item : items) {
        elements.push_back(std::move(item));
    }
    return out;
}

Data flag(bool on) {
    return Data{on ? Data::type::bool_true : Data::type::bool_false};
}

std::string json_value(const Value& value) {
    if (const auto* s = std::get_if<std::string>(&value)) {
        return *s;
    }
    if (const auto* n = std::get_if<std::int64_t>(&value)) {
        return std::to_string(*n);
    }
    if (const auto* d = std::get_if<double>(&value)) {
        return fmt::format("{}", *d); // the shortest text that reads back the same, as JSON
    }
    return {};
}

Data cell(const std::string& text, const std::string& field, const Value& value) {
    Data c;
    put(c, "text", text);
    if (!field.empty()) {
        put(c, "field", field);
        put(c, "value", json_value(value));
    }
    return c;
}

const Value& value_of(const Table& table, const Row& row, const std::string& field) {
    return row.values.at(table.column(field));
}

std::string text_of(const Table& table, const Row& row, const std::string& field) {
    return json_value(value_of(table, row, field));
}

double number_of(const Table& table, const Row& row, const std::string& field) {
    const Value& v = value_of(table, row, field);
    if (const auto* d = std::get_if<double>(&v)) {
        return *d;
    }
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
        return static_cast<double>(*n);
    }
    return 0;
}

std::string ReportContext::km(double value) const {
    if (value > 0 && value < 0.05) {
        return "< " + cat.number(0.1, 1);
    }
    return cat.number(value, 1);
}

std::string ReportContext::km_exact(double value) const {
    return cat.number(value, 3);
}

std::string ReportContext::pct(double value) const {
    // Rounded down to 0.1 (with a margin for the binary fraction of a
    // decimal: 84.6 is 84.59999...).
    return cat.number(std::floor(value * 10.0 + 1e-6) / 10.0, 1);
}

std::string ReportContext::count(std::size_t n) const {
    return cat.integer(static_cast<long long>(n));
}

std::string ReportContext::party_name(std::uint32_t party) const {
    const Party& p = plan.parties[party];
    return p.name.empty() ? std::string(p.party_id) : std::string(p.name);
}

std::string ReportContext::commune_file(int c) const {
    const auto it = commune_files.find(c);
    return it == commune_files.end() ? std::string{} : it->second;
}

std::string ReportContext::commune_name(int c) const {
    if (c < 0) {
        return cat.tr("outside the communes");
    }
    const Commune& commune = ws.communes[static_cast<std::size_t>(c)];
    return commune.name.empty() ? commune.commune_id : commune.name;
}

} // namespace detail

std::string page_file_name(std::string_view kind, std::string_view name) {
    std::string slug;
    const std::string base = kind == "district" ? fold_diacritics(name) : std::string(name);
    for (const char c : base) {
        const bool plain = std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
                           (c == '-' && kind != "district");
        if (plain && static_cast<unsigned char>(c) < 0x80) {
            slug += c;
        } else if (!slug.empty() && slug.back() != '-') {
            slug += '-';
        }
    }
    while (!slug.empty() && slug.back() == '-') {
        slug.pop_back();
    }
    if (kind == "index") {
        return "index.html";
    }
    return fmt::format("{}-{}.html", kind, slug.empty() ? "x" : slug);
}

namespace {

using detail::Data;
using detail::Items;
using detail::PageScope;
using detail::put;
using detail::ReportContext;

/// The communes in scope, by district then name.
std::vector<int> communes_in_scope(const Workspace& ws, const ReportOptions& options) {
    std::vector<int> out;
    for (std::size_t c = 0; c < ws.communes.size(); ++c) {
        const Commune& commune = ws.communes[c];
        const bool wanted = (!options.commune || *options.commune == static_cast<int>(c)) &&
                            (!options.district || fold_diacritics(commune.district) ==
                                                      fold_diacritics(*options.district));
        if (wanted) {
            out.push_back(static_cast<int>(c));
        }
    }
    if (options.district && out.empty()) {
        std::set<std::string> known;
        for (const Commune& c : ws.communes) {
            known.insert(c.district.empty() ? "-" : c.district);
        }
        throw UsageError(fmt::format("--district '{}': no commune of the workspace is in such a "
                                     "district (case and diacritics ignored). Known: {}.",
                                     *options.district,
                                     name_list({known.begin(), known.end()}, 12)));
    }
    std::stable_sort(out.begin(), out.end(), [&](int a, int b) {
        const Commune& x = ws.communes[static_cast<std::size_t>(a)];
        const Commune& y = ws.communes[static_cast<std::size_t>(b)];
        return std::tie(x.province, x.district, x.name) < std::tie(y.province, y.district, y.name);
    });
    return out;
}

/// A file name not yet taken: name, else name with -2, -3... before .html.
std::string unique_file(std::set<std::string>& taken, std::string name) {
    const std::string stem = name.substr(0, name.size() - 5);
    for (int k = 2; !taken.insert(name).second; ++k) {
        name = fmt::format("{}-{}.html", stem, k);
    }
    return name;
}

void name_files(ReportContext& ctx) {
    std::set<std::string> taken{"index.html"};
    for (const int c : ctx.communes) {
        const Commune& commune = ctx.ws.communes[static_cast<std::size_t>(c)];
        const auto key = std::pair{commune.province, commune.district};
        if (!ctx.district_files.count(key)) {
            ctx.district_files[key] = unique_file(
                taken,
                page_file_name("district", commune.district.empty() ? "-" : commune.district));
        }
    }
    for (const int c : ctx.communes) {
        ctx.commune_files[c] = unique_file(
            taken,
            page_file_name("commune", ctx.ws.communes[static_cast<std::size_t>(c)].commune_id));
    }
}

Figures sum(const std::vector<Figures>& parts) {
    Figures total;
    for (const Figures& f : parts) {
        total.border_km += f.border_km;
        total.covered_km += f.covered_km;
        total.overlap_km += f.overlap_km;
        total.gaps += f.gaps;
        total.markers += f.markers;
        total.markers_unowned += f.markers_unowned;
        total.markers_not_built += f.markers_not_built;
        total.households += f.households;
        total.teams += f.teams;
    }
    return total;
}

/// The figures of a commune in its own coverage (as `coverage --commune`).
const Figures& commune_figures(const ReportContext& ctx, std::size_t slot) {
    return ctx.coverage.communes[slot].communes.front().figures;
}

/// The gap ids of the communes' coverages, each once (a piece G7.1 as G7), in
/// the order of the whole workspace's gaps.
std::vector<std::string> gap_ids(const ReportContext& ctx, const std::vector<std::size_t>& slots) {
    std::set<std::string> in;
    for (const std::size_t s : slots) {
        for (const Gap& piece : ctx.coverage.communes[s].gaps) {
            in.insert(piece.gap_id.substr(0, piece.gap_id.find('.')));
        }
    }
    std::vector<std::string> ids;
    for (const Gap& g : ctx.coverage.whole.gaps) {
        if (in.count(g.gap_id)) {
            ids.push_back(g.gap_id);
        }
    }
    return ids;
}

std::string province_title(const ReportContext& ctx) {
    std::set<std::string> provinces;
    for (const int c : ctx.communes) {
        const std::string& p = ctx.ws.communes[static_cast<std::size_t>(c)].province;
        if (!p.empty()) {
            provinces.insert(p);
        }
    }
    if (provinces.empty()) {
        return ctx.options.source;
    }
    const std::vector<std::string> names(provinces.begin(), provinces.end());
    return names.size() == 1 ? fmt::format(fmt::runtime(ctx.cat.tr("{} province")), names[0])
                             : name_list(names, 6);
}

PageScope province_scope(const ReportContext& ctx) {
    PageScope scope;
    scope.kind = PageScope::Kind::province;
    scope.file = "index.html";
    scope.title = province_title(ctx);
    scope.communes = ctx.communes;
    std::vector<Figures> parts;
    std::vector<std::size_t> slots;
    for (std::size_t s = 0; s < ctx.communes.size(); ++s) {
        parts.push_back(commune_figures(ctx, s));
        slots.push_back(s);
    }
    const bool whole = !ctx.options.commune && !ctx.options.district;
    scope.figures = whole ? ctx.coverage.whole.total : sum(parts);
    scope.gaps = gap_ids(ctx, slots);
    if (!ctx.communes.empty()) {
        scope.province = ctx.ws.communes[static_cast<std::size_t>(ctx.communes[0])].province;
    }
    return scope;
}

std::vector<PageScope> district_scopes(const ReportContext& ctx) {
    std::vector<PageScope> scopes;
    for (const auto& [key, file] : ctx.district_files) {
        PageScope scope;
        scope.kind = PageScope::Kind::district;
        scope.file = file;
        scope.province = key.first;
        scope.district = key.second;
        scope.title = fmt::format(fmt::runtime(ctx.cat.tr("{} district")),
                                  key.second.empty() ? "-" : key.second);
        std::vector<Figures> parts;
        std::vector<std::size_t> slots;
        for (std::size_t s = 0; s < ctx.communes.size(); ++s) {
            const Commune& c = ctx.ws.communes[static_cast<std::size_t>(ctx.communes[s])];
            if (c.province == key.first && c.district == key.second) {
                scope.communes.push_back(ctx.communes[s]);
                parts.push_back(commune_figures(ctx, s));
                slots.push_back(s);
            }
        }
        scope.figures = sum(parts);
        scope.gaps = gap_ids(ctx, slots);
        scopes.push_back(std::move(scope));
    }
    return scopes;
}

PageScope commune_scope(const ReportContext& ctx, std::size_t slot) {
    const int c = ctx.communes[slot];
    const Commune& commune = ctx.ws.communes[static_cast<std::size_t>(c)];
    PageScope scope;
    scope.kind = PageScope::Kind::commune;
    scope.file = ctx.commune_file(c);
    scope.title = fmt::format(fmt::runtime(ctx.cat.tr("{} commune")), ctx.commune_name(c));
    scope.province = commune.province;
    scope.district = commune.district;
    scope.commune = c;
    scope.slot = slot;
    scope.communes = {c};
    scope.figures = commune_figures(ctx, slot);
    return scope;
}

/// The links above the title: the province, the district (on a commune page).
Data breadcrumbs(const ReportContext& ctx, const PageScope& scope) {
    Items links;
    const auto link = [&](const std::string& href, const std::string& text) {
        Data d;
        put(d, "href", href);
        put(d, "text", text);
        links.push_back(std::move(d));
    };
    if (scope.kind != PageScope::Kind::province) {
        link("index.html", province_title(ctx));
    }
    if (scope.kind == PageScope::Kind::commune) {
        const auto it = ctx.district_files.find({scope.province, scope.district});
        if (it != ctx.district_files.end()) {
            link(it->second, fmt::format(fmt::runtime(ctx.cat.tr("{} district")),
                                         scope.district.empty() ? "-" : scope.district));
        }
    }
    return detail::list(std::move(links));
}

const char* kind_name(PageScope::Kind kind) {
    return kind == PageScope::Kind::commune    ? "commune"
           : kind == PageScope::Kind::district ? "district"
                                               : "province";
}

/// One page's content: its heading and its sections, as an <article>.
Data article(const ReportContext& ctx, const PageScope& scope, std::size_t index, bool alone) {
    const i18n::Catalogue& cat = ctx.cat;
    Items sections;
    const auto& named = scope.kind == PageScope::Kind::commune ? detail::commune_sections()
                                                               : detail::area_sections();
    for (const detail::NamedSection& section : named) {
        std::string html = section.make(ctx, scope);
        if (!html.empty()) {
            Data d;
            put(d, "id", section.id);
            put(d, "html", std::move(html));
            sections.push_back(std::move(d));
        }
    }
    const std::string as_of = cat.date(ctx.plan.as_of);
    Data a;
    // Each article is a named page when printed, with its own title in the margin.
    put(a, "page", fmt::format("p{}", index));
    put(a, "first", detail::flag(index == 0));
    put(a, "kind", kind_name(scope.kind));
    put(a, "breadcrumbs", breadcrumbs(ctx, scope));
    put(a, "heading", scope.title);
    put(a, "subheading", cat.tr("Self-management of the national border and its markers"));
    put(a, "as_of", fmt::format(fmt::runtime(cat.tr("As of {}")), as_of));
    put(a, "source", fmt::format(fmt::runtime(cat.tr("Data source: {}")), ctx.options.source));
    put(a, "sections", detail::list(std::move(sections)));
    if (alone && scope.kind == PageScope::Kind::province &&
        ctx.communes.size() <= ctx.options.book_communes) {
        put(a, "print_href", "print.html");
        put(a, "print_text", cat.tr("Every page in one document, to print"));
    }
    return a;
}

/// A page of articles: one for a page of the report, all for the book.
std::string page_html(const ReportContext& ctx, const std::string& title,
                      const std::vector<std::pair<const PageScope*, std::size_t>>& scopes) {
    const i18n::Catalogue& cat = ctx.cat;
    Data style;
    put(style, "footer_left",
        fmt::format(fmt::runtime(cat.tr("As of {} · Data source: {}")), cat.date(ctx.plan.as_of),
                    ctx.options.source));
    put(style, "page_word", cat.tr("Page"));
    Items articles, named_pages;
    for (const auto& [scope, index] : scopes) {
        articles.push_back(article(ctx, *scope, index, scopes.size() == 1));
        Data named;
        put(named, "name", fmt::format("p{}", index));
        put(named, "title", scope->title);
        named_pages.push_back(std::move(named));
    }
    put(style, "named_pages", detail::list(std::move(named_pages)));
    Data page;
    put(page, "lang", i18n::code(cat.language()));
    put(page, "title", title);
    put(page, "css", detail::render_with("style", style, true));
    put(page, "made_by",
        fmt::format(fmt::runtime(cat.tr("Made by bordercov {}")), BORDERCOV_VERSION));
    put(page, "kind", scopes.size() == 1 ? kind_name(scopes.front().first->kind) : "book");
    put(page, "articles", detail::list(std::move(articles)));
    return detail::render("page", std::move(page));
}

} // namespace

std::vector<ReportPage> make_report(const Workspace& ws, const Plan& plan,
                                    const i18n::Catalogue& catalogue, const ReportOptions& options,
                                    const Progress& progress) {
    const std::vector<int> communes = communes_in_scope(ws, options);
    const CoverageByCommune coverage = compute_coverage_by_commune(ws, plan, communes, progress);
    const NearestIndex nearest(ws, plan);
    ReportContext ctx{ws,       plan, catalogue, options, coverage, nearest,
                      communes, {},   {},        {},      {},       {}};
    const Diagnostics none;
    const TableOptions table_options{.geometry = false, .segments = false, .nearest = &nearest};
    ctx.whole_tables = coverage_tables(ws, plan, coverage.whole, none, table_options);
    for (const Coverage& c : coverage.communes) {
        ctx.commune_tables.push_back(coverage_tables(ws, plan, c, none, table_options));
    }
    const std::unique_ptr<detail::ReportHistory> history =
        detail::report_history(ws, plan, communes, options);
    ctx.history = history.get();
    name_files(ctx);
    ctx.commune_boxes = detail::commune_boxes(ws);
    std::vector<PageScope> scopes{province_scope(ctx)};
    for (PageScope& s : district_scopes(ctx)) {
        scopes.push_back(std::move(s));
    }
    for (std::size_t slot = 0; slot < communes.size(); ++slot) {
        scopes.push_back(commune_scope(ctx, slot));
    }
    for (std::size_t i = 0; i < scopes.size(); ++i) {
        scopes[i].id_prefix = fmt::format("p{}-", i);
    }
    std::vector<ReportPage> pages;
    std::vector<std::pair<const PageScope*, std::size_t>> all;
    for (std::size_t i = 0; i < scopes.size(); ++i) {
        if (progress) {
            progress(static_cast<double>(i) / static_cast<double>(scopes.size()), "report pages");
        }
        pages.push_back(
            {scopes[i].file, scopes[i].title, page_html(ctx, scopes[i].title, {{&scopes[i], i}})});
        all.emplace_back(&scopes[i], i);
    }
    if (communes.size() <= options.book_communes) {
        const std::string title = fmt::format(
            fmt::runtime(catalogue.tr("{}: every page, to print")), scopes.front().title);
        pages.push_back({"print.html", title, page_html(ctx, title, all)});
    }
    return pages;
}

} // namespace bordercov
