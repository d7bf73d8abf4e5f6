// The proposal as layers: assignments and marker_custodians in the
// workspace's own schema (so they append to it), and a summary per commune.
#include "bordercov/assign.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace bordercov {

namespace {

constexpr FieldType text = FieldType::text;
constexpr FieldType real = FieldType::real;
constexpr FieldType integer = FieldType::integer;

Value km_or_null(bool known, double km) {
    return known ? Value{round_km(km)} : Value{};
}

Value count(std::size_t n) {
    return static_cast<std::int64_t>(n);
}

/// The km and counts of one commune (or of none).
struct CommuneTally {
    double gap_km = 0;
    std::size_t pieces = 0;
    double household_km = 0;
    std::map<std::uint32_t, bool> households; // distinct, sorted
    double team_km = 0;
    double no_eligible_km = 0;
    double capacity_km = 0;
    double unassigned_km = 0;
    std::size_t markers_unowned = 0;
    std::size_t markers_household = 0;
    std::size_t custodians = 0;
    std::size_t markers_team = 0;
    std::size_t markers_none = 0;
};

/// Km to the millimetre, the chainage resolution.
double km_to_mm(double km) {
    return std::round(km * 1e6) / 1e6;
}

} // namespace

ProposalForm proposal_form_for(const Workspace& ws) {
    for (const LayerSource& source : ws.sources) {
        if (source.layer == "assignments") {
            return source.has_geometry ? ProposalForm::drawn : ProposalForm::km;
        }
    }
    return ProposalForm::drawn; // ogr2ogr -append creates the layer, with geometry
}

const std::vector<std::string>& proposal_layer_names() {
    static const std::vector<std::string> names{"assignments", "marker_custodians",
                                                "assign_summary"};
    return names;
}

namespace {

/// Renames the table's fields to the names the workspace's own layer of the
/// same name stores them under, where it stores them cut (a Shapefile keeps
/// 10 characters: "assignment" for assignment_id).
void name_fields_as_in_workspace(Table& table, const Workspace& ws) {
    const auto source = std::find_if(ws.sources.begin(), ws.sources.end(),
                                     [&](const LayerSource& s) { return s.layer == table.name; });
    if (source == ws.sources.end()) {
        return;
    }
    const auto stored = [&](const std::string& name) {
        return std::find(source->fields.begin(), source->fields.end(), name) !=
               source->fields.end();
    };
    for (Field& f : table.fields) {
        if (f.name.size() > 10 && !stored(f.name) && stored(f.name.substr(0, 10))) {
            f.name = f.name.substr(0, 10);
        }
    }
}

} // namespace

namespace {

/// The proposed assignments, in the workspace's schema first.
Table assignments_table(const Workspace& ws, const Plan& plan, const Coverage& coverage,
                        const Proposal& proposal, const ProposalTableOptions& options) {
    const auto commune_id = [&](int c) -> std::string {
        return c < 0 ? "-" : ws.communes[static_cast<std::size_t>(c)].commune_id;
    };
    const auto party_type = [&](std::uint32_t p) {
        return std::string(to_string(plan.parties[p].type));
    };
    const auto party_id = [&](std::uint32_t p) { return std::string(plan.parties[p].party_id); };
    // The workspace's fields first, in its order. One form per assignment:
    // drawn (the geometry; from/to km empty), or km, where the workspace's
    // assignments have no geometry to take a drawn one (the geometry is then
    // only to look at, and ogr2ogr -append leaves it behind).
    Table assignments{"assignments",
                      GeometryType::line_string,
                      {{"assignment_id", text},
                       {"party_type", text},
                       {"party_id", text},
                       {"line_id", text},
                       {"from_marker", text},
                       {"to_marker", text},
                       {"from_km", real},
                       {"to_km", real},
                       {"signed", text},
                       {"expires", text},
                       {"reason", text},
                       {"cost_km", real},
                       {"home_km", real},
                       {"commune_id", text},
                       {"gap_id", text},
                       {"piece_from_km", real},
                       {"piece_to_km", real},
                       {"length_km", real}},
                      {}};
    // Ids that name the date and the place: "P20261128-VN-KH-GL-6299", the
    // piece from 6,299 m along line VN-KH-GL. A later run proposes only
    // where nothing is held, so never the same place again once appended.
    std::string date = plan.as_of.iso();
    const std::string signed_on = plan.as_of.iso();
    date.erase(std::remove(date.begin(), date.end(), '-'), date.end());
    for (const ProposedPiece& p : proposal.pieces) {
        if (!p.party) {
            continue;
        }
        const BorderLine& line = ws.lines[p.stretch.line];
        const bool household = is_household(p.reason);
        Row r;
        const bool km_form = options.form == ProposalForm::km;
        r.values = {
            fmt::format("P{}-{}-{}", date, line.line_id(), std::llround(p.stretch.from_km * 1000)),
            party_type(*p.party),
            party_id(*p.party),
            line.line_id(),
            Value{},
            Value{},
            km_form ? Value{km_to_mm(p.stretch.from_km)} : Value{},
            km_form ? Value{km_to_mm(p.stretch.to_km)} : Value{},
            signed_on,
            Value{},
            std::string(to_string(p.reason)),
            km_or_null(household, p.along_km),
            km_or_null(household, p.home_km),
            commune_id(p.commune),
            coverage.gaps[p.gap].gap_id,
            round_km(p.stretch.from_km),
            round_km(p.stretch.to_km),
            round_km(p.stretch.length_km())};
        if (options.geometry) {
            auto parts = line.cut(p.stretch.from_km, p.stretch.to_km);
            if (!parts.empty()) {
                r.geometry = std::move(parts.front()); // pieces never span a part join
            }
        }
        assignments.rows.push_back(std::move(r));
    }
    name_fields_as_in_workspace(assignments, ws);
    return assignments;
}

/// The proposed custodians of unowned markers.
Table custodians_table(const Workspace& ws, const Plan& plan, const Proposal& proposal) {
    const auto commune_id = [&](int c) -> std::string {
        return c < 0 ? "-" : ws.communes[static_cast<std::size_t>(c)].commune_id;
    };
    const auto party_type = [&](std::uint32_t p) {
        return std::string(to_string(plan.parties[p].type));
    };
    const auto party_id = [&](std::uint32_t p) { return std::string(plan.parties[p].party_id); };
    const std::string signed_on = plan.as_of.iso();
    Table custodians{"marker_custodians",
                     GeometryType::none,
                     {{"marker_id", text},
                      {"party_type", text},
                      {"party_id", text},
                      {"signed", text},
                      {"expires", text},
                      {"reason", text},
                      {"cost_km", real},
                      {"home_km", real},
                      {"commune_id", text}},
                     {}};
    for (const ProposedCustodian& c : proposal.custodians) {
        if (!c.party) {
            continue;
        }
        const bool household = is_household(c.reason);
        custodians.rows.push_back(
            {{ws.markers[c.marker].marker_id, party_type(*c.party), party_id(*c.party), signed_on,
              Value{}, std::string(to_string(c.reason)), km_or_null(household, c.along_km),
              km_or_null(household, c.home_km), commune_id(c.commune)},
             {}});
    }
    name_fields_as_in_workspace(custodians, ws);
    return custodians;
}

/// Per commune: km that would become covered, km no household can take and
/// why, and the markers.
Table summary_table(const Workspace& ws, const Proposal& proposal) {
    const auto commune_id = [&](int c) -> std::string {
        return c < 0 ? "-" : ws.communes[static_cast<std::size_t>(c)].commune_id;
    };
    std::map<int, CommuneTally> tally;
    for (const ProposedPiece& p : proposal.pieces) {
        CommuneTally& t = tally[p.commune];
        const double length = p.stretch.length_km();
        t.gap_km += length;
        ++t.pieces;
        if (is_household(p.reason)) {
            t.household_km += length;
            t.households[*p.party] = true;
            continue;
        }
        (p.reason == ProposalReason::team_no_household ||
                 p.reason == ProposalReason::none_no_household
             ? t.no_eligible_km
             : t.capacity_km) += length;
        (is_team(p.reason) ? t.team_km : t.unassigned_km) += length;
    }
    std::map<std::uint32_t, ProposalReason> marker_reason; // the first row of each marker says it
    std::map<std::uint32_t, int> marker_commune;
    for (const ProposedCustodian& c : proposal.custodians) {
        marker_reason.try_emplace(c.marker, c.reason);
        marker_commune[c.marker] = c.commune;
        if (is_household(c.reason)) {
            ++tally[c.commune].custodians;
        }
    }
    for (const auto& [marker, reason] : marker_reason) {
        CommuneTally& t = tally[marker_commune[marker]];
        ++t.markers_unowned;
        ++(is_household(reason) ? t.markers_household
           : is_team(reason)    ? t.markers_team
                                : t.markers_none);
    }
    Table summary{"assign_summary",
                  GeometryType::none,
                  {{"commune_id", text},
                   {"name", text},
                   {"district", text},
                   {"gap_km", real},
                   {"pieces", integer},
                   {"household_km", real},
                   {"households", integer},
                   {"team_km", real},
                   {"covered_km", real},
                   {"no_eligible_km", real},
                   {"capacity_km", real},
                   {"unassigned_km", real},
                   {"markers_unowned", integer},
                   {"markers_household", integer},
                   {"custodians", integer},
                   {"markers_team", integer},
                   {"markers_none", integer}},
                  {}};
    for (const auto& [c, t] : tally) {
        Value name, district;
        if (c >= 0) {
            const Commune& commune = ws.communes[static_cast<std::size_t>(c)];
            name = commune.name;
            district = commune.district.empty() ? Value{} : Value{commune.district};
        }
        summary.rows.push_back(
            {{commune_id(c), name, district, round_km(t.gap_km), count(t.pieces),
              round_km(t.household_km), count(t.households.size()), round_km(t.team_km),
              round_km(t.household_km + t.team_km), round_km(t.no_eligible_km),
              round_km(t.capacity_km), round_km(t.unassigned_km), count(t.markers_unowned),
              count(t.markers_household), count(t.custodians), count(t.markers_team),
              count(t.markers_none)},
             {}});
    }
    return summary;
}

} // namespace

std::vector<Table> proposal_tables(const Workspace& ws, const Plan& plan, const Coverage& coverage,
                                   const Proposal& proposal, const ProposalTableOptions& options) {
    std::vector<Table> tables;
    tables.push_back(assignments_table(ws, plan, coverage, proposal, options));
    tables.push_back(custodians_table(ws, plan, proposal));
    tables.push_back(summary_table(ws, proposal));
    return tables;
}

} // namespace bordercov
