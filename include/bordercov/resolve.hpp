// Resolution turns a workspace as planners wrote it into the plan the engine
// works on: parties (households and teams) in one table, markers located on
// their lines, every active assignment as a chainage interval of one party,
// every active custody as marker + party. Anything that cannot be resolved
// becomes a Diagnostic and is left out, never silently dropped.
#pragma once

#include "bordercov/date.hpp"
#include "bordercov/diagnostic.hpp"
#include "bordercov/model.hpp"
#include "bordercov/stretch.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bordercov {

struct ResolveOptions {
    Date as_of = Date::today();      ///< DEFAULT: today
    double snap_tolerance_m = 50;    ///< drawn vertex farther from the line: warning. DEFAULT: 50
    double marker_tolerance_m = 100; ///< marker farther from its line: warning. DEFAULT: 100
    /// A km past the line's end by at most this much is the end (km are given
    /// to 3 decimals, so the last one may overshoot by half a metre). DEFAULT: 1
    double end_tolerance_m = 1;
};

/// A household or a team: someone who can hold a stretch or a marker. The
/// texts are views into the Workspace, which must outlive the Plan.
struct Party {
    PartyType type = PartyType::household;
    std::string_view party_id;
    std::string_view name;    ///< household head or team name
    std::string_view team_id; ///< own id for a team
    std::string_view commune_id;
    std::optional<LonLat> home;
    std::uint32_t source = 0; ///< index into Workspace::households or ::teams
    std::string_view phone;   ///< how to reach it, when the workspace says
};

struct LocatedMarker {
    std::int32_t line = -1; ///< -1 when the marker could not be put on a line
    double chainage_km = 0;
    double offset_m = 0;
    int side = 0;
};

/// An active assignment as an interval: party p holds the stretch.
struct Commitment {
    Stretch stretch;
    std::uint32_t party = 0;
    std::uint32_t assignment = 0; ///< index into Workspace::assignments
};

struct Custody {
    std::uint32_t marker = 0; ///< index into Workspace::markers
    std::uint32_t party = 0;
    std::uint32_t custodian = 0; ///< index into Workspace::custodians
};

struct Plan {
    Date as_of;
    std::vector<Party> parties;          ///< households then teams, in workspace order
    std::vector<LocatedMarker> markers;  ///< parallel to Workspace::markers
    std::vector<Commitment> commitments; ///< active on as_of only
    std::vector<Custody> custodies;      ///< active on as_of only
    /// Every assignment and custody that resolves, whatever its dates, in
    /// workspace order: what a review sweeps through time (review.hpp). Their
    /// dates are those of Workspace::assignments[assignment] and
    /// Workspace::custodians[custodian].
    std::vector<Commitment> all_commitments;
    std::vector<Custody> all_custodies;
    std::size_t inactive_assignments = 0;
    std::size_t inactive_custodies = 0;

    std::optional<std::uint32_t> find_party(PartyType type, std::string_view id) const;
    std::optional<std::uint32_t> find_line(std::string_view line_id) const;
    std::optional<std::uint32_t> find_marker(std::string_view marker_id) const;
    /// Index into Workspace::communes, or -1 for an unknown (or empty) id.
    int find_commune_id(std::string_view commune_id) const;

    /// Ids (views into the Workspace) to indexes.
    std::unordered_map<std::string_view, std::uint32_t> household_index, team_index, line_index,
        marker_index, commune_index;
};

Plan resolve(const Workspace& ws, const ResolveOptions& options, Diagnostics& diagnostics);

} // namespace bordercov
