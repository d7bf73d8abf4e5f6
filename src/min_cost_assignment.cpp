#include "bordercov/min_cost_assignment.hpp"

#include <algorithm>
#include <compare>
#include <functional>
#include <limits>
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
constexpr std::int32_t not_added = -2;

Cost candidate_cost(std::int64_t value) {
    return {0, value};
}
Cost fallback_cost(std::int64_t weight) {
    return {weight, 0};
}

/// The residual graph of the flow and its node potentials. Nodes: items
/// [0, I), parties [I, I + H), the sink I + H.
class Solver {
  public:
    explicit Solver(const AssignmentProblem& p)
        : p_(p), items_(static_cast<std::uint32_t>(p.items.size())),
          parties_(static_cast<std::uint32_t>(p.capacity.size())), sink_(items_ + parties_),
          party_of_(items_, not_added), cost_of_(items_), held_(parties_), potential_(sink_ + 1),
          dist_(sink_ + 1, unreached), pred_(sink_ + 1, 0), pred_cost_(sink_ + 1),
          done_(sink_ + 1, false) {}

    AssignmentResult solve() {
        for (std::uint32_t item = 0; item < items_; ++item) {
            add(item);
        }
        AssignmentResult r;
        r.party = party_of_;
        for (const Cost& c : cost_of_) {
            r.fallback_weight += c.weight;
            r.total_cost += c.value;
        }
        return r;
    }

  private:
    bool is_item(std::uint32_t node) const { return node < items_; }
    std::uint32_t party_node(std::uint32_t party) const { return items_ + party; }

    /// Routes a new item along a shortest augmenting path to the sink.
    void add(std::uint32_t item) {
        // A potential that keeps the reduced cost of its edges 0 or more.
        Cost pi = potential_[sink_] - fallback_cost(p_.items[item].fallback_weight);
        for (const auto& c : p_.items[item].candidates) {
            pi = std::max(pi, potential_[party_node(c.party)] - candidate_cost(c.cost));
        }
        potential_[item] = pi;

        shortest_path(item);
        augment(item);
    }

    void relax(std::uint32_t from, std::uint32_t to, Cost cost) {
        const Cost reduced = cost + potential_[from] - potential_[to];
        if (reduced < zero) {
            throw std::logic_error("min-cost assignment: negative reduced cost (" +
                                   std::to_string(reduced.weight) + ", " +
                                   std::to_string(reduced.value) + ")");
        }
        const Cost d = dist_[from] + reduced;
        if (d < dist_[to]) {
            if (dist_[to] == unreached) {
                touched_.push_back(to);
            }
            dist_[to] = d;
            pred_[to] = from;
            pred_cost_[to] = cost;
            queue_.emplace(d, to);
        }
    }

    void shortest_path(std::uint32_t source) {
        for (const std::uint32_t n : touched_) {
            dist_[n] = unreached;
            done_[n] = false;
        }
        touched_.clear();
        finalized_.clear();
        queue_ = {};
        dist_[source] = zero;
        touched_.push_back(source);
        queue_.emplace(zero, source);
        while (!queue_.empty()) {
            const auto [d, u] = queue_.top();
            queue_.pop();
            if (done_[u] || d != dist_[u]) {
                continue;
            }
            done_[u] = true;
            finalized_.push_back(u);
            if (u == sink_) {
                break;
            }
            if (is_item(u)) {
                const auto& item = p_.items[u];
                for (const auto& c : item.candidates) {
                    if (party_of_[u] != static_cast<std::int32_t>(c.party)) {
                        relax(u, party_node(c.party), candidate_cost(c.cost));
                    }
                }
                if (party_of_[u] != assignment_fallback) {
                    relax(u, sink_, fallback_cost(item.fallback_weight));
                }
            } else {
                const std::uint32_t party = u - items_;
                if (static_cast<std::int64_t>(held_[party].size()) < p_.capacity[party]) {
                    relax(u, sink_, zero);
                }
                for (const std::uint32_t other : held_[party]) {
                    relax(u, other, zero - cost_of_[other]); // the item leaves the party
                }
            }
        }
        if (!done_[sink_]) {
            throw std::logic_error("min-cost assignment: the sink is unreachable");
        }
        // New potentials: reduced costs stay 0 or more, those on the path 0.
        const Cost total = dist_[sink_];
        for (const std::uint32_t n : finalized_) {
            potential_[n] = potential_[n] + (dist_[n] - total);
        }
    }

    void augment(std::uint32_t source) {
        std::uint32_t v = sink_;
        while (v != source) {
            const std::uint32_t u = pred_[v];
            if (is_item(u) && v == sink_) {
                party_of_[u] = assignment_fallback;
                cost_of_[u] = pred_cost_[v];
            } else if (is_item(u)) {
                const std::uint32_t party = v - items_;
                party_of_[u] = static_cast<std::int32_t>(party);
                cost_of_[u] = pred_cost_[v];
                held_[party].push_back(u);
            } else if (v != sink_) {
                auto& held = held_[u - items_];
                held.erase(std::find(held.begin(), held.end(), v));
            }
            v = u;
        }
    }

    const AssignmentProblem& p_;
    std::uint32_t items_, parties_, sink_;
    std::vector<std::int32_t> party_of_;
    std::vector<Cost> cost_of_;
    std::vector<std::vector<std::uint32_t>> held_;
    std::vector<Cost> potential_;
    std::vector<Cost> dist_;
    std::vector<std::uint32_t> pred_;
    std::vector<Cost> pred_cost_;
    std::vector<bool> done_;
    std::vector<std::uint32_t> touched_, finalized_;
    using Entry = std::pair<Cost, std::uint32_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue_;
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
    return Solver(problem).solve();
}

} // namespace bordercov
