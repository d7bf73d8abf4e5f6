// Options every command that reads a workspace shares.
#pragma once

#include "bordercov/date.hpp"
#include "bordercov/error.hpp"
#include "bordercov/resolve.hpp"
#include "terminal.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <utility>
#include <string>

namespace bordercov::cli {

struct WorkspaceOptions {
    std::string workspace;
    std::string as_of;
    double snap_tolerance_m = ResolveOptions{}.snap_tolerance_m;
    double marker_tolerance_m = ResolveOptions{}.marker_tolerance_m;
    bool strict = false;

    void add_to(CLI::App& app, bool with_as_of = true) {
        app.add_option("WORKSPACE", workspace,
                       "GeoPackage, or folder of GeoJSON/Shapefile/FlatGeobuf files, with the "
                       "layers border_lines, markers, communes, teams, households, assignments, "
                       "marker_custodians")
            ->required();
        if (with_as_of) {
            app.add_option("--as-of", as_of,
                           "Date (YYYY-MM-DD) on which assignments and custodies must be active "
                           "[default: today]");
        }
        app.add_option("--snap-tolerance", snap_tolerance_m,
                       "Metres a drawn assignment's vertex may stray from its line")
            ->capture_default_str()
            ->check(CLI::NonNegativeNumber);
        app.add_option("--marker-tolerance", marker_tolerance_m,
                       "Metres a marker may lie from its line")
            ->capture_default_str()
            ->check(CLI::NonNegativeNumber);
        app.add_flag("--strict", strict, "Stop with exit code 1 when the data has any error");
    }

    /// With --strict and errors in the data: says so and returns true (the
    /// command then stops with exit code 1, writing nothing).
    bool stops_for_errors(const Diagnostics& diagnostics) const {
        if (!strict || !diagnostics.has_errors()) {
            return false;
        }
        print_diagnostics_summary(diagnostics);
        fmt::print(stderr, "bordercov: the data has errors and --strict is set: nothing written.\n");
        return true;
    }

    ResolveOptions resolve_options() const {
        ResolveOptions r;
        if (!as_of.empty()) {
            const auto d = Date::parse(as_of);
            if (!d) {
                throw UsageError("--as-of '" + as_of + "' is not a date. Write it as YYYY-MM-DD.");
            }
            r.as_of = *d;
        }
        for (const auto& [name, value] : {std::pair{"--snap-tolerance", snap_tolerance_m},
                                          std::pair{"--marker-tolerance", marker_tolerance_m}}) {
            if (!std::isfinite(value)) {
                throw UsageError(std::string(name) + " must be a number of metres, 0 or more.");
            }
        }
        r.snap_tolerance_m = snap_tolerance_m;
        r.marker_tolerance_m = marker_tolerance_m;
        return r;
    }
};

} // namespace bordercov::cli
