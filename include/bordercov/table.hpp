// The results as tables: named layers of typed fields with an optional
// geometry per row. One representation feeds the GDAL layers, the JSON and
// the readable tables, so the figures are the same wherever they appear.
#pragma once

#include "bordercov/coverage.hpp"
#include "bordercov/diagnostic.hpp"
#include "bordercov/model.hpp"
#include "bordercov/nearest.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <variant>
#include <vector>

namespace bordercov {

using Value = std::variant<std::monostate, std::string, std::int64_t, double>;

enum class FieldType { text, integer, real };

struct Field {
    std::string name;
    FieldType type = FieldType::text;
};

enum class GeometryType { none, point, line_string, multi_line_string, multi_polygon };

using Geometry = std::variant<std::monostate, LonLat, std::vector<LonLat>,
                              std::vector<std::vector<LonLat>>, MultiPolygon>;

struct Row {
    std::vector<Value> values;
    Geometry geometry;
};

struct Table {
    std::string name;
    GeometryType geometry = GeometryType::none;
    std::vector<Field> fields;
    std::vector<Row> rows;
    /// Rows made when they are read instead of held in `rows` (then empty):
    /// row i < deferred_rows is make_row(i, row). The segments of a national
    /// border (600,000 rows with their cut geometry) are made so a block at
    /// a time while the blocks before are written, on the other core. What
    /// make_row refers to (the workspace, plan, coverage) must outlive it.
    std::function<void(std::size_t, Row&)> make_row = {};
    std::size_t deferred_rows = 0;

    /// Index of a field by name; throws std::out_of_range when absent.
    std::size_t column(const std::string& field) const;
    /// The number of rows, held or deferred.
    std::size_t size() const { return make_row ? deferred_rows : rows.size(); }
    /// Row i: rows[i], or a deferred row made into `scratch` (whose storage
    /// it reuses) and returned.
    const Row& row(std::size_t i, Row& scratch) const;
};

/// Km rounded to 3 decimals (a metre), as every output writes them.
double round_km(double km);

struct TableOptions {
    /// Cut each row's geometry out of its line (only layers need it). DEFAULT: true
    bool geometry = true;
    /// Include the segments table, the largest (JSON has no use for it). DEFAULT: true
    bool segments = true;
    /// Fills nearest_party_id (and _km) of gaps and unowned markers. DEFAULT: none (null)
    const NearestIndex* nearest = nullptr;
    /// The segments' rows made when they are written (Table::make_row),
    /// not held: for a writer, which reads each once. The table then refers
    /// to the workspace, plan and coverage. DEFAULT: false
    bool defer_segments = false;
};

/// The layers of docs/outputs.md: segments, gaps, markers, commune_summary,
/// district_summary, line_summary, team_summary, diagnostics.
std::vector<Table> coverage_tables(const Workspace& ws, const Plan& plan, const Coverage& coverage,
                                   const Diagnostics& diagnostics,
                                   const TableOptions& options = {});

/// The segments layer alone, coverage_tables' first: to be written while
/// the others are made (io::write_tables' `meanwhile`).
Table segments_table(const Workspace& ws, const Plan& plan, const Coverage& coverage,
                     const TableOptions& options = {});

/// The names of the layers coverage_tables gives, in its order (known
/// before any work, so an output can be checked first).
const std::vector<std::string>& coverage_layer_names();

/// The diagnostics layer alone.
Table diagnostics_table(const Diagnostics& diagnostics);

const Table& find_table(const std::vector<Table>& tables, const std::string& name);

} // namespace bordercov
