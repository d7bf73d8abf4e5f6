#include "bordercov/io/json_report.hpp"

#include "bordercov/io/json_writer.hpp"
#include "detail/parallel.hpp"

#include <algorithm>

namespace bordercov::io {

namespace {

std::vector<std::size_t> columns_of(const Table& table, const std::vector<std::string>& fields) {
    std::vector<std::size_t> columns;
    if (fields.empty()) {
        for (std::size_t i = 0; i < table.fields.size(); ++i) {
            columns.push_back(i);
        }
    } else {
        for (const std::string& f : fields) {
            columns.push_back(table.column(f));
        }
    }
    return columns;
}

nlohmann::ordered_json row_json(const Table& table, const Row& row,
                                const std::vector<std::size_t>& columns) {
    nlohmann::ordered_json obj = nlohmann::ordered_json::object();
    for (const std::size_t c : columns) {
        auto& slot = obj[table.fields[c].name];
        std::visit(
            [&](const auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, std::monostate>) {
                    slot = nullptr;
                } else {
                    slot = v;
                }
            },
            row.values[c]);
    }
    return obj;
}

/// The lists of the coverage document: its key and the layer it mirrors.
const std::vector<std::pair<const char*, const char*>>& coverage_lists() {
    static const std::vector<std::pair<const char*, const char*>> lists{
        {"lines", "line_summary"},
        {"communes", "commune_summary"},
        {"districts", "district_summary"},
        {"teams", "team_summary"},
        {"gaps", "gaps"},
        {"markers", "markers"},
        {"diagnostics", "diagnostics"}};
    return lists;
}

} // namespace

nlohmann::ordered_json rows_json(const Table& table, const std::vector<std::string>& fields) {
    const std::vector<std::size_t> columns = columns_of(table, fields);
    auto out = nlohmann::ordered_json::array();
    for (const Row& row : table.rows) {
        out.push_back(row_json(table, row, columns));
    }
    return out;
}

void write_coverage_json(std::FILE* out, const std::vector<Table>& tables, Date as_of,
                         const std::string& workspace, int indent) {
    // The head as the document would have it, then each list: "key": [ and
    // each row as the document would write it at that depth.
    nlohmann::ordered_json head;
    head["schema_version"] = json_schema_version;
    head["workspace"] = workspace;
    head["as_of"] = as_of.iso();
    const bool pretty = indent >= 0;
    const std::string step(pretty ? static_cast<std::size_t>(indent) : 0, ' ');
    const std::string nl = pretty ? "\n" : "";
    const std::string colon = pretty ? ": " : ":";
    std::string text = json_text(head, indent);
    text.erase(text.find_last_of('}')); // the head, open
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    std::fputs(text.c_str(), out);
    for (const auto& [key, layer] : coverage_lists()) {
        const Table& table = find_table(tables, layer);
        std::fprintf(out, ",%s%s\"%s\"%s[", nl.c_str(), step.c_str(), key, colon.c_str());
        if (table.rows.empty()) {
            std::fputs("]", out);
            continue;
        }
        const std::vector<std::size_t> columns = columns_of(table, {});
        const std::string row_prefix = nl + step + step;
        // Rows are rendered a block at a time on a few threads, then written
        // in order.
        detail::render_in_order(
            table.rows.size(),
            [&](std::size_t i) {
                std::string row;
                json::append_row(row, table, table.rows[i], columns, indent, 2 * step.size());
                return row;
            },
            [&](std::size_t i, const std::string& row) {
                if (i > 0) {
                    std::fputc(',', out);
                }
                std::fputs(row_prefix.c_str(), out);
                std::fwrite(row.data(), 1, row.size(), out);
            });
        std::fprintf(out, "%s%s]", nl.c_str(), step.c_str());
    }
    std::fprintf(out, "%s}\n", nl.c_str());
}

nlohmann::ordered_json coverage_json(const std::vector<Table>& tables, Date as_of,
                                     const std::string& workspace) {
    nlohmann::ordered_json doc;
    doc["schema_version"] = json_schema_version;
    doc["workspace"] = workspace;
    doc["as_of"] = as_of.iso();
    // Each list holds every field of the layer it mirrors, in the same order.
    for (const auto& [key, layer] : coverage_lists()) {
        doc[key] = rows_json(find_table(tables, layer));
    }
    return doc;
}

void write_json_lines(std::FILE* out, std::size_t n,
                      const std::function<void(std::size_t, std::string&)>& render) {
    detail::render_in_order(
        n,
        [&](std::size_t i) {
            std::string line;
            render(i, line);
            line += '\n';
            return line;
        },
        [&](std::size_t, const std::string& line) {
            std::fwrite(line.data(), 1, line.size(), out);
        });
}

nlohmann::ordered_json timeline_json(const Table& timeline) {
    nlohmann::ordered_json doc;
    doc["dates"] = nlohmann::ordered_json::array();
    doc["total"] = nlohmann::ordered_json::array();
    doc["communes"] = nlohmann::ordered_json::array();
    const std::vector<std::string> per_date{
        "date", "border_km",  "covered_km", "uncovered_km", "coverage_pct",
        "gaps", "households", "teams",      "markers",      "markers_custodied"};
    const nlohmann::ordered_json rows = rows_json(timeline);
    const nlohmann::ordered_json points = rows_json(timeline, per_date);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i]["scope"] == "total") {
            doc["dates"].push_back(rows[i]["date"]);
            doc["total"].push_back(points[i]);
            continue;
        }
        auto& communes = doc["communes"];
        if (communes.empty() || communes.back()["commune_id"] != rows[i]["commune_id"]) {
            communes.push_back({{"commune_id", rows[i]["commune_id"]},
                                {"name", rows[i]["name"]},
                                {"district", rows[i]["district"]},
                                {"series", nlohmann::ordered_json::array()}});
        }
        communes.back()["series"].push_back(points[i]);
    }
    return doc;
}

std::string json_text(const nlohmann::ordered_json& doc, int indent) {
    return doc.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

} // namespace bordercov::io
