#include "bordercov/map_frame.hpp"

#include <fmt/format.h>
#include <proj.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace bordercov {

/// PROJ's context and transverse Mercator, owned together.
struct MapFrame::Projection {
    PJ_CONTEXT* context = nullptr;
    PJ* forward = nullptr;

    explicit Projection(const std::string& definition) {
        context = proj_context_create();
        forward = proj_create(context, definition.c_str());
        if (forward == nullptr) {
            proj_context_destroy(context);
            throw std::runtime_error("PROJ cannot make the projection " + definition);
        }
    }
    ~Projection() {
        proj_destroy(forward);
        proj_context_destroy(context);
    }
    Projection(const Projection&) = delete;
    Projection& operator=(const Projection&) = delete;

    /// Metres east and north.
    SvgPoint operator()(LonLat p) const {
        const PJ_COORD in = proj_coord(proj_torad(p.lon), proj_torad(p.lat), 0, 0);
        const PJ_COORD out = proj_trans(forward, PJ_FWD, in);
        return {out.xy.x, out.xy.y};
    }
};

MapFrame::~MapFrame() = default;
MapFrame::MapFrame(MapFrame&&) noexcept = default;
MapFrame& MapFrame::operator=(MapFrame&&) noexcept = default;

MapFrame::MapFrame(std::span<const LonLat> area, double width, double max_height, double margin,
                   double min_extent_m) {
    if (area.empty()) {
        throw std::invalid_argument("a map frame needs at least one point");
    }
    double west = std::numeric_limits<double>::infinity(), east = -west, south = west,
           north = -west;
    for (const LonLat& p : area) {
        west = std::min(west, p.lon);
        east = std::max(east, p.lon);
        south = std::min(south, p.lat);
        north = std::max(north, p.lat);
    }
    centre_ = {0.5 * (west + east), 0.5 * (south + north)};
    projection_ = fmt::format("+proj=tmerc +lat_0={:.6f} +lon_0={:.6f} +k=1 +x_0=0 +y_0=0 "
                              "+ellps=WGS84 +units=m",
                              centre_.lat, centre_.lon);
    projection_impl_ = std::make_unique<Projection>(projection_);
    double min_x = std::numeric_limits<double>::infinity(), max_x = -min_x, min_y = min_x,
           max_y = -min_x;
    for (const LonLat& p : area) {
        const SvgPoint m = (*projection_impl_)(p);
        min_x = std::min(min_x, m.x);
        max_x = std::max(max_x, m.x);
        min_y = std::min(min_y, m.y);
        max_y = std::max(max_y, m.y);
    }
    // At least min_extent_m each way, around the middle of the box.
    const auto widen = [&](double& lo, double& hi) {
        const double grow = std::max(0.0, min_extent_m - (hi - lo)) / 2;
        lo -= grow;
        hi += grow;
    };
    widen(min_x, max_x);
    widen(min_y, max_y);
    const double inner_w = width - 2 * margin;
    const double inner_h = max_height - 2 * margin;
    scale_ = std::min(inner_w / (max_x - min_x), inner_h / (max_y - min_y));
    width_ = width;
    height_ = (max_y - min_y) * scale_ + 2 * margin;
    min_x_ = min_x;
    max_y_ = max_y;
    offset_x_ = margin + (inner_w - (max_x - min_x) * scale_) / 2;
    offset_y_ = margin;
    // The point scale and meridian convergence at the centre.
    const PJ_COORD c = proj_coord(proj_torad(centre_.lon), proj_torad(centre_.lat), 0, 0);
    const PJ_FACTORS f = proj_factors(projection_impl_->forward, c);
    const double k = f.meridional_scale > 0 ? f.meridional_scale : 1.0;
    units_per_metre_ = scale_ * k;
    north_deg_ = -f.meridian_convergence * 180.0 / M_PI;
}

SvgPoint MapFrame::projected(LonLat p) const {
    return (*projection_impl_)(p);
}

SvgPoint MapFrame::to_svg(LonLat p) const {
    const SvgPoint m = projected(p);
    return {offset_x_ + (m.x - min_x_) * scale_, offset_y_ + (max_y_ - m.y) * scale_};
}

std::string MapFrame::path(std::span<const LonLat> line, bool closed) const {
    std::string d;
    d.reserve(line.size() * 12);
    SvgPoint last{};
    for (std::size_t i = 0; i < line.size(); ++i) {
        const SvgPoint p = to_svg(line[i]);
        const bool end = i + 1 == line.size();
        if (i > 0 && !end && std::hypot(p.x - last.x, p.y - last.y) < 0.5) {
            continue; // closer than the picture shows
        }
        fmt::format_to(std::back_inserter(d), "{}{:.1f} {:.1f}", i == 0 ? "M" : " L", p.x, p.y);
        last = p;
    }
    if (closed && !d.empty()) {
        d += " Z";
    }
    return d;
}

ScaleBar scale_bar(const MapFrame& frame, double max_units) {
    const double max_m = max_units / frame.units_per_metre();
    double metres = std::pow(10.0, std::floor(std::log10(max_m)));
    for (const double step : {5.0, 2.0}) {
        if (metres * step <= max_m) {
            metres *= step;
            break;
        }
    }
    return {metres, metres * frame.units_per_metre()};
}

} // namespace bordercov
