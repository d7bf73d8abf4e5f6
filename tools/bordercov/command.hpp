// One class per subcommand: setup() declares its options on the parser, run()
// does the work once they are parsed and returns the exit code. The engine
// does the geometry; a command only reads options, calls it and prints.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace bordercov::cli {

class Command {
  public:
    virtual ~Command() = default;
    virtual const char* name() const = 0;
    virtual const char* description() const = 0;
    virtual void setup(CLI::App& app) = 0;
    virtual int run() = 0;
};

/// Every command, in the order --help lists them.
std::vector<std::unique_ptr<Command>> make_commands();

std::unique_ptr<Command> make_info_command();
std::unique_ptr<Command> make_check_command();
std::unique_ptr<Command> make_coverage_command();
std::unique_ptr<Command> make_nearest_command();
std::unique_ptr<Command> make_assign_command();
std::unique_ptr<Command> make_review_command();
std::unique_ptr<Command> make_renewals_command();
std::unique_ptr<Command> make_report_command();

} // namespace bordercov::cli
