// The `--json` documents of docs/json.md, built from the result tables.
#pragma once

#include "bordercov/date.hpp"
#include "bordercov/table.hpp"

#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace bordercov::io {

/// The version of the JSON documents' schema (docs/json.md), in every
/// document as "schema_version". 2: every document an object with
/// "workspace"; lists carry the fields of the layers they mirror.
inline constexpr int json_schema_version = 2;

/// The coverage document: schema_version, workspace, as_of, then one list
/// per result layer with every field of that layer (docs/json.md).
nlohmann::ordered_json coverage_json(const std::vector<Table>& tables, Date as_of,
                                     const std::string& workspace);

/// The coverage document written to `out` as it is made, list by list and
/// row by row: the same text as json_text(coverage_json(...), indent) and a
/// line end, without the whole document in memory (on a national workspace
/// the document held as JSON values took as much memory as everything else
/// together).
void write_coverage_json(std::FILE* out, const std::vector<Table>& tables, Date as_of,
                         const std::string& workspace, int indent = 2);

/// The document as text (indent < 0: one line). Text read from a workspace
/// need not be valid UTF-8 (a CSV saved in a legacy encoding): such bytes
/// become U+FFFD rather than stopping the run.
std::string json_text(const nlohmann::ordered_json& doc, int indent = 2);

/// JSON lines: the text render(i, text) appends for each i in [0, n), each
/// on one line of `out`, in order; the lines of a block of items are made
/// on a few threads at a time (render must be safe to call from several
/// threads).
void write_json_lines(std::FILE* out, std::size_t n,
                      const std::function<void(std::size_t, std::string&)>& render);

/// A timeline layer (review --every) ready for a chart: "dates", "total"
/// (one object per date) and "communes" (each with its "series", one object
/// per date).
nlohmann::ordered_json timeline_json(const Table& timeline);

/// Every row of a table as an object of the named fields (all when empty).
nlohmann::ordered_json rows_json(const Table& table, const std::vector<std::string>& fields = {});

} // namespace bordercov::io
