#include "detail/geos_adapter.hpp"

#include <geos_c.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <utility>

namespace bordercov::detail {

namespace {

/// A GEOS context for the calling thread, finished on exit.
class Context {
  public:
    Context() : handle_(GEOS_init_r()) {}
    ~Context() { GEOS_finish_r(handle_); }
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;
    GEOSContextHandle_t get() const { return handle_; }

  private:
    GEOSContextHandle_t handle_;
};

GEOSContextHandle_t context() {
    thread_local Context c;
    return c.get();
}

struct GeometryDeleter {
    void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(context(), g); }
};
using GeometryPtr = std::unique_ptr<GEOSGeometry, GeometryDeleter>;

struct ReaderDeleter {
    void operator()(GEOSWKBReader* r) const { GEOSWKBReader_destroy_r(context(), r); }
};
struct WriterDeleter {
    void operator()(GEOSWKBWriter* w) const { GEOSWKBWriter_destroy_r(context(), w); }
};

GeometryPtr read(const Wkb& wkb) {
    std::unique_ptr<GEOSWKBReader, ReaderDeleter> reader(GEOSWKBReader_create_r(context()));
    return GeometryPtr(GEOSWKBReader_read_r(context(), reader.get(), wkb.data(), wkb.size()));
}

} // namespace

Validity check_validity(const Wkb& wkb) {
    const GeometryPtr g = read(wkb);
    if (!g) {
        return {false, "unreadable geometry", std::nullopt};
    }
    char* reason = nullptr;
    GEOSGeometry* location = nullptr;
    const char valid = GEOSisValidDetail_r(context(), g.get(), 0, &reason, &location);
    Validity v;
    v.valid = valid == 1;
    if (reason) {
        v.reason = reason;
        GEOSFree_r(context(), reason);
    }
    if (location) {
        const GeometryPtr owned(location);
        double x = 0, y = 0;
        if (GEOSGeomGetX_r(context(), location, &x) == 1 &&
            GEOSGeomGetY_r(context(), location, &y) == 1) {
            v.location = LonLat{x, y};
        }
    }
    return v;
}

namespace {

/// A node of the noded lines that a simple multi-line would not have: where
/// pieces meet other than two at a vertex of a part, or one at a part's free
/// end, or two where two parts join. Crossings (4), a part's end on another
/// (2 at one end), the turn of a line doubling back (1 inside a part) all show.
std::optional<LonLat> odd_node(const GEOSGeometry* lines,
                               const std::vector<std::vector<LonLat>>& parts) {
    const GeometryPtr noded(GEOSNode_r(context(), lines));
    if (!noded) {
        return std::nullopt;
    }
    std::map<std::pair<double, double>, std::pair<int, int>> nodes; // degree, part ends there
    const int n = GEOSGetNumGeometries_r(context(), noded.get());
    for (int i = 0; i < n; ++i) {
        const GEOSCoordSequence* seq =
            GEOSGeom_getCoordSeq_r(context(), GEOSGetGeometryN_r(context(), noded.get(), i));
        unsigned size = 0;
        if (!seq || GEOSCoordSeq_getSize_r(context(), seq, &size) == 0 || size < 2) {
            continue;
        }
        for (const unsigned at : {0U, size - 1}) {
            double x = 0, y = 0;
            GEOSCoordSeq_getXY_r(context(), seq, at, &x, &y);
            ++nodes[{x, y}].first;
        }
    }
    for (const auto& part : parts) {
        if (!part.empty()) {
            ++nodes[{part.front().lon, part.front().lat}].second;
            ++nodes[{part.back().lon, part.back().lat}].second;
        }
    }
    for (const auto& [xy, count] : nodes) {
        const auto [degree, ends] = count;
        if (degree != (ends == 0 ? 2 : ends)) {
            return LonLat{xy.first, xy.second};
        }
    }
    return std::nullopt;
}

} // namespace

Simplicity lines_are_simple(const std::vector<std::vector<LonLat>>& parts) {
    std::vector<GEOSGeometry*> lines;
    for (const auto& part : parts) {
        GEOSCoordSequence* seq =
            GEOSCoordSeq_create_r(context(), static_cast<unsigned>(part.size()), 2);
        for (std::size_t i = 0; i < part.size(); ++i) {
            GEOSCoordSeq_setXY_r(context(), seq, static_cast<unsigned>(i), part[i].lon,
                                 part[i].lat);
        }
        lines.push_back(GEOSGeom_createLineString_r(context(), seq));
    }
    const GeometryPtr multi(GEOSGeom_createCollection_r(
        context(), GEOS_MULTILINESTRING, lines.data(), static_cast<unsigned>(lines.size())));
    if (!multi || GEOSisSimple_r(context(), multi.get()) == 1) {
        return {};
    }
    return {false, odd_node(multi.get(), parts)};
}

Wkb make_valid(const Wkb& wkb) {
    const GeometryPtr g = read(wkb);
    if (!g) {
        return {};
    }
    const GeometryPtr fixed(GEOSMakeValid_r(context(), g.get()));
    if (!fixed) {
        return {};
    }
    // A collection may hold stray lines or points besides the polygons.
    GeometryPtr polygons;
    const int type = GEOSGeomTypeId_r(context(), fixed.get());
    if (type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON) {
        polygons.reset(GEOSGeom_clone_r(context(), fixed.get()));
    } else if (type == GEOS_GEOMETRYCOLLECTION) {
        // Keep every polygon, also those inside a multipolygon member.
        std::vector<GEOSGeometry*> parts;
        for (int i = 0; i < GEOSGetNumGeometries_r(context(), fixed.get()); ++i) {
            const GEOSGeometry* part = GEOSGetGeometryN_r(context(), fixed.get(), i);
            const int part_type = GEOSGeomTypeId_r(context(), part);
            if (part_type == GEOS_POLYGON) {
                parts.push_back(GEOSGeom_clone_r(context(), part));
            } else if (part_type == GEOS_MULTIPOLYGON) {
                for (int j = 0; j < GEOSGetNumGeometries_r(context(), part); ++j) {
                    parts.push_back(
                        GEOSGeom_clone_r(context(), GEOSGetGeometryN_r(context(), part, j)));
                }
            }
        }
        polygons.reset(GEOSGeom_createCollection_r(context(), GEOS_MULTIPOLYGON, parts.data(),
                                                   static_cast<unsigned>(parts.size())));
    }
    if (!polygons) {
        return {};
    }
    std::unique_ptr<GEOSWKBWriter, WriterDeleter> writer(GEOSWKBWriter_create_r(context()));
    std::size_t size = 0;
    unsigned char* bytes = GEOSWKBWriter_write_r(context(), writer.get(), polygons.get(), &size);
    Wkb out(bytes, bytes + size);
    GEOSFree_r(context(), bytes);
    return out;
}

namespace {

struct PreparedDeleter {
    void operator()(const GEOSPreparedGeometry* p) const {
        GEOSPreparedGeom_destroy_r(context(), p);
    }
};
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

/// A closed ring of at least four points, as GEOS wants it; null when the ring has too few.
GEOSGeometry* make_ring(const Ring& ring) {
    std::vector<LonLat> points(ring.begin(), ring.end());
    if (!points.empty() && !(points.front() == points.back())) {
        points.push_back(points.front());
    }
    if (points.size() < 4) {
        return nullptr;
    }
    GEOSCoordSequence* seq =
        GEOSCoordSeq_create_r(context(), static_cast<unsigned>(points.size()), 2);
    for (std::size_t i = 0; i < points.size(); ++i) {
        GEOSCoordSeq_setXY_r(context(), seq, static_cast<unsigned>(i), points[i].lon,
                             points[i].lat);
    }
    return GEOSGeom_createLinearRing_r(context(), seq);
}

/// The area as a GEOS multipolygon; null when it has no polygon with an outer ring.
GeometryPtr make_multipolygon(const MultiPolygon& area) {
    std::vector<GEOSGeometry*> polygons;
    for (const Polygon& polygon : area) {
        GEOSGeometry* shell = polygon.empty() ? nullptr : make_ring(polygon.front());
        if (shell == nullptr) {
            continue;
        }
        std::vector<GEOSGeometry*> holes;
        for (std::size_t r = 1; r < polygon.size(); ++r) {
            if (GEOSGeometry* hole = make_ring(polygon[r])) {
                holes.push_back(hole);
            }
        }
        if (GEOSGeometry* p = GEOSGeom_createPolygon_r(context(), shell, holes.data(),
                                                       static_cast<unsigned>(holes.size()))) {
            polygons.push_back(p);
        }
    }
    if (polygons.empty()) {
        return nullptr;
    }
    return GeometryPtr(GEOSGeom_createCollection_r(context(), GEOS_MULTIPOLYGON, polygons.data(),
                                                   static_cast<unsigned>(polygons.size())));
}

Wkb to_wkb(const GEOSGeometry* g) {
    std::unique_ptr<GEOSWKBWriter, WriterDeleter> writer(GEOSWKBWriter_create_r(context()));
    std::size_t size = 0;
    unsigned char* bytes = GEOSWKBWriter_write_r(context(), writer.get(), g, &size);
    if (bytes == nullptr) {
        return {};
    }
    Wkb out(bytes, bytes + size);
    GEOSFree_r(context(), bytes);
    return out;
}

/// Every linestring in g (a line, a multi-line or a collection), as points.
void collect_lines(const GEOSGeometry* g, std::vector<std::vector<LonLat>>& out) {
    const int type = GEOSGeomTypeId_r(context(), g);
    if (type == GEOS_LINESTRING) {
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(context(), g);
        unsigned size = 0;
        if (seq == nullptr || GEOSCoordSeq_getSize_r(context(), seq, &size) == 0 || size < 2) {
            return;
        }
        std::vector<LonLat>& line = out.emplace_back();
        for (unsigned i = 0; i < size; ++i) {
            double x = 0, y = 0;
            GEOSCoordSeq_getXY_r(context(), seq, i, &x, &y);
            line.push_back({x, y});
        }
    } else if (type == GEOS_MULTILINESTRING || type == GEOS_GEOMETRYCOLLECTION) {
        for (int i = 0; i < GEOSGetNumGeometries_r(context(), g); ++i) {
            collect_lines(GEOSGetGeometryN_r(context(), g, i), out);
        }
    }
}

} // namespace

struct PolygonalAreas::Impl {
    /// One area as GEOS holds it, made on first use.
    struct Made {
        GeometryPtr geometry; ///< null: empty, or GEOS could not make it
        PreparedPtr prepared;
        double area = 0;
        double xmin = 0, ymin = 0, xmax = 0, ymax = 0;
    };
    std::vector<const MultiPolygon*> areas;
    std::vector<std::optional<Made>> made;

    const Made& get(std::size_t i) {
        if (!made[i]) {
            Made m;
            m.geometry = make_multipolygon(*areas[i]);
            if (m.geometry) {
                m.prepared.reset(GEOSPrepare_r(context(), m.geometry.get()));
                if (GEOSArea_r(context(), m.geometry.get(), &m.area) != 1 ||
                    GEOSGeom_getExtent_r(context(), m.geometry.get(), &m.xmin, &m.ymin, &m.xmax,
                                         &m.ymax) != 1) {
                    m.area = 0;
                }
            }
            made[i] = std::move(m);
        }
        return *made[i];
    }
};

PolygonalAreas::PolygonalAreas(std::vector<const MultiPolygon*> areas)
    : impl_(std::make_unique<Impl>()) {
    impl_->made.resize(areas.size());
    impl_->areas = std::move(areas);
}

PolygonalAreas::~PolygonalAreas() = default;

std::optional<AreaOverlap> PolygonalAreas::overlap(std::size_t a, std::size_t b,
                                                   double min_share) const {
    const Impl::Made& first = impl_->get(a);
    const Impl::Made& second = impl_->get(b);
    if (!first.geometry || !second.geometry || !first.prepared || first.area <= 0 ||
        second.area <= 0) {
        return std::nullopt;
    }
    // The prepared test is cheap and rules out most pairs whose boxes only
    // meet; the intersection itself is worked out only for those that touch
    // or overlap.
    if (GEOSPreparedIntersects_r(context(), first.prepared.get(), second.geometry.get()) != 1) {
        return std::nullopt;
    }
    // The overlap lies within both boxes: cut each area down to their common
    // box first (a linear clip), so that the intersection, which nodes every
    // edge, only sees the edges near the shared boundary. The box is widened
    // a little so that no edge runs along its sides, where the clip would
    // be degenerate.
    const double margin = 1e-7 * std::max({1.0, std::abs(first.xmax), std::abs(first.ymax)});
    const double xmin = std::max(first.xmin, second.xmin) - margin,
                 ymin = std::max(first.ymin, second.ymin) - margin;
    const double xmax = std::min(first.xmax, second.xmax) + margin,
                 ymax = std::min(first.ymax, second.ymax) + margin;
    GeometryPtr common;
    {
        const GeometryPtr near_first(
            GEOSClipByRect_r(context(), first.geometry.get(), xmin, ymin, xmax, ymax));
        const GeometryPtr near_second(
            GEOSClipByRect_r(context(), second.geometry.get(), xmin, ymin, xmax, ymax));
        if (near_first && near_second) {
            common.reset(GEOSIntersection_r(context(), near_first.get(), near_second.get()));
        }
    }
    if (!common) { // the clip or the overlay failed: the whole areas, then
        common.reset(GEOSIntersection_r(context(), first.geometry.get(), second.geometry.get()));
    }
    double area = 0;
    if (!common || GEOSArea_r(context(), common.get(), &area) != 1) {
        return std::nullopt;
    }
    const double share = area / std::min(first.area, second.area);
    if (!(share > min_share)) {
        return std::nullopt;
    }
    AreaOverlap overlap;
    overlap.area_deg2 = area;
    overlap.share = share;
    overlap.smaller = first.area <= second.area ? a : b;
    const GeometryPtr inside(GEOSPointOnSurface_r(context(), common.get()));
    double x = 0, y = 0;
    if (!inside || GEOSGeomGetX_r(context(), inside.get(), &x) != 1 ||
        GEOSGeomGetY_r(context(), inside.get(), &y) != 1) {
        return std::nullopt;
    }
    overlap.point = {x, y};
    overlap.geometry = to_wkb(common.get());
    return overlap;
}

std::vector<std::vector<LonLat>> lines_inside(const Wkb& area,
                                              const std::vector<std::vector<LonLat>>& parts) {
    std::vector<std::vector<LonLat>> out;
    const GeometryPtr polygon = read(area);
    if (!polygon) {
        return out;
    }
    std::vector<GEOSGeometry*> lines;
    for (const auto& part : parts) {
        if (part.size() < 2) {
            continue;
        }
        GEOSCoordSequence* seq =
            GEOSCoordSeq_create_r(context(), static_cast<unsigned>(part.size()), 2);
        for (std::size_t i = 0; i < part.size(); ++i) {
            GEOSCoordSeq_setXY_r(context(), seq, static_cast<unsigned>(i), part[i].lon,
                                 part[i].lat);
        }
        lines.push_back(GEOSGeom_createLineString_r(context(), seq));
    }
    const GeometryPtr multi(GEOSGeom_createCollection_r(
        context(), GEOS_MULTILINESTRING, lines.data(), static_cast<unsigned>(lines.size())));
    if (!multi) {
        return out;
    }
    const GeometryPtr inside(GEOSIntersection_r(context(), multi.get(), polygon.get()));
    if (inside) {
        collect_lines(inside.get(), out);
    }
    return out;
}

} // namespace bordercov::detail
