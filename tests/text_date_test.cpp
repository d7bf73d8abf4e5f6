#include "bordercov/date.hpp"
#include "bordercov/text.hpp"

#include <gtest/gtest.h>

using namespace bordercov;

TEST(Text, FoldsVietnameseDiacriticsAndCase) {
    EXPECT_EQ(fold_diacritics("Ia Pnôn"), "ia pnon");
    EXPECT_EQ(fold_diacritics("Đức Cơ"), "duc co");
    EXPECT_EQ(fold_diacritics("CHƯ PRÔNG"), "chu prong");
    EXPECT_EQ(fold_diacritics("Ia Mơ"), "ia mo");
    EXPECT_EQ(fold_diacritics("Ia Púch"), "ia puch");
    // Decomposed input: o + combining circumflex.
    EXPECT_EQ(fold_diacritics("Pno\xCC\x82n"), "pnon");
}

TEST(Text, DisplayWidthCountsCodePoints) {
    EXPECT_EQ(display_width("Ia Pnôn"), 7u);
    EXPECT_EQ(display_width("Đức Cơ"), 6u);
}

TEST(Date, ParsesIsoAndVietnameseOrder) {
    const auto iso = Date::parse("2015-12-31");
    ASSERT_TRUE(iso);
    EXPECT_EQ(iso->iso(), "2015-12-31");
    EXPECT_EQ(Date::parse("31/12/2015"), iso);
    EXPECT_EQ(Date::parse("2015/12/31"), iso);
    EXPECT_EQ(Date::parse("2015-12-31T08:00:00Z"), iso);
    // 1970-01-01 is day 0; 2016-01-01 comes 46 * 365 + 11 leap days
    // (1972 ... 2012) = 16 801 days later, so 2015-12-31 is day 16 800.
    EXPECT_EQ(iso->days(), 16800);
    EXPECT_FALSE(Date::parse("2015-02-30"));
    EXPECT_FALSE(Date::parse("yesterday"));
    EXPECT_FALSE(Date::parse(""));
    EXPECT_FALSE(Date::parse("12/2015"));
}

TEST(Date, ATimeOfDayMayFollowButNothingElse) {
    const auto day = Date::parse("2015-12-31");
    EXPECT_EQ(Date::parse("2015-12-31 08:00"), day);
    EXPECT_EQ(Date::parse("2015-12-31T08:00:00.000+07:00"), day);
    EXPECT_EQ(Date::parse(" 31/12/2015 "), day);
    EXPECT_FALSE(Date::parse("2015-12-31 garbage"));
    EXPECT_FALSE(Date::parse("2015-12-31T"));
    EXPECT_FALSE(Date::parse("2015-12-31 ngày ký"));
}

TEST(Date, AYearOrAMonthAloneIsItsFirstDay) {
    const auto year = Date::parse_partial("2010");
    ASSERT_TRUE(year);
    EXPECT_EQ(year->first_day.iso(), "2010-01-01");
    EXPECT_EQ(year->precision, Date::Precision::year);
    const auto month = Date::parse_partial("2010-05");
    ASSERT_TRUE(month);
    EXPECT_EQ(month->first_day.iso(), "2010-05-01");
    EXPECT_EQ(month->precision, Date::Precision::month);
    EXPECT_EQ(Date::parse_partial("05/2010")->first_day.iso(), "2010-05-01");
    EXPECT_EQ(Date::parse_partial("2010/5")->first_day.iso(), "2010-05-01");
    const auto day = Date::parse_partial("20/05/2010");
    ASSERT_TRUE(day);
    EXPECT_EQ(day->first_day.iso(), "2010-05-20");
    EXPECT_EQ(day->precision, Date::Precision::day);
    EXPECT_FALSE(Date::parse_partial("2010-13"));
    EXPECT_FALSE(Date::parse_partial("201"));
    EXPECT_FALSE(Date::parse_partial("mùa xuân 2010"));
    EXPECT_FALSE(Date::parse_partial("2010 garbage"));
    EXPECT_FALSE(Date::parse("2010")); // only where a year is enough (a marker's built)
}

TEST(Date, ActiveFromSigningUntilTheDayBeforeExpiry) {
    const Date signed_on = *Date::parse("2015-01-01"), expires = *Date::parse("2020-01-01");
    EXPECT_FALSE(is_active(signed_on, expires, *Date::parse("2014-12-31")));
    EXPECT_TRUE(is_active(signed_on, expires, signed_on));
    EXPECT_TRUE(is_active(signed_on, expires, *Date::parse("2019-12-31")));
    EXPECT_FALSE(is_active(signed_on, expires, expires));
    EXPECT_TRUE(is_active(std::nullopt, std::nullopt, expires));
}

namespace bordercov {
TEST(NameList, NamesAtMostSoManyThenHowManyMore) {
    EXPECT_EQ(name_list({}), "");
    EXPECT_EQ(name_list({"segments"}), "segments");
    EXPECT_EQ(name_list({"a", "b", "c"}, 2), "a, b and 1 more");
    EXPECT_EQ(name_list({"a", "b"}, 2), "a, b");
}
} // namespace bordercov
