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
    d.set("svg", map_svg(ctx, scope));
    d.set("idp", scope.id_prefix);
    std::string caption = commune ? ctx.cat.tr("The commune's border: who holds each stretch, "
                                               "and the markers by custody")
                                  : ctx.cat.tr("The communes shaded by the share of their border "
                                               "that someone holds");
    // The neighbouring countries, also where the map cannot say on which side.
    std::set<std::string> countries;
    for (const Segment& s :
         commune ? ctx.coverage.communes[scope.slot].segments : ctx.coverage.whole.segments) {
        if (const std::string& code = ctx.ws.lines[s.stretch.line].neighbour; !code.empty()) {
            countries.insert(country_name(ctx.cat, code));
        }
    }
    for (const std::string& country : countries) {
        caption += ". " + fmt::format(fmt::runtime(ctx.cat.tr("Border with {}")), country);
    }
    d.set("caption", caption + ".");
    std::vector<Data> items;
    const auto item = [&](const char* symbol, const std::string& text) {
        Data i;
        i.set("symbol", symbol);
        i.set("text", text);
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
    d.set("legend", list(std::move(items)));
    return d;
}

/// The map section, or nothing when there is nothing to draw.
std::string map_or_nothing(const ReportContext& ctx, const PageScope& scope, bool commune) {
    const Data d = map_section(ctx, scope, commune);
    return d.get("svg")->string_value().empty() ? std::string{} : render("section_map", d);
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
    std::vector<Data> items;
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
    d.set("title", cat.tr("Key figures"));
    d.set("figures", list(std::move(items)));
    return render("section_figures", d);
}

/// A party as a line of a table: name, household or team, its team, phone,
/// and how far it is.
Data party(const ReportContext& ctx, const RankedParty& ranked, std::size_t rank) {
    const i18n::Catalogue& cat = ctx.cat;
    const Party& p = ctx.plan.parties[ranked.party];
    Data d;
    d.set("rank", ctx.count(rank));
    d.set("id", std::string(p.party_id));
    d.set("name", ctx.party_name(ranked.party));
    d.set("type", party_type_title(cat, p.type));
    if (p.type == PartyType::household && !p.team_id.empty()) {
        std::string team = fmt::format(fmt::runtime(cat.tr("team {}")), p.team_id);
        if (const auto t = ctx.plan.find_party(PartyType::team, p.team_id)) {
            team = ctx.party_name(*t) + " (" + std::string(p.team_id) + ")";
        }
        d.set("team", team);
    }
    if (p.type == PartyType::team) {
        const std::string& leader = ctx.ws.teams[p.source].leader;
        set_text(d, "leader",
                 leader.empty() ? std::string{}
                                : fmt::format(fmt::runtime(cat.tr("leader {}")), leader));
    }
    set_text(d, "phone", std::string(p.phone));
    d.set("along", ranked.along_km == no_stretch_km
                       ? cat.tr("holds no stretch of this line")
                       : fmt::format(fmt::runtime(cat.tr("{} km along the border")),
                                     ctx.km_exact(ranked.along_km)));
    return d;
}

Data parties(const ReportContext& ctx, const PlaceOnBorder& place) {
    std::vector<Data> out;
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
    std::vector<Data> rows;
    for (std::size_t i = 0; i < cov.gaps.size(); ++i) {
        const Gap& g = cov.gaps[i];
        const Row& row = table.rows[i];
        const BorderLine& line = ctx.ws.lines[g.stretch.line];
        Data r;
        r.set("gap_id", cell(g.gap_id, "gap_id", Value{g.gap_id}));
        r.set("from_km",
              cell(ctx.km_exact(g.stretch.from_km), "from_km", value_of(table, row, "from_km")));
        r.set("to_km", cell(ctx.km_exact(g.stretch.to_km), "to_km", value_of(table, row, "to_km")));
        r.set("length_km", cell(ctx.km_exact(g.stretch.length_km()), "length_km",
                                value_of(table, row, "length_km")));
        const std::string from = text_of(table, row, "from_marker");
        const std::string to = text_of(table, row, "to_marker");
        r.set("between", fmt::format("{} – {}", from.empty() ? "…" : from, to.empty() ? "…" : to));
        // "53,54" would read as a number with a decimal comma: "53, 54".
        std::string inside = text_of(table, row, "markers_inside");
        for (std::size_t at = inside.find(','); at != std::string::npos;
             at = inside.find(',', at + 2)) {
            inside.insert(at + 1, " ");
        }
        set_text(r, "inside", inside);
        const double mid = 0.5 * (g.stretch.from_km + g.stretch.to_km);
        r.set("parties", parties(ctx, {g.stretch.line, g.stretch.from_km, g.stretch.to_km,
                                       line.point_at(mid)}));
        rows.push_back(std::move(r));
    }
    Data d;
    d.set("title", cat.tr("Gaps and who is nearest to take them"));
    d.set("none", cat.tr("No gap: every metre of the commune's border is held."));
    d.set("empty", flag(rows.empty()));
    d.set("h_gap", field_title(cat, "gap_id"));
    d.set("h_from", field_title(cat, "from_km"));
    d.set("h_to", field_title(cat, "to_km"));
    d.set("h_length", field_title(cat, "length_km"));
    d.set("h_between", cat.tr("Between markers"));
    d.set("h_inside", field_title(cat, "markers_inside"));
    d.set("h_parties", cat.tr("Nearest households and teams"));
    d.set("w_phone", cat.tr("phone"));
    d.set("rows", list(std::move(rows)));
    return render("section_gaps", d);
}

std::string unowned_markers(const ReportContext& ctx, const PageScope& scope) {
    const i18n::Catalogue& cat = ctx.cat;
    const Table& table = commune_table(ctx, scope, "markers");
    const Coverage& cov = ctx.coverage.communes[scope.slot];
    std::vector<Data> rows;
    for (std::size_t i = 0; i < cov.markers.size(); ++i) {
        const MarkerState& m = cov.markers[i];
        if (m.custodied()) {
            continue;
        }
        const Row& row = table.rows[i];
        const LocatedMarker& at = ctx.plan.markers[m.marker];
        const Marker& marker = ctx.ws.markers[m.marker];
        Data r;
        r.set("marker_id", cell(marker.marker_id, "marker_id", Value{marker.marker_id}));
        r.set("chainage_km", cell(ctx.km_exact(at.chainage_km), "chainage_km",
                                  value_of(table, row, "chainage_km")));
        r.set("parties", parties(ctx, {static_cast<std::uint32_t>(at.line), at.chainage_km,
                                       at.chainage_km, marker.position}));
        rows.push_back(std::move(r));
    }
    Data d;
    d.set("title", cat.tr("Markers without a custodian, and who is nearest"));
    d.set("none", cat.tr("Every marker of the commune has a custodian."));
    d.set("empty", flag(rows.empty()));
    d.set("h_marker", field_title(cat, "marker_id"));
    d.set("h_chainage", field_title(cat, "chainage_km"));
    d.set("h_parties", cat.tr("Nearest households and teams"));
    d.set("w_phone", cat.tr("phone"));
    d.set("rows", list(std::move(rows)));
    return render("section_markers", d);
}

std::string teams(const ReportContext& ctx, const PageScope& scope) {
    const i18n::Catalogue& cat = ctx.cat;
    const Table& table = commune_table(ctx, scope, "team_summary");
    std::vector<Data> rows;
    for (const Row& row : table.rows) {
        Data r;
        r.set("team_id",
              cell(text_of(table, row, "team_id"), "team_id", value_of(table, row, "team_id")));
        r.set("name", text_of(table, row, "name"));
        r.set("kind", text_of(table, row, "kind"));
        for (const char* field : {"households", "markers"}) {
            r.set(field, cell(ctx.count(static_cast<std::size_t>(number_of(table, row, field))),
                              field, value_of(table, row, field)));
        }
        for (const char* field : {"held_km", "overlap_km"}) {
            r.set(field,
                  cell(ctx.km(number_of(table, row, field)), field, value_of(table, row, field)));
        }
        rows.push_back(std::move(r));
    }
    Data d;
    d.set("title", cat.tr("Teams, with their households"));
    d.set("none", cat.tr("No team holds any of the commune's border."));
    d.set("empty", flag(rows.empty()));
    for (const char* field :
         {"team_id", "name", "kind", "households", "held_km", "overlap_km", "markers"}) {
        d.set(std::string("h_") + field, field_title(cat, field));
    }
    d.set("rows", list(std::move(rows)));
    return render("section_teams", d);
}

/// A row of the table of communes or districts.
Data area_row(const ReportContext& ctx, const std::string& name, const std::string& href,
              const std::string& district, const Figures& f) {
    Data r;
    r.set("name", name);
    set_text(r, "href", href);
    r.set("district", district);
    const double pct = std::round(f.coverage_pct() * 100.0) / 100.0;
    r.set("coverage_pct", cell(ctx.pct(pct), "coverage_pct", Value{pct}));
    r.set("bar", fmt::format("{:.1f}", std::clamp(pct, 0.0, 100.0)));
    for (const auto& [field, km] :
         {std::pair{"border_km", f.border_km}, std::pair{"covered_km", f.covered_km},
          std::pair{"uncovered_km", f.uncovered_km()}}) {
        r.set(field, cell(ctx.km(km), field, Value{round_km(km)}));
    }
    for (const auto& [field, n] :
         {std::pair{"gaps", f.gaps}, std::pair{"markers_unowned", f.markers_unowned},
          std::pair{"households", f.households}, std::pair{"teams", f.teams}}) {
        r.set(field, cell(ctx.count(n), field, Value{static_cast<std::int64_t>(n)}));
    }
    return r;
}

Data area_table_heads(const ReportContext& ctx) {
    Data d;
    for (const char* field : {"border_km", "covered_km", "coverage_pct", "uncovered_km", "gaps",
                              "markers_unowned", "households", "teams", "district"}) {
        d.set(std::string("h_") + field, field_title(ctx.cat, field));
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
    std::vector<Data> items;
    for (auto& [pct, row] : rows) {
        items.push_back(std::move(row));
    }
    Data d = area_table_heads(ctx);
    d.set("title", ctx.cat.tr("Communes, the least covered first"));
    d.set("h_name", ctx.cat.tr("Commune"));
    d.set("show_district", flag(scope.kind == PageScope::Kind::province));
    d.set("rows", list(std::move(items)));
    return render("section_areas", d);
}

std::string districts_table(const ReportContext& ctx, const PageScope& scope) {
    if (scope.kind != PageScope::Kind::province || ctx.district_files.size() < 2) {
        return {};
    }
    std::vector<Data> items;
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
    d.set("title", ctx.cat.tr("Districts"));
    d.set("h_name", ctx.cat.tr("District"));
    d.set("show_district", flag(false));
    d.set("rows", list(std::move(items)));
    return render("section_areas", d);
}

} // namespace

void set_text(Data& d, const std::string& key, const std::string& text) {
    if (!text.empty()) {
        d.set(key, text);
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
    d.set("label", label);
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
