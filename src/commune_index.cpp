#include "bordercov/commune_index.hpp"

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <boost/iterator/function_output_iterator.hpp>

#include <algorithm>
#include <cmath>
#include <optional>

namespace bordercov {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace {

using DegPoint = bg::model::d2::point_xy<double>;
using DegBox = bg::model::box<DegPoint>;
using DegPolygon = bg::model::polygon<DegPoint>;
using DegMultiPolygon = bg::model::multi_polygon<DegPolygon>;

DegMultiPolygon to_boost(const MultiPolygon& area) {
    DegMultiPolygon out;
    for (const Polygon& polygon : area) {
        if (polygon.empty()) {
            continue;
        }
        DegPolygon p;
        for (const LonLat& v : polygon.front()) {
            p.outer().emplace_back(v.lon, v.lat);
        }
        for (std::size_t r = 1; r < polygon.size(); ++r) {
            auto& inner = p.inners().emplace_back();
            for (const LonLat& v : polygon[r]) {
                inner.emplace_back(v.lon, v.lat);
            }
        }
        out.push_back(std::move(p));
    }
    bg::correct(out); // orientation and closure as Boost.Geometry expects them
    return out;
}

std::optional<DegBox> envelope(const MultiPolygon& area) {
    std::optional<DegBox> box;
    for (const Polygon& polygon : area) {
        for (const LonLat& v : polygon.empty() ? Ring{} : polygon.front()) {
            if (!box) {
                box = DegBox{{v.lon, v.lat}, {v.lon, v.lat}};
            }
            box->min_corner().x(std::min(box->min_corner().x(), v.lon));
            box->min_corner().y(std::min(box->min_corner().y(), v.lat));
            box->max_corner().x(std::max(box->max_corner().x(), v.lon));
            box->max_corner().y(std::max(box->max_corner().y(), v.lat));
        }
    }
    return box;
}

/// Where segment a-b meets segment c-d, as fractions of a-b (0, 1 or 2 of them).
void crossings(LonLat a, LonLat b, LonLat c, LonLat d, std::vector<double>& out) {
    const double rx = b.lon - a.lon, ry = b.lat - a.lat;
    const double sx = d.lon - c.lon, sy = d.lat - c.lat;
    const double denom = rx * sy - ry * sx;
    const double qx = c.lon - a.lon, qy = c.lat - a.lat;
    const double rr = rx * rx + ry * ry;
    if (rr == 0) {
        return;
    }
    const double scale = std::sqrt(rr * (sx * sx + sy * sy));
    if (std::abs(denom) <= 1e-14 * scale) {
        // Parallel: when collinear, the ends of c-d that lie on a-b are cuts.
        if (std::abs(qx * ry - qy * rx) > 1e-14 * rr) {
            return;
        }
        for (const LonLat e : {c, d}) {
            const double t = ((e.lon - a.lon) * rx + (e.lat - a.lat) * ry) / rr;
            if (t >= 0 && t <= 1) {
                out.push_back(t);
            }
        }
        return;
    }
    const double t = (qx * sy - qy * sx) / denom;
    const double u = (qx * ry - qy * rx) / denom;
    if (t >= 0 && t <= 1 && u >= 0 && u <= 1) {
        out.push_back(t);
    }
}

} // namespace

struct CommuneIndex::Impl {
    std::vector<DegMultiPolygon> areas;
    const std::vector<Commune>* communes = nullptr;
    bgi::rtree<std::pair<DegBox, int>, bgi::quadratic<16>> boxes;
};

CommuneIndex::CommuneIndex(const std::vector<Commune>& communes) : impl_(std::make_unique<Impl>()) {
    impl_->communes = &communes;
    std::vector<std::pair<DegBox, int>> entries;
    for (std::size_t i = 0; i < communes.size(); ++i) {
        impl_->areas.push_back(to_boost(communes[i].area));
        if (const auto box = envelope(communes[i].area)) {
            entries.emplace_back(*box, static_cast<int>(i));
        }
    }
    impl_->boxes = decltype(impl_->boxes)(entries.begin(), entries.end());
}

CommuneIndex::~CommuneIndex() = default;

int CommuneIndex::commune_at(LonLat p) const {
    const DegPoint point{p.lon, p.lat};
    int found = -1;
    impl_->boxes.query(
        bgi::intersects(point),
        boost::make_function_output_iterator([&](const std::pair<DegBox, int>& e) {
            // Overlapping communes: the first in workspace order wins.
            if ((found < 0 || e.second < found) &&
                bg::covered_by(point, impl_->areas[static_cast<std::size_t>(e.second)])) {
                found = e.second;
            }
        }));
    return found;
}

std::vector<CommunePiece> CommuneIndex::split(const BorderLine& line) const {
    const double length = line.length_km();
    // Part joins cut too: the boundary between two communes may fall in the
    // hole between two parts, which no polygon edge crosses.
    std::vector<double> cuts = line.part_joins_km();
    cuts.push_back(0.0);
    cuts.push_back(length);
    const auto& vertices = line.vertices();
    const auto& chainage = line.vertex_chainage_km();
    std::vector<double> fractions;
    for (const Commune& commune : *impl_->communes) {
        for (const Polygon& polygon : commune.area) {
            for (const Ring& ring : polygon) {
                for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
                    const LonLat c = ring[i], d = ring[i + 1];
                    for (const std::uint32_t v :
                         line.edges_in_box({std::min(c.lon, d.lon), std::min(c.lat, d.lat)},
                                           {std::max(c.lon, d.lon), std::max(c.lat, d.lat)})) {
                        fractions.clear();
                        crossings(vertices[v], vertices[v + 1], c, d, fractions);
                        for (const double t : fractions) {
                            // The crossing is found in lon/lat, where the
                            // polygon's edges are straight; its chainage is
                            // measured along the geodesic edge of the line.
                            const LonLat a = vertices[v], b = vertices[v + 1];
                            const LonLat x{a.lon + t * (b.lon - a.lon),
                                           a.lat + t * (b.lat - a.lat)};
                            const double along = project_onto_edge(a, b, x).fraction;
                            cuts.push_back(chainage[v] + along * (chainage[v + 1] - chainage[v]));
                        }
                    }
                }
            }
        }
    }
    std::sort(cuts.begin(), cuts.end());
    std::vector<CommunePiece> pieces;
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
        const double from = cuts[i], to = cuts[i + 1];
        if (to - from <= 1e-9) {
            continue; // the same crossing found twice, at a shared vertex
        }
        const int commune = commune_at(line.point_at(0.5 * (from + to)));
        if (!pieces.empty() && pieces.back().commune == commune) {
            pieces.back().to_km = to;
        } else {
            pieces.push_back({pieces.empty() ? 0.0 : pieces.back().to_km, to, commune});
        }
    }
    if (pieces.empty() && length > 0) {
        pieces.push_back({0.0, length, commune_at(line.point_at(0.5 * length))});
    }
    return pieces;
}

} // namespace bordercov
