// stdout and stderr into one file (`>log 2>&1`, as a scheduled run is
// logged): stdout going to a file is written in blocks, stderr at once, so
// unless stdout is flushed before each message, the message lands before
// the tables printed ahead of it, or inside a table row. The log must be
// exactly stdout followed by stderr of the same run with the streams apart
// (every message of these runs comes after the tables).
#include "fixture.hpp"

#include <gdal_priv.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace bordercov {
namespace {

using test::run_bordercov;
using test::RunResult;
using test::slurp;
using test::TempDir;

std::string quoted(const std::string& s) {
    std::string out = "'";
    for (const char c : s) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

/// The run's stdout and stderr in one file, in the folder; the exit code.
int run_into_one_log(const std::vector<std::string>& args, const TempDir& folder,
                     std::string& log) {
    std::string command =
        "cd " + quoted(folder.path().string()) + " && " + quoted(test::bordercov_binary());
    for (const std::string& a : args) {
        command += " " + quoted(a);
    }
    command += " >log 2>&1";
    const int status = std::system(command.c_str());
    log = slurp(folder.path() / "log");
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const std::string sample = std::string(BORDERCOV_SOURCE_DIR) + "/geodata/gia-lai.gpkg";

TEST(OneLog, TheWroteLineComesAfterTheTables) {
    const std::vector<std::string> args{"coverage",   sample, "--as-of",
                                        "2015-12-31", "-o",   "coverage.gpkg"};
    TempDir apart_folder, one_folder;
    const RunResult apart =
        run_bordercov(args, "cd " + quoted(apart_folder.path().string()) + " && ");
    ASSERT_EQ(apart.code, 0) << apart.err;
    // More than stdio's block: the old order cut a row at a block's end.
    ASSERT_GT(apart.out.size(), 8192u);
    ASSERT_EQ(apart.err, "Wrote 8 layers to coverage.gpkg (GPKG).\n");
    std::string log;
    ASSERT_EQ(run_into_one_log(args, one_folder, log), 0) << log;
    EXPECT_EQ(log, apart.out + apart.err);
}

TEST(OneLog, TheDiagnosticsComeAfterTheTables) {
    // The sample converted to FlatGeobuf: its teams and marker_custodians
    // come out empty, a warning each, and every household's team unknown.
    TempDir dir;
    const std::string folder = dir / "fgb";
    ASSERT_TRUE(test::translate_to_flatgeobuf(sample, folder));

    const std::vector<std::string> args{"coverage", folder, "--as-of", "2015-12-31"};
    const RunResult apart = run_bordercov(args);
    ASSERT_EQ(apart.code, 0) << apart.err;
    ASSERT_GT(apart.out.size(), 4096u);
    // The reader's warnings come first, before those of each household.
    EXPECT_NE(apart.err.find(" warnings in the data:\n  warning [empty-layer] " + folder +
                             "/teams.fgb, layer 'teams': "),
              std::string::npos)
        << apart.err;
    EXPECT_NE(apart.err.find("[empty-layer] " + folder + "/marker_custodians.fgb"),
              std::string::npos)
        << apart.err;
    TempDir one_folder;
    std::string log;
    ASSERT_EQ(run_into_one_log(args, one_folder, log), 0) << log;
    EXPECT_EQ(log, apart.out + apart.err);
}

} // namespace
} // namespace bordercov
