#include "bordercov/checks.hpp"

#include "bordercov/commune_index.hpp"
#include "bordercov/coverage.hpp"
#include "detail/geos_adapter.hpp"

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <boost/iterator/function_output_iterator.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <optional>
#include <unordered_set>

namespace bordercov {

namespace {

/// Warnings about one layer of the workspace.
class Warnings {
  public:
    Warnings(const Workspace& ws, const char* layer, Diagnostics& diagnostics)
        : reporter_(ws.file_of(layer), layer, diagnostics) {}
    Diagnostic& add(const char* code, std::string id, std::int64_t fid, std::string field,
                    std::string message) {
        return reporter_.add(Severity::warning, code, std::move(id), fid, std::move(field),
                             std::move(message));
    }

  private:
    LayerReporter reporter_;
};

/// "21" -> 21, "21/1" -> 21 (an auxiliary marker of 21); nullopt otherwise.
std::optional<long> main_number(const std::string& marker_id) {
    long n = 0;
    const auto [ptr, ec] =
        std::from_chars(marker_id.data(), marker_id.data() + marker_id.size(), n);
    if (ec != std::errc{} || ptr == marker_id.data()) {
        return std::nullopt;
    }
    return n;
}

void lines_simple(const Workspace& ws, Diagnostics& diagnostics) {
    for (const BorderLine& line : ws.lines) {
        const detail::Simplicity simplicity = detail::lines_are_simple(line.parts());
        if (simplicity.simple) {
            continue;
        }
        const std::string at = simplicity.location
                                   ? fmt::format(" at POINT ({:.7f} {:.7f})",
                                                 simplicity.location->lon, simplicity.location->lat)
                                   : std::string();
        Diagnostic& d =
            Warnings(ws, "border_lines", diagnostics)
                .add("line-not-simple", line.line_id(), line.fid, {},
                     fmt::format(
                         "the line crosses or runs along itself (or one of its parts another){}: "
                         "km along it count twice there. Redraw the line there so that it "
                         "passes each place once.",
                         at));
        if (simplicity.location) {
            d.where = {*simplicity.location};
        }
    }
}

void households_in_their_communes(const Workspace& ws, const Plan& plan, Diagnostics& diagnostics) {
    if (ws.communes.empty()) {
        return;
    }
    const CommuneIndex index(ws.communes);
    Warnings households(ws, "households", diagnostics);
    for (const Household& h : ws.households) {
        const int own = plan.find_commune_id(h.commune_id);
        if (!h.home || own < 0 || ws.communes[static_cast<std::size_t>(own)].area.empty()) {
            continue;
        }
        const int at = index.commune_at(*h.home);
        if (at == own) {
            continue;
        }
        households
            .add("household-outside-commune", h.household_id, h.fid, "commune_id",
                 fmt::format(
                     "the home at POINT ({:.7f} {:.7f}) lies {} but commune_id says '{}'. Move the "
                     "home or correct commune_id.",
                     h.home->lon, h.home->lat,
                     at < 0 ? std::string("in no commune")
                            : fmt::format("in '{}'",
                                          ws.communes[static_cast<std::size_t>(at)].commune_id),
                     h.commune_id))
            .where = {*h.home};
    }
}

/// Overlaps smaller than this share of the smaller commune are digitising
/// slivers along a shared boundary, not worth a warning: a few metres' width
/// along the edge of a commune some km across.
constexpr double min_overlap_share = 0.001;

/// The communes must share the land out: where two overlap in area (not
/// only along their common edge), the border there is counted for the first
/// of them only (docs/method.md, "Coverage": each piece belongs to the commune that contains it).
/// Only communes whose boxes meet are compared, found with an R-tree, so
/// that a thousand communes cost a few thousand comparisons, not half a million.
void communes_apart(const Workspace& ws, Diagnostics& diagnostics) {
    namespace bg = boost::geometry;
    namespace bgi = boost::geometry::index;
    using Point = bg::model::d2::point_xy<double>;
    using Box = bg::model::box<Point>;
    std::vector<std::pair<Box, std::size_t>> boxes;
    std::vector<const MultiPolygon*> areas;
    for (std::size_t i = 0; i < ws.communes.size(); ++i) {
        areas.push_back(&ws.communes[i].area);
        constexpr double inf = std::numeric_limits<double>::infinity();
        Box box{{inf, inf}, {-inf, -inf}};
        for (const Polygon& polygon : ws.communes[i].area) {
            if (polygon.empty()) {
                continue;
            }
            for (const LonLat& v : polygon.front()) {
                bg::expand(box, Point{v.lon, v.lat});
            }
        }
        if (box.min_corner().x() <= box.max_corner().x()) {
            boxes.emplace_back(box, i);
        }
    }
    if (boxes.size() < 2) {
        return;
    }
    const bgi::rtree<std::pair<Box, std::size_t>, bgi::quadratic<16>> index(boxes.begin(),
                                                                            boxes.end());
    const detail::PolygonalAreas geometry(std::move(areas));
    Warnings communes(ws, "communes", diagnostics);
    for (const auto& [box, i] : boxes) {
        std::vector<std::size_t> later;
        const auto keep_later = [&later, i = i](const std::pair<Box, std::size_t>& e) {
            if (e.second > i) {
                later.push_back(e.second);
            }
        };
        index.query(bgi::intersects(box), boost::make_function_output_iterator(keep_later));
        std::sort(later.begin(), later.end());
        for (const std::size_t j : later) {
            const auto overlap = geometry.overlap(i, j, min_overlap_share);
            if (!overlap) {
                continue;
            }
            const Commune& first = ws.communes[i];
            const Commune& second = ws.communes[j];
            double border_km = 0;
            for (const BorderLine& line : ws.lines) {
                for (const auto& piece : detail::lines_inside(overlap->geometry, line.parts())) {
                    border_km += geodesic_length_km(piece);
                }
            }
            // Square degrees to km² with the scale at the overlap: close
            // enough for an area a few km across.
            const LocalScale scale = local_scale(overlap->point.lat);
            const double km2 = overlap->area_deg2 * scale.m_per_deg_lon * scale.m_per_deg_lat / 1e6;
            const std::string border =
                border_km > 0 ? fmt::format(": the {:.3f} km of border line inside it count for "
                                            "'{}' only",
                                            border_km, first.commune_id)
                              : std::string("; no border line runs through it");
            communes
                .add("overlapping-communes", second.commune_id, second.fid, {},
                     fmt::format("communes '{}' and '{}' overlap over about {:.2f} km² ({:.1f}% of "
                                 "'{}') around POINT ({:.7f} {:.7f}){}. Redraw the boundary "
                                 "between them in QGIS so that they only meet along it (with "
                                 "snapping on; the Topology Checker's 'must not overlap' rule "
                                 "finds every overlap).",
                                 first.commune_id, second.commune_id, km2, 100 * overlap->share,
                                 ws.communes[overlap->smaller].commune_id, overlap->point.lon,
                                 overlap->point.lat, border))
                .where = {overlap->point};
        }
    }
}

void teams_with_households(const Workspace& ws, Diagnostics& diagnostics) {
    std::unordered_set<std::string_view> with_households;
    for (const Household& h : ws.households) {
        with_households.insert(h.team_id);
    }
    Warnings teams(ws, "teams", diagnostics);
    for (const Team& t : ws.teams) {
        if (!with_households.count(t.team_id)) {
            teams.add("team-without-households", t.team_id, t.fid, "team_id",
                      "no household belongs to this team. Give households its team_id, or remove "
                      "the team.");
        }
    }
}

/// Along each line, marker numbers should run one way; a marker whose
/// number goes against the line's main direction is named.
void markers_in_order(const Workspace& ws, const Plan& plan, Diagnostics& diagnostics) {
    std::vector<std::vector<std::pair<double, std::uint32_t>>> on_line(ws.lines.size());
    for (std::uint32_t m = 0; m < ws.markers.size(); ++m) {
        if (plan.markers[m].line >= 0 && main_number(ws.markers[m].marker_id)) {
            on_line[static_cast<std::size_t>(plan.markers[m].line)].emplace_back(
                plan.markers[m].chainage_km, m);
        }
    }
    Warnings out_of_order(ws, "markers", diagnostics);
    for (std::size_t l = 0; l < on_line.size(); ++l) {
        auto& markers = on_line[l];
        std::sort(markers.begin(), markers.end());
        long rising = 0;
        for (std::size_t i = 1; i < markers.size(); ++i) {
            const long a = *main_number(ws.markers[markers[i - 1].second].marker_id);
            const long b = *main_number(ws.markers[markers[i].second].marker_id);
            rising += b > a ? 1 : (b < a ? -1 : 0);
        }
        const int direction = rising >= 0 ? 1 : -1;
        for (std::size_t i = 1; i < markers.size(); ++i) {
            const Marker& before = ws.markers[markers[i - 1].second];
            const Marker& m = ws.markers[markers[i].second];
            const long a = *main_number(before.marker_id), b = *main_number(m.marker_id);
            if (direction > 0 ? b >= a : b <= a) { // no subtraction: ids may be any long
                continue;
            }
            out_of_order
                .add("marker-out-of-order", m.marker_id, m.fid, "marker_id",
                     fmt::format(
                         "along line '{}' marker '{}' (at {:.3f} km) comes after '{}' (at {:.3f} "
                         "km), "
                         "against the numbering, which {} along the line. Check the two markers' "
                         "positions and ids.",
                         ws.lines[l].line_id(), m.marker_id, markers[i].first, before.marker_id,
                         markers[i - 1].first, direction > 0 ? "rises" : "falls"))
                .where = {m.position};
        }
    }
}

} // namespace

void check_consistency(const Workspace& ws, const Plan& plan, Diagnostics& diagnostics) {
    lines_simple(ws, diagnostics);
    communes_apart(ws, diagnostics);
    households_in_their_communes(ws, plan, diagnostics);
    teams_with_households(ws, diagnostics);
    markers_in_order(ws, plan, diagnostics);
}

void check_border_in_communes(const Workspace& ws, Diagnostics& diagnostics) {
    if (ws.communes.empty()) {
        return;
    }
    const CommuneIndex index(ws.communes);
    Warnings warnings(ws, "border_lines", diagnostics);
    for (const BorderLine& line : ws.lines) {
        // Runs of pieces in no commune, merged where they touch (a part join
        // may cut one).
        std::vector<std::pair<double, double>> outside;
        for (const CommunePiece& p : index.split(line)) {
            if (p.commune >= 0) {
                continue;
            }
            if (!outside.empty() && p.from_km - outside.back().second <= chainage_resolution_km) {
                outside.back().second = p.to_km;
            } else {
                outside.emplace_back(p.from_km, p.to_km);
            }
        }
        for (const auto& [from, to] : outside) {
            if (to - from <= chainage_resolution_km) {
                continue; // below the resolution of chainage: the same place
            }
            Diagnostic& d = warnings.add(
                "border-outside-communes", line.line_id(), line.fid, {},
                fmt::format(
                    "the border from {:.3f} km to {:.3f} km ({:.3f} km) lies in no commune "
                    "polygon: "
                    "it counts for no commune (\"-\") in the per-commune and per-district figures. "
                    "Add the commune it runs through, or extend the commune boundary to the line.",
                    from, to, to - from));
            for (auto& part : line.cut(from, to)) {
                d.where.insert(d.where.end(), part.begin(), part.end());
            }
        }
    }
}

} // namespace bordercov
