// Google Benchmark of the engine's hot functions on synthetic in-memory data:
// chainage of a long line, locating points (R-tree + exact geodesic vs every
// edge), the coverage sweep over many assignments, and nearest on a plan
// shaped like the real border's (its lines read from geodata/). Whole commands are
// measured by tools/bench-coverage against GDAL's bare read.
#include "bordercov/border_line.hpp"
#include "bordercov/coverage.hpp"
#include "bordercov/nearest.hpp"
#include "bordercov/resolve.hpp"

#include <benchmark/benchmark.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <limits>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>

using namespace bordercov;

namespace {

/// A random walk with a vertex every spacing_m metres.
std::vector<LonLat> walk(std::size_t vertices, double spacing_m, unsigned seed = 1,
                         LonLat start = {104.0, 10.0}) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> turn(-8, 8);
    std::vector<LonLat> out{start};
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

/// A national-like plan in memory: 5 lines of 1,000 km (a vertex each 20 m),
/// 300,000 households each holding ~16 m with a home 0.5-5 km off the line.
struct NationalPlan {
    Workspace ws;
    Plan plan;
    std::vector<LonLat> incidents; ///< places within 2 km of a line

    NationalPlan() {
        std::mt19937 rng(4);
        std::uniform_real_distribution<double> off(500, 5000), unit(0, 1), near(0, 2000),
            angle(0, 360);
        for (unsigned l = 0; l < 5; ++l) {
            ws.lines.emplace_back(
                "L" + std::to_string(l),
                std::vector<BorderLine::Part>{walk(50001, 20, 10 + l, {100.0 + 3.0 * l, 8.0})});
        }
        const std::size_t per_line = 60000;
        for (std::uint32_t l = 0; l < ws.lines.size(); ++l) {
            const BorderLine& line = ws.lines[l];
            const double step = line.length_km() / static_cast<double>(per_line);
            for (std::size_t i = 0; i < per_line; ++i) {
                Household h;
                h.household_id = "H" + std::to_string(l) + "-" + std::to_string(i);
                const double km = step * static_cast<double>(i);
                h.home = geodesic_direct(line.point_at(km), angle(rng), off(rng));
                ws.households.push_back(h);
                Assignment a;
                a.assignment_id = "A" + h.household_id;
                a.party_id = h.household_id;
                a.line_id = line.line_id();
                a.from_km = km;
                a.to_km = km + step * (unit(rng) < 0.02 ? 0.5 : 1.0); // some gaps
                ws.assignments.push_back(a);
            }
            for (int i = 0; i < 20000; ++i) {
                incidents.push_back(geodesic_direct(line.point_at(unit(rng) * line.length_km()),
                                                    angle(rng), near(rng)));
            }
        }
        Diagnostics diagnostics;
        plan = resolve(ws, {}, diagnostics);
    }
};

const NationalPlan& national() {
    static const NationalPlan p;
    return p;
}

/// An incident point: located on the nearest line, then the 5 nearest parties.
void BM_NearestAt(benchmark::State& state) {
    const NationalPlan& n = national();
    const NearestIndex index(n.ws, n.plan);
    std::size_t i = 0;
    for (auto _ : state) {
        const LonLat p = n.incidents[i++ % n.incidents.size()];
        const auto [line, at] = locate_on_workspace(n.ws, p);
        benchmark::DoNotOptimize(index.rank({line, at.chainage_km, at.chainage_km, p}, 5));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NearestAt);

/// The two halves of BM_NearestAt: placing the point on the nearest line...
void BM_NearestAtLocateOnly(benchmark::State& state) {
    const NationalPlan& n = national();
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(locate_on_workspace(n.ws, n.incidents[i++ % n.incidents.size()]));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NearestAtLocateOnly);

/// ... and ranking the parties at that place.
void BM_NearestAtRankOnly(benchmark::State& state) {
    const NationalPlan& n = national();
    const NearestIndex index(n.ws, n.plan);
    std::vector<PlaceOnBorder> places;
    for (std::size_t j = 0; j < 1000; ++j) {
        const auto [line, at] = locate_on_workspace(n.ws, n.incidents[j]);
        places.push_back({line, at.chainage_km, at.chainage_km, n.incidents[j]});
    }
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(index.rank(places[i++ % places.size()], 5));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NearestAtRankOnly);

/// The reference: every party's along-border km and exact geodesic km.
void BM_NearestAtBruteForce(benchmark::State& state) {
    const NationalPlan& n = national();
    std::size_t i = 0;
    std::vector<std::pair<double, double>> keys(n.plan.parties.size());
    for (auto _ : state) {
        const LonLat p = n.incidents[i++ % n.incidents.size()];
        const auto [line, at] = locate_on_workspace(n.ws, p);
        std::fill(keys.begin(), keys.end(), std::pair{no_stretch_km, no_stretch_km});
        for (const Commitment& c : n.plan.commitments) {
            if (c.stretch.line == line) {
                keys[c.party].first =
                    std::min(keys[c.party].first, c.stretch.distance_km(at.chainage_km));
            }
        }
        for (std::size_t q = 0; q < keys.size(); ++q) {
            keys[q].second = geodesic_distance_m(p, *n.plan.parties[q].home) / 1000.0;
        }
        std::partial_sort(keys.begin(), keys.begin() + 5, keys.end());
        benchmark::DoNotOptimize(keys.front());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NearestAtBruteForce)->Iterations(5)->Unit(benchmark::kMillisecond);

/// A plan shaped like the real border's (docs/performance.md, "The realistic
/// national workspace"): the three lines of geodata/vietnam-borders.geojson
/// (45 parts) with a vertex every 20 m, 279,000 active household stretches of
/// 12-20 m scattered at random (they overlap, and cover about 61 % of the
/// border in about 100,000 gaps), homes 0.2-4.5 km off the line, and
/// incident points up to 3 km either side.
struct RealisticPlan {
    Workspace ws;
    Plan plan;
    std::vector<LonLat> incidents;

    static std::vector<BorderLine::Part> densified(const OGRGeometry& g) {
        std::vector<BorderLine::Part> parts;
        const auto add = [&](const OGRLineString& ls) {
            BorderLine::Part in;
            for (int i = 0; i < ls.getNumPoints(); ++i) {
                in.push_back({ls.getX(i), ls.getY(i)});
            }
            const BorderLine raw("raw", {in});
            BorderLine::Part out;
            for (double km = 0; km < raw.length_km(); km += 0.02) {
                out.push_back(raw.point_at(km));
            }
            out.push_back(in.back());
            parts.push_back(std::move(out));
        };
        if (const auto* multi = dynamic_cast<const OGRMultiLineString*>(&g)) {
            for (const OGRLineString* ls : *multi) {
                add(*ls);
            }
        } else if (const auto* ls = dynamic_cast<const OGRLineString*>(&g)) {
            add(*ls);
        }
        return parts;
    }

    void read_lines() {
        GDALAllRegister();
        const std::string path = BORDERCOV_SOURCE_DIR "/geodata/vietnam-borders.geojson";
        std::unique_ptr<GDALDataset> ds(
            GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
        if (!ds) {
            throw std::runtime_error("cannot open " + path);
        }
        for (const auto& f : *ds->GetLayer(0)) {
            ws.lines.emplace_back(f->GetFieldAsString("line_id"), densified(*f->GetGeometryRef()));
        }
    }

    RealisticPlan() {
        read_lines();
        std::mt19937 rng(5);
        std::uniform_real_distribution<double> unit(0, 1), angle(0, 360);
        double total = 0;
        for (const BorderLine& l : ws.lines) {
            total += l.length_km();
        }
        for (int i = 0; i < 279000; ++i) {
            // A line in proportion to its length, a place at random on it.
            double at = unit(rng) * total;
            std::size_t l = 0;
            while (l + 1 < ws.lines.size() && at > ws.lines[l].length_km()) {
                at -= ws.lines[l++].length_km();
            }
            const BorderLine& line = ws.lines[l];
            const double from = std::min(at, line.length_km() - 0.02);
            Household h;
            h.household_id = "H" + std::to_string(i);
            const double off = 200 + 4300 * std::pow(unit(rng), 2); // mostly near
            h.home = geodesic_direct(line.point_at(from), angle(rng), off);
            ws.households.push_back(h);
            Assignment a;
            a.assignment_id = "A" + std::to_string(i);
            a.party_id = h.household_id;
            a.line_id = line.line_id();
            a.from_km = from;
            a.to_km = from + 0.012 + 0.008 * unit(rng);
            ws.assignments.push_back(a);
            if (i % 14 == 0) {
                incidents.push_back(
                    geodesic_direct(line.point_at(at), angle(rng), 3000 * unit(rng)));
            }
        }
        Diagnostics diagnostics;
        plan = resolve(ws, {}, diagnostics);
    }
};

const RealisticPlan& realistic() {
    static const RealisticPlan p;
    return p;
}

/// nearest --from on the realistic plan: every incident point located on the
/// nearest line and its 5 nearest parties ranked, on every core
/// (rank_points); items are incident points.
void BM_NearestRealistic(benchmark::State& state) {
    const RealisticPlan& r = realistic();
    const NearestIndex index(r.ws, r.plan);
    for (auto _ : state) {
        benchmark::DoNotOptimize(rank_points(r.ws, index, r.incidents, 5));
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(r.incidents.size()));
}
BENCHMARK(BM_NearestRealistic)->Unit(benchmark::kMillisecond)->UseRealTime();

/// Its two halves on one core: locating on the nearest of the three lines...
void BM_NearestRealisticLocateOnly(benchmark::State& state) {
    const RealisticPlan& r = realistic();
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(locate_on_workspace(r.ws, r.incidents[i++ % r.incidents.size()]));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NearestRealisticLocateOnly);

/// ... and ranking the parties there.
void BM_NearestRealisticRankOnly(benchmark::State& state) {
    const RealisticPlan& r = realistic();
    const NearestIndex index(r.ws, r.plan);
    std::vector<PlaceOnBorder> places;
    for (std::size_t j = 0; j < 2000; ++j) {
        const auto [line, at] = locate_on_workspace(r.ws, r.incidents[j]);
        places.push_back({line, at.chainage_km, at.chainage_km, r.incidents[j]});
    }
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(index.rank(places[i++ % places.size()], 5));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NearestRealisticRankOnly);

} // namespace

BENCHMARK_MAIN();
