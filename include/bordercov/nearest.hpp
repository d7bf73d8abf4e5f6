// Who is nearest to act at a place on the border: for a gap, an unowned
// marker or an incident point. Parties are ranked by the km along the border
// from the place to their nearest active stretch (0 inside it), then by the
// geodesic km from the place to their home (households) or to that stretch
// (teams), then by party id. Candidates come from R-trees (stretches as
// chainage intervals, homes as points); every distance that ranks is exact on
// the ellipsoid, never planar degrees.
//
// Example usage:
//     const NearestIndex index(ws, plan);
//     const auto [line, at] = locate_on_workspace(ws, {107.6, 13.9});
//     auto parties = index.rank({line, at.chainage_km, at.chainage_km, {107.6, 13.9}}, 5);
#pragma once

#include "bordercov/border_line.hpp"
#include "bordercov/model.hpp"
#include "bordercov/resolve.hpp"

#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace bordercov {

/// The side of the line a located point lies on: the neighbour's code (or
/// "home") where the line says on which side its neighbour lies, else
/// "left"/"right" of the line's direction; "on the line" when on it.
std::string side_name(const BorderLine& line, int side);

/// A place on the border: a point (from_km == to_km) or a stretch, with the
/// position distances to homes are measured from.
struct PlaceOnBorder {
    std::uint32_t line = 0;
    double from_km = 0;
    double to_km = 0;
    LonLat position;
};

inline constexpr double no_stretch_km = std::numeric_limits<double>::infinity();

struct RankedParty {
    std::uint32_t party = 0;
    double along_km = no_stretch_km;    ///< infinite: no active stretch on the place's line
    double distance_km = no_stretch_km; ///< infinite: no home (household) or stretch (team) known
};

/// The order of rank(): along the border, then distance, then party id.
bool ranks_before(const RankedParty& a, const RankedParty& b, const Plan& plan);

class NearestIndex {
  public:
    NearestIndex(const Workspace& ws, const Plan& plan);
    ~NearestIndex();

    /// The k nearest parties to the place, nearest first, as the header says.
    /// Parties with no active stretch on the place's line come after those
    /// with one, by the distance to their home.
    std::vector<RankedParty> rank(const PlaceOnBorder& place, std::size_t k) const;

    /// The k households whose homes are nearest to p (geodesic), nearest first.
    std::vector<RankedParty> households_near(LonLat p, std::size_t k) const;

    /// One party measured from the place as rank() measures it.
    RankedParty measure(const PlaceOnBorder& place, std::uint32_t party) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// An incident point placed on its nearest line, and the parties ranked there.
struct RankedPoint {
    std::uint32_t line = 0;
    Location at;
    std::vector<RankedParty> parties;
};

/// Every point located on the nearest line of the workspace and its k
/// nearest parties ranked from there (as locate_on_workspace and
/// NearestIndex::rank), the points shared out between the cores; in the
/// order of the points.
std::vector<RankedPoint> rank_points(const Workspace& ws, const NearestIndex& index,
                                     std::span<const LonLat> points, std::size_t k);

} // namespace bordercov
