// The `--json` documents of SPEC section 4, built from the result tables.
#pragma once

#include "bordercov/date.hpp"
#include "bordercov/table.hpp"

#include <nlohmann/json.hpp>
#include <vector>

namespace bordercov::io {

nlohmann::ordered_json coverage_json(const std::vector<Table>& tables, Date as_of);

/// The document as text (indent < 0: one line). Text read from a workspace
/// need not be valid UTF-8 (a CSV saved in a legacy encoding): such bytes
/// become U+FFFD rather than stopping the run.
std::string json_text(const nlohmann::ordered_json& doc, int indent = 2);

/// Every row of a table as an object of the named fields (all when empty).
nlohmann::ordered_json rows_json(const Table& table, const std::vector<std::string>& fields = {});

} // namespace bordercov::io
