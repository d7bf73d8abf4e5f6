#include "run_engine.hpp"

#include "bordercov/checks.hpp"
#include "bordercov/coverage.hpp"
#include "bordercov/io/json_report.hpp"
#include "bordercov/nearest.hpp"
#include "bordercov/table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

// The sanitizers' defaults in the fuzz executables (the environment's
// ASAN_OPTIONS / UBSAN_OPTIONS still win): undefined behaviour stops the run
// like a crash, and so does abort() with a stack.
extern "C" const char* __ubsan_default_options() {
    return "halt_on_error=1:print_stacktrace=1";
}
extern "C" const char* __asan_default_options() {
    return "handle_abort=1";
}

namespace bordercov::fuzz {

void fail(const char* what, const char* detail) {
    std::fprintf(stderr, "bordercov fuzz: %s %s\n", what, detail);
    std::abort();
}

namespace {

/// Slack for sums of many km: rounding, never a real difference.
double slack_km(double km, std::size_t terms) {
    return 1e-9 * (1.0 + std::abs(km)) * static_cast<double>(terms + 1);
}

void check_stretch(const Workspace& ws, const Stretch& s, const char* what) {
    if (s.line >= ws.lines.size()) {
        fail(what, "names a line that does not exist");
    }
    const double length = ws.lines[s.line].length_km();
    if (!std::isfinite(s.from_km) || !std::isfinite(s.to_km) || s.from_km > s.to_km ||
        s.from_km < 0 || s.to_km > length) {
        fail(what, "is not an interval of its line's chainage");
    }
}

void check_figures(const Figures& f, const char* what) {
    const double eps = slack_km(f.border_km, 1000);
    if (!std::isfinite(f.border_km) || !std::isfinite(f.covered_km) ||
        !std::isfinite(f.overlap_km) || f.border_km < -eps || f.covered_km < -eps ||
        f.overlap_km < -eps || f.covered_km > f.border_km + eps ||
        f.overlap_km > f.covered_km + eps || f.markers_unowned > f.markers) {
        fail(what, "figures out of order (covered > border, overlap > covered, or not finite)");
    }
}

void check_coverage(const Workspace& ws, const Plan& plan, const Coverage& coverage, bool whole) {
    std::vector<double> sum(ws.lines.size(), 0.0);
    std::vector<std::size_t> count(ws.lines.size(), 0);
    for (const Segment& s : coverage.segments) {
        check_stretch(ws, s.stretch, "a segment");
        sum[s.stretch.line] += s.stretch.length_km();
        ++count[s.stretch.line];
        for (const std::uint32_t p : s.owners) {
            if (p >= plan.parties.size()) {
                fail("a segment", "has an owner that is no party");
            }
        }
    }
    if (whole) {
        // The segments of a line tile it: their lengths add up to its length
        // (but for the resolution: a line shorter than it gets no segment).
        for (std::size_t l = 0; l < ws.lines.size(); ++l) {
            const double length = ws.lines[l].length_km();
            if (std::abs(sum[l] - length) >
                slack_km(length, count[l]) + 2 * chainage_resolution_km) {
                char detail[160];
                std::snprintf(detail, sizeof detail,
                              "of line %zu add up to %.17g km, not its length %.17g km", l, sum[l],
                              length);
                fail("the segments", detail);
            }
        }
    }
    for (const Gap& g : coverage.gaps) {
        check_stretch(ws, g.stretch, "a gap");
    }
    for (const MarkerState& m : coverage.markers) {
        if (m.marker >= ws.markers.size()) {
            fail("a marker state", "names no marker");
        }
    }
    check_figures(coverage.total, "total");
    for (const LineSummary& l : coverage.lines) {
        check_figures(l.figures, "line summary");
    }
    for (const CommuneSummary& c : coverage.communes) {
        check_figures(c.figures, "commune summary");
    }
    for (const DistrictSummary& d : coverage.districts) {
        check_figures(d.figures, "district summary");
    }
}

void check_ranking(const Plan& plan, const std::vector<RankedParty>& ranked, std::size_t k,
                   bool check) {
    if (!check) {
        return;
    }
    if (ranked.size() > k) {
        fail("nearest", "returned more than k parties");
    }
    for (std::size_t i = 0; i < ranked.size(); ++i) {
        if (ranked[i].party >= plan.parties.size()) {
            fail("nearest", "returned a party that does not exist");
        }
        if (i > 0 && ranks_before(ranked[i], ranked[i - 1], plan)) {
            fail("nearest", "returned parties out of order");
        }
    }
}

void run_nearest(const Workspace& ws, const Plan& plan, const Coverage& coverage,
                 const RunOptions& run) {
    const NearestIndex index(ws, plan);
    const std::size_t k = run.k;
    const bool check = run.check_results;
    for (const Gap& g : coverage.gaps) {
        const BorderLine& l = ws.lines[g.stretch.line];
        const PlaceOnBorder place{g.stretch.line, g.stretch.from_km, g.stretch.to_km,
                                  l.point_at(0.5 * (g.stretch.from_km + g.stretch.to_km))};
        check_ranking(plan, index.rank(place, k), k, check);
    }
    for (const MarkerState& m : coverage.markers) {
        const LocatedMarker& lm = plan.markers[m.marker];
        if (m.custodied() || lm.line < 0) {
            continue;
        }
        const PlaceOnBorder place{static_cast<std::uint32_t>(lm.line), lm.chainage_km,
                                  lm.chainage_km, ws.markers[m.marker].position};
        check_ranking(plan, index.rank(place, k), k, check);
        for (const std::uint32_t p : m.custodians) {
            (void)index.measure(place, p);
        }
    }
    for (const LonLat p : run.points) {
        const auto [line, at] = locate_on_workspace(ws, p);
        if (line >= ws.lines.size()) { // indexing with it would be out of bounds
            fail("locate_on_workspace", "returned a line that does not exist");
        }
        (void)side_name(ws.lines[line], at.side);
        check_ranking(plan, index.rank({line, at.chainage_km, at.chainage_km, p}, k), k, check);
        const auto homes = index.households_near(p, k);
        if (check && homes.size() > k) {
            fail("households_near", "returned more than k households");
        }
        for (std::uint32_t party = 0; party < plan.parties.size() && party < 8; ++party) {
            (void)index.measure({line, at.chainage_km, at.chainage_km, p}, party);
        }
    }
}

} // namespace

void run_engine(const Workspace& ws, const ResolveOptions& options, Diagnostics& diagnostics,
                const RunOptions& run) {
    const bool check = run.check_results;
    const Plan plan = resolve(ws, options, diagnostics);
    if (plan.markers.size() != ws.markers.size()) {
        fail("resolve", "left the markers out of step with the workspace");
    }
    for (const Commitment& c : plan.commitments) {
        if (c.party >= plan.parties.size() || c.assignment >= ws.assignments.size()) {
            fail("a commitment", "names no party or no assignment");
        }
        if (check) {
            check_stretch(ws, c.stretch, "a commitment");
        }
    }

    const Progress progress = [check](double done, const char*) {
        if (check && !(done >= 0.0 && done <= 1.0)) {
            fail("progress", "outside [0, 1]");
        }
    };
    const Coverage coverage = compute_coverage(ws, plan, {}, progress);
    if (check) {
        check_coverage(ws, plan, coverage, true);
    }
    (void)markers_by_year(ws, plan, coverage);

    // Per commune, as --commune does, for the first few.
    for (std::size_t c = 0; c < ws.communes.size() && c < 3; ++c) {
        const auto found = find_commune(ws, ws.communes[c].name);
        CoverageOptions one;
        one.commune = static_cast<int>(c);
        const Coverage part = compute_coverage(ws, plan, one);
        if (check) {
            check_coverage(ws, plan, part, false);
        }
        if (!found) {
            fail("find_commune", "does not find a commune by its own name");
        }
    }

    check_consistency(ws, plan, diagnostics);
    run_nearest(ws, plan, coverage, run);

    const NearestIndex nearest(ws, plan);
    const std::vector<Table> tables = coverage_tables(
        ws, plan, coverage, diagnostics, {.geometry = true, .segments = true, .nearest = &nearest});
    // As `coverage --json` prints it (text need not be valid UTF-8: GDAL
    // passes bytes through, and json_text replaces what is not).
    (void)io::json_text(io::coverage_json(tables, plan.as_of, ws.path), -1);
    for (const Diagnostic& d : diagnostics.items()) {
        (void)d.describe();
    }
}

} // namespace bordercov::fuzz
