#include "bordercov/model.hpp"

#include <algorithm>
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
    // Lines in order of a lower bound of their distance; stop when the bound
    // passes the nearest found, and never search a line beyond it.
    std::vector<std::pair<double, std::uint32_t>> order;
    for (std::uint32_t i = 0; i < ws.lines.size(); ++i) {
        order.emplace_back(ws.lines[i].distance_bound_m(p), i);
    }
    std::sort(order.begin(), order.end());
    std::pair<std::uint32_t, Location> best{order.empty() ? 0 : order.front().second, {}};
    best.second.offset_m = std::numeric_limits<double>::infinity();
    for (const auto& [bound, i] : order) {
        if (bound > best.second.offset_m) {
            break; // lines in order of their bound: none further on is nearer
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
