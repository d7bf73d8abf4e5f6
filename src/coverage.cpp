#include "bordercov/coverage.hpp"

#include "bordercov/commune_index.hpp"
#include "bordercov/text.hpp"
#include "detail/elementary_cuts.hpp"
#include "detail/parallel.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace bordercov {

const char* to_string(SegmentStatus s) {
    switch (s) {
    case SegmentStatus::covered:
        return "covered";
    case SegmentStatus::overlap:
        return "overlap";
    case SegmentStatus::uncovered:
        break;
    }
    return "uncovered";
}

SegmentStatus Segment::status() const {
    if (owners.empty()) {
        return SegmentStatus::uncovered;
    }
    return owners.size() == 1 ? SegmentStatus::covered : SegmentStatus::overlap;
}

std::vector<MarkerYear> markers_by_year(const Workspace& ws, const Plan& plan,
                                        const Coverage& coverage) {
    std::map<int, std::pair<MarkerYear, std::set<std::uint32_t>>> years;
    for (const MarkerState& m : coverage.markers) {
        const auto& built = ws.markers[m.marker].built;
        auto& [year, holders] = years[built ? std::stoi(built->iso().substr(0, 4)) : 0];
        ++year.markers;
        year.custodied += m.custodied() ? 1 : 0;
        holders.insert(m.custodians.begin(), m.custodians.end());
    }
    std::vector<MarkerYear> out;
    for (auto& [y, entry] : years) {
        auto& [year, holders] = entry;
        year.year = y;
        for (const std::uint32_t p : holders) {
            (plan.parties[p].type == PartyType::household ? year.custodian_households
                                                          : year.custodian_teams)++;
        }
        out.push_back(year);
    }
    return out;
}

std::optional<int> find_commune(const Workspace& ws, const std::string& id_or_name) {
    for (std::size_t i = 0; i < ws.communes.size(); ++i) {
        if (ws.communes[i].commune_id == id_or_name) {
            return static_cast<int>(i);
        }
    }
    const std::string wanted = fold_diacritics(id_or_name);
    for (std::size_t i = 0; i < ws.communes.size(); ++i) {
        if (fold_diacritics(ws.communes[i].name) == wanted ||
            fold_diacritics(ws.communes[i].commune_id) == wanted) {
            return static_cast<int>(i);
        }
    }
    return std::nullopt;
}

namespace {

constexpr double eps_km = chainage_resolution_km;

/// Cuts one line at every commitment end, commune boundary and part join and
/// sweeps the sorted ends once: each elementary segment gets its owners.
void sweep_line(std::uint32_t line_index, const BorderLine& line,
                const std::vector<const Commitment*>& commitments,
                const std::vector<CommunePiece>& pieces, const std::vector<Party>& parties,
                std::vector<Segment>& out) {
    std::vector<double> at;
    at.reserve(2 * commitments.size() + pieces.size());
    for (const Commitment* c : commitments) {
        at.push_back(c->stretch.from_km);
        at.push_back(c->stretch.to_km);
    }
    for (const CommunePiece& p : pieces) {
        at.push_back(p.from_km);
    }
    const std::vector<double> cuts = detail::elementary_cuts(line, std::move(at));

    std::vector<const Commitment*> starts = commitments, ends = commitments;
    std::sort(starts.begin(), starts.end(), [](const Commitment* a, const Commitment* b) {
        return a->stretch.from_km < b->stretch.from_km;
    });
    std::sort(ends.begin(), ends.end(), [](const Commitment* a, const Commitment* b) {
        return a->stretch.to_km < b->stretch.to_km;
    });

    // Several commitments of one party may overlap: count them per party.
    std::map<std::uint32_t, int> active;
    std::size_t s = 0, e = 0, piece = 0;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
        const double a = cuts[k], b = cuts[k + 1];
        for (; s < starts.size() && starts[s]->stretch.from_km <= a + eps_km; ++s) {
            ++active[starts[s]->party];
        }
        for (; e < ends.size() && ends[e]->stretch.to_km <= a + eps_km; ++e) {
            if (--active[ends[e]->party] == 0) {
                active.erase(ends[e]->party);
            }
        }
        while (piece + 1 < pieces.size() && pieces[piece].to_km <= a + eps_km) {
            ++piece;
        }
        Segment seg;
        seg.stretch = {line_index, a, b};
        seg.commune = pieces.empty() ? -1 : pieces[piece].commune;
        seg.owners.reserve(active.size());
        for (const auto& [party, count] : active) {
            seg.owners.push_back(party);
        }
        std::sort(seg.owners.begin(), seg.owners.end(), [&](std::uint32_t x, std::uint32_t y) {
            return parties[x].party_id < parties[y].party_id;
        });
        out.push_back(std::move(seg));
    }
}

/// Gaps: maximal runs of contiguous uncovered segments, numbered in order.
std::vector<Gap> find_gaps(const std::vector<Segment>& segments,
                           const std::vector<std::vector<std::uint32_t>>& markers_on_line,
                           const Plan& plan) {
    std::vector<Gap> gaps;
    for (std::size_t i = 0; i < segments.size();) {
        const Segment& first = segments[i];
        if (first.status() != SegmentStatus::uncovered) {
            ++i;
            continue;
        }
        Gap gap;
        gap.stretch = first.stretch;
        std::map<int, double> km_in_commune;
        for (; i < segments.size(); ++i) {
            const Segment& s = segments[i];
            if (s.status() != SegmentStatus::uncovered || s.stretch.line != gap.stretch.line ||
                s.stretch.from_km > gap.stretch.to_km + eps_km) {
                break;
            }
            gap.stretch.to_km = s.stretch.to_km;
            km_in_commune[s.commune] += s.stretch.length_km();
        }
        gap.commune =
            std::max_element(km_in_commune.begin(), km_in_commune.end(),
                             [](const auto& a, const auto& b) { return a.second < b.second; })
                ->first;
        // The line's markers are in chainage order: the last at or before the
        // start, those strictly inside and the first at or after the end.
        const auto& on_line = markers_on_line[gap.stretch.line];
        const auto chainage_less = [&](double km, std::uint32_t m) {
            return km < plan.markers[m].chainage_km;
        };
        const auto inside = std::upper_bound(on_line.begin(), on_line.end(),
                                             gap.stretch.from_km + eps_km, chainage_less);
        const auto after =
            std::partition_point(on_line.begin(), on_line.end(), [&](std::uint32_t m) {
                return plan.markers[m].chainage_km < gap.stretch.to_km - eps_km;
            });
        if (inside != on_line.begin()) {
            gap.from_marker = static_cast<int>(*std::prev(inside));
        }
        if (after != on_line.end()) {
            gap.to_marker = static_cast<int>(*after);
        }
        gap.markers.assign(inside, std::max(inside, after));
        gap.gap_id = "G" + std::to_string(gaps.size() + 1);
        gaps.push_back(std::move(gap));
    }
    return gaps;
}

void add_segment(Figures& f, const Segment& s) {
    const double km = s.stretch.length_km();
    f.border_km += km;
    if (!s.owners.empty()) {
        f.covered_km += km;
    }
    if (s.owners.size() > 1) {
        f.overlap_km += km;
    }
}

void add_marker(Figures& f, const MarkerState& m) {
    ++f.markers;
    if (!m.custodied()) {
        ++f.markers_unowned;
    }
}

} // namespace

namespace {

/// Whether a commune is in the scope of the run (--commune, else all).
struct Scope {
    std::optional<int> commune;
    bool operator()(int c) const { return !commune || c == *commune; }
};

/// The segments of every line in line order (those in scope into cov), the
/// commune pieces of each line, and, with --commune, the segments of the
/// whole workspace (for gap ids that do not depend on the scope).
struct Swept {
    std::vector<std::vector<CommunePiece>> pieces;
    std::vector<Segment> all_segments;
};

Swept sweep_lines(const Workspace& ws, const Plan& plan, const Scope& in_scope,
                  const Progress& progress, Coverage& cov) {
    const CommuneIndex communes(ws.communes);
    std::vector<std::vector<const Commitment*>> by_line(ws.lines.size());
    for (const Commitment& c : plan.commitments) {
        by_line[c.stretch.line].push_back(&c);
    }
    // Lines are independent: a few workers sweep them in turn, and the
    // segments are kept in line order.
    const std::size_t n_lines = ws.lines.size();
    Swept out;
    out.pieces.resize(n_lines);
    std::vector<std::vector<Segment>> swept(n_lines);
    const std::size_t workers = detail::worker_count(n_lines, 2, 64);
    detail::parallel_workers(workers, [&](std::size_t w) {
        for (std::size_t l = w; l < n_lines; l += workers) {
            const auto line = static_cast<std::uint32_t>(l);
            out.pieces[l] = communes.split(ws.lines[l]);
            sweep_line(line, ws.lines[l], by_line[l], out.pieces[l], plan.parties, swept[l]);
        }
    });
    std::size_t total = 0;
    for (const auto& line_segments : swept) {
        total += line_segments.size();
    }
    cov.segments.reserve(total);
    if (in_scope.commune) {
        out.all_segments.reserve(total);
    }
    for (std::size_t l = 0; l < n_lines; ++l) {
        if (progress) {
            progress(static_cast<double>(l) / static_cast<double>(n_lines), "sweeping lines");
        }
        for (Segment& s : swept[l]) {
            if (in_scope.commune) {
                out.all_segments.push_back(s);
            }
            if (in_scope(s.commune)) {
                cov.segments.push_back(std::move(s));
            }
        }
        std::vector<Segment>().swap(swept[l]);
    }
    return out;
}

/// The markers that exist on the date, per line in chainage order; those
/// in scope, with their custodians, into cov.markers. A marker built after
/// the as-of date does not exist yet on that date: it is only counted (in
/// not_built, by line and commune), and is no gap's neighbour.
struct PlacedMarkers {
    std::vector<std::vector<std::uint32_t>> on_line;
    std::vector<std::pair<std::uint32_t, int>> not_built; // line, commune
};

PlacedMarkers place_markers(const Workspace& ws, const Plan& plan,
                            const std::vector<std::vector<CommunePiece>>& pieces,
                            const Scope& in_scope, Coverage& cov) {
    std::vector<std::vector<std::uint32_t>> custodians(ws.markers.size());
    for (const Custody& c : plan.custodies) {
        custodians[c.marker].push_back(c.party);
    }
    // Each marker is in the commune of its place on the line.
    const auto commune_of_marker = [&](std::uint32_t m) {
        const auto& p = pieces[static_cast<std::size_t>(plan.markers[m].line)];
        const double km = plan.markers[m].chainage_km;
        const auto it =
            std::lower_bound(p.begin(), p.end(), km,
                             [](const CommunePiece& piece, double x) { return piece.to_km < x; });
        return it == p.end() ? -1 : it->commune;
    };
    PlacedMarkers placed;
    placed.on_line.resize(ws.lines.size());
    for (std::uint32_t m = 0; m < ws.markers.size(); ++m) {
        if (plan.markers[m].line < 0) {
            continue;
        }
        if (const auto& built = ws.markers[m].built; built && plan.as_of < *built) {
            const int commune = commune_of_marker(m);
            if (in_scope(commune)) {
                placed.not_built.emplace_back(static_cast<std::uint32_t>(plan.markers[m].line),
                                              commune);
            }
            continue;
        }
        placed.on_line[static_cast<std::size_t>(plan.markers[m].line)].push_back(m);
    }
    for (auto& on_line : placed.on_line) {
        std::stable_sort(on_line.begin(), on_line.end(), [&](std::uint32_t a, std::uint32_t b) {
            return plan.markers[a].chainage_km < plan.markers[b].chainage_km;
        });
        for (const std::uint32_t m : on_line) {
            MarkerState state;
            state.marker = m;
            state.commune = commune_of_marker(m);
            if (!in_scope(state.commune)) {
                continue;
            }
            auto& held = custodians[m];
            std::sort(held.begin(), held.end(), [&](std::uint32_t x, std::uint32_t y) {
                return plan.parties[x].party_id < plan.parties[y].party_id;
            });
            held.erase(std::unique(held.begin(), held.end()), held.end());
            state.custodians = held;
            cov.markers.push_back(std::move(state));
        }
    }
    return placed;
}

/// With --commune, a gap keeps the id it has in the whole workspace; the
/// part of it in the commune, when the commune holds it in several pieces,
/// gets .1, .2... `whole` is in line and chainage order, as find_gaps gives
/// it, so the gap holding a piece is found by bisection: the one starting
/// last at or before it (or the one before, within the resolution).
void keep_whole_gap_ids(std::vector<Gap>& gaps, const std::vector<Gap>& whole) {
    const auto holds = [](const Gap& w, const Gap& g) {
        return w.stretch.line == g.stretch.line &&
               w.stretch.from_km <= g.stretch.from_km + eps_km &&
               g.stretch.to_km <= w.stretch.to_km + eps_km;
    };
    std::map<std::string, int> pieces_of;
    for (Gap& g : gaps) {
        auto it = std::upper_bound(whole.begin(), whole.end(), g, [](const Gap& a, const Gap& b) {
            return std::pair{a.stretch.line, a.stretch.from_km + eps_km} <
                   std::pair{b.stretch.line, b.stretch.from_km};
        });
        for (int back = 0; back < 2 && it != whole.begin(); ++back) {
            --it;
            if (holds(*it, g)) {
                g.gap_id = it->gap_id;
                break;
            }
        }
        ++pieces_of[g.gap_id];
    }
    std::map<std::string, int> seen;
    for (Gap& g : gaps) {
        if (pieces_of[g.gap_id] > 1) {
            const int n = ++seen[g.gap_id];
            g.gap_id += "." + std::to_string(n);
        }
    }
}

/// What does not depend on the scope, counted once for many scopes
/// (compute_coverage_by_commune): households and teams registered in each
/// commune, and each team's households and active assignments.
struct Counts {
    std::vector<std::size_t> commune_households, commune_teams;
    std::vector<std::size_t> team_households, team_assignments;
};

/// Households and teams registered in each commune of per_commune, and in
/// the scope's total.
void count_members(const Workspace& ws, const Plan& plan, const Scope& in_scope,
                   std::map<int, Figures>& per_commune, Figures& total,
                   const Counts* counts = nullptr) {
    if (counts && in_scope.commune) {
        // One commune: its own registered households and teams.
        const auto c = static_cast<std::size_t>(*in_scope.commune);
        Figures& f = per_commune[*in_scope.commune];
        f.households = total.households = counts->commune_households[c];
        f.teams = total.teams = counts->commune_teams[c];
        return;
    }
    const auto count = [&](const std::string& commune_id, std::size_t Figures::*field) {
        const int c = plan.find_commune_id(commune_id);
        if (c >= 0 && per_commune.count(c)) {
            ++(per_commune[c].*field);
        }
        if (in_scope(c)) {
            ++(total.*field);
        }
    };
    for (const Household& h : ws.households) {
        count(h.commune_id, &Figures::households);
    }
    for (const Team& t : ws.teams) {
        count(t.commune_id, &Figures::teams);
    }
}

/// The figures per line, commune, district and in total, summed from the
/// segments, gaps and markers.
void summarise(const Workspace& ws, const Plan& plan, const Scope& in_scope,
               const std::vector<std::pair<std::uint32_t, int>>& not_built, Coverage& cov,
               const Counts* counts = nullptr) {
    cov.lines.resize(ws.lines.size());
    for (std::uint32_t l = 0; l < ws.lines.size(); ++l) {
        cov.lines[l].line = l;
    }
    std::map<int, Figures> per_commune;
    if (in_scope.commune) {
        per_commune[*in_scope.commune];
    } else {
        for (std::size_t c = 0; c < ws.communes.size(); ++c) {
            per_commune[static_cast<int>(c)];
        }
    }
    for (const Segment& s : cov.segments) {
        add_segment(cov.lines[s.stretch.line].figures, s);
        add_segment(per_commune[s.commune], s);
        add_segment(cov.total, s);
    }
    for (const Gap& g : cov.gaps) {
        ++cov.lines[g.stretch.line].figures.gaps;
        ++per_commune[g.commune].gaps;
        ++cov.total.gaps;
    }
    for (const MarkerState& m : cov.markers) {
        add_marker(cov.lines[static_cast<std::size_t>(plan.markers[m.marker].line)].figures, m);
        add_marker(per_commune[m.commune], m);
        add_marker(cov.total, m);
    }
    for (const auto& [line, commune] : not_built) {
        ++cov.lines[line].figures.markers_not_built;
        ++per_commune[commune].markers_not_built;
        ++cov.total.markers_not_built;
    }
    count_members(ws, plan, in_scope, per_commune, cov.total, counts);
    std::map<std::pair<std::string, std::string>, Figures> per_district;
    for (const auto& [c, f] : per_commune) {
        if (c < 0 && f.border_km == 0 && f.markers == 0 && f.markers_not_built == 0) {
            continue; // no border outside the communes: no "-" row
        }
        cov.communes.push_back({c, f});
        const auto named = [&](const std::string Commune::*field) {
            return c < 0 || (ws.communes[static_cast<std::size_t>(c)].*field).empty()
                       ? std::string("-")
                       : ws.communes[static_cast<std::size_t>(c)].*field;
        };
        Figures& d = per_district[{named(&Commune::province), named(&Commune::district)}];
        d.border_km += f.border_km;
        d.covered_km += f.covered_km;
        d.overlap_km += f.overlap_km;
        d.gaps += f.gaps;
        d.markers += f.markers;
        d.markers_unowned += f.markers_unowned;
        d.markers_not_built += f.markers_not_built;
        d.households += f.households;
        d.teams += f.teams;
    }
    for (auto& [name, f] : per_district) {
        cov.districts.push_back({name.first, name.second, f});
    }
}

/// Teams: their own stretches and their households', read off the segments.
void summarise_teams(const Workspace& ws, const Plan& plan, const Scope& in_scope, Coverage& cov,
                     const Counts* counts = nullptr) {
    const std::size_t first_team = ws.households.size();
    const auto team_of = [&](std::uint32_t party) -> int {
        const Party& p = plan.parties[party];
        if (p.type == PartyType::team) {
            return static_cast<int>(p.source);
        }
        const auto t = plan.find_party(PartyType::team, p.team_id);
        return t ? static_cast<int>(*t - first_team) : -1;
    };
    std::vector<TeamSummary> teams(ws.teams.size());
    std::vector<char> team_in_scope(ws.teams.size(), 0);
    for (std::uint32_t t = 0; t < ws.teams.size(); ++t) {
        teams[t].team = t;
        team_in_scope[t] = in_scope(plan.find_commune_id(ws.teams[t].commune_id));
    }
    if (counts) {
        for (std::uint32_t t = 0; t < ws.teams.size(); ++t) {
            teams[t].households = counts->team_households[t];
            teams[t].assignments = counts->team_assignments[t];
        }
    } else {
        for (const Household& h : ws.households) {
            if (const auto t = plan.find_party(PartyType::team, h.team_id)) {
                ++teams[*t - first_team].households;
            }
        }
        for (const Commitment& c : plan.commitments) {
            if (const int t = team_of(c.party); t >= 0) {
                ++teams[static_cast<std::size_t>(t)].assignments;
            }
        }
    }
    std::vector<int> distinct;
    for (const Segment& s : cov.segments) {
        distinct.clear();
        for (const std::uint32_t p : s.owners) {
            distinct.push_back(team_of(p));
        }
        std::sort(distinct.begin(), distinct.end());
        distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
        for (const int t : distinct) {
            if (t < 0) {
                continue;
            }
            TeamSummary& ts = teams[static_cast<std::size_t>(t)];
            ts.held_km += s.stretch.length_km();
            if (distinct.size() > 1) {
                ts.overlap_km += s.stretch.length_km();
            }
            team_in_scope[static_cast<std::size_t>(t)] = 1;
        }
    }
    for (const MarkerState& m : cov.markers) {
        std::set<int> held_by;
        for (const std::uint32_t p : m.custodians) {
            held_by.insert(team_of(p));
        }
        for (const int t : held_by) {
            if (t >= 0) {
                ++teams[static_cast<std::size_t>(t)].markers;
            }
        }
    }
    for (std::uint32_t t = 0; t < ws.teams.size(); ++t) {
        if (team_in_scope[t]) {
            cov.teams.push_back(teams[t]);
        }
    }
}

} // namespace

Coverage compute_coverage(const Workspace& ws, const Plan& plan, const CoverageOptions& options,
                          const Progress& progress) {
    Coverage cov;
    const Scope in_scope{options.commune};
    const Swept swept = sweep_lines(ws, plan, in_scope, progress, cov);
    const PlacedMarkers markers = place_markers(ws, plan, swept.pieces, in_scope, cov);
    cov.gaps = find_gaps(cov.segments, markers.on_line, plan);
    if (options.commune) {
        keep_whole_gap_ids(cov.gaps, find_gaps(swept.all_segments, markers.on_line, plan));
    }
    summarise(ws, plan, in_scope, markers.not_built, cov);
    summarise_teams(ws, plan, in_scope, cov);
    if (progress) {
        progress(1.0, "coverage done");
    }
    return cov;
}

namespace {

/// The counts of Counts, read off the whole workspace's coverage.
Counts scope_free_counts(const Workspace& ws, const Coverage& whole) {
    Counts counts;
    counts.commune_households.assign(ws.communes.size(), 0);
    counts.commune_teams.assign(ws.communes.size(), 0);
    for (const CommuneSummary& c : whole.communes) {
        if (c.commune >= 0) {
            counts.commune_households[static_cast<std::size_t>(c.commune)] = c.figures.households;
            counts.commune_teams[static_cast<std::size_t>(c.commune)] = c.figures.teams;
        }
    }
    counts.team_households.assign(ws.teams.size(), 0);
    counts.team_assignments.assign(ws.teams.size(), 0);
    for (const TeamSummary& t : whole.teams) {
        counts.team_households[t.team] = t.households;
        counts.team_assignments[t.team] = t.assignments;
    }
    return counts;
}

} // namespace

CoverageByCommune compute_coverage_by_commune(const Workspace& ws, const Plan& plan,
                                              const std::vector<int>& communes,
                                              const Progress& progress) {
    CoverageByCommune out;
    Coverage& whole = out.whole;
    const Swept swept = sweep_lines(ws, plan, Scope{}, progress, whole);
    const PlacedMarkers markers = place_markers(ws, plan, swept.pieces, Scope{}, whole);
    whole.gaps = find_gaps(whole.segments, markers.on_line, plan);
    summarise(ws, plan, Scope{}, markers.not_built, whole);
    summarise_teams(ws, plan, Scope{}, whole);
    // Each commune's segments, markers and markers not built yet, in the
    // order a sweep of that commune alone gives them (line, then chainage).
    std::map<int, std::size_t> slot;
    for (std::size_t i = 0; i < communes.size(); ++i) {
        slot.emplace(communes[i], i);
    }
    out.communes.resize(communes.size());
    std::vector<std::vector<std::pair<std::uint32_t, int>>> not_built(communes.size());
    const auto each = [&](int commune, auto&& add) {
        if (const auto it = slot.find(commune); it != slot.end()) {
            add(it->second);
        }
    };
    for (const Segment& s : whole.segments) {
        each(s.commune, [&](std::size_t i) { out.communes[i].segments.push_back(s); });
    }
    for (const MarkerState& m : whole.markers) {
        each(m.commune, [&](std::size_t i) { out.communes[i].markers.push_back(m); });
    }
    for (const auto& entry : markers.not_built) {
        each(entry.second, [&](std::size_t i) { not_built[i].push_back(entry); });
    }
    const Counts counts = scope_free_counts(ws, whole);
    for (std::size_t i = 0; i < communes.size(); ++i) {
        Coverage& cov = out.communes[i];
        const Scope in_scope{communes[i]};
        cov.gaps = find_gaps(cov.segments, markers.on_line, plan);
        keep_whole_gap_ids(cov.gaps, whole.gaps);
        summarise(ws, plan, in_scope, not_built[i], cov, &counts);
        summarise_teams(ws, plan, in_scope, cov, &counts);
    }
    if (progress) {
        progress(1.0, "coverage done");
    }
    return out;
}

} // namespace bordercov
