// In-memory workspaces for engine tests: a meridian border line, whose
// chainage at a latitude is the PROJ distance from its start (computed here,
// independently), and short-hands for parties and assignments.
#pragma once

#include "bordercov/model.hpp"
#include "reference.hpp"

#include <string>
#include <vector>

namespace bordercov::test {

/// km along the 108th meridian from 13.0 N to lat (PROJ, not bordercov).
inline double meridian_km(double lat) {
    return ref_distance_m(108, 13.0, 108, lat) / 1000.0;
}

/// The latitude at km along that meridian.
inline double meridian_lat(double km) {
    double lon = 0, lat = 0;
    ref_direct(108, 13.0, 0, km * 1000.0, lon, lat);
    return lat;
}

/// Line "L" on the 108th meridian from 13.0 N to 13.5 N, a vertex each 0.05 degree.
inline Workspace meridian_workspace() {
    Workspace ws;
    std::vector<LonLat> vertices;
    for (int i = 0; i <= 10; ++i) {
        vertices.push_back({108.0, 13.0 + 0.05 * i});
    }
    ws.lines.emplace_back("L", std::vector<BorderLine::Part>{vertices});
    for (const char* id : {"H1", "H2", "H3"}) {
        Household h;
        h.household_id = id;
        h.team_id = "T1";
        ws.households.push_back(h);
    }
    Team t;
    t.team_id = "T1";
    t.name = "Tổ 1";
    ws.teams.push_back(t);
    Team t2;
    t2.team_id = "T2";
    t2.name = "Tổ 2";
    ws.teams.push_back(t2);
    return ws;
}

inline Assignment km_assignment(std::string id, std::string party, double from, double to,
                                PartyType type = PartyType::household) {
    Assignment a;
    a.assignment_id = std::move(id);
    a.party_type = type;
    a.party_id = std::move(party);
    a.line_id = "L";
    a.from_km = from;
    a.to_km = to;
    return a;
}

inline Marker marker(std::string id, double lon, double lat) {
    Marker m;
    m.marker_id = std::move(id);
    m.line_id = "L";
    m.position = {lon, lat};
    return m;
}

} // namespace bordercov::test
