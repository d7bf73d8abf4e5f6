// The workspace as bordercov holds it in memory: the seven layers of a border
// self-management plan, in WGS 84 lon/lat, each feature keeping its id and
// OGR FID so every result and diagnostic can point back to it.
#pragma once

#include "bordercov/border_line.hpp"
#include "bordercov/date.hpp"
#include "bordercov/geodesy.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bordercov {

struct Marker {
    std::string marker_id;
    std::string line_id;
    std::string kind;
    std::optional<Date> built;
    LonLat position;
    std::int64_t fid = -1;
};

/// Rings in lon/lat, the first of each polygon its outer ring.
using Ring = std::vector<LonLat>;
using Polygon = std::vector<Ring>;
using MultiPolygon = std::vector<Polygon>;

struct Commune {
    std::string commune_id;
    std::string name;
    std::string district;
    std::string province;
    MultiPolygon area;
    std::int64_t fid = -1;
};

struct Team {
    std::string team_id;
    std::string name;
    std::string commune_id;
    std::string kind;
    std::string leader;
    std::string phone; ///< optional: a contact for field teams
    std::optional<LonLat> position;
    std::int64_t fid = -1;
};

struct Household {
    std::string household_id;
    std::string head;
    std::string team_id;
    std::string commune_id;
    std::optional<std::int64_t> members;
    std::string phone; ///< optional: a contact for field teams
    std::optional<LonLat> home;
    std::int64_t fid = -1;
};

enum class PartyType { team, household };
const char* to_string(PartyType t);

/// A commitment to a stretch, in the form the planner wrote it; resolve.hpp
/// turns every form into one chainage interval.
struct Assignment {
    std::string assignment_id;
    PartyType party_type = PartyType::household;
    std::string party_id;
    std::string line_id;
    std::string from_marker, to_marker;
    std::optional<double> from_km, to_km;
    std::vector<LonLat> drawn; ///< a digitised LineString, empty when none
    std::optional<Date> signed_on, expires;
    std::int64_t fid = -1;
};

struct MarkerCustodian {
    std::string marker_id;
    PartyType party_type = PartyType::household;
    std::string party_id;
    std::optional<Date> signed_on, expires;
    std::int64_t fid = -1;
};

/// Where each layer came from, to name it in messages and to write outputs
/// back in the workspace's CRS.
struct LayerSource {
    std::string file;
    std::string layer;
    bool has_geometry = false; ///< the layer has a geometry column
    std::string crs_wkt;       ///< its CRS (WKT2), when it has one
    std::vector<std::string>
        fields; ///< its fields' names as stored (a Shapefile's cut to 10 characters)
};

struct Workspace {
    std::string path;
    std::string crs_wkt; ///< CRS of border_lines as read (outputs keep it)
    std::string crs_name;
    std::vector<BorderLine> lines;
    std::vector<Marker> markers;
    std::vector<Commune> communes;
    std::vector<Team> teams;
    std::vector<Household> households;
    std::vector<Assignment> assignments;
    std::vector<MarkerCustodian> custodians;
    std::vector<LayerSource> sources; ///< the layers that were found
    /// The file a layer was read from ("" when the layer is absent).
    std::string file_of(const std::string& layer) const;
};

/// The nearest line to p, with p located on it (ties: the first line).
std::pair<std::uint32_t, Location> locate_on_workspace(const Workspace& ws, LonLat p);

} // namespace bordercov
