#include "command.hpp"
#include "output_options.hpp"
#include "scope_options.hpp"
#include "terminal.hpp"
#include "workspace_options.hpp"

#include "bordercov/checks.hpp"
#include "bordercov/io/json_report.hpp"
#include "bordercov/io/layer_writer.hpp"
#include "bordercov/io/workspace_reader.hpp"
#include "bordercov/review.hpp"
#include "bordercov/review_tables.hpp"

#include <fmt/format.h>

#include <charconv>
#include <optional>

namespace bordercov::cli {

namespace {

/// The last day of a window of "90d", "12w", "6m" or "1y" (a bare number is
/// days) from a day.
Date window_end(Date from, const std::string& within) {
    int n = 0;
    const char* begin = within.data();
    const char* end = within.data() + within.size();
    const auto [ptr, ec] = std::from_chars(begin, end, n);
    const std::string unit(ptr, end);
    if (ec != std::errc{} || ptr == begin || n < 0 ||
        !(unit.empty() || unit == "d" || unit == "w" || unit == "m" || unit == "y")) {
        throw UsageError(fmt::format("--within '{}' is not a length of time. Write a number of "
                                     "days (90 or 90d), weeks (12w), months (6m) or years (1y).",
                                     within));
    }
    if (unit == "m" || unit == "y") {
        return from.plus_months(unit == "y" ? 12 * n : n);
    }
    return from.plus_days(unit == "w" ? 7 * n : n);
}

class RenewalsCommand : public Command {
  public:
    const char* name() const override { return "renewals"; }
    const char* description() const override {
        return "Commitments and custodies that expire soon, with the km each leaves uncovered "
               "if it is not renewed, per commune and team";
    }
    void setup(CLI::App& app) override {
        options_.add_to(app);
        app.add_option("--within", within_,
                       "The window after --as-of: rows that expire in it are listed (90, 90d, "
                       "12w, 6m, 1y)")
            ->capture_default_str()
            ->type_name("LENGTH");
        app.add_option("-o,--output", output_,
                       "Write the layers here (renewals, stretches_at_risk, the totals per commune "
                       "and team): a file for GPKG and KML, a folder for the others")
            ->type_name("PATH");
        output_options_.add_to(app);
        scope_options_.add_to(app);
        app.add_flag("--json", json_, "Print the renewals to stdout as one JSON document");
    }

    int run() override {
        const ResolveOptions resolve_options = options_.resolve_options();
        const Date until = window_end(resolve_options.as_of, within_);
        if (!output_.empty()) {
            write_.inputs = {options_.workspace};
            io::check_output(output_, renewals_layer_names(), write_);
        }
        Diagnostics diagnostics;
        const Workspace& ws = results_.ws =
            io::read_workspace(options_.workspace, diagnostics, options_.read_options());
        const Plan& plan = results_.plan = resolve(ws, resolve_options, diagnostics);
        check_border_in_communes(ws, diagnostics);
        if (options_.stops_for_errors(diagnostics)) {
            return 1;
        }
        const ReviewScope scope = scope_options_.scope(ws, options_.shown());
        const HistorySweep& history = results_.history.emplace(ws, plan, scope);
        const Renewals renewals =
            compute_renewals(ws, plan, history, scope, resolve_options.as_of, until);
        const std::vector<Table> tables =
            renewals_tables(ws, plan, renewals, diagnostics, !output_.empty());
        io::WriteReport written;
        if (!output_.empty()) {
            written = io::write_tables(tables, output_, ws.crs_wkt, write_);
        }
        if (json_) {
            nlohmann::ordered_json doc;
            doc["schema_version"] = io::json_schema_version;
            doc["workspace"] = options_.shown();
            doc["as_of"] = renewals.as_of.iso();
            doc["until"] = renewals.until.iso();
            doc["total"] = {{"assignments", renewals.total.assignments},
                            {"custodies", renewals.total.custodies},
                            {"km_at_risk", round_km(renewals.total.km_at_risk)},
                            {"markers_at_risk", renewals.total.markers_at_risk}};
            for (const auto& [key, layer] : {std::pair{"renewals", "renewals"},
                                             {"stretches_at_risk", "stretches_at_risk"},
                                             {"communes", "renewals_by_commune"},
                                             {"teams", "renewals_by_team"},
                                             {"diagnostics", "diagnostics"}}) {
                doc[key] = io::rows_json(find_table(tables, layer));
            }
            fmt::print("{}\n", io::json_text(doc));
        } else {
            print_text(ws, scope, renewals, tables);
        }
        print_diagnostics_summary(diagnostics);
        if (!output_.empty()) {
            print_written(written, fmt::format("{} layers", tables.size()));
        }
        return 0;
    }

  private:
    void print_text(const Workspace& ws, const ReviewScope& scope, const Renewals& r,
                    const std::vector<Table>& tables) const {
        const RenewalTotals& t = r.total;
        fmt::print("Renewals due after {} until {} in {}{}\n", r.as_of.iso(), r.until.iso(),
                   options_.shown(), scope_options_.label(ws, scope));
        fmt::print("{} assignment(s) and {} marker custody(ies) expire. If none is renewed, {:.3f} "
                   "km covered now are held by no one on {}, and {} marker(s) are left without a "
                   "custodian.\n",
                   t.assignments, t.custodies, t.km_at_risk, r.until.iso(), t.markers_at_risk);
        const Table& items = find_table(tables, "renewals");
        fmt::print("\nExpiring, largest km at risk first ({})\n", items.rows.size());
        print_table(stdout, items,
                    {"kind", "assignment_id", "marker_id", "party_id", "party_name", "team_id",
                     "phone", "expires", "days_left", "length_km", "km_at_risk",
                     "marker_left_alone"},
                    60);
        fmt::print("\nPer commune, largest km at risk first\n");
        print_table(stdout, largest_first(find_table(tables, "renewals_by_commune"), "km_at_risk"));
        fmt::print("\nPer team, largest km at risk first\n");
        print_table(stdout, largest_first(find_table(tables, "renewals_by_team"), "km_at_risk"), {},
                    40);
    }

    struct Results {
        Workspace ws;
        Plan plan;
        std::optional<HistorySweep> history;
    };
    Results results_;
    WorkspaceOptions options_;
    ScopeOptions scope_options_;
    std::string within_ = "90d";
    std::string output_;
    bool json_ = false;
    OutputOptions output_options_;
    io::WriteOptions& write_ = output_options_.write;
};

} // namespace

std::unique_ptr<Command> make_renewals_command() {
    return std::make_unique<RenewalsCommand>();
}

} // namespace bordercov::cli
