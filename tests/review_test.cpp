// Reviews across time: hand-made histories with figures worked out by hand,
// and random histories checked against a brute-force reference that samples
// the line every metre at both dates (owners of each metre straight from the
// assignments' km and dates, no sweep).
#include "bordercov/coverage.hpp"
#include "bordercov/resolve.hpp"
#include "bordercov/review.hpp"
#include "plan_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

namespace bordercov {
namespace {

using test::km_assignment;

Date day(const char* iso) {
    return *Date::parse(iso);
}

Assignment dated(Assignment a, const char* signed_on, const char* expires = nullptr) {
    a.signed_on = day(signed_on);
    if (expires) {
        a.expires = day(expires);
    }
    return a;
}

struct Reviewed {
    Workspace ws;
    Plan plan;
    Diagnostics diagnostics;
};

/// The workspace resolved (as of `to`), kept alive for the plan's views.
std::unique_ptr<Reviewed> resolved(Workspace ws, Date as_of) {
    auto r = std::make_unique<Reviewed>();
    r->ws = std::move(ws);
    r->plan = resolve(r->ws, {.as_of = as_of}, r->diagnostics);
    return r;
}

Review review_of(const Reviewed& r, const char* from, const char* to) {
    const HistorySweep history(r.ws, r.plan, {});
    return compute_review(r.ws, r.plan, history, {}, day(from), day(to));
}

const double line_km = test::meridian_km(13.5);

TEST(Review, AHouseholdReplacedTheNextDayLosesNothingAndHandsOver) {
    Workspace ws = test::meridian_workspace();
    // H1 holds 0-10 km until it expires on 2020-01-01 (its last day is 31
    // December 2019); H2 signs for the same stretch on 2020-01-01.
    ws.assignments.push_back(dated(km_assignment("A1", "H1", 0, 10), "2010-01-01", "2020-01-01"));
    ws.assignments.push_back(dated(km_assignment("A2", "H2", 0, 10), "2020-01-01"));
    const auto r = resolved(std::move(ws), day("2021-01-01"));
    const Review review = review_of(*r, "2015-01-01", "2021-01-01");
    EXPECT_NEAR(review.total.lost_km, 0, 1e-9);
    EXPECT_NEAR(review.total.gained_km, 0, 1e-9);
    EXPECT_NEAR(review.total.handed_over_km, 10, 1e-9);
    EXPECT_NEAR(review.total.covered_from_km, 10, 1e-9);
    EXPECT_NEAR(review.total.covered_to_km, 10, 1e-9);
    EXPECT_NEAR(review.total.uncovered_both_km, line_km - 10, 1e-6);
    EXPECT_NEAR(review.total.border_km, line_km, 1e-6);
    EXPECT_EQ(review.total.households_from, 1u);
    EXPECT_EQ(review.total.households_to, 1u);
    EXPECT_EQ(review.total.households_joined, 1u);
    EXPECT_EQ(review.total.households_left, 1u);
    // Both households are of team T1: the team stays active.
    EXPECT_EQ(review.total.teams_from, 1u);
    EXPECT_EQ(review.total.teams_joined, 0u);
    ASSERT_EQ(review.changes.size(), 2u);
    EXPECT_EQ(review.changes[0].status, ChangeStatus::handed_over);
    EXPECT_NEAR(review.changes[0].stretch.to_km, 10, 1e-9);
    EXPECT_EQ(review.changes[1].status, ChangeStatus::uncovered);

    // The day before the hand-over H1 still holds it; on the day, H2.
    const Review eve = review_of(*r, "2019-12-31", "2020-01-01");
    EXPECT_NEAR(eve.total.handed_over_km, 10, 1e-9);
    EXPECT_NEAR(eve.total.lost_km, 0, 1e-9);
}

TEST(Review, AStretchThatLapsesAndIsReSignedIsLostThenGained) {
    Workspace ws = test::meridian_workspace();
    ws.assignments.push_back(dated(km_assignment("A1", "H1", 20, 30), "2010-01-01", "2018-01-01"));
    ws.assignments.push_back(dated(km_assignment("A2", "H1", 20, 30), "2019-01-01"));
    const auto r = resolved(std::move(ws), day("2020-06-01"));
    const Review lost = review_of(*r, "2017-06-01", "2018-06-01");
    EXPECT_NEAR(lost.total.lost_km, 10, 1e-9);
    EXPECT_NEAR(lost.total.gained_km, 0, 1e-9);
    EXPECT_EQ(lost.total.households_left, 1u);
    const Review gained = review_of(*r, "2018-06-01", "2019-06-01");
    EXPECT_NEAR(gained.total.gained_km, 10, 1e-9);
    EXPECT_EQ(gained.total.households_joined, 1u);
    const Review across = review_of(*r, "2017-06-01", "2019-06-01");
    EXPECT_NEAR(across.total.lost_km + across.total.gained_km + across.total.handed_over_km, 0,
                1e-9);

    const HistorySweep history(r->ws, r->plan, {});
    const std::vector<Date> dates = period_ends(day("2016-06-01"), day("2020-06-01"), Period::year);
    ASSERT_EQ(dates.size(), 5u);
    EXPECT_EQ(dates[2], day("2018-06-01"));
    const Timeline tl = compute_timeline(r->ws, r->plan, history, {}, dates);
    const double expected_km[] = {10, 10, 0, 10, 10};
    const std::size_t expected_gaps[] = {2, 2, 1, 2,
                                         2}; // before and after 20-30, or the whole line
    for (std::size_t i = 0; i < dates.size(); ++i) {
        EXPECT_NEAR(tl.total[i].covered_km, expected_km[i], 1e-9) << dates[i].iso();
        EXPECT_EQ(tl.total[i].gaps, expected_gaps[i]) << dates[i].iso();
        EXPECT_EQ(tl.total[i].households, expected_km[i] > 0 ? 1u : 0u) << dates[i].iso();
    }
}

TEST(Review, AnOverlapThatShrinksToSingleCoverageIsNotLost) {
    Workspace ws = test::meridian_workspace();
    ws.assignments.push_back(dated(km_assignment("A1", "H1", 40, 50), "2010-01-01"));
    ws.assignments.push_back(dated(km_assignment("A2", "H2", 45, 50), "2010-01-01", "2016-01-01"));
    const auto r = resolved(std::move(ws), day("2017-01-01"));
    const Review review = review_of(*r, "2015-01-01", "2017-01-01");
    EXPECT_NEAR(review.total.lost_km, 0, 1e-9);
    EXPECT_NEAR(review.total.handed_over_km, 0, 1e-9);
    EXPECT_NEAR(review.total.covered_from_km, 10, 1e-9);
    EXPECT_NEAR(review.total.covered_to_km, 10, 1e-9);
    EXPECT_EQ(review.total.households_left, 1u);
}

TEST(Review, AMarkerIsNotCountedBeforeItIsBuilt) {
    Workspace ws = test::meridian_workspace();
    Marker m = test::marker("M1", 108.0, 13.2);
    m.built = day("2018-03-01");
    ws.markers.push_back(m);
    ws.markers.push_back(test::marker("M0", 108.0, 13.1));
    MarkerCustodian c;
    c.marker_id = "M1";
    c.party_id = "H3";
    c.signed_on = day("2018-03-01");
    ws.custodians.push_back(c);
    const auto r = resolved(std::move(ws), day("2019-01-01"));
    const Review review = review_of(*r, "2017-01-01", "2019-01-01");
    EXPECT_EQ(review.total.markers_from, 1u); // M0 only
    EXPECT_EQ(review.total.markers_to, 2u);
    EXPECT_EQ(review.total.custodied_from, 0u);
    EXPECT_EQ(review.total.custodied_to, 1u);
    ASSERT_EQ(review.marker_changes.size(), 1u);
    EXPECT_EQ(r->ws.markers[review.marker_changes[0].marker].marker_id, "M1");
    EXPECT_EQ(review.marker_changes[0].status, MarkerChangeStatus::gained);
    EXPECT_TRUE(review.marker_changes[0].built_since);
    EXPECT_EQ(review.total.households_joined, 1u);
}

TEST(Review, PeriodEndsKeepTheDayOrTheMonthsLast) {
    const auto ends = period_ends(day("2020-01-31"), day("2020-05-15"), Period::month);
    const std::vector<Date> expected{day("2020-01-31"), day("2020-02-29"), day("2020-03-31"),
                                     day("2020-04-30"), day("2020-05-15")};
    EXPECT_EQ(ends, expected);
    EXPECT_EQ(period_ends(day("2020-01-01"), day("2020-01-01"), Period::year).size(), 1u);
}

// --- renewals ----------------------------------------------------------------------------------

Renewals renewals_of(const Reviewed& r, const char* as_of, const char* until) {
    const HistorySweep history(r.ws, r.plan, {});
    return compute_renewals(r.ws, r.plan, history, {}, day(as_of), day(until));
}

TEST(Renewals, AStretchHeldByTwoWithOneExpiringHasNothingAtRisk) {
    Workspace ws = test::meridian_workspace();
    ws.assignments.push_back(dated(km_assignment("A1", "H1", 0, 4), "2010-01-01", "2026-02-01"));
    ws.assignments.push_back(dated(km_assignment("A2", "H2", 0, 4), "2010-01-01"));
    ws.assignments.push_back(dated(km_assignment("A3", "H3", 10, 13), "2010-01-01", "2026-03-01"));
    // Expires after the window: not listed.
    ws.assignments.push_back(dated(km_assignment("A4", "H3", 20, 21), "2010-01-01", "2027-01-01"));
    const auto r = resolved(std::move(ws), day("2026-01-01"));
    const Renewals rn = renewals_of(*r, "2026-01-01", "2026-04-01");
    ASSERT_EQ(rn.items.size(), 2u);
    // Largest at risk first: A3 alone on its stretch, its whole length.
    EXPECT_EQ(
        r->ws.assignments[r->plan.all_commitments[rn.items[0].index].assignment].assignment_id,
        "A3");
    EXPECT_NEAR(rn.items[0].at_risk, 3, 1e-9);
    EXPECT_EQ(
        r->ws.assignments[r->plan.all_commitments[rn.items[1].index].assignment].assignment_id,
        "A1");
    EXPECT_NEAR(rn.items[1].at_risk, 0, 1e-9);
    EXPECT_NEAR(rn.total.km_at_risk, 3, 1e-9);
    ASSERT_EQ(rn.stretches.size(), 1u);
    EXPECT_NEAR(rn.stretches[0].stretch.from_km, 10, 1e-9);
    EXPECT_EQ(rn.stretches[0].first_expiry, day("2026-03-01"));
    EXPECT_EQ(rn.total.assignments, 2u);
}

TEST(Renewals, AReplacementAlreadySignedTakesTheRiskAway) {
    Workspace ws = test::meridian_workspace();
    ws.assignments.push_back(dated(km_assignment("A1", "H1", 0, 6), "2010-01-01", "2026-02-01"));
    // H2 has signed for 2-6 km from the day A1 ends.
    ws.assignments.push_back(dated(km_assignment("A2", "H2", 2, 6), "2026-02-01"));
    const auto r = resolved(std::move(ws), day("2026-01-01"));
    const Renewals rn = renewals_of(*r, "2026-01-01", "2026-04-01");
    ASSERT_EQ(rn.items.size(), 1u);
    EXPECT_NEAR(rn.items[0].at_risk, 2, 1e-9);
}

// --- random histories against a brute-force reference -------------------------------------------

struct Sampled {
    double lost = 0, gained = 0, handed_over = 0, kept = 0, uncovered = 0;
};

/// Every metre of the line, at its middle, owned at each date by the parties
/// of the assignments (km and dates as written) that cover it.
Sampled brute_force(const Workspace& ws, double length_km, Date from, Date to) {
    Sampled out;
    const auto owners = [&](double km, Date d) {
        std::set<std::string> parties;
        for (const Assignment& a : ws.assignments) {
            const double lo = std::min(*a.from_km, *a.to_km), hi = std::max(*a.from_km, *a.to_km);
            if (lo <= km && km < hi && is_active(a.signed_on, a.expires, d)) {
                parties.insert(a.party_id);
            }
        }
        return parties;
    };
    const auto metres = static_cast<int>(length_km * 1000);
    for (int i = 0; i < metres; ++i) {
        const double km = (i + 0.5) / 1000.0;
        const auto before = owners(km, from), after = owners(km, to);
        std::vector<std::string> common;
        std::set_intersection(before.begin(), before.end(), after.begin(), after.end(),
                              std::back_inserter(common));
        double& bucket = before.empty()   ? (after.empty() ? out.uncovered : out.gained)
                         : after.empty()  ? out.lost
                         : common.empty() ? out.handed_over
                                          : out.kept;
        bucket += 0.001;
    }
    return out;
}

TEST(Review, RandomHistoriesAgreeWithSamplingEveryMetre) {
    std::mt19937 rng(20261201);
    Sampled seen; // every kind of change must occur, or the test proves little
    for (int round = 0; round < 6; ++round) {
        Workspace ws = test::meridian_workspace();
        std::uniform_real_distribution<double> km(0, 50);
        std::uniform_int_distribution<int> year(2008, 2026), party(0, 4);
        for (int i = 0; i < 3; ++i) { // more households than the fixture's three
            Household h;
            h.household_id = "X" + std::to_string(i);
            ws.households.push_back(h);
        }
        const char* parties[] = {"H1", "H2", "H3", "X0", "X1"};
        for (int i = 0; i < 40; ++i) {
            // Whole metres, so that no assignment end falls inside a sampled metre.
            const double a = std::round(km(rng) * 1000) / 1000,
                         b = a + std::round(km(rng) * 100) / 1000;
            const int y1 = year(rng), y2 = y1 + 1 + year(rng) % 6;
            Assignment as = km_assignment("A" + std::to_string(i), parties[party(rng)], a, b);
            as.signed_on = Date::from_ymd(y1, 1 + round, 15);
            if (i % 4 != 0) {
                as.expires = Date::from_ymd(y2, 7, 1);
            }
            ws.assignments.push_back(as);
        }
        const Date from = *Date::from_ymd(2012, 6, 30), to = *Date::from_ymd(2019, 3, 1);
        const auto r = resolved(std::move(ws), to);
        ASSERT_EQ(r->plan.all_commitments.size(), r->ws.assignments.size());
        const Review review = review_of(*r, "2012-06-30", "2019-03-01");
        const Sampled ref = brute_force(r->ws, line_km, from, to);
        seen.lost += ref.lost;
        seen.gained += ref.gained;
        seen.handed_over += ref.handed_over;
        seen.kept += ref.kept;
        const double tolerance = 0.0015; // the line's last, partial metre
        EXPECT_NEAR(review.total.lost_km, ref.lost, tolerance) << "round " << round;
        EXPECT_NEAR(review.total.gained_km, ref.gained, tolerance) << "round " << round;
        EXPECT_NEAR(review.total.handed_over_km, ref.handed_over, tolerance) << "round " << round;
        EXPECT_NEAR(review.total.uncovered_both_km, ref.uncovered, tolerance) << "round " << round;
        EXPECT_NEAR(review.total.covered_from_km, ref.lost + ref.handed_over + ref.kept, tolerance);
        EXPECT_NEAR(review.total.covered_to_km, ref.gained + ref.handed_over + ref.kept, tolerance);

        // Every date of a timeline gives what a coverage run on that date gives.
        const HistorySweep history(r->ws, r->plan, {});
        const std::vector<Date> dates = period_ends(from, to, Period::year);
        const Timeline tl = compute_timeline(r->ws, r->plan, history, {}, dates);
        for (std::size_t i = 0; i < dates.size(); ++i) {
            Diagnostics d;
            const Plan plan = resolve(r->ws, {.as_of = dates[i]}, d);
            const Coverage cov = compute_coverage(r->ws, plan, {});
            EXPECT_NEAR(tl.total[i].covered_km, cov.total.covered_km, 1e-9) << dates[i].iso();
            EXPECT_EQ(tl.total[i].gaps, cov.total.gaps) << dates[i].iso();
        }
    }
    EXPECT_GT(seen.lost, 1.0);
    EXPECT_GT(seen.gained, 1.0);
    EXPECT_GT(seen.handed_over, 1.0);
    EXPECT_GT(seen.kept, 1.0);
}

TEST(Renewals, RandomHistoriesAgreeWithSamplingEveryMetre) {
    std::mt19937 rng(7);
    Workspace ws = test::meridian_workspace();
    std::uniform_real_distribution<double> km(0, 50);
    std::uniform_int_distribution<int> month(1, 12), party(0, 2);
    const char* parties[] = {"H1", "H2", "H3"};
    for (int i = 0; i < 30; ++i) {
        const double a = std::round(km(rng) * 1000) / 1000,
                     b = a + std::round(km(rng) * 100) / 1000;
        Assignment as = km_assignment("A" + std::to_string(i), parties[party(rng)], a, b);
        as.signed_on = Date::from_ymd(2020, month(rng), 1);
        if (i % 3 != 0) {
            as.expires = Date::from_ymd(2026, month(rng), 10);
        }
        ws.assignments.push_back(as);
    }
    const Date as_of = day("2026-03-01"), until = day("2026-08-01");
    const auto r = resolved(std::move(ws), as_of);
    const Renewals rn = renewals_of(*r, "2026-03-01", "2026-08-01");
    // Reference: each metre covered on as_of and by no one on `until`
    // counts for every assignment active on as_of that covers it.
    std::map<std::string, double> at_risk;
    double total = 0;
    for (int i = 0; i < static_cast<int>(line_km * 1000); ++i) {
        const double x = (i + 0.5) / 1000.0;
        bool now = false, later = false;
        std::vector<std::string> holders;
        for (const Assignment& a : r->ws.assignments) {
            if (*a.from_km <= x && x < *a.to_km) {
                if (is_active(a.signed_on, a.expires, as_of)) {
                    now = true;
                    holders.push_back(a.assignment_id);
                }
                later = later || is_active(a.signed_on, a.expires, until);
            }
        }
        if (now && !later) {
            total += 0.001;
            for (const auto& h : holders) {
                at_risk[h] += 0.001;
            }
        }
    }
    EXPECT_GT(total, 1.0);
    EXPECT_NEAR(rn.total.km_at_risk, total, 0.0015);
    std::size_t expiring = 0;
    for (const Assignment& a : r->ws.assignments) {
        expiring += is_active(a.signed_on, a.expires, as_of) && a.expires && *a.expires <= until;
    }
    EXPECT_EQ(rn.items.size(), expiring);
    for (const Renewal& item : rn.items) {
        const std::string& id =
            r->ws.assignments[r->plan.all_commitments[item.index].assignment].assignment_id;
        EXPECT_NEAR(item.at_risk, at_risk[id], 0.0015) << id;
    }
}

} // namespace
} // namespace bordercov
