#include "command.hpp"
#include "output_options.hpp"
#include "terminal.hpp"
#include "workspace_options.hpp"

#include "bordercov/checks.hpp"
#include "bordercov/io/json_report.hpp"
#include "bordercov/io/layer_writer.hpp"
#include "bordercov/io/workspace_reader.hpp"
#include "bordercov/resolve.hpp"

#include <fmt/format.h>

namespace bordercov::cli {

namespace {

class CheckCommand : public Command {
  public:
    const char* name() const override { return "check"; }
    const char* description() const override {
        return "Validate a workspace; exit 1 when the data has any error";
    }
    void setup(CLI::App& app) override {
        options_.add_to(app);
        app.add_flag("--json", json_, "Print the diagnostics as one JSON document");
        app.add_option("-o,--output", output_, "Also write the diagnostics as a layer")
            ->type_name("PATH");
        output_options_.add_to(app);
    }

    int run() override {
        const ResolveOptions resolve_options = options_.resolve_options();
        if (!output_.empty()) {
            write_.inputs = {options_.workspace};
            io::check_output(output_, {"diagnostics"}, write_);
        }
        Diagnostics diagnostics;
        std::string crs_wkt;
        std::string unusable; // why the workspace cannot be used at all, if it cannot
        try {
            const Workspace ws =
                io::read_workspace(options_.workspace, diagnostics, options_.read_options());
            const Plan plan = resolve(ws, resolve_options, diagnostics);
            check_consistency(ws, plan, diagnostics);
            check_border_in_communes(ws, diagnostics);
            crs_wkt = ws.crs_wkt;
        } catch (const DataError& e) {
            unusable = e.what(); // the diagnostics say which features made it so
            if (!diagnostics.has_errors()) {
                // The output must show why the exit code is 1, whatever the reason.
                diagnostics.add({Severity::error,
                                 "unusable-workspace",
                                 options_.shown(),
                                 {},
                                 {},
                                 -1,
                                 {},
                                 unusable,
                                 {}});
            }
        }
        const Table table = diagnostics_table(diagnostics);
        if (!output_.empty()) {
            print_written(io::write_tables({table}, output_, crs_wkt, write_),
                          "the diagnostics layer");
        }
        const std::size_t errors = diagnostics.count(Severity::error);
        const std::size_t warnings = diagnostics.count(Severity::warning);
        if (json_) {
            nlohmann::ordered_json doc;
            doc["schema_version"] = io::json_schema_version;
            doc["workspace"] = options_.shown();
            doc["as_of"] = resolve_options.as_of.iso();
            doc["errors"] = errors;
            doc["warnings"] = warnings;
            if (!unusable.empty()) {
                doc["unusable"] = unusable;
            }
            doc["diagnostics"] = io::rows_json(table);
            fmt::print("{}\n", io::json_text(doc));
        } else if (errors + warnings == 0 && unusable.empty()) {
            fmt::print("{}: no problems found.\n", options_.shown());
        } else {
            print_table(stdout, table,
                        {"severity", "code", "layer", "feature_id", "source_fid", "field"});
            fmt::print("\n");
            for (const Diagnostic& d : diagnostics.items()) {
                fmt::print("{} [{}] {}\n", to_string(d.severity), d.code, d.describe());
            }
            fmt::print("\n{} error(s), {} warning(s).\n", errors, warnings);
            if (!unusable.empty()) {
                fmt::print("The workspace cannot be used: {}\n", unusable);
            }
        }
        if (!unusable.empty()) {
            fmt::print(message_stream(), "bordercov: {}\n", unusable);
        }
        return errors > 0 || !unusable.empty() ? 1 : 0;
    }

  private:
    WorkspaceOptions options_;
    bool json_ = false;
    std::string output_;
    OutputOptions output_options_;
    io::WriteOptions& write_ = output_options_.write;
};

} // namespace

std::unique_ptr<Command> make_check_command() {
    return std::make_unique<CheckCommand>();
}

} // namespace bordercov::cli
