#include "detail/assign_candidates.hpp"

#include "bordercov/geodesy.hpp"
#include "bordercov/nearest.hpp"
#include "detail/parallel.hpp"

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <boost/iterator/function_output_iterator.hpp>

#include <limits>
#include <stdexcept>
#include <utility>

namespace bordercov::detail {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

Households::Households(const Workspace& ws, const Plan& plan) : ws_(ws), plan_(plan) {
    held_km_.assign(plan.parties.size(), 0);
    on_line_.resize(plan.parties.size());
    for (std::uint32_t c = 0; c < plan.commitments.size(); ++c) {
        const Commitment& cm = plan.commitments[c];
        held_km_[cm.party] += cm.stretch.length_km();
        on_line_[cm.party].push_back(c);
    }
    commune_.resize(plan.parties.size(), -1);
    for (std::uint32_t p = 0; p < plan.parties.size(); ++p) {
        commune_[p] = plan.find_commune_id(plan.parties[p].commune_id);
    }
}

std::optional<double> Households::median_held_km() const {
    std::vector<double> held;
    for (std::uint32_t p = 0; p < plan_.parties.size(); ++p) {
        if (plan_.parties[p].type == PartyType::household && held_km_[p] > 0) {
            held.push_back(held_km_[p]);
        }
    }
    if (held.empty()) {
        return std::nullopt;
    }
    const std::size_t mid = held.size() / 2;
    std::nth_element(held.begin(), held.begin() + static_cast<std::ptrdiff_t>(mid), held.end());
    if (held.size() % 2 == 1) {
        return held[mid];
    }
    const double upper = held[mid];
    return (upper +
            *std::max_element(held.begin(), held.begin() + static_cast<std::ptrdiff_t>(mid))) /
           2;
}

std::optional<double> Households::along_held_km(std::uint32_t party, const Stretch& place) const {
    double best = no_stretch_km;
    for (const std::uint32_t c : on_line_[party]) {
        const Stretch& s = plan_.commitments[c].stretch;
        if (s.line == place.line) {
            best =
                std::min(best, std::max({0.0, s.from_km - place.to_km, place.from_km - s.to_km}));
        }
    }
    return best != no_stretch_km ? std::optional(best) : std::nullopt;
}

double Households::foot_km(std::uint32_t party, std::uint32_t line) const {
    return ws_.lines[line].locate(*plan_.parties[party].home).chainage_km;
}

namespace {

using Point = bg::model::point<double, 2, bg::cs::cartesian>;
using Box = bg::model::box<Point>;
using Homes = bgi::rtree<std::pair<Point, std::uint32_t>, bgi::rstar<16>>;

/// The homes of the households that may take something, in an R-tree.
Homes index_homes(const Plan& plan, const std::vector<std::int64_t>& capacity) {
    std::vector<std::pair<Point, std::uint32_t>> homes;
    for (std::uint32_t p = 0; p < plan.parties.size(); ++p) {
        if (capacity[p] > 0 && plan.parties[p].home) {
            homes.push_back({Point(plan.parties[p].home->lon, plan.parties[p].home->lat), p});
        }
    }
    return Homes(homes.begin(), homes.end()); // packed
}

/// Distances from homes to one place (a piece of a line, or a marker's
/// point): in a local frame first, to pass over the homes and the edges that
/// cannot be nearest, then exactly, by a geodesic, for the rest. The frame
/// is good to the drift (the meridians converge across it); a home or edge
/// is passed over only when it lies farther than that margin allows.
class PlaceReach {
  public:
    PlaceReach(const Workspace& ws, const Place& place, double max_home_km)
        : max_km_(max_home_km), max_m_(max_home_km * 1000) {
        constexpr double deg = 3.14159265358979323846 / 180.0;
        const BorderLine& line = ws.lines[place.stretch.line];
        if (place.stretch.length_km() > 0) {
            for (const auto& part : line.cut(place.stretch.from_km, place.stretch.to_km)) {
                shape_.insert(shape_.end(), part.begin(), part.end());
            }
        }
        if (shape_.empty()) {
            shape_.push_back(line.point_at(place.stretch.from_km));
        }
        mid_ = line.point_at((place.stretch.from_km + place.stretch.to_km) / 2);
        const double radius_m = max_m_ + place.stretch.length_km() * 500 + 1;
        window_ = search_window(mid_, radius_m);
        k_ = local_scale(mid_.lat);
        for (const LonLat& v : shape_) {
            xy_.push_back(local(v));
        }
        const double dlat = window_.max.lat - mid_.lat;
        drift_ =
            std::min(1.0, 1e-4 + 3.0 * std::tan(std::min(85.0, std::abs(mid_.lat) + dlat) * deg) *
                                     radius_m / 6.3e6);
    }

    const SearchWindow& window() const { return window_; }

    /// Km from the home to the nearest point of the place (geodesic), when
    /// that is max_home_km or less.
    std::optional<double> home_km(LonLat home) const {
        const double best = nearest_m(home, true);
        return best / 1000 <= max_km_ ? std::optional(best / 1000) : std::nullopt;
    }

    /// The same in whole metres, std::llround(km * 1000), as a cost counts
    /// it: measured by short_distance_m, and again by geodesics only where
    /// its error bound leaves the rounding or the reach open (one home in a
    /// few hundred), so always what home_km gives.
    std::optional<std::int64_t> home_m(LonLat home) const {
        constexpr double margin = 10 * short_distance_error_m;
        const double fast = nearest_m(home, false);
        if (std::abs(fast - max_m_) <= margin ||
            std::abs(fast - std::floor(fast) - 0.5) <= margin) {
            const auto km = home_km(home);
            return km ? std::optional(std::llround(*km * 1000)) : std::nullopt;
        }
        return fast <= max_m_ ? std::optional(std::llround(fast)) : std::nullopt;
    }

  private:
    /// Metres from the home to the nearest point of the place, infinite
    /// when the frame shows it beyond reach. Geodesic, or by
    /// short_distance_m where project_onto_edge measures in a local frame.
    double nearest_m(LonLat home, bool geodesic) const {
        const auto p = local(home);
        const std::size_t edges = std::max<std::size_t>(1, xy_.size() - 1);
        double nearest2 = std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < edges; ++i) {
            nearest2 = std::min(nearest2, segment2_m2(p, i));
        }
        const double nearest = std::sqrt(nearest2);
        if (nearest > max_m_ * (1 + drift_) + 0.01) {
            return std::numeric_limits<double>::infinity();
        }
        const double keep = nearest * (1 + drift_) + 0.01;
        double best = std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < edges; ++i) {
            if (edges > 1 && segment2_m2(p, i) > keep * keep) {
                continue;
            }
            if (xy_.size() == 1) {
                best = std::min(best, geodesic ? geodesic_distance_m(home, shape_.front())
                                               : short_distance_m(home, shape_.front()));
            } else if (const auto foot = local_foot_on_edge(shape_[i], shape_[i + 1], home);
                       foot && !geodesic) {
                best = std::min(best, short_distance_m(foot->foot, home));
            } else {
                best = std::min(best, project_onto_edge(shape_[i], shape_[i + 1], home).offset_m);
            }
        }
        return best;
    }

    std::pair<double, double> local(LonLat p) const {
        return {wrap_lon(p.lon - mid_.lon) * k_.m_per_deg_lon,
                (p.lat - mid_.lat) * k_.m_per_deg_lat};
    }
    /// Squared metres from p to edge i (the point, for a marker) in the frame.
    double segment2_m2(std::pair<double, double> p, std::size_t i) const {
        const auto a = xy_[i], b = xy_[std::min(i + 1, xy_.size() - 1)];
        const double dx = b.first - a.first, dy = b.second - a.second;
        const double len2 = dx * dx + dy * dy;
        const double t =
            len2 > 0 ? std::clamp(((p.first - a.first) * dx + (p.second - a.second) * dy) / len2,
                                  0.0, 1.0)
                     : 0.0;
        const double x = p.first - a.first - t * dx, y = p.second - a.second - t * dy;
        return x * x + y * y;
    }

    double max_km_, max_m_;
    std::vector<LonLat> shape_;
    std::vector<std::pair<double, double>> xy_;
    LonLat mid_;
    LocalScale k_{};
    SearchWindow window_{};
    double drift_ = 1;
};

/// Every home within max_home_km of the place, with its cost so far: the
/// metres from the home (fill_along adds the rest). The result in place
/// order, each place's by party.
PlaceCandidates near_homes(const Workspace& ws, const Homes& homes,
                           const std::vector<Place>& places, double max_home_km) {
    PlaceCandidates out(places.size());
    const auto work = [&](std::size_t begin, std::size_t end) {
        std::vector<AssignmentProblem::Candidate> found; // then copied at its size
        for (std::size_t i = begin; i < end; ++i) {
            const PlaceReach reach(ws, places[i], max_home_km);
            const SearchWindow& w = reach.window();
            found.clear();
            const auto consider = [&](const std::pair<Point, std::uint32_t>& e) {
                if (const auto m = reach.home_m({e.first.get<0>(), e.first.get<1>()})) {
                    found.push_back({e.second, *m});
                }
            };
            for (const auto& [lo, hi] : lon_ranges(w.min.lon, w.max.lon)) {
                homes.query(bgi::intersects(Box{{lo, w.min.lat}, {hi, w.max.lat}}),
                            boost::make_function_output_iterator(consider));
            }
            // The R-tree's order is its own: sort for the same result every run.
            std::sort(found.begin(), found.end(),
                      [](const auto& a, const auto& b) { return a.party < b.party; });
            out[i].assign(found.begin(), found.end());
        }
    };
    const std::size_t n = places.size();
    parallel_chunks(n, worker_count(n, 2000), work);
    return out;
}

/// Adds to each candidate's cost (so far its metres from the home) its
/// commune and its km along the border. A household holding no stretch on
/// the place's line is measured from the foot of its home on that line,
/// found once per household and line however many places it is near (the
/// same value each time: the foot depends on the home only).
void add_along(const Households& households, const std::vector<Place>& places,
               const CostScale& scale, PlaceCandidates& candidates, std::size_t parties) {
    std::vector<std::vector<std::pair<std::uint32_t, double>>> feet(parties); // (line, km)
    std::vector<std::pair<std::uint32_t, std::size_t>> footed; // party, index in its feet
    const auto foot_of = [&](std::uint32_t party, std::uint32_t line) -> const double* {
        for (const auto& [l, km] : feet[party]) {
            if (l == line) {
                return &km;
            }
        }
        return nullptr;
    };
    for (std::size_t i = 0; i < places.size(); ++i) {
        for (const auto& c : candidates[i]) {
            if (!households.along_held_km(c.party, places[i].stretch) &&
                !foot_of(c.party, places[i].stretch.line)) {
                footed.emplace_back(c.party, feet[c.party].size());
                feet[c.party].emplace_back(places[i].stretch.line, 0.0);
            }
        }
    }
    parallel_chunks(footed.size(), worker_count(footed.size(), 500),
                    [&](std::size_t begin, std::size_t end) {
                        for (std::size_t k = begin; k < end; ++k) {
                            auto& [line, km] = feet[footed[k].first][footed[k].second];
                            km = households.foot_km(footed[k].first, line);
                        }
                    });
    const auto work = [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            const Place& place = places[i];
            for (auto& c : candidates[i]) {
                const auto held = households.along_held_km(c.party, place.stretch);
                const double along =
                    held ? *held
                         : Households::along_foot_km(*foot_of(c.party, place.stretch.line),
                                                     place.stretch);
                const bool own = place.commune >= 0 && households.commune(c.party) == place.commune;
                c.cost = scale.cost(own, along, c.cost);
            }
        }
    };
    parallel_chunks(places.size(), worker_count(places.size(), 2000), work);
}

} // namespace

PlaceCandidates candidates(const Workspace& ws, const Plan& plan, const Households& households,
                           const std::vector<std::int64_t>& capacity,
                           const std::vector<Place>& places, double max_home_km,
                           const CostScale& scale) {
    PlaceCandidates out = near_homes(ws, index_homes(plan, capacity), places, max_home_km);
    add_along(households, places, scale, out, plan.parties.size());
    return out;
}

Choice measure(const Workspace& ws, const Plan& plan, const Households& households,
               const Place& place, std::uint32_t party, double max_home_km) {
    const auto held = households.along_held_km(party, place.stretch);
    const auto home_km = PlaceReach(ws, place, max_home_km).home_km(*plan.parties[party].home);
    if (!home_km) {
        throw std::logic_error("assign: a household chosen beyond its reach");
    }
    return {party,
            held ? *held
                 : Households::along_foot_km(households.foot_km(party, place.stretch.line),
                                             place.stretch),
            *home_km};
}

} // namespace bordercov::detail
