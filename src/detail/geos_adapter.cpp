#include "detail/geos_adapter.hpp"

#include <geos_c.h>

#include <memory>

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
        if (GEOSGeomGetX_r(context(), location, &x) == 1 && GEOSGeomGetY_r(context(), location, &y) == 1) {
            v.location = LonLat{x, y};
        }
    }
    return v;
}

bool lines_are_simple(const std::vector<std::vector<LonLat>>& parts) {
    std::vector<GEOSGeometry*> lines;
    for (const auto& part : parts) {
        GEOSCoordSequence* seq = GEOSCoordSeq_create_r(context(), static_cast<unsigned>(part.size()), 2);
        for (std::size_t i = 0; i < part.size(); ++i) {
            GEOSCoordSeq_setXY_r(context(), seq, static_cast<unsigned>(i), part[i].lon, part[i].lat);
        }
        lines.push_back(GEOSGeom_createLineString_r(context(), seq));
    }
    const GeometryPtr multi(GEOSGeom_createCollection_r(context(), GEOS_MULTILINESTRING, lines.data(),
                                                        static_cast<unsigned>(lines.size())));
    return !multi || GEOSisSimple_r(context(), multi.get()) == 1;
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
                    parts.push_back(GEOSGeom_clone_r(context(), GEOSGetGeometryN_r(context(), part, j)));
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

} // namespace bordercov::detail
