// The min-cost assignment against two independent references: every
// assignment enumerated (small instances), and Boost Graph's successive
// shortest paths on the same network (larger ones).
#include "bordercov/min_cost_assignment.hpp"

// find_flow_cost.hpp uses what the shortest-path header declares first.
// clang-format off
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/successive_shortest_path_nonnegative_weights.hpp>
#include <boost/graph/find_flow_cost.hpp>
// clang-format on

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <random>
#include <stdexcept>

using namespace bordercov;

namespace {

using Total = std::pair<std::int64_t, std::int64_t>; // fallback weight, then cost

/// The least (fallback weight, cost) by trying every assignment.
Total brute_force(const AssignmentProblem& p) {
    std::vector<std::int64_t> load(p.capacity.size(), 0);
    Total best{std::numeric_limits<std::int64_t>::max(), 0};
    std::function<void(std::size_t, Total)> go = [&](std::size_t i, Total so_far) {
        if (so_far >= best) {
            return;
        }
        if (i == p.items.size()) {
            best = so_far;
            return;
        }
        go(i + 1, {so_far.first + p.items[i].fallback_weight, so_far.second});
        for (const auto& c : p.items[i].candidates) {
            if (load[c.party] < p.capacity[c.party]) {
                ++load[c.party];
                go(i + 1, {so_far.first, so_far.second + c.cost});
                --load[c.party];
            }
        }
    };
    go(0, {0, 0});
    return best;
}

/// Costs in the reference networks: the fallback weight scaled past any
/// total of costs the random problems can reach, so one number orders both.
constexpr long weight_scale = 10'000'000;

/// The same network solved by Boost Graph: its min-cost max-flow, where the
/// fallback is one more edge of each item into the sink.
std::int64_t boost_reference(const AssignmentProblem& p) {
    using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
    using Graph = boost::adjacency_list<
        boost::vecS, boost::vecS, boost::directedS, boost::no_property,
        boost::property<
            boost::edge_capacity_t, long,
            boost::property<boost::edge_residual_capacity_t, long,
                            boost::property<boost::edge_reverse_t, Traits::edge_descriptor,
                                            boost::property<boost::edge_weight_t, long>>>>>;
    const std::size_t items = p.items.size(), parties = p.capacity.size();
    const std::size_t source = items + parties, sink = source + 1;
    Graph g(sink + 1);
    auto capacity = boost::get(boost::edge_capacity, g);
    auto reverse = boost::get(boost::edge_reverse, g);
    auto weight = boost::get(boost::edge_weight, g);
    const auto add = [&](std::size_t u, std::size_t v, long cap, long cost) {
        const auto e = boost::add_edge(u, v, g).first;
        const auto r = boost::add_edge(v, u, g).first;
        capacity[e] = cap;
        capacity[r] = 0;
        weight[e] = cost;
        weight[r] = -cost;
        reverse[e] = r;
        reverse[r] = e;
    };
    for (std::size_t i = 0; i < items; ++i) {
        add(source, i, 1, 0);
        add(i, sink, 1, static_cast<long>(p.items[i].fallback_weight) * weight_scale);
        for (const auto& c : p.items[i].candidates) {
            add(i, items + c.party, 1, static_cast<long>(c.cost));
        }
    }
    for (std::size_t h = 0; h < parties; ++h) {
        add(items + h, sink, static_cast<long>(p.capacity[h]), 0);
    }
    boost::successive_shortest_path_nonnegative_weights(g, source, sink);
    return boost::find_flow_cost(g);
}

AssignmentProblem random_problem(std::mt19937& rng, int max_items, int max_parties, int max_cost) {
    AssignmentProblem p;
    const int parties = std::uniform_int_distribution<>(1, max_parties)(rng);
    const int items = std::uniform_int_distribution<>(1, max_items)(rng);
    for (int h = 0; h < parties; ++h) {
        p.capacity.push_back(std::uniform_int_distribution<>(0, 2)(rng));
    }
    for (int i = 0; i < items; ++i) {
        AssignmentProblem::Item item;
        for (int h = 0; h < parties; ++h) {
            if (std::uniform_int_distribution<>(0, 2)(rng) > 0) {
                item.candidates.push_back({static_cast<std::uint32_t>(h),
                                           std::uniform_int_distribution<>(0, max_cost)(rng)});
            }
        }
        item.fallback_weight = std::uniform_int_distribution<>(1, 3)(rng);
        p.items.push_back(std::move(item));
    }
    return p;
}

/// Items and parties along a line, as pieces of a border and the homes near
/// it: each item's candidates are the parties within reach, costed by the
/// distance, plus a premium for another commune (a block of the line).
/// Capacities are 0 to max_capacity; fallback weights 1 to max_weight.
/// Items in several clusters, so that the problem falls apart into
/// components, some with more items than room and some with room to spare.
AssignmentProblem border_like(std::mt19937& rng, int items, int parties, int clusters,
                              int max_capacity, int max_weight) {
    std::uniform_real_distribution<double> u(0, 1);
    const double reach = 40, cluster_length = 400, spacing = 1000; // beyond reach: apart
    const auto position = [&](int cluster) { return cluster * spacing + u(rng) * cluster_length; };
    std::vector<double> at(static_cast<std::size_t>(parties));
    AssignmentProblem p;
    for (int h = 0; h < parties; ++h) {
        at[static_cast<std::size_t>(h)] = position(h % clusters);
        p.capacity.push_back(std::uniform_int_distribution<>(0, max_capacity)(rng));
    }
    for (int i = 0; i < items; ++i) {
        const double x = position(std::uniform_int_distribution<>(0, clusters - 1)(rng));
        AssignmentProblem::Item item;
        for (int h = 0; h < parties; ++h) {
            const double d = std::abs(x - at[static_cast<std::size_t>(h)]);
            if (d <= reach) {
                const bool other_commune =
                    std::floor(x / 100) != std::floor(at[static_cast<std::size_t>(h)] / 100);
                item.candidates.push_back({static_cast<std::uint32_t>(h),
                                           std::llround(d * 10) + (other_commune ? 500 : 0)});
            }
        }
        item.fallback_weight = std::uniform_int_distribution<>(1, max_weight)(rng);
        p.items.push_back(std::move(item));
    }
    return p;
}

/// The result keeps to the capacities and candidates, and costs what it says.
void expect_feasible(const AssignmentProblem& p, const AssignmentResult& r) {
    ASSERT_EQ(r.party.size(), p.items.size());
    std::vector<std::int64_t> load(p.capacity.size(), 0);
    std::int64_t cost = 0;
    std::int64_t weight = 0;
    for (std::size_t i = 0; i < p.items.size(); ++i) {
        if (r.party[i] == assignment_fallback) {
            weight += p.items[i].fallback_weight;
            continue;
        }
        const auto& cs = p.items[i].candidates;
        const auto c = std::find_if(cs.begin(), cs.end(), [&](const auto& x) {
            return static_cast<std::int32_t>(x.party) == r.party[i];
        });
        ASSERT_NE(c, cs.end()) << "item " << i << " went to a party that is not its candidate";
        cost += c->cost;
        ++load[static_cast<std::size_t>(r.party[i])];
    }
    for (std::size_t h = 0; h < load.size(); ++h) {
        EXPECT_LE(load[h], p.capacity[h]) << "party " << h;
    }
    EXPECT_EQ(cost, r.total_cost);
    EXPECT_EQ(weight, r.fallback_weight);
}

} // namespace

TEST(MinCostAssignment, TwoItemsTwoPartiesEachTakesItsNearest) {
    AssignmentProblem p;
    p.capacity = {1, 1};
    p.items = {{{{0, 1}, {1, 10}}, 1}, {{{0, 10}, {1, 1}}, 1}};
    const auto r = solve_min_cost_assignment(p);
    EXPECT_EQ(r.party, (std::vector<std::int32_t>{0, 1}));
    EXPECT_EQ(r.total_cost, 2);
}

TEST(MinCostAssignment, CapacityMovesAnEarlierItemToItsSecondChoice) {
    // Item 0 comes first and takes party 0 (cost 1); item 1 needs party 0
    // more (its other choice costs 50): the optimum moves item 0 to party 1
    // (cost 2): 2 + 3 = 5, where the greedy order gives 1 + 50 = 51.
    AssignmentProblem p;
    p.capacity = {1, 1};
    p.items = {{{{0, 1}, {1, 2}}, 1}, {{{0, 3}, {1, 50}}, 1}};
    const auto r = solve_min_cost_assignment(p);
    EXPECT_EQ(r.party, (std::vector<std::int32_t>{1, 0}));
    EXPECT_EQ(r.total_cost, 5);
}

TEST(MinCostAssignment, NoCandidateOrNoCapacityFallsBack) {
    AssignmentProblem p;
    p.capacity = {1, 0};
    p.items = {{{}, 7}, {{{1, 1}}, 9}, {{{0, 2}}, 9}, {{{0, 1}}, 9}};
    const auto r = solve_min_cost_assignment(p);
    EXPECT_EQ(r.party, (std::vector<std::int32_t>{assignment_fallback, assignment_fallback,
                                                  assignment_fallback, 0}));
    EXPECT_EQ(r.fallback_weight, 7 + 9 + 9);
    EXPECT_EQ(r.total_cost, 1);
}

TEST(MinCostAssignment, AFallbackIsAvoidedWhateverTheRearrangementCosts) {
    // Party 0 may take either item (1 each), party 1 only the first, at a
    // cost of a million. Giving party 0 the second item and party 1 the first
    // leaves no item to the fallback: that comes before any cost.
    AssignmentProblem p;
    p.capacity = {1, 1};
    p.items = {{{{0, 1}, {1, 1'000'000}}, 1}, {{{0, 1}}, 1}};
    const auto r = solve_min_cost_assignment(p);
    EXPECT_EQ(r.party, (std::vector<std::int32_t>{1, 0}));
    EXPECT_EQ(r.fallback_weight, 0);
    EXPECT_EQ(r.total_cost, 1'000'001);
}

TEST(MinCostAssignment, RejectsNegativeCostsAndCapacities) {
    AssignmentProblem p;
    p.capacity = {-1};
    EXPECT_THROW(solve_min_cost_assignment(p), std::invalid_argument);
    p.capacity = {1};
    p.items = {{{{0, -3}}, 1}};
    EXPECT_THROW(solve_min_cost_assignment(p), std::invalid_argument);
    p.items = {{{{4, 3}}, 1}};
    EXPECT_THROW(solve_min_cost_assignment(p), std::invalid_argument);
    p.items = {{{{0, 3}, {0, 4}}, 1}};
    EXPECT_THROW(solve_min_cost_assignment(p), std::invalid_argument);
    p.items = {{{{0, 3}}, 0}};
    EXPECT_THROW(solve_min_cost_assignment(p), std::invalid_argument);
}

TEST(MinCostAssignment, MatchesBruteForceOnRandomSmallInstances) {
    std::mt19937 rng(20261128);
    for (int round = 0; round < 3000; ++round) {
        const AssignmentProblem p = random_problem(rng, 8, 6, 20); // small costs: many ties
        const auto r = solve_min_cost_assignment(p);
        expect_feasible(p, r);
        ASSERT_EQ(Total(r.fallback_weight, r.total_cost), brute_force(p)) << "round " << round;
        ASSERT_EQ(r.party, solve_min_cost_assignment(p).party) << "not deterministic";
    }
}

TEST(MinCostAssignment, MatchesBoostGraphOnRandomLargerInstances) {
    std::mt19937 rng(7);
    for (int round = 0; round < 200; ++round) {
        const AssignmentProblem p = random_problem(rng, 60, 30, 1000);
        const auto r = solve_min_cost_assignment(p);
        expect_feasible(p, r);
        ASSERT_EQ(r.fallback_weight * weight_scale + r.total_cost, boost_reference(p))
            << "round " << round;
    }
}

TEST(MinCostAssignment, MatchesBoostGraphWhereMostPartiesAreFull) {
    // Four times as many items as room, in large components: most parties
    // end full and most items go to the fallback, the national plan's shape
    // (pieces of gaps far outnumber the households with room).
    std::mt19937 rng(18);
    for (int round = 0; round < 3; ++round) {
        const AssignmentProblem p = border_like(rng, 800, 200, 2, 2, 1);
        std::int64_t room = 0;
        for (const std::int64_t c : p.capacity) {
            room += c;
        }
        ASSERT_LT(2 * room, 800) << "not the shape asked for";
        const auto r = solve_min_cost_assignment(p);
        expect_feasible(p, r);
        ASSERT_EQ(r.fallback_weight * weight_scale + r.total_cost, boost_reference(p))
            << "round " << round;
        ASSERT_EQ(r.party, solve_min_cost_assignment(p).party) << "not deterministic";
    }
}

TEST(MinCostAssignment, MatchesBoostGraphWhereThereIsRoomToSpare) {
    std::mt19937 rng(19);
    for (int round = 0; round < 3; ++round) {
        const AssignmentProblem p = border_like(rng, 300, 400, 2, 2, 1);
        const auto r = solve_min_cost_assignment(p);
        expect_feasible(p, r);
        ASSERT_EQ(r.fallback_weight * weight_scale + r.total_cost, boost_reference(p))
            << "round " << round;
    }
}

TEST(MinCostAssignment, MatchesBoostGraphOnManyComponentsOfBothShapes) {
    // Twenty clusters of random sizes, fallback weights 1 to 3 (a marker's
    // first custodian seat weighs more than its others): components with
    // more items than room and with more room than items side by side.
    std::mt19937 rng(20);
    for (int round = 0; round < 4; ++round) {
        const int items = std::uniform_int_distribution<>(200, 1000)(rng);
        const int parties = std::uniform_int_distribution<>(100, 600)(rng);
        const AssignmentProblem p = border_like(rng, items, parties, 20, 2, 3);
        const auto r = solve_min_cost_assignment(p);
        expect_feasible(p, r);
        ASSERT_EQ(r.fallback_weight * weight_scale + r.total_cost, boost_reference(p))
            << "round " << round;
    }
}
