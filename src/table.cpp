#include "bordercov/table.hpp"

#include "detail/parallel.hpp"
#include "detail/table_values.hpp"

#include <cmath>
#include <optional>
#include <stdexcept>
#include <string_view>

namespace bordercov {

std::size_t Table::column(const std::string& field) const {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (fields[i].name == field) {
            return i;
        }
    }
    throw std::out_of_range("no field '" + field + "' in table '" + name + "'");
}

const Row& Table::row(std::size_t i, Row& scratch) const {
    if (!make_row) {
        return rows[i];
    }
    make_row(i, scratch);
    return scratch;
}

double round_km(double km) {
    return std::round(km * 1000.0) / 1000.0;
}

const Table& find_table(const std::vector<Table>& tables, const std::string& name) {
    for (const Table& t : tables) {
        if (t.name == name) {
            return t;
        }
    }
    throw std::out_of_range("no table '" + name + "'");
}

namespace {

using namespace detail;

const std::vector<Field>& figure_fields() {
    static const std::vector<Field> fields{
        {"border_km", real},          {"covered_km", real},
        {"uncovered_km", real},       {"overlap_km", real},
        {"coverage_pct", real},       {"households", integer},
        {"teams", integer},           {"markers", integer},
        {"markers_unowned", integer}, {"markers_not_built", integer}};
    return fields;
}

void append_figures(std::vector<Value>& v, const Figures& f) {
    v.insert(v.end(), {km(f.border_km), km(f.covered_km), km(f.uncovered_km()), km(f.overlap_km),
                       pct(f.coverage_pct()), count(f.households), count(f.teams), count(f.markers),
                       count(f.markers_unowned), count(f.markers_not_built)});
}

/// Who the nearest party is, for a field team to reach it: after its id.
const std::vector<Field>& nearest_party_fields() {
    static const std::vector<Field> fields{{"nearest_party_name", text},
                                           {"nearest_party_type", text},
                                           {"nearest_party_team_id", text},
                                           {"nearest_party_phone", text}};
    return fields;
}

void append_nearest_party(std::vector<Value>& v, const Plan& plan,
                          std::optional<std::uint32_t> party) {
    if (!party) {
        v.insert(v.end(), {Value{}, Value{}, Value{}, Value{}});
        return;
    }
    const Party& p = plan.parties[*party];
    v.insert(v.end(), {text_or_null(std::string(p.name)), std::string(to_string(p.type)),
                       text_or_null(std::string(p.team_id)), text_or_null(std::string(p.phone))});
}

std::vector<Field> concat(std::vector<Field> head, const std::vector<Field>& tail) {
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
}

/// Text into a value, reusing the string the value holds.
void set_text(Value& v, std::string_view s) {
    if (auto* held = std::get_if<std::string>(&v)) {
        held->assign(s);
    } else {
        v = std::string(s);
    }
}

void set_text_or_null(Value& v, std::string_view s) {
    if (s.empty()) {
        v = std::monostate{};
    } else {
        set_text(v, s);
    }
}

/// Row i of the segments layer. Made into `r` in place: a deferred row
/// reuses the storage of the row made before it.
void segment_row(const Workspace& ws, const Plan& plan, const Coverage& cov, bool geometry,
                 std::size_t i, Row& r) {
    const Segment& s = cov.segments[i];
    const BorderLine& line = ws.lines[s.stretch.line];
    const Commune* commune =
        s.commune < 0 ? nullptr : &ws.communes[static_cast<std::size_t>(s.commune)];
    std::vector<Value>& v = r.values;
    v.resize(9);
    set_text(v[0], line.line_id());
    v[1] = km(s.stretch.from_km);
    v[2] = km(s.stretch.to_km);
    v[3] = km(s.stretch.length_km());
    set_text(v[4], to_string(s.status()));
    v[5] = count(s.owners.size());
    std::string* owners = std::get_if<std::string>(&v[6]);
    std::string joined = owners ? std::move(*owners) : std::string();
    join_ids_into(joined, s.owners, plan);
    if (joined.empty()) {
        v[6] = std::monostate{};
    } else {
        v[6] = std::move(joined);
    }
    set_text(v[7], commune ? std::string_view(commune->commune_id) : std::string_view("-"));
    set_text_or_null(v[8], commune ? std::string_view(commune->district) : std::string_view());
    r.geometry = std::monostate{};
    if (geometry) {
        auto parts = line.cut(s.stretch.from_km, s.stretch.to_km);
        if (!parts.empty()) {
            r.geometry = std::move(parts.front()); // segments never span a part join
        }
    }
}

} // namespace

Table diagnostics_table(const Diagnostics& diagnostics) {
    Table t{"diagnostics",
            GeometryType::point,
            {{"severity", text},
             {"code", text},
             {"layer", text},
             {"feature_id", text},
             {"source_fid", integer},
             {"field", text},
             {"message", text}},
            {}};
    for (const Diagnostic& d : diagnostics.items()) {
        Row r;
        r.values = {std::string(to_string(d.severity)),
                    d.code,
                    text_or_null(d.layer),
                    text_or_null(d.feature_id),
                    d.fid >= 0 ? Value{d.fid} : Value{},
                    text_or_null(d.field),
                    d.describe()};
        if (!d.where.empty()) {
            r.geometry = d.where.front();
        }
        t.rows.push_back(std::move(r));
    }
    return t;
}

const std::vector<std::string>& coverage_layer_names() {
    static const std::vector<std::string> names{
        "segments",         "gaps",         "markers",      "commune_summary",
        "district_summary", "line_summary", "team_summary", "diagnostics"};
    return names;
}

namespace {

/// The layers of coverage_tables, one method each; the lookups they share
/// (a commune's id, name and district, a marker's id) in one place.
class CoverageTables {
  public:
    CoverageTables(const Workspace& ws, const Plan& plan, const Coverage& cov,
                   const TableOptions& options)
        : ws_(ws), plan_(plan), cov_(cov), options_(options) {}

    Table segments() const {
        Table t{"segments",
                GeometryType::line_string,
                {{"line_id", text},
                 {"from_km", real},
                 {"to_km", real},
                 {"length_km", real},
                 {"status", text},
                 {"owner_count", integer},
                 {"owners", text},
                 {"commune_id", text},
                 {"district", text}},
                {}};
        if (!options_.segments) {
            return t;
        }
        const bool geometry = options_.geometry;
        if (options_.defer_segments) {
            t.make_row = [&ws = ws_, &plan = plan_, &cov = cov_, geometry](std::size_t i, Row& r) {
                segment_row(ws, plan, cov, geometry, i, r);
            };
            t.deferred_rows = cov_.segments.size();
            return t;
        }
        each_row(t, cov_.segments.size(),
                 [&](std::size_t i, Row& r) { segment_row(ws_, plan_, cov_, geometry, i, r); });
        return t;
    }

    Table gaps() const {
        Table t{"gaps",
                GeometryType::multi_line_string,
                concat({{"gap_id", text},
                        {"line_id", text},
                        {"from_km", real},
                        {"to_km", real},
                        {"length_km", real},
                        {"commune_id", text},
                        {"commune_name", text},
                        {"from_marker", text},
                        {"to_marker", text},
                        {"markers_inside", text},
                        {"nearest_party_id", text},
                        {"nearest_party_km", real}},
                       nearest_party_fields()),
                {}};
        each_row(t, cov_.gaps.size(), [&](std::size_t i, Row& r) {
            const Gap& g = cov_.gaps[i];
            const BorderLine& line = ws_.lines[g.stretch.line];
            Value nearest_km;
            std::optional<std::uint32_t> nearest;
            if (options_.nearest) {
                const double mid = 0.5 * (g.stretch.from_km + g.stretch.to_km);
                const auto ranked = options_.nearest->rank(
                    {g.stretch.line, g.stretch.from_km, g.stretch.to_km, line.point_at(mid)}, 1);
                if (!ranked.empty()) {
                    nearest = ranked[0].party;
                    if (ranked[0].along_km != no_stretch_km) {
                        nearest_km = km(ranked[0].along_km);
                    }
                }
            }
            r.values = {g.gap_id,
                        line.line_id(),
                        km(g.stretch.from_km),
                        km(g.stretch.to_km),
                        km(g.stretch.length_km()),
                        commune_id(g.commune),
                        commune_name(g.commune),
                        marker_id(g.from_marker),
                        marker_id(g.to_marker),
                        text_or_null(join_markers(g.markers)),
                        nearest ? Value{std::string(plan_.parties[*nearest].party_id)} : Value{},
                        nearest_km};
            append_nearest_party(r.values, plan_, nearest);
            if (options_.geometry) {
                r.geometry = line.cut(g.stretch.from_km, g.stretch.to_km);
            }
        });
        return t;
    }

    Table markers() const {
        Table t{"markers",
                GeometryType::point,
                concat({{"marker_id", text},
                        {"line_id", text},
                        {"chainage_km", real},
                        {"offset_m", real},
                        {"custodian_count", integer},
                        {"custodians", text},
                        {"status", text},
                        {"nearest_party_id", text}},
                       nearest_party_fields()),
                {}};
        for (const MarkerState& m : cov_.markers) {
            const Marker& marker = ws_.markers[m.marker];
            const LocatedMarker& at = plan_.markers[m.marker];
            Row r;
            r.values.reserve(t.fields.size());
            r.values = {marker.marker_id,
                        ws_.lines[static_cast<std::size_t>(at.line)].line_id(),
                        km(at.chainage_km),
                        std::round(at.offset_m * 10.0) / 10.0,
                        count(m.custodians.size()),
                        text_or_null(join_ids(m.custodians, plan_)),
                        std::string(m.custodied() ? "custodied" : "unowned"),
                        Value{}};
            std::optional<std::uint32_t> nearest;
            if (options_.nearest && !m.custodied()) {
                const auto ranked =
                    options_.nearest->rank({static_cast<std::uint32_t>(at.line), at.chainage_km,
                                            at.chainage_km, marker.position},
                                           1);
                if (!ranked.empty()) {
                    nearest = ranked[0].party;
                    r.values.back() = std::string(plan_.parties[*nearest].party_id);
                }
            }
            append_nearest_party(r.values, plan_, nearest);
            r.geometry = marker.position;
            t.rows.push_back(std::move(r));
        }
        return t;
    }

    Table communes() const {
        Table t{"commune_summary",
                GeometryType::multi_polygon,
                concat({{"commune_id", text}, {"name", text}, {"district", text}}, figure_fields()),
                {}};
        for (const CommuneSummary& c : cov_.communes) {
            Row r;
            if (c.commune >= 0) {
                const Commune& commune = ws_.communes[static_cast<std::size_t>(c.commune)];
                r.values = {commune.commune_id, text_or_null(commune.name),
                            text_or_null(commune.district)};
                if (!commune.area.empty()) {
                    r.geometry = commune.area;
                }
            } else {
                r.values = {std::string("-"), Value{}, Value{}};
            }
            append_figures(r.values, c.figures);
            t.rows.push_back(std::move(r));
        }
        return t;
    }

    Table districts() const {
        Table t{"district_summary",
                GeometryType::none,
                concat({{"province", text}, {"district", text}}, figure_fields()),
                {}};
        for (const DistrictSummary& d : cov_.districts) {
            Row r;
            r.values = {d.province, d.district};
            append_figures(r.values, d.figures);
            t.rows.push_back(std::move(r));
        }
        return t;
    }

    Table lines() const {
        Table t{"line_summary",
                GeometryType::none,
                {{"line_id", text},
                 {"name", text},
                 {"neighbour", text},
                 {"length_km", real},
                 {"covered_km", real},
                 {"uncovered_km", real},
                 {"overlap_km", real},
                 {"coverage_pct", real},
                 {"gaps", integer},
                 {"markers", integer},
                 {"markers_unowned", integer},
                 {"markers_not_built", integer}},
                {}};
        for (const LineSummary& l : cov_.lines) {
            const BorderLine& line = ws_.lines[l.line];
            const Figures& f = l.figures;
            Row r;
            r.values = {line.line_id(),   text_or_null(line.name),  text_or_null(line.neighbour),
                        km(f.border_km),  km(f.covered_km),         km(f.uncovered_km()),
                        km(f.overlap_km), pct(f.coverage_pct()),    count(f.gaps),
                        count(f.markers), count(f.markers_unowned), count(f.markers_not_built)};
            t.rows.push_back(std::move(r));
        }
        return t;
    }

    Table teams() const {
        Table t{"team_summary",
                GeometryType::none,
                {{"team_id", text},
                 {"name", text},
                 {"commune_id", text},
                 {"kind", text},
                 {"households", integer},
                 {"assignments", integer},
                 {"held_km", real},
                 {"overlap_km", real},
                 {"markers", integer}},
                {}};
        for (const TeamSummary& ts : cov_.teams) {
            const Team& team = ws_.teams[ts.team];
            Row r;
            r.values = {team.team_id,
                        text_or_null(team.name),
                        text_or_null(team.commune_id),
                        text_or_null(team.kind),
                        count(ts.households),
                        count(ts.assignments),
                        km(ts.held_km),
                        km(ts.overlap_km),
                        count(ts.markers)};
            t.rows.push_back(std::move(r));
        }
        return t;
    }

  private:
    /// The n rows of a long table, row(i, rows[i]) filled on a few threads
    /// (the lookups are read-only; each row is its own). Each row's values
    /// get room for exactly one per field: a row filled in two steps (the
    /// gaps' nearest party appended) would otherwise double its capacity,
    /// 34 MB of the national run's gaps.
    template <class FillRow> static void each_row(Table& t, std::size_t n, const FillRow& row) {
        t.rows.resize(n);
        const std::size_t fields = t.fields.size();
        detail::parallel_chunks(n, detail::worker_count(n, 2000),
                                [&](std::size_t b, std::size_t e) {
                                    for (std::size_t i = b; i < e; ++i) {
                                        t.rows[i].values.reserve(fields);
                                        row(i, t.rows[i]);
                                    }
                                });
    }

    std::string commune_id(int c) const {
        return c < 0 ? "-" : ws_.communes[static_cast<std::size_t>(c)].commune_id;
    }
    Value commune_name(int c) const {
        return c < 0 ? Value{} : text_or_null(ws_.communes[static_cast<std::size_t>(c)].name);
    }
    Value marker_id(int m) const {
        return m < 0 ? Value{} : Value{ws_.markers[static_cast<std::size_t>(m)].marker_id};
    }
    std::string join_markers(const std::vector<std::uint32_t>& markers) const {
        std::string out;
        for (const std::uint32_t m : markers) {
            out += (out.empty() ? "" : ",") + ws_.markers[m].marker_id;
        }
        return out;
    }

    const Workspace& ws_;
    const Plan& plan_;
    const Coverage& cov_;
    const TableOptions& options_;
};

} // namespace

Table segments_table(const Workspace& ws, const Plan& plan, const Coverage& cov,
                     const TableOptions& options) {
    return CoverageTables(ws, plan, cov, options).segments();
}

std::vector<Table> coverage_tables(const Workspace& ws, const Plan& plan, const Coverage& cov,
                                   const Diagnostics& diagnostics, const TableOptions& options) {
    const CoverageTables make(ws, plan, cov, options);
    std::vector<Table> tables;
    tables.push_back(make.segments());
    tables.push_back(make.gaps());
    tables.push_back(make.markers());
    tables.push_back(make.communes());
    tables.push_back(make.districts());
    tables.push_back(make.lines());
    tables.push_back(make.teams());
    tables.push_back(diagnostics_table(diagnostics));
    return tables;
}

} // namespace bordercov
