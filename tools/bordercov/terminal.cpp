#include "terminal.hpp"
#include "heap_pages.hpp"
#include "output_options.hpp"

#include "bordercov/text.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

namespace bordercov::cli {

namespace {

std::string cell(const Value& v) {
    return std::visit(
        [](const auto& x) -> std::string {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
                return "";
            } else if constexpr (std::is_same_v<T, std::string>) {
                return x;
            } else if constexpr (std::is_same_v<T, double>) {
                return fmt::format("{:.3f}", x);
            } else {
                return std::to_string(x);
            }
        },
        v);
}

bool drew_progress = false;

} // namespace

std::FILE* message_stream() {
    std::fflush(stdout);
    return stderr;
}

void print_table(std::FILE* out, const Table& table, const std::vector<std::string>& columns,
                 std::size_t max_rows) {
    std::vector<std::size_t> cols;
    if (columns.empty()) {
        for (std::size_t i = 0; i < table.fields.size(); ++i) {
            cols.push_back(i);
        }
    } else {
        for (const auto& c : columns) {
            cols.push_back(table.column(c));
        }
    }
    const std::size_t shown = std::min(max_rows, table.rows.size());
    std::vector<std::vector<std::string>> cells(shown + 1);
    for (const std::size_t c : cols) {
        cells[0].push_back(table.fields[c].name);
    }
    for (std::size_t r = 0; r < shown; ++r) {
        for (const std::size_t c : cols) {
            cells[r + 1].push_back(cell(table.rows[r].values[c]));
        }
    }
    std::vector<std::size_t> width(cols.size(), 0);
    for (const auto& row : cells) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            width[i] = std::max(width[i], display_width(row[i]));
        }
    }
    for (std::size_t r = 0; r < cells.size(); ++r) {
        std::string line;
        for (std::size_t i = 0; i < cols.size(); ++i) {
            const std::string& text = cells[r][i];
            const std::string pad(width[i] - display_width(text), ' ');
            const bool numeric = table.fields[cols[i]].type != FieldType::text;
            line += i ? "  " : "";
            line += numeric ? pad + text : text + (i + 1 < cols.size() ? pad : "");
        }
        fmt::print(out, "{}\n", line);
        if (r == 0) {
            std::size_t total = 0;
            for (const std::size_t w : width) {
                total += w;
            }
            fmt::print(out, "{}\n", std::string(total + 2 * (width.size() - 1), '-'));
        }
    }
    if (shown < table.rows.size()) {
        fmt::print(out, "... and {} more (all of them with --json or -o)\n",
                   table.rows.size() - shown);
    }
}

void print_diagnostics_summary(const Diagnostics& diagnostics, std::size_t max_shown) {
    const std::size_t errors = diagnostics.count(Severity::error);
    const std::size_t warnings = diagnostics.count(Severity::warning);
    if (errors + warnings == 0) {
        return;
    }
    std::FILE* err = message_stream();
    fmt::print(err, "{} error{}, {} warning{} in the data", errors, errors == 1 ? "" : "s",
               warnings, warnings == 1 ? "" : "s");
    fmt::print(err, "{}\n", errors ? " (features with errors are left out):" : ":");
    std::size_t shown = 0;
    for (const Diagnostic& d : diagnostics.items()) {
        if (shown++ == max_shown) {
            fmt::print(err, "  ... and {} more: bordercov check lists them all.\n",
                       diagnostics.items().size() - max_shown);
            break;
        }
        fmt::print(err, "  {} [{}] {}\n", to_string(d.severity), d.code, d.describe());
    }
}

Progress terminal_progress() {
    if (!isatty(STDERR_FILENO)) {
        return {};
    }
    const auto start = std::chrono::steady_clock::now();
    return [start](double fraction, const char* what) {
        if (std::chrono::steady_clock::now() - start < std::chrono::seconds(1)) {
            return;
        }
        const int filled = static_cast<int>(fraction * 30);
        fmt::print(stderr, "\r[{}{}] {:3.0f}% {:<30}",
                   std::string(static_cast<std::size_t>(filled), '#'),
                   std::string(static_cast<std::size_t>(30 - filled), ' '), fraction * 100, what);
        std::fflush(stderr);
        drew_progress = true;
    };
}

namespace {

double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

PhaseTimer::PhaseTimer(bool enabled) : enabled_(enabled) {}

namespace {

/// The process's resident memory now and at its peak so far, in MB (Linux's
/// /proc/self/statm and getrusage; 0 where the system gives neither).
std::pair<double, double> resident_mb() {
    double now = 0;
    if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
        unsigned long size = 0, resident = 0;
        if (std::fscanf(f, "%lu %lu", &size, &resident) == 2) {
            now = static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / 1e6;
        }
        std::fclose(f);
    }
    rusage usage{};
    const double peak = getrusage(RUSAGE_SELF, &usage) == 0
                            ? static_cast<double>(usage.ru_maxrss) * 1024 / 1e6
                            : 0.0;
    return {now, peak};
}

} // namespace

void PhaseTimer::phase(const char* name) {
    advise_heap_growth();
    if (!enabled_) {
        return;
    }
    const double t = now_s();
    if (current_) {
        const auto [now, peak] = resident_mb();
        phases_.push_back({current_, t - start_, now, peak});
    }
    current_ = name;
    start_ = t;
}

void PhaseTimer::report() {
    if (!enabled_) {
        return;
    }
    phase(nullptr);
    double total = 0;
    for (const Phase& p : phases_) {
        total += p.seconds;
    }
    std::FILE* err = message_stream();
    fmt::print(err, "{:<22} {:>10} {:>7} {:>10} {:>10}\n", "phase", "seconds", "share", "memory MB",
               "peak MB");
    for (const Phase& p : phases_) {
        fmt::print(err, "{:<22} {:8.3f} s {:5.1f} % {:10.0f} {:10.0f}\n", p.name, p.seconds,
                   total > 0 ? 100 * p.seconds / total : 0.0, p.resident_mb, p.peak_mb);
    }
    fmt::print(err, "{:<22} {:8.3f} s\n", "total", total);
}

void end_progress() {
    if (drew_progress) {
        fmt::print(stderr, "\r{}\r", std::string(70, ' '));
        drew_progress = false;
    }
}

} // namespace bordercov::cli

namespace bordercov::cli {

void print_written(const io::WriteReport& report, const std::string& what) {
    for (const std::string& note : report.notes) {
        fmt::print(message_stream(), "{}\n", note);
    }
    for (const std::string& warning : report.warnings) {
        fmt::print(message_stream(), "warning: {}\n", warning);
    }
    const io::OutputTarget& t = report.target;
    const std::string where =
        !t.per_layer ? t.path
        : t.single_file_stem.empty()
            ? t.folder + "/"
            : (std::filesystem::path(t.folder) / (t.single_file_stem + "." + t.extension)).string();
    std::string also;
    if (!report.replaced.empty()) {
        also += fmt::format("; replaced the earlier {}", name_list(report.replaced));
    }
    if (!report.kept.empty()) {
        also += fmt::format("; its other layers ({}) kept as they were", name_list(report.kept));
    }
    fmt::print(message_stream(), "Wrote {} to {} ({}){}.\n", what, where, t.driver, also);
}

Table largest_first(Table t, const std::string& field) {
    const std::size_t c = t.column(field);
    const auto number = [&](const Row& r) {
        if (const auto* d = std::get_if<double>(&r.values[c])) {
            return *d;
        }
        if (const auto* i = std::get_if<std::int64_t>(&r.values[c])) {
            return static_cast<double>(*i);
        }
        return 0.0;
    };
    std::stable_sort(t.rows.begin(), t.rows.end(),
                     [&](const Row& a, const Row& b) { return number(a) > number(b); });
    return t;
}

Table rows_where(const Table& table, const std::string& field,
                 const std::vector<std::string>& values) {
    Table out{table.name, table.geometry, table.fields, {}};
    const std::size_t c = table.column(field);
    for (const Row& r : table.rows) {
        const auto* s = std::get_if<std::string>(&r.values[c]);
        if (s && std::find(values.begin(), values.end(), *s) != values.end()) {
            out.rows.push_back(r);
        }
    }
    return out;
}

} // namespace bordercov::cli
