// Checks of a workspace's consistency that no figure depends on, for
// `bordercov check`: what a planner should look at, as warnings.
#pragma once

#include "bordercov/diagnostic.hpp"
#include "bordercov/model.hpp"
#include "bordercov/resolve.hpp"

namespace bordercov {

/// Adds warnings: a border line that crosses or runs along itself; two
/// communes that overlap in area (by more than 0.1% of the smaller: less is
/// a digitising sliver), with a point of the overlap, since the border there
/// counts for the first of them only; a household whose home lies outside
/// its commune; a team no household belongs to; markers whose order along
/// their line contradicts their numbering (... 21, 23, 22 ...).
void check_consistency(const Workspace& ws, const Plan& plan, Diagnostics& diagnostics);

/// A warning for each stretch of border that lies in no commune polygon
/// (commune "-") when the workspace has communes: its line, from and to
/// chainage, length, and the stretch as the diagnostic's geometry. Every
/// command that reads a workspace runs it, since such a stretch changes the
/// per-commune figures. Nothing when the workspace has no communes.
void check_border_in_communes(const Workspace& ws, Diagnostics& diagnostics);

} // namespace bordercov
