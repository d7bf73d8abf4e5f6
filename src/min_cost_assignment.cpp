#include "bordercov/min_cost_assignment.hpp"

#include "detail/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <compare>
#include <functional>
#include <limits>
#include <numeric>
#include <queue>
#include <stdexcept>
#include <string>
#include <utility>

namespace bordercov {

namespace {

/// A cost: the weight of fallbacks first, then the candidates' cost.
struct Cost {
    std::int64_t weight = 0;
    std::int64_t value = 0;
    friend Cost operator+(Cost a, Cost b) { return {a.weight + b.weight, a.value + b.value}; }
    friend Cost operator-(Cost a, Cost b) { return {a.weight - b.weight, a.value - b.value}; }
    friend auto operator<=>(const Cost&, const Cost&) = default;
};

constexpr Cost unreached{std::numeric_limits<std::int64_t>::max(),
                         std::numeric_limits<std::int64_t>::max()};
constexpr Cost zero{};

/// The items and parties that can reach one another through candidates
/// (parties with a capacity only), numbered from 0: each is solved on its
/// own. Items with no such candidate are in no component.
struct Components {
    static constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
    std::vector<std::uint32_t> of_node; ///< items [0, I), then parties [I, I + P)
    std::vector<std::vector<std::uint32_t>> items, parties; ///< per component, ascending
};

std::uint32_t find_root(std::vector<std::uint32_t>& parent, std::uint32_t v) {
    while (parent[v] != v) {
        parent[v] = parent[parent[v]];
        v = parent[v];
    }
    return v;
}

Components find_components(const AssignmentProblem& p) {
    const auto items = static_cast<std::uint32_t>(p.items.size());
    const auto nodes = items + static_cast<std::uint32_t>(p.capacity.size());
    std::vector<std::uint32_t> parent(nodes);
    std::iota(parent.begin(), parent.end(), 0u);
    std::vector<bool> linked(nodes, false);
    for (std::uint32_t i = 0; i < items; ++i) {
        for (const auto& c : p.items[i].candidates) {
            if (p.capacity[c.party] > 0) {
                const std::uint32_t a = find_root(parent, i),
                                    b = find_root(parent, items + c.party);
                parent[std::max(a, b)] = std::min(a, b);
                linked[i] = linked[items + c.party] = true;
            }
        }
    }
    Components out;
    out.of_node.assign(nodes, Components::none);
    std::vector<std::uint32_t> number(nodes, Components::none);
    for (std::uint32_t v = 0; v < nodes; ++v) {
        if (!linked[v]) {
            continue;
        }
        const std::uint32_t root = find_root(parent, v);
        if (number[root] == Components::none) {
            number[root] = static_cast<std::uint32_t>(out.items.size());
            out.items.emplace_back();
            out.parties.emplace_back();
        }
        out.of_node[v] = number[root];
        (v < items ? out.items : out.parties)[number[root]].push_back(v < items ? v : v - items);
    }
    return out;
}

/// The residual graph of the flow, its node potentials and the search
/// state. Nodes: items [0, I), parties [I, I + P), one sink per component.
///
/// A component is solved from one side, its "rows", each unit of a row
/// routed in turn along a shortest augmenting path to the sink:
///  - items as rows (capacity to spare): an item goes to a candidate
///    party, cost (0, cost), or to the fallback, (weight, 0);
///  - parties as rows (items to spare): a unit of a party's capacity takes
///    an item, (K - weight, cost), or stays unused, (K, 0), with K the
///    largest fallback weight. Per unit K is paid either way, so the total
///    is the items' own less a constant, and both have the same optimum.
/// Searches end at the first free place on the other side, and where that
/// side is the larger, one is near: the search stays local.
class Network {
  public:
    Network(const AssignmentProblem& p, const Components& components)
        : p_(p), c_(components), items_(static_cast<std::uint32_t>(p.items.size())),
          parties_(static_cast<std::uint32_t>(p.capacity.size())),
          parties_route_(components.items.size(), false), party_of_(items_, assignment_fallback),
          cost_of_(items_), held_(parties_),
          potential_(items_ + parties_ + components.items.size()),
          dist_(potential_.size(), unreached), pred_(potential_.size(), 0),
          pred_cost_(potential_.size()), done_(potential_.size(), 0) {
        for (const auto& item : p.items) {
            unit_weight_ = std::max(unit_weight_, item.fallback_weight);
        }
        for (std::size_t k = 0; k < c_.items.size(); ++k) {
            std::int64_t capacity = 0;
            for (const std::uint32_t party : c_.parties[k]) {
                capacity += p.capacity[party];
            }
            parties_route_[k] = capacity < static_cast<std::int64_t>(c_.items[k].size());
        }
        index_parties();
    }

    /// Solves every component, the largest first, over a few threads.
    AssignmentResult solve() {
        std::vector<std::uint32_t> order(c_.items.size());
        std::iota(order.begin(), order.end(), 0u);
        std::size_t nodes = 0;
        const auto size = [&](std::uint32_t k) {
            return c_.items[k].size() + c_.parties[k].size();
        };
        for (const std::uint32_t k : order) {
            nodes += size(k);
        }
        std::stable_sort(order.begin(), order.end(),
                         [&](std::uint32_t a, std::uint32_t b) { return size(a) > size(b); });
        std::atomic<std::size_t> next{0};
        detail::parallel_workers(detail::worker_count(nodes, 20'000), [&](std::size_t) {
            Search search;
            for (std::size_t k = next++; k < order.size(); k = next++) {
                solve_component(order[k], search);
            }
        });
        AssignmentResult r;
        r.party = party_of_;
        for (std::uint32_t i = 0; i < items_; ++i) {
            if (party_of_[i] == assignment_fallback) {
                r.fallback_weight += p_.items[i].fallback_weight;
            } else {
                r.total_cost += cost_of_[i].value;
            }
        }
        return r;
    }

  private:
    /// Per thread: what one shortest-path search touched.
    struct Search {
        std::vector<std::uint32_t> touched, finalized;
        using Entry = std::pair<Cost, std::uint32_t>;
        std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
    };

    bool is_item(std::uint32_t node) const { return node < items_; }
    std::uint32_t party_node(std::uint32_t party) const { return items_ + party; }
    std::uint32_t sink(std::uint32_t component) const { return items_ + parties_ + component; }
    bool is_row(std::uint32_t node, std::uint32_t component) const {
        return is_item(node) != parties_route_[component];
    }
    Cost party_row_cost(std::uint32_t item, std::int64_t value) const {
        return {unit_weight_ - p_.items[item].fallback_weight, value};
    }
    Cost fallback(std::uint32_t row, std::uint32_t component) const {
        return parties_route_[component] ? Cost{unit_weight_, 0}
                                         : Cost{p_.items[row].fallback_weight, 0};
    }

    /// For components solved from the parties: each party's items, as CSR.
    void index_parties() {
        by_party_offset_.assign(parties_ + 1, 0);
        const auto routed = [&](std::uint32_t party) {
            return p_.capacity[party] > 0 && parties_route_[c_.of_node[party_node(party)]];
        };
        for (const auto& item : p_.items) {
            for (const auto& c : item.candidates) {
                by_party_offset_[c.party + 1] += routed(c.party);
            }
        }
        std::partial_sum(by_party_offset_.begin(), by_party_offset_.end(),
                         by_party_offset_.begin());
        by_party_.resize(by_party_offset_.back());
        std::vector<std::size_t> fill(by_party_offset_.begin(), by_party_offset_.end() - 1);
        for (std::uint32_t i = 0; i < items_; ++i) {
            const auto& candidates = p_.items[i].candidates;
            for (std::uint32_t k = 0; k < candidates.size(); ++k) {
                if (routed(candidates[k].party)) {
                    by_party_[fill[candidates[k].party]++] = {i, k};
                }
            }
        }
    }

    void solve_component(std::uint32_t component, Search& search) {
        if (!parties_route_[component]) {
            for (const std::uint32_t item : c_.items[component]) {
                start_row(item, component);
                route(item, component, search);
            }
            return;
        }
        for (const std::uint32_t party : c_.parties[component]) {
            start_row(party_node(party), component);
            // A party takes at most one of each of its items: more units would stay unused.
            const auto items =
                static_cast<std::int64_t>(by_party_offset_[party + 1] - by_party_offset_[party]);
            for (std::int64_t unit = 0; unit < std::min(p_.capacity[party], items); ++unit) {
                route(party_node(party), component, search);
            }
        }
    }

    /// A potential for a new row that keeps the reduced cost of its edges 0
    /// or more.
    void start_row(std::uint32_t row, std::uint32_t component) {
        Cost pi = potential_[sink(component)] - fallback(row, component);
        for_each_row_edge(
            row, [&](std::uint32_t to, Cost cost) { pi = std::max(pi, potential_[to] - cost); });
        potential_[row] = pi;
    }

    /// Calls f(column node, cost) for every edge of a row.
    template <class F> void for_each_row_edge(std::uint32_t row, const F& f) const {
        if (is_item(row)) {
            for (const auto& c : p_.items[row].candidates) {
                if (p_.capacity[c.party] > 0) {
                    f(party_node(c.party), Cost{0, c.cost});
                }
            }
            return;
        }
        const std::uint32_t party = row - items_;
        for (std::size_t e = by_party_offset_[party]; e < by_party_offset_[party + 1]; ++e) {
            const auto [item, k] = by_party_[e];
            f(item, party_row_cost(item, p_.items[item].candidates[k].cost));
        }
    }

    /// Routes one unit of a row along a shortest augmenting path to the sink.
    void route(std::uint32_t row, std::uint32_t component, Search& search) {
        if (!short_path(row, component)) {
            shortest_path(row, component, search);
        }
        augment(row, component);
    }

    /// Whether column col (a node) has room: an edge to the sink.
    bool has_room(std::uint32_t col) const {
        return is_item(col) ? party_of_[col] == assignment_fallback
                            : static_cast<std::int64_t>(held_[col - items_].size()) <
                                  p_.capacity[col - items_];
    }

    /// The shortest path found without a search, when it is one edge to a
    /// column with room (then the sink) or the fallback, no longer than the
    /// shortest first edge of all: every other path is at least that long
    /// (reduced costs are 0 or more). Then only the row's own potential
    /// moves, as the search would move it. Most units of the plentiful-
    /// sided routing end here.
    bool short_path(std::uint32_t row, std::uint32_t component) {
        const std::uint32_t t = sink(component);
        Cost first = unreached; // shortest first edge
        Cost best = fallback(row, component) + potential_[row] - potential_[t]; // via fallback
        std::uint32_t via = t;
        Cost via_cost{};
        for_each_row_edge(row, [&](std::uint32_t col, Cost cost) {
            const bool held = is_item(row)
                                  ? party_of_[row] == static_cast<std::int32_t>(col - items_)
                                  : party_of_[col] == static_cast<std::int32_t>(row - items_);
            if (held) {
                return;
            }
            const Cost reduced = cost + potential_[row] - potential_[col];
            first = std::min(first, reduced);
            if (has_room(col)) {
                const Cost whole = reduced + (potential_[col] - potential_[t]);
                if (whole < best) {
                    best = whole;
                    via = col;
                    via_cost = cost;
                }
            }
        });
        if (best > first) {
            return false;
        }
        if (via == t) {
            pred_[t] = row;
            pred_cost_[t] = fallback(row, component);
        } else {
            pred_[t] = via;
            pred_cost_[t] = zero;
            pred_[via] = row;
            pred_cost_[via] = via_cost;
        }
        potential_[row] = potential_[row] - best;
        return true;
    }

    void relax(Search& s, std::uint32_t from, std::uint32_t to, Cost cost) {
        const Cost reduced = cost + potential_[from] - potential_[to];
        if (reduced < zero) {
            throw std::logic_error("min-cost assignment: negative reduced cost (" +
                                   std::to_string(reduced.weight) + ", " +
                                   std::to_string(reduced.value) + ")");
        }
        const Cost d = dist_[from] + reduced;
        if (d < dist_[to]) {
            if (dist_[to] == unreached) {
                s.touched.push_back(to);
            }
            dist_[to] = d;
            pred_[to] = from;
            pred_cost_[to] = cost;
            s.queue.emplace(d, to);
        }
    }

    /// The residual edges out of a node, relaxed.
    void expand(Search& s, std::uint32_t u, std::uint32_t component) {
        const std::uint32_t t = sink(component);
        if (is_row(u, component)) {
            // A row: to a candidate it does not hold already, or to the fallback.
            const auto holds = [&](std::uint32_t col) {
                return is_item(u) ? party_of_[u] == static_cast<std::int32_t>(col - items_)
                                  : party_of_[col] == static_cast<std::int32_t>(u - items_);
            };
            for_each_row_edge(u, [&](std::uint32_t col, Cost cost) {
                if (!holds(col)) {
                    relax(s, u, col, cost);
                }
            });
            relax(s, u, t, fallback(u, component));
        } else if (!is_item(u)) {
            // A party as a column: to the sink while it has room; back
            // along each item it holds (the item leaves it).
            const std::uint32_t party = u - items_;
            if (static_cast<std::int64_t>(held_[party].size()) < p_.capacity[party]) {
                relax(s, u, t, zero);
            }
            for (const std::uint32_t other : held_[party]) {
                relax(s, u, other, zero - cost_of_[other]);
            }
        } else if (party_of_[u] == assignment_fallback) {
            relax(s, u, t, zero); // an item as a column, free
        } else {
            relax(s, u, party_node(static_cast<std::uint32_t>(party_of_[u])), zero - cost_of_[u]);
        }
    }

    void shortest_path(std::uint32_t source, std::uint32_t component, Search& s) {
        for (const std::uint32_t n : s.touched) {
            dist_[n] = unreached;
            done_[n] = 0;
        }
        s.touched.clear();
        s.finalized.clear();
        s.queue = {};
        const std::uint32_t t = sink(component);
        dist_[source] = zero;
        s.touched.push_back(source);
        s.queue.emplace(zero, source);
        while (!s.queue.empty()) {
            const auto [d, u] = s.queue.top();
            s.queue.pop();
            if (done_[u] || d != dist_[u]) {
                continue;
            }
            done_[u] = 1;
            s.finalized.push_back(u);
            if (u == t) {
                break;
            }
            expand(s, u, component);
        }
        if (!done_[t]) {
            throw std::logic_error("min-cost assignment: the sink is unreachable");
        }
        // New potentials: reduced costs stay 0 or more, those on the path 0.
        const Cost total = dist_[t];
        for (const std::uint32_t n : s.finalized) {
            potential_[n] = potential_[n] + (dist_[n] - total);
        }
    }

    /// Moves the unit along the path found, from the sink back to the row.
    void augment(std::uint32_t source, std::uint32_t component) {
        const std::uint32_t t = sink(component);
        std::uint32_t v = t;
        while (v != source) {
            const std::uint32_t u = pred_[v];
            if (v == t) {
                if (is_row(u, component) && is_item(u)) {
                    party_of_[u] = assignment_fallback; // else a party's unit stays unused
                    cost_of_[u] = pred_cost_[v];
                }
            } else if (is_row(u, component)) {
                // u takes v: whichever of the two is the item goes to the other.
                const std::uint32_t item = is_item(u) ? u : v;
                const std::uint32_t party = (is_item(u) ? v : u) - items_;
                party_of_[item] = static_cast<std::int32_t>(party);
                cost_of_[item] = pred_cost_[v];
                held_[party].push_back(item);
            } else {
                // u gives up v: the item leaves the party.
                const std::uint32_t item = is_item(u) ? u : v;
                auto& held = held_[(is_item(u) ? v : u) - items_];
                held.erase(std::find(held.begin(), held.end(), item));
                if (!is_row(item, component)) {
                    party_of_[item] = assignment_fallback; // unless an earlier edge takes it
                }
            }
            v = u;
        }
    }

    const AssignmentProblem& p_;
    const Components& c_;
    std::uint32_t items_, parties_;
    std::int64_t unit_weight_ = 1;
    std::vector<bool> parties_route_; ///< per component: solved from the parties
    std::vector<std::size_t> by_party_offset_;
    /// Per edge: the item and where the party stands in its candidates.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> by_party_;
    std::vector<std::int32_t> party_of_;
    std::vector<Cost> cost_of_; ///< per item: the cost of the edge it is on
    std::vector<std::vector<std::uint32_t>> held_;
    std::vector<Cost> potential_;
    std::vector<Cost> dist_;
    std::vector<std::uint32_t> pred_;
    std::vector<Cost> pred_cost_;
    std::vector<char> done_; ///< char, not bool: threads write neighbouring nodes
};

void validate(const AssignmentProblem& p) {
    for (const std::int64_t c : p.capacity) {
        if (c < 0) {
            throw std::invalid_argument("min-cost assignment: a negative capacity");
        }
    }
    for (const auto& item : p.items) {
        if (item.fallback_weight < 1) {
            throw std::invalid_argument("min-cost assignment: a fallback weight below 1");
        }
        std::vector<std::uint32_t> parties;
        for (const auto& c : item.candidates) {
            if (c.cost < 0 || c.party >= p.capacity.size()) {
                throw std::invalid_argument(
                    "min-cost assignment: a negative cost or unknown party");
            }
            parties.push_back(c.party);
        }
        std::sort(parties.begin(), parties.end());
        if (std::adjacent_find(parties.begin(), parties.end()) != parties.end()) {
            throw std::invalid_argument("min-cost assignment: a party listed twice for one item");
        }
    }
}

} // namespace

AssignmentResult solve_min_cost_assignment(const AssignmentProblem& problem) {
    validate(problem);
    const Components components = find_components(problem);
    return Network(problem, components).solve();
}

} // namespace bordercov
