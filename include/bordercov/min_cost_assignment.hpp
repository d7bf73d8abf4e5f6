// An exact minimum-cost assignment of items (pieces of border, custodian
// places at markers) to parties with capacities, each item going to one of
// its candidate parties or, at a cost of its own, to a fallback.
//
// As a flow: source -> item (1) -> candidate party (1, cost) -> sink
// (capacity), and item -> sink directly (1, the item's fallback weight). The
// cost of a flow is a pair, compared in order: first the total weight of the
// items left to the fallback, then the total cost of the candidates chosen.
// So no item goes to the fallback while a rearrangement could give it a
// candidate; among those, the cheapest. Items
// are added one at a time; each is routed along a shortest augmenting path
// of the residual graph (Dijkstra on costs reduced by node potentials,
// stopped at the sink), which may move earlier items to other parties. This
// is successive shortest paths, so the result has the least total cost of
// all assignments (Ahuja, Magnanti & Orlin, Network Flows, 9.7; shortest
// paths hold for costs in any ordered group, pairs in lexicographic order
// among them). Costs are integers: the result is exact and, ties included,
// the same on every run.
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
