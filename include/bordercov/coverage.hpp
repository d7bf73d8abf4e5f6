// Coverage: which stretches of each line have a responsible party on the
// as-of date. One sweep over the sorted interval ends of a line, cut also at
// commune boundaries and part joins, gives the segments; everything else
// (gaps, overlaps, per commune, district, line and team) is summed from them.
//
// Example usage:
//     Diagnostics diagnostics;
//     Workspace ws = io::read_workspace("plan.gpkg", diagnostics);
//     Plan plan = resolve(ws, {.as_of = *Date::parse("2015-12-31")}, diagnostics);
//     Coverage cov = compute_coverage(ws, plan, {});
//     double km = cov.lines[0].figures.uncovered_km();
#pragma once

#include "bordercov/model.hpp"
#include "bordercov/resolve.hpp"
#include "bordercov/stretch.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace bordercov {

/// Chainages closer than this are the same place (1 mm): a drawn stretch
/// snapped onto the end of a km stretch must not leave a sliver of a gap.
constexpr double chainage_resolution_km = 1e-6;

/// Progress: fraction done in [0, 1] and what is being done.
using Progress = std::function<void(double, const char*)>;

enum class SegmentStatus { covered, uncovered, overlap };
const char* to_string(SegmentStatus s);

/// An elementary piece of a line: the same owners and commune throughout.
struct Segment {
    Stretch stretch;
    std::vector<std::uint32_t> owners; ///< distinct parties, sorted by party id
    int commune = -1;
    SegmentStatus status() const;
};

/// A maximal uncovered stretch.
struct Gap {
    std::string gap_id;
    Stretch stretch;
    int commune = -1;                   ///< the commune holding the largest share of it
    int from_marker = -1;               ///< last marker at or before its start, on its line
    int to_marker = -1;                 ///< first marker at or after its end
    std::vector<std::uint32_t> markers; ///< markers strictly inside it, in chainage order
};

struct MarkerState {
    std::uint32_t marker = 0;
    std::vector<std::uint32_t> custodians; ///< distinct parties, sorted by id
    int commune = -1;
    bool custodied() const { return !custodians.empty(); }
};

/// Figures summed over some part of the border.
struct Figures {
    double border_km = 0;
    double covered_km = 0; ///< held by one party or more (overlap included)
    double overlap_km = 0; ///< held by two or more different parties
    std::size_t gaps = 0;
    std::size_t markers = 0; ///< markers that exist on the as-of date
    std::size_t markers_unowned = 0;
    /// Markers built after the as-of date: they do not exist yet, so they are
    /// neither in `markers` nor unowned.
    std::size_t markers_not_built = 0;
    std::size_t households = 0;
    std::size_t teams = 0;
    double uncovered_km() const { return border_km - covered_km; }
    double coverage_pct() const { return border_km > 0 ? 100.0 * covered_km / border_km : 0.0; }
};

struct LineSummary {
    std::uint32_t line = 0;
    Figures figures;
};

struct CommuneSummary {
    int commune = -1; ///< -1: the border in no commune ("-")
    Figures figures;
};

/// A district is named within its province: two provinces may each have a
/// district of the same name (Châu Thành).
struct DistrictSummary {
    std::string province; ///< "-" for none
    std::string district; ///< "-" for none
    Figures figures;
};

/// A team with its households: the union of their active stretches.
struct TeamSummary {
    std::uint32_t team = 0; ///< index into Workspace::teams
    std::size_t households = 0;
    std::size_t assignments = 0;
    double held_km = 0;      ///< length of the union of the team's and its households' stretches
    double overlap_km = 0;   ///< part of held_km also held by a party outside the team
    std::size_t markers = 0; ///< markers in custody of the team or its households
};

struct CoverageOptions {
    /// Restrict every figure to this commune (index into Workspace::communes).
    /// DEFAULT: the whole workspace
    std::optional<int> commune;
};

struct Coverage {
    std::vector<Segment> segments; ///< by line, then chainage
    std::vector<Gap> gaps;
    /// Markers located on a line and built by the as-of date (or with no
    /// built date), by line then chainage. A marker built later does not exist
    /// yet on that date: it is only counted in Figures::markers_not_built.
    std::vector<MarkerState> markers;
    std::vector<LineSummary> lines;
    std::vector<CommuneSummary> communes;
    std::vector<DistrictSummary> districts;
    std::vector<TeamSummary> teams;
    Figures total;
};

Coverage compute_coverage(const Workspace& ws, const Plan& plan, const CoverageOptions& options,
                          const Progress& progress = {});

/// The coverage of the whole workspace and, from the same sweep, of each
/// of the communes asked for: each exactly what compute_coverage gives with
/// CoverageOptions::commune set (gap ids of the whole workspace, G7.1 for a
/// piece), without sweeping the border again for each commune. For a report
/// of hundreds of communes.
struct CoverageByCommune {
    Coverage whole;
    std::vector<Coverage> communes; ///< parallel to the communes asked for
};
CoverageByCommune compute_coverage_by_commune(const Workspace& ws, const Plan& plan,
                                              const std::vector<int>& communes,
                                              const Progress& progress = {});

/// Marker custody by the year markers were built ("the 9 markers built in
/// 2015 are held by 41 households"). Markers without a built date: year 0.
struct MarkerYear {
    int year = 0;
    std::size_t markers = 0;
    std::size_t custodied = 0;
    std::size_t custodian_households = 0; ///< distinct households holding them
    std::size_t custodian_teams = 0;      ///< distinct teams holding them
};
std::vector<MarkerYear> markers_by_year(const Workspace& ws, const Plan& plan,
                                        const Coverage& coverage);

/// Finds a commune by id, or by name ignoring case and Vietnamese diacritics.
std::optional<int> find_commune(const Workspace& ws, const std::string& id_or_name);

} // namespace bordercov
