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

#include <algorithm>
#include <optional>

namespace bordercov::cli {

namespace {

class ReviewCommand : public Command {
  public:
    const char* name() const override { return "review"; }
    const char* description() const override {
        return "What changed between two dates: km lost, gained and handed over, markers and "
               "households that joined or left, per line, commune, district and team; with "
               "--every, a timeline";
    }
    void setup(CLI::App& app) override {
        options_.add_to(app, WorkspaceOptions::Offers::resolving_undated);
        app.add_option("--from", from_,
                       fmt::format("The earlier date (the last review), written {}", date_formats))
            ->required()
            ->type_name("DATE");
        app.add_option("--to", to_, "The later date [default: today]")->type_name("DATE");
        app.add_option("--every", every_,
                       "Also a timeline: the figures at --from, at every year (or month) after "
                       "it, and at --to")
            ->check(CLI::IsMember({"year", "month"}))
            ->type_name("year|month");
        app.add_option("-o,--output", output_,
                       "Write the layers here (changes, marker_changes, the reviews per line, "
                       "commune, district and team, the timeline): a file for GPKG and KML, a "
                       "folder for the others")
            ->type_name("PATH");
        output_options_.add_to(app);
        scope_options_.add_to(app);
        app.add_flag("--json", json_, "Print the review to stdout as one JSON document");
        app.add_flag("--timings", timings_,
                     "Print on stderr the seconds and memory (MB) of each phase");
    }

    int run() override {
        const Date from = date_option("--from", from_);
        const Date to = to_.empty() ? Date::today() : date_option("--to", to_);
        if (to < from) {
            throw UsageError(fmt::format("--to {} is before --from {}: give the earlier date as "
                                         "--from.",
                                         to.iso(), from.iso()));
        }
        if (!output_.empty()) {
            write_.inputs = {options_.workspace};
            io::check_output(output_, review_layer_names(!every_.empty()), write_);
        }
        PhaseTimer timer(timings_);
        timer.phase("read workspace");
        Diagnostics diagnostics;
        const Workspace& ws = results_.ws =
            io::read_workspace(options_.workspace, diagnostics, options_.read_options());
        timer.phase("resolve assignments");
        ResolveOptions resolve_options = options_.resolve_options();
        resolve_options.as_of = to;
        const Plan& plan = results_.plan = resolve(ws, resolve_options, diagnostics);
        check_border_in_communes(ws, diagnostics);
        if (options_.stops_for_errors(diagnostics)) {
            return 1;
        }
        const ReviewScope scope = scope_options_.scope(ws, options_.shown());
        timer.phase("sweep through time");
        const HistorySweep& history = results_.history.emplace(ws, plan, scope);
        timer.phase("review");
        const Review review = compute_review(ws, plan, history, scope, from, to);
        std::optional<Timeline> timeline;
        if (!every_.empty()) {
            timeline = compute_timeline(
                ws, plan, history, scope,
                period_ends(from, to, every_ == "year" ? Period::year : Period::month));
        }
        timer.phase("result tables");
        const std::vector<Table> tables =
            review_tables(ws, plan, review, timeline ? &*timeline : nullptr, diagnostics,
                          {.geometry = !output_.empty(), .unchanged = !output_.empty()});
        io::WriteReport written;
        if (!output_.empty()) {
            timer.phase("write layers");
            written = io::write_tables(tables, output_, ws.crs_wkt, write_);
        }
        timer.phase("print");
        if (json_) {
            fmt::print("{}\n", io::json_text(document(review, timeline, tables)));
        } else {
            print_text(ws, scope, review, tables);
        }
        timer.report();
        print_diagnostics_summary(diagnostics);
        if (!output_.empty()) {
            print_written(written, fmt::format("{} layers", tables.size()));
        }
        return 0;
    }

  private:
    nlohmann::ordered_json document(const Review& review, const std::optional<Timeline>& timeline,
                                    const std::vector<Table>& tables) const {
        nlohmann::ordered_json doc;
        doc["schema_version"] = io::json_schema_version;
        doc["workspace"] = options_.shown();
        doc["from"] = review.from.iso();
        doc["to"] = review.to.iso();
        doc["total"] = io::rows_json(review_total_table(review)).at(0);
        doc["lines"] = io::rows_json(find_table(tables, "line_review"));
        doc["communes"] = io::rows_json(find_table(tables, "commune_review"));
        doc["districts"] = io::rows_json(find_table(tables, "district_review"));
        doc["teams"] = io::rows_json(find_table(tables, "team_review"));
        // What changed (lost, gained, handed over): the layer also has the
        // stretches kept and those uncovered at both dates.
        doc["changes"] = io::rows_json(
            rows_where(find_table(tables, "changes"), "status", {"lost", "gained", "handed_over"}));
        doc["marker_changes"] = io::rows_json(find_table(tables, "marker_changes"));
        if (timeline) {
            doc["timeline"] = io::timeline_json(find_table(tables, "timeline"));
        }
        doc["diagnostics"] = io::rows_json(find_table(tables, "diagnostics"));
        return doc;
    }

    void print_text(const Workspace& ws, const ReviewScope& scope, const Review& review,
                    const std::vector<Table>& tables) const {
        const ReviewFigures& t = review.total;
        const auto pct = [&](double km) { return t.border_km > 0 ? 100.0 * km / t.border_km : 0; };
        fmt::print("Review of {} from {} to {}{}\n", options_.shown(), review.from.iso(),
                   review.to.iso(), scope_options_.label(ws, scope));
        fmt::print("{:.3f} km of border: covered {:.3f} km ({:.2f} %) on {}, {:.3f} km ({:.2f} %) "
                   "on {}: {:+.3f} km.\n",
                   t.border_km, t.covered_from_km, pct(t.covered_from_km), review.from.iso(),
                   t.covered_to_km, pct(t.covered_to_km), review.to.iso(), t.change_km());
        fmt::print("Lost {:.3f} km, gained {:.3f} km, handed over {:.3f} km; {:.3f} km uncovered "
                   "at both dates.\n",
                   t.lost_km, t.gained_km, t.handed_over_km, t.uncovered_both_km);
        fmt::print("Markers with a custodian: {} of {} -> {} of {}. Households active: {} -> {} "
                   "({} joined, {} left). Teams active: {} -> {} ({} joined, {} left).\n",
                   t.custodied_from, t.markers_from, t.custodied_to, t.markers_to,
                   t.households_from, t.households_to, t.households_joined, t.households_left,
                   t.teams_from, t.teams_to, t.teams_joined, t.teams_left);
        const std::vector<std::string> km_columns{"covered_km_from", "covered_km_to",
                                                  "change_km",       "lost_km",
                                                  "gained_km",       "handed_over_km"};
        const auto with = [&](std::vector<std::string> head, const std::vector<std::string>& tail) {
            head.insert(head.end(), tail.begin(), tail.end());
            return head;
        };
        fmt::print("\nPer commune, largest losses first\n");
        print_table(stdout, largest_first(find_table(tables, "commune_review"), "lost_km"),
                    with({"commune_id", "name", "district"},
                         with(km_columns, {"households_joined", "households_left"})));
        fmt::print("\nPer district, largest losses first\n");
        print_table(stdout, largest_first(find_table(tables, "district_review"), "lost_km"),
                    with({"province", "district"}, km_columns));
        fmt::print("\nPer line, largest losses first\n");
        print_table(stdout, largest_first(find_table(tables, "line_review"), "lost_km"),
                    with({"line_id"}, km_columns));
        fmt::print("\nPer team, largest losses first\n");
        print_table(
            stdout, largest_first(find_table(tables, "team_review"), "lost_km"),
            with({"team_id", "name"}, with(km_columns, {"households_joined", "households_left"})),
            40);
        const Table lost = largest_first(
            rows_where(find_table(tables, "changes"), "status", {"lost"}), "length_km");
        fmt::print("\nStretches lost ({}), longest first\n", lost.rows.size());
        print_table(stdout, lost,
                    {"line_id", "from_km", "to_km", "length_km", "parties_before", "commune_id"},
                    40);
        const Table& markers = find_table(tables, "marker_changes");
        fmt::print("\nMarkers whose custody changed ({})\n", markers.rows.size());
        print_table(stdout, markers,
                    {"marker_id", "status", "custodians_before", "custodians_after", "commune_id"},
                    40);
        for (const Table& table : tables) {
            if (table.name == "timeline") {
                fmt::print("\nTimeline\n");
                print_table(stdout, rows_where(table, "scope", {"total"}),
                            {"date", "covered_km", "coverage_pct", "gaps", "households", "teams",
                             "markers", "markers_custodied"});
            }
        }
    }

    struct Results {
        Workspace ws;
        Plan plan;
        std::optional<HistorySweep> history;
    };
    Results results_;
    WorkspaceOptions options_;
    ScopeOptions scope_options_;
    std::string from_, to_, every_;
    std::string output_;
    bool json_ = false;
    bool timings_ = false;
    OutputOptions output_options_;
    io::WriteOptions& write_ = output_options_.write;
};

} // namespace

std::unique_ptr<Command> make_review_command() {
    return std::make_unique<ReviewCommand>();
}

} // namespace bordercov::cli
