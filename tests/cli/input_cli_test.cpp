// The command line as a planner meets it on the first day: a mistyped command,
// a date with something after it, help in plain words, a workspace that
// cannot be used at all, a file that may not be read or is locked by another
// program, assign's summary without a file to write.
#include "fixture.hpp"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace bordercov {
namespace {

using nlohmann::json;
using test::FixtureLayer;
using test::run_bordercov;
using test::RunResult;
using test::TempDir;
using test::write_workspace;
namespace fs = std::filesystem;

std::vector<FixtureLayer> small_plan() {
    return {
        {"border_lines", {{"LINESTRING (108 13.5, 108 13.6)", {{"line_id", "L1"}}}}},
        {"households", {{"POINT (107.99 13.55)", {{"household_id", "H1"}, {"head", "Siu Blơn"}}}}},
        {"assignments",
         {{"",
           {{"assignment_id", "A1"},
            {"party_type", "household"},
            {"party_id", "H1"},
            {"line_id", "L1"},
            {"from_km", "0"},
            {"to_km", "5"},
            {"signed", "2015-01-01"}}}}},
    };
}

// --- commands and options ----------------------------------------------------------------------

TEST(CliInput, MistypedCommandSuggestsTheNearest) {
    const RunResult r = run_bordercov({"covrage", "ws.gpkg"});
    EXPECT_EQ(r.code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("Did you mean 'coverage'?"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("'covrage'"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
}

TEST(CliInput, AWordFarFromEveryCommandListsThem) {
    const RunResult r = run_bordercov({"xyzzyplugh"});
    EXPECT_EQ(r.code, 2) << r.out << r.err;
    EXPECT_EQ(r.err.find("Did you mean"), std::string::npos) << r.err;
    for (const char* command : {"info", "check", "coverage", "nearest", "assign"}) {
        EXPECT_NE(r.err.find(command), std::string::npos) << command << " not in " << r.err;
    }
}

TEST(CliInput, AsOfWithTextAfterTheDateIsRefused) {
    TempDir dir;
    const std::string ws = write_workspace(dir / "ws.gpkg", small_plan());
    const RunResult r = run_bordercov({"coverage", ws, "--as-of", "2015-12-31 garbage", "--json"});
    EXPECT_EQ(r.code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("2015-12-31 garbage"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
    // The forms the help names are all accepted.
    for (const char* date : {"2015-12-31", "2015/12/31", "31/12/2015", "31-12-2015"}) {
        const RunResult ok = run_bordercov({"coverage", ws, "--as-of", date, "--json"});
        EXPECT_EQ(ok.code, 0) << date << ": " << ok.err;
        EXPECT_NE(ok.out.find("\"as_of\": \"2015-12-31\""), std::string::npos)
            << date << ": " << ok.out;
    }
}

TEST(CliInput, HelpSaysWhichDatesAndThatExpiresIsExclusive) {
    for (const char* command : {"coverage", "check", "nearest", "assign"}) {
        const RunResult r = run_bordercov({command, "--help"});
        ASSERT_EQ(r.code, 0) << r.err;
        for (const char* text : {"YYYY-MM-DD", "DD/MM/YYYY", "expires day"}) {
            EXPECT_NE(r.out.find(text), std::string::npos)
                << command << ": '" << text << "' not in\n"
                << r.out;
        }
    }
}

TEST(CliInput, HelpIsInPlainWords) {
    for (const char* command : {"info", "check", "coverage", "nearest", "assign"}) {
        const RunResult r = run_bordercov({command, "--help"});
        ASSERT_EQ(r.code, 0) << r.err;
        // CLI11's own notation: a flag's default value, validator descriptions, type names.
        for (const char* raw :
             {"{false}", "{true}", "INT", "FLOAT", ":NONNEGATIVE", " in [", "=5"}) {
            EXPECT_EQ(r.out.find(raw), std::string::npos) << command << ": '" << raw << "' in\n"
                                                          << r.out;
        }
    }
    const RunResult coverage = run_bordercov({"coverage", "--help"});
    EXPECT_NE(coverage.out.find("--no-spatial-index "), std::string::npos) << coverage.out;
    EXPECT_NE(coverage.out.find("--snap-tolerance METRES"), std::string::npos) << coverage.out;
    const RunResult nearest = run_bordercov({"nearest", "--help"});
    EXPECT_NE(nearest.out.find("-k N"), std::string::npos) << nearest.out;
    EXPECT_NE(nearest.out.find("[default: 5]"), std::string::npos) << nearest.out;
}

TEST(CliInput, InfoOffersOnlyWhatItUses) {
    const RunResult r = run_bordercov({"info", "--help"});
    ASSERT_EQ(r.code, 0) << r.err;
    for (const char* option : {"--strict", "--snap-tolerance", "--marker-tolerance", "--as-of"}) {
        EXPECT_EQ(r.out.find(option), std::string::npos) << option << " in\n" << r.out;
    }
    EXPECT_NE(r.out.find("--assume-srs"), std::string::npos) << r.out;
    const RunResult strict = run_bordercov({"info", "ws.gpkg", "--strict"});
    EXPECT_EQ(strict.code, 2) << strict.err;
}

TEST(CliInput, AssignJsonNeedsNoOutput) {
    TempDir dir;
    const std::string ws = write_workspace(dir / "ws.gpkg", small_plan());
    const RunResult r = run_bordercov({"assign", ws, "--as-of", "2016-01-01", "--json"});
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    const json doc = json::parse(r.out);
    EXPECT_EQ(doc["as_of"], "2016-01-01");
    EXPECT_TRUE(doc.contains("summary"));
    std::vector<fs::path> left;
    for (const auto& entry : fs::directory_iterator(dir.path())) {
        left.push_back(entry.path().filename());
    }
    EXPECT_EQ(left, std::vector<fs::path>{"ws.gpkg"}) << "assign --json wrote a file";
    // Neither -o nor --json: nothing would come out of it.
    const RunResult nothing = run_bordercov({"assign", ws, "--as-of", "2016-01-01"});
    EXPECT_EQ(nothing.code, 2) << nothing.err;
    EXPECT_NE(nothing.err.find("-o"), std::string::npos) << nothing.err;
}

TEST(CliInput, AssumeSrsThatProjDoesNotKnowIsExit2) {
    TempDir dir;
    const std::string ws = write_workspace(dir / "ws.gpkg", small_plan());
    for (const char* command : {"info", "check", "coverage"}) {
        const RunResult r = run_bordercov({command, ws, "--assume-srs", "EPSG:999999"});
        EXPECT_EQ(r.code, 2) << command << ": " << r.out << r.err;
        EXPECT_NE(r.err.find("--assume-srs 'EPSG:999999': PROJ knows no such CRS"),
                  std::string::npos)
            << command << ": " << r.err;
    }
}

TEST(CliInput, AssumeSrsGivesALayerWithoutCrsItsCrs) {
    TempDir dir;
    test::FixtureOptions no_crs;
    no_crs.crs = false;
    const std::string ws = write_workspace(dir / "ws.gpkg", small_plan(), no_crs);
    const RunResult refused = run_bordercov({"check", ws});
    EXPECT_EQ(refused.code, 1) << refused.out << refused.err;
    EXPECT_NE(refused.out.find("--assume-srs"), std::string::npos) << "no way out is offered:\n"
                                                                   << refused.out;
    const RunResult r = run_bordercov({"check", ws, "--assume-srs", "EPSG:4326", "--json"});
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    const json doc = json::parse(r.out);
    std::vector<std::string> layers;
    for (const json& d : doc["diagnostics"]) {
        EXPECT_EQ(d["code"], "assumed-crs") << d.dump();
        EXPECT_EQ(d["severity"], "warning") << d.dump();
        layers.push_back(d["layer"].get<std::string>());
    }
    // The layers with geometry; assignments has none here.
    EXPECT_EQ(layers, (std::vector<std::string>{"border_lines", "households"}));
    const RunResult info = run_bordercov({"info", ws, "--assume-srs", "EPSG:4326"});
    EXPECT_EQ(info.code, 0) << info.err;
    EXPECT_NE(info.out.find("EPSG:4326 (assumed)"), std::string::npos) << info.out;
}

// --- a workspace that cannot be used -----------------------------------------------------------

TEST(CliInput, CheckOfAnEmptyFolderShowsTheErrorOnStdout) {
    TempDir dir;
    fs::create_directory(dir / "empty");
    const RunResult r = run_bordercov({"check", dir / "empty"});
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("1 error(s)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("border_lines"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("missing-layer"), std::string::npos) << r.out;
}

TEST(CliInput, CheckWithoutBorderLinesShowsTheErrorOnStdout) {
    TempDir dir;
    const std::string ws = write_workspace(
        dir / "ws.gpkg", {{"markers", {{"POINT (108 13.5)", {{"marker_id", "M1"}}}}}});
    const RunResult r = run_bordercov({"check", ws});
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    EXPECT_EQ(r.out.find("0 error(s)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("1 error(s)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("border_lines"), std::string::npos) << r.out;
}

// --- files that cannot be read -----------------------------------------------------------------

/// Runs bordercov as the user nobody (when this test runs as root, which
/// reads whatever the permission bits say), or as this user otherwise.
/// nullopt when root cannot switch user here.
std::optional<RunResult> run_unprivileged(const std::vector<std::string>& args,
                                          const TempDir& dir) {
    std::string command;
    if (::geteuid() == 0) {
        if (std::system("setpriv --version >/dev/null 2>&1") != 0) {
            return std::nullopt;
        }
        command = "setpriv --reuid=65534 --regid=65534 --clear-groups ";
    }
    command += std::string("'") + test::bordercov_binary() + "'";
    for (const auto& a : args) {
        command += " '" + a + "'";
    }
    const std::string out = dir / "run.out", err = dir / "run.err";
    command += " >'" + out + "' 2>'" + err + "'";
    const int status = std::system(command.c_str());
    RunResult r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream o(out), e(err);
    r.out.assign(std::istreambuf_iterator<char>(o), {});
    r.err.assign(std::istreambuf_iterator<char>(e), {});
    return r;
}

TEST(CliInput, AFileThatMayNotBeReadIsSaidSo) {
    TempDir dir;
    fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::others_read |
                                    fs::perms::others_exec | fs::perms::group_read |
                                    fs::perms::group_exec);
    const std::string ws = write_workspace(dir / "ws.gpkg", small_plan());
    fs::permissions(ws, fs::perms::owner_read | fs::perms::owner_write); // 0600: not for nobody
    // Can the user nobody run the binary at all (every folder on its path)?
    const auto probe = run_unprivileged({"--version"}, dir);
    if (!probe || probe->code != 0) {
        GTEST_SKIP()
            << "running as root, and the user nobody cannot run " << test::bordercov_binary()
            << " here (no setpriv, or a folder on its path is closed to others); "
               "as root the permission bits do not stop a read, so there is nothing to test";
    }
    const auto r = run_unprivileged({"check", ws}, dir);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->code, 3) << r->out << r->err;
    EXPECT_NE(r->err.find(ws), std::string::npos) << r->err;
    EXPECT_NE(r->err.find("Permission denied"), std::string::npos) << r->err;
    EXPECT_EQ(r->err.find("not a vector datasource"), std::string::npos) << r->err;
}

TEST(CliInput, AGeoPackageLockedByAnotherProgramIsSaidSo) {
    TempDir dir;
    const std::string ws = write_workspace(dir / "ws.gpkg", small_plan());
    // Another program writing to it: an exclusive SQLite lock held by this
    // process, as QGIS holds one while it saves edits.
    sqlite3* writer = nullptr;
    ASSERT_EQ(sqlite3_open(ws.c_str(), &writer), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(writer,
                           "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; "
                           "UPDATE gpkg_contents SET description = 'editing';",
                           nullptr, nullptr, nullptr),
              SQLITE_OK)
        << sqlite3_errmsg(writer);
    const RunResult r = run_bordercov({"check", ws});
    sqlite3_exec(writer, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(writer);
    EXPECT_EQ(r.code, 3) << r.out << r.err;
    EXPECT_NE(r.err.find(ws), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("locked"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("not a vector datasource"), std::string::npos) << r.err;
}

} // namespace
} // namespace bordercov
