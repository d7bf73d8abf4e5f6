// The one place bordercov talks to GEOS: polygon validity with its reason and
// location, the repair of an invalid polygon, the simplicity of lines and the
// overlaps of areas. Geometry crosses as WKB or as bordercov's own lon/lat
// types; GEOS takes lon/lat as a plane.
#pragma once

#include "bordercov/geodesy.hpp"
#include "bordercov/model.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bordercov::detail {

using Wkb = std::vector<unsigned char>;

struct Validity {
    bool valid = true;
    std::string reason;             ///< GEOS's words, e.g. "Self-intersection"
    std::optional<LonLat> location; ///< where, when GEOS says
};

Validity check_validity(const Wkb& wkb);

/// GEOSMakeValid, keeping the polygonal part; empty when it cannot.
Wkb make_valid(const Wkb& wkb);

struct Simplicity {
    bool simple = true;
    std::optional<LonLat> location; ///< a point where it is not, when found
};

/// Whether the parts, as one multi-line, are simple: no part crosses or
/// runs along itself or another (touching at ends is allowed). Where it is
/// not, the location is a node of the noded lines that a simple line would
/// not have: a crossing, a part's end on another, the turn where a line
/// doubles back on itself.
Simplicity lines_are_simple(const std::vector<std::vector<LonLat>>& parts);

/// Where two areas overlap: share interior, not only edges or points.
struct AreaOverlap {
    double area_deg2 = 0;    ///< of the overlap, in square degrees of lon/lat
    double share = 0;        ///< the overlap's area over that of the smaller of the two
    std::size_t smaller = 0; ///< which of the two that is (a or b)
    LonLat point;            ///< a point inside the overlap (GEOS PointOnSurface)
    Wkb geometry;            ///< the overlap itself, for lines_inside()
};

/// Polygonal areas (communes), each made a GEOS geometry once, when first
/// compared, so that comparing an area with its few neighbours costs one
/// conversion, not one per pair. For one thread at a time.
///
/// Example usage:
///   PolygonalAreas areas({&c1.area, &c2.area});
///   if (auto o = areas.overlap(0, 1, 0.001)) { ... o->point ... }
class PolygonalAreas {
  public:
    explicit PolygonalAreas(std::vector<const MultiPolygon*> areas);
    ~PolygonalAreas();
    PolygonalAreas(const PolygonalAreas&) = delete;
    PolygonalAreas& operator=(const PolygonalAreas&) = delete;

    /// The overlap of areas a and b when its area is more than min_share of
    /// the smaller one's (below that: digitising slivers, or mere touching);
    /// nullopt otherwise, and when either area is empty or GEOS fails on it.
    std::optional<AreaOverlap> overlap(std::size_t a, std::size_t b, double min_share) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// The pieces of the lines (each a list of parts) that run inside an area
/// given as WKB, such as AreaOverlap::geometry.
std::vector<std::vector<LonLat>> lines_inside(const Wkb& area,
                                              const std::vector<std::vector<LonLat>>& parts);

} // namespace bordercov::detail
