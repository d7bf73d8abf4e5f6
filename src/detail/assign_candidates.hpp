// Which households may take a place on the border (a piece of a gap, an
// unowned marker) for assign, and what each would cost: the homes within
// reach, the km along the border and from the home, and the integer cost
// that orders them as assign.hpp says.
//
// Example usage:
//     const Households households(ws, plan);
//     const CostScale scale(options.max_home_km);
//     PlaceCandidates c = candidates(ws, plan, households, capacity, places, 5, scale);
//     const Choice chosen = measure(ws, plan, households, places[0], c[0][0].party, 5);
#pragma once

#include "bordercov/min_cost_assignment.hpp"
#include "bordercov/model.hpp"
#include "bordercov/resolve.hpp"
#include "bordercov/stretch.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

namespace bordercov::detail {

/// Integer costs that order the preferences of assign.hpp exactly: the
/// commune first, then metres along the border, then metres from the home.
struct CostScale {
    static constexpr std::int64_t max_along_m =
        10'000'000;            ///< along distances count up to 10,000 km
    std::int64_t home_unit;    ///< one metre along outweighs any home distance
    std::int64_t commune_unit; ///< another commune outweighs any distance
    explicit CostScale(double max_home_km)
        : home_unit(static_cast<std::int64_t>(std::ceil(max_home_km * 1000)) + 1),
          commune_unit((max_along_m + 1) * home_unit) {}
    /// home_m: std::llround(home km * 1000), the whole metres from the home.
    std::int64_t cost(bool own_commune, double along_km, std::int64_t home_m) const {
        const auto along =
            std::min(max_along_m, static_cast<std::int64_t>(std::llround(along_km * 1000)));
        return (own_commune ? 0 : commune_unit) + along * home_unit + home_m;
    }
};

/// A place a household may be proposed for: a piece of a gap, or a marker
/// (a stretch of no length).
struct Place {
    Stretch stretch;
    int commune = -1;
};

/// A household a place could go to, with the distances that rank it.
struct Choice {
    std::uint32_t party;
    double along_km;
    double home_km;
};

/// What the households hold on the as-of date, and where they live.
class Households {
  public:
    Households(const Workspace& ws, const Plan& plan);

    double held_km(std::uint32_t party) const { return held_km_[party]; }
    int commune(std::uint32_t party) const { return commune_[party]; }

    /// The median of what households holding any stretch hold.
    std::optional<double> median_held_km() const;

    /// Km along the border from the place to the party's stretches on its
    /// line; none when it holds none there.
    std::optional<double> along_held_km(std::uint32_t party, const Stretch& place) const;

    /// The chainage of the point of a line nearest the party's home.
    double foot_km(std::uint32_t party, std::uint32_t line) const;

    /// Km along the border from the place to the foot of a home.
    static double along_foot_km(double foot_km, const Stretch& place) {
        return std::max({0.0, place.from_km - foot_km, foot_km - place.to_km});
    }

  private:
    const Workspace& ws_;
    const Plan& plan_;
    std::vector<double> held_km_;
    std::vector<std::vector<std::uint32_t>> on_line_; ///< commitments per party
    std::vector<int> commune_;
};

/// Per place, the parties that may take it and at what cost, by party.
using PlaceCandidates = std::vector<std::vector<AssignmentProblem::Candidate>>;

/// For every place, each party with a capacity above 0 whose home lies
/// within max_home_km of it (geodesic), costed by the scale. Work split over
/// threads; the same result every run.
PlaceCandidates candidates(const Workspace& ws, const Plan& plan, const Households& households,
                           const std::vector<std::int64_t>& capacity,
                           const std::vector<Place>& places, double max_home_km,
                           const CostScale& scale);

/// The distances that ranked a party for a place, measured as candidates()
/// measures them: for the few parties an optimum chooses, once it is known
/// (candidates() keeps only the costs, half the memory of the distances).
Choice measure(const Workspace& ws, const Plan& plan, const Households& households,
               const Place& place, std::uint32_t party, double max_home_km);

} // namespace bordercov::detail
