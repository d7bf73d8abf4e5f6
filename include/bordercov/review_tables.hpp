// The review, timeline and renewals as tables (table.hpp): the layers of
// `bordercov review` and `bordercov renewals` (docs/outputs.md), the same
// rows for the GDAL layers, the JSON and the readable tables.
#pragma once

#include "bordercov/diagnostic.hpp"
#include "bordercov/review.hpp"
#include "bordercov/table.hpp"

#include <string>
#include <vector>

namespace bordercov {

struct ReviewTableOptions {
    /// Cut the changes out of their lines (only layers need it). DEFAULT: true
    bool geometry = true;
    /// Also the stretches that did not change (kept, uncovered at both), so
    /// that the changes layer covers the whole border: a map needs them, a
    /// list of what changed does not. DEFAULT: true
    bool unchanged = true;
};

/// changes, marker_changes, line_review, commune_review, district_review,
/// team_review, then timeline (when there is one) and diagnostics.
std::vector<Table> review_tables(const Workspace& ws, const Plan& plan, const Review& review,
                                 const Timeline* timeline, const Diagnostics& diagnostics,
                                 const ReviewTableOptions& options = {});
const std::vector<std::string>& review_layer_names(bool timeline);

/// The review's total as one row of the fields of the review layers (not a
/// layer: for the JSON document and the summary).
Table review_total_table(const Review& review);

/// The timeline alone: a row per date in total, then per commune and date.
Table timeline_table(const Workspace& ws, const Timeline& timeline);

/// renewals, stretches_at_risk, renewals_by_commune, renewals_by_team,
/// diagnostics.
std::vector<Table> renewals_tables(const Workspace& ws, const Plan& plan, const Renewals& renewals,
                                   const Diagnostics& diagnostics, bool geometry = true);
const std::vector<std::string>& renewals_layer_names();

} // namespace bordercov
