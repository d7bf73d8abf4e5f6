#include "bordercov/review.hpp"

#include "detail/history.hpp"

#include <algorithm>
#include <iterator>
#include <map>

namespace bordercov {

const char* to_string(ChangeStatus s) {
    switch (s) {
    case ChangeStatus::kept:
        return "kept";
    case ChangeStatus::handed_over:
        return "handed_over";
    case ChangeStatus::lost:
        return "lost";
    case ChangeStatus::gained:
        return "gained";
    case ChangeStatus::uncovered:
        break;
    }
    return "uncovered";
}

const char* to_string(MarkerChangeStatus s) {
    switch (s) {
    case MarkerChangeStatus::gained:
        return "gained";
    case MarkerChangeStatus::lost:
        return "lost";
    case MarkerChangeStatus::changed_hands:
        return "changed_hands";
    case MarkerChangeStatus::custodians_changed:
        return "custodians_changed";
    case MarkerChangeStatus::built_unowned:
        break;
    }
    return "built_unowned";
}

std::vector<Date> period_ends(Date from, Date to, Period every) {
    std::vector<Date> out{from};
    for (int k = 1;; ++k) {
        const Date d = from.plus_months(every == Period::year ? 12 * k : k);
        if (!(d < to)) {
            break;
        }
        out.push_back(d);
    }
    if (from < to) {
        out.push_back(to);
    }
    return out;
}

namespace {

bool share_a_party(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
    return std::any_of(a.begin(), a.end(), [&](std::uint32_t p) {
        return std::find(b.begin(), b.end(), p) != b.end();
    });
}

ChangeStatus status_of(const std::vector<std::uint32_t>& before,
                       const std::vector<std::uint32_t>& after) {
    if (before.empty()) {
        return after.empty() ? ChangeStatus::uncovered : ChangeStatus::gained;
    }
    if (after.empty()) {
        return ChangeStatus::lost;
    }
    return share_a_party(before, after) ? ChangeStatus::kept : ChangeStatus::handed_over;
}

void add_stretch(ReviewFigures& f, ChangeStatus status, double km, bool before, bool after) {
    f.border_km += km;
    f.covered_from_km += before ? km : 0;
    f.covered_to_km += after ? km : 0;
    switch (status) {
    case ChangeStatus::lost:
        f.lost_km += km;
        break;
    case ChangeStatus::gained:
        f.gained_km += km;
        break;
    case ChangeStatus::handed_over:
        f.handed_over_km += km;
        break;
    case ChangeStatus::uncovered:
        f.uncovered_both_km += km;
        break;
    case ChangeStatus::kept:
        break;
    }
}

void add_figures(ReviewFigures& into, const ReviewFigures& f) {
    into.border_km += f.border_km;
    into.covered_from_km += f.covered_from_km;
    into.covered_to_km += f.covered_to_km;
    into.lost_km += f.lost_km;
    into.gained_km += f.gained_km;
    into.handed_over_km += f.handed_over_km;
    into.uncovered_both_km += f.uncovered_both_km;
    into.markers_from += f.markers_from;
    into.markers_to += f.markers_to;
    into.custodied_from += f.custodied_from;
    into.custodied_to += f.custodied_to;
    into.households_from += f.households_from;
    into.households_to += f.households_to;
    into.households_joined += f.households_joined;
    into.households_left += f.households_left;
    into.teams_from += f.teams_from;
    into.teams_to += f.teams_to;
    into.teams_joined += f.teams_joined;
    into.teams_left += f.teams_left;
}

/// Counts one party or team active (or not) at the two dates.
void add_member(ReviewFigures& f, bool household, bool before, bool after) {
    std::size_t* counts[2][4] = {
        {&f.teams_from, &f.teams_to, &f.teams_joined, &f.teams_left},
        {&f.households_from, &f.households_to, &f.households_joined, &f.households_left}};
    std::size_t* const* c = counts[household ? 1 : 0];
    *c[0] += before ? 1 : 0;
    *c[1] += after ? 1 : 0;
    *c[2] += after && !before ? 1 : 0;
    *c[3] += before && !after ? 1 : 0;
}

/// The pieces of compute_review, one per kind of figure.
class ReviewBuilder {
  public:
    ReviewBuilder(const Workspace& ws, const Plan& plan, const HistorySweep& history,
                  const ReviewScope& scope, Date from, Date to)
        : ws_(ws), plan_(plan), history_(history), scope_(scope),
          team_of_(detail::team_of_parties(ws, plan)), teams_(ws.teams.size()),
          team_touched_(ws.teams.size(), 0) {
        review_.from = from;
        review_.to = to;
        review_.lines.resize(ws.lines.size());
        if (scope.communes) {
            for (const int c : *scope.communes) {
                communes_[c];
            }
        } else {
            for (std::size_t c = 0; c < ws.communes.size(); ++c) {
                communes_[static_cast<int>(c)];
            }
        }
    }

    Review build() {
        border();
        markers();
        members();
        per_line_members();
        collect();
        return std::move(review_);
    }

  private:
    /// The line at both dates, segment by segment, into the figures and the
    /// changes layer (consecutive segments alike merged).
    void border() {
        const HistorySweep::Segment* previous = nullptr;
        std::vector<std::uint32_t> before, after;
        std::vector<int> teams_before, teams_after, teams;
        for (const HistorySweep::Segment& s : history_.segments()) {
            history_.owners(s, review_.from, before);
            history_.owners(s, review_.to, after);
            const ChangeStatus status = status_of(before, after);
            const double km = s.stretch.length_km();
            const bool b = !before.empty(), a = !after.empty();
            add_stretch(review_.lines[s.stretch.line], status, km, b, a);
            add_stretch(communes_[s.commune], status, km, b, a);
            add_stretch(review_.total, status, km, b, a);
            detail::teams_of(before, team_of_, teams_before);
            detail::teams_of(after, team_of_, teams_after);
            teams.clear();
            std::set_union(teams_before.begin(), teams_before.end(), teams_after.begin(),
                           teams_after.end(), std::back_inserter(teams));
            for (const int t : teams) {
                const auto held = [&](const std::vector<int>& in) {
                    return std::binary_search(in.begin(), in.end(), t);
                };
                add_stretch(teams_[static_cast<std::size_t>(t)], status, km, held(teams_before),
                            held(teams_after));
                team_touched_[static_cast<std::size_t>(t)] = 1;
            }
            // The line is cut where the status or the commune changes; each
            // piece lists every party before and after along it.
            auto& changes = review_.changes;
            if (previous && HistorySweep::adjacent(*previous, s) && !changes.empty() &&
                changes.back().status == status && changes.back().commune == s.commune) {
                changes.back().stretch.to_km = s.stretch.to_km;
                changes.back().before.insert(changes.back().before.end(), before.begin(),
                                             before.end());
                changes.back().after.insert(changes.back().after.end(), after.begin(), after.end());
            } else {
                close_change();
                changes.push_back({s.stretch, s.commune, status, before, after});
            }
            previous = &s;
        }
        close_change();
    }

    /// The parties of the last change, each once, sorted by id.
    void close_change() {
        if (review_.changes.empty()) {
            return;
        }
        for (auto* parties : {&review_.changes.back().before, &review_.changes.back().after}) {
            std::sort(parties->begin(), parties->end(), [&](std::uint32_t x, std::uint32_t y) {
                return plan_.parties[x].party_id < plan_.parties[y].party_id;
            });
            parties->erase(std::unique(parties->begin(), parties->end()), parties->end());
        }
    }

    void markers() {
        const detail::MarkerDays custody(ws_, plan_);
        for (std::uint32_t m = 0; m < ws_.markers.size(); ++m) {
            const LocatedMarker& at = plan_.markers[m];
            if (at.line < 0) {
                continue;
            }
            const auto line = static_cast<std::uint32_t>(at.line);
            const int commune = history_.commune_at(line, at.chainage_km);
            if (!scope_(commune)) {
                continue;
            }
            const bool existed = detail::marker_exists(ws_.markers[m], review_.from);
            const bool exists = detail::marker_exists(ws_.markers[m], review_.to);
            const auto before = custody.custodians(m, review_.from);
            const auto after = custody.custodians(m, review_.to);
            for (ReviewFigures* f : {&review_.lines[line], &communes_[commune], &review_.total}) {
                f->markers_from += existed ? 1 : 0;
                f->markers_to += exists ? 1 : 0;
                f->custodied_from += before.empty() ? 0 : 1;
                f->custodied_to += after.empty() ? 0 : 1;
            }
            for (const auto& [parties, from_side] : {std::pair{&before, true}, {&after, false}}) {
                for (const int t : detail::teams_of(*parties, team_of_)) {
                    ReviewFigures& f = teams_[static_cast<std::size_t>(t)];
                    (from_side ? f.markers_from : f.markers_to)++;
                    (from_side ? f.custodied_from : f.custodied_to)++;
                    team_touched_[static_cast<std::size_t>(t)] = 1;
                }
            }
            if (const auto status = marker_change(before, after, existed, exists)) {
                review_.marker_changes.push_back({m, commune, *status, !existed, before, after});
            }
        }
        std::stable_sort(
            review_.marker_changes.begin(), review_.marker_changes.end(),
            [&](const MarkerChange& a, const MarkerChange& b) {
                const LocatedMarker &x = plan_.markers[a.marker], &y = plan_.markers[b.marker];
                return std::pair{x.line, x.chainage_km} < std::pair{y.line, y.chainage_km};
            });
    }

    static std::optional<MarkerChangeStatus> marker_change(const std::vector<std::uint32_t>& before,
                                                           const std::vector<std::uint32_t>& after,
                                                           bool existed, bool exists) {
        if (before == after) {
            return exists && !existed && after.empty()
                       ? std::optional{MarkerChangeStatus::built_unowned}
                       : std::nullopt;
        }
        if (before.empty()) {
            return MarkerChangeStatus::gained;
        }
        if (after.empty()) {
            return MarkerChangeStatus::lost;
        }
        return share_a_party(before, after) ? MarkerChangeStatus::custodians_changed
                                            : MarkerChangeStatus::changed_hands;
    }

    /// Households and teams active at each date, by their commune and team.
    void members() {
        const detail::PartyDays days(ws_, plan_);
        const std::size_t n_households = ws_.households.size();
        std::vector<char> team_before(ws_.teams.size(), 0), team_after(ws_.teams.size(), 0);
        for (std::uint32_t p = 0; p < plan_.parties.size(); ++p) {
            const bool b = days.active(p, review_.from), a = days.active(p, review_.to);
            if (const int t = team_of_[p]; t >= 0) {
                team_before[static_cast<std::size_t>(t)] |= b ? 1 : 0;
                team_after[static_cast<std::size_t>(t)] |= a ? 1 : 0;
            }
            if (p >= n_households) {
                continue;
            }
            const int c = plan_.find_commune_id(ws_.households[p].commune_id);
            if (!scope_(c)) {
                continue;
            }
            add_member(review_.total, true, b, a);
            if (const auto it = communes_.find(c); c >= 0 && it != communes_.end()) {
                add_member(it->second, true, b, a);
            }
            if (const int t = team_of_[p]; t >= 0) {
                add_member(teams_[static_cast<std::size_t>(t)], true, b, a);
            }
        }
        for (std::uint32_t t = 0; t < ws_.teams.size(); ++t) {
            const int c = plan_.find_commune_id(ws_.teams[t].commune_id);
            const bool b = team_before[t] != 0, a = team_after[t] != 0;
            add_member(teams_[t], false, b, a);
            if (!scope_(c)) {
                continue;
            }
            team_touched_[t] = 1;
            add_member(review_.total, false, b, a);
            if (const auto it = communes_.find(c); c >= 0 && it != communes_.end()) {
                add_member(it->second, false, b, a);
            }
        }
    }

    /// Per line, the households and teams holding something on it at each
    /// date (a stretch of it, or one of its markers).
    void per_line_members() {
        const std::size_t n_lines = ws_.lines.size();
        std::vector<std::vector<std::uint32_t>> on_line[2] = {
            std::vector<std::vector<std::uint32_t>>(n_lines),
            std::vector<std::vector<std::uint32_t>>(n_lines)};
        const auto in_scope = [&](std::uint32_t p) {
            return scope_(plan_.find_commune_id(plan_.parties[p].commune_id));
        };
        for (int side = 0; side < 2; ++side) {
            const Date d = side == 0 ? review_.from : review_.to;
            for (std::uint32_t c = 0; c < plan_.all_commitments.size(); ++c) {
                const Commitment& k = plan_.all_commitments[c];
                if (history_.active(c, d) && in_scope(k.party)) {
                    on_line[side][k.stretch.line].push_back(k.party);
                }
            }
            for (const Custody& k : plan_.all_custodies) {
                const MarkerCustodian& row = ws_.custodians[k.custodian];
                const int line = plan_.markers[k.marker].line;
                if (line >= 0 && is_active(row.signed_on, row.expires, d) &&
                    detail::marker_exists(ws_.markers[k.marker], d) && in_scope(k.party)) {
                    on_line[side][static_cast<std::size_t>(line)].push_back(k.party);
                }
            }
        }
        for (std::size_t l = 0; l < n_lines; ++l) {
            for (auto& side : on_line) {
                std::sort(side[l].begin(), side[l].end());
                side[l].erase(std::unique(side[l].begin(), side[l].end()), side[l].end());
            }
            const auto& before = on_line[0][l];
            const auto& after = on_line[1][l];
            std::vector<std::uint32_t> all = before;
            all.insert(all.end(), after.begin(), after.end());
            std::sort(all.begin(), all.end());
            all.erase(std::unique(all.begin(), all.end()), all.end());
            for (const std::uint32_t p : all) {
                if (plan_.parties[p].type == PartyType::household) {
                    add_member(review_.lines[l], true,
                               std::binary_search(before.begin(), before.end(), p),
                               std::binary_search(after.begin(), after.end(), p));
                }
            }
            const std::vector<int> teams_before = detail::teams_of(before, team_of_);
            const std::vector<int> teams_after = detail::teams_of(after, team_of_);
            std::vector<int> teams;
            std::set_union(teams_before.begin(), teams_before.end(), teams_after.begin(),
                           teams_after.end(), std::back_inserter(teams));
            for (const int t : teams) {
                add_member(review_.lines[l], false,
                           std::binary_search(teams_before.begin(), teams_before.end(), t),
                           std::binary_search(teams_after.begin(), teams_after.end(), t));
            }
        }
    }

    /// Communes (the "-" row only when some border or marker lies outside
    /// every commune), districts summed from them, teams in scope.
    void collect() {
        std::map<std::pair<std::string, std::string>, ReviewFigures> districts;
        for (auto& [c, f] : communes_) {
            if (c < 0 && f.border_km == 0 && f.markers_from == 0 && f.markers_to == 0) {
                continue;
            }
            const auto named = [&](const std::string Commune::*field) {
                return c < 0 || (ws_.communes[static_cast<std::size_t>(c)].*field).empty()
                           ? std::string("-")
                           : ws_.communes[static_cast<std::size_t>(c)].*field;
            };
            add_figures(districts[{named(&Commune::province), named(&Commune::district)}], f);
            review_.communes.emplace_back(c, f);
        }
        review_.districts.assign(districts.begin(), districts.end());
        for (std::uint32_t t = 0; t < ws_.teams.size(); ++t) {
            if (team_touched_[t]) {
                review_.teams.emplace_back(t, teams_[t]);
            }
        }
    }

    const Workspace& ws_;
    const Plan& plan_;
    const HistorySweep& history_;
    const ReviewScope& scope_;
    std::vector<int> team_of_;
    Review review_;
    std::map<int, ReviewFigures> communes_;
    std::vector<ReviewFigures> teams_;
    std::vector<char> team_touched_;
};

} // namespace

Review compute_review(const Workspace& ws, const Plan& plan, const HistorySweep& history,
                      const ReviewScope& scope, Date from, Date to) {
    return ReviewBuilder(ws, plan, history, scope, from, to).build();
}

namespace {

/// The gaps of one date of a timeline, found as compute_coverage finds them:
/// runs of uncovered segments that follow each other on a line, each counted
/// in the commune holding the largest share of it.
class GapRuns {
  public:
    template <class Count> void close(const Count& count) {
        if (km_.empty()) {
            return;
        }
        const auto largest =
            std::max_element(km_.begin(), km_.end(),
                             [](const auto& a, const auto& b) { return a.second < b.second; });
        count(largest->first);
        km_.clear();
    }
    void extend(int commune, double km) { km_[commune] += km; }
    bool open() const { return !km_.empty(); }

  private:
    std::map<int, double> km_;
};

} // namespace

namespace {

/// The pieces of compute_timeline: the border, the markers and the members
/// at every date.
class TimelineBuilder {
  public:
    TimelineBuilder(const Workspace& ws, const Plan& plan, const HistorySweep& history,
                    const ReviewScope& scope, const std::vector<Date>& dates)
        : ws_(ws), plan_(plan), history_(history), scope_(scope), n_(dates.size()) {
        tl_.dates = dates;
        tl_.total.resize(n_);
        for (std::size_t c = 0; c < ws.communes.size(); ++c) {
            if (scope(static_cast<int>(c))) {
                communes_[static_cast<int>(c)].resize(n_);
            }
        }
    }

    Timeline build() {
        border();
        markers();
        members();
        for (auto& [c, s] : communes_) {
            const bool empty = std::all_of(s.begin(), s.end(), [](const TimelineFigures& f) {
                return f.border_km == 0 && f.markers == 0;
            });
            if (c >= 0 || !empty) {
                tl_.communes.emplace_back(c, std::move(s));
            }
        }
        return std::move(tl_);
    }

  private:
    std::vector<TimelineFigures>& series(int c) {
        auto& s = communes_[c];
        s.resize(n_);
        return s;
    }

    /// Covered km and gaps at every date, in one pass over the segments.
    void border() {
        std::vector<GapRuns> runs(n_);
        const auto close_run = [&](std::size_t i) {
            runs[i].close([&](int c) {
                ++series(c)[i].gaps;
                ++tl_.total[i].gaps;
            });
        };
        const HistorySweep::Segment* previous = nullptr;
        for (const HistorySweep::Segment& s : history_.segments()) {
            const double km = s.stretch.length_km();
            std::vector<TimelineFigures>& in_commune = series(s.commune);
            const bool follows = previous && HistorySweep::adjacent(*previous, s);
            for (std::size_t i = 0; i < n_; ++i) {
                const bool covered = history_.covered(s, tl_.dates[i]);
                for (TimelineFigures* f : {&tl_.total[i], &in_commune[i]}) {
                    f->border_km += km;
                    f->covered_km += covered ? km : 0;
                }
                if (covered || !follows) {
                    close_run(i);
                }
                if (!covered) {
                    runs[i].extend(s.commune, km);
                }
            }
            previous = &s;
        }
        for (std::size_t i = 0; i < n_; ++i) {
            close_run(i);
        }
    }

    void markers() {
        const detail::MarkerDays custody(ws_, plan_);
        for (std::uint32_t m = 0; m < ws_.markers.size(); ++m) {
            const LocatedMarker& at = plan_.markers[m];
            if (at.line < 0) {
                continue;
            }
            const int c = history_.commune_at(static_cast<std::uint32_t>(at.line), at.chainage_km);
            if (!scope_(c)) {
                continue;
            }
            for (std::size_t i = 0; i < n_; ++i) {
                const bool exists = detail::marker_exists(ws_.markers[m], tl_.dates[i]);
                const bool held = !custody.custodians(m, tl_.dates[i]).empty();
                for (TimelineFigures* f : {&tl_.total[i], &series(c)[i]}) {
                    f->markers += exists ? 1 : 0;
                    f->markers_custodied += held ? 1 : 0;
                }
            }
        }
    }

    /// Households and teams active at every date, in their commune.
    void members() {
        const detail::PartyDays days(ws_, plan_);
        const std::vector<int> team_of = detail::team_of_parties(ws_, plan_);
        const auto count = [&](std::size_t i, const std::string& commune_id,
                               std::size_t TimelineFigures::*field) {
            const int c = plan_.find_commune_id(commune_id);
            if (!scope_(c)) {
                return;
            }
            ++(tl_.total[i].*field);
            if (const auto it = communes_.find(c); c >= 0 && it != communes_.end()) {
                ++(it->second[i].*field);
            }
        };
        for (std::size_t i = 0; i < n_; ++i) {
            std::vector<char> team_active(ws_.teams.size(), 0);
            for (std::uint32_t p = 0; p < plan_.parties.size(); ++p) {
                if (!days.active(p, tl_.dates[i])) {
                    continue;
                }
                if (team_of[p] >= 0) {
                    team_active[static_cast<std::size_t>(team_of[p])] = 1;
                }
                if (p < ws_.households.size()) {
                    count(i, ws_.households[p].commune_id, &TimelineFigures::households);
                }
            }
            for (std::uint32_t t = 0; t < ws_.teams.size(); ++t) {
                if (team_active[t]) {
                    count(i, ws_.teams[t].commune_id, &TimelineFigures::teams);
                }
            }
        }
    }

    const Workspace& ws_;
    const Plan& plan_;
    const HistorySweep& history_;
    const ReviewScope& scope_;
    std::size_t n_;
    Timeline tl_;
    std::map<int, std::vector<TimelineFigures>> communes_;
};

} // namespace

Timeline compute_timeline(const Workspace& ws, const Plan& plan, const HistorySweep& history,
                          const ReviewScope& scope, const std::vector<Date>& dates) {
    return TimelineBuilder(ws, plan, history, scope, dates).build();
}

} // namespace bordercov
