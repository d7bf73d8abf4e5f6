// A border line and its chainage: the km along it from the first vertex of its
// first part, each edge a WGS 84 geodesic. The parts of a multi-line are
// chained in order; the physical gap between two parts adds no chainage. Every
// stretch in bordercov is an interval of this chainage (stretch.hpp).
//
// Example usage:
//     BorderLine line("L1", {{{108.0, 13.5}, {108.0, 13.6}}});
//     double km = line.length_km();               // 11.06...
//     Location at = line.locate({108.01, 13.55}); // chainage, offset, side
//     auto parts = line.cut(2.0, 5.5);            // geometry of [2, 5.5] km
#pragma once

#include "bordercov/geodesy.hpp"

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace bordercov {

/// A point located on a line.
struct Location {
    double chainage_km = 0;
    double offset_m = 0; ///< geodesic distance from the point to the line
    int side = 0;        ///< +1 right of the line's direction, -1 left, 0 on it
    LonLat on_line;      ///< the nearest point of the line
};

class BorderLine {
  public:
    using Part = std::vector<LonLat>;

    /// Each part needs two or more vertices (callers check; see reader).
    BorderLine(std::string line_id, std::vector<Part> parts);
    ~BorderLine();
    BorderLine(BorderLine&&) noexcept;
    BorderLine& operator=(BorderLine&&) noexcept;

    const std::string& line_id() const { return line_id_; }
    double length_km() const { return chainage_km_.empty() ? 0.0 : chainage_km_.back(); }
    std::size_t part_count() const { return part_begin_.size() - 1; }

    /// Vertex v's chainage; vertices are flat over all parts.
    const std::vector<LonLat>& vertices() const { return vertices_; }
    const std::vector<double>& vertex_chainage_km() const { return chainage_km_; }
    /// The parts, as read (repeated vertices dropped).
    std::vector<Part> parts() const;
    /// Chainages where one part ends and the next begins (empty for one part).
    std::vector<double> part_joins_km() const;

    /// The nearest point of the line to p (exact on the ellipsoid). When
    /// nothing of the line lies within max_m, offset_m may come back infinite.
    Location locate(LonLat p, double max_m = std::numeric_limits<double>::infinity()) const;
    /// Lower bound in metres of the distance from p to any point of the line.
    double distance_bound_m(LonLat p) const;
    /// Metres from p to an edge near it, in a local frame: near the distance
    /// to the line (a cheap estimate, not a bound), to decide which line to
    /// locate on first. Infinite when no edge lies within within_m of p: the
    /// line is then surely farther than that.
    double nearby_distance_m(LonLat p,
                             double within_m = std::numeric_limits<double>::infinity()) const;
    /// The point at chainage km (clamped to [0, length]).
    LonLat point_at(double km) const;
    /// Geometry of the stretch [from_km, to_km], one polyline per part it touches.
    std::vector<Part> cut(double from_km, double to_km) const;

    /// Edges (as index of their first vertex) whose lon/lat box meets the box.
    std::vector<std::uint32_t> edges_in_box(LonLat min, LonLat max) const;

    std::string name;
    std::string neighbour;
    /// On which side of the line's direction the neighbour lies: "left",
    /// "right", or "" when the workspace does not say.
    std::string neighbour_side;
    std::int64_t fid = -1;

  private:
    struct EdgeIndex;
    void build_edge_index();
    const EdgeIndex& edge_index() const;
    bool is_edge(std::size_t v) const; // v and v+1 are in the same part
    double first_radius_m(LonLat p, double max_m) const;
    double run_distance_m(LonLat p, std::uint32_t first) const;
    void nearest_of(LonLat p, const std::vector<std::pair<double, std::uint32_t>>& edges,
                    double keep2, Location& best) const;
    std::size_t edge_at(double km) const;

    std::string line_id_;
    std::vector<LonLat> vertices_;
    std::vector<double> chainage_km_;
    std::vector<std::uint32_t> part_begin_; // part p is [part_begin_[p], part_begin_[p+1])
    std::unique_ptr<EdgeIndex> edge_index_; ///< R-tree over the edges' lon/lat boxes
};

} // namespace bordercov
