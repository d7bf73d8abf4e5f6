#include "bordercov/review.hpp"

#include "detail/history.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace bordercov {

namespace {

/// The pieces of compute_renewals: the expiring rows, the border they leave
/// uncovered, and the totals.
class RenewalsBuilder {
  public:
    RenewalsBuilder(const Workspace& ws, const Plan& plan, const HistorySweep& history,
                    const ReviewScope& scope, Date as_of, Date until)
        : ws_(ws), plan_(plan), history_(history), scope_(scope),
          team_of_(detail::team_of_parties(ws, plan)) {
        out_.as_of = as_of;
        out_.until = until;
    }

    Renewals build() {
        expiring_commitments();
        border_at_risk();
        expiring_custodies();
        std::stable_sort(out_.items.begin(), out_.items.end(),
                         [](const Renewal& a, const Renewal& b) {
                             if (a.marker != b.marker) {
                                 return !a.marker; // stretches first, then markers
                             }
                             if (a.at_risk != b.at_risk) {
                                 return a.at_risk > b.at_risk;
                             }
                             return a.expires < b.expires;
                         });
        for (auto& [c, totals] : communes_) {
            out_.communes.emplace_back(c, totals);
        }
        for (auto& [t, totals] : teams_) {
            out_.teams.emplace_back(static_cast<std::uint32_t>(t), totals);
        }
        return std::move(out_);
    }

  private:
    /// Active on the as-of date, no longer on the window's last day.
    bool expiring(const std::optional<Date>& signed_on, const std::optional<Date>& expires) const {
        return is_active(signed_on, expires, out_.as_of) && expires && *expires <= out_.until;
    }

    void expiring_commitments() {
        item_of_.assign(plan_.all_commitments.size(), -1);
        for (std::uint32_t c = 0; c < plan_.all_commitments.size(); ++c) {
            const Assignment& a = ws_.assignments[plan_.all_commitments[c].assignment];
            if (expiring(a.signed_on, a.expires)) {
                item_of_[c] = static_cast<int>(pending_.size());
                pending_.push_back({false, c, plan_.all_commitments[c].party, *a.expires, 0.0});
                km_in_commune_.emplace_back();
            }
        }
    }

    /// Every segment covered now and by no one at the end of the window: its
    /// km count against each expiring commitment that holds it now, its
    /// commune and the teams holding it now.
    void border_at_risk() {
        std::vector<char> seen(pending_.size(), 0);
        const HistorySweep::Segment* previous = nullptr;
        for (const HistorySweep::Segment& s : history_.segments()) {
            const double km = s.stretch.length_km();
            for (std::uint32_t i = s.first; i < s.first + s.count; ++i) {
                const std::uint32_t c = history_.holders()[i];
                if (item_of_[c] >= 0) {
                    seen[static_cast<std::size_t>(item_of_[c])] = 1;
                    km_in_commune_[static_cast<std::size_t>(item_of_[c])][s.commune] += km;
                }
            }
            const bool at_risk =
                history_.covered(s, out_.as_of) && !history_.covered(s, out_.until);
            if (!at_risk) {
                previous = nullptr;
                continue;
            }
            Date first_expiry = out_.until;
            for (std::uint32_t i = s.first; i < s.first + s.count; ++i) {
                const std::uint32_t c = history_.holders()[i];
                if (item_of_[c] >= 0 && history_.active(c, out_.as_of)) {
                    Renewal& r = pending_[static_cast<std::size_t>(item_of_[c])];
                    r.at_risk += km;
                    first_expiry = std::min(first_expiry, r.expires);
                }
            }
            std::vector<std::uint32_t> now = history_.owners(s, out_.as_of);
            communes_[s.commune].km_at_risk += km;
            out_.total.km_at_risk += km;
            for (const int t : detail::teams_of(now, team_of_)) {
                teams_[t].km_at_risk += km;
            }
            auto& stretches = out_.stretches;
            if (previous && HistorySweep::adjacent(*previous, s) &&
                stretches.back().commune == s.commune && stretches.back().parties == now) {
                stretches.back().stretch.to_km = s.stretch.to_km;
                stretches.back().first_expiry =
                    std::min(stretches.back().first_expiry, first_expiry);
            } else {
                stretches.push_back({s.stretch, s.commune, std::move(now), first_expiry});
            }
            previous = &s;
        }
        // A commitment counts where most of it lies in scope; one wholly
        // outside the scope is not listed.
        for (std::size_t i = 0; i < pending_.size(); ++i) {
            if (!seen[i]) {
                continue;
            }
            const auto& km = km_in_commune_[i];
            const int commune =
                std::max_element(km.begin(), km.end(), [](const auto& a, const auto& b) {
                    return a.second < b.second;
                })->first;
            count(commune, pending_[i].party, &RenewalTotals::assignments);
            out_.items.push_back(pending_[i]);
        }
    }

    void expiring_custodies() {
        const detail::MarkerDays custody(ws_, plan_);
        for (std::uint32_t k = 0; k < plan_.all_custodies.size(); ++k) {
            const Custody& c = plan_.all_custodies[k];
            const MarkerCustodian& row = ws_.custodians[c.custodian];
            const LocatedMarker& at = plan_.markers[c.marker];
            if (at.line < 0 || !expiring(row.signed_on, row.expires)) {
                continue;
            }
            const int commune =
                history_.commune_at(static_cast<std::uint32_t>(at.line), at.chainage_km);
            if (!scope_(commune)) {
                continue;
            }
            const bool left_alone = custody.custodians(c.marker, out_.until).empty();
            out_.items.push_back({true, k, c.party, *row.expires, left_alone ? 1.0 : 0.0});
            count(commune, c.party, &RenewalTotals::custodies);
            if (left_alone && at_risk_markers_.insert(c.marker).second) {
                ++communes_[commune].markers_at_risk;
                ++out_.total.markers_at_risk;
                for (const int t : detail::teams_of({c.party}, team_of_)) {
                    ++teams_[t].markers_at_risk;
                }
            }
        }
    }

    void count(int commune, std::uint32_t party, std::size_t RenewalTotals::*field) {
        ++(communes_[commune].*field);
        ++(out_.total.*field);
        if (team_of_[party] >= 0) {
            ++(teams_[team_of_[party]].*field);
        }
    }

    const Workspace& ws_;
    const Plan& plan_;
    const HistorySweep& history_;
    const ReviewScope& scope_;
    std::vector<int> team_of_;
    Renewals out_;
    std::vector<int> item_of_; ///< per commitment, its place in pending_ (-1: not expiring)
    std::vector<Renewal> pending_;
    std::vector<std::map<int, double>> km_in_commune_; ///< per pending commitment
    std::map<int, RenewalTotals> communes_;
    std::map<int, RenewalTotals> teams_;
    std::set<std::uint32_t> at_risk_markers_;
};

} // namespace

Renewals compute_renewals(const Workspace& ws, const Plan& plan, const HistorySweep& history,
                          const ReviewScope& scope, Date as_of, Date until) {
    return RenewalsBuilder(ws, plan, history, scope, as_of, until).build();
}

} // namespace bordercov
