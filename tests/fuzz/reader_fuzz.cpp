// libFuzzer target over the workspace reader: the fuzzer's bytes are a
// workspace, read by the real io::read_workspace and then run through the
// engine as the commands run it (run_engine.hpp). A bordercov::Error is an
// answer (a workspace it cannot use); a crash, a sanitizer report or any
// other exception is a bug.
//
// A workspace is several layers, so the bytes are one of two containers:
//  - bytes that start like an SQLite database ("SQLite format 3") are one
//    datasource, a GeoPackage (or an OGR SQLite file) holding the layers,
//    written to GDAL's /vsimem/;
//  - anything else is a folder with a file per layer: a line "@@ NAME"
//    starts the file NAME (e.g. "@@ markers.geojson", "@@ teams.csv") and the
//    lines up to the next such line are its content. What comes before the
//    first "@@" line is border_lines.geojson, so a bare GeoJSON file is a
//    workspace too. Names keep [A-Za-z0-9_.-]; files of kinds other than
//    .geojson, .json, .csv, .gpkg, .sqlite and .fgb are left out, to keep the
//    fuzzer on bordercov rather than on GDAL's other drivers.
// The reader tells a folder with std::filesystem, which cannot see /vsimem/,
// so a folder is written for real: $TMPDIR/bordercov-fuzz-PID (default
// /dev/shm, else /tmp), emptied for each input and removed at exit (or, after
// a crash, by the next run).
#include "run_engine.hpp"

#include "bordercov/error.hpp"
#include "bordercov/io/workspace_reader.hpp"

#include <cpl_conv.h>
#include <cpl_vsi.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using namespace bordercov;

fs::path folder() {
    static const fs::path path = [] {
        const char* tmp = std::getenv("TMPDIR");
        fs::path base = tmp && *tmp ? fs::path(tmp) : fs::path("/dev/shm");
        std::error_code ec;
        if (!fs::is_directory(base, ec)) {
            base = "/tmp";
        }
        return base / ("bordercov-fuzz-" + std::to_string(::getpid()));
    }();
    return path;
}

void remove_folder() {
    std::error_code ec;
    fs::remove_all(folder(), ec);
}

/// The folders of fuzzers that crashed (a crash skips the exit handlers).
void remove_stale_folders() {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder().parent_path(), ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("bordercov-fuzz-", 0) != 0) {
            continue;
        }
        const long pid = std::strtol(name.c_str() + 15, nullptr, 10);
        if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
            fs::remove_all(entry.path(), ec);
        }
    }
}

/// A file name made safe, or "" when nothing usable is left.
std::string file_name(std::string_view line) {
    std::string name;
    for (const char c : line) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '_' || c == '.' || c == '-') {
            name += c;
        }
    }
    name = name.substr(0, 48);
    const auto dot = name.rfind('.');
    if (name.empty() || name.front() == '.' || dot == std::string::npos) {
        return {};
    }
    static const char* const kinds[] = {".geojson", ".json", ".csv", ".gpkg", ".sqlite", ".fgb"};
    const std::string ext = name.substr(dot);
    for (const char* kind : kinds) {
        if (ext == kind) {
            return name;
        }
    }
    return {};
}

void write_file(const fs::path& path, std::string_view content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

/// Where the next line starting "@@ " begins, from a line start on.
std::size_t next_header(std::string_view bytes, std::size_t from) {
    for (std::size_t at = from; at < bytes.size(); ++at) {
        if (bytes.substr(at, 3) == "@@ ") {
            return at;
        }
        at = bytes.find('\n', at);
        if (at == std::string_view::npos) {
            break;
        }
    }
    return std::string_view::npos;
}

/// Writes the folder the bytes describe and returns its path.
std::string write_folder(std::string_view bytes) {
    remove_folder();
    const fs::path dir = folder();
    fs::create_directories(dir);
    std::string name = "border_lines.geojson";
    std::size_t start = 0;
    while (true) {
        const std::size_t header = next_header(bytes, start);
        const std::string_view content =
            bytes.substr(start, header == std::string_view::npos ? header : header - start);
        if (!name.empty() && (start > 0 || !content.empty())) {
            write_file(dir / name, content);
        }
        if (header == std::string_view::npos) {
            break;
        }
        const std::size_t eol = bytes.find('\n', header);
        name = file_name(
            bytes.substr(header + 3, eol == std::string_view::npos ? eol : eol - header - 3));
        if (eol == std::string_view::npos) {
            if (!name.empty()) {
                write_file(dir / name, {});
            }
            break;
        }
        start = eol + 1;
    }
    return dir.string();
}

/// A single-file datasource in /vsimem/; GDAL keeps its own copy of the bytes.
std::string write_database(std::string_view bytes) {
    // GeoPackage's application_id sits at offset 68 of the SQLite header.
    const bool gpkg =
        bytes.size() >= 72 && (bytes.substr(68, 4) == "GPKG" || bytes.substr(68, 3) == "GP1");
    const std::string path =
        "/vsimem/bordercov-fuzz-" + std::to_string(::getpid()) + (gpkg ? ".gpkg" : ".sqlite");
    VSILFILE* f = VSIFOpenL(path.c_str(), "wb");
    if (f == nullptr) {
        fuzz::fail("cannot write", path.c_str());
    }
    VSIFWriteL(bytes.data(), 1, bytes.size(), f);
    VSIFCloseL(f);
    return path;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    // No network: a GeoJSON "crs" may name a URL.
    CPLSetConfigOption("GDAL_HTTP_TIMEOUT", "1");
    CPLSetConfigOption("GDAL_HTTP_CONNECTTIMEOUT", "1");
    CPLSetConfigOption("GDAL_HTTP_MAX_RETRY", "0");
    CPLSetConfigOption("GDAL_PAM_ENABLED", "NO");
    remove_stale_folders(); // also makes folder()'s path outlive the exit handler
    std::atexit(remove_folder);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const bool database = bytes.substr(0, 15) == "SQLite format 3";
    const std::string path = database ? write_database(bytes) : write_folder(bytes);
    Diagnostics diagnostics;
    try {
        const Workspace ws = io::read_workspace(path, diagnostics);
        ResolveOptions options;
        options.as_of = *Date::from_ymd(2016, 1, 1);
        fuzz::RunOptions run;
        run.points = {{107.6, 13.9}};
        if (!ws.lines.empty() && !ws.lines.front().vertices().empty()) {
            run.points.push_back(ws.lines.front().vertices().front());
        }
        fuzz::run_engine(ws, options, diagnostics, run);
    } catch (const Error&) {
        // A workspace bordercov cannot use: an answer, not a crash.
    } catch (const std::exception& e) {
        fuzz::fail("unexpected exception:", e.what());
    }
    if (database) {
        VSIUnlink(path.c_str());
    }
    return 0;
}
