// Which households may take a place and at what cost (assign's candidates):
// on a winding line with a vertex every 20 m, as a real border is drawn,
// the candidates against PROJ's geodesics sampled along each piece, and
// every cost against the distances measured again for the household chosen.
#include "detail/assign_candidates.hpp"

#include "bordercov/resolve.hpp"
#include "reference.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <string>

using namespace bordercov;
using namespace bordercov::detail;
using bordercov::test::ref_direct;
using bordercov::test::ref_distance_m;

namespace {

const Date as_of = *Date::parse("2026-11-28");

/// A line winding north-east from 108 E 13 N, a vertex every 20 m (PROJ),
/// and 400 households within 5.3 km of it, a third holding a stretch.
struct Winding {
    Workspace ws;
    std::vector<LonLat> vertices;
    std::vector<double> chainage_km;
};

Winding winding() {
    Winding w;
    std::mt19937 rng(18);
    std::uniform_real_distribution<double> u(0, 1);
    w.vertices.push_back({108, 13});
    w.chainage_km.push_back(0);
    double heading = 30;
    for (int i = 0; i < 1500; ++i) {
        heading += (u(rng) - 0.5) * 30;
        LonLat next;
        ref_direct(w.vertices.back().lon, w.vertices.back().lat, heading, 20, next.lon, next.lat);
        w.vertices.push_back(next);
        w.chainage_km.push_back(w.chainage_km.back() + 0.02);
    }
    w.ws.lines.emplace_back("L", std::vector<BorderLine::Part>{w.vertices});
    Commune c1;
    c1.commune_id = "C1";
    w.ws.communes.push_back(c1); // no area: only households name it
    Team t;
    t.team_id = "T1";
    w.ws.teams.push_back(t);
    for (int h = 0; h < 400; ++h) {
        const LonLat& at = w.vertices[static_cast<std::size_t>(u(rng) * 1500)];
        Household household;
        household.household_id = "H" + std::to_string(h);
        household.team_id = "T1";
        household.commune_id = h % 2 ? "C1" : "";
        LonLat home;
        ref_direct(at.lon, at.lat, 360 * u(rng), 5300 * u(rng), home.lon, home.lat);
        household.home = home;
        w.ws.households.push_back(household);
        if (h % 3 == 0) {
            Assignment a;
            a.assignment_id = "A" + std::to_string(h);
            a.party_type = PartyType::household;
            a.party_id = household.household_id;
            a.line_id = "L";
            const double from = 29.9 * u(rng);
            a.from_km = from;
            a.to_km = from + 0.016;
            w.ws.assignments.push_back(a);
        }
    }
    return w;
}

/// Places: pieces of 8 to 16 m here and there along the line, and points.
std::vector<Place> places_on(std::mt19937& rng) {
    std::uniform_real_distribution<double> u(0, 1);
    std::vector<Place> out;
    for (int i = 0; i < 60; ++i) {
        const double from = 29.9 * u(rng);
        const double length = i % 10 == 0 ? 0 : 0.008 + 0.008 * u(rng);
        out.push_back({{0, from, from + length}, i % 4 == 0 ? 0 : -1});
    }
    return out;
}

} // namespace

TEST(AssignCandidates, EveryHomeWithinReachAndNoOtherAgainstSampledGeodesics) {
    Winding w = winding();
    Diagnostics diagnostics;
    const Plan plan = resolve(w.ws, {.as_of = as_of}, diagnostics);
    const Households households(w.ws, plan);
    const std::vector<std::int64_t> capacity(plan.parties.size(), 1);
    std::mt19937 rng(19);
    const std::vector<Place> places = places_on(rng);
    const double max_home_km = 5;
    const PlaceCandidates found =
        candidates(w.ws, plan, households, capacity, places, max_home_km, CostScale(max_home_km));
    for (std::size_t i = 0; i < places.size(); i += 3) {
        // The piece sampled every 10 cm on its (straight, 20 m) edges.
        std::vector<LonLat> samples;
        const Stretch& s = places[i].stretch;
        for (double km = s.from_km; km <= s.to_km + 1e-9; km += 0.0001) {
            const auto v = std::min<std::size_t>(static_cast<std::size_t>(km / 0.02), 1499);
            const double t = (km - w.chainage_km[v]) / 0.02;
            samples.push_back(
                {w.vertices[v].lon + t * (w.vertices[v + 1].lon - w.vertices[v].lon),
                 w.vertices[v].lat + t * (w.vertices[v + 1].lat - w.vertices[v].lat)});
        }
        std::set<std::uint32_t> expected, uncertain; // within 1 cm of the reach
        for (std::uint32_t p = 0; p < plan.parties.size(); ++p) {
            if (!plan.parties[p].home) {
                continue;
            }
            double best = std::numeric_limits<double>::infinity();
            for (const LonLat& q : samples) {
                best = std::min(best, ref_distance_m(q.lon, q.lat, plan.parties[p].home->lon,
                                                     plan.parties[p].home->lat));
            }
            if (std::abs(best - 5000) < 0.01) {
                uncertain.insert(p);
            } else if (best <= 5000) {
                expected.insert(p);
            }
        }
        ASSERT_GT(expected.size(), 10u);
        std::set<std::uint32_t> got;
        for (const auto& c : found[i]) {
            if (!uncertain.count(c.party)) {
                got.insert(c.party);
            }
        }
        EXPECT_EQ(got, expected) << "place " << i;
    }
}

TEST(AssignCandidates, EachCostCountsTheDistancesMeasuredAgain) {
    // The costs keep the whole metres from the home found by the short
    // chord (with a geodesic where its bound leaves the rounding open) and
    // the km along found once per household; measure() finds both again by
    // geodesics and locating the home: the cost must be the same integer.
    Winding w = winding();
    Diagnostics diagnostics;
    const Plan plan = resolve(w.ws, {.as_of = as_of}, diagnostics);
    const Households households(w.ws, plan);
    const std::vector<std::int64_t> capacity(plan.parties.size(), 1);
    std::mt19937 rng(20);
    const std::vector<Place> places = places_on(rng);
    const CostScale scale(5);
    const PlaceCandidates found = candidates(w.ws, plan, households, capacity, places, 5, scale);
    std::size_t checked = 0;
    for (std::size_t i = 0; i < places.size(); ++i) {
        for (const auto& c : found[i]) {
            const Choice again = measure(w.ws, plan, households, places[i], c.party, 5);
            const bool own =
                places[i].commune >= 0 && households.commune(c.party) == places[i].commune;
            ASSERT_EQ(c.cost, scale.cost(own, again.along_km, std::llround(again.home_km * 1000)))
                << "place " << i << ", party " << c.party;
            ++checked;
        }
    }
    EXPECT_GT(checked, 5000u);
}
