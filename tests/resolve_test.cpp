#include "bordercov/resolve.hpp"

#include "plan_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace bordercov;
using namespace bordercov::test;

namespace {

ResolveOptions on(const char* date) {
    ResolveOptions o;
    o.as_of = *Date::parse(date);
    return o;
}

bool has(const Diagnostics& d, const std::string& code, const std::string& feature_id) {
    return std::any_of(d.items().begin(), d.items().end(), [&](const Diagnostic& x) {
        return x.code == code && x.feature_id == feature_id;
    });
}

} // namespace

TEST(Resolve, KmFormAndABackwardsStretchAreTheSameInterval) {
    Workspace ws = meridian_workspace();
    ws.assignments.push_back(km_assignment("A1", "H1", 2.0, 7.5));
    ws.assignments.push_back(km_assignment("A2", "H2", 7.5, 2.0));
    Diagnostics d;
    const Plan plan = resolve(ws, on("2020-01-01"), d);
    ASSERT_EQ(plan.commitments.size(), 2u);
    for (const Commitment& c : plan.commitments) {
        EXPECT_DOUBLE_EQ(c.stretch.from_km, 2.0);
        EXPECT_DOUBLE_EQ(c.stretch.to_km, 7.5);
    }
    EXPECT_TRUE(d.items().empty());
}

TEST(Resolve, MarkerToMarkerUsesTheMarkersChainage) {
    Workspace ws = meridian_workspace();
    // Markers 30 m east of the meridian at 13.1 N and 13.3 N: their
    // chainage is that of the foot of the east-west perpendicular.
    double lon1 = 0, lat1 = 0, lon2 = 0, lat2 = 0;
    ref_direct(108, 13.1, 90, 30, lon1, lat1);
    ref_direct(108, 13.3, 90, 30, lon2, lat2);
    ws.markers.push_back(marker("21", lon1, lat1));
    ws.markers.push_back(marker("22", lon2, lat2));
    Assignment a;
    a.assignment_id = "A1";
    a.party_id = "T1";
    a.party_type = PartyType::team;
    a.from_marker = "22";
    a.to_marker = "21";
    ws.assignments.push_back(a);
    Diagnostics d;
    const Plan plan = resolve(ws, on("2020-01-01"), d);
    ASSERT_EQ(plan.commitments.size(), 1u);
    EXPECT_NEAR(plan.commitments[0].stretch.from_km, meridian_km(13.1), 1e-6);
    EXPECT_NEAR(plan.commitments[0].stretch.to_km, meridian_km(13.3), 1e-6);
    EXPECT_NEAR(plan.markers[0].offset_m, 30.0, 1e-3);
    EXPECT_EQ(plan.markers[0].side, 1);
}

TEST(Resolve, DrawnStretchIsSnappedFromFirstToLastVertex) {
    Workspace ws = meridian_workspace();
    double lon_a = 0, lat_a = 0, lon_b = 0, lat_b = 0, lon_c = 0, lat_c = 0;
    ref_direct(108, 13.42, 270, 20, lon_a, lat_a); // 20 m west of the line
    ref_direct(108, 13.30, 90, 10, lon_b, lat_b);
    ref_direct(108, 13.22, 90, 5, lon_c, lat_c);
    Assignment a;
    a.assignment_id = "D1";
    a.party_id = "H3";
    a.drawn = {{lon_a, lat_a}, {lon_b, lat_b}, {lon_c, lat_c}};
    ws.assignments.push_back(a);
    Diagnostics d;
    const Plan plan = resolve(ws, on("2020-01-01"), d);
    ASSERT_EQ(plan.commitments.size(), 1u);
    EXPECT_NEAR(plan.commitments[0].stretch.from_km, meridian_km(13.22), 1e-6);
    EXPECT_NEAR(plan.commitments[0].stretch.to_km, meridian_km(13.42), 1e-6);
    EXPECT_TRUE(d.items().empty());
}

TEST(Resolve, DrawnVertexStrayingBeyondTheToleranceIsAWarning) {
    Workspace ws = meridian_workspace();
    double lon = 0, lat = 0;
    ref_direct(108, 13.3, 90, 80, lon, lat); // 80 m > 50 m
    Assignment a;
    a.assignment_id = "D1";
    a.party_id = "H3";
    a.drawn = {{108, 13.2}, {lon, lat}, {108, 13.4}};
    ws.assignments.push_back(a);
    Diagnostics d;
    const Plan plan = resolve(ws, on("2020-01-01"), d);
    EXPECT_EQ(plan.commitments.size(), 1u);
    ASSERT_TRUE(has(d, "drawn-off-line", "D1"));
    EXPECT_EQ(d.items()[0].severity, Severity::warning);
    ASSERT_EQ(d.items()[0].where.size(), 1u);
    EXPECT_NEAR(d.items()[0].where[0].lon, lon, 1e-12);
}

TEST(Resolve, StretchPastTheEndIsClampedWithAWarningAndOneOutsideIsDropped) {
    Workspace ws = meridian_workspace();
    const double length = meridian_km(13.5);
    ws.assignments.push_back(km_assignment("A1", "H1", length - 1.0, length + 2.0));
    ws.assignments.push_back(km_assignment("A2", "H2", length + 1.0, length + 2.0));
    ws.assignments.push_back(km_assignment("A3", "H3", length - 1.0, length + 0.0004)); // rounding
    Diagnostics d;
    const Plan plan = resolve(ws, on("2020-01-01"), d);
    ASSERT_EQ(plan.commitments.size(), 2u);
    EXPECT_NEAR(plan.commitments[0].stretch.to_km, length, 1e-9);
    EXPECT_NEAR(plan.commitments[1].stretch.to_km, length, 1e-9);
    EXPECT_TRUE(has(d, "stretch-outside-line", "A1"));
    EXPECT_TRUE(has(d, "stretch-outside-line", "A2"));
    EXPECT_FALSE(has(d, "stretch-outside-line", "A3"));
    EXPECT_EQ(d.count(Severity::error), 1u);
}

TEST(Resolve, RowsThatCannotBeResolvedAreDiagnosedNotDropped) {
    Workspace ws = meridian_workspace();
    Assignment none;
    none.assignment_id = "N";
    none.party_id = "H1";
    ws.assignments.push_back(none);
    Assignment both = km_assignment("B", "H1", 1, 2);
    both.from_marker = "21";
    both.to_marker = "22";
    ws.assignments.push_back(both);
    ws.assignments.push_back(km_assignment("P", "H99", 1, 2));
    Assignment line = km_assignment("L", "H1", 1, 2);
    line.line_id = "nowhere";
    ws.assignments.push_back(line);
    Assignment unknown_marker;
    unknown_marker.assignment_id = "M";
    unknown_marker.party_id = "H1";
    unknown_marker.from_marker = "1";
    unknown_marker.to_marker = "2";
    ws.assignments.push_back(unknown_marker);
    Assignment dates = km_assignment("D", "H1", 1, 2);
    dates.signed_on = Date::parse("2020-01-01");
    dates.expires = Date::parse("2019-01-01");
    ws.assignments.push_back(dates);
    Diagnostics d;
    const Plan plan = resolve(ws, on("2020-06-01"), d);
    EXPECT_TRUE(plan.commitments.empty());
    EXPECT_TRUE(has(d, "assignment-no-form", "N"));
    EXPECT_TRUE(has(d, "assignment-many-forms", "B"));
    EXPECT_TRUE(has(d, "unknown-party", "P"));
    EXPECT_TRUE(has(d, "unknown-line", "L"));
    EXPECT_TRUE(has(d, "unknown-marker", "M"));
    EXPECT_TRUE(has(d, "expires-before-signed", "D"));
    for (const Diagnostic& x : d.items()) {
        EXPECT_EQ(x.layer, "assignments");
        EXPECT_EQ(x.severity, Severity::error);
    }
}

TEST(Resolve, OnlyWhatIsActiveOnTheDateCounts) {
    Workspace ws = meridian_workspace();
    Assignment expired = km_assignment("E", "H1", 0, 5);
    expired.signed_on = Date::parse("2010-01-01");
    expired.expires = Date::parse("2015-12-31");
    Assignment future = km_assignment("F", "H2", 5, 10);
    future.signed_on = Date::parse("2016-01-01");
    Assignment open = km_assignment("O", "H3", 10, 15);
    ws.assignments = {expired, future, open};
    Diagnostics d;
    const Plan on_expiry = resolve(ws, on("2015-12-31"), d);
    ASSERT_EQ(on_expiry.commitments.size(), 1u); // E expired that day, F not yet signed
    EXPECT_EQ(on_expiry.commitments[0].assignment, 2u);
    EXPECT_EQ(on_expiry.inactive_assignments, 2u);
    const Plan day_before = resolve(ws, on("2015-12-30"), d);
    EXPECT_EQ(day_before.commitments.size(), 2u);
    const Plan later = resolve(ws, on("2016-01-01"), d);
    EXPECT_EQ(later.commitments.size(), 2u);
}

TEST(Resolve, MarkerFarFromItsLineIsAWarningWithBothPoints) {
    Workspace ws = meridian_workspace();
    double lon = 0, lat = 0;
    ref_direct(108, 13.2, 90, 150, lon, lat);
    ws.markers.push_back(marker("9", lon, lat));
    Diagnostics d;
    const Plan plan = resolve(ws, on("2020-01-01"), d);
    ASSERT_TRUE(has(d, "marker-off-line", "9"));
    EXPECT_NEAR(plan.markers[0].offset_m, 150.0, 1e-3);
    EXPECT_EQ(d.items()[0].where.size(), 2u);
}

TEST(Resolve, KmWithoutALineSaysWhichFieldToGive) {
    Workspace ws = meridian_workspace();
    Assignment a = km_assignment("A1", "H1", 1, 2);
    a.line_id.clear();
    ws.assignments.push_back(a);
    Diagnostics d;
    const Plan plan = resolve(ws, on("2020-01-01"), d);
    EXPECT_TRUE(plan.commitments.empty());
    ASSERT_EQ(d.items().size(), 1u);
    EXPECT_EQ(d.items()[0].code, "incomplete-stretch");
    EXPECT_EQ(d.items()[0].field, "line_id");
    EXPECT_EQ(d.items()[0].severity, Severity::error);
    EXPECT_NE(d.items()[0].message.find("Give line_id"), std::string::npos) << d.items()[0].message;
}
