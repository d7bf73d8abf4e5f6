#include "bordercov/checks.hpp"

#include "plan_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace bordercov;
using namespace bordercov::test;

namespace {

std::vector<const Diagnostic*> with_code(const Diagnostics& d, const std::string& code) {
    std::vector<const Diagnostic*> out;
    for (const Diagnostic& x : d.items()) {
        if (x.code == code) {
            out.push_back(&x);
        }
    }
    return out;
}

Diagnostics checked(const Workspace& ws) {
    Diagnostics d;
    const Plan plan = resolve(ws, {}, d);
    check_consistency(ws, plan, d);
    return d;
}

} // namespace

TEST(Checks, MarkersAgainstTheirNumberingAreNamed) {
    Workspace ws = meridian_workspace();
    // Along the line: 21, 21/1, 23, 22, 24: "22" comes after "23".
    ws.markers = {marker("21", 108, 13.1), marker("21/1", 108, 13.15), marker("23", 108, 13.2),
                  marker("22", 108, 13.3), marker("24", 108, 13.4)};
    const Diagnostics d = checked(ws);
    const auto found = with_code(d, "marker-out-of-order");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0]->feature_id, "22");
    EXPECT_EQ(found[0]->severity, Severity::warning);
    EXPECT_NE(found[0]->message.find("'23'"), std::string::npos) << found[0]->message;
}

TEST(Checks, NumberingMayFallAlongTheLine) {
    Workspace ws = meridian_workspace();
    ws.markers = {marker("30", 108, 13.1), marker("29", 108, 13.2), marker("28", 108, 13.3)};
    EXPECT_TRUE(with_code(checked(ws), "marker-out-of-order").empty());
}

TEST(Checks, HouseholdOutsideItsCommuneAndTeamWithoutHouseholds) {
    Workspace ws = meridian_workspace();
    Commune c;
    c.commune_id = "C1";
    c.area = {{{{107.9, 13.0}, {108.1, 13.0}, {108.1, 13.2}, {107.9, 13.2}, {107.9, 13.0}}}};
    ws.communes = {c};
    ws.households[0].commune_id = "C1";
    ws.households[0].home = LonLat{108.05, 13.1}; // inside
    ws.households[1].commune_id = "C1";
    ws.households[1].home = LonLat{108.05, 13.3}; // 0.1 degree north of it
    const Diagnostics d = checked(ws);
    const auto outside = with_code(d, "household-outside-commune");
    ASSERT_EQ(outside.size(), 1u);
    EXPECT_EQ(outside[0]->feature_id, "H2");
    EXPECT_EQ(outside[0]->layer, "households");
    EXPECT_EQ(outside[0]->field, "commune_id");
    // T1 has H1..H3; T2 has nobody.
    const auto lonely = with_code(d, "team-without-households");
    ASSERT_EQ(lonely.size(), 1u);
    EXPECT_EQ(lonely[0]->feature_id, "T2");
}

TEST(Checks, ALineThatCrossesItselfOrWhosePartsOverlap) {
    Workspace ws = meridian_workspace();
    ws.lines.emplace_back("Z", std::vector<BorderLine::Part>{{{108.1, 13.0}, {108.2, 13.1}, {108.2, 13.0}, {108.1, 13.1}}});
    ws.lines.emplace_back("P", std::vector<BorderLine::Part>{{{108.3, 13.0}, {108.3, 13.2}}, {{108.3, 13.1}, {108.3, 13.3}}});
    const auto found = with_code(checked(ws), "line-not-simple");
    ASSERT_EQ(found.size(), 2u); // Z crosses itself, P's parts overlap; L (the meridian) is simple
    EXPECT_EQ(found[0]->feature_id, "Z");
    EXPECT_EQ(found[1]->feature_id, "P");
    EXPECT_EQ(found[0]->layer, "border_lines");
}
