#include "detail/gpkg_rtree.hpp"

#include "bordercov/error.hpp"
#include "detail/gdal_support.hpp"

#include <ogrsf_frmts.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <limits>
#include <sqlite3.h>
#include <unistd.h>

namespace bordercov::detail {

RTreeBox rtree_box(std::int64_t id, double min_x, double max_x, double min_y, double max_y) {
    constexpr float inf = std::numeric_limits<float>::infinity();
    const auto down = [](double d) {
        const auto f = static_cast<float>(d);
        return static_cast<double>(f) > d ? std::nextafter(f, -inf) : f;
    };
    const auto up = [](double d) {
        const auto f = static_cast<float>(d);
        return static_cast<double>(f) < d ? std::nextafter(f, inf) : f;
    };
    return {id, down(min_x), up(max_x), down(min_y), up(max_y)};
}

namespace {

/// A node of the packed tree: its cells (a child node's index in the list
/// of nodes, or a feature id in a leaf) and their boxes.
struct PackedNode {
    std::vector<RTreeBox> cells;
    int height = 0; ///< 0 for a leaf
    RTreeBox bounds() const {
        RTreeBox b = cells.front();
        for (const RTreeBox& c : cells) {
            b.min_x = std::min(b.min_x, c.min_x);
            b.max_x = std::max(b.max_x, c.max_x);
            b.min_y = std::min(b.min_y, c.min_y);
            b.max_y = std::max(b.max_y, c.max_y);
        }
        return b;
    }
};

/// One level of sort-tile-recursive packing: the items in vertical slices
/// by x, each slice cut by y into nodes of at most `fanout` cells.
void pack_level(std::vector<RTreeBox>& items, std::size_t fanout, int height,
                std::vector<PackedNode>& nodes) {
    const auto centre_x = [](const RTreeBox& b) { return 0.5f * (b.min_x + b.max_x); };
    const auto centre_y = [](const RTreeBox& b) { return 0.5f * (b.min_y + b.max_y); };
    std::sort(items.begin(), items.end(),
              [&](const RTreeBox& a, const RTreeBox& b) { return centre_x(a) < centre_x(b); });
    const std::size_t leaves = (items.size() + fanout - 1) / fanout;
    const auto slices = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(leaves))));
    const std::size_t per_slice = fanout * ((leaves + slices - 1) / slices);
    for (std::size_t s = 0; s < items.size(); s += per_slice) {
        const auto begin = items.begin() + static_cast<std::ptrdiff_t>(s);
        const auto end =
            items.begin() + static_cast<std::ptrdiff_t>(std::min(items.size(), s + per_slice));
        std::sort(begin, end,
                  [&](const RTreeBox& a, const RTreeBox& b) { return centre_y(a) < centre_y(b); });
        for (auto it = begin; it < end; it += static_cast<std::ptrdiff_t>(std::min<std::size_t>(
                                            fanout, static_cast<std::size_t>(end - it)))) {
            const auto stop = it + static_cast<std::ptrdiff_t>(std::min<std::size_t>(
                                       fanout, static_cast<std::size_t>(end - it)));
            nodes.push_back({std::vector<RTreeBox>(it, stop), height});
        }
    }
}

/// The whole tree, leaves first, the root last.
std::vector<PackedNode> pack(std::vector<RTreeBox> items, std::size_t fanout) {
    std::vector<PackedNode> nodes;
    for (int height = 0;; ++height) {
        const std::size_t first = nodes.size();
        pack_level(items, fanout, height, nodes);
        if (nodes.size() - first == 1) {
            return nodes;
        }
        items.clear();
        for (std::size_t i = first; i < nodes.size(); ++i) {
            RTreeBox b = nodes[i].bounds();
            b.id = static_cast<std::int64_t>(i);
            items.push_back(b);
        }
    }
}

void put_big_endian(std::string& blob, std::uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) {
        blob.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
    }
}

void put_float(std::string& blob, float f) {
    std::uint32_t bits = 0;
    static_assert(sizeof bits == sizeof f);
    std::memcpy(&bits, &f, sizeof f);
    put_big_endian(blob, bits, 4);
}

/// A node as the R*Tree stores it: depth (the root's only), cell count,
/// then per cell the id and the four coordinates, big-endian, zero-padded.
std::string node_blob(const PackedNode& node, const std::vector<std::int64_t>& number, bool root,
                      std::size_t node_bytes) {
    std::string blob;
    blob.reserve(node_bytes);
    put_big_endian(blob, root ? static_cast<std::uint64_t>(node.height) : 0, 2);
    put_big_endian(blob, node.cells.size(), 2);
    for (const RTreeBox& c : node.cells) {
        const std::int64_t id = node.height == 0 ? c.id : number[static_cast<std::size_t>(c.id)];
        put_big_endian(blob, static_cast<std::uint64_t>(id), 8);
        for (const float f : {c.min_x, c.max_x, c.min_y, c.max_y}) {
            put_float(blob, f);
        }
    }
    blob.resize(node_bytes, '\0');
    return blob;
}

/// Runs one SQL statement on ds; the first row's first field of its result.
std::string sql(GDALDataset& ds, const std::string& statement, const std::string& shown) {
    CPLErrorReset();
    OGRLayer* result = ds.ExecuteSQL(statement.c_str(), nullptr, nullptr);
    if (CPLGetLastErrorType() >= CE_Failure) {
        if (result) {
            ds.ReleaseResultSet(result);
        }
        throw IoError(fmt::format("{}: cannot write the spatial index{}. Check free disk space "
                                  "and permissions.",
                                  shown, last_gdal_error()));
    }
    std::string value;
    if (result) {
        if (std::unique_ptr<OGRFeature> f{result->GetNextFeature()}; f && f->GetFieldCount() > 0) {
            value = f->GetFieldAsString(0);
        }
        ds.ReleaseResultSet(result);
    }
    return value;
}

/// Every value of a one-column query.
std::vector<std::string> sql_column(GDALDataset& ds, const std::string& statement) {
    std::vector<std::string> out;
    if (OGRLayer* result = ds.ExecuteSQL(statement.c_str(), nullptr, nullptr)) {
        for (const auto& f : *result) {
            out.emplace_back(f->GetFieldAsString(0));
        }
        ds.ReleaseResultSet(result);
    }
    return out;
}

std::string quoted(const std::string& s) {
    std::string out = "'";
    for (const char c : s) {
        out += c == '\'' ? std::string("''") : std::string(1, c);
    }
    return out + "'";
}

/// What GDAL makes for the spatial index of an empty table of that name in
/// a GeoPackage of its own: the CREATE statements of the virtual table, of
/// its triggers and of gpkg_extensions, and the extension row's INSERT.
struct GdalIndexSql {
    std::string virtual_table;
    std::vector<std::string> triggers;
    std::string extensions_table;
    std::string extension_row;
};

GdalIndexSql gdal_index_sql(const std::string& table, const std::string& geometry,
                            const std::string& fid, const std::string& shown) {
    static std::atomic<int> serial{0};
    const std::string path = fmt::format("/vsimem/bordercov-rtree-{}-{}.gpkg", getpid(), serial++);
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    GdalIndexSql out;
    {
        DatasetPtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        const std::string geometry_option = "GEOMETRY_NAME=" + geometry;
        const std::string fid_option = "FID=" + fid;
        const char* options[] = {geometry_option.c_str(), fid_option.c_str(), "SPATIAL_INDEX=NO",
                                 nullptr};
        if (!ds ||
            !ds->CreateLayer(table.c_str(), nullptr, wkbUnknown, const_cast<char**>(options))) {
            throw IoError(fmt::format("{}: cannot make the spatial index of '{}'{}.", shown, table,
                                      last_gdal_error()));
        }
        sql(*ds, fmt::format("SELECT CreateSpatialIndex({}, {})", quoted(table), quoted(geometry)),
            shown);
        const std::string rtree = "rtree_" + table + "_" + geometry;
        out.virtual_table =
            sql(*ds, fmt::format("SELECT sql FROM sqlite_master WHERE name = {}", quoted(rtree)),
                shown);
        out.triggers = sql_column(
            *ds, fmt::format("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = "
                             "{} AND name LIKE {}",
                             quoted(table), quoted(rtree + "%")));
        out.extensions_table =
            sql(*ds, "SELECT sql FROM sqlite_master WHERE name = 'gpkg_extensions'", shown);
        out.extension_row = sql(
            *ds,
            fmt::format("SELECT 'INSERT INTO gpkg_extensions (table_name, column_name, "
                        "extension_name, definition, scope) VALUES (' || quote(table_name) || ', "
                        "' || quote(column_name) || ', ' || quote(extension_name) || ', ' || "
                        "quote(definition) || ', ' || quote(scope) || ')' FROM gpkg_extensions "
                        "WHERE extension_name = 'gpkg_rtree_index' AND table_name = {}",
                        quoted(table)),
            shown);
    }
    VSIUnlink(path.c_str());
    if (out.virtual_table.empty() || out.triggers.empty() || out.extension_row.empty()) {
        throw IoError(fmt::format("{}: GDAL made no spatial index for '{}'{}.", shown, table,
                                  last_gdal_error()));
    }
    return out;
}

[[noreturn]] void sqlite_failed(sqlite3* db, const std::string& shown) {
    throw IoError(fmt::format("{}: cannot write the spatial index: {}. Check free disk space "
                              "and permissions.",
                              shown, sqlite3_errmsg(db)));
}

/// A prepared INSERT of one row of two values into an R*Tree shadow table,
/// run through GDAL's own connection to the file (in its transaction): the
/// rows are bound, not spelt out in SQL text for GDAL and SQLite to parse.
class ShadowInsert {
  public:
    ShadowInsert(sqlite3* db, const std::string& table, const std::string& shown)
        : db_(db), shown_(shown) {
        const std::string text = "INSERT OR REPLACE INTO " + table + " VALUES (?1, ?2)";
        if (sqlite3_prepare_v2(db_, text.c_str(), -1, &statement_, nullptr) != SQLITE_OK) {
            sqlite_failed(db_, shown_);
        }
    }
    ShadowInsert(const ShadowInsert&) = delete;
    ShadowInsert& operator=(const ShadowInsert&) = delete;
    ~ShadowInsert() { sqlite3_finalize(statement_); }

    void row(std::int64_t key, std::int64_t value) {
        sqlite3_bind_int64(statement_, 2, value);
        step(key);
    }
    void row(std::int64_t key, const std::string& blob) {
        sqlite3_bind_blob(statement_, 2, blob.data(), static_cast<int>(blob.size()),
                          SQLITE_TRANSIENT);
        step(key);
    }

  private:
    void step(std::int64_t key) {
        sqlite3_bind_int64(statement_, 1, key);
        if (sqlite3_step(statement_) != SQLITE_DONE) {
            sqlite_failed(db_, shown_);
        }
        sqlite3_reset(statement_);
    }

    sqlite3* db_;
    const std::string& shown_;
    sqlite3_stmt* statement_ = nullptr;
};

/// The packed tree's rows: each node's blob, each feature's leaf and each
/// inner node's parent.
void insert_nodes(sqlite3* db, const std::string& rtree, const std::vector<PackedNode>& nodes,
                  std::size_t node_bytes, const std::string& shown) {
    // The root is node 1, the others numbered on from 2.
    std::vector<std::int64_t> number(nodes.size());
    for (std::size_t i = 0; i + 1 < nodes.size(); ++i) {
        number[i] = static_cast<std::int64_t>(i) + 2;
    }
    number.back() = 1;
    ShadowInsert node(db, rtree + "_node\"", shown), rowid(db, rtree + "_rowid\"", shown),
        parent(db, rtree + "_parent\"", shown);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        node.row(number[i], node_blob(nodes[i], number, i + 1 == nodes.size(), node_bytes));
        for (const RTreeBox& c : nodes[i].cells) {
            if (nodes[i].height == 0) {
                rowid.row(c.id, number[i]);
            } else {
                parent.row(number[static_cast<std::size_t>(c.id)], number[i]);
            }
        }
    }
}

} // namespace

void write_gpkg_rtree(GDALDataset& ds, const std::string& table, const std::string& geometry,
                      const std::string& fid, std::vector<RTreeBox> boxes,
                      const std::string& shown) {
    const GdalIndexSql gdal = gdal_index_sql(table, geometry, fid, shown);
    const std::string rtree = "\"rtree_" + table + "_" + geometry;
    sql(ds, gdal.virtual_table, shown);
    if (!boxes.empty()) {
        // The node size SQLite chose for this file's page size; 24 bytes a cell.
        const auto node_bytes =
            static_cast<std::size_t>(std::stoll(sql(ds,
                                                    fmt::format("SELECT length(data) FROM "
                                                                "{}_node\" WHERE nodeno = 1",
                                                                rtree),
                                                    shown)));
        auto* db = static_cast<sqlite3*>(ds.GetInternalHandle("SQLITE_HANDLE"));
        if (!db) {
            throw IoError(fmt::format("{}: GDAL gives no SQLite connection to write the spatial "
                                      "index of '{}' with.",
                                      shown, table));
        }
        insert_nodes(db, rtree, pack(std::move(boxes), (node_bytes - 4) / 24), node_bytes, shown);
    }
    for (const std::string& trigger : gdal.triggers) {
        sql(ds, trigger, shown);
    }
    if (sql(ds, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'gpkg_extensions'", shown) ==
        "0") {
        sql(ds, gdal.extensions_table, shown);
    }
    sql(ds, gdal.extension_row, shown);
}

} // namespace bordercov::detail
