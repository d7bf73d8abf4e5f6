// What the review, the timeline and the renewals share: the days a row
// holds, who is active on a day, a marker's custodians on a day, and the
// team each party counts for.
#pragma once

#include "bordercov/model.hpp"
#include "bordercov/resolve.hpp"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace bordercov::detail {

/// The days a row with these dates holds, [first, end): the rule of
/// is_active (date.hpp) as numbers.
inline std::pair<int, int> days_held(const std::optional<Date>& signed_on,
                                     const std::optional<Date>& expires) {
    return {signed_on ? signed_on->days() : INT_MIN, expires ? expires->days() : INT_MAX};
}

inline bool holds_on(const std::pair<int, int>& days, Date d) {
    return days.first <= d.days() && d.days() < days.second;
}

/// Whether a marker exists on a day: built on or before it, or no built date.
inline bool marker_exists(const Marker& m, Date d) {
    return !m.built || *m.built <= d;
}

/// Every party's days of holding a stretch or a marker.
class PartyDays {
  public:
    PartyDays(const Workspace& ws, const Plan& plan) : days_(plan.parties.size()) {
        for (const Commitment& c : plan.all_commitments) {
            const Assignment& a = ws.assignments[c.assignment];
            days_[c.party].push_back(days_held(a.signed_on, a.expires));
        }
        for (const Custody& c : plan.all_custodies) {
            const MarkerCustodian& m = ws.custodians[c.custodian];
            days_[c.party].push_back(days_held(m.signed_on, m.expires));
        }
    }
    /// The party holds a stretch or a marker on day d.
    bool active(std::uint32_t party, Date d) const {
        return std::any_of(days_[party].begin(), days_[party].end(),
                           [&](const auto& days) { return holds_on(days, d); });
    }

  private:
    std::vector<std::vector<std::pair<int, int>>> days_;
};

/// Every marker's custodies, to ask who holds it on a day.
class MarkerDays {
  public:
    MarkerDays(const Workspace& ws, const Plan& plan)
        : ws_(ws), plan_(plan), held_(ws.markers.size()) {
        for (const Custody& c : plan.all_custodies) {
            const MarkerCustodian& m = ws.custodians[c.custodian];
            held_[c.marker].push_back({c.party, days_held(m.signed_on, m.expires)});
        }
    }
    /// The distinct parties holding marker m on day d (none before it is
    /// built), sorted by party id.
    std::vector<std::uint32_t> custodians(std::uint32_t m, Date d) const {
        std::vector<std::uint32_t> out;
        if (!marker_exists(ws_.markers[m], d)) {
            return out;
        }
        for (const auto& [party, days] : held_[m]) {
            if (holds_on(days, d)) {
                out.push_back(party);
            }
        }
        std::sort(out.begin(), out.end(), [&](std::uint32_t x, std::uint32_t y) {
            return plan_.parties[x].party_id < plan_.parties[y].party_id;
        });
        out.erase(std::unique(out.begin(), out.end()), out.end());
        return out;
    }

  private:
    const Workspace& ws_;
    const Plan& plan_;
    std::vector<std::vector<std::pair<std::uint32_t, std::pair<int, int>>>> held_;
};

/// Per party, the team it counts for (index into Workspace::teams): a team
/// itself, a household its team_id's; -1 for none.
inline std::vector<int> team_of_parties(const Workspace& ws, const Plan& plan) {
    std::vector<int> team(plan.parties.size(), -1);
    for (std::uint32_t p = 0; p < plan.parties.size(); ++p) {
        const Party& party = plan.parties[p];
        if (party.type == PartyType::team) {
            team[p] = static_cast<int>(party.source);
        } else if (const auto t = plan.find_party(PartyType::team, party.team_id)) {
            team[p] = static_cast<int>(*t - ws.households.size());
        }
    }
    return team;
}

/// The distinct teams of some parties, sorted (no -1), into a buffer.
inline void teams_of(const std::vector<std::uint32_t>& parties, const std::vector<int>& team_of,
                     std::vector<int>& out) {
    out.clear();
    for (const std::uint32_t p : parties) {
        if (team_of[p] >= 0) {
            out.push_back(team_of[p]);
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
}

inline std::vector<int> teams_of(const std::vector<std::uint32_t>& parties,
                                 const std::vector<int>& team_of) {
    std::vector<int> out;
    teams_of(parties, team_of, out);
    return out;
}

} // namespace bordercov::detail
