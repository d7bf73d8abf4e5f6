// What both fuzz targets do with a workspace once they have one: everything
// the commands do after reading (resolve, the coverage sweep, per commune,
// the consistency checks, nearest parties, the result tables and JSON), with
// a few invariants of the results checked on the way. A broken invariant or
// an unexpected exception aborts, which libFuzzer reports as a crash.
#pragma once

#include "bordercov/date.hpp"
#include "bordercov/diagnostic.hpp"
#include "bordercov/model.hpp"
#include "bordercov/resolve.hpp"

#include <cstddef>
#include <vector>

namespace bordercov::fuzz {

struct RunOptions {
    /// The places to ask `nearest --at` about, and how many parties.
    std::vector<LonLat> points;
    std::size_t k = 3;
    /// Check the results' invariants, which hold for workspaces the reader
    /// can produce; false: only crashes and sanitizer reports count.
    bool check_results = true;
};

void run_engine(const Workspace& ws, const ResolveOptions& options, Diagnostics& diagnostics,
                const RunOptions& run = {});

/// Prints what went wrong and aborts: the one way a fuzz target fails.
[[noreturn]] void fail(const char* what, const char* detail = "");

} // namespace bordercov::fuzz
