#include "command.hpp"
#include "terminal.hpp"
#include "workspace_options.hpp"

#include "bordercov/checks.hpp"
#include "bordercov/io/json_report.hpp"
#include "bordercov/io/workspace_reader.hpp"

#include <fmt/format.h>

namespace bordercov::cli {

namespace {

class InfoCommand : public Command {
  public:
    const char* name() const override { return "info"; }
    const char* description() const override {
        return "Show a workspace's layers, counts, CRS and line lengths";
    }
    void setup(CLI::App& app) override {
        options_.add_to(app, WorkspaceOptions::Offers::reading);
        app.add_flag("--json", json_, "Print the layers and lines as one JSON document");
    }

    int run() override {
        Table layers{"layers",
                     GeometryType::none,
                     {{"layer", FieldType::text},
                      {"features", FieldType::integer},
                      {"geometry", FieldType::text},
                      {"crs", FieldType::text},
                      {"file", FieldType::text}},
                     {}};
        for (const io::LayerInfo& l :
             io::describe_workspace(options_.workspace, options_.read_options())) {
            layers.rows.push_back({{l.layer, l.features, l.geometry_type, l.crs, l.file}, {}});
        }
        if (!json_) {
            fmt::print("Workspace {}\n\n", options_.shown());
            print_table(stdout, layers);
        }

        Diagnostics diagnostics;
        io::ReadOptions read = options_.read_options();
        read.households_in_full = false;
        const Workspace ws = io::read_workspace(options_.workspace, diagnostics, read);
        check_border_in_communes(ws, diagnostics);
        Table lines{"lines",
                    GeometryType::none,
                    {{"line_id", FieldType::text},
                     {"name", FieldType::text},
                     {"neighbour", FieldType::text},
                     {"parts", FieldType::integer},
                     {"vertices", FieldType::integer},
                     {"length_km", FieldType::real}},
                    {}};
        for (const BorderLine& l : ws.lines) {
            lines.rows.push_back(
                {{l.line_id(), l.name, l.neighbour, static_cast<std::int64_t>(l.part_count()),
                  static_cast<std::int64_t>(l.vertices().size()), round_km(l.length_km())},
                 {}});
        }
        if (json_) {
            nlohmann::ordered_json doc;
            doc["schema_version"] = io::json_schema_version;
            doc["workspace"] = options_.shown();
            doc["layers"] = io::rows_json(layers);
            doc["lines"] = io::rows_json(lines);
            doc["diagnostics"] = io::rows_json(diagnostics_table(diagnostics));
            fmt::print("{}\n", io::json_text(doc));
        } else {
            fmt::print("\nBorder lines (geodesic length on WGS 84)\n\n");
            print_table(stdout, lines);
        }
        print_diagnostics_summary(diagnostics);
        return 0;
    }

  private:
    WorkspaceOptions options_;
    bool json_ = false;
};

} // namespace

std::unique_ptr<Command> make_info_command() {
    return std::make_unique<InfoCommand>();
}

} // namespace bordercov::cli
