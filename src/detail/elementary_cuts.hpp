// Where a line is cut into elementary segments: at the given chainages (ends
// of commitments, commune boundaries), at its ends and at its part joins.
// One rule for the coverage sweep and the sweep through time (review.hpp),
// so both cut a line at the same places.
#pragma once

#include "bordercov/border_line.hpp"

#include <vector>

namespace bordercov::detail {

/// The sorted cuts of a line: `at` (any order, any duplicates) collapsed
/// where two lie within the chainage resolution of each other, with the
/// line's ends and part joins kept exact, so that the segments between
/// consecutive cuts add up to the line's length and none spans a join.
std::vector<double> elementary_cuts(const BorderLine& line, std::vector<double> at);

} // namespace bordercov::detail
