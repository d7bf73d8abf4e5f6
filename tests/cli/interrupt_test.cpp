// Nothing lost when a run is cut short: `coverage -o` is killed (SIGKILL,
// SIGTERM, Ctrl-C) at many moments of its run, also while it writes. After
// each kill the output is either absent, the old output, or the whole new
// one -- never a part -- and only SIGKILL may leave a temporary file, which
// the next run removes.
#include "fixture.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace bordercov::test;
using Clock = std::chrono::steady_clock;

namespace {

/// Feature count per layer, or nullopt when GDAL cannot open it all.
using Counts = std::map<std::string, long long>;

std::optional<Counts> layer_counts(const fs::path& path) {
    GDALAllRegister();
    Counts counts;
    const auto add = [&counts](const std::string& file) {
        std::unique_ptr<GDALDataset> ds(GDALDataset::Open(
            file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
        if (!ds) {
            return false;
        }
        for (OGRLayer* layer : ds->GetLayers()) {
            long long n = 0;
            layer->ResetReading();
            while (OGRFeatureUniquePtr f{layer->GetNextFeature()}) {
                ++n;
            }
            counts[layer->GetName()] = n;
        }
        return true;
    };
    if (fs::is_directory(path)) {
        for (const auto& entry : fs::directory_iterator(path)) {
            if (entry.path().extension() == ".geojson" && !add(entry.path().string())) {
                return std::nullopt;
            }
        }
    } else if (!add(path.string())) {
        return std::nullopt;
    }
    return counts;
}

std::vector<fs::path> temporaries(const fs::path& folder) {
    std::vector<fs::path> found;
    for (const auto& entry : fs::directory_iterator(folder)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(".tmp-", 0) == 0 || name.rfind(".old-", 0) == 0) {
            found.push_back(entry.path());
        }
    }
    return found;
}

/// bordercov started in the background, its output thrown away.
pid_t start(const std::vector<std::string>& args) {
    const pid_t pid = fork();
    if (pid == 0) {
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, 1);
        ::dup2(null, 2);
        std::vector<char*> argv{const_cast<char*>(bordercov_binary())};
        for (const auto& a : args) {
            argv.push_back(const_cast<char*>(a.c_str()));
        }
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        std::_Exit(127);
    }
    return pid;
}

/// The wait status of pid.
int finish(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return status;
}

class Interrupt : public ::testing::Test {
  protected:
    // One workspace for all: big enough that writing takes a while.
    static void SetUpTestSuite() {
        dir_ = new TempDir;
        workspace_ = *dir_ / "ws.gpkg";
        const std::string generate =
            std::string(BORDERCOV_SOURCE_DIR) + "/tools/gen-synthetic '" + workspace_ +
            "' --km 300 --households 12000 --markers 300 --communes 60 --custodians 600"
            " --team-assignments 100 --drawn 30 >/dev/null";
        ASSERT_EQ(std::system(generate.c_str()), 0) << generate;
        for (const char* driver : {"GPKG", "GeoJSON"}) {
            const std::string out =
                *dir_ / (driver == std::string("GPKG") ? "reference.gpkg" : "reference");
            const auto begin = Clock::now();
            ASSERT_EQ(finish(start({"coverage", workspace_, "-o", out, "-f", driver})), 0);
            runtime_[driver] = Clock::now() - begin;
            const auto counts = layer_counts(out);
            ASSERT_TRUE(counts && counts->count("segments") && counts->at("segments") > 1000)
                << out;
            reference_[driver] = *counts;
        }
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }

    /// Kills a run writing to out (driver) at these fractions of its usual
    /// run time, and right as it starts writing; checks out after each.
    void kill_at_moments(int signal_number, const std::string& driver, bool old_output) {
        TempDir work;
        const fs::path out = work.path() / (driver == "GPKG" ? "out.gpkg" : "out");
        const Counts& reference = reference_[driver];
        if (old_output) {
            ASSERT_EQ(finish(start({"coverage", workspace_, "-o", out.string(), "-f", driver})), 0);
        }
        int killed_while_writing = 0;
        const std::vector<double> moments{-1, 0.2, 0.5, 0.8};
        for (const double moment : moments) {
            std::vector<std::string> args{"coverage", workspace_, "-o", out.string(), "-f", driver};
            if (old_output) {
                args.emplace_back("--overwrite");
            }
            const auto begin = Clock::now();
            const pid_t pid = start(args);
            const fs::path temporary =
                work.path() / (".tmp-" + std::to_string(pid) + "-" + out.filename().string());
            // Writing has begun when the temporary output (or, were it written
            // in place, the output itself) appears.
            const auto began_writing = [&] {
                return fs::exists(temporary) || (!old_output && fs::exists(out));
            };
            if (moment < 0) { // as soon as writing begins
                while (!began_writing() && Clock::now() - begin < std::chrono::seconds(60) &&
                       ::waitpid(pid, nullptr, WNOHANG) == 0) {
                    std::this_thread::sleep_for(std::chrono::microseconds(200));
                }
            } else {
                std::this_thread::sleep_until(
                    begin + std::chrono::duration_cast<Clock::duration>(runtime_[driver] * moment));
            }
            const bool writing = began_writing();
            ::kill(pid, signal_number);
            const int status = finish(pid);
            killed_while_writing += writing && WIFSIGNALED(status);
            SCOPED_TRACE("killed at " + std::to_string(moment) +
                         " of the run, while writing: " + std::to_string(writing));

            if (fs::exists(out)) {
                const auto counts = layer_counts(out);
                ASSERT_TRUE(counts) << out << " exists but does not open";
                EXPECT_EQ(*counts, reference) << out << " is not a whole output";
            } else {
                EXPECT_FALSE(old_output) << "the old output is gone";
            }
            if (signal_number != SIGKILL) {
                EXPECT_TRUE(temporaries(work.path()).empty())
                    << "a temporary output is left behind";
            }
        }
        EXPECT_GE(killed_while_writing, 1) << "no kill came while the output was being written";

        // The next run removes what a killed one left, and writes the whole output.
        ASSERT_EQ(finish(start(
                      {"coverage", workspace_, "-o", out.string(), "-f", driver, "--overwrite"})),
                  0);
        EXPECT_TRUE(temporaries(work.path()).empty());
        EXPECT_EQ(layer_counts(out), reference);
    }

    static TempDir* dir_;
    static std::string workspace_;
    static std::map<std::string, Clock::duration> runtime_;
    static std::map<std::string, Counts> reference_;
};

TempDir* Interrupt::dir_ = nullptr;
std::string Interrupt::workspace_;
std::map<std::string, Clock::duration> Interrupt::runtime_;
std::map<std::string, Counts> Interrupt::reference_;

} // namespace

TEST_F(Interrupt, SigkillLeavesNoPartialGeoPackage) {
    kill_at_moments(SIGKILL, "GPKG", false);
}
TEST_F(Interrupt, SigtermLeavesNoPartialGeoPackageNorTemporary) {
    kill_at_moments(SIGTERM, "GPKG", false);
}
TEST_F(Interrupt, CtrlCKeepsTheOldGeoPackageOrTheWholeNewOne) {
    kill_at_moments(SIGINT, "GPKG", true);
}
TEST_F(Interrupt, SigkillKeepsTheOldGeoJsonFolderOrTheWholeNewOne) {
    kill_at_moments(SIGKILL, "GeoJSON", true);
}
TEST_F(Interrupt, SigtermLeavesNoPartialGeoJsonFolder) {
    kill_at_moments(SIGTERM, "GeoJSON", false);
}
