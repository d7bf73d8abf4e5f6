// bordercov: which stretches of the border and which markers have someone
// responsible. The one place where errors become messages and exit codes.
#include "command.hpp"

#include "bordercov/error.hpp"

#include <gdal.h>
#include <geos_c.h>
#include <proj.h>

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>

namespace bordercov::cli {

std::vector<std::unique_ptr<Command>> make_commands() {
    std::vector<std::unique_ptr<Command>> commands;
    commands.push_back(make_info_command());
    commands.push_back(make_check_command());
    commands.push_back(make_coverage_command());
    commands.push_back(make_nearest_command());
    commands.push_back(make_assign_command());
    return commands;
}

} // namespace bordercov::cli

int main(int argc, char** argv) {
    using namespace bordercov;
    CLI::App app{"bordercov: coverage of the self-management of a national land border -- which "
                 "stretches and markers have a responsible household or team, how many km have "
                 "none, per commune, district and team."};
    app.set_version_flag("--version",
                         fmt::format("bordercov {} (GDAL {}, PROJ {}.{}.{}, GEOS {})", BORDERCOV_VERSION,
                                     GDALVersionInfo("RELEASE_NAME"), PROJ_VERSION_MAJOR,
                                     PROJ_VERSION_MINOR, PROJ_VERSION_PATCH, GEOSversion()));
    app.require_subcommand(1);
    app.footer("Exit codes: 0 success, 1 the data has errors, 2 bad command line, 3 cannot read or "
               "write a file, 4 internal error.");

    auto commands = cli::make_commands();
    std::vector<std::pair<CLI::App*, cli::Command*>> subcommands;
    for (auto& c : commands) {
        CLI::App* sub = app.add_subcommand(c->name(), c->description());
        c->setup(*sub);
        subcommands.emplace_back(sub, c.get());
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
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
        fmt::print(stderr, "bordercov: {}\n", e.what());
        return static_cast<int>(e.code());
    } catch (const std::bad_alloc&) {
        fmt::print(stderr, "bordercov: out of memory. The workspace is too large for this machine.\n");
        return static_cast<int>(ExitCode::internal_error);
    } catch (const std::exception& e) {
        fmt::print(stderr, "bordercov: internal error: {}. Please report it with the command line.\n",
                   e.what());
        return static_cast<int>(ExitCode::internal_error);
    }
}
