// The print layout of the QGIS project ("Commune sheets"): read back with
// GDAL's XML parser, its atlas over commune_summary in the order of district
// then name, the gaps table filtered to the atlas feature, every word in the
// catalogue's language, no path of this machine. (That QGIS reads and exports
// it is tests/qgis/check_atlas.py, the ctest labelled qgis.)
#include "bordercov/io/layer_writer.hpp"
#include "bordercov/io/qgis_project.hpp"
#include "bordercov/table.hpp"
#include "detail/qgis_layout.hpp"
#include "fixture.hpp"

#include <cpl_minixml.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace bordercov {
namespace {

using test::EngineRun;
using test::FixtureLayer;
using test::run_engine;
using test::slurp;
using test::TempDir;
using test::write_workspace;

/// Two communes of two districts, the first (by id) in the district that
/// comes later in the alphabet; a household holds the first 10 km, so the
/// rest is a gap in C2.
std::vector<FixtureLayer> plan_layers() {
    return {
        {"border_lines",
         {{"LINESTRING (107.6 13.6, 107.85 13.72, 108.05 13.83, 108.3 13.95)",
           {{"line_id", "L1"}}}}},
        {"markers", {{"POINT (107.6 13.6)", {{"marker_id", "21"}, {"line_id", "L1"}}}}},
        {"communes",
         {{"POLYGON ((107.5 13.5, 108 13.5, 108 14.2, 107.5 14.2, 107.5 13.5))",
           {{"commune_id", "C1"},
            {"name", "Ia Pnôn"},
            {"district", "Đức Cơ"},
            {"province", "Gia Lai"}}},
          {"POLYGON ((108 13.5, 108.5 13.5, 108.5 14.2, 108 14.2, 108 13.5))",
           {{"commune_id", "C2"},
            {"name", "Ia Mơ"},
            {"district", "Chư Prông"},
            {"province", "Gia Lai"}}}}},
        {"households",
         {{"POINT (107.9 13.7)",
           {{"household_id", "H1"}, {"head", "Siu Blơn"}, {"commune_id", "C1"}}}}},
        {"assignments",
         {{"",
           {{"assignment_id", "A1"},
            {"party_type", "household"},
            {"party_id", "H1"},
            {"line_id", "L1"},
            {"from_km", "0"},
            {"to_km", "10"},
            {"signed", "2015-01-15"}}}}},
    };
}

struct XmlDeleter {
    void operator()(CPLXMLNode* node) const { CPLDestroyXMLNode(node); }
};
using XmlPtr = std::unique_ptr<CPLXMLNode, XmlDeleter>;

void find_all(const CPLXMLNode* node, const std::string& name,
              std::vector<const CPLXMLNode*>& out) {
    for (const CPLXMLNode* c = node->psChild; c != nullptr; c = c->psNext) {
        if (c->eType == CXT_Element) {
            if (name == c->pszValue) {
                out.push_back(c);
            }
            find_all(c, name, out);
        }
    }
}

std::vector<const CPLXMLNode*> find_all(const CPLXMLNode* node, const std::string& name) {
    std::vector<const CPLXMLNode*> out;
    if (node != nullptr) {
        find_all(node, name, out);
    }
    return out;
}

/// The document's root element (GDAL's parser also returns the DOCTYPE).
const CPLXMLNode* root_element(const XmlPtr& doc) {
    for (const CPLXMLNode* n = doc.get(); n != nullptr; n = n->psNext) {
        if (n->eType == CXT_Element && std::string(n->pszValue) == "qgis") {
            return n;
        }
    }
    return nullptr;
}

/// Every attribute value of an element and the elements under it.
void attribute_values(const CPLXMLNode* node, std::vector<std::string>& out) {
    for (const CPLXMLNode* c = node->psChild; c != nullptr; c = c->psNext) {
        if (c->eType == CXT_Attribute && c->psChild != nullptr) {
            out.emplace_back(c->psChild->pszValue);
        } else if (c->eType == CXT_Element) {
            attribute_values(c, out);
        }
    }
}

/// The project written over the fixture's coverage, with the catalogue's words.
struct WrittenLayout {
    TempDir dir;
    XmlPtr doc;
    const CPLXMLNode* root = nullptr;
    const CPLXMLNode* layout = nullptr;
    std::string text; ///< the project file
};

void write_layout(WrittenLayout& w, const i18n::Catalogue* catalogue,
                  const std::vector<std::string>& layers = {}) {
    const EngineRun run = run_engine(write_workspace(w.dir / "plan.gpkg", plan_layers()));
    std::vector<Table> tables;
    for (const Table& t : run.tables) {
        if (layers.empty() || std::find(layers.begin(), layers.end(), t.name) != layers.end()) {
            tables.push_back(t);
        }
    }
    io::WriteOptions write;
    write.driver = "GPKG";
    io::write_tables(tables, w.dir / "out.gpkg", run.ws.crs_wkt, write);
    io::ProjectOptions options;
    options.titles = catalogue;
    options.as_of = Date::parse("2016-01-01");
    options.source = "plan.gpkg";
    io::write_qgis_project(w.dir / "out.qgs", tables, w.dir / "out.gpkg", write, options);
    w.text = slurp(w.dir / "out.qgs");
    w.doc.reset(CPLParseXMLString(w.text.c_str()));
    w.root = root_element(w.doc);
    ASSERT_NE(w.root, nullptr);
    const std::vector<const CPLXMLNode*> layouts = find_all(w.root, "Layout");
    ASSERT_LE(layouts.size(), 1u);
    w.layout = layouts.empty() ? nullptr : layouts.front();
}

/// The labels' texts.
std::vector<std::string> label_texts(const CPLXMLNode* layout) {
    std::vector<std::string> texts;
    for (const CPLXMLNode* item : find_all(layout, "LayoutItem")) {
        if (std::string(CPLGetXMLValue(item, "type", "")) == "65641") {
            texts.emplace_back(CPLGetXMLValue(item, "labelText", ""));
        }
    }
    return texts;
}

TEST(QgisLayout, AnAtlasOverTheCommunesWithEveryItem) {
    WrittenLayout w;
    write_layout(w, nullptr);
    ASSERT_NE(w.layout, nullptr);
    EXPECT_STREQ(CPLGetXMLValue(w.layout, "name", ""), "Commune sheets");
    const CPLXMLNode* atlas = CPLGetXMLNode(w.layout, "Atlas");
    ASSERT_NE(atlas, nullptr);
    EXPECT_STREQ(CPLGetXMLValue(atlas, "enabled", ""), "1");
    EXPECT_STREQ(CPLGetXMLValue(atlas, "coverageLayer", ""), "bordercov_commune_summary");
    EXPECT_STREQ(CPLGetXMLValue(atlas, "sortFeatures", ""), "1");
    // Chư Prông before Đức Cơ (c before d), whatever the ids' order.
    EXPECT_STREQ(CPLGetXMLValue(atlas, "sortKey", ""),
                 "array_find(array('C2', 'C1'), \"commune_id\")");
    std::multiset<std::string> types;
    for (const CPLXMLNode* item : find_all(w.layout, "LayoutItem")) {
        types.insert(CPLGetXMLValue(item, "type", ""));
    }
    // page, map, north arrow (picture), scale bar, legend, the table's frame
    for (const char* type : {"65638", "65639", "65640", "65646", "65642", "65647"}) {
        EXPECT_EQ(types.count(type), 1u) << type;
    }
    EXPECT_GE(types.count("65641"), 6u); // labels
    const CPLXMLNode* table = CPLGetXMLNode(w.layout, "LayoutMultiFrame");
    ASSERT_NE(table, nullptr);
    EXPECT_STREQ(CPLGetXMLValue(table, "type", ""), "65649");
    EXPECT_STREQ(CPLGetXMLValue(table, "vectorLayer", ""), "bordercov_gaps");
    EXPECT_STREQ(CPLGetXMLValue(table, "filterFeatures", ""), "true");
    EXPECT_STREQ(CPLGetXMLValue(table, "featureFilter", ""),
                 "\"commune_id\" = attribute(@atlas_feature, 'commune_id')");
    // The map follows the atlas feature with a margin.
    EXPECT_STREQ(CPLGetXMLValue(w.layout, "LayoutItem.AtlasMap.atlasDriven", ""), "1");
    // Scale bars in km measured on the WGS 84 ellipsoid.
    EXPECT_STREQ(CPLGetXMLValue(w.root, "properties.Measure.Ellipsoid", ""), "EPSG:7030");
}

TEST(QgisLayout, NoPathOfThisMachine) {
    WrittenLayout w;
    write_layout(w, nullptr);
    ASSERT_NE(w.layout, nullptr);
    std::vector<std::string> values;
    attribute_values(w.layout, values);
    for (const std::string& v : values) {
        EXPECT_NE(v.rfind('/', 0), 0u) << v;
        EXPECT_EQ(v.find(w.dir.path().string()), std::string::npos) << v;
    }
    EXPECT_EQ(w.text.find(w.dir.path().string()), std::string::npos);
}

TEST(QgisLayout, EveryWordInVietnamese) {
    const i18n::Catalogue vi =
        i18n::Catalogue::for_language(i18n::Language::vi, {BORDERCOV_BUILT_LOCALEDIR});
    WrittenLayout w;
    write_layout(w, &vi);
    ASSERT_NE(w.layout, nullptr);
    EXPECT_STREQ(CPLGetXMLValue(w.layout, "name", ""), "Phiếu xã");
    std::string all;
    for (const std::string& t : label_texts(w.layout)) {
        all += t + "\n";
    }
    for (const char* words : {"Xã [% \"name\" %]", "Huyện [% \"district\" %]", "Số liệu chính",
                              "Biên giới (km): [% format_number(\"border_km\", 3, 'vi') %]",
                              "Tính đến ngày 01/01/2016", "Nguồn dữ liệu: plan.gpkg",
                              "Trang [% @atlas_featurenumber %] / [% @atlas_totalfeatures %]"}) {
        EXPECT_NE(all.find(words), std::string::npos) << words << " in\n" << all;
    }
    for (const char* english :
         {"Key figures", "As of", "Page ", "Data source", "Made by", " province"}) {
        EXPECT_EQ(all.find(english), std::string::npos) << english << " in\n" << all;
    }
    EXPECT_STREQ(CPLGetXMLValue(w.layout, "LayoutMultiFrame.emptyTableMessage", ""),
                 "Không có đoạn trống: toàn bộ đường biên giới của xã đã có người nhận.");
}

TEST(QgisLayout, OnlyWhenTheProjectShowsTheCommunes) {
    WrittenLayout w;
    write_layout(w, nullptr, {"segments", "gaps", "markers"});
    EXPECT_EQ(w.layout, nullptr);
    EXPECT_EQ(w.text.find("<Layouts>"), std::string::npos);
}

TEST(QgisLayout, CommuneOrderFoldsCaseAndDiacritics) {
    Table t{
        "commune_summary",
        GeometryType::none,
        {{"commune_id", FieldType::text}, {"name", FieldType::text}, {"district", FieldType::text}},
        {}};
    for (const auto& [id, name, district] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"a", "Ia O", "Ia Grai"},
             {"b", "Ia Chía", "Ia Grai"},
             {"c", "Ia Dom", "Đức Cơ"},
             {"d", "Ia Mơ", "Chư Prông"},
             {"e", "ia nan", "đức cơ"}}) {
        t.rows.push_back({{id, name, district}, {}});
    }
    EXPECT_EQ(detail::commune_order(t), (std::vector<std::string>{"d", "c", "e", "b", "a"}));
}

} // namespace
} // namespace bordercov
