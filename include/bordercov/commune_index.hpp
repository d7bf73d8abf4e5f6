// Communes as a spatial index over their polygons: which commune holds a point,
// and where a border line crosses commune boundaries. Polygon edges are taken
// as straight in lon/lat, as QGIS and GEOS take them for geographic data.
#pragma once

#include "bordercov/border_line.hpp"
#include "bordercov/model.hpp"

#include <memory>
#include <vector>

namespace bordercov {

/// A piece of a line that belongs to one commune (-1: none, written "-").
struct CommunePiece {
    double from_km = 0;
    double to_km = 0;
    int commune = -1;
};

class CommuneIndex {
  public:
    explicit CommuneIndex(const std::vector<Commune>& communes);
    ~CommuneIndex();

    /// Index of the commune whose area holds p, or -1.
    int commune_at(LonLat p) const;

    /// The line cut by the commune polygons into maximal pieces, each given to
    /// the commune that contains it; together they cover [0, length].
    std::vector<CommunePiece> split(const BorderLine& line) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace bordercov
