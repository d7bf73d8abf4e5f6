// The one representation of a stretch of border: an interval of chainage on a
// line. Marker pairs, km pairs and drawn geometries all become a Stretch once,
// at the edge (resolve.hpp); coverage and everything after work on these.
#pragma once

#include <algorithm>
#include <cstdint>

namespace bordercov {

struct Stretch {
    std::uint32_t line = 0; ///< index into Workspace::lines
    double from_km = 0;     ///< from_km <= to_km always
    double to_km = 0;

    double length_km() const { return to_km - from_km; }
    bool contains(double km) const { return from_km <= km && km <= to_km; }
    /// Along-border km from chainage km to this stretch (0 inside it).
    double distance_km(double km) const { return std::max({0.0, from_km - km, km - to_km}); }
};

} // namespace bordercov
