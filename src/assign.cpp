#include "bordercov/assign.hpp"

#include "bordercov/error.hpp"
#include "bordercov/geodesy.hpp"
#include "bordercov/min_cost_assignment.hpp"
#include "bordercov/nearest.hpp"
#include "detail/assign_candidates.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <map>
#include <stdexcept>
#include <unordered_set>

namespace bordercov {

using detail::Choice;
using detail::CostScale;
using detail::Households;
using detail::Place;
using detail::PlaceCandidates;

const char* to_string(ProposalReason r) {
    switch (r) {
    case ProposalReason::household_own_commune:
        return "nearest household, own commune";
    case ProposalReason::household_other_commune:
        return "nearest household, other commune";
    case ProposalReason::team_no_household:
        return "team fallback: no eligible household";
    case ProposalReason::team_capacity:
        return "team fallback: households' capacity exhausted";
    case ProposalReason::none_no_household:
        return "no one: no eligible household, no team";
    case ProposalReason::none_capacity:
        return "no one: households' capacity exhausted, no team";
    }
    return "?";
}

bool is_team(ProposalReason r) {
    return r == ProposalReason::team_no_household || r == ProposalReason::team_capacity;
}

bool is_household(ProposalReason r) {
    return r == ProposalReason::household_own_commune ||
           r == ProposalReason::household_other_commune;
}

namespace {

/// The uncovered stretches cut into equal pieces no longer than piece_km,
/// each within one commune, one part of its line and one gap.
std::vector<ProposedPiece> cut_pieces(const Workspace& ws, const Coverage& coverage,
                                      double piece_km) {
    std::vector<ProposedPiece> pieces;
    std::vector<std::vector<double>> joins(ws.lines.size());
    for (std::size_t l = 0; l < ws.lines.size(); ++l) {
        joins[l] = ws.lines[l].part_joins_km();
    }
    const auto is_join = [&](std::uint32_t line, double km) {
        const auto& j = joins[line];
        const auto it = std::lower_bound(j.begin(), j.end(), km - chainage_resolution_km);
        return it != j.end() && *it <= km + chainage_resolution_km;
    };
    // Runs come in the gaps' order (line, then chainage): a cursor finds each.
    std::size_t cursor = 0;
    const auto gap_of = [&](const Stretch& s) -> std::uint32_t {
        const auto holds = [&](const Gap& g) {
            return g.stretch.line == s.line &&
                   g.stretch.from_km <= s.from_km + chainage_resolution_km &&
                   s.to_km <= g.stretch.to_km + chainage_resolution_km;
        };
        while (cursor < coverage.gaps.size() && !holds(coverage.gaps[cursor])) {
            ++cursor;
        }
        if (cursor == coverage.gaps.size()) {
            throw std::logic_error("assign: an uncovered stretch in no gap");
        }
        return static_cast<std::uint32_t>(cursor);
    };
    const auto emit = [&](const Stretch& run, int commune) {
        if (run.length_km() < chainage_resolution_km) {
            return;
        }
        const auto n =
            static_cast<std::size_t>(std::max(1.0, std::ceil(run.length_km() / piece_km - 1e-9)));
        const std::uint32_t gap = gap_of(run);
        for (std::size_t k = 0; k < n; ++k) {
            ProposedPiece p;
            p.stretch = {run.line,
                         run.from_km +
                             run.length_km() * static_cast<double>(k) / static_cast<double>(n),
                         k + 1 == n ? run.to_km
                                    : run.from_km + run.length_km() * static_cast<double>(k + 1) /
                                                        static_cast<double>(n)};
            p.commune = commune;
            p.gap = gap;
            pieces.push_back(p);
        }
    };
    // The run of uncovered segments being gathered (a flag beside a plain
    // Stretch: GCC 12 at -O3 takes an optional's members for uninitialized).
    Stretch run{};
    bool open = false;
    int run_commune = -1;
    for (const Segment& s : coverage.segments) {
        if (s.status() != SegmentStatus::uncovered) {
            if (open) {
                emit(run, run_commune);
                open = false;
            }
            continue;
        }
        const bool continues = open && run.line == s.stretch.line && run_commune == s.commune &&
                               std::abs(run.to_km - s.stretch.from_km) <= chainage_resolution_km &&
                               !is_join(run.line, s.stretch.from_km);
        if (continues) {
            run.to_km = s.stretch.to_km;
            continue;
        }
        if (open) {
            emit(run, run_commune);
        }
        run = s.stretch;
        open = true;
        run_commune = s.commune;
    }
    if (open) {
        emit(run, run_commune);
    }
    return pieces;
}

/// The team a place falls back to: the team of its commune with the most
/// households (then the least id); else the team of the nearest household
/// that has one; else none.
class Teams {
  public:
    Teams(const Workspace& ws, const Plan& plan, const NearestIndex& nearest)
        : ws_(ws), plan_(plan), nearest_(nearest) {
        std::map<std::string_view, std::size_t> members;
        for (const Household& h : ws.households) {
            ++members[h.team_id];
        }
        for (std::uint32_t p = 0; p < plan.parties.size(); ++p) {
            const Party& party = plan.parties[p];
            if (party.type != PartyType::team) {
                continue;
            }
            const int c = plan.find_commune_id(party.commune_id);
            if (c < 0) {
                continue;
            }
            const std::size_t n = members.count(party.party_id) ? members.at(party.party_id) : 0;
            auto [it, fresh] = of_commune_.try_emplace(c, p, n);
            if (!fresh && (n > it->second.second ||
                           (n == it->second.second &&
                            party.party_id < plan.parties[it->second.first].party_id))) {
                it->second = {p, n};
            }
        }
    }

    std::optional<std::uint32_t> for_place(const Place& place) const {
        if (const auto it = of_commune_.find(place.commune); it != of_commune_.end()) {
            return it->second.first;
        }
        const LonLat at = ws_.lines[place.stretch.line].point_at(place.stretch.from_km);
        for (const RankedParty& r : nearest_.households_near(at, 32)) {
            if (const auto team =
                    plan_.find_party(PartyType::team, plan_.parties[r.party].team_id)) {
                return team;
            }
        }
        for (std::uint32_t p = 0; p < plan_.parties.size(); ++p) {
            if (plan_.parties[p].type == PartyType::team) {
                return p; // a workspace whose households name no team: its first team
            }
        }
        return std::nullopt;
    }

  private:
    const Workspace& ws_;
    const Plan& plan_;
    const NearestIndex& nearest_;
    std::map<int, std::pair<std::uint32_t, std::size_t>>
        of_commune_; // commune -> team party, households
};

/// The problem of one kind of place: an item per seat at each place, the
/// seats of a place in a row, weighing what seat_weights says.
AssignmentProblem problem_of(PlaceCandidates candidates, std::vector<std::int64_t> capacity,
                             const std::vector<std::int64_t>& seat_weights) {
    AssignmentProblem problem;
    problem.capacity = std::move(capacity);
    problem.items.reserve(candidates.size() * seat_weights.size());
    for (auto& c : candidates) {
        for (std::size_t seat = 0; seat < seat_weights.size(); ++seat) {
            problem.items.push_back(
                {seat + 1 < seat_weights.size() ? c : std::move(c), seat_weights[seat]});
        }
    }
    return problem;
}

ProposalReason household_reason(const Households& households, std::uint32_t party, int commune) {
    return commune >= 0 && households.commune(party) == commune
               ? ProposalReason::household_own_commune
               : ProposalReason::household_other_commune;
}

ProposalReason fallback_reason(bool had_choices, bool team) {
    if (team) {
        return had_choices ? ProposalReason::team_capacity : ProposalReason::team_no_household;
    }
    return had_choices ? ProposalReason::none_capacity : ProposalReason::none_no_household;
}

} // namespace

void check_assign_options(const AssignOptions& o) {
    const auto positive = [](const char* name, double v, const char* unit) {
        if (!std::isfinite(v) || v <= 0) {
            throw UsageError(
                fmt::format("{} must be more than 0 {}; {} was given.", name, unit, v));
        }
    };
    if (o.household_km) {
        positive("--household-km", *o.household_km, "km");
    }
    if (o.piece_km) {
        positive("--piece-km", *o.piece_km, "km");
    }
    for (const auto& [name, km] :
         {std::pair{"--household-km", o.household_km}, std::pair{"--piece-km", o.piece_km}}) {
        if (km && *km < 0.001) {
            throw UsageError(
                fmt::format("{} must be at least 0.001 km (a metre); {} was given.", name, *km));
        }
    }
    positive("--max-home-km", o.max_home_km, "km");
    if (o.max_home_km > 100) {
        throw UsageError(
            fmt::format("--max-home-km must be at most 100 km (a household walks to its stretch); "
                        "{} was given.",
                        o.max_home_km));
    }
    if (o.marker_households < 1 || o.marker_households > 100) {
        throw UsageError(fmt::format("--marker-households must be from 1 to 100; {} was given.",
                                     o.marker_households));
    }
}

namespace {

/// What the two halves of a proposal share.
struct Proposing {
    const Workspace& ws;
    const Plan& plan;
    const AssignOptions& options;
    const Households& households;
    const CostScale& scale;
    const Teams& teams;
};

/// The gaps cut into pieces, each to a household with room for it, else to
/// a team only where no household can, whatever that costs the others.
void propose_pieces(const Proposing& ctx, const Coverage& coverage, Proposal& proposal) {
    const Workspace& ws = ctx.ws;
    const Plan& plan = ctx.plan;
    const Households& households = ctx.households;
    proposal.pieces = cut_pieces(ws, coverage, proposal.piece_km);
    std::vector<std::int64_t> capacity(plan.parties.size(), 0);
    for (std::uint32_t p = 0; p < plan.parties.size(); ++p) {
        if (plan.parties[p].type == PartyType::household && plan.parties[p].home) {
            const double room = proposal.household_km - households.held_km(p);
            capacity[p] =
                room <= 0 ? 0
                          : static_cast<std::int64_t>(std::floor(room / proposal.piece_km + 1e-9));
            proposal.eligible_households += capacity[p] > 0;
        }
    }
    std::vector<Place> places;
    for (const ProposedPiece& p : proposal.pieces) {
        places.push_back({p.stretch, p.commune});
    }
    const AssignmentProblem problem =
        problem_of(detail::candidates(ws, plan, households, capacity, places,
                                      ctx.options.max_home_km, ctx.scale),
                   capacity, {1});
    const AssignmentResult result = solve_min_cost_assignment(problem);
    for (std::size_t i = 0; i < places.size(); ++i) {
        ProposedPiece& piece = proposal.pieces[i];
        if (result.party[i] != assignment_fallback) {
            const auto party = static_cast<std::uint32_t>(result.party[i]);
            const Choice c =
                detail::measure(ws, plan, households, places[i], party, ctx.options.max_home_km);
            piece.party = party;
            piece.reason = household_reason(households, party, piece.commune);
            piece.along_km = c.along_km;
            piece.home_km = c.home_km;
        } else {
            piece.party = ctx.teams.for_place(places[i]);
            piece.reason =
                fallback_reason(!problem.items[i].candidates.empty(), piece.party.has_value());
        }
    }
}

/// Custodians for unowned markers: a household takes at most one marker
/// (none when it holds one already); a marker's first seat weighs more
/// than further ones, so each marker gets one before any gets two.
void propose_custodians(const Proposing& ctx, const Coverage& coverage, Proposal& proposal) {
    const Workspace& ws = ctx.ws;
    const Plan& plan = ctx.plan;
    const AssignOptions& options = ctx.options;
    const Households& households = ctx.households;
    const Teams& teams = ctx.teams;
    std::vector<std::int64_t> seats(plan.parties.size(), 0);
    std::unordered_set<std::uint32_t> custodians;
    for (const Custody& c : plan.custodies) {
        custodians.insert(c.party);
    }
    for (std::uint32_t p = 0; p < plan.parties.size(); ++p) {
        seats[p] = plan.parties[p].type == PartyType::household && plan.parties[p].home &&
                           !custodians.count(p)
                       ? 1
                       : 0;
    }
    std::vector<Place> marker_places;
    for (const MarkerState& m : coverage.markers) {
        if (!m.custodied()) {
            const LocatedMarker& at = plan.markers[m.marker];
            proposal.unowned_markers.push_back(m.marker);
            marker_places.push_back(
                {{static_cast<std::uint32_t>(at.line), at.chainage_km, at.chainage_km}, m.commune});
        }
    }
    // A marker's first seat weighs more: it goes before another's second.
    std::vector<std::int64_t> seat_weights(static_cast<std::size_t>(options.marker_households), 1);
    seat_weights[0] = 2;
    const AssignmentProblem problem =
        problem_of(detail::candidates(ws, plan, households, seats, marker_places,
                                      options.max_home_km, ctx.scale),
                   seats, seat_weights);
    const AssignmentResult result = solve_min_cost_assignment(problem);
    const std::size_t per_marker = seat_weights.size();
    for (std::size_t m = 0; m < marker_places.size(); ++m) {
        std::vector<ProposedCustodian> found;
        for (std::size_t i = m * per_marker; i < (m + 1) * per_marker; ++i) {
            if (result.party[i] == assignment_fallback) {
                continue;
            }
            const auto party = static_cast<std::uint32_t>(result.party[i]);
            const Choice c =
                detail::measure(ws, plan, households, marker_places[m], party, options.max_home_km);
            found.push_back({proposal.unowned_markers[m], marker_places[m].commune, party,
                             household_reason(households, party, marker_places[m].commune),
                             c.along_km, c.home_km});
        }
        if (found.empty()) {
            const auto team = teams.for_place(marker_places[m]);
            const bool had = !problem.items[m * per_marker].candidates.empty();
            found.push_back({proposal.unowned_markers[m], marker_places[m].commune, team,
                             fallback_reason(had, team.has_value()), 0, 0});
        }
        // Nearest first, for reading.
        std::sort(found.begin(), found.end(),
                  [&](const ProposedCustodian& a, const ProposedCustodian& b) {
                      return a.home_km != b.home_km ? a.home_km < b.home_km : a.party < b.party;
                  });
        proposal.custodians.insert(proposal.custodians.end(), found.begin(), found.end());
    }
}

} // namespace

Proposal propose_assignments(const Workspace& ws, const Plan& plan, const Coverage& coverage,
                             const AssignOptions& options) {
    check_assign_options(options);
    const Households households(ws, plan);
    Proposal proposal;
    // With no household holding anything yet: the border shared out evenly.
    std::size_t n_households = 0;
    for (const Party& p : plan.parties) {
        n_households += p.type == PartyType::household;
    }
    proposal.household_km = options.household_km.value_or(households.median_held_km().value_or(
        n_households > 0
            ? std::max(coverage.total.border_km / static_cast<double>(n_households), 0.001)
            : 1.0));
    proposal.piece_km = options.piece_km.value_or(proposal.household_km);
    const CostScale scale(options.max_home_km);
    const NearestIndex nearest(ws, plan);
    const Teams teams(ws, plan, nearest);
    const Proposing ctx{ws, plan, options, households, scale, teams};
    propose_pieces(ctx, coverage, proposal);
    propose_custodians(ctx, coverage, proposal);
    return proposal;
}

} // namespace bordercov
