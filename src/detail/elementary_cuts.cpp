#include "detail/elementary_cuts.hpp"

#include "bordercov/coverage.hpp"

#include <algorithm>
#include <iterator>

namespace bordercov::detail {

std::vector<double> elementary_cuts(const BorderLine& line, std::vector<double> cuts) {
    constexpr double eps_km = chainage_resolution_km;
    cuts.push_back(0.0);
    cuts.push_back(line.length_km());
    std::sort(cuts.begin(), cuts.end());
    // Cuts within the resolution of the one before collapse into it.
    std::size_t kept = 0;
    for (std::size_t i = 1; i < cuts.size(); ++i) {
        if (cuts[i] - cuts[kept] > eps_km) {
            cuts[++kept] = cuts[i];
        }
    }
    cuts.resize(kept + 1);
    // A cut that close to an end or a part join moves onto it.
    std::vector<double> fixed = line.part_joins_km();
    fixed.push_back(0.0);
    fixed.push_back(line.length_km());
    for (const double f : fixed) {
        auto it = std::lower_bound(cuts.begin(), cuts.end(), f);
        if (it != cuts.end() && *it - f <= eps_km) {
            *it = f;
        } else if (it != cuts.begin() && f - *std::prev(it) <= eps_km) {
            *std::prev(it) = f;
        } else {
            cuts.insert(it, f);
        }
    }
    return cuts;
}

} // namespace bordercov::detail
