// The words and number formats of i18n.hpp: numbers and dates written out by
// hand in each language, the Vietnamese catalogue as msgfmt compiled it from
// po/vi.po, plural rules evaluated by hand.
#include "bordercov/error.hpp"
#include "bordercov/i18n.hpp"
#include "bordercov/labels.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace bordercov;
using i18n::Catalogue;
using i18n::Language;

namespace {

const std::filesystem::path built_locale = BORDERCOV_BUILT_LOCALEDIR;

Catalogue vietnamese() {
    return Catalogue::for_language(Language::vi, {built_locale});
}

} // namespace

TEST(Numbers, VietnameseGroupsThousandsWithDotsAndWritesADecimalComma) {
    const Catalogue vi = vietnamese();
    EXPECT_EQ(vi.number(90.2, 1), "90,2");
    EXPECT_EQ(vi.integer(6286), "6.286");
    EXPECT_EQ(vi.number(6286, 0), "6.286");
    EXPECT_EQ(vi.number(1234567.891, 3), "1.234.567,891");
    EXPECT_EQ(vi.number(0.05, 1), "0,1");   // 0.05 is 0.05000000000000000277 in binary
    EXPECT_EQ(vi.number(12.25, 1), "12,2"); // 12.25 exactly: to the even digit
    EXPECT_EQ(vi.number(-0.04, 1), "0,0");  // no "-0,0"
    EXPECT_EQ(vi.number(-1500.5, 1), "-1.500,5");
    EXPECT_EQ(vi.integer(-1000), "-1.000");
    EXPECT_EQ(vi.integer(999), "999");
    EXPECT_EQ(vi.integer(0), "0");
}

TEST(Numbers, EnglishGroupsThousandsWithCommasAndWritesADecimalPoint) {
    const Catalogue en;
    EXPECT_EQ(en.number(90.2, 1), "90.2");
    EXPECT_EQ(en.integer(6286), "6,286");
    EXPECT_EQ(en.number(1234567.891, 3), "1,234,567.891");
    EXPECT_EQ(en.integer(100000), "100,000");
}

TEST(Dates, VietnameseDayMonthYearEnglishIso) {
    const Date d = *Date::parse("2015-12-31");
    EXPECT_EQ(vietnamese().date(d), "31/12/2015");
    EXPECT_EQ(Catalogue{}.date(d), "2015-12-31");
    EXPECT_EQ(vietnamese().date(*Date::parse("2026-01-05")), "05/01/2026");
}

TEST(Catalogue, VietnameseFromTheCompiledCatalogueWithItsDiacritics) {
    const Catalogue vi = vietnamese();
    EXPECT_EQ(vi.language(), Language::vi);
    EXPECT_EQ(vi.tr("Gaps"), "Đoạn trống");
    EXPECT_EQ(vi.tr("{} commune"), "Xã {}");
    EXPECT_EQ(vi.tr("not in the catalogue"), "not in the catalogue");
    // Vietnamese has one form for every number.
    EXPECT_EQ(vi.trn("in {} gap", "in {} gaps", 1), "trong {} đoạn trống");
    EXPECT_EQ(vi.trn("in {} gap", "in {} gaps", 7), "trong {} đoạn trống");
    EXPECT_EQ(field_title(vi, "border_km"), "Biên giới (km)");
    EXPECT_EQ(country_name(vi, "kh"), "Campuchia");
    EXPECT_EQ(country_name(vi, "TH"), "TH");
    EXPECT_EQ(layer_title(vi, "gaps"), "Đoạn trống");
}

TEST(Catalogue, EnglishIsTheSourceAndNeedsNoFile) {
    const Catalogue en = Catalogue::for_language(Language::en, {});
    EXPECT_EQ(en.tr("Gaps"), "Gaps");
    EXPECT_EQ(en.trn("in {} gap", "in {} gaps", 1), "in {} gap");
    EXPECT_EQ(en.trn("in {} gap", "in {} gaps", 2), "in {} gaps");
    EXPECT_EQ(field_title(en, "border_km"), "Border (km)");
    EXPECT_EQ(field_title(en, "no_such_field"), "no_such_field");
}

TEST(Catalogue, AMissingCatalogueNamesEveryPlaceLookedIn) {
    try {
        Catalogue::for_language(Language::vi, {"/nonexistent/a", "/nonexistent/b"});
        FAIL() << "no error";
    } catch (const IoError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("/nonexistent/a/vi/LC_MESSAGES/bordercov.mo"), std::string::npos) << m;
        EXPECT_NE(m.find("/nonexistent/b/vi/LC_MESSAGES/bordercov.mo"), std::string::npos) << m;
        EXPECT_NE(m.find("--lang en"), std::string::npos) << m;
    }
}

TEST(Catalogue, AFileThatIsNoCatalogueIsRefused) {
    const auto dir = std::filesystem::temp_directory_path() / "bordercov-i18n-test";
    std::filesystem::create_directories(dir / "vi" / "LC_MESSAGES");
    std::ofstream(dir / "vi" / "LC_MESSAGES" / "bordercov.mo") << "not a catalogue at all, no";
    EXPECT_THROW(Catalogue::for_language(Language::vi, {dir}), IoError);
    std::filesystem::remove_all(dir);
}

TEST(Catalogue, TheBuiltCatalogueIsFoundBesideTheBinary) {
    // Tests run from build/bin, like bordercov: build/share/locale is found.
    const auto dirs = i18n::catalogue_dirs();
    EXPECT_NO_THROW(Catalogue::for_language(Language::vi));
    EXPECT_FALSE(dirs.empty());
}

TEST(PluralRules, EvaluatedAsC) {
    // gettext's rules for English, Vietnamese, French, Russian, Arabic.
    EXPECT_EQ(i18n::plural_form("n != 1", 1), 0u);
    EXPECT_EQ(i18n::plural_form("n != 1", 0), 1u);
    EXPECT_EQ(i18n::plural_form("0", 5), 0u);
    EXPECT_EQ(i18n::plural_form("n>1", 1), 0u);
    EXPECT_EQ(i18n::plural_form("n>1", 2), 1u);
    const char* russian = "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || "
                          "n%100>=20) ? 1 : 2)";
    EXPECT_EQ(i18n::plural_form(russian, 1), 0u);
    EXPECT_EQ(i18n::plural_form(russian, 11), 2u);
    EXPECT_EQ(i18n::plural_form(russian, 21), 0u);
    EXPECT_EQ(i18n::plural_form(russian, 3), 1u);
    EXPECT_EQ(i18n::plural_form(russian, 13), 2u);
    EXPECT_EQ(i18n::plural_form(russian, 25), 2u);
    const char* arabic = "n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
                         "n%100>=11 ? 4 : 5";
    EXPECT_EQ(i18n::plural_form(arabic, 0), 0u);
    EXPECT_EQ(i18n::plural_form(arabic, 105), 3u);
    EXPECT_EQ(i18n::plural_form(arabic, 111), 4u);
    EXPECT_EQ(i18n::plural_form(arabic, 100), 5u);
    EXPECT_EQ(i18n::plural_form("!(n == 1)", 1), 0u);
    EXPECT_THROW(i18n::plural_form("n %", 1), std::invalid_argument);
    EXPECT_THROW(i18n::plural_form("n / 0", 1), std::invalid_argument);
}
