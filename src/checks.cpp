#include "bordercov/checks.hpp"

#include "bordercov/commune_index.hpp"
#include "detail/geos_adapter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <unordered_set>

namespace bordercov {

namespace {

/// Warnings about one layer of the workspace.
class Warnings {
public:
    Warnings(const Workspace& ws, const char* layer, Diagnostics& diagnostics)
        : reporter_(ws.file_of(layer), layer, diagnostics) {}
    Diagnostic& add(const char* code, std::string id, std::int64_t fid, std::string field, std::string message) {
        return reporter_.add(Severity::warning, code, std::move(id), fid, std::move(field), std::move(message));
    }

private:
    LayerReporter reporter_;
};

/// "21" -> 21, "21/1" -> 21 (an auxiliary marker of 21); nullopt otherwise.
std::optional<long> main_number(const std::string& marker_id) {
    long n = 0;
    const auto [ptr, ec] = std::from_chars(marker_id.data(), marker_id.data() + marker_id.size(), n);
    if (ec != std::errc{} || ptr == marker_id.data()) {
        return std::nullopt;
    }
    return n;
}

void lines_simple(const Workspace& ws, Diagnostics& diagnostics) {
    for (const BorderLine& line : ws.lines) {
        if (!detail::lines_are_simple(line.parts())) {
            Warnings(ws, "border_lines", diagnostics).add("line-not-simple", line.line_id(), line.fid, {},
                                   "the line crosses or runs along itself (or one of its parts another): "
                                   "km along it count twice there. Find the crossing in QGIS (Vector > "
                                   "Geometry Tools > Check Validity) and redraw it.");
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
        households.add(
            "household-outside-commune", h.household_id, h.fid, "commune_id",
            fmt::format("the home at POINT ({:.7f} {:.7f}) lies {} but commune_id says '{}'. Move the "
                        "home or correct commune_id.",
                        h.home->lon, h.home->lat,
                        at < 0 ? std::string("in no commune")
                               : fmt::format("in '{}'", ws.communes[static_cast<std::size_t>(at)].commune_id),
                        h.commune_id))
            .where = {*h.home};
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
                      "no household belongs to this team. Give households its team_id, or remove the team.");
        }
    }
}

/// Along each line, marker numbers should run one way; a marker whose
/// number goes against the line's main direction is named.
void markers_in_order(const Workspace& ws, const Plan& plan, Diagnostics& diagnostics) {
    std::vector<std::vector<std::pair<double, std::uint32_t>>> on_line(ws.lines.size());
    for (std::uint32_t m = 0; m < ws.markers.size(); ++m) {
        if (plan.markers[m].line >= 0 && main_number(ws.markers[m].marker_id)) {
            on_line[static_cast<std::size_t>(plan.markers[m].line)].emplace_back(plan.markers[m].chainage_km, m);
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
            if ((b - a) * direction >= 0) {
                continue;
            }
            out_of_order.add(
                "marker-out-of-order", m.marker_id, m.fid, "marker_id",
                fmt::format("along line '{}' marker '{}' (at {:.3f} km) comes after '{}' (at {:.3f} km), "
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
    households_in_their_communes(ws, plan, diagnostics);
    teams_with_households(ws, diagnostics);
    markers_in_order(ws, plan, diagnostics);
}

} // namespace bordercov
