// bordercov: which stretches of the border and which markers have someone
// responsible. The one place where errors become messages and exit codes.
#include "command.hpp"
#include "heap_pages.hpp"
#include "terminal.hpp"

#include "bordercov/error.hpp"
#include "bordercov/io/postgis.hpp"
#include "bordercov/version.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace bordercov::cli {

std::vector<std::unique_ptr<Command>> make_commands() {
    std::vector<std::unique_ptr<Command>> commands;
    commands.push_back(make_info_command());
    commands.push_back(make_check_command());
    commands.push_back(make_coverage_command());
    commands.push_back(make_nearest_command());
    commands.push_back(make_assign_command());
    commands.push_back(make_review_command());
    commands.push_back(make_renewals_command());
    commands.push_back(make_report_command());
    return commands;
}

namespace {

/// Help in plain words: an option's value named by what it is (N, NUMBER,
/// METRES, DATE), its default at the end of its description, and none of
/// CLI11's own notation (flag defaults such as "{false}", validator
/// descriptions such as "INT:INT in [1 - 100000]=5").
class PlainFormatter : public CLI::Formatter {
  public:
    std::string make_option_name(const CLI::Option* opt, bool is_positional) const override {
        const std::string name = CLI::Formatter::make_option_name(opt, is_positional);
        std::string out;
        int depth = 0;
        for (const char c : name) {
            depth += c == '{' ? 1 : 0;
            if (depth == 0) {
                out.push_back(c);
            }
            depth -= c == '}' && depth > 0 ? 1 : 0;
        }
        return out;
    }

    std::string make_option_opts(const CLI::Option* opt) const override {
        if (opt->get_type_size() == 0) {
            return {}; // a flag takes no value
        }
        std::string type = opt->get_type_name();
        type = type.substr(0, type.find(':')); // CLI11 appends its validators' descriptions
        if (type == "INT" || type == "UINT") {
            type = "N";
        } else if (type == "FLOAT") {
            type = "NUMBER";
        }
        return " " + type + (opt->get_required() ? " (required)" : "");
    }

    std::string make_option_desc(const CLI::Option* opt) const override {
        std::string description = opt->get_description();
        if (opt->get_type_size() != 0 && !opt->get_default_str().empty()) {
            description += " [default: " + opt->get_default_str() + "]";
        }
        return description;
    }
};

/// Edits (insert, delete, replace) from a to b.
std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] =
                std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

} // namespace

/// When the first argument is no command (a typo such as "covrage"): says
/// so, with the nearest command, and returns true.
bool refuse_unknown_command(int argc, char** argv,
                            const std::vector<std::unique_ptr<Command>>& commands) {
    if (argc < 2 || argv[1][0] == '-') {
        return false;
    }
    const std::string given = argv[1];
    std::string names, nearest;
    std::size_t best = SIZE_MAX;
    for (const auto& c : commands) {
        if (given == c->name()) {
            return false;
        }
        std::string folded = given;
        std::transform(folded.begin(), folded.end(), folded.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        const std::size_t d = edit_distance(folded, c->name());
        if (d < best) {
            best = d;
            nearest = c->name();
        }
        names += fmt::format("{}{}", names.empty() ? "" : ", ", c->name());
    }
    const bool close = best <= std::max<std::size_t>(2, nearest.size() / 3);
    fmt::print(message_stream(),
               "bordercov: '{}' is not a command.{} The commands are {}; see bordercov --help.\n",
               given, close ? fmt::format(" Did you mean '{}'?", nearest) : std::string{}, names);
    return true;
}

} // namespace bordercov::cli

int main(int argc, char** argv) {
    using namespace bordercov;
    cli::heap_in_huge_pages();
    CLI::App app{"bordercov: coverage of the self-management of a national land border -- which "
                 "stretches and markers have a responsible household or team, how many km have "
                 "none, per commune, district and team."};
    app.set_version_flag("--version", version_line());
    app.require_subcommand(1);
    app.footer("Exit codes: 0 success, 1 the data has errors, 2 bad command line, 3 cannot read or "
               "write a file, 4 internal error.");

    app.formatter(std::make_shared<cli::PlainFormatter>());
    auto commands = cli::make_commands();
    if (cli::refuse_unknown_command(argc, argv, commands)) {
        return static_cast<int>(ExitCode::usage_error);
    }
    std::vector<std::pair<CLI::App*, cli::Command*>> subcommands;
    for (auto& c : commands) {
        CLI::App* sub = app.add_subcommand(c->name(), c->description());
        c->setup(*sub);
        subcommands.emplace_back(sub, c.get());
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // A password given on the command line is never shown back.
        std::ostringstream out, err;
        const int code = app.exit(e, out, err);
        fmt::print("{}", io::hide_passwords(out.str()));
        fmt::print(cli::message_stream(), "{}", io::hide_passwords(err.str()));
        return code == 0 ? 0 : static_cast<int>(ExitCode::usage_error);
    }
    try {
        for (auto& [sub, command] : subcommands) {
            if (sub->parsed()) {
                const int code = command->run();
                // Every file is closed by now; what remains is memory, which
                // the system takes back at once, faster than freeing a
                // national workspace piece by piece.
                std::fflush(stdout);
                std::fflush(stderr);
                std::_Exit(code);
            }
        }
        return static_cast<int>(ExitCode::usage_error);
    } catch (const Error& e) {
        fmt::print(cli::message_stream(), "bordercov: {}\n", io::hide_passwords(e.what()));
        return static_cast<int>(e.code());
    } catch (const std::bad_alloc&) {
        fmt::print(cli::message_stream(),
                   "bordercov: out of memory. The workspace is too large for this machine.\n");
        return static_cast<int>(ExitCode::internal_error);
    } catch (const std::exception& e) {
        fmt::print(cli::message_stream(),
                   "bordercov: internal error: {}. Please report it with the command line.\n",
                   io::hide_passwords(e.what()));
        return static_cast<int>(ExitCode::internal_error);
    }
}
