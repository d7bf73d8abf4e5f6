#include "bordercov/review_tables.hpp"

#include "detail/table_values.hpp"

#include <algorithm>

namespace bordercov {

using namespace detail;

namespace {

std::vector<Field> concat(std::vector<Field> head, const std::vector<Field>& tail) {
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
}

const std::vector<Field>& review_fields() {
    static const std::vector<Field> fields{
        {"border_km", real},          {"covered_km_from", real},   {"covered_km_to", real},
        {"change_km", real},          {"lost_km", real},           {"gained_km", real},
        {"handed_over_km", real},     {"uncovered_both_km", real}, {"markers_from", integer},
        {"markers_to", integer},      {"custodied_from", integer}, {"custodied_to", integer},
        {"households_from", integer}, {"households_to", integer},  {"households_joined", integer},
        {"households_left", integer}, {"teams_from", integer},     {"teams_to", integer},
        {"teams_joined", integer},    {"teams_left", integer}};
    return fields;
}

void append_review(std::vector<Value>& v, const ReviewFigures& f) {
    v.insert(v.end(),
             {km(f.border_km),          km(f.covered_from_km),   km(f.covered_to_km),
              km(f.change_km()),        km(f.lost_km),           km(f.gained_km),
              km(f.handed_over_km),     km(f.uncovered_both_km), count(f.markers_from),
              count(f.markers_to),      count(f.custodied_from), count(f.custodied_to),
              count(f.households_from), count(f.households_to),  count(f.households_joined),
              count(f.households_left), count(f.teams_from),     count(f.teams_to),
              count(f.teams_joined),    count(f.teams_left)});
}

/// A commune's id, name and district as every table writes them ("-" for
/// the border in no commune).
class CommuneNames {
  public:
    explicit CommuneNames(const Workspace& ws) : ws_(ws) {}
    std::string id(int c) const {
        return c < 0 ? "-" : ws_.communes[static_cast<std::size_t>(c)].commune_id;
    }
    Value name(int c) const {
        return c < 0 ? Value{} : text_or_null(ws_.communes[static_cast<std::size_t>(c)].name);
    }
    Value district(int c) const {
        return c < 0 ? Value{} : text_or_null(ws_.communes[static_cast<std::size_t>(c)].district);
    }

  private:
    const Workspace& ws_;
};

Table changes_table(const Workspace& ws, const Plan& plan, const Review& review,
                    const ReviewTableOptions& options) {
    const CommuneNames communes(ws);
    Table t{"changes",
            GeometryType::multi_line_string,
            {{"line_id", text},
             {"from_km", real},
             {"to_km", real},
             {"length_km", real},
             {"status", text},
             {"parties_before", text},
             {"parties_after", text},
             {"commune_id", text},
             {"commune_name", text},
             {"district", text}},
            {}};
    t.rows.reserve(review.changes.size());
    for (const Change& c : review.changes) {
        if (!options.unchanged &&
            (c.status == ChangeStatus::kept || c.status == ChangeStatus::uncovered)) {
            continue;
        }
        const BorderLine& line = ws.lines[c.stretch.line];
        Row r;
        r.values = {line.line_id(),
                    km(c.stretch.from_km),
                    km(c.stretch.to_km),
                    km(c.stretch.length_km()),
                    std::string(to_string(c.status)),
                    text_or_null(join_ids(c.before, plan)),
                    text_or_null(join_ids(c.after, plan)),
                    communes.id(c.commune),
                    communes.name(c.commune),
                    communes.district(c.commune)};
        if (options.geometry) {
            r.geometry = line.cut(c.stretch.from_km, c.stretch.to_km);
        }
        t.rows.push_back(std::move(r));
    }
    return t;
}

Table marker_changes_table(const Workspace& ws, const Plan& plan, const Review& review) {
    const CommuneNames communes(ws);
    Table t{"marker_changes",
            GeometryType::point,
            {{"marker_id", text},
             {"line_id", text},
             {"chainage_km", real},
             {"status", text},
             {"built_since", integer},
             {"custodians_before", text},
             {"custodians_after", text},
             {"commune_id", text},
             {"commune_name", text}},
            {}};
    for (const MarkerChange& m : review.marker_changes) {
        const LocatedMarker& at = plan.markers[m.marker];
        Row r;
        r.values = {ws.markers[m.marker].marker_id,
                    ws.lines[static_cast<std::size_t>(at.line)].line_id(),
                    km(at.chainage_km),
                    std::string(to_string(m.status)),
                    count(m.built_since ? 1 : 0),
                    text_or_null(join_ids(m.before, plan)),
                    text_or_null(join_ids(m.after, plan)),
                    communes.id(m.commune),
                    communes.name(m.commune)};
        r.geometry = ws.markers[m.marker].position;
        t.rows.push_back(std::move(r));
    }
    return t;
}

Table line_review_table(const Workspace& ws, const Review& review) {
    Table t{"line_review",
            GeometryType::none,
            concat({{"line_id", text}, {"name", text}, {"neighbour", text}}, review_fields()),
            {}};
    for (std::size_t l = 0; l < review.lines.size(); ++l) {
        const BorderLine& line = ws.lines[l];
        Row r;
        r.values = {line.line_id(), text_or_null(line.name), text_or_null(line.neighbour)};
        append_review(r.values, review.lines[l]);
        t.rows.push_back(std::move(r));
    }
    return t;
}

Table commune_review_table(const Workspace& ws, const Review& review) {
    const CommuneNames communes(ws);
    Table t{"commune_review",
            GeometryType::multi_polygon,
            concat({{"commune_id", text}, {"name", text}, {"district", text}}, review_fields()),
            {}};
    for (const auto& [c, f] : review.communes) {
        Row r;
        r.values = {communes.id(c), communes.name(c), communes.district(c)};
        append_review(r.values, f);
        if (c >= 0 && !ws.communes[static_cast<std::size_t>(c)].area.empty()) {
            r.geometry = ws.communes[static_cast<std::size_t>(c)].area;
        }
        t.rows.push_back(std::move(r));
    }
    return t;
}

Table district_review_table(const Review& review) {
    Table t{"district_review",
            GeometryType::none,
            concat({{"province", text}, {"district", text}}, review_fields()),
            {}};
    for (const auto& [name, f] : review.districts) {
        Row r;
        r.values = {name.first, name.second};
        append_review(r.values, f);
        t.rows.push_back(std::move(r));
    }
    return t;
}

Table team_review_table(const Workspace& ws, const Review& review) {
    Table t{"team_review",
            GeometryType::none,
            concat({{"team_id", text}, {"name", text}, {"commune_id", text}, {"kind", text}},
                   review_fields()),
            {}};
    for (const auto& [team, f] : review.teams) {
        const Team& tm = ws.teams[team];
        Row r;
        r.values = {tm.team_id, text_or_null(tm.name), text_or_null(tm.commune_id),
                    text_or_null(tm.kind)};
        append_review(r.values, f);
        t.rows.push_back(std::move(r));
    }
    return t;
}

} // namespace

Table review_total_table(const Review& review) {
    Table t{"review_total", GeometryType::none, review_fields(), {}};
    Row r;
    append_review(r.values, review.total);
    t.rows.push_back(std::move(r));
    return t;
}

Table timeline_table(const Workspace& ws, const Timeline& timeline) {
    const CommuneNames communes(ws);
    Table t{"timeline",
            GeometryType::none,
            {{"date", text},
             {"scope", text},
             {"commune_id", text},
             {"name", text},
             {"district", text},
             {"border_km", real},
             {"covered_km", real},
             {"uncovered_km", real},
             {"coverage_pct", real},
             {"gaps", integer},
             {"households", integer},
             {"teams", integer},
             {"markers", integer},
             {"markers_custodied", integer}},
            {}};
    const auto add = [&](std::size_t i, Value scope, Value id, Value name, Value district,
                         const TimelineFigures& f) {
        t.rows.push_back(
            {{timeline.dates[i].iso(), std::move(scope), std::move(id), std::move(name),
              std::move(district), km(f.border_km), km(f.covered_km),
              km(f.border_km - f.covered_km), pct(f.coverage_pct()), count(f.gaps),
              count(f.households), count(f.teams), count(f.markers), count(f.markers_custodied)},
             {}});
    };
    for (std::size_t i = 0; i < timeline.dates.size(); ++i) {
        add(i, std::string("total"), Value{}, Value{}, Value{}, timeline.total[i]);
    }
    for (const auto& [c, series] : timeline.communes) {
        for (std::size_t i = 0; i < series.size(); ++i) {
            add(i, std::string("commune"), communes.id(c), communes.name(c), communes.district(c),
                series[i]);
        }
    }
    return t;
}

const std::vector<std::string>& review_layer_names(bool timeline) {
    static const std::vector<std::string> without{
        "changes",         "marker_changes", "line_review", "commune_review",
        "district_review", "team_review",    "diagnostics"};
    static const std::vector<std::string> with{"changes",        "marker_changes",  "line_review",
                                               "commune_review", "district_review", "team_review",
                                               "timeline",       "diagnostics"};
    return timeline ? with : without;
}

std::vector<Table> review_tables(const Workspace& ws, const Plan& plan, const Review& review,
                                 const Timeline* timeline, const Diagnostics& diagnostics,
                                 const ReviewTableOptions& options) {
    std::vector<Table> tables;
    tables.push_back(changes_table(ws, plan, review, options));
    tables.push_back(marker_changes_table(ws, plan, review));
    tables.push_back(line_review_table(ws, review));
    tables.push_back(commune_review_table(ws, review));
    tables.push_back(district_review_table(review));
    tables.push_back(team_review_table(ws, review));
    if (timeline) {
        tables.push_back(timeline_table(ws, *timeline));
    }
    tables.push_back(diagnostics_table(diagnostics));
    return tables;
}

namespace {

/// The party of a renewal, for a field team to reach it.
void append_party(std::vector<Value>& v, const Plan& plan, std::uint32_t party) {
    const Party& p = plan.parties[party];
    v.insert(v.end(),
             {std::string(to_string(p.type)), std::string(p.party_id),
              text_or_null(std::string(p.name)), text_or_null(std::string(p.team_id)),
              text_or_null(std::string(p.commune_id)), text_or_null(std::string(p.phone))});
}

Table renewal_items_table(const Workspace& ws, const Plan& plan, const Renewals& renewals) {
    Table t{"renewals",
            GeometryType::none,
            {{"kind", text},
             {"assignment_id", text},
             {"marker_id", text},
             {"party_type", text},
             {"party_id", text},
             {"party_name", text},
             {"team_id", text},
             {"commune_id", text},
             {"phone", text},
             {"line_id", text},
             {"from_km", real},
             {"to_km", real},
             {"length_km", real},
             {"expires", text},
             {"days_left", integer},
             {"km_at_risk", real},
             {"marker_left_alone", integer}},
            {}};
    for (const Renewal& r : renewals.items) {
        Row row;
        const Value days_left = static_cast<std::int64_t>(r.expires.days() - renewals.as_of.days());
        if (r.marker) {
            const Custody& c = plan.all_custodies[r.index];
            const LocatedMarker& at = plan.markers[c.marker];
            row.values = {std::string("custody"), Value{}, ws.markers[c.marker].marker_id};
            append_party(row.values, plan, r.party);
            row.values.insert(row.values.end(),
                              {ws.lines[static_cast<std::size_t>(at.line)].line_id(),
                               km(at.chainage_km), km(at.chainage_km), km(0), r.expires.iso(),
                               days_left, Value{}, count(r.at_risk > 0 ? 1 : 0)});
        } else {
            const Commitment& c = plan.all_commitments[r.index];
            row.values = {std::string("assignment"), ws.assignments[c.assignment].assignment_id,
                          Value{}};
            append_party(row.values, plan, r.party);
            row.values.insert(row.values.end(),
                              {ws.lines[c.stretch.line].line_id(), km(c.stretch.from_km),
                               km(c.stretch.to_km), km(c.stretch.length_km()), r.expires.iso(),
                               days_left, km(r.at_risk), Value{}});
        }
        t.rows.push_back(std::move(row));
    }
    return t;
}

Table stretches_at_risk_table(const Workspace& ws, const Plan& plan, const Renewals& renewals,
                              bool geometry) {
    const CommuneNames communes(ws);
    Table t{"stretches_at_risk",
            GeometryType::multi_line_string,
            {{"line_id", text},
             {"from_km", real},
             {"to_km", real},
             {"length_km", real},
             {"parties", text},
             {"first_expiry", text},
             {"days_left", integer},
             {"commune_id", text},
             {"commune_name", text}},
            {}};
    for (const StretchAtRisk& s : renewals.stretches) {
        const BorderLine& line = ws.lines[s.stretch.line];
        Row r;
        r.values = {line.line_id(),
                    km(s.stretch.from_km),
                    km(s.stretch.to_km),
                    km(s.stretch.length_km()),
                    text_or_null(join_ids(s.parties, plan)),
                    s.first_expiry.iso(),
                    static_cast<std::int64_t>(s.first_expiry.days() - renewals.as_of.days()),
                    communes.id(s.commune),
                    communes.name(s.commune)};
        if (geometry) {
            r.geometry = line.cut(s.stretch.from_km, s.stretch.to_km);
        }
        t.rows.push_back(std::move(r));
    }
    return t;
}

const std::vector<Field>& renewal_total_fields() {
    static const std::vector<Field> fields{{"assignments", integer},
                                           {"custodies", integer},
                                           {"km_at_risk", real},
                                           {"markers_at_risk", integer}};
    return fields;
}

void append_totals(std::vector<Value>& v, const RenewalTotals& t) {
    v.insert(v.end(), {count(t.assignments), count(t.custodies), km(t.km_at_risk),
                       count(t.markers_at_risk)});
}

} // namespace

const std::vector<std::string>& renewals_layer_names() {
    static const std::vector<std::string> names{
        "renewals", "stretches_at_risk", "renewals_by_commune", "renewals_by_team", "diagnostics"};
    return names;
}

std::vector<Table> renewals_tables(const Workspace& ws, const Plan& plan, const Renewals& renewals,
                                   const Diagnostics& diagnostics, bool geometry) {
    const CommuneNames communes(ws);
    std::vector<Table> tables;
    tables.push_back(renewal_items_table(ws, plan, renewals));
    tables.push_back(stretches_at_risk_table(ws, plan, renewals, geometry));
    Table by_commune{
        "renewals_by_commune",
        GeometryType::none,
        concat({{"commune_id", text}, {"name", text}, {"district", text}}, renewal_total_fields()),
        {}};
    for (const auto& [c, totals] : renewals.communes) {
        Row r;
        r.values = {communes.id(c), communes.name(c), communes.district(c)};
        append_totals(r.values, totals);
        by_commune.rows.push_back(std::move(r));
    }
    tables.push_back(std::move(by_commune));
    Table by_team{
        "renewals_by_team",
        GeometryType::none,
        concat({{"team_id", text}, {"name", text}, {"commune_id", text}}, renewal_total_fields()),
        {}};
    for (const auto& [team, totals] : renewals.teams) {
        const Team& tm = ws.teams[team];
        Row r;
        r.values = {tm.team_id, text_or_null(tm.name), text_or_null(tm.commune_id)};
        append_totals(r.values, totals);
        by_team.rows.push_back(std::move(r));
    }
    tables.push_back(std::move(by_team));
    tables.push_back(diagnostics_table(diagnostics));
    return tables;
}

} // namespace bordercov
