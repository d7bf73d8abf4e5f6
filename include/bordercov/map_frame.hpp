// The frame of a map drawn as SVG: lon/lat projected by PROJ to a
// transverse Mercator centred on the area (conformal; scale within 0.03 %
// of true across a province, so a scale bar holds everywhere on the map and
// grid north is true north at the centre), then scaled into a box of SVG
// units, north up, with a margin. Lines are thinned to what the picture can
// show (vertices closer than half a unit are dropped).
//
// Example usage:
//     const MapFrame frame(commune_vertices, 1000, 640, 30);
//     SvgPoint p = frame.to_svg({107.6, 13.9});
//     const ScaleBar bar = scale_bar(frame, 200);   // e.g. 2,000 m as 187.4 units
#pragma once

#include "bordercov/geodesy.hpp"

#include <memory>
#include <span>
#include <string>
#include <vector>

namespace bordercov {

struct SvgPoint {
    double x = 0; ///< right
    double y = 0; ///< down
};

class MapFrame {
  public:
    /// A frame over the points (at least one): their box in the projection,
    /// at least min_extent_m on each side, fitted into `width` units with
    /// `margin` on every side; the height follows the area's shape, at most
    /// max_height.
    MapFrame(std::span<const LonLat> area, double width, double max_height, double margin,
             double min_extent_m = 500);
    ~MapFrame();
    MapFrame(MapFrame&&) noexcept;
    MapFrame& operator=(MapFrame&&) noexcept;

    SvgPoint to_svg(LonLat p) const;
    double width() const { return width_; }
    double height() const { return height_; }
    LonLat centre() const { return centre_; }
    /// SVG units per metre on the ground at the centre.
    double units_per_metre() const { return units_per_metre_; }
    /// The direction of true north at the centre, degrees clockwise from
    /// the SVG's up (the projection's meridian convergence there; 0 on its
    /// central meridian).
    double north_deg() const { return north_deg_; }
    /// The PROJ definition of the projection.
    const std::string& projection() const { return projection_; }

    /// SVG path data of a polyline ("M x y L x y ..."), thinned; closed
    /// with Z when `closed`. Coordinates to 0.1 unit.
    std::string path(std::span<const LonLat> line, bool closed = false) const;

  private:
    struct Projection;
    std::unique_ptr<Projection> projection_impl_;
    std::string projection_;
    LonLat centre_;
    double min_x_ = 0, max_y_ = 0; ///< the projected box's west and north edges, metres
    double scale_ = 1;             ///< SVG units per projected metre
    double offset_x_ = 0, offset_y_ = 0;
    double width_ = 0, height_ = 0;
    double units_per_metre_ = 1;
    double north_deg_ = 0;

    SvgPoint projected(LonLat p) const;
};

/// A scale bar: a round length on the ground (1, 2 or 5 × 10^k m) drawn at
/// most max_units long, as the frame measures at its centre.
struct ScaleBar {
    double metres = 0;
    double units = 0;
};
ScaleBar scale_bar(const MapFrame& frame, double max_units);

} // namespace bordercov
