// The Gia Lai sample (geodata/gia-lai.gpkg) through the built CLI: the plan's
// published figures as of 2015-12-31, and the gaps of today as computed
// independently (with pyproj) when the sample was generated; see
// geodata/README.md.
#include "../reference.hpp"
#include "fixture.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>
#include <set>

using bordercov::test::run_bordercov;
using nlohmann::json;

namespace {

const std::string sample = BORDERCOV_SOURCE_DIR "/geodata/gia-lai.gpkg";

json coverage_on(const char* date) {
    const auto r = run_bordercov({"coverage", sample, "--as-of", date, "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    return json::parse(r.out);
}

/// The line's geodesic length, read with GDAL and measured with PROJ here.
double line_length_km() {
    GDALAllRegister();
    std::unique_ptr<GDALDataset> ds(
        GDALDataset::Open(sample.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    OGRLayer* layer = ds->GetLayerByName("border_lines");
    OGRFeatureUniquePtr f(layer->GetNextFeature());
    const OGRLineString* line = f->GetGeometryRef()->toLineString();
    double m = 0;
    for (int i = 1; i < line->getNumPoints(); ++i) {
        m += bordercov::test::ref_distance_m(line->getX(i - 1), line->getY(i - 1), line->getX(i),
                                             line->getY(i));
    }
    return m / 1000.0;
}

/// Each marker's built date (ISO text), read with GDAL here.
std::map<std::string, std::string> built_dates() {
    GDALAllRegister();
    std::unique_ptr<GDALDataset> ds(
        GDALDataset::Open(sample.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    OGRLayer* layer = ds->GetLayerByName("markers");
    std::map<std::string, std::string> out;
    for (auto& f : *layer) {
        int y = 0, m = 0, d = 0, h = 0, mi = 0, tz = 0;
        float s = 0;
        f->GetFieldAsDateTime(f->GetFieldIndex("built"), &y, &m, &d, &h, &mi, &s, &tz);
        char iso[16];
        std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
        out[f->GetFieldAsString("marker_id")] = iso;
    }
    return out;
}

} // namespace

TEST(GiaLaiSample, MarkersNotYetBuiltAreNeitherCountedNorUnowned) {
    const std::string date = "2010-01-01";
    const auto built = built_dates();
    ASSERT_EQ(built.size(), 81u);
    std::set<std::string> existing;
    for (const auto& [id, day] : built) {
        if (day <= date) {
            existing.insert(id);
        }
    }
    // 2005-2009: 3 + 8 + 7 + 7 + 12 markers; 42 was built on 2010-01-04.
    ASSERT_EQ(existing.size(), 37u);
    const json doc = coverage_on(date.c_str());
    EXPECT_EQ(doc["lines"][0]["markers"], 37);
    EXPECT_EQ(doc["lines"][0]["markers_not_built"], 81 - 37);
    std::set<std::string> listed;
    for (const auto& m : doc["markers"]) {
        listed.insert(m["marker_id"].get<std::string>());
    }
    EXPECT_EQ(listed, existing);
    long in_communes = 0, not_built = 0;
    for (const auto& c : doc["communes"]) {
        in_communes += c["markers"].get<long>();
        not_built += c["markers_not_built"].get<long>();
        EXPECT_LE(c["markers_unowned"].get<long>(), c["markers"].get<long>());
    }
    EXPECT_EQ(in_communes, 37);
    EXPECT_EQ(not_built, 44);
    const auto text = run_bordercov({"coverage", sample, "--as-of", date});
    EXPECT_NE(text.out.find("44 more not built yet on that date"), std::string::npos) << text.out;

    // nearest --markers and assign: only markers that exist.
    const auto nearest = run_bordercov({"nearest", sample, "--markers", "--as-of", date, "--json"});
    ASSERT_EQ(nearest.code, 0) << nearest.err;
    const json listed_nearest = json::parse(nearest.out); // kept alive for the loop
    for (const auto& m : listed_nearest["markers"]) {
        EXPECT_TRUE(existing.count(m["marker_id"].get<std::string>())) << m["marker_id"];
    }
    const bordercov::test::TempDir dir;
    const auto assign = run_bordercov({"assign", sample, "--as-of", date, "-o", dir / "p.gpkg",
                                       "--household-km", "100", "--piece-km", "5"});
    ASSERT_EQ(assign.code, 0) << assign.err;
    const auto ds = bordercov::test::open_vector(dir / "p.gpkg");
    ASSERT_TRUE(ds);
    std::size_t proposed = 0;
    for (auto& f : *ds->GetLayerByName("marker_custodians")) {
        EXPECT_TRUE(existing.count(f->GetFieldAsString("marker_id")))
            << f->GetFieldAsString("marker_id");
        ++proposed;
    }
    EXPECT_GT(proposed, 0u);
}

TEST(GiaLaiSample, ThePlansFiguresAsOfTheEndOf2015) {
    const json doc = coverage_on("2015-12-31");
    const double length = line_length_km();
    EXPECT_NEAR(length, 90.2, 0.0005); // the plan: 90.2 km
    ASSERT_EQ(doc["lines"].size(), 1u);
    EXPECT_NEAR(doc["lines"][0]["length_km"].get<double>(), length, 0.0005);
    EXPECT_NEAR(doc["lines"][0]["covered_km"].get<double>(), length, 0.0005); // all of it
    EXPECT_EQ(doc["lines"][0]["uncovered_km"].get<double>(), 0.0);
    EXPECT_TRUE(doc["gaps"].empty());

    // 53 teams: 50 on the border line, 3 in religious communities; 6,286 households.
    std::map<std::string, int> kinds;
    for (const auto& t : doc["teams"]) {
        ++kinds[t["kind"].get<std::string>()];
    }
    EXPECT_EQ(doc["teams"].size(), 53u);
    EXPECT_EQ(kinds["border"], 50);
    EXPECT_EQ(kinds["religious"], 3);
    long households = 0;
    for (const auto& c : doc["communes"]) {
        households += c["households"].get<long>();
    }
    EXPECT_EQ(households, 6286);

    // The 9 markers built in 2015 are held by 41 households.
    const auto r = run_bordercov({"coverage", sample, "--as-of", "2015-12-31"});
    ASSERT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("2015         9          9                    41                0"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("53 teams (50 border, 3 religious)"), std::string::npos);
}

TEST(GiaLaiSample, TodaysGapsAsComputedIndependently) {
    const json doc = coverage_on("2026-11-28");
    // From the independent pyproj computation recorded in geodata/README.md.
    const std::vector<std::pair<double, double>> gaps{
        {6.299, 6.744},   {20.304, 21.194}, {33.405, 33.606}, {33.793, 33.994},
        {47.295, 49.304}, {63.195, 63.553}, {78.993, 79.596}};
    ASSERT_EQ(doc["gaps"].size(), gaps.size());
    for (std::size_t i = 0; i < gaps.size(); ++i) {
        EXPECT_NEAR(doc["gaps"][i]["from_km"].get<double>(), gaps[i].first, 0.0011) << i;
        EXPECT_NEAR(doc["gaps"][i]["to_km"].get<double>(), gaps[i].second, 0.0011) << i;
    }
    // Marker 43 (33.809 km, issue 12) lies inside G4 [33.793, 33.994], whose
    // neighbours are 42/1 and 44; none lies inside G3 [33.405, 33.606].
    EXPECT_EQ(doc["gaps"][3]["from_marker"], "42/1");
    EXPECT_EQ(doc["gaps"][3]["to_marker"], "44");
    EXPECT_EQ(doc["gaps"][3]["markers_inside"], "43");
    EXPECT_TRUE(doc["gaps"][2]["markers_inside"].is_null());
    EXPECT_NEAR(doc["lines"][0]["uncovered_km"].get<double>(), 4.707, 0.002);
    EXPECT_NEAR(doc["lines"][0]["overlap_km"].get<double>(), 4.149, 0.002);
    std::set<std::string> unowned;
    for (const auto& m : doc["markers"]) {
        if (m["status"] == "unowned") {
            unowned.insert(m["marker_id"].get<std::string>());
        }
    }
    EXPECT_EQ(unowned, (std::set<std::string>{"24", "34", "48/1", "58", "74/1", "76"}));
    const std::map<std::string, double> border_km{
        {"IaO", 15.0},    {"IaChia", 10.5}, {"IaDom", 12.0}, {"IaNan", 13.0},
        {"IaPnon", 10.0}, {"IaPuch", 12.5}, {"IaMo", 17.2}};
    ASSERT_EQ(doc["communes"].size(), border_km.size());
    for (const auto& c : doc["communes"]) {
        EXPECT_NEAR(c["border_km"].get<double>(), border_km.at(c["commune_id"].get<std::string>()),
                    0.0011)
            << c["commune_id"];
    }
}
