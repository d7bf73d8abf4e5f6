// The one place bordercov talks to GEOS: polygon validity with its reason and
// location, and the repair of an invalid polygon. Geometry crosses as WKB.
#pragma once

#include "bordercov/geodesy.hpp"

#include <optional>
#include <string>
#include <vector>

namespace bordercov::detail {

using Wkb = std::vector<unsigned char>;

struct Validity {
    bool valid = true;
    std::string reason;               ///< GEOS's words, e.g. "Self-intersection"
    std::optional<LonLat> location;   ///< where, when GEOS says
};

Validity check_validity(const Wkb& wkb);

/// GEOSMakeValid, keeping the polygonal part; empty when it cannot.
Wkb make_valid(const Wkb& wkb);

/// Whether the parts, as one multi-line, are simple: no part crosses or
/// runs along itself or another (touching at ends is allowed).
bool lines_are_simple(const std::vector<std::vector<LonLat>>& parts);

} // namespace bordercov::detail
