// The GeoPackage spatial index bordercov packs itself (src/detail/gpkg_rtree):
// written through io::write_tables, then read back by GDAL and SQLite only.
// SQLite's rtreecheck() checks the tree's structure; every box query through
// the index returns the points a brute force over the rows puts in the box;
// the index's triggers keep it right when the layer is edited afterwards.
#include "bordercov/io/layer_writer.hpp"
#include "bordercov/table.hpp"
#include "fixture.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>
#include <vector>

namespace bordercov {
namespace {

using test::TempDir;

/// The first field of the first row of a SQL query.
std::string sql_value(GDALDataset& ds, const std::string& statement) {
    OGRLayer* result = ds.ExecuteSQL(statement.c_str(), nullptr, nullptr);
    std::string value;
    if (result) {
        if (std::unique_ptr<OGRFeature> f{result->GetNextFeature()}) {
            value = f->GetFieldAsString(0);
        }
        ds.ReleaseResultSet(result);
    }
    return value;
}

/// n points at random in a box around Vietnam (some twice at the same
/// place), and every seventh row without a geometry.
Table random_points(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> lon(102.0, 109.5), lat(8.5, 23.4);
    Table t{"places", GeometryType::point, {{"id", FieldType::integer}}, {}};
    for (std::size_t i = 0; i < n; ++i) {
        Row row{{static_cast<std::int64_t>(i)}, {}};
        if (i % 7 != 3) {
            row.geometry = i % 11 == 5 && !t.rows.empty() &&
                                   std::holds_alternative<LonLat>(t.rows.back().geometry)
                               ? t.rows.back().geometry
                               : Geometry{LonLat{lon(rng), lat(rng)}};
        }
        t.rows.push_back(row);
    }
    return t;
}

/// The ids of the features GDAL returns for a box (through the index).
std::set<std::int64_t> ids_in(OGRLayer& layer, double x0, double y0, double x1, double y1) {
    std::set<std::int64_t> out;
    layer.SetSpatialFilterRect(x0, y0, x1, y1);
    for (const auto& f : layer) {
        out.insert(f->GetFieldAsInteger64("id"));
    }
    layer.SetSpatialFilter(nullptr);
    return out;
}

void check_index(std::size_t n, unsigned seed) {
    const TempDir dir;
    const std::string out = (dir.path() / "places.gpkg").string();
    const Table t = random_points(n, seed);
    io::write_tables({t}, out, "", {});
    std::unique_ptr<GDALDataset> ds(
        GDALDataset::Open(out.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    ASSERT_TRUE(ds);
    EXPECT_EQ(sql_value(*ds, "SELECT rtreecheck('rtree_places_geom')"), "ok") << n;
    EXPECT_EQ(sql_value(*ds, "PRAGMA integrity_check"), "ok") << n;
    EXPECT_EQ(sql_value(*ds, "SELECT COUNT(*) FROM gpkg_extensions WHERE table_name = 'places' "
                             "AND extension_name = 'gpkg_rtree_index'"),
              "1");
    std::size_t with_geometry = 0;
    for (const Row& r : t.rows) {
        with_geometry += std::holds_alternative<LonLat>(r.geometry) ? 1 : 0;
    }
    EXPECT_EQ(sql_value(*ds, "SELECT COUNT(*) FROM rtree_places_geom"),
              std::to_string(with_geometry));
    OGRLayer* layer = ds->GetLayerByName("places");
    ASSERT_TRUE(layer);
    std::mt19937 rng(seed + 100);
    std::uniform_real_distribution<double> lon(101.5, 110.0), lat(8.0, 24.0), size(0.01, 3.0);
    for (int q = 0; q < 40; ++q) {
        const double x0 = lon(rng), y0 = lat(rng), x1 = x0 + size(rng), y1 = y0 + size(rng);
        std::set<std::int64_t> expected;
        for (const Row& r : t.rows) {
            if (const auto* p = std::get_if<LonLat>(&r.geometry);
                p && p->lon >= x0 && p->lon <= x1 && p->lat >= y0 && p->lat <= y1) {
                expected.insert(std::get<std::int64_t>(r.values[0]));
            }
        }
        ASSERT_EQ(ids_in(*layer, x0, y0, x1, y1), expected) << n << " points, box " << q;
    }
}

} // namespace

TEST(GpkgSpatialIndex, EmptyOneAndAroundTheNodeSizes) {
    // 51 cells fill a node (4,096-byte pages); 2,602 need a third level.
    for (const std::size_t n : {0u, 1u, 2u, 51u, 52u, 60u, 2602u, 3000u}) {
        check_index(n, static_cast<unsigned>(n));
    }
}

TEST(GpkgSpatialIndex, ManyPoints) {
    check_index(60000, 7);
}

TEST(GpkgSpatialIndex, KeptRightWhenTheLayerIsEdited) {
    const TempDir dir;
    const std::string out = (dir.path() / "places.gpkg").string();
    io::write_tables({random_points(5000, 3)}, out, "", {});
    std::unique_ptr<GDALDataset> ds(
        GDALDataset::Open(out.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
    ASSERT_TRUE(ds);
    OGRLayer* layer = ds->GetLayerByName("places");
    ASSERT_TRUE(layer);
    OGRFeature f(layer->GetLayerDefn());
    f.SetField("id", static_cast<GIntBig>(99999));
    f.SetGeometryDirectly(new OGRPoint(100.5, 7.5)); // outside every point written
    ASSERT_EQ(layer->CreateFeature(&f), OGRERR_NONE);
    ds->ExecuteSQL("DELETE FROM places WHERE id < 100", nullptr, nullptr);
    EXPECT_EQ(ids_in(*layer, 100.4, 7.4, 100.6, 7.6), std::set<std::int64_t>{99999});
    EXPECT_EQ(sql_value(*ds, "SELECT rtreecheck('rtree_places_geom')"), "ok");
    EXPECT_EQ(sql_value(*ds, "SELECT COUNT(*) FROM rtree_places_geom r LEFT JOIN places p ON "
                             "p.fid = r.id WHERE p.fid IS NULL"),
              "0");
}

} // namespace bordercov
