#include "bordercov/io/json_report.hpp"

namespace bordercov::io {

nlohmann::ordered_json rows_json(const Table& table, const std::vector<std::string>& fields) {
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
    auto out = nlohmann::ordered_json::array();
    for (const Row& row : table.rows) {
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
        out.push_back(std::move(obj));
    }
    return out;
}

nlohmann::ordered_json coverage_json(const std::vector<Table>& tables, Date as_of,
                                     const std::string& workspace) {
    nlohmann::ordered_json doc;
    doc["schema_version"] = json_schema_version;
    doc["workspace"] = workspace;
    doc["as_of"] = as_of.iso();
    // Each list holds every field of the layer it mirrors, in the same order.
    doc["lines"] = rows_json(find_table(tables, "line_summary"));
    doc["communes"] = rows_json(find_table(tables, "commune_summary"));
    doc["districts"] = rows_json(find_table(tables, "district_summary"));
    doc["teams"] = rows_json(find_table(tables, "team_summary"));
    doc["gaps"] = rows_json(find_table(tables, "gaps"));
    doc["markers"] = rows_json(find_table(tables, "markers"));
    doc["diagnostics"] = rows_json(find_table(tables, "diagnostics"));
    return doc;
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
