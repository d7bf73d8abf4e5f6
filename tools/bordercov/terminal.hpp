// What the command line shows a person: aligned tables on stdout, a summary
// of diagnostics and a progress bar (on a terminal only) on stderr.
#pragma once

#include "bordercov/coverage.hpp"
#include "bordercov/diagnostic.hpp"
#include "bordercov/table.hpp"

#include <cstdio>
#include <string>
#include <vector>

namespace bordercov::cli {

/// stderr, for a message, once stdout is flushed: stdout going to a file or
/// pipe is written in blocks, stderr at once, so with both in one file
/// (`>log 2>&1`) a message would otherwise land before what was printed
/// ahead of it, or in the middle of a table row. Every message, warning and
/// summary of the command line is printed through it.
std::FILE* message_stream();

/// Prints the named columns of a table (all when empty), at most max_rows rows.
void print_table(std::FILE* out, const Table& table, const std::vector<std::string>& columns = {},
                 std::size_t max_rows = SIZE_MAX);

/// A table's rows sorted by a numeric field, largest first (stable).
Table largest_first(Table t, const std::string& field);

/// The rows of a table whose text field holds one of the values.
Table rows_where(const Table& table, const std::string& field,
                 const std::vector<std::string>& values);

/// "2 errors, 1 warning" and the first diagnostics, on stderr.
void print_diagnostics_summary(const Diagnostics& diagnostics, std::size_t max_shown = 10);

/// A progress callback that draws on stderr when it is a terminal and the
/// work has taken longer than a second; silent otherwise.
Progress terminal_progress();

/// Clears the progress line, if one was drawn.
void end_progress();

/// Wall-clock time per phase of a command, printed on stderr with --timings.
class PhaseTimer {
  public:
    explicit PhaseTimer(bool enabled);
    /// Ends the running phase (if any) and starts the named one.
    void phase(const char* name);
    /// Ends the running phase and prints every phase's seconds, and the
    /// resident memory at its end and at the peak so far.
    void report();

  private:
    struct Phase {
        const char* name;
        double seconds, resident_mb, peak_mb;
    };
    bool enabled_;
    std::vector<Phase> phases_;
    double start_ = 0;
    const char* current_ = nullptr;
};

} // namespace bordercov::cli
