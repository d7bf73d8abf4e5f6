#include "bordercov/nearest.hpp"

#include "detail/parallel.hpp"

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <boost/iterator/function_output_iterator.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <tuple>

namespace bordercov {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

std::string side_name(const BorderLine& line, int side) {
    if (side == 0) {
        return "on the line";
    }
    const std::string lr = side > 0 ? "right" : "left";
    if (line.neighbour_side.empty()) {
        return lr;
    }
    if (lr == line.neighbour_side) {
        return line.neighbour.empty() ? "neighbour" : line.neighbour;
    }
    return "home";
}

namespace {

using Point = bg::model::point<double, 2, bg::cs::cartesian>;
using Box = bg::model::box<Point>;

} // namespace

struct NearestIndex::Impl {
    const Workspace& ws;
    const Plan& plan;
    /// Active stretches as boxes: x the chainage interval, y the line index.
    bgi::rtree<std::pair<Box, std::uint32_t>, bgi::rstar<16>> stretches; // value: commitment index
    /// Household homes.
    bgi::rtree<std::pair<Point, std::uint32_t>, bgi::rstar<16>> homes; // value: party index

    Impl(const Workspace& w, const Plan& p) : ws(w), plan(p) {
        std::vector<std::pair<Box, std::uint32_t>> s;
        s.reserve(plan.commitments.size());
        for (std::uint32_t i = 0; i < plan.commitments.size(); ++i) {
            const Stretch& st = plan.commitments[i].stretch;
            const double y = static_cast<double>(st.line);
            s.emplace_back(Box{{st.from_km, y}, {st.to_km, y}}, i);
        }
        stretches = decltype(stretches)(s.begin(), s.end());
        std::vector<std::pair<Point, std::uint32_t>> h;
        for (std::uint32_t i = 0; i < plan.parties.size(); ++i) {
            const Party& party = plan.parties[i];
            if (party.type == PartyType::household && party.home) {
                h.emplace_back(Point{party.home->lon, party.home->lat}, i);
            }
        }
        homes = decltype(homes)(h.begin(), h.end());
        // Each party's commitments, as one flat array cut by offsets.
        party_first.assign(plan.parties.size() + 1, 0);
        for (const Commitment& c : plan.commitments) {
            ++party_first[c.party + 1];
        }
        for (std::size_t i = 1; i < party_first.size(); ++i) {
            party_first[i] += party_first[i - 1];
        }
        party_commitments.resize(plan.commitments.size());
        std::vector<std::uint32_t> next(party_first.begin(), party_first.end() - 1);
        for (std::uint32_t i = 0; i < plan.commitments.size(); ++i) {
            party_commitments[next[plan.commitments[i].party]++] = i;
        }
    }

    std::vector<std::uint32_t> party_first;
    std::vector<std::uint32_t> party_commitments;

    /// Geodesic km from the place to the party: its home (households), or
    /// the point of its stretch nearest along the line (teams).
    double distance_km(const PlaceOnBorder& place, std::uint32_t party, double stretch_km) const {
        const Party& p = plan.parties[party];
        if (p.type == PartyType::household || std::isnan(stretch_km)) {
            return p.home ? geodesic_distance_m(place.position, *p.home) / 1000.0 : no_stretch_km;
        }
        return geodesic_distance_m(place.position, ws.lines[place.line].point_at(stretch_km)) /
               1000.0;
    }
};

NearestIndex::NearestIndex(const Workspace& ws, const Plan& plan)
    : impl_(std::make_unique<Impl>(ws, plan)) {}

NearestIndex::~NearestIndex() = default;

namespace {
bool ranks_before(const RankedParty& a, const RankedParty& b, const std::vector<Party>& parties);
} // namespace

RankedParty NearestIndex::measure(const PlaceOnBorder& place, std::uint32_t party) const {
    const Impl& m = *impl_;
    RankedParty r{party, no_stretch_km, no_stretch_km};
    double at = std::numeric_limits<double>::quiet_NaN();
    for (std::uint32_t i = m.party_first[party]; i < m.party_first[party + 1]; ++i) {
        const Stretch& s = m.plan.commitments[m.party_commitments[i]].stretch;
        if (s.line != place.line) {
            continue;
        }
        const double along = std::max({0.0, s.from_km - place.to_km, place.from_km - s.to_km});
        if (along < r.along_km) {
            r.along_km = along;
            at = std::clamp(0.5 * (place.from_km + place.to_km), s.from_km, s.to_km);
        }
    }
    r.distance_km = m.distance_km(place, party, at);
    return r;
}

bool ranks_before(const RankedParty& a, const RankedParty& b, const Plan& plan) {
    return ranks_before(a, b, plan.parties);
}

namespace {

bool ranks_before(const RankedParty& a, const RankedParty& b, const std::vector<Party>& parties) {
    if (a.along_km != b.along_km) {
        return a.along_km < b.along_km;
    }
    if (a.distance_km != b.distance_km) {
        return a.distance_km < b.distance_km;
    }
    return parties[a.party].party_id < parties[b.party].party_id;
}

} // namespace

std::vector<RankedParty> NearestIndex::rank(const PlaceOnBorder& place, std::size_t k) const {
    const Impl& m = *impl_;
    std::vector<RankedParty> out;
    if (k == 0) {
        return out;
    }
    const double length = m.ws.lines[place.line].length_km();
    const double y = static_cast<double>(place.line);
    // Each stretch within reach: its party, along-border km, and the
    // chainage of its point nearest to the place (for a team's distance).
    struct Near {
        std::uint32_t party;
        double along;
        double at;
    };
    std::vector<Near> found;
    for (double reach = 0.1;; reach *= 4) {
        found.clear();
        const Box box{{place.from_km - reach, y}, {place.to_km + reach, y}};
        m.stretches.query(
            bgi::intersects(box),
            boost::make_function_output_iterator([&](const std::pair<Box, std::uint32_t>& e) {
                const Commitment& c = m.plan.commitments[e.second];
                const Stretch& s = c.stretch;
                found.push_back(
                    {c.party, std::max({0.0, s.from_km - place.to_km, place.from_km - s.to_km}),
                     std::clamp(0.5 * (place.from_km + place.to_km), s.from_km, s.to_km)});
            }));
        // A party once, at its least along-border km.
        std::sort(found.begin(), found.end(), [](const Near& a, const Near& b) {
            return a.party != b.party ? a.party < b.party : a.along < b.along;
        });
        found.erase(std::unique(found.begin(), found.end(),
                                [](const Near& a, const Near& b) { return a.party == b.party; }),
                    found.end());
        // Every party within reach is found; one outside ranks after all of
        // them. Enough of them, or the whole line seen: done.
        const auto within = static_cast<std::size_t>(std::count_if(
            found.begin(), found.end(), [&](const Near& n) { return n.along <= reach; }));
        if (within >= k || !(reach <= length)) { // NaN length: stop too
            if (found.empty()) {
                break;
            }
            // Only parties as near along the border as the k-th need their
            // geodesic distance: it breaks ties, nothing else.
            const std::size_t kth = std::min(k, found.size()) - 1;
            std::nth_element(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(kth),
                             found.end(),
                             [](const Near& a, const Near& b) { return a.along < b.along; });
            const double threshold = found[kth].along;
            for (const Near& n : found) {
                if (n.along <= threshold) {
                    out.push_back({n.party, n.along, m.distance_km(place, n.party, n.at)});
                }
            }
            break;
        }
    }
    const auto before = [&](const RankedParty& a, const RankedParty& b) {
        return ranks_before(a, b, m.plan.parties);
    };
    std::sort(out.begin(), out.end(), before);
    if (out.size() >= k) {
        out.resize(k);
        return out;
    }
    // Not enough parties hold stretches on this line: the households nearest
    // by their homes follow.
    std::vector<char> taken(m.plan.parties.size(), 0);
    for (const RankedParty& r : out) {
        taken[r.party] = 1;
    }
    for (const RankedParty& h : households_near(place.position, k + out.size())) {
        if (!taken[h.party] && out.size() < k) {
            out.push_back(h);
        }
    }
    return out;
}

std::vector<RankedParty> NearestIndex::households_near(LonLat p, std::size_t k) const {
    const Impl& m = *impl_;
    std::vector<RankedParty> out;
    if (k == 0 || m.homes.empty()) {
        return out;
    }
    // Grow a window sure to hold every home within radius_m until k homes lie
    // within the radius: then no home outside the window can be nearer.
    for (double radius_m = 1000;; radius_m *= 4) {
        const bool everything = radius_m > 2.5e7;
        out.clear();
        const auto add = [&](const std::pair<Point, std::uint32_t>& e) {
            const LonLat home{e.first.get<0>(), e.first.get<1>()};
            out.push_back({e.second, no_stretch_km, geodesic_distance_m(p, home) / 1000.0});
        };
        if (everything) {
            std::for_each(m.homes.begin(), m.homes.end(), add);
        } else {
            const SearchWindow w = search_window(p, radius_m);
            for (const auto& [lo, hi] : lon_ranges(w.min.lon, w.max.lon)) {
                const Box part{{lo, w.min.lat}, {hi, w.max.lat}};
                m.homes.query(bgi::intersects(part), boost::make_function_output_iterator(add));
            }
        }
        const std::size_t within = static_cast<std::size_t>(
            std::count_if(out.begin(), out.end(), [&](const RankedParty& r) {
                return r.distance_km * 1000.0 <= radius_m;
            }));
        if (within >= std::min(k, m.homes.size()) || everything) {
            break;
        }
    }
    std::sort(out.begin(), out.end(), [&](const RankedParty& a, const RankedParty& b) {
        return ranks_before(a, b, m.plan.parties);
    });
    if (out.size() > k) {
        out.resize(k);
    }
    return out;
}

std::vector<RankedPoint> rank_points(const Workspace& ws, const NearestIndex& index,
                                     std::span<const LonLat> points, std::size_t k) {
    std::vector<RankedPoint> out(points.size());
    const std::size_t workers = detail::worker_count(points.size(), 256);
    detail::parallel_chunks(points.size(), workers, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            RankedPoint& r = out[i];
            std::tie(r.line, r.at) = locate_on_workspace(ws, points[i]);
            r.parties = index.rank({r.line, r.at.chainage_km, r.at.chainage_km, points[i]}, k);
        }
    });
    return out;
}

} // namespace bordercov
