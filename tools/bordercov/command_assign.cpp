#include "command.hpp"
#include "output_options.hpp"
#include "terminal.hpp"
#include "workspace_options.hpp"

#include "bordercov/assign.hpp"
#include "bordercov/checks.hpp"
#include "bordercov/coverage.hpp"
#include "bordercov/io/json_report.hpp"
#include "bordercov/io/layer_writer.hpp"
#include "bordercov/io/workspace_reader.hpp"
#include "bordercov/table.hpp"

#include <fmt/format.h>

#include <optional>

namespace bordercov::cli {

namespace {

double column_sum(const Table& t, const char* field) {
    double sum = 0;
    const std::size_t c = t.column(field);
    for (const Row& r : t.rows) {
        if (const auto* d = std::get_if<double>(&r.values[c])) {
            sum += *d;
        } else if (const auto* i = std::get_if<std::int64_t>(&r.values[c])) {
            sum += static_cast<double>(*i);
        }
    }
    return sum;
}

/// "14.3 m" below a km, "1.250 km" from a km on.
std::string length(double km) {
    return km < 1 ? fmt::format("{:.1f} m", km * 1000) : fmt::format("{:.3f} km", km);
}

/// The CRS of the workspace's assignments layer, else that of its lines.
std::string assignments_crs(const Workspace& ws) {
    for (const LayerSource& source : ws.sources) {
        if (source.layer == "assignments" && !source.crs_wkt.empty()) {
            return source.crs_wkt;
        }
    }
    return ws.crs_wkt;
}

class AssignCommand : public Command {
  public:
    const char* name() const override { return "assign"; }
    const char* description() const override {
        return "Propose households (or, failing them, teams) for every uncovered stretch and "
               "unowned "
               "marker, nearest first, without overloading anyone";
    }
    void setup(CLI::App& app) override {
        options_.add_to(app);
        app.add_option("-o,--output", output_,
                       "Write the proposals here: layers assignments, marker_custodians, "
                       "assign_summary (required unless --json)")
            ->type_name("PATH");
        output_options_.add_to(app);
        app.add_option(
            "--household-km", household_km_,
            "Km of border a household may hold in all, what it holds counted [default: the "
            "median that households holding any stretch hold]");
        app.add_option("--piece-km", piece_km_,
                       "Longest piece a gap is cut into [default: --household-km]");
        app.add_option("--marker-households", assign_.marker_households,
                       "Custodians proposed at most per unowned marker")
            ->capture_default_str();
        app.add_option("--max-home-km", assign_.max_home_km,
                       "Farthest a household's home may lie from a piece or a marker")
            ->capture_default_str();
        app.add_flag("--json", json_, "Print the summary to stdout as one JSON document");
        app.add_flag("--timings", timings_,
                     "Print on stderr the seconds and memory (MB) of each phase");
    }

    int run() override {
        const ResolveOptions resolve_options = options_.resolve_options();
        if (household_km_) {
            assign_.household_km = *household_km_;
        }
        if (piece_km_) {
            assign_.piece_km = *piece_km_;
        }
        check_assign_options(assign_);
        if (output_.empty() && !json_) {
            throw UsageError(
                "assign: give -o PROPOSALS (a GeoPackage, or a folder with -f) to write "
                "the proposals, or --json to print their summary only.");
        }
        if (!output_.empty()) {
            write_.inputs = {options_.workspace};
            io::check_output(output_, proposal_layer_names(), write_);
        }
        PhaseTimer timer(timings_);
        timer.phase("read workspace");
        Diagnostics diagnostics;
        const Workspace& ws = results_.ws =
            io::read_workspace(options_.workspace, diagnostics, options_.read_options());
        timer.phase("resolve assignments");
        const Plan& plan = results_.plan = resolve(ws, resolve_options, diagnostics);
        check_border_in_communes(ws, diagnostics);
        if (options_.stops_for_errors(diagnostics)) {
            return 1;
        }
        timer.phase("coverage sweep");
        const Coverage& coverage = results_.coverage = compute_coverage(ws, plan, {});
        timer.phase("proposals");
        const Proposal& proposal = results_.proposal =
            propose_assignments(ws, plan, coverage, assign_);
        timer.phase("result tables");
        const ProposalForm form = proposal_form_for(ws);
        const std::vector<Table>& tables = results_.tables =
            proposal_tables(ws, plan, coverage, proposal, {.form = form, .geometry = true});
        // GeoPackage stamps the time of writing into the file: the as-of date
        // instead, so the same input gives the same file, byte for byte.
        write_.timestamp = plan.as_of.iso() + "T00:00:00.000Z";
        io::WriteReport written;
        if (!output_.empty()) {
            timer.phase("write layers");
            // In the CRS of the workspace's assignments, so that ogr2ogr -append
            // (which does not reproject) puts a drawn piece where it belongs.
            written = io::write_tables(tables, output_, assignments_crs(ws), write_);
        }
        timer.phase("print");
        if (json_) {
            nlohmann::ordered_json doc;
            doc["schema_version"] = io::json_schema_version;
            doc["workspace"] = options_.shown();
            doc["as_of"] = plan.as_of.iso();
            doc["household_km"] = round_km(proposal.household_km);
            doc["piece_km"] = round_km(proposal.piece_km);
            doc["max_home_km"] = assign_.max_home_km;
            doc["eligible_households"] = proposal.eligible_households;
            doc["summary"] = io::rows_json(find_table(tables, "assign_summary"));
            fmt::print("{}\n", io::json_text(doc));
        } else {
            print_text(ws, plan, coverage, proposal, tables);
        }
        timer.report();
        print_diagnostics_summary(diagnostics);
        if (!output_.empty()) {
            print_written(written,
                          fmt::format("{} proposed assignments and {} proposed custodians",
                                      find_table(tables, "assignments").rows.size(),
                                      find_table(tables, "marker_custodians").rows.size()));
        }
        return 0;
    }

  private:
    void print_text(const Workspace&, const Plan& plan, const Coverage& coverage,
                    const Proposal& proposal, const std::vector<Table>& tables) const {
        const Table& summary = find_table(tables, "assign_summary");
        fmt::print("Proposals for {} as of {}\n", options_.shown(), plan.as_of.iso());
        fmt::print(
            "{:.3f} km uncovered in {} gap(s), cut into {} piece(s) of at most {}. A household may "
            "hold {} in all{}; {} household(s) have room for a piece; homes within {} km.\n",
            coverage.total.uncovered_km(), coverage.gaps.size(), proposal.pieces.size(),
            length(proposal.piece_km), length(proposal.household_km),
            household_km_ ? "" : " (the median now held)", proposal.eligible_households,
            assign_.max_home_km);
        fmt::print(
            "Households would take {:.3f} km; teams {:.3f} km as a fallback ({:.3f} km with no "
            "household "
            "near enough, {:.3f} km where the households near are full); {:.3f} km no one.\n",
            column_sum(summary, "household_km"), column_sum(summary, "team_km"),
            column_sum(summary, "no_eligible_km"), column_sum(summary, "capacity_km"),
            column_sum(summary, "unassigned_km"));
        fmt::print("{} unowned marker(s): {} would get household custodians ({} in all), {} a "
                   "team, {} no one.\n\n",
                   proposal.unowned_markers.size(), column_sum(summary, "markers_household"),
                   column_sum(summary, "custodians"), column_sum(summary, "markers_team"),
                   column_sum(summary, "markers_none"));
        if (proposal.pieces.empty() && proposal.unowned_markers.empty()) {
            fmt::print("Nothing to propose: every km and every marker has someone responsible on "
                       "that date.\n");
            return;
        }
        if (proposal.eligible_households == 0) {
            fmt::print(
                "No household has room for a piece of {} (a household may hold {} in all); raise "
                "--household-km or lower --piece-km.\n\n",
                length(proposal.piece_km), length(proposal.household_km));
        }
        fmt::print("Per commune\n");
        print_table(stdout, summary,
                    {"commune_id", "name", "gap_km", "pieces", "household_km", "households",
                     "team_km", "no_eligible_km", "capacity_km", "unassigned_km", "markers_unowned",
                     "custodians"});
    }

    struct Results {
        Workspace ws;
        Plan plan;
        Coverage coverage;
        Proposal proposal;
        std::vector<Table> tables;
    };
    Results results_;
    WorkspaceOptions options_;
    AssignOptions assign_;
    std::optional<double> household_km_;
    std::optional<double> piece_km_;
    std::string output_;
    bool json_ = false;
    bool timings_ = false;
    OutputOptions output_options_;
    io::WriteOptions& write_ = output_options_.write;
};

} // namespace

std::unique_ptr<Command> make_assign_command() {
    return std::make_unique<AssignCommand>();
}

} // namespace bordercov::cli
