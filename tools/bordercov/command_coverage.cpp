#include "command.hpp"
#include "output_options.hpp"
#include "scope_options.hpp"
#include "terminal.hpp"
#include "workspace_options.hpp"

#include "bordercov/checks.hpp"
#include "bordercov/coverage.hpp"
#include "bordercov/i18n.hpp"
#include "bordercov/io/json_report.hpp"
#include "bordercov/io/layer_writer.hpp"
#include "bordercov/io/qgis_project.hpp"
#include "bordercov/io/workspace_reader.hpp"
#include "bordercov/nearest.hpp"
#include "bordercov/table.hpp"

#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <optional>

namespace bordercov::cli {

namespace {

class CoverageCommand : public Command {
  public:
    const char* name() const override { return "coverage"; }
    const char* description() const override {
        return "Covered, uncovered and overlapping km, gaps and marker custody, per line, "
               "commune, district and team";
    }
    void setup(CLI::App& app) override {
        options_.add_to(app);
        app.add_option(
               "-o,--output", output_,
               "Write the layers here: a file for GPKG and KML, a folder of one file per layer "
               "for GeoJSON, Shapefile, FlatGeobuf and CSV")
            ->type_name("PATH");
        output_options_.add_to(app);
        app.add_option("--t-srs", write_.target_crs,
                       "CRS of the output layers (e.g. EPSG:3405) [default: the workspace's]")
            ->type_name("CRS");
        app.add_option(
               "--qgis-project", project_,
               "Also write a QGIS project (.qgs) showing the layers of -o, styled and grouped, "
               "with paths relative to it and a print layout of one page per commune")
            ->type_name("FILE.qgs");
        app.add_flag("--no-spatial-index{false}", write_.spatial_index,
                     "Write GPKG/FlatGeobuf layers without a spatial index (much faster for "
                     "hundreds of thousands of segments; QGIS then scans instead)");
        app.add_option("--commune", commune_,
                       "Only this commune: its id, or its name (case and "
                       "diacritics ignored: \"ia pnon\")")
            ->type_name("ID_OR_NAME");
        app.add_option("--lang", lang_,
                       "Give the QGIS styles and project of -o field aliases and layer titles in "
                       "this language: vi (Vietnamese) or en (English) [default: none, the field "
                       "and layer names]")
            ->type_name("vi|en");
        app.add_flag("--json", json_, "Print the figures to stdout as one JSON document");
        app.add_flag("--timings", timings_,
                     "Print on stderr the seconds and memory (MB) of each phase");
    }

    int run() override {
        const ResolveOptions resolve_options = options_.resolve_options();
        if (!lang_.empty()) {
            const auto language = i18n::parse_language(lang_);
            if (!language) {
                throw UsageError(
                    fmt::format("--lang '{}': give vi (Vietnamese) or en (English).", lang_));
            }
            titles_ = i18n::Catalogue::for_language(*language);
            write_.titles = &*titles_;
        }
        if (!output_.empty()) {
            write_.inputs = {options_.workspace};
            io::check_output(output_, coverage_layer_names(), write_);
        }
        if (!project_.empty()) {
            io::check_qgis_project(project_, output_, write_, project_options());
        }
        const Progress progress = terminal_progress();
        PhaseTimer timer(timings_);
        timer.phase("read workspace");
        Diagnostics diagnostics;
        // The results live in the command, not on the stack: main ends the
        // process without tearing down a national workspace piece by piece.
        const Workspace& ws = results_.ws =
            io::read_workspace(options_.workspace, diagnostics, options_.read_options());
        timer.phase("resolve assignments");
        const Plan& plan = results_.plan = resolve(ws, resolve_options, diagnostics);
        check_border_in_communes(ws, diagnostics);
        if (options_.stops_for_errors(diagnostics)) {
            return 1;
        }
        // Nothing after resolve looks at the assignments as written, nor at
        // the plan through time (review's): about 80 MB of a national plan.
        std::vector<Assignment>().swap(results_.ws.assignments);
        std::vector<Commitment>().swap(results_.plan.all_commitments);
        CoverageOptions coverage_options;
        if (!commune_.empty()) {
            coverage_options.commune = commune_or_fail(ws, options_.shown(), commune_);
        }
        io::WriteReport written;
        timer.phase("coverage sweep");
        const Coverage& coverage = results_.coverage =
            compute_coverage(ws, plan, coverage_options, progress);
        const std::vector<Table>& tables = results_.tables;
        if (output_.empty()) {
            timer.phase("result tables");
            // Without layers to write, no geometry to cut and no segments to
            // list: the summaries are made, so the segments are let go before
            // the tables are (on a national plan, 600,000 of them).
            std::vector<Segment>().swap(results_.coverage.segments);
            const NearestIndex& nearest = results_.nearest.emplace(ws, plan);
            results_.tables =
                coverage_tables(ws, plan, coverage, diagnostics,
                                {.geometry = false, .segments = false, .nearest = &nearest});
        } else {
            if (progress) {
                progress(1.0, "writing layers");
            }
            timer.phase("tables and layers");
            written = write_layers(diagnostics);
            if (!project_.empty()) {
                io::write_qgis_project(project_, tables, output_, write_, project_options());
            }
        }
        end_progress();
        timer.phase("print");
        if (json_) {
            io::write_coverage_json(stdout, tables, plan.as_of, options_.shown());
        } else {
            print_text(ws, plan, coverage, tables);
        }
        timer.report();
        print_diagnostics_summary(diagnostics);
        if (!output_.empty()) {
            print_written(written, fmt::format("{} layers", tables.size()));
        }
        if (!project_.empty()) {
            fmt::print(message_stream(), "Wrote the QGIS project {}.\n", project_);
        }
        return 0;
    }

  private:
    /// The result tables made as their layers are written: the segments'
    /// rows while they are written, the other tables (the gaps with their
    /// nearest parties) on the other core meanwhile.
    io::WriteReport write_layers(const Diagnostics& diagnostics) {
        const Workspace& ws = results_.ws;
        const Plan& plan = results_.plan;
        const Coverage& coverage = results_.coverage;
        const std::vector<std::string>& names = coverage_layer_names();
        std::vector<Table>& tables = results_.tables;
        tables.assign(names.size(), Table{});
        for (std::size_t i = 0; i < names.size(); ++i) {
            tables[i].name = names[i];
        }
        tables[0] = segments_table(ws, plan, coverage, {.defer_segments = true});
        return io::write_tables(tables, output_, ws.crs_wkt, write_, [&] {
            const NearestIndex& nearest = results_.nearest.emplace(ws, plan);
            std::vector<Table> made = coverage_tables(ws, plan, coverage, diagnostics,
                                                      {.segments = false, .nearest = &nearest});
            for (std::size_t i = 1; i < made.size(); ++i) {
                tables[i] = std::move(made[i]);
            }
        });
    }

    io::ProjectOptions project_options() const {
        io::ProjectOptions options;
        options.overwrite = write_.overwrite;
        options.titles = write_.titles;
        options.as_of = results_.plan.as_of;
        options.source = std::filesystem::path(options_.shown()).filename().string();
        if (options.source.empty()) {
            options.source = options_.shown();
        }
        return options;
    }

    /// The figures in words: km, households and teams, markers.
    void print_summary(const Workspace& ws, const Plan& plan, const Coverage& coverage) const {
        const Figures& t = coverage.total;
        fmt::print(
            "Coverage of {} as of {}{}\n", options_.shown(), plan.as_of.iso(),
            coverage.communes.size() == 1 && !commune_.empty()
                ? fmt::format(
                      ", commune {}",
                      ws.communes[static_cast<std::size_t>(*find_commune(ws, commune_))].name)
                : std::string{});
        fmt::print("{:.3f} km of border: {:.3f} km covered ({:.2f} %), {:.3f} km uncovered in {} "
                   "gap(s), {:.3f} km held by more than one party.\n",
                   t.border_km, t.covered_km, t.coverage_pct(), t.uncovered_km(), t.gaps,
                   t.overlap_km);
        // Teams registered in the scope, as the commune table counts them.
        const auto scope = commune_.empty() ? std::nullopt : find_commune(ws, commune_);
        std::map<std::string, std::size_t> kinds;
        for (const Team& team : ws.teams) {
            if (!scope ||
                team.commune_id == ws.communes[static_cast<std::size_t>(*scope)].commune_id) {
                ++kinds[team.kind.empty() ? "no kind" : team.kind];
            }
        }
        std::string by_kind;
        for (const auto& [kind, n] : kinds) {
            by_kind += fmt::format("{}{} {}", by_kind.empty() ? "" : ", ", n, kind);
        }
        fmt::print("{} households, {} teams{}. In the whole workspace: {} active assignments ({} "
                   "not active on that date), {} active custodies.\n",
                   t.households, t.teams, by_kind.empty() ? "" : " (" + by_kind + ")",
                   plan.commitments.size(), plan.inactive_assignments, plan.custodies.size());
        fmt::print("{} markers, {} without a custodian{}.\n\n", t.markers, t.markers_unowned,
                   t.markers_not_built == 0
                       ? std::string{}
                       : fmt::format("; {} more not built yet on that date (not counted)",
                                     t.markers_not_built));
    }

    void print_text(const Workspace& ws, const Plan& plan, const Coverage& coverage,
                    const std::vector<Table>& tables) const {
        print_summary(ws, plan, coverage);
        const Figures& t = coverage.total;
        // The not-built column only when some marker is built after the date.
        const auto with_not_built = [&](std::vector<std::string> fields) {
            if (t.markers_not_built > 0) {
                fields.emplace_back("markers_not_built");
            }
            return fields;
        };
        fmt::print("Per line\n");
        print_table(
            stdout, find_table(tables, "line_summary"),
            with_not_built({"line_id", "length_km", "covered_km", "uncovered_km", "overlap_km",
                            "coverage_pct", "gaps", "markers", "markers_unowned"}));
        fmt::print("\nPer commune\n");
        print_table(stdout, find_table(tables, "commune_summary"),
                    with_not_built({"commune_id", "name", "district", "border_km", "covered_km",
                                    "uncovered_km", "overlap_km", "coverage_pct", "households",
                                    "teams", "markers", "markers_unowned"}));
        fmt::print("\nPer district\n");
        print_table(stdout, find_table(tables, "district_summary"),
                    with_not_built({"province", "district", "border_km", "covered_km",
                                    "uncovered_km", "overlap_km", "coverage_pct", "households",
                                    "teams", "markers", "markers_unowned"}));
        fmt::print("\nPer team (with its households)\n");
        print_table(stdout, find_table(tables, "team_summary"),
                    {"team_id", "name", "commune_id", "kind", "households", "held_km", "overlap_km",
                     "markers"},
                    60);
        const Table& gaps = find_table(tables, "gaps");
        fmt::print("\nGaps ({})\n", gaps.rows.size());
        print_table(stdout, gaps,
                    {"gap_id", "line_id", "from_km", "to_km", "length_km", "commune_id",
                     "from_marker", "to_marker", "markers_inside"},
                    40);
        Table years{"marker_years",
                    GeometryType::none,
                    {{"built", FieldType::text},
                     {"markers", FieldType::integer},
                     {"custodied", FieldType::integer},
                     {"custodian_households", FieldType::integer},
                     {"custodian_teams", FieldType::integer}},
                    {}};
        for (const MarkerYear& y : markers_by_year(ws, plan, coverage)) {
            years.rows.push_back(
                {{y.year ? std::to_string(y.year) : std::string("unknown"),
                  static_cast<std::int64_t>(y.markers), static_cast<std::int64_t>(y.custodied),
                  static_cast<std::int64_t>(y.custodian_households),
                  static_cast<std::int64_t>(y.custodian_teams)},
                 {}});
        }
        fmt::print("\nMarkers by year built\n");
        print_table(stdout, years);
        const Table unowned = rows_where(find_table(tables, "markers"), "status", {"unowned"});
        fmt::print("\nMarkers without a custodian ({})\n", unowned.rows.size());
        print_table(stdout, unowned, {"marker_id", "line_id", "chainage_km", "offset_m"}, 40);
    }

    struct Results {
        Workspace ws;
        Plan plan;
        Coverage coverage;
        std::optional<NearestIndex> nearest;
        std::vector<Table> tables;
    };
    Results results_;
    WorkspaceOptions options_;
    std::string output_;
    std::string project_;
    std::string commune_;
    std::string lang_;
    std::optional<i18n::Catalogue> titles_;
    bool json_ = false;
    bool timings_ = false;
    OutputOptions output_options_;
    io::WriteOptions& write_ = output_options_.write;
};

} // namespace

std::unique_ptr<Command> make_coverage_command() {
    return std::make_unique<CoverageCommand>();
}

} // namespace bordercov::cli
