// Proposals on hand-made workspaces whose optimum is known, and on random
// small ones against every possible assignment, costed with PROJ's geodesics
// (reference.hpp), not bordercov's.
#include "bordercov/assign.hpp"
#include "bordercov/error.hpp"
#include "plan_fixture.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <random>

using namespace bordercov;
using namespace bordercov::test;

namespace {

const Date as_of = *Date::parse("2026-11-28");

/// A point offset_m east of the meridian line at chainage km.
LonLat home_at(double km, double offset_m) {
    LonLat p;
    ref_direct(108, meridian_lat(km), 90, offset_m, p.lon, p.lat);
    return p;
}

Household household(std::string id, LonLat home, std::string commune = "",
                    std::string team = "T1") {
    Household h;
    h.household_id = std::move(id);
    h.home = home;
    h.commune_id = std::move(commune);
    h.team_id = std::move(team);
    return h;
}

/// Line L (the meridian, 13.0 to 13.5 N, about 55.3 km) held by team T1
/// except for the gaps; the households given.
Workspace with_gaps(const std::vector<std::pair<double, double>>& gaps,
                    std::vector<Household> households) {
    Workspace ws = meridian_workspace();
    ws.households = std::move(households);
    double from = 0;
    int n = 0;
    for (const auto& [a, b] : gaps) {
        ws.assignments.push_back(
            km_assignment("T" + std::to_string(++n), "T1", from, a, PartyType::team));
        from = b;
    }
    ws.assignments.push_back(
        km_assignment("T" + std::to_string(++n), "T1", from, meridian_km(13.5), PartyType::team));
    return ws;
}

struct Proposed {
    Plan plan;
    Coverage coverage;
    Proposal proposal;
};

Proposed propose(const Workspace& ws, const AssignOptions& options) {
    Diagnostics diagnostics;
    Proposed r;
    r.plan = resolve(ws, {.as_of = as_of}, diagnostics);
    EXPECT_FALSE(diagnostics.has_errors());
    r.coverage = compute_coverage(ws, r.plan, {});
    r.proposal = propose_assignments(ws, r.plan, r.coverage, options);
    return r;
}

std::string party_of(const Proposed& r, const ProposedPiece& p) {
    return p.party ? std::string(r.plan.parties[*p.party].party_id) : std::string("-");
}

} // namespace

TEST(Assign, TwoHouseholdsOneGapEachSide) {
    // Gaps at 1.0-1.1 and 3.0-3.1 km; H1 lives 500 m east of 1.05 km, H2 of
    // 3.05 km. Each could take either; along the border each is 0 km from
    // its own gap and 1.95 km from the other: each takes its own.
    const Workspace ws = with_gaps({{1.0, 1.1}, {3.0, 3.1}}, {household("H1", home_at(1.05, 500)),
                                                              household("H2", home_at(3.05, 500))});
    const Proposed r = propose(ws, {.household_km = 0.1, .piece_km = 0.1});
    ASSERT_EQ(r.proposal.pieces.size(), 2u);
    EXPECT_EQ(party_of(r, r.proposal.pieces[0]), "H1");
    EXPECT_EQ(party_of(r, r.proposal.pieces[1]), "H2");
    for (const ProposedPiece& p : r.proposal.pieces) {
        EXPECT_EQ(p.reason,
                  ProposalReason::household_other_commune); // no communes in this workspace
        EXPECT_NEAR(p.along_km, 0, 1e-9);
        EXPECT_NEAR(p.home_km, 0.5, 0.001); // 500 m, to the metre
        EXPECT_NEAR(p.stretch.length_km(), 0.1, 1e-9);
    }
}

TEST(Assign, CapacityForcesTheSecondNearest) {
    // The gap 1.0-2.0 km in two pieces of 0.5 km, each household room for
    // one. H1 lives 50 m from the line at 1.5 km: 50 m from both pieces. H2
    // lives 100 m from it at 1.0 km: 100 m from the first piece, about 510 m
    // from the second (beyond --max-home-km 0.5). Taking the first piece
    // for H1, its nearest, would leave the second to no household: the
    // optimum gives H1 the second and H2 the first.
    const Workspace ws = with_gaps(
        {{1.0, 2.0}}, {household("H1", home_at(1.5, 50)), household("H2", home_at(1.0, 100))});
    const Proposed r = propose(ws, {.household_km = 0.5, .piece_km = 0.5, .max_home_km = 0.5});
    ASSERT_EQ(r.proposal.pieces.size(), 2u);
    EXPECT_EQ(party_of(r, r.proposal.pieces[0]), "H2");
    EXPECT_EQ(party_of(r, r.proposal.pieces[1]), "H1");
    EXPECT_NEAR(r.proposal.pieces[0].home_km, 0.1, 0.001);
    EXPECT_NEAR(r.proposal.pieces[1].home_km, 0.05, 0.001);
}

TEST(Assign, NoEligibleHouseholdFallsBackToTheTeam) {
    // The only household lives 8 km from the gap: beyond 5 km. Its team T1
    // is proposed, and the summary says why.
    const Workspace ws = with_gaps({{1.0, 1.1}}, {household("H1", home_at(1.05, 8000))});
    const Proposed r = propose(ws, {.household_km = 0.1});
    ASSERT_EQ(r.proposal.pieces.size(), 1u);
    EXPECT_EQ(party_of(r, r.proposal.pieces[0]), "T1");
    EXPECT_EQ(r.proposal.pieces[0].reason, ProposalReason::team_no_household);
    const auto tables = proposal_tables(ws, r.plan, r.coverage, r.proposal);
    const Table& summary = find_table(tables, "assign_summary");
    ASSERT_EQ(summary.rows.size(), 1u);
    EXPECT_DOUBLE_EQ(std::get<double>(summary.rows[0].values[summary.column("no_eligible_km")]),
                     0.1);
    EXPECT_DOUBLE_EQ(std::get<double>(summary.rows[0].values[summary.column("team_km")]), 0.1);
    EXPECT_DOUBLE_EQ(std::get<double>(summary.rows[0].values[summary.column("household_km")]), 0.0);
    const Table& assignments = find_table(tables, "assignments");
    ASSERT_EQ(assignments.rows.size(), 1u);
    EXPECT_EQ(std::get<std::string>(assignments.rows[0].values[assignments.column("party_type")]),
              "team");
}

TEST(Assign, FullHouseholdsFallBackWithCapacityAsTheReason) {
    // H1 already holds 0.1 km, all it may: the gap goes to the team.
    Workspace ws = with_gaps({{1.0, 1.1}}, {household("H1", home_at(1.05, 100))});
    ws.assignments.push_back(km_assignment("A1", "H1", 0.5, 0.6));
    const Proposed r = propose(ws, {.household_km = 0.1});
    ASSERT_EQ(r.proposal.pieces.size(), 1u);
    EXPECT_EQ(party_of(r, r.proposal.pieces[0]), "T1");
    EXPECT_EQ(r.proposal.eligible_households, 0u);
    // Nobody near: team_no_household (the full household is not a candidate).
    EXPECT_EQ(r.proposal.pieces[0].reason, ProposalReason::team_no_household);
}

TEST(Assign, WhatAHouseholdHoldsCountsAgainstItsCapacity) {
    // Capacity 0.1 km, pieces of 0.05: H1 holds 0.08 (room for none), H2
    // nothing (room for two). H2 takes both pieces though H1 lives nearer.
    Workspace ws = with_gaps(
        {{1.0, 1.1}}, {household("H1", home_at(1.05, 20)), household("H2", home_at(1.05, 900))});
    ws.assignments.push_back(km_assignment("A1", "H1", 0.90, 0.98));
    const Proposed r = propose(ws, {.household_km = 0.1, .piece_km = 0.05});
    ASSERT_EQ(r.proposal.pieces.size(), 2u);
    EXPECT_EQ(party_of(r, r.proposal.pieces[0]), "H2");
    EXPECT_EQ(party_of(r, r.proposal.pieces[1]), "H2");
}

TEST(Assign, OwnCommuneComesFirst) {
    // The gap lies in commune C1. H_other (commune C2) lives by the gap; H_own
    // (C1) 2 km along the border from it: H_own is proposed.
    Workspace ws = with_gaps({{1.0, 1.1}}, {household("H_other", home_at(1.05, 100), "C2"),
                                            household("H_own", home_at(3.0, 100), "C1")});
    Commune c1;
    c1.commune_id = "C1";
    c1.name = "Ia Pnôn";
    c1.area = {{{{107.9, 12.99}, {108.1, 12.99}, {108.1, 13.2}, {107.9, 13.2}, {107.9, 12.99}}}};
    Commune c2 = c1;
    c2.commune_id = "C2";
    c2.area = {{{{107.9, 13.2}, {108.1, 13.2}, {108.1, 13.6}, {107.9, 13.6}, {107.9, 13.2}}}};
    ws.communes = {c1, c2};
    const Proposed r = propose(ws, {.household_km = 0.1});
    ASSERT_EQ(r.proposal.pieces.size(), 1u);
    EXPECT_EQ(party_of(r, r.proposal.pieces[0]), "H_own");
    EXPECT_EQ(r.proposal.pieces[0].reason, ProposalReason::household_own_commune);
    EXPECT_NEAR(r.proposal.pieces[0].along_km, meridian_km(meridian_lat(3.0)) - 1.1, 0.002);
}

TEST(Assign, NoPieceGoesToATeamWhileHouseholdsCouldTakeEveryOne) {
    // Gaps at 1.0-1.1 km (in commune C1, up to 13.014 N) and 2.0-2.1 km (in
    // no commune). A (of C1) lives between them and may take either; B (of
    // C2) lives by the first only (max-home 0.6 km). A taking the first, its
    // own commune's, would leave the second to the team: B takes the first
    // and A the second, though both are then outside their communes.
    Workspace ws = with_gaps({{1.0, 1.1}, {2.0, 2.1}}, {household("A", home_at(1.55, 100), "C1"),
                                                        household("B", home_at(0.8, 100), "C2")});
    Commune c1;
    c1.commune_id = "C1";
    c1.name = "Ia Dom";
    c1.area = {
        {{{107.9, 12.99}, {108.1, 12.99}, {108.1, 13.014}, {107.9, 13.014}, {107.9, 12.99}}}};
    ws.communes = {c1};
    ASSERT_LT(meridian_lat(1.1), 13.014);
    ASSERT_GT(meridian_lat(2.0), 13.014);
    const Proposed r = propose(ws, {.household_km = 0.1, .max_home_km = 0.6});
    ASSERT_EQ(r.proposal.pieces.size(), 2u);
    EXPECT_EQ(party_of(r, r.proposal.pieces[0]), "B");
    EXPECT_EQ(party_of(r, r.proposal.pieces[1]), "A");
    EXPECT_EQ(r.proposal.pieces[0].commune, 0);
    EXPECT_EQ(r.proposal.pieces[1].commune, -1);
}

TEST(Assign, AMarkerGetsItsFiveNearestHouseholds) {
    // Marker 21 at 10 km, unowned; seven households live 100 m east of the
    // line at 10 + 0.1 * i km: the five with i = 0..4 are proposed.
    std::vector<Household> hs;
    for (int i = 0; i < 7; ++i) {
        hs.push_back(household("H" + std::to_string(i), home_at(10 + 0.1 * i, 100)));
    }
    Workspace ws = with_gaps({}, hs);
    const LonLat at = home_at(10, 0);
    ws.markers.push_back(marker("21", at.lon, at.lat));
    const Proposed r = propose(ws, {.household_km = 1});
    std::vector<std::string> ids;
    for (const ProposedCustodian& c : r.proposal.custodians) {
        ASSERT_TRUE(c.party);
        ids.emplace_back(r.plan.parties[*c.party].party_id);
    }
    EXPECT_EQ(ids, (std::vector<std::string>{"H0", "H1", "H2", "H3", "H4"}));
}

TEST(Assign, NoHouseholdsAndNoTeamsSaySo) {
    Workspace ws = with_gaps({{1.0, 1.1}}, {});
    ws.assignments.clear(); // the whole line is one gap
    ws.teams.clear();
    const Proposed r = propose(ws, {.household_km = 1});
    ASSERT_FALSE(r.proposal.pieces.empty());
    for (const ProposedPiece& p : r.proposal.pieces) {
        EXPECT_FALSE(p.party);
        EXPECT_EQ(p.reason, ProposalReason::none_no_household);
    }
    const auto tables = proposal_tables(ws, r.plan, r.coverage, r.proposal);
    EXPECT_TRUE(find_table(tables, "assignments").rows.empty());
    const Table& summary = find_table(tables, "assign_summary");
    EXPECT_NEAR(std::get<double>(summary.rows[0].values[summary.column("unassigned_km")]),
                meridian_km(13.5), 0.001);
}

TEST(Assign, RejectsCapacitiesThatAreNotPositive) {
    EXPECT_THROW(check_assign_options({.household_km = 0}), UsageError);
    EXPECT_THROW(check_assign_options({.household_km = -1}), UsageError);
    EXPECT_THROW(check_assign_options({.household_km = std::nan("")}), UsageError);
    EXPECT_THROW(check_assign_options({.piece_km = 0}), UsageError);
    EXPECT_THROW(check_assign_options({.marker_households = 0}), UsageError);
    EXPECT_THROW(check_assign_options({.max_home_km = 0}), UsageError);
    EXPECT_THROW(check_assign_options({.max_home_km = 1000}), UsageError);
    EXPECT_THROW(check_assign_options({.piece_km = 1e-9}), UsageError);
    EXPECT_THROW(check_assign_options({.marker_households = 1000}), UsageError);
    EXPECT_NO_THROW(check_assign_options({}));
}

TEST(Assign, MatchesEveryAssignmentTriedOnRandomSmallWorkspaces) {
    // Up to 8 pieces and 6 households. Each assignment is costed from scratch:
    // the along km from the household's foot on the meridian (the nearest of
    // points sampled every metre, by PROJ) and its home km (ditto, to the
    // piece), in the order commune, along, home. The proposal must cost what
    // the best of all does, to within the metre of sampling per piece.
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> u(0, 1);
    for (int round = 0; round < 12; ++round) {
        const double gap_from = 2 + 3 * u(rng);
        const int pieces = 1 + static_cast<int>(u(rng) * 8);
        const double piece_km = 0.05;
        const double gap_to = gap_from + piece_km * pieces;
        std::vector<Household> hs;
        const int n = 1 + static_cast<int>(u(rng) * 6);
        for (int h = 0; h < n; ++h) {
            hs.push_back(household(
                "H" + std::to_string(h),
                home_at(gap_from - 0.5 + (gap_to - gap_from + 1) * u(rng), (u(rng) - 0.5) * 1600)));
        }
        const Workspace ws = with_gaps({{gap_from, gap_to}}, hs);
        const double capacity_km =
            piece_km * (1 + static_cast<int>(u(rng) * 2)); // one or two pieces each
        const AssignOptions options{
            .household_km = capacity_km, .piece_km = piece_km, .max_home_km = 0.6};
        const Proposed r = propose(ws, options);
        ASSERT_EQ(static_cast<int>(r.proposal.pieces.size()), pieces);

        // Reference distances, by sampling every metre with PROJ.
        const auto meridian_point = [](double km) { return home_at(km, 0); };
        std::vector<double> foot_km(hs.size());
        for (std::size_t h = 0; h < hs.size(); ++h) {
            double best = std::numeric_limits<double>::infinity();
            for (double km = gap_from - 1.5; km <= gap_to + 1.5; km += 0.001) {
                const LonLat q = meridian_point(km);
                const double d = ref_distance_m(hs[h].home->lon, hs[h].home->lat, q.lon, q.lat);
                if (d < best) {
                    best = d;
                    foot_km[h] = km;
                }
            }
        }
        std::vector<std::vector<double>> home_km(static_cast<std::size_t>(pieces),
                                                 std::vector<double>(hs.size()));
        for (int p = 0; p < pieces; ++p) {
            for (std::size_t h = 0; h < hs.size(); ++h) {
                double best = std::numeric_limits<double>::infinity();
                for (double km = gap_from + p * piece_km;
                     km <= gap_from + (p + 1) * piece_km + 1e-9; km += 0.001) {
                    const LonLat q = meridian_point(km);
                    best = std::min(best,
                                    ref_distance_m(hs[h].home->lon, hs[h].home->lat, q.lon, q.lat));
                }
                home_km[static_cast<std::size_t>(p)][h] = best / 1000;
            }
        }
        // In metres: along outweighs home (home <= 600 m); the team fallback outweighs all.
        const auto cost = [&](int p, int h) {
            if (h < 0) {
                return 1e12;
            }
            const double a = gap_from + p * piece_km, b = a + piece_km;
            const double along = std::max({0.0, a - foot_km[static_cast<std::size_t>(h)],
                                           foot_km[static_cast<std::size_t>(h)] - b});
            return along * 1000 * 601 +
                   home_km[static_cast<std::size_t>(p)][static_cast<std::size_t>(h)] * 1000;
        };
        const auto eligible = [&](int p, int h) {
            return home_km[static_cast<std::size_t>(p)][static_cast<std::size_t>(h)] <= 0.6;
        };
        const int per_household = static_cast<int>(std::floor(capacity_km / piece_km + 1e-9));
        double best = std::numeric_limits<double>::infinity();
        std::vector<int> load(hs.size(), 0);
        std::function<void(int, double)> go = [&](int p, double so_far) {
            if (p == pieces) {
                best = std::min(best, so_far);
                return;
            }
            go(p + 1, so_far + cost(p, -1));
            for (int h = 0; h < n; ++h) {
                if (eligible(p, h) && load[static_cast<std::size_t>(h)] < per_household) {
                    ++load[static_cast<std::size_t>(h)];
                    go(p + 1, so_far + cost(p, h));
                    --load[static_cast<std::size_t>(h)];
                }
            }
        };
        go(0, 0);
        double proposed = 0;
        for (int p = 0; p < pieces; ++p) {
            const ProposedPiece& piece = r.proposal.pieces[static_cast<std::size_t>(p)];
            int h = -1;
            if (is_household(piece.reason)) {
                h = std::stoi(std::string(r.plan.parties[*piece.party].party_id).substr(1));
            }
            proposed += cost(p, h);
        }
        // Sampling and rounding: a metre along (601) plus a metre home per piece.
        EXPECT_NEAR(proposed, best, pieces * 602.0) << "round " << round;
    }
}
