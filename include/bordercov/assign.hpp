// Proposals to fill the gaps: every uncovered stretch is cut into pieces and
// each piece proposed to a household, and every unowned marker given
// custodians, without overloading anyone; where no household can, a team.
//
// A household may hold at most household_km in all (what it holds already
// counts): it can take floor((household_km - held) / piece_km) pieces. It is
// eligible for a piece only when its home lies within max_home_km of the
// piece (geodesic). Among the eligible, the order of preference is: a
// household of the piece's own commune; then the least km along the border
// from the piece to the household's current stretches on that line (or, when
// it holds none there, to the point of the line nearest its home); then the
// least km from its home to the piece. The proposal is the exact optimum of
// that order summed over all pieces (min_cost_assignment.hpp), not a greedy
// one: a nearer household may be left for a piece that has no other.
//
// Example usage:
//     const Coverage cov = compute_coverage(ws, plan, {});
//     const Proposal p = propose_assignments(ws, plan, cov, {});
//     std::vector<Table> layers = proposal_tables(ws, plan, p);
#pragma once

#include "bordercov/coverage.hpp"
#include "bordercov/model.hpp"
#include "bordercov/resolve.hpp"
#include "bordercov/table.hpp"

#include <optional>
#include <string>
#include <vector>

namespace bordercov {

struct AssignOptions {
    /// Km of border a household may hold in all. DEFAULT: the median of
    /// what the households holding any stretch hold on the as-of date
    std::optional<double> household_km = std::nullopt;
    /// Longest piece a gap is cut into (each gap into equal pieces). DEFAULT: household_km
    std::optional<double> piece_km = std::nullopt;
    /// Custodians proposed at most per unowned marker. DEFAULT: 5
    int marker_households = 5;
    /// Farthest a household's home may lie from a piece or marker. DEFAULT: 5 km
    double max_home_km = 5;
};

/// Why a piece or a marker goes to whom it goes to.
enum class ProposalReason {
    household_own_commune,   ///< the optimum gives it to a household of its commune
    household_other_commune, ///< ... to a household of another commune
    team_no_household,       ///< to a team: no household's home within max_home_km
    team_capacity,           ///< to a team: the eligible households are full
    none_no_household,       ///< to no one: no eligible household and no team
    none_capacity,           ///< to no one: households full and no team
};
const char* to_string(ProposalReason r);
bool is_team(ProposalReason r);
bool is_household(ProposalReason r);

struct ProposedPiece {
    Stretch stretch;
    int commune = -1;                   ///< index into Workspace::communes, -1 for none
    std::uint32_t gap = 0;              ///< index into Coverage::gaps
    std::optional<std::uint32_t> party; ///< index into Plan::parties
    ProposalReason reason = ProposalReason::none_no_household;
    double along_km = 0; ///< households: along the border, as the header says
    double home_km = 0;  ///< households: from the home to the piece
};

struct ProposedCustodian {
    std::uint32_t marker = 0; ///< index into Workspace::markers
    int commune = -1;
    std::optional<std::uint32_t> party;
    ProposalReason reason = ProposalReason::none_no_household;
    double along_km = 0;
    double home_km = 0;
};

struct Proposal {
    double household_km = 0; ///< as used (the default filled in)
    double piece_km = 0;
    std::vector<ProposedPiece> pieces;          ///< by line, then chainage
    std::vector<ProposedCustodian> custodians;  ///< by marker; households, then a team fallback
    std::vector<std::uint32_t> unowned_markers; ///< the markers proposals were sought for
    std::size_t eligible_households = 0;        ///< households with room for a piece
};

/// Throws UsageError for capacities or distances that are not positive.
void check_assign_options(const AssignOptions& options);

/// Checks the options as check_assign_options() does.
Proposal propose_assignments(const Workspace& ws, const Plan& plan, const Coverage& coverage,
                             const AssignOptions& options);

/// The form the proposed assignments give their stretch in.
enum class ProposalForm {
    drawn, ///< the piece's geometry, for a workspace whose assignments have geometry
    km,    ///< from_km and to_km (to the mm), for one whose assignments have none
};

struct ProposalTableOptions {
    ProposalForm form = ProposalForm::drawn; ///< DEFAULT: drawn
    bool geometry = true;                    ///< cut each piece out of its line. DEFAULT: true
};

/// The form that appends to the workspace: km when its assignments layer
/// has no geometry, else drawn.
ProposalForm proposal_form_for(const Workspace& ws);

/// The names of the layers proposal_tables gives, in its order.
const std::vector<std::string>& proposal_layer_names();

/// The layers: "assignments" (proposed, in the workspace schema, plus
/// reason, cost_km, ...; signed on the as-of date), "marker_custodians"
/// (proposed) and "assign_summary" (per commune: km that would become
/// covered, km no household can take and why). The fields of the first two
/// are named as in the workspace's own layers where those differ (a
/// Shapefile's "assignment" for assignment_id), so that ogr2ogr -append
/// puts every value into its field.
std::vector<Table> proposal_tables(const Workspace& ws, const Plan& plan, const Coverage& coverage,
                                   const Proposal& proposal,
                                   const ProposalTableOptions& options = {});

} // namespace bordercov
