#include "bordercov/assign.hpp"

#include "bordercov/error.hpp"
#include "bordercov/geodesy.hpp"
#include "bordercov/min_cost_assignment.hpp"
#include "bordercov/nearest.hpp"
#include "detail/parallel.hpp"

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <boost/iterator/function_output_iterator.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <map>
#include <stdexcept>
#include <unordered_set>

namespace bordercov {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

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

using Point = bg::model::point<double, 2, bg::cs::cartesian>;
using Box = bg::model::box<Point>;
using Homes = bgi::rtree<std::pair<Point, std::uint32_t>, bgi::rstar<16>>;

/// Integer costs that order the preferences of the header exactly: the
/// commune first, then metres along the border, then metres from the home.
struct CostScale {
    static constexpr std::int64_t max_along_m =
        10'000'000;            ///< along distances count up to 10,000 km
    std::int64_t home_unit;    ///< one metre along outweighs any home distance
    std::int64_t commune_unit; ///< another commune outweighs any distance
    explicit CostScale(double max_home_km)
        : home_unit(static_cast<std::int64_t>(std::ceil(max_home_km * 1000)) + 1),
          commune_unit((max_along_m + 1) * home_unit) {}
    std::int64_t cost(bool own_commune, double along_km, double home_km) const {
        const auto along =
            std::min(max_along_m, static_cast<std::int64_t>(std::llround(along_km * 1000)));
        return (own_commune ? 0 : commune_unit) + along * home_unit + std::llround(home_km * 1000);
    }
};

/// A place a household may be proposed for: a piece of a gap, or a marker
/// (a stretch of no length).
struct Place {
    Stretch stretch;
    int commune = -1;
};

/// A household a place could go to, with the distances that rank it.
struct Choice {
    std::uint32_t party;
    double along_km;
    double home_km;
};

/// What the households hold on the as-of date, and where they live.
class Households {
  public:
    Households(const Workspace& ws, const Plan& plan) : ws_(ws), plan_(plan) {
        held_km_.assign(plan.parties.size(), 0);
        on_line_.resize(plan.parties.size());
        for (std::uint32_t c = 0; c < plan.commitments.size(); ++c) {
            const Commitment& cm = plan.commitments[c];
            held_km_[cm.party] += cm.stretch.length_km();
            on_line_[cm.party].push_back(c);
        }
        commune_.resize(plan.parties.size(), -1);
        for (std::uint32_t p = 0; p < plan.parties.size(); ++p) {
            commune_[p] = plan.find_commune_id(plan.parties[p].commune_id);
        }
    }

    double held_km(std::uint32_t party) const { return held_km_[party]; }
    int commune(std::uint32_t party) const { return commune_[party]; }

    /// The median of what households holding any stretch hold.
    std::optional<double> median_held_km() const {
        std::vector<double> held;
        for (std::uint32_t p = 0; p < plan_.parties.size(); ++p) {
            if (plan_.parties[p].type == PartyType::household && held_km_[p] > 0) {
                held.push_back(held_km_[p]);
            }
        }
        if (held.empty()) {
            return std::nullopt;
        }
        const std::size_t mid = held.size() / 2;
        std::nth_element(held.begin(), held.begin() + static_cast<std::ptrdiff_t>(mid), held.end());
        if (held.size() % 2 == 1) {
            return held[mid];
        }
        const double upper = held[mid];
        return (upper +
                *std::max_element(held.begin(), held.begin() + static_cast<std::ptrdiff_t>(mid))) /
               2;
    }

    /// Km along the border from the place to the party's stretches on its
    /// line, or else to the point of the line nearest the party's home.
    double along_km(std::uint32_t party, const Stretch& place) const {
        double best = no_stretch_km;
        for (const std::uint32_t c : on_line_[party]) {
            const Stretch& s = plan_.commitments[c].stretch;
            if (s.line == place.line) {
                best = std::min(best,
                                std::max({0.0, s.from_km - place.to_km, place.from_km - s.to_km}));
            }
        }
        if (best != no_stretch_km) {
            return best;
        }
        const Location foot = ws_.lines[place.line].locate(*plan_.parties[party].home);
        return std::max({0.0, place.from_km - foot.chainage_km, foot.chainage_km - place.to_km});
    }

  private:
    const Workspace& ws_;
    const Plan& plan_;
    std::vector<double> held_km_;
    std::vector<std::vector<std::uint32_t>> on_line_; ///< commitments per party
    std::vector<int> commune_;
};

/// The homes of the households that may take something, in an R-tree.
Homes index_homes(const Plan& plan, const std::vector<std::int64_t>& capacity) {
    std::vector<std::pair<Point, std::uint32_t>> homes;
    for (std::uint32_t p = 0; p < plan.parties.size(); ++p) {
        if (capacity[p] > 0 && plan.parties[p].home) {
            homes.push_back({Point(plan.parties[p].home->lon, plan.parties[p].home->lat), p});
        }
    }
    return Homes(homes.begin(), homes.end()); // packed
}

/// Geodesic metres from p to the nearest point of the polyline.
double distance_to_polyline_m(LonLat p, const std::vector<LonLat>& polyline) {
    if (polyline.size() == 1) {
        return geodesic_distance_m(p, polyline.front());
    }
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i + 1 < polyline.size(); ++i) {
        best = std::min(best, project_onto_edge(polyline[i], polyline[i + 1], p).offset_m);
    }
    return best;
}

/// Every household whose home lies within max_home_km of the place, with the
/// distances that rank it. Work split over threads; the result in place order.
std::vector<std::vector<Choice>> eligible(const Workspace& ws, const Households& households,
                                          const Homes& homes, const std::vector<Place>& places,
                                          double max_home_km) {
    std::vector<std::vector<Choice>> out(places.size());
    const auto work = [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            const Place& place = places[i];
            const BorderLine& line = ws.lines[place.stretch.line];
            std::vector<LonLat> shape;
            if (place.stretch.length_km() > 0) {
                for (const auto& part : line.cut(place.stretch.from_km, place.stretch.to_km)) {
                    shape.insert(shape.end(), part.begin(), part.end());
                }
            }
            if (shape.empty()) {
                shape.push_back(line.point_at(place.stretch.from_km));
            }
            const LonLat mid = line.point_at((place.stretch.from_km + place.stretch.to_km) / 2);
            const SearchWindow w =
                search_window(mid, max_home_km * 1000 + place.stretch.length_km() * 500 + 1);
            const auto consider = [&](const std::pair<Point, std::uint32_t>& e) {
                const LonLat home{e.first.get<0>(), e.first.get<1>()};
                const double home_km = distance_to_polyline_m(home, shape) / 1000;
                if (home_km <= max_home_km) {
                    out[i].push_back(
                        {e.second, households.along_km(e.second, place.stretch), home_km});
                }
            };
            for (const auto& [lo, hi] : lon_ranges(w.min.lon, w.max.lon)) {
                homes.query(bgi::intersects(Box{{lo, w.min.lat}, {hi, w.max.lat}}),
                            boost::make_function_output_iterator(consider));
            }
            // The R-tree's order is its own: sort for the same result every run.
            std::sort(out[i].begin(), out[i].end(),
                      [](const Choice& a, const Choice& b) { return a.party < b.party; });
        }
    };
    const std::size_t n = places.size();
    detail::parallel_chunks(n, detail::worker_count(n, 2000), work);
    return out;
}

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

/// Solves one kind of place: each item a place (or a custodian's seat at
/// one), fallback weights given per item. Returns the party per item.
AssignmentResult solve(const std::vector<std::vector<Choice>>& choices,
                       const std::vector<std::size_t>& place_of_item,
                       const std::vector<std::int64_t>& fallback_weight,
                       const std::vector<Place>& places, const Households& households,
                       const std::vector<std::int64_t>& capacity, const CostScale& scale) {
    AssignmentProblem problem;
    problem.capacity = capacity;
    problem.items.resize(place_of_item.size());
    for (std::size_t i = 0; i < place_of_item.size(); ++i) {
        const std::size_t place = place_of_item[i];
        auto& item = problem.items[i];
        item.fallback_weight = fallback_weight[i];
        for (const Choice& c : choices[place]) {
            item.candidates.push_back(
                {c.party, scale.cost(households.commune(c.party) == places[place].commune &&
                                         places[place].commune >= 0,
                                     c.along_km, c.home_km)});
        }
    }
    return solve_min_cost_assignment(problem);
}

const Choice* find_choice(const std::vector<Choice>& choices, std::uint32_t party) {
    const auto it = std::find_if(choices.begin(), choices.end(),
                                 [&](const Choice& c) { return c.party == party; });
    return it == choices.end() ? nullptr : &*it;
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
    const Homes homes = index_homes(plan, capacity);
    const auto choices = eligible(ws, households, homes, places, ctx.options.max_home_km);
    std::vector<std::size_t> item_place(places.size());
    for (std::size_t i = 0; i < places.size(); ++i) {
        item_place[i] = i;
    }
    const std::vector<std::int64_t> fallback(places.size(), 1);
    const AssignmentResult result =
        solve(choices, item_place, fallback, places, households, capacity, ctx.scale);
    for (std::size_t i = 0; i < places.size(); ++i) {
        ProposedPiece& piece = proposal.pieces[i];
        if (result.party[i] != assignment_fallback) {
            const auto party = static_cast<std::uint32_t>(result.party[i]);
            const Choice* c = find_choice(choices[i], party);
            piece.party = party;
            piece.reason = household_reason(households, party, piece.commune);
            piece.along_km = c->along_km;
            piece.home_km = c->home_km;
        } else {
            piece.party = ctx.teams.for_place(places[i]);
            piece.reason = fallback_reason(!choices[i].empty(), piece.party.has_value());
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
    const Homes homes = index_homes(plan, seats);
    const auto choices = eligible(ws, households, homes, marker_places, options.max_home_km);
    std::vector<std::size_t> item_place;
    std::vector<std::int64_t> fallback;
    for (std::size_t m = 0; m < marker_places.size(); ++m) {
        for (int seat = 0; seat < options.marker_households; ++seat) {
            item_place.push_back(m);
            fallback.push_back(seat == 0 ? 2 : 1); // a marker's first seat before another's second
        }
    }
    const AssignmentResult result =
        solve(choices, item_place, fallback, marker_places, households, seats, ctx.scale);
    const auto per_marker = static_cast<std::size_t>(options.marker_households);
    for (std::size_t m = 0; m < marker_places.size(); ++m) {
        std::vector<ProposedCustodian> found;
        for (std::size_t i = m * per_marker; i < (m + 1) * per_marker; ++i) {
            if (result.party[i] == assignment_fallback) {
                continue;
            }
            const auto party = static_cast<std::uint32_t>(result.party[i]);
            const Choice* c = find_choice(choices[m], party);
            found.push_back({proposal.unowned_markers[m], marker_places[m].commune, party,
                             household_reason(households, party, marker_places[m].commune),
                             c->along_km, c->home_km});
        }
        if (found.empty()) {
            const auto team = teams.for_place(marker_places[m]);
            found.push_back({proposal.unowned_markers[m], marker_places[m].commune, team,
                             fallback_reason(!choices[m].empty(), team.has_value()), 0, 0});
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
