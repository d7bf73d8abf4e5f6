// Google Benchmark of the engine's hot functions on synthetic in-memory data:
// chainage of a long line, locating points (R-tree + exact geodesic vs every
// edge), and the coverage sweep over many assignments. Whole commands are
// measured by tools/bench-coverage against GDAL's bare read.
#include "bordercov/border_line.hpp"
#include "bordercov/coverage.hpp"
#include "bordercov/resolve.hpp"

#include <benchmark/benchmark.h>

#include <limits>
#include <random>

using namespace bordercov;

namespace {

/// A random walk with a vertex every spacing_m metres.
std::vector<LonLat> walk(std::size_t vertices, double spacing_m, unsigned seed = 1) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> turn(-8, 8);
    std::vector<LonLat> out{{104.0, 10.0}};
    double heading = 20;
    while (out.size() < vertices) {
        heading += turn(rng);
        out.push_back(geodesic_direct(out.back(), heading, spacing_m));
    }
    return out;
}

void BM_Chainage(benchmark::State& state) {
    const auto vertices = walk(static_cast<std::size_t>(state.range(0)), 20);
    for (auto _ : state) {
        BorderLine line("L", {vertices});
        benchmark::DoNotOptimize(line.length_km());
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Chainage)->Arg(250000)->Unit(benchmark::kMillisecond);

std::vector<LonLat> points_near(const std::vector<LonLat>& line, std::size_t n) {
    std::mt19937 rng(2);
    std::uniform_int_distribution<std::size_t> pick(0, line.size() - 1);
    std::uniform_real_distribution<double> away(0, 500), direction(0, 360);
    std::vector<LonLat> out;
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(geodesic_direct(line[pick(rng)], direction(rng), away(rng)));
    }
    return out;
}

void BM_LocateIndexed(benchmark::State& state) {
    const auto vertices = walk(static_cast<std::size_t>(state.range(0)), 20);
    const BorderLine line("L", {vertices});
    const auto points = points_near(vertices, 1000);
    line.locate(points[0]); // build the index outside the loop
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(line.locate(points[i++ % points.size()]));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LocateIndexed)->Arg(10000)->Arg(250000);

/// The reference the index is measured against: every edge, exactly.
void BM_LocateEveryEdge(benchmark::State& state) {
    const auto vertices = walk(static_cast<std::size_t>(state.range(0)), 20);
    const auto points = points_near(vertices, 1000);
    std::size_t i = 0;
    for (auto _ : state) {
        const LonLat p = points[i++ % points.size()];
        double best = std::numeric_limits<double>::infinity();
        for (std::size_t v = 0; v + 1 < vertices.size(); ++v) {
            best = std::min(best, project_onto_edge(vertices[v], vertices[v + 1], p).offset_m);
        }
        benchmark::DoNotOptimize(best);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LocateEveryEdge)->Arg(10000);

void BM_CoverageSweep(benchmark::State& state) {
    // 1,000 km of line, n household stretches of ~3 m each side by side with
    // a few gaps and overlaps, as in a national workspace.
    Workspace ws;
    ws.lines.emplace_back("L", std::vector<BorderLine::Part>{walk(50001, 20)});
    const double length = ws.lines[0].length_km();
    const auto n = static_cast<std::size_t>(state.range(0));
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> jitter(-0.002, 0.002);
    for (std::size_t i = 0; i < n; ++i) {
        Household h;
        h.household_id = "H" + std::to_string(i);
        ws.households.push_back(h);
        Assignment a;
        a.assignment_id = "A" + std::to_string(i);
        a.party_id = h.household_id;
        a.line_id = "L";
        const double from = length * static_cast<double>(i) / static_cast<double>(n);
        a.from_km = std::max(0.0, from + jitter(rng));
        a.to_km = std::min(length, from + length / static_cast<double>(n) + jitter(rng));
        ws.assignments.push_back(a);
    }
    Diagnostics diagnostics;
    const Plan plan = resolve(ws, {}, diagnostics);
    for (auto _ : state) {
        const Coverage cov = compute_coverage(ws, plan, {});
        benchmark::DoNotOptimize(cov.total.covered_km);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_CoverageSweep)->Arg(300000)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
