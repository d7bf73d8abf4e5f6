#include "bordercov/min_cost_assignment.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <queue>
#include <stdexcept>
#include <string>
#include <utility>

namespace bordercov {

namespace {

constexpr std::int64_t unreached = std::numeric_limits<std::int64_t>::max();
constexpr std::int32_t not_added = -2;

/// The residual graph of the flow and its node potentials. Nodes: items
/// [0, I), parties [I, I + H), the sink I + H.
class Solver {
public:
    explicit Solver(const AssignmentProblem& p)
        : p_(p), items_(static_cast<std::uint32_t>(p.items.size())),
          parties_(static_cast<std::uint32_t>(p.capacity.size())), sink_(items_ + parties_),
          party_of_(items_, not_added), cost_of_(items_, 0), held_(parties_),
          potential_(sink_ + 1, 0), dist_(sink_ + 1, unreached), pred_(sink_ + 1, 0),
          pred_cost_(sink_ + 1, 0), done_(sink_ + 1, false) {}

    AssignmentResult solve() {
        for (std::uint32_t item = 0; item < items_; ++item) {
            add(item);
        }
        AssignmentResult r;
        r.party = party_of_;
        for (const std::int64_t c : cost_of_) {
            r.total_cost += c;
        }
        return r;
    }

private:
    bool is_item(std::uint32_t node) const { return node < items_; }
    std::uint32_t party_node(std::uint32_t party) const { return items_ + party; }

    /// Routes a new item along a shortest augmenting path to the sink.
    void add(std::uint32_t item) {
        // A potential that keeps the reduced cost of its edges 0 or more.
        std::int64_t pi = potential_[sink_] - p_.items[item].fallback_cost;
        for (const auto& c : p_.items[item].candidates) {
            pi = std::max(pi, potential_[party_node(c.party)] - c.cost);
        }
        potential_[item] = pi;

        shortest_path(item);
        augment(item);
    }

    void relax(std::uint32_t from, std::uint32_t to, std::int64_t cost) {
        const std::int64_t reduced = cost + potential_[from] - potential_[to];
        if (reduced < 0) {
            throw std::logic_error("min-cost assignment: negative reduced cost (" + std::to_string(reduced) + ")");
        }
        const std::int64_t d = dist_[from] + reduced;
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
        dist_[source] = 0;
        touched_.push_back(source);
        queue_.emplace(0, source);
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
                        relax(u, party_node(c.party), c.cost);
                    }
                }
                if (party_of_[u] != assignment_fallback) {
                    relax(u, sink_, item.fallback_cost);
                }
            } else {
                const std::uint32_t party = u - items_;
                if (static_cast<std::int64_t>(held_[party].size()) < p_.capacity[party]) {
                    relax(u, sink_, 0);
                }
                for (const std::uint32_t other : held_[party]) {
                    relax(u, other, -cost_of_[other]); // the item leaves the party
                }
            }
        }
        if (!done_[sink_]) {
            throw std::logic_error("min-cost assignment: the sink is unreachable");
        }
        // New potentials: reduced costs stay 0 or more, those on the path 0.
        const std::int64_t total = dist_[sink_];
        for (const std::uint32_t n : finalized_) {
            potential_[n] += dist_[n] - total;
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
    std::vector<std::int64_t> cost_of_;
    std::vector<std::vector<std::uint32_t>> held_;
    std::vector<std::int64_t> potential_;
    std::vector<std::int64_t> dist_;
    std::vector<std::uint32_t> pred_;
    std::vector<std::int64_t> pred_cost_;
    std::vector<bool> done_;
    std::vector<std::uint32_t> touched_, finalized_;
    using Entry = std::pair<std::int64_t, std::uint32_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue_;
};

void validate(const AssignmentProblem& p) {
    for (const std::int64_t c : p.capacity) {
        if (c < 0) {
            throw std::invalid_argument("min-cost assignment: a negative capacity");
        }
    }
    for (const auto& item : p.items) {
        if (item.fallback_cost < 0) {
            throw std::invalid_argument("min-cost assignment: a negative fallback cost");
        }
        for (const auto& c : item.candidates) {
            if (c.cost < 0 || c.party >= p.capacity.size()) {
                throw std::invalid_argument("min-cost assignment: a negative cost or unknown party");
            }
        }
    }
}

} // namespace

AssignmentResult solve_min_cost_assignment(const AssignmentProblem& problem) {
    validate(problem);
    return Solver(problem).solve();
}

} // namespace bordercov
