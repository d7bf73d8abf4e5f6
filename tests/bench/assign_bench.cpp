// Google Benchmark of the exact min-cost assignment (min_cost_assignment.hpp)
// on problems shaped like a national plan's: pieces of gaps along a border,
// households' homes 0.2 to 4.5 km from it, each piece's candidates the
// households with room whose home lies within 5 km, costed as assign costs
// them (another commune, then metres along the border, then metres from the
// home). The density is the national workspace's of docs/performance.md:
// 36 pieces and 9.5 households with room per km of border, one piece each,
// so most households end full and most pieces go to a team. The number of
// pieces is the argument: 10,000, 50,000 and 170,000 (the whole border).
#include "bordercov/min_cost_assignment.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <random>

using namespace bordercov;

namespace {

struct Shape {
    double pieces_per_km = 36.4;
    double households_per_km = 9.5; ///< with room
    std::int64_t capacity = 1;      ///< pieces a household may take
};

/// The border as the x axis in metres; communes are blocks of 4.7 km.
AssignmentProblem national_like(std::size_t pieces, const Shape& shape, unsigned seed = 18) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    std::gamma_distribution<double> offset_shape(1.5, 1.0);
    const double length_m = static_cast<double>(pieces) / shape.pieces_per_km * 1000;
    const auto households = static_cast<std::size_t>(length_m / 1000 * shape.households_per_km);
    struct Home {
        double x, y;
    };
    std::vector<Home> homes(households);
    for (Home& h : homes) {
        h = {u(rng) * length_m, 200 + std::min(4300.0, 900 * offset_shape(rng))};
    }
    std::sort(homes.begin(), homes.end(), [](const Home& a, const Home& b) { return a.x < b.x; });
    const std::int64_t home_unit = 5001, commune_unit = 10'000'001 * home_unit;
    AssignmentProblem p;
    p.capacity.assign(households, shape.capacity);
    p.items.resize(pieces);
    const double step = length_m / static_cast<double>(pieces);
    for (std::size_t i = 0; i < pieces; ++i) {
        const double from = step * static_cast<double>(i), to = from + step * (0.4 + 0.6 * u(rng));
        const auto first = std::lower_bound(homes.begin(), homes.end(), from - 5000,
                                            [](const Home& h, double x) { return h.x < x; });
        for (auto h = first; h != homes.end() && h->x <= to + 5000; ++h) {
            const double along = std::max({0.0, from - h->x, h->x - to});
            const double home_m = std::hypot(along, h->y);
            if (home_m <= 5000) {
                const bool own = std::floor(h->x / 4700) == std::floor(from / 4700);
                p.items[i].candidates.push_back({static_cast<std::uint32_t>(h - homes.begin()),
                                                 (own ? 0 : commune_unit) +
                                                     std::llround(along) * home_unit +
                                                     std::llround(home_m)});
            }
        }
    }
    return p;
}

void run(benchmark::State& state, const Shape& shape) {
    const AssignmentProblem p = national_like(static_cast<std::size_t>(state.range(0)), shape);
    std::size_t edges = 0;
    for (const auto& item : p.items) {
        edges += item.candidates.size();
    }
    AssignmentResult r;
    for (auto _ : state) {
        r = solve_min_cost_assignment(p);
        benchmark::DoNotOptimize(r.total_cost);
    }
    state.counters["households"] = static_cast<double>(p.capacity.size());
    state.counters["candidates"] = static_cast<double>(edges);
    state.counters["to_households"] =
        static_cast<double>(p.items.size()) - static_cast<double>(r.fallback_weight);
    state.SetItemsProcessed(state.iterations() * state.range(0));
}

/// The national shape: four pieces for every household with room.
void BM_AssignPiecesMostHouseholdsFull(benchmark::State& state) {
    run(state, {});
}
BENCHMARK(BM_AssignPiecesMostHouseholdsFull)
    ->Arg(10'000)
    ->Arg(50'000)
    ->Arg(170'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

/// The other shape: households with room for twice the pieces, so that
/// every piece finds one (a plan mostly covered already).
void BM_AssignPiecesRoomToSpare(benchmark::State& state) {
    run(state, {.pieces_per_km = 9.5, .households_per_km = 9.5, .capacity = 2});
}
BENCHMARK(BM_AssignPiecesRoomToSpare)
    ->Arg(10'000)
    ->Arg(50'000)
    ->Arg(170'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

} // namespace

BENCHMARK_MAIN();
