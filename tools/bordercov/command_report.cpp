#include "command.hpp"
#include "terminal.hpp"
#include "workspace_options.hpp"

#include "bordercov/checks.hpp"
#include "bordercov/coverage.hpp"
#include "bordercov/error.hpp"
#include "bordercov/i18n.hpp"
#include "bordercov/io/report_writer.hpp"
#include "bordercov/io/workspace_reader.hpp"
#include "bordercov/report.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace bordercov::cli {

namespace {

class ReportCommand : public Command {
  public:
    const char* name() const override { return "report"; }
    const char* description() const override {
        return "A report to read and print: HTML pages for the province, each district and each "
               "commune, with maps, in Vietnamese (or English)";
    }
    void setup(CLI::App& app) override {
        options_.add_to(app);
        app.add_option("-o,--output", output_,
                       "The folder of the report's pages: index.html, a page per district and per "
                       "commune (created when absent)")
            ->required()
            ->type_name("FOLDER");
        app.add_flag("--overwrite", write_.overwrite,
                     "Replace the pages of an earlier report in the folder; every other file "
                     "stays as it is");
        app.add_option("--lang", lang_,
                       "Language of the report: vi (Vietnamese) or en (English) [default: vi]")
            ->type_name("vi|en");
        app.add_option("--commune", commune_,
                       "Only this commune (its page, its district's and the index): its id, or "
                       "its name (case and diacritics ignored)")
            ->type_name("ID_OR_NAME");
        app.add_option("--district", district_,
                       "Only the communes of this district (case and diacritics ignored)")
            ->type_name("NAME");
        app.add_option("--since", since_,
                       fmt::format("Also the changes since this date (the last review, written "
                                   "{}): km lost, gained and handed over, and the share held at "
                                   "the end of each year since",
                                   date_formats))
            ->type_name("DATE");
        app.add_flag("--timings", timings_,
                     "Print on stderr the seconds and memory (MB) of each phase");
    }

    int run() override {
        const ResolveOptions resolve_options = options_.resolve_options();
        const auto language = i18n::parse_language(lang_);
        if (!language) {
            throw UsageError(
                fmt::format("--lang '{}': give vi (Vietnamese) or en (English).", lang_));
        }
        const std::optional<Date> since =
            since_.empty() ? std::nullopt : std::optional(date_option("--since", since_));
        // Before any work: the catalogue is there and the folder can be written.
        const i18n::Catalogue catalogue = i18n::Catalogue::for_language(*language);
        write_.inputs = {options_.workspace};
        io::check_report_folder(output_, write_);
        const Progress progress = terminal_progress();
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
        ReportOptions report;
        report.source = std::filesystem::path(options_.shown()).filename().string();
        if (report.source.empty()) {
            report.source = options_.shown();
        }
        if (!commune_.empty()) {
            report.commune = find_commune(ws, commune_);
            if (!report.commune) {
                throw UsageError(fmt::format("--commune '{}': no such commune id or name in {}.",
                                             commune_, options_.shown()));
            }
        }
        if (!district_.empty()) {
            report.district = district_;
        }
        report.since = since;
        timer.phase("report pages");
        results_.pages = make_report(ws, plan, catalogue, report, progress);
        end_progress();
        timer.phase("write pages");
        const io::ReportWritten written = io::write_report(results_.pages, output_, write_);
        timer.report();
        print_diagnostics_summary(diagnostics);
        print_written(written);
        return 0;
    }

  private:
    void print_written(const io::ReportWritten& written) const {
        if (!written.replaced.empty()) {
            fmt::print(message_stream(), "Replaced {} page(s) of the earlier report.\n",
                       written.replaced.size());
        }
        fmt::print(message_stream(), "Wrote the report ({} page{}, {}) to {}: open {}.\n",
                   written.pages, written.pages == 1 ? "" : "s",
                   lang_ == "en" ? "English" : "Vietnamese", output_,
                   (std::filesystem::path(output_) / "index.html").string());
    }

    struct Results {
        Workspace ws;
        Plan plan;
        std::vector<ReportPage> pages;
    };
    Results results_;
    WorkspaceOptions options_;
    std::string output_;
    std::string lang_ = "vi";
    std::string commune_;
    std::string district_;
    std::string since_;
    bool timings_ = false;
    io::ReportWriteOptions write_;
};

} // namespace

std::unique_ptr<Command> make_report_command() {
    return std::make_unique<ReportCommand>();
}

} // namespace bordercov::cli
