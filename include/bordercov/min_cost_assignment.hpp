// An exact minimum-cost assignment of items (pieces of border, custodian
// places at markers) to parties with capacities, each item going to one of
// its candidate parties or, at a cost of its own, to a fallback.
//
// As a flow: source -> item (1) -> candidate party (1, cost) -> sink
// (capacity), and item -> sink directly (1, the item's fallback weight): the
// fallback is an edge with its price. The cost of a flow is a pair, compared
// in order: first the total weight of the items left to the fallback, then
// the total cost of the candidates chosen. So no item goes to the fallback
// while a rearrangement could give it a candidate; among those, the
// cheapest. Costs are integers: the result is exact and, ties included, the
// same on every run.
//
// The problem falls apart into components (the items and parties that can
// reach one another through candidates), solved one by one, side by side on
// a few threads. Each is solved by successive shortest paths (Ahuja,
// Magnanti & Orlin, Network Flows, 9.7; shortest paths hold for costs in any
// ordered group, pairs in lexicographic order among them): one unit at a
// time is routed along a shortest augmenting path of the residual graph
// (Dijkstra on costs reduced by node potentials, stopped at the sink), which
// may move earlier units. The units are those of the scarcer side: the items
// where the parties have room to spare, else the parties' room (a unit takes
// an item, or stays unused; the items start on the fallback). Either way the
// search ends at the first free place on the plentiful side, which is near;
// routed from the other side, a search for a place that no longer exists
// would reach every node of the component before it settled for the
// fallback.
//
// Example usage:
//     AssignmentProblem p;
//     p.capacity = {1, 2};                       // two parties
//     p.items.push_back({{{0, 5}, {1, 7}}, 1}); // candidates (party, cost), fallback weight
//     AssignmentResult r = solve_min_cost_assignment(p);  // r.party[0] == 0
#pragma once

#include <cstdint>
#include <vector>

namespace bordercov {

struct AssignmentProblem {
    struct Candidate {
        std::uint32_t party = 0;
        std::int64_t cost = 0; ///< 0 or more
    };
    struct Item {
        std::vector<Candidate> candidates; ///< each party at most once
        /// What giving the item to no candidate weighs (1 or more): the total
        /// weight of such items is minimised before any cost.
        std::int64_t fallback_weight = 1;
    };
    std::vector<std::int64_t> capacity; ///< items each party may take, per party
    std::vector<Item> items;
};

inline constexpr std::int32_t assignment_fallback = -1;

struct AssignmentResult {
    std::vector<std::int32_t> party;  ///< per item: a party, or assignment_fallback
    std::int64_t fallback_weight = 0; ///< of the items left to the fallback
    std::int64_t total_cost = 0;      ///< of the candidates chosen
};

/// Throws std::invalid_argument on a negative cost or capacity, a fallback
/// weight below 1, a party out of range or listed twice for an item.
AssignmentResult solve_min_cost_assignment(const AssignmentProblem& problem);

} // namespace bordercov
