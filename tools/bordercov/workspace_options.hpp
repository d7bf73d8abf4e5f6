// Options every command that reads a workspace shares.
#pragma once

#include "bordercov/date.hpp"
#include "bordercov/error.hpp"
#include "bordercov/io/postgis.hpp"
#include "bordercov/io/workspace_reader.hpp"
#include "bordercov/resolve.hpp"
#include "terminal.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <string>
#include <utility>

namespace bordercov::cli {

/// A date option, or a UsageError that says how to write one.
inline Date date_option(const char* option, const std::string& text) {
    const auto d = Date::parse(text);
    if (!d) {
        throw UsageError(
            fmt::format("{} '{}' is not a date. Write it as {}, with nothing after it.", option,
                        text, date_formats));
    }
    return *d;
}

struct WorkspaceOptions {
    std::string workspace;
    std::string as_of;
    std::string assume_srs;
    std::string schema;
    double snap_tolerance_m = ResolveOptions{}.snap_tolerance_m;
    double marker_tolerance_m = ResolveOptions{}.marker_tolerance_m;
    bool strict = false;

    /// What a command offers: every one the workspace and --assume-srs;
    /// those that resolve assignments also the date, the tolerances and
    /// --strict (info resolves nothing).
    /// resolving_undated: as resolving, without --as-of (the command has
    /// dates of its own).
    enum class Offers { reading, resolving, resolving_undated };

    void add_to(CLI::App& app, Offers offers = Offers::resolving) {
        app.add_option(
               "WORKSPACE", workspace,
               "GeoPackage, folder of GeoJSON/Shapefile/FlatGeobuf/CSV files, a .zip of "
               "either, or a PostgreSQL database (PG:\"dbname=NAME active_schema=SCHEMA\"), "
               "with the layers border_lines, markers, communes, teams, households, "
               "assignments, marker_custodians")
            ->required()
            ->type_name("PATH");
        app.add_option("--assume-srs", assume_srs,
                       "CRS of the layers that have geometry but no CRS (e.g. EPSG:3405); each is "
                       "named in a warning, layers with a CRS keep theirs")
            ->type_name("CRS");
        app.add_option("--workspace-schema", schema,
                       "Schema of a PostgreSQL workspace [default: active_schema= of WORKSPACE, "
                       "else public]")
            ->type_name("NAME");
        if (offers == Offers::reading) {
            return;
        }
        if (offers == Offers::resolving) {
            app.add_option(
                   "--as-of", as_of,
                   fmt::format("Day on which assignments and custodies must be active: signed on "
                               "or before it, and expires after it (a row is no longer active on "
                               "its expires day). Written {} [default: today]",
                               date_formats))
                ->type_name("DATE");
        }
        add_tolerances(app);
    }

    void add_tolerances(CLI::App& app) {
        app.add_option("--snap-tolerance", snap_tolerance_m,
                       "Metres a drawn assignment's vertex may stray from its line")
            ->capture_default_str()
            ->type_name("METRES")
            ->check(CLI::NonNegativeNumber);
        app.add_option("--marker-tolerance", marker_tolerance_m,
                       "Metres a marker may lie from its line")
            ->capture_default_str()
            ->type_name("METRES")
            ->check(CLI::NonNegativeNumber);
        app.add_flag("--strict", strict, "Stop with exit code 1 when the data has any error");
    }

    /// The workspace as messages and outputs name it: a database's password hidden.
    std::string shown() const { return io::shown_name(workspace); }

    io::ReadOptions read_options() const {
        io::ReadOptions r;
        r.assume_srs = assume_srs;
        r.schema = schema;
        return r;
    }

    /// With --strict and errors in the data: says so and returns true (the
    /// command then stops with exit code 1, writing nothing).
    bool stops_for_errors(const Diagnostics& diagnostics) const {
        if (!strict || !diagnostics.has_errors()) {
            return false;
        }
        print_diagnostics_summary(diagnostics);
        fmt::print(message_stream(),
                   "bordercov: the data has errors and --strict is set: nothing written.\n");
        return true;
    }

    ResolveOptions resolve_options() const {
        ResolveOptions r;
        if (!as_of.empty()) {
            r.as_of = date_option("--as-of", as_of);
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
