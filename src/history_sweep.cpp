#include "bordercov/coverage.hpp"
#include "bordercov/review.hpp"

#include "detail/elementary_cuts.hpp"
#include "detail/history.hpp"
#include "detail/parallel.hpp"

#include <algorithm>

namespace bordercov {

bool ReviewScope::operator()(int commune) const {
    return !communes || std::find(communes->begin(), communes->end(), commune) != communes->end();
}

namespace {

constexpr double eps_km = chainage_resolution_km;

struct LineSweep {
    std::vector<HistorySweep::Segment> segments;
    std::vector<std::uint32_t> holders;
};

/// One line cut at the ends of its commitments of every date and at commune
/// boundaries, swept once as compute_coverage sweeps one date: the same cuts
/// (detail::elementary_cuts) and the same rule for when a commitment starts
/// and ends covering.
LineSweep sweep_line(std::uint32_t line_index, const BorderLine& line,
                     const std::vector<std::uint32_t>& commitments,
                     const std::vector<CommunePiece>& pieces, const Plan& plan) {
    const auto stretch = [&](std::uint32_t local) -> const Stretch& {
        return plan.all_commitments[commitments[local]].stretch;
    };
    std::vector<double> at;
    at.reserve(2 * commitments.size() + pieces.size());
    for (const std::uint32_t c : commitments) {
        at.push_back(plan.all_commitments[c].stretch.from_km);
        at.push_back(plan.all_commitments[c].stretch.to_km);
    }
    for (const CommunePiece& p : pieces) {
        at.push_back(p.from_km);
    }
    const std::vector<double> cuts = detail::elementary_cuts(line, std::move(at));

    std::vector<std::uint32_t> starts(commitments.size());
    for (std::uint32_t i = 0; i < starts.size(); ++i) {
        starts[i] = i;
    }
    std::vector<std::uint32_t> ends = starts;
    std::sort(starts.begin(), starts.end(), [&](std::uint32_t a, std::uint32_t b) {
        return stretch(a).from_km < stretch(b).from_km;
    });
    std::sort(ends.begin(), ends.end(), [&](std::uint32_t a, std::uint32_t b) {
        return stretch(a).to_km < stretch(b).to_km;
    });

    LineSweep out;
    out.segments.reserve(cuts.size());
    std::vector<std::uint32_t> active;                        // local indexes
    std::vector<std::size_t> position(commitments.size(), 0); // of each in active
    std::size_t s = 0, e = 0, piece = 0;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
        const double a = cuts[k], b = cuts[k + 1];
        for (; s < starts.size() && stretch(starts[s]).from_km <= a + eps_km; ++s) {
            position[starts[s]] = active.size();
            active.push_back(starts[s]);
        }
        for (; e < ends.size() && stretch(ends[e]).to_km <= a + eps_km; ++e) {
            const std::size_t at_pos = position[ends[e]];
            active[at_pos] = active.back();
            position[active[at_pos]] = at_pos;
            active.pop_back();
        }
        while (piece + 1 < pieces.size() && pieces[piece].to_km <= a + eps_km) {
            ++piece;
        }
        HistorySweep::Segment seg;
        seg.stretch = {line_index, a, b};
        seg.commune = pieces.empty() ? -1 : pieces[piece].commune;
        seg.first = static_cast<std::uint32_t>(out.holders.size());
        seg.count = static_cast<std::uint32_t>(active.size());
        for (const std::uint32_t local : active) {
            out.holders.push_back(commitments[local]);
        }
        out.segments.push_back(seg);
    }
    return out;
}

} // namespace

HistorySweep::HistorySweep(const Workspace& ws, const Plan& plan, const ReviewScope& scope)
    : plan_(plan) {
    days_.reserve(plan.all_commitments.size());
    std::vector<std::vector<std::uint32_t>> by_line(ws.lines.size());
    for (std::uint32_t c = 0; c < plan.all_commitments.size(); ++c) {
        const Assignment& a = ws.assignments[plan.all_commitments[c].assignment];
        days_.push_back(detail::days_held(a.signed_on, a.expires));
        by_line[plan.all_commitments[c].stretch.line].push_back(c);
    }
    const CommuneIndex communes(ws.communes);
    const std::size_t n_lines = ws.lines.size();
    pieces_.resize(n_lines);
    std::vector<LineSweep> swept(n_lines);
    const std::size_t workers = detail::worker_count(n_lines, 2, 64);
    detail::parallel_workers(workers, [&](std::size_t w) {
        for (std::size_t l = w; l < n_lines; l += workers) {
            pieces_[l] = communes.split(ws.lines[l]);
            swept[l] = sweep_line(static_cast<std::uint32_t>(l), ws.lines[l], by_line[l],
                                  pieces_[l], plan);
        }
    });
    for (LineSweep& line : swept) {
        for (Segment seg : line.segments) {
            if (!scope(seg.commune)) {
                continue;
            }
            const auto first = static_cast<std::uint32_t>(holders_.size());
            holders_.insert(holders_.end(), line.holders.begin() + seg.first,
                            line.holders.begin() + seg.first + seg.count);
            seg.first = first;
            segments_.push_back(seg);
        }
        line = LineSweep(); // its memory back before the next line's copy
    }
}

bool HistorySweep::active(std::uint32_t c, Date d) const {
    return detail::holds_on(days_[c], d);
}

bool HistorySweep::covered(const Segment& s, Date d) const {
    for (std::uint32_t i = s.first; i < s.first + s.count; ++i) {
        if (active(holders_[i], d)) {
            return true;
        }
    }
    return false;
}

std::vector<std::uint32_t> HistorySweep::owners(const Segment& s, Date d) const {
    std::vector<std::uint32_t> out;
    owners(s, d, out);
    return out;
}

void HistorySweep::owners(const Segment& s, Date d, std::vector<std::uint32_t>& out) const {
    out.clear();
    for (std::uint32_t i = s.first; i < s.first + s.count; ++i) {
        if (active(holders_[i], d)) {
            out.push_back(plan_.all_commitments[holders_[i]].party);
        }
    }
    if (out.size() > 1) {
        std::sort(out.begin(), out.end(), [&](std::uint32_t x, std::uint32_t y) {
            return plan_.parties[x].party_id < plan_.parties[y].party_id;
        });
        out.erase(std::unique(out.begin(), out.end()), out.end());
    }
}

int HistorySweep::commune_at(std::uint32_t line, double km) const {
    const auto& p = pieces_[line];
    const auto it =
        std::lower_bound(p.begin(), p.end(), km,
                         [](const CommunePiece& piece, double x) { return piece.to_km < x; });
    return it == p.end() ? -1 : it->commune;
}

bool HistorySweep::adjacent(const Segment& a, const Segment& b) {
    return a.stretch.line == b.stretch.line && b.stretch.from_km <= a.stretch.to_km + eps_km;
}

} // namespace bordercov
