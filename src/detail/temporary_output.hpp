// An output written under a temporary name beside its target and put in
// place in one step when complete, so that the target is at every moment
// either absent, the old output, or the whole new one — also when the run is
// interrupted. Ctrl-C, SIGTERM and SIGHUP remove the temporary output before
// the process ends; one left by a killed process (SIGKILL, power loss) is
// removed by the next run writing the same target.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace bordercov::detail {

class TemporaryOutput {
  public:
    /// Chooses ".tmp-PID-NAME" beside target and removes any temporary
    /// output of the same target left by a process that no longer runs.
    explicit TemporaryOutput(const std::filesystem::path& target);
    /// Removes the temporary output unless it was put in place.
    ~TemporaryOutput();
    TemporaryOutput(const TemporaryOutput&) = delete;
    TemporaryOutput& operator=(const TemporaryOutput&) = delete;

    /// Where to write: a file, or a folder of files (one level deep).
    const std::filesystem::path& path() const { return path_; }

    /// Replaces the target with the temporary output in one rename (for a
    /// folder, an atomic exchange); throws std::filesystem::filesystem_error.
    void put_in_place();

    /// For a temporary folder of files whose target folder exists already:
    /// moves each file into the target, replacing a file of the same name,
    /// and removes the files named in `own` that the new output does not
    /// have (an earlier run's variant of a layer's file); every other file
    /// of the target stays as it is. Signals wait until the files are moved.
    /// Throws std::filesystem::filesystem_error.
    void move_files_into(const std::filesystem::path& folder, const std::vector<std::string>& own);

  private:
    std::filesystem::path target_;
    std::filesystem::path path_;
    int slot_ = -1; ///< where the signal handler finds path_
    bool placed_ = false;
};

} // namespace bordercov::detail
