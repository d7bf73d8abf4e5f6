// The coverage document written row by row (write_coverage_json) against the
// same document built whole with nlohmann::json and dumped (coverage_json,
// json_text): byte for byte, pretty and on one line, on the Gia Lai sample
// with its diagnostics, on a table whose text needs escaping and on a list
// longer than one block of rows rendered side by side.
#include "bordercov/coverage.hpp"
#include "bordercov/io/json_report.hpp"
#include "bordercov/io/workspace_reader.hpp"
#include "bordercov/nearest.hpp"
#include "bordercov/resolve.hpp"
#include "bordercov/table.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

using namespace bordercov;

namespace {

std::string streamed(const std::vector<Table>& tables, Date as_of, const std::string& ws,
                     int indent) {
    char* buffer = nullptr;
    std::size_t size = 0;
    std::FILE* out = open_memstream(&buffer, &size);
    io::write_coverage_json(out, tables, as_of, ws, indent);
    std::fclose(out);
    std::string text(buffer, size);
    std::free(buffer);
    return text;
}

std::vector<Table> sample_tables(Date as_of) {
    Diagnostics diagnostics;
    const Workspace ws =
        io::read_workspace(BORDERCOV_SOURCE_DIR "/geodata/gia-lai.gpkg", diagnostics);
    const Plan plan = resolve(ws, {.as_of = as_of}, diagnostics);
    const Coverage coverage = compute_coverage(ws, plan, {});
    const NearestIndex nearest(ws, plan);
    return coverage_tables(ws, plan, coverage, diagnostics,
                           {.geometry = false, .segments = false, .nearest = &nearest});
}

} // namespace

TEST(CoverageJson, WrittenRowByRowIsTheDocumentDumpedWhole) {
    const Date as_of = *Date::parse("2026-11-28");
    const std::vector<Table> tables = sample_tables(as_of);
    const std::string ws = "gia-lai \"sample\".gpkg";
    for (const int indent : {2, -1, 0}) {
        const std::string whole =
            io::json_text(io::coverage_json(tables, as_of, ws), indent) + "\n";
        EXPECT_EQ(streamed(tables, as_of, ws, indent), whole) << "indent " << indent;
    }
    // Not a trivial agreement: the sample has 7 gaps and 81 markers.
    const auto doc = nlohmann::json::parse(streamed(tables, as_of, ws, 2));
    EXPECT_EQ(doc["gaps"].size(), 7u);
    EXPECT_EQ(doc["markers"].size(), 81u);
}

TEST(CoverageJson, EmptyListsAndTextThatNeedsEscaping) {
    const Date as_of = *Date::parse("2026-11-28");
    std::vector<Table> tables = sample_tables(as_of);
    for (Table& t : tables) {
        if (t.name == "gaps") {
            t.rows.clear();
        }
        if (t.name == "commune_summary") {
            for (Row& row : t.rows) {
                row.values[t.column("name")] = std::string("Xã \"Ia\" \\ <b>\n\tÔ \xff");
            }
        }
    }
    for (const int indent : {2, -1}) {
        const std::string whole =
            io::json_text(io::coverage_json(tables, as_of, "ws"), indent) + "\n";
        EXPECT_EQ(streamed(tables, as_of, "ws", indent), whole) << "indent " << indent;
    }
}

TEST(CoverageJson, LongListsRenderedInBlocksKeepTheirOrder) {
    // More rows than one rendering block (8,192), each row told apart by its
    // own id and name, so a row out of place or twice would show.
    const Date as_of = *Date::parse("2026-11-28");
    std::vector<Table> tables = sample_tables(as_of);
    for (Table& t : tables) {
        if (t.name == "gaps" && !t.rows.empty()) {
            const Row model = t.rows.front();
            t.rows.clear();
            for (int i = 0; i < 20'001; ++i) {
                Row row = model;
                row.values[t.column("gap_id")] = "G" + std::to_string(i + 1);
                row.values[t.column("commune_name")] = "Xã " + std::to_string(i);
                t.rows.push_back(std::move(row));
            }
        }
    }
    for (const int indent : {2, -1}) {
        const std::string whole =
            io::json_text(io::coverage_json(tables, as_of, "ws"), indent) + "\n";
        EXPECT_EQ(streamed(tables, as_of, "ws", indent), whole) << "indent " << indent;
    }
    const auto doc = nlohmann::json::parse(streamed(tables, as_of, "ws", -1));
    ASSERT_EQ(doc["gaps"].size(), 20'001u);
    EXPECT_EQ(doc["gaps"][8192]["gap_id"], "G8193");
    EXPECT_EQ(doc["gaps"][20'000]["commune_name"], "Xã 20000");
}
