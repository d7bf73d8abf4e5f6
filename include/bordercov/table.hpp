// The results as tables: named layers of typed fields with an optional
// geometry per row. One representation feeds the GDAL layers, the JSON and
// the readable tables, so the figures are the same wherever they appear.
#pragma once

#include "bordercov/coverage.hpp"
#include "bordercov/diagnostic.hpp"
#include "bordercov/model.hpp"
#include "bordercov/nearest.hpp"

#include <cstdint>
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

    /// Index of a field by name; throws std::out_of_range when absent.
    std::size_t column(const std::string& field) const;
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
};

/// The layers of docs/outputs.md: segments, gaps, markers, commune_summary,
/// district_summary, line_summary, team_summary, diagnostics.
std::vector<Table> coverage_tables(const Workspace& ws, const Plan& plan, const Coverage& coverage,
                                   const Diagnostics& diagnostics,
                                   const TableOptions& options = {});

/// The names of the layers coverage_tables gives, in its order (known
/// before any work, so an output can be checked first).
const std::vector<std::string>& coverage_layer_names();

/// The diagnostics layer alone.
Table diagnostics_table(const Diagnostics& diagnostics);

const Table& find_table(const std::vector<Table>& tables, const std::string& name);

} // namespace bordercov
