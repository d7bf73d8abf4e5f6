#include "bordercov/border_line.hpp"

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <boost/iterator/function_output_iterator.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <optional>

namespace bordercov {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

using DegPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using DegBox = bg::model::box<DegPoint>;

namespace {
constexpr std::uint32_t edges_per_run = 32;
} // namespace

struct BorderLine::EdgeIndex {
    using Entry = std::pair<DegBox, std::uint32_t>;
    bgi::rtree<Entry, bgi::rstar<16>> tree;
    /// Runs of up to edges_per_run consecutive edges, each as one box (value: its first
    /// edge): a tree 32 times smaller, to find quickly an edge near a point.
    bgi::rtree<Entry, bgi::rstar<16>> runs;
};

BorderLine::BorderLine(std::string line_id, std::vector<Part> parts)
    : line_id_(std::move(line_id)) {
    std::size_t total = 0;
    for (const auto& part : parts) {
        total += part.size();
    }
    vertices_.reserve(total);
    chainage_km_.reserve(total);
    part_begin_.reserve(parts.size() + 1);
    double m = 0;
    for (const auto& part : parts) {
        part_begin_.push_back(static_cast<std::uint32_t>(vertices_.size()));
        for (std::size_t i = 0; i < part.size(); ++i) {
            if (i > 0) {
                m += geodesic_distance_m(part[i - 1], part[i]);
            }
            vertices_.push_back(part[i]);
            chainage_km_.push_back(m / 1000.0);
        }
    }
    part_begin_.push_back(static_cast<std::uint32_t>(vertices_.size()));
    build_edge_index(); // now, so that a const line can be searched from many threads
}

BorderLine::~BorderLine() = default;
BorderLine::BorderLine(BorderLine&&) noexcept = default;
BorderLine& BorderLine::operator=(BorderLine&&) noexcept = default;

std::vector<BorderLine::Part> BorderLine::parts() const {
    std::vector<Part> out;
    for (std::size_t p = 0; p + 1 < part_begin_.size(); ++p) {
        out.emplace_back(vertices_.begin() + part_begin_[p],
                         vertices_.begin() + part_begin_[p + 1]);
    }
    return out;
}

std::vector<double> BorderLine::part_joins_km() const {
    std::vector<double> joins;
    for (std::size_t p = 1; p + 1 < part_begin_.size(); ++p) {
        joins.push_back(chainage_km_[part_begin_[p]]);
    }
    return joins;
}

bool BorderLine::is_edge(std::size_t v) const {
    if (v + 1 >= vertices_.size()) {
        return false;
    }
    // v is the last vertex of a part when v + 1 starts the next one.
    return !std::binary_search(part_begin_.begin(), part_begin_.end(),
                               static_cast<std::uint32_t>(v + 1));
}

namespace {

/// The edges' boxes merged into runs of consecutive edges; an edge across
/// the antimeridian (two boxes, one at each side) stays a run of its own, and
/// a run ends where a part does: the last edges of one part and the first of
/// the next, which may lie thousands of km apart, would make a box holding
/// points far from both, and a point's nearest run would then be one whose
/// edges are all far (the window of locate as large as the line).
std::vector<std::pair<DegBox, std::uint32_t>>
edge_runs(const std::vector<std::pair<DegBox, std::uint32_t>>& entries) {
    std::vector<std::pair<DegBox, std::uint32_t>> runs;
    const auto alone = [](const DegBox& b) {
        return b.min_corner().get<0>() <= -180 || b.max_corner().get<0>() >= 180;
    };
    std::uint32_t previous = 0;
    for (const auto& [box, v] : entries) {
        if (runs.empty() || alone(box) || alone(runs.back().first) ||
            v / edges_per_run != runs.back().second / edges_per_run || v != previous + 1) {
            runs.emplace_back(box, v);
        } else {
            bg::expand(runs.back().first, box);
        }
        previous = v;
    }
    return runs;
}

} // namespace

void BorderLine::build_edge_index() {
    std::vector<EdgeIndex::Entry> entries;
    entries.reserve(vertices_.size());
    for (std::size_t v = 0; v + 1 < vertices_.size(); ++v) {
        if (!is_edge(v)) {
            continue;
        }
        const LonLat a = vertices_[v], b = vertices_[v + 1];
        const double lo = std::min(a.lon, b.lon), hi = std::max(a.lon, b.lon);
        const double south = std::min(a.lat, b.lat), north = std::max(a.lat, b.lat);
        if (hi - lo > 180) { // the edge crosses the antimeridian: a box each side
            entries.emplace_back(DegBox{DegPoint{hi, south}, DegPoint{180, north}},
                                 static_cast<std::uint32_t>(v));
            entries.emplace_back(DegBox{DegPoint{-180, south}, DegPoint{lo, north}},
                                 static_cast<std::uint32_t>(v));
        } else {
            entries.emplace_back(DegBox{DegPoint{lo, south}, DegPoint{hi, north}},
                                 static_cast<std::uint32_t>(v));
        }
    }
    auto index = std::make_unique<EdgeIndex>();
    index->tree = decltype(index->tree)(entries.begin(), entries.end());
    index->runs = decltype(index->runs)(edge_runs(entries));
    edge_index_ = std::move(index);
}

const BorderLine::EdgeIndex& BorderLine::edge_index() const {
    return *edge_index_;
}

std::vector<std::uint32_t> BorderLine::edges_in_box(LonLat min, LonLat max) const {
    std::vector<std::uint32_t> edges;
    const auto ranges = lon_ranges(min.lon, max.lon);
    for (const auto& [lo, hi] : ranges) {
        const DegBox box{DegPoint{lo, min.lat}, DegPoint{hi, max.lat}};
        edge_index().tree.query(bgi::intersects(box),
                                boost::make_function_output_iterator(
                                    [&](const EdgeIndex::Entry& e) { edges.push_back(e.second); }));
    }
    if (ranges.size() > 1 || edge_index().tree.size() > vertices_.size()) {
        std::sort(edges.begin(), edges.end()); // an edge across the antimeridian has two boxes
        edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
    }
    return edges;
}

namespace {

/// Distance in metres from p to segment a-b in a local equirectangular frame
/// centred on p: a cheap, slightly approximate filter before exact geodesics.
double local_distance2_m2(LonLat p, LonLat a, LonLat b, double kx, double ky) {
    const double ax = wrap_lon(a.lon - p.lon) * kx, ay = (a.lat - p.lat) * ky;
    const double bx = wrap_lon(b.lon - p.lon) * kx, by = (b.lat - p.lat) * ky;
    const double dx = bx - ax, dy = by - ay;
    const double len2 = dx * dx + dy * dy;
    const double t = len2 > 0 ? std::clamp(-(ax * dx + ay * dy) / len2, 0.0, 1.0) : 0.0;
    const double x = ax + t * dx, y = ay + t * dy;
    return x * x + y * y;
}

} // namespace

double BorderLine::distance_bound_m(LonLat p) const {
    constexpr double deg = std::numbers::pi / 180.0;
    const DegBox box = edge_index().tree.bounds();
    const double dlat =
        std::max({0.0, box.min_corner().get<1>() - p.lat, p.lat - box.max_corner().get<1>()});
    double dlon = 360;
    for (const double lon : {p.lon - 360, p.lon, p.lon + 360}) { // the short way round
        dlon = std::min(dlon, std::max({0.0, box.min_corner().get<0>() - lon,
                                        lon - box.max_corner().get<0>()}));
    }
    // Degrees of latitude are at least 110.5 km; of longitude at least
    // 111.3 km * cos of the most poleward latitude involved.
    const double lat_max =
        std::min(90.0, std::max({std::abs(p.lat), std::abs(box.min_corner().get<1>()),
                                 std::abs(box.max_corner().get<1>())}));
    return std::max(dlat * 110500.0, dlon * 111000.0 * std::cos(lat_max * deg));
}

double BorderLine::run_distance_m(LonLat p, std::uint32_t first) const {
    const LocalScale k = local_scale(p.lat);
    const std::size_t end =
        std::min<std::size_t>(vertices_.size() - 1, (first / edges_per_run + 1) * edges_per_run);
    double m2 = std::numeric_limits<double>::infinity();
    for (std::size_t v = first; v < end; ++v) {
        if (is_edge(v)) {
            m2 = std::min(m2, local_distance2_m2(p, vertices_[v], vertices_[v + 1], k.m_per_deg_lon,
                                                 k.m_per_deg_lat));
        }
    }
    return std::sqrt(m2);
}

double BorderLine::nearby_distance_m(LonLat p, double within_m) const {
    // The run of edges nearest to p (within the window, by its box), and its
    // edge nearest in the local frame.
    const EdgeIndex& index = edge_index();
    std::optional<std::uint32_t> nearest;
    if (!std::isfinite(within_m)) {
        index.runs.query(bgi::nearest(DegPoint{p.lon, p.lat}, 1),
                         boost::make_function_output_iterator(
                             [&](const EdgeIndex::Entry& e) { nearest = e.second; }));
        return nearest ? run_distance_m(p, *nearest) : within_m;
    }
    const LocalScale k = local_scale(p.lat);
    const SearchWindow w = search_window(p, within_m);
    double least = std::numeric_limits<double>::infinity();
    for (const auto& [lo, hi] : lon_ranges(w.min.lon, w.max.lon)) {
        const DegBox window{DegPoint{lo, w.min.lat}, DegPoint{hi, w.max.lat}};
        index.runs.query(bgi::intersects(window),
                         boost::make_function_output_iterator([&](const EdgeIndex::Entry& e) {
                             const DegBox& b = e.first;
                             const double dx = std::max({0.0, b.min_corner().get<0>() - p.lon,
                                                         p.lon - b.max_corner().get<0>()});
                             const double dy = std::max({0.0, b.min_corner().get<1>() - p.lat,
                                                         p.lat - b.max_corner().get<1>()});
                             const double d2 =
                                 std::pow(std::min(dx, 360 - dx) * k.m_per_deg_lon, 2) +
                                 std::pow(dy * k.m_per_deg_lat, 2);
                             if (d2 < least) {
                                 least = d2;
                                 nearest = e.second;
                             }
                         }));
    }
    return nearest ? run_distance_m(p, *nearest) : std::numeric_limits<double>::infinity();
}

double BorderLine::first_radius_m(LonLat p, double max_m) const {
    // An edge near p is near the nearest one: its distance (a little more,
    // for the local frame's drift) nearly always bounds the answer, so that
    // one window of that radius holds it; where it does not, locate grows
    // the window. Infinite: nothing of the line lies within max_m.
    constexpr double near_window_m = 10000;
    double near_m = nearby_distance_m(p, std::min(max_m, near_window_m));
    if (!std::isfinite(near_m)) {
        if (max_m <= near_window_m) {
            return near_m;
        }
        near_m = nearby_distance_m(p);
    }
    return std::max(1.0, std::min(std::isfinite(near_m) ? near_m * 1.01 + 1.0 : 250.0, max_m));
}

void BorderLine::nearest_of(LonLat p, const std::vector<std::pair<double, std::uint32_t>>& edges,
                            double keep2, Location& best) const {
    // Each edge within the local frame's tolerance of the nearest, measured
    // from its foot along the chord (within 0.01 mm of the geodesic below
    // 10 km); only those within a millimetre of the least are measured
    // exactly, which leaves the nearest, and its ties, as every geodesic would.
    thread_local std::vector<std::pair<double, std::uint32_t>> near;
    near.clear();
    double least = std::numeric_limits<double>::infinity();
    for (const auto& [local2, v] : edges) {
        if (local2 > keep2) {
            continue;
        }
        const auto foot = local_foot_on_edge(vertices_[v], vertices_[v + 1], p);
        const double d = foot ? short_distance_m(foot->foot, p)
                              : project_onto_edge(vertices_[v], vertices_[v + 1], p).offset_m;
        near.emplace_back(d, v);
        least = std::min(least, d);
    }
    for (const auto& [d, v] : near) {
        if (d > least + 1e-3) {
            continue;
        }
        const EdgeProjection e = project_onto_edge(vertices_[v], vertices_[v + 1], p);
        const double km = chainage_km_[v] + e.fraction * (chainage_km_[v + 1] - chainage_km_[v]);
        // Ties (a point nearest to a shared vertex) go to the lower chainage.
        if (e.offset_m < best.offset_m - 1e-9 ||
            (std::abs(e.offset_m - best.offset_m) <= 1e-9 && km < best.chainage_km)) {
            best.offset_m = e.offset_m;
            best.chainage_km = km;
            best.side = e.side > 1e-12 ? 1 : (e.side < -1e-12 ? -1 : 0);
            best.on_line = e.nearest;
        }
    }
}

Location BorderLine::locate(LonLat p, double max_m) const {
    constexpr double deg = std::numbers::pi / 180.0;
    Location best;
    best.offset_m = std::numeric_limits<double>::infinity();
    if (vertices_.size() < 2) {
        return best;
    }
    const LocalScale k = local_scale(p.lat);
    thread_local std::vector<std::pair<double, std::uint32_t>> candidates;
    // A lon/lat window that surely holds every point within radius_m of p,
    // grown until the nearest edge found lies inside the radius: then no edge
    // outside the window can be nearer, and the answer is exact.
    const double first_m = first_radius_m(p, max_m);
    if (!std::isfinite(first_m)) {
        return best; // nothing within max_m
    }
    for (double radius_m = first_m;; radius_m *= 4) {
        const bool everything = radius_m > 2.5e7;
        const SearchWindow window = search_window(p, radius_m);
        const double dlat = window.max.lat - p.lat;
        std::vector<std::uint32_t> edges;
        if (everything) {
            for (std::size_t v = 0; v + 1 < vertices_.size(); ++v) {
                if (is_edge(v)) {
                    edges.push_back(static_cast<std::uint32_t>(v));
                }
            }
        } else {
            edges = edges_in_box(window.min, window.max);
        }
        if (edges.empty()) {
            if (everything || radius_m >= max_m) {
                return best;
            }
            continue;
        }
        candidates.clear();
        double best_local2 = std::numeric_limits<double>::infinity();
        for (const std::uint32_t v : edges) {
            const double d2 = local_distance2_m2(p, vertices_[v], vertices_[v + 1], k.m_per_deg_lon,
                                                 k.m_per_deg_lat);
            candidates.emplace_back(d2, v);
            best_local2 = std::min(best_local2, d2);
        }
        // The local frame's scale drifts across the window as the meridians
        // converge (by about tan(lat) * radius / R); refine exactly every edge
        // whose local distance is within that of the nearest.
        const double drift =
            1e-4 + 3.0 * std::tan(std::min(85.0, std::abs(p.lat) + dlat) * deg) * radius_m / 6.3e6;
        const double keep = std::sqrt(best_local2) * (1.0 + std::min(1.0, drift)) + 0.01;
        nearest_of(p, candidates, keep * keep, best);
        if (best.offset_m <= radius_m || everything || radius_m >= max_m) {
            return best;
        }
    }
}

std::size_t BorderLine::edge_at(double km) const {
    const auto it = std::upper_bound(chainage_km_.begin(), chainage_km_.end(), km);
    std::size_t v =
        it == chainage_km_.begin() ? 0 : static_cast<std::size_t>(it - chainage_km_.begin()) - 1;
    while (v > 0 && !is_edge(v)) {
        --v; // at the end of a part or of the line: the edge ending there
    }
    return v;
}

LonLat BorderLine::point_at(double km) const {
    if (vertices_.size() < 2) {
        return vertices_.empty() ? LonLat{} : vertices_.front();
    }
    km = std::clamp(km, 0.0, length_km());
    const std::size_t v = edge_at(km);
    const double span = chainage_km_[v + 1] - chainage_km_[v];
    const double t = span > 0 ? (km - chainage_km_[v]) / span : 0.0;
    return interpolate_on_edge(vertices_[v], vertices_[v + 1], t);
}

std::vector<BorderLine::Part> BorderLine::cut(double from_km, double to_km) const {
    if (from_km > to_km) {
        std::swap(from_km, to_km);
    }
    std::vector<Part> out;
    for (std::size_t p = 0; p + 1 < part_begin_.size(); ++p) {
        const std::size_t first = part_begin_[p], last = part_begin_[p + 1] - 1;
        if (last <= first) {
            continue;
        }
        const double lo = std::max(from_km, chainage_km_[first]);
        const double hi = std::min(to_km, chainage_km_[last]);
        if (hi <= lo) {
            continue;
        }
        const auto point_in_part = [&](double km) {
            auto it =
                std::upper_bound(chainage_km_.begin() + static_cast<std::ptrdiff_t>(first),
                                 chainage_km_.begin() + static_cast<std::ptrdiff_t>(last), km);
            std::size_t v = static_cast<std::size_t>(it - chainage_km_.begin());
            v = std::clamp<std::size_t>(v == 0 ? 0 : v - 1, first, last - 1);
            const double span = chainage_km_[v + 1] - chainage_km_[v];
            const double t = span > 0 ? (km - chainage_km_[v]) / span : 0.0;
            return std::pair{v, interpolate_on_edge(vertices_[v], vertices_[v + 1], t)};
        };
        const auto [v_lo, start] = point_in_part(lo);
        const auto [v_hi, end] = point_in_part(hi);
        Part part{start};
        for (std::size_t v = v_lo + 1; v <= v_hi; ++v) {
            if (chainage_km_[v] > lo && chainage_km_[v] < hi) {
                part.push_back(vertices_[v]);
            }
        }
        part.push_back(end);
        out.push_back(std::move(part));
    }
    return out;
}

} // namespace bordercov
