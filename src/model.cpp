#include "bordercov/model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace bordercov {

const char* to_string(PartyType t) {
    return t == PartyType::team ? "team" : "household";
}

std::string Workspace::file_of(const std::string& layer) const {
    for (const auto& s : sources) {
        if (s.layer == layer) {
            return s.file;
        }
    }
    return {};
}

std::pair<std::uint32_t, Location> locate_on_workspace(const Workspace& ws, LonLat p) {
    // The line that seems nearest first, so that the others are searched
    // only within its distance; a line whose lower bound passes the nearest
    // found, or with nothing within near_m when that is nearer, is not
    // searched at all.
    constexpr double near_m = 10000;
    std::vector<std::pair<double, std::uint32_t>> order;
    for (std::uint32_t i = 0; i < ws.lines.size(); ++i) {
        order.emplace_back(ws.lines[i].nearby_distance_m(p, near_m), i);
    }
    std::sort(order.begin(), order.end());
    std::pair<std::uint32_t, Location> best{order.empty() ? 0 : order.front().second, {}};
    best.second.offset_m = std::numeric_limits<double>::infinity();
    for (const auto& [near, i] : order) {
        if ((!std::isfinite(near) && best.second.offset_m <= near_m) ||
            ws.lines[i].distance_bound_m(p) > best.second.offset_m) {
            continue; // nothing of this line can be nearer
        }
        const Location at = ws.lines[i].locate(p, best.second.offset_m);
        if (at.offset_m < best.second.offset_m ||
            (at.offset_m == best.second.offset_m && i < best.first)) {
            best = {i, at};
        }
    }
    return best;
}

} // namespace bordercov
