// The sections of the report's pages, each one function from the page's
// scope to its part of the page (made from its own template in
// share/report/), listed top to bottom in commune_sections() and
// area_sections(). A new section is a function here, a template, and one
// line in a list.
#include "bordercov/labels.hpp"
#include "detail/report_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace bordercov::detail {

namespace {

const Table& commune_table(const ReportContext& ctx, const PageScope& scope,
                           const std::string& name) {
    return find_table(ctx.commune_tables[scope.slot], name);
}

Data map_section(const ReportContext& ctx, const PageScope& scope, bool commune) {
    Data d;
    put(d, "svg", map_svg(ctx, scope));
    put(d, "idp", scope.id_prefix);
    std::string caption = commune ? ctx.cat.tr("The commune's border: who holds each stretch, "
                                               "and the markers by custody")
                                  : ctx.cat.tr("The communes shaded by the share of their border "
                                               "that someone holds");
    // The neighbouring countries, also where the map cannot say on which side.
    std::set<std::uint32_t> lines;
    for (const Segment& s :
         commune ? ctx.coverage.communes[scope.slot].segments : ctx.coverage.whole.segments) {
        lines.insert(s.stretch.line);
    }
    std::set<std::string> countries;
    for (const std::uint32_t line : lines) {
        if (const std::string& code = ctx.ws.lines[line].neighbour; !code.empty()) {
            countries.insert(country_name(ctx.cat, code));
        }
    }
    for (const std::string& country : countries) {
        caption += ". " + fmt::format(fmt::runtime(ctx.cat.tr("Border with {}")), country);
    }
    put(d, "caption", caption + ".");
    Items items;
    const auto item = [&](const char* symbol, const std::string& text) {
        Data i;
        put(i, "symbol", symbol);
        put(i, "text", text);
        items.push_back(std::move(i));
    };
    item("covered", ctx.cat.tr("Held by one household or team"));
    item("overlap", ctx.cat.tr("Held by two or more"));
    item("gap", ctx.cat.tr("Gap: held by no one (labelled G1, G2...)"));
    if (commune) {
        item("custodied", ctx.cat.tr("Marker with a custodian"));
    }
    item("unowned", ctx.cat.tr("Marker without a custodian"));
    if (commune) {
        item("commune", ctx.cat.tr("The commune"));
    } else {
        // The classes of the overview map, as the QGIS style has them.
        const std::string up_to = ctx.cat.number(80, 0) + " %";
        item("c80", fmt::format(fmt::runtime(ctx.cat.tr("Commune: up to {} held")), up_to));
        item("c90", fmt::format("{}–{} %", ctx.cat.number(80, 0), ctx.cat.number(90, 0)));
        item("c95", fmt::format("{}–{} %", ctx.cat.number(90, 0), ctx.cat.number(95, 0)));
        item("c99", fmt::format("{}–{} %", ctx.cat.number(95, 0), ctx.cat.number(99.9, 1)));
        item("c100", "100 %");
    }
    put(d, "legend", list(std::move(items)));
    return d;
}

/// The map section, or nothing when there is nothing to draw.
std::string map_or_nothing(const ReportContext& ctx, const PageScope& scope, bool commune) {
    Data d = map_section(ctx, scope, commune);
    return d.get("svg")->string_value().empty() ? std::string{}
                                                : render("section_map", std::move(d));
}

std::string commune_map(const ReportContext& ctx, const PageScope& scope) {
    return map_or_nothing(ctx, scope, true);
}

std::string area_map(const ReportContext& ctx, const PageScope& scope) {
    return map_or_nothing(ctx, scope, false);
}

std::string figures(const ReportContext& ctx, const PageScope& scope) {
    const i18n::Catalogue& cat = ctx.cat;
    const Figures& f = scope.figures;
    const double pct = std::round(f.coverage_pct() * 100.0) / 100.0;
    Items items;
    items.push_back(
        figure(cat.tr("Border"), "border_km", km_value(f.border_km), ctx.km(f.border_km), "km"));
    items.push_back(figure(cat.tr("Held by someone"), "coverage_pct", Value{pct}, ctx.pct(pct), "%",
                           ctx.km(f.covered_km) + " km", "covered_km", km_value(f.covered_km)));
    items.push_back(figure(
        cat.tr("Held by no one"), "uncovered_km", km_value(f.uncovered_km()),
        ctx.km(f.uncovered_km()), "km",
        fmt::format(fmt::runtime(cat.trn("in {} gap", "in {} gaps", f.gaps)), ctx.count(f.gaps)),
        "gaps", count_value(f.gaps)));
    items.push_back(figure(cat.tr("Held by two or more"), "overlap_km", km_value(f.overlap_km),
                           ctx.km(f.overlap_km), "km"));
    items.push_back(
        figure(cat.tr("Markers"), "markers", count_value(f.markers), ctx.count(f.markers), ""));
    items.push_back(figure(cat.tr("Markers without a custodian"), "markers_unowned",
                           count_value(f.markers_unowned), ctx.count(f.markers_unowned), ""));
    items.push_back(figure(cat.tr("Households"), "households", count_value(f.households),
                           ctx.count(f.households), ""));
    items.push_back(figure(cat.tr("Teams"), "teams", count_value(f.teams), ctx.count(f.teams), ""));
    Data d;
    put(d, "title", cat.tr("Key figures"));
    put(d, "figures", list(std::move(items)));
    return render("section_figures", std::move(d));
}

/// A party as a line of a table: name, household or team, its team, phone,
/// and how far it is.
Data party(const ReportContext& ctx, const RankedParty& ranked, std::size_t rank) {
    const i18n::Catalogue& cat = ctx.cat;
    const Party& p = ctx.plan.parties[ranked.party];
    Data d;
    put(d, "rank", ctx.count(rank));
    put(d, "id", std::string(p.party_id));
    put(d, "name", ctx.party_name(ranked.party));
    put(d, "type", party_type_title(cat, p.type));
    if (p.type == PartyType::household && !p.team_id.empty()) {
        std::string team = fmt::format(fmt::runtime(cat.tr("team {}")), p.team_id);
        if (const auto t = ctx.plan.find_party(PartyType::team, p.team_id)) {
            team = ctx.party_name(*t) + " (" + std::string(p.team_id) + ")";
        }
        put(d, "team", team);
    }
    if (p.type == PartyType::team) {
        const std::string& leader = ctx.ws.teams[p.source].leader;
        set_text(d, "leader",
                 leader.empty() ? std::string{}
                                : fmt::format(fmt::runtime(cat.tr("leader {}")), leader));
    }
    set_text(d, "phone", std::string(p.phone));
    put(d, "along",
        ranked.along_km == no_stretch_km
            ? cat.tr("holds no stretch of this line")
            : fmt::format(fmt::runtime(cat.tr("{} km along the border")),
                          ctx.km_exact(ranked.along_km)));
    return d;
}

Data parties(const ReportContext& ctx, const PlaceOnBorder& place) {
    Items out;
    const auto ranked = ctx.nearest.rank(place, ctx.options.candidates);
    for (std::size_t i = 0; i < ranked.size(); ++i) {
        out.push_back(party(ctx, ranked[i], i + 1));
    }
    return list(std::move(out));
}

std::string gaps(const ReportContext& ctx, const PageScope& scope) {
    const i18n::Catalogue& cat = ctx.cat;
    const Table& table = commune_table(ctx, scope, "gaps");
    const Coverage& cov = ctx.coverage.communes[scope.slot];
    Items rows;
    for (std::size_t i = 0; i < cov.gaps.size(); ++i) {
        const Gap& g = cov.gaps[i];
        const Row& row = table.rows[i];
        const BorderLine& line = ctx.ws.lines[g.stretch.line];
        Data r;
        put(r, "gap_id", cell(g.gap_id, "gap_id", Value{g.gap_id}));
        put(r, "from_km",
            cell(ctx.km_exact(g.stretch.from_km), "from_km", value_of(table, row, "from_km")));
        put(r, "to_km",
            cell(ctx.km_exact(g.stretch.to_km), "to_km", value_of(table, row, "to_km")));
        put(r, "length_km",
            cell(ctx.km_exact(g.stretch.length_km()), "length_km",
                 value_of(table, row, "length_km")));
        const std::string from = text_of(table, row, "from_marker");
        const std::string to = text_of(table, row, "to_marker");
        put(r, "between", fmt::format("{} – {}", from.empty() ? "…" : from, to.empty() ? "…" : to));
        // "53,54" would read as a number with a decimal comma: "53, 54".
        std::string inside = text_of(table, row, "markers_inside");
        for (std::size_t at = inside.find(','); at != std::string::npos;
             at = inside.find(',', at + 2)) {
            inside.insert(at + 1, " ");
        }
        set_text(r, "inside", inside);
        const double mid = 0.5 * (g.stretch.from_km + g.stretch.to_km);
        put(r, "parties",
            parties(ctx, {g.stretch.line, g.stretch.from_km, g.stretch.to_km, line.point_at(mid)}));
        rows.push_back(std::move(r));
    }
    Data d;
    put(d, "title", cat.tr("Gaps and who is nearest to take them"));
    put(d, "none", cat.tr("No gap: every metre of the commune's border is held."));
    put(d, "empty", flag(rows.empty()));
    put(d, "h_gap", field_title(cat, "gap_id"));
    put(d, "h_from", field_title(cat, "from_km"));
    put(d, "h_to", field_title(cat, "to_km"));
    put(d, "h_length", field_title(cat, "length_km"));
    put(d, "h_between", cat.tr("Between markers"));
    put(d, "h_inside", field_title(cat, "markers_inside"));
    put(d, "h_parties", cat.tr("Nearest households and teams"));
    put(d, "w_phone", cat.tr("phone"));
    put(d, "rows", list(std::move(rows)));
    return render("section_gaps", std::move(d));
}

std::string unowned_markers(const ReportContext& ctx, const PageScope& scope) {
    const i18n::Catalogue& cat = ctx.cat;
    const Table& table = commune_table(ctx, scope, "markers");
    const Coverage& cov = ctx.coverage.communes[scope.slot];
    Items rows;
    for (std::size_t i = 0; i < cov.markers.size(); ++i) {
        const MarkerState& m = cov.markers[i];
        if (m.custodied()) {
            continue;
        }
        const Row& row = table.rows[i];
        const LocatedMarker& at = ctx.plan.markers[m.marker];
        const Marker& marker = ctx.ws.markers[m.marker];
        Data r;
        put(r, "marker_id", cell(marker.marker_id, "marker_id", Value{marker.marker_id}));
        put(r, "chainage_km",
            cell(ctx.km_exact(at.chainage_km), "chainage_km", value_of(table, row, "chainage_km")));
        put(r, "parties",
            parties(ctx, {static_cast<std::uint32_t>(at.line), at.chainage_km, at.chainage_km,
                          marker.position}));
        rows.push_back(std::move(r));
    }
    Data d;
    put(d, "title", cat.tr("Markers without a custodian, and who is nearest"));
    put(d, "none", cat.tr("Every marker of the commune has a custodian."));
    put(d, "empty", flag(rows.empty()));
    put(d, "h_marker", field_title(cat, "marker_id"));
    put(d, "h_chainage", field_title(cat, "chainage_km"));
    put(d, "h_parties", cat.tr("Nearest households and teams"));
    put(d, "w_phone", cat.tr("phone"));
    put(d, "rows", list(std::move(rows)));
    return render("section_markers", std::move(d));
}

std::string teams(const ReportContext& ctx, const PageScope& scope) {
    const i18n::Catalogue& cat = ctx.cat;
    const Table& table = commune_table(ctx, scope, "team_summary");
    Items rows;
    for (const Row& row : table.rows) {
        Data r;
        put(r, "team_id",
            cell(text_of(table, row, "team_id"), "team_id", value_of(table, row, "team_id")));
        put(r, "name", text_of(table, row, "name"));
        put(r, "kind", text_of(table, row, "kind"));
        for (const char* field : {"households", "markers"}) {
            put(r, field,
                cell(ctx.count(static_cast<std::size_t>(number_of(table, row, field))), field,
                     value_of(table, row, field)));
        }
        for (const char* field : {"held_km", "overlap_km"}) {
            put(r, field,
                cell(ctx.km(number_of(table, row, field)), field, value_of(table, row, field)));
        }
        rows.push_back(std::move(r));
    }
    Data d;
    put(d, "title", cat.tr("Teams, with their households"));
    put(d, "none", cat.tr("No team holds any of the commune's border."));
    put(d, "empty", flag(rows.empty()));
    for (const char* field :
         {"team_id", "name", "kind", "households", "held_km", "overlap_km", "markers"}) {
        put(d, std::string("h_") + field, field_title(cat, field));
    }
    put(d, "rows", list(std::move(rows)));
    return render("section_teams", std::move(d));
}

/// A row of the table of communes or districts.
Data area_row(const ReportContext& ctx, const std::string& name, const std::string& href,
              const std::string& district, const Figures& f) {
    Data r;
    put(r, "name", name);
    set_text(r, "href", href);
    put(r, "district", district);
    const double pct = std::round(f.coverage_pct() * 100.0) / 100.0;
    put(r, "coverage_pct", cell(ctx.pct(pct), "coverage_pct", Value{pct}));
    put(r, "bar", fmt::format("{:.1f}", std::clamp(pct, 0.0, 100.0)));
    for (const auto& [field, km] :
         {std::pair{"border_km", f.border_km}, std::pair{"covered_km", f.covered_km},
          std::pair{"uncovered_km", f.uncovered_km()}}) {
        put(r, field, cell(ctx.km(km), field, Value{round_km(km)}));
    }
    for (const auto& [field, n] :
         {std::pair{"gaps", f.gaps}, std::pair{"markers_unowned", f.markers_unowned},
          std::pair{"households", f.households}, std::pair{"teams", f.teams}}) {
        put(r, field, cell(ctx.count(n), field, Value{static_cast<std::int64_t>(n)}));
    }
    return r;
}

Data area_table_heads(const ReportContext& ctx) {
    Data d;
    for (const char* field : {"border_km", "covered_km", "coverage_pct", "uncovered_km", "gaps",
                              "markers_unowned", "households", "teams", "district"}) {
        put(d, std::string("h_") + field, field_title(ctx.cat, field));
    }
    return d;
}

std::string communes_table(const ReportContext& ctx, const PageScope& scope) {
    std::vector<std::pair<double, Data>> rows;
    for (const int c : scope.communes) {
        const auto slot = static_cast<std::size_t>(
            std::find(ctx.communes.begin(), ctx.communes.end(), c) - ctx.communes.begin());
        const Figures& f = ctx.coverage.communes[slot].communes.front().figures;
        rows.emplace_back(f.coverage_pct(),
                          area_row(ctx, ctx.commune_name(c), ctx.commune_file(c),
                                   ctx.ws.communes[static_cast<std::size_t>(c)].district, f));
    }
    // The least covered first: where the work is.
    std::stable_sort(rows.begin(), rows.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    Items items;
    for (auto& [pct, row] : rows) {
        items.push_back(std::move(row));
    }
    Data d = area_table_heads(ctx);
    put(d, "title", ctx.cat.tr("Communes, the least covered first"));
    put(d, "h_name", ctx.cat.tr("Commune"));
    put(d, "show_district", flag(scope.kind == PageScope::Kind::province));
    put(d, "rows", list(std::move(items)));
    return render("section_areas", std::move(d));
}

std::string districts_table(const ReportContext& ctx, const PageScope& scope) {
    if (scope.kind != PageScope::Kind::province || ctx.district_files.size() < 2) {
        return {};
    }
    Items items;
    for (const auto& [key, file] : ctx.district_files) {
        std::vector<Figures> parts;
        for (std::size_t s = 0; s < ctx.communes.size(); ++s) {
            const Commune& c = ctx.ws.communes[static_cast<std::size_t>(ctx.communes[s])];
            if (c.province == key.first && c.district == key.second) {
                parts.push_back(ctx.coverage.communes[s].communes.front().figures);
            }
        }
        Figures f;
        for (const Figures& p : parts) {
            f.border_km += p.border_km;
            f.covered_km += p.covered_km;
            f.gaps += p.gaps;
            f.markers_unowned += p.markers_unowned;
            f.households += p.households;
            f.teams += p.teams;
        }
        items.push_back(area_row(ctx, key.second.empty() ? "-" : key.second, file, {}, f));
    }
    Data d = area_table_heads(ctx);
    put(d, "title", ctx.cat.tr("Districts"));
    put(d, "h_name", ctx.cat.tr("District"));
    put(d, "show_district", flag(false));
    put(d, "rows", list(std::move(items)));
    return render("section_areas", std::move(d));
}

} // namespace

void set_text(Data& d, const std::string& key, const std::string& text) {
    if (!text.empty()) {
        put(d, key, text);
    }
}

Value km_value(double km) {
    return Value{round_km(km)};
}

Value count_value(std::size_t n) {
    return Value{static_cast<std::int64_t>(n)};
}

Data figure(const std::string& label, const std::string& field, const Value& value,
            const std::string& number, const std::string& unit, const std::string& note,
            const std::string& note_field, const Value& note_value) {
    Data d = cell(number, field, value);
    put(d, "label", label);
    set_text(d, "unit", unit);
    set_text(d, "note", note);
    set_text(d, "note_field", note_field);
    set_text(d, "note_value", json_value(note_value));
    return d;
}

// The commune page, top to bottom. "renewals" and "changes" come from the
// plan through time (report_review.cpp); "changes" shows only with --since.
const std::vector<NamedSection>& commune_sections() {
    static const std::vector<NamedSection> sections{
        {"map", commune_map},         {"figures", figures},           {"gaps", gaps},
        {"markers", unowned_markers}, {"renewals", commune_renewals}, {"teams", teams},
        {"changes", changes},
    };
    return sections;
}

// The province (index) and district pages: the same figures summed, the
// communes by coverage, the map of the communes, the renewals due per
// commune, and with --since the changes.
const std::vector<NamedSection>& area_sections() {
    static const std::vector<NamedSection> sections{
        {"figures", figures},         {"map", area_map},           {"districts", districts_table},
        {"communes", communes_table}, {"renewals", area_renewals}, {"changes", changes},
    };
    return sections;
}

} // namespace bordercov::detail
