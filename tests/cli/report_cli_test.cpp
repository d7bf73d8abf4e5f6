// bordercov report through the built CLI on the Gia Lai sample: the figures on
// the pages against the sample's published and independently computed ones
// (geodata/README.md; the line's length measured here with PROJ), in the
// Vietnamese and English formats written out by hand; the same numbers in both
// languages; and the output rules every output of bordercov follows.
#include "../reference.hpp"
#include "fixture.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

using bordercov::test::run_bordercov;
using bordercov::test::slurp;
using bordercov::test::TempDir;

namespace {

const std::string sample = BORDERCOV_SOURCE_DIR "/geodata/gia-lai.gpkg";

/// The data-value of the first element with data-field="field" after `from`.
std::string value_after(const std::string& html, const std::string& field,
                        const std::string& from = {}) {
    const std::size_t start = from.empty() ? 0 : html.find(from);
    const std::string key = "data-field=\"" + field + "\" data-value=\"";
    const std::size_t at = html.find(key, start == std::string::npos ? 0 : start);
    if (at == std::string::npos) {
        return "(none)";
    }
    const std::size_t begin = at + key.size();
    return html.substr(begin, html.find('"', begin) - begin);
}

/// The text shown by the first element with data-field="field" after `from`.
std::string text_after(const std::string& html, const std::string& field,
                       const std::string& from = {}) {
    const std::size_t start = from.empty() ? 0 : html.find(from);
    const std::size_t at = html.find("data-field=\"" + field + "\"", start);
    const std::size_t begin = html.find('>', at) + 1;
    return html.substr(begin, html.find('<', begin) - begin);
}

/// Every data-value of a page, in order.
std::vector<std::string> all_values(const std::string& html) {
    static const std::regex value("data-value=\"([^\"]*)\"");
    std::vector<std::string> out;
    for (auto it = std::sregex_iterator(html.begin(), html.end(), value);
         it != std::sregex_iterator(); ++it) {
        out.push_back((*it)[1]);
    }
    return out;
}

double line_length_km() {
    GDALAllRegister();
    std::unique_ptr<GDALDataset> ds(
        GDALDataset::Open(sample.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    OGRFeatureUniquePtr f(ds->GetLayerByName("border_lines")->GetNextFeature());
    const OGRLineString* line = f->GetGeometryRef()->toLineString();
    double m = 0;
    for (int i = 1; i < line->getNumPoints(); ++i) {
        m += bordercov::test::ref_distance_m(line->getX(i - 1), line->getY(i - 1), line->getX(i),
                                             line->getY(i));
    }
    return m / 1000.0;
}

class GiaLaiReport : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir;
        for (const char* lang : {"vi", "en"}) {
            const auto r = run_bordercov(
                {"report", sample, "--as-of", "2026-11-28", "--lang", lang, "-o", *dir_ / lang});
            ASSERT_EQ(r.code, 0) << r.err;
            ASSERT_NE(r.err.find("Wrote the report (12 pages"), std::string::npos) << r.err;
        }
    }
    static void TearDownTestSuite() { delete dir_; }
    static std::string page(const char* lang, const std::string& file) {
        return slurp(std::filesystem::path(*dir_ / lang) / file);
    }
    static TempDir* dir_;
};
TempDir* GiaLaiReport::dir_ = nullptr;

} // namespace

TEST_F(GiaLaiReport, ThePagesAreThereAndLinked) {
    const std::string index = page("vi", "index.html");
    for (const char* file :
         {"district-ia-grai.html", "district-duc-co.html", "district-chu-prong.html",
          "commune-IaO.html", "commune-IaChia.html", "commune-IaDom.html", "commune-IaNan.html",
          "commune-IaPnon.html", "commune-IaPuch.html", "commune-IaMo.html"}) {
        EXPECT_NE(index.find(std::string("href=\"") + file + "\""), std::string::npos) << file;
        EXPECT_FALSE(page("vi", file).empty()) << file;
    }
    EXPECT_NE(page("vi", "commune-IaNan.html").find("href=\"district-duc-co.html\""),
              std::string::npos);
    // Nothing to fetch: no script, no external resource.
    for (const char* file : {"index.html", "district-duc-co.html", "commune-IaPnon.html"}) {
        const std::string html = page("vi", file);
        EXPECT_EQ(html.find("<script"), std::string::npos) << file;
        EXPECT_EQ(html.find("src="), std::string::npos) << file;
        EXPECT_EQ(html.find("url(http"), std::string::npos) << file;
        EXPECT_EQ(html.find("<link"), std::string::npos) << file;
    }
}

TEST_F(GiaLaiReport, TheProvincesFiguresInVietnameseAndEnglishFormats) {
    const std::string vi = page("vi", "index.html");
    const std::string en = page("en", "index.html");
    const double length = line_length_km(); // 90.2 km, the plan's figure
    EXPECT_NEAR(std::stod(value_after(vi, "border_km")), length, 0.0005);
    EXPECT_EQ(text_after(vi, "border_km"), "90,2");
    EXPECT_EQ(text_after(en, "border_km"), "90.2");
    // 4.707 km uncovered in 7 gaps, 4.149 km held by two or more (README).
    EXPECT_NEAR(std::stod(value_after(vi, "uncovered_km")), 4.707, 0.002);
    EXPECT_EQ(text_after(vi, "uncovered_km"), "4,7");
    EXPECT_EQ(value_after(vi, "gaps"), "7");
    EXPECT_NEAR(std::stod(value_after(vi, "overlap_km")), 4.149, 0.002);
    EXPECT_EQ(text_after(vi, "overlap_km"), "4,1");
    // (90.2 − 4.707) / 90.2 = 94.78 %, shown rounded down to 94.7.
    EXPECT_NEAR(std::stod(value_after(vi, "coverage_pct")), 94.78, 0.006);
    EXPECT_EQ(text_after(vi, "coverage_pct"), "94,7");
    EXPECT_EQ(text_after(en, "coverage_pct"), "94.7");
    EXPECT_EQ(value_after(vi, "markers_unowned"), "6");
    // 6,286 households and 53 teams.
    EXPECT_EQ(value_after(vi, "households"), "6286");
    EXPECT_EQ(text_after(vi, "households"), "6.286");
    EXPECT_EQ(text_after(en, "households"), "6,286");
    EXPECT_EQ(value_after(vi, "teams"), "53");
    EXPECT_NE(vi.find("Tính đến ngày 28/11/2026"), std::string::npos);
    EXPECT_NE(en.find("As of 2026-11-28"), std::string::npos);
    EXPECT_NE(vi.find("<h1>Tỉnh Gia Lai</h1>"), std::string::npos);
    for (const char* gap : {">G1<", ">G2<", ">G3<", ">G4<", ">G5<", ">G6<", ">G7<"}) {
        EXPECT_NE(vi.find(gap), std::string::npos) << gap;
    }
}

TEST_F(GiaLaiReport, EachCommunesBorderAndItsGaps) {
    const std::map<std::string, double> border_km{
        {"IaO", 15.0},    {"IaChia", 10.5}, {"IaDom", 12.0}, {"IaNan", 13.0},
        {"IaPnon", 10.0}, {"IaPuch", 12.5}, {"IaMo", 17.2}};
    for (const auto& [id, km] : border_km) {
        const std::string html = page("vi", "commune-" + id + ".html");
        EXPECT_NEAR(std::stod(value_after(html, "border_km")), km, 0.0011) << id;
    }
    // Ia Nan holds G5 [47.295, 49.304] (README) and the unowned marker 48/1.
    const std::string nan = page("vi", "commune-IaNan.html");
    EXPECT_NE(nan.find("<h1>Xã Ia Nan</h1>"), std::string::npos);
    EXPECT_EQ(value_after(nan, "gap_id"), "G5");
    EXPECT_NEAR(std::stod(value_after(nan, "from_km")), 47.295, 0.0011);
    EXPECT_EQ(text_after(nan, "from_km"), "47,295");
    EXPECT_EQ(text_after(nan, "to_km"), "49,304");
    EXPECT_EQ(text_after(nan, "length_km"), "2,009");
    EXPECT_EQ(value_after(nan, "marker_id"), "48/1");
    EXPECT_EQ(text_after(page("en", "commune-IaNan.html"), "length_km"), "2.009");
    // The names with their diacritics.
    EXPECT_NE(page("vi", "commune-IaPnon.html").find("<h1>Xã Ia Pnôn</h1>"), std::string::npos);
    EXPECT_NE(page("vi", "commune-IaMo.html").find("Huyện Chư Prông"), std::string::npos);
}

TEST_F(GiaLaiReport, EnglishAndVietnameseHoldTheSameNumbers) {
    for (const auto& entry : std::filesystem::directory_iterator(*dir_ / "vi")) {
        const std::string file = entry.path().filename().string();
        const auto vi = all_values(page("vi", file));
        EXPECT_FALSE(vi.empty()) << file;
        EXPECT_EQ(vi, all_values(page("en", file))) << file;
    }
}

TEST(ReportOutput, AnEarlierReportIsReplacedOnlyWithOverwriteAndNothingElseEver) {
    TempDir dir;
    const std::string out = dir / "report";
    const std::vector<std::string> args{"report", sample, "--commune", "ia pnon", "-o", out};
    ASSERT_EQ(run_bordercov(args).code, 0);
    std::ofstream(dir / "report/notes.txt") << "the officials' own notes";
    const auto again = run_bordercov(args);
    EXPECT_EQ(again.code, 3);
    EXPECT_NE(again.err.find("--overwrite"), std::string::npos) << again.err;
    std::vector<std::string> with = args;
    with.push_back("--overwrite");
    const auto replaced = run_bordercov(with);
    EXPECT_EQ(replaced.code, 0) << replaced.err;
    EXPECT_EQ(slurp(dir / "report/notes.txt"), "the officials' own notes");
    // A page of the same name that bordercov did not write: never replaced.
    std::ofstream(dir / "report/index.html") << "<html>the province's own page</html>";
    const auto foreign = run_bordercov(with);
    EXPECT_EQ(foreign.code, 3);
    EXPECT_NE(foreign.err.find("index.html is not a page of a bordercov report"), std::string::npos)
        << foreign.err;
    EXPECT_EQ(slurp(dir / "report/index.html"), "<html>the province's own page</html>");
    // Nothing left beside it.
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        EXPECT_EQ(entry.path().filename().string().rfind(".tmp-", 0), std::string::npos);
    }
}

TEST(ReportOutput, BadOptionsAreRefusedBeforeAnyWork) {
    TempDir dir;
    EXPECT_EQ(run_bordercov({"report", sample, "-o", dir / "r.html"}).code, 2);
    EXPECT_EQ(run_bordercov({"report", sample, "-o", dir / "r", "--lang", "fr"}).code, 2);
    EXPECT_EQ(run_bordercov({"report", sample, "-o", dir / "r", "--district", "Hà Nội"}).code, 2);
    EXPECT_EQ(run_bordercov({"report", sample, "-o", dir / "no/such/r"}).code, 3);
    EXPECT_FALSE(std::filesystem::exists(dir / "r"));
}

TEST(ReportOutput, AFolderNamedRelativeToTheWorkingFolder) {
    TempDir dir;
    const auto r = run_bordercov({"report", sample, "--commune", "IaO", "-o", "report"},
                                 "cd " + dir.path().string() + " && ");
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(std::filesystem::exists(dir / "report/commune-IaO.html"));
    const auto slash = run_bordercov({"report", sample, "--commune", "IaO", "-o", "second/"},
                                     "cd " + dir.path().string() + " && ");
    EXPECT_EQ(slash.code, 0) << slash.err;
    EXPECT_TRUE(std::filesystem::exists(dir / "second/index.html"));
}

TEST(ReportOutput, ADistrictAlone) {
    TempDir dir;
    const auto r =
        run_bordercov({"report", sample, "--district", "duc co", "--lang", "en", "-o", dir / "r"});
    ASSERT_EQ(r.code, 0) << r.err;
    // index, district, 3 communes, print.html
    EXPECT_NE(r.err.find("(6 pages"), std::string::npos) << r.err;
    EXPECT_TRUE(std::filesystem::exists(dir / "r/commune-IaPnon.html"));
    EXPECT_FALSE(std::filesystem::exists(dir / "r/commune-IaO.html"));
}

namespace {

/// The values of a SQL query's first column on the sample, read with GDAL.
std::set<std::string> sample_query(const std::string& sql) {
    GDALAllRegister();
    std::unique_ptr<GDALDataset> ds(
        GDALDataset::Open(sample.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    OGRLayer* result = ds->ExecuteSQL(sql.c_str(), nullptr, nullptr);
    std::set<std::string> out;
    for (const auto& f : *result) {
        out.insert(f->GetFieldAsString(0));
    }
    ds->ReleaseResultSet(result);
    return out;
}

/// Every data-value of the elements marked `marker` (an attribute text
/// before data-field) on every page of a report.
std::multiset<std::string> values_on_pages(const std::filesystem::path& dir,
                                           const std::string& marker) {
    std::multiset<std::string> out;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        const std::string file = entry.path().filename().string();
        if (file.rfind("commune-", 0) != 0) {
            continue;
        }
        const std::string html = slurp(entry.path());
        const std::string key = marker + " data-value=\"";
        for (std::size_t at = html.find(key); at != std::string::npos;
             at = html.find(key, at + 1)) {
            const std::size_t begin = at + key.size();
            out.insert(html.substr(begin, html.find('"', begin) - begin));
        }
    }
    return out;
}

} // namespace

// The changes since the last review, against the sample's published figures
// (geodata/README.md): every metre held on 2015-12-31, 4.707 km in 7 gaps on
// 2026-11-28, so those 4.707 km were lost and nothing was gained.
TEST(ReportThroughTime, TheChangesSinceTheLastReview) {
    TempDir dir;
    const auto r = run_bordercov({"report", sample, "--as-of", "2026-11-28", "--since",
                                  "2015-12-31", "--lang", "en", "-o", dir / "r"});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::string index = slurp(dir / "r/index.html");
    const std::string since = "Changes since 2015-12-31";
    ASSERT_NE(index.find(since), std::string::npos);
    EXPECT_NEAR(std::stod(value_after(index, "covered_km_from", since)), line_length_km(), 0.0011);
    EXPECT_NEAR(std::stod(value_after(index, "covered_km_to", since)), 85.493, 0.002);
    EXPECT_NEAR(std::stod(value_after(index, "change_km", since)), -4.707, 0.002);
    EXPECT_NEAR(std::stod(value_after(index, "lost_km", since)), 4.707, 0.002);
    EXPECT_EQ(value_after(index, "gained_km", since), "0");
    // A bar at 2015-12-31, at the end of 2016 ... 2025, and at the as-of date.
    static const std::regex bar("<rect class=\"bar\"[^>]*data-date=\"([^\"]+)\" "
                                "data-value=\"([^\"]+)\"");
    std::vector<std::pair<std::string, double>> bars;
    for (auto it = std::sregex_iterator(index.begin(), index.end(), bar);
         it != std::sregex_iterator(); ++it) {
        bars.emplace_back((*it)[1], std::stod((*it)[2]));
    }
    ASSERT_EQ(bars.size(), 12u);
    EXPECT_EQ(bars.front().first, "2015-12-31");
    EXPECT_NEAR(bars.front().second, 100.0, 0.005);
    EXPECT_EQ(bars[5].first, "2020-12-31");
    EXPECT_EQ(bars.back().first, "2026-11-28");
    EXPECT_NEAR(bars.back().second, 100.0 * 85.493 / line_length_km(), 0.006);
    // Ia Nan lost G5, 47.295-49.304; Ia Dom G3 and G4, 0.201 km each.
    const std::string nan = slurp(dir / "r/commune-IaNan.html");
    EXPECT_NEAR(std::stod(value_after(nan, "lost_km", since)), 2.009, 0.0011);
    const std::string lost = "data-field=\"status\" data-value=\"lost\"";
    ASSERT_NE(nan.find(lost), std::string::npos);
    EXPECT_NEAR(std::stod(value_after(nan, "from_km", lost)), 47.295, 0.0011);
    EXPECT_NEAR(std::stod(value_after(nan, "to_km", lost)), 49.304, 0.0011);
    const std::string dom = slurp(dir / "r/commune-IaDom.html");
    EXPECT_NEAR(std::stod(value_after(dom, "lost_km", since)), 0.402, 0.0021);
    // The communes' losses add up to the province's.
    double sum = 0;
    for (const std::string& v : values_on_pages(dir / "r", "data-field=\"lost_km\"")) {
        sum += std::stod(v);
    }
    EXPECT_NEAR(sum, 4.707, 0.004);
    // Without --since there is no such section; a --since after --as-of is refused.
    ASSERT_EQ(run_bordercov({"report", sample, "--as-of", "2026-11-28", "--commune", "IaNan",
                             "--lang", "en", "-o", dir / "r3"})
                  .code,
              0);
    EXPECT_EQ(slurp(dir / "r3/commune-IaNan.html").find("Changes since"), std::string::npos);
    EXPECT_EQ(run_bordercov({"report", sample, "--as-of", "2020-01-01", "--since", "2021-01-01",
                             "-o", dir / "r2"})
                  .code,
              2);
    EXPECT_FALSE(std::filesystem::exists(dir / "r2"));
}

// The commitments due in the 90 days after the as-of date, found here with
// SQL on the sample: each on its commune's page, once.
TEST(ReportThroughTime, RenewalsDueInTheNext90Days) {
    TempDir dir;
    // 2025-05-01 + 90 days = 2025-07-30: household pieces of Ia Nan expire on
    // 2025-06-30, and with them the stretch that is G5 (2.009 km) today.
    auto r = run_bordercov(
        {"report", sample, "--as-of", "2025-05-01", "--lang", "en", "-o", dir / "may"});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::set<std::string> due =
        sample_query("SELECT assignment_id FROM assignments WHERE expires > '2025-05-01' AND "
                     "expires <= '2025-07-30' AND (signed IS NULL OR signed <= '2025-05-01')");
    ASSERT_GT(due.size(), 100u);
    const std::multiset<std::string> shown =
        values_on_pages(dir / "may", "class=\"renewal-id\" data-field=\"assignment_id\"");
    EXPECT_EQ(shown.size(), due.size());
    EXPECT_EQ(std::set<std::string>(shown.begin(), shown.end()), due);
    const std::string index = slurp(dir / "may/index.html");
    const std::string table = "Due for renewal within 90 days, by commune";
    ASSERT_NE(index.find(table), std::string::npos);
    EXPECT_NEAR(std::stod(value_after(index, "km_at_risk", table)), 2.009, 0.0011);
    EXPECT_EQ(value_after(index, "assignments", table), std::to_string(due.size()));
    // 2025-07-15 + 90 days = 2025-10-13: marker 76's two custodians (T51,
    // H05936) expire on 2025-09-30 and no one else holds it: left alone.
    r = run_bordercov(
        {"report", sample, "--as-of", "2025-07-15", "--lang", "en", "-o", dir / "jul"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(sample_query("SELECT party_id FROM marker_custodians WHERE marker_id = '76' AND "
                           "expires > '2025-07-15' AND expires <= '2025-10-13'"),
              (std::set<std::string>{"H05936", "T51"}));
    EXPECT_EQ(sample_query("SELECT party_id FROM marker_custodians WHERE marker_id = '76' AND "
                           "(expires IS NULL OR expires > '2025-10-13')"),
              std::set<std::string>{});
    const std::multiset<std::string> markers =
        values_on_pages(dir / "jul", "class=\"renewal-id\" data-field=\"marker_id\"");
    EXPECT_EQ(markers.count("76"), 2u); // one row per custody
    const std::multiset<std::string> alone =
        values_on_pages(dir / "jul", "data-field=\"marker_left_alone\"");
    EXPECT_EQ(alone.count("1"), 2u);
}
