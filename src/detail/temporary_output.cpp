#include "detail/temporary_output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <system_error>

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

namespace bordercov::detail {

namespace fs = std::filesystem;

namespace {

// Temporary outputs being written, where the signal handler can read them
// without allocating: a fixed table of paths, each slot free, being filled,
// or ready.
constexpr int slot_count = 8;
constexpr std::size_t max_path = 4096;
enum SlotState : int { slot_free = 0, slot_filling = 1, slot_ready = 2 };
std::array<std::array<char, max_path>, slot_count> slot_paths{};
std::array<std::atomic<int>, slot_count> slot_states{};
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs lock-free atomics");

/// Removes a file with SQLite's sidecars, or a folder of files; only calls
/// that are safe in a signal handler.
void remove_from_handler(const char* path) {
    const std::size_t n = std::strlen(path);
    if (::unlink(path) == 0) {
        char sidecar[max_path + 16];
        for (const char* suffix : {"-journal", "-wal", "-shm"}) {
            const std::size_t m = std::strlen(suffix);
            std::memcpy(sidecar, path, n);
            std::memcpy(sidecar + n, suffix, m + 1);
            ::unlink(sidecar);
        }
        return;
    }
    const int dir = ::open(path, O_RDONLY | O_DIRECTORY);
    if (dir < 0) {
        return;
    }
    // Entries removed while listing may hide others: list again until empty.
    for (int pass = 0; pass < 16; ++pass) {
        ::lseek(dir, 0, SEEK_SET);
        alignas(dirent64) char buffer[8192];
        bool removed = false;
        for (;;) {
            const ssize_t got = ::getdents64(dir, buffer, sizeof buffer);
            if (got <= 0) {
                break;
            }
            for (ssize_t at = 0; at < got;) {
                const auto* entry = reinterpret_cast<const dirent64*>(buffer + at);
                at += entry->d_reclen;
                if (std::strcmp(entry->d_name, ".") != 0 && std::strcmp(entry->d_name, "..") != 0 &&
                    ::unlinkat(dir, entry->d_name, 0) == 0) {
                    removed = true;
                }
            }
        }
        if (!removed) {
            break;
        }
    }
    ::close(dir);
    ::rmdir(path);
}

extern "C" void remove_temporary_outputs_and_end(int signal_number) {
    for (int i = 0; i < slot_count; ++i) {
        if (slot_states[static_cast<std::size_t>(i)].load() == slot_ready) {
            remove_from_handler(slot_paths[static_cast<std::size_t>(i)].data());
        }
    }
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
}

/// Once: Ctrl-C, SIGTERM and SIGHUP remove temporary outputs first (unless
/// the signal is ignored, as under nohup).
void install_handler() {
    static std::once_flag once;
    std::call_once(once, [] {
        for (const int s : {SIGINT, SIGTERM, SIGHUP}) {
            struct sigaction current {};
            if (::sigaction(s, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
                struct sigaction handler {};
                handler.sa_handler = remove_temporary_outputs_and_end;
                sigemptyset(&handler.sa_mask);
                ::sigaction(s, &handler, nullptr);
            }
        }
    });
}

int claim_slot(const fs::path& path) {
    const std::string text = path.string();
    if (text.size() >= max_path) {
        return -1; // too long to clean up on a signal; still written safely
    }
    for (int i = 0; i < slot_count; ++i) {
        int expected = slot_free;
        auto& state = slot_states[static_cast<std::size_t>(i)];
        if (state.compare_exchange_strong(expected, slot_filling)) {
            std::memcpy(slot_paths[static_cast<std::size_t>(i)].data(), text.c_str(),
                        text.size() + 1);
            state.store(slot_ready);
            return i;
        }
    }
    return -1;
}

void release_slot(int& slot) {
    if (slot >= 0) {
        slot_states[static_cast<std::size_t>(slot)].store(slot_free);
        slot = -1;
    }
}

/// Removes ".tmp-PID-NAME" beside target (and SQLite's "-journal", "-wal"
/// and "-shm" files of it) whose process no longer runs.
void remove_stale(const fs::path& folder, const std::string& name) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
        const std::string file = entry.path().filename().string();
        const std::string prefix = ".tmp-";
        if (file.rfind(prefix, 0) != 0) {
            continue;
        }
        const std::size_t dash = file.find('-', prefix.size());
        if (dash == std::string::npos || dash == prefix.size() || dash - prefix.size() > 9) {
            continue;
        }
        const std::string digits = file.substr(prefix.size(), dash - prefix.size());
        const std::string rest = file.substr(dash + 1);
        const bool ours = rest == name || rest == name + "-journal" || rest == name + "-wal" ||
                          rest == name + "-shm";
        if (!ours || digits.find_first_not_of("0123456789") != std::string::npos) {
            continue;
        }
        const auto pid = static_cast<pid_t>(std::stol(digits));
        if (pid != ::getpid() && ::kill(pid, 0) == -1 && errno == ESRCH) {
            fs::remove_all(entry.path(), ec);
        }
    }
}

} // namespace

TemporaryOutput::TemporaryOutput(const fs::path& target) : target_(target) {
    const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    const std::string name = target.filename().string();
    remove_stale(folder, name);
    path_ = target.parent_path() / fmt::format(".tmp-{}-{}", ::getpid(), name);
    std::error_code ec;
    fs::remove_all(path_, ec);
    install_handler();
    slot_ = claim_slot(path_);
}

TemporaryOutput::~TemporaryOutput() {
    if (!placed_) {
        std::error_code ec;
        fs::remove_all(path_, ec);
        for (const char* suffix : {"-journal", "-wal", "-shm"}) {
            fs::remove(path_.string() + suffix, ec);
        }
    }
    release_slot(slot_);
}

void TemporaryOutput::put_in_place() {
    std::error_code ec;
    const bool folder = fs::is_directory(path_, ec) || fs::is_directory(target_, ec);
    if (!folder || !fs::exists(target_, ec)) {
        fs::rename(path_, target_); // replaces a file in one step
        placed_ = true;
        release_slot(slot_);
        return;
    }
    // A folder cannot be renamed over another: exchange the two in one step,
    // then remove the old output, now under the temporary name.
    if (::renameat2(AT_FDCWD, path_.c_str(), AT_FDCWD, target_.c_str(), RENAME_EXCHANGE) == 0) {
        placed_ = true;
        fs::remove_all(path_, ec);
        release_slot(slot_);
        return;
    }
    if (errno != EINVAL && errno != ENOSYS) {
        throw fs::filesystem_error("cannot exchange", path_, target_,
                                   std::error_code(errno, std::generic_category()));
    }
    // A file system without the exchange: the old output goes aside first.
    const fs::path aside =
        target_.parent_path() / fmt::format(".old-{}-{}", ::getpid(), target_.filename().string());
    fs::rename(target_, aside);
    try {
        fs::rename(path_, target_);
    } catch (...) {
        fs::rename(aside, target_, ec);
        throw;
    }
    placed_ = true;
    release_slot(slot_);
    fs::remove_all(aside, ec);
}

namespace {

/// Ctrl-C, SIGTERM and SIGHUP held back while alive (delivered after).
class HeldSignals {
  public:
    HeldSignals() {
        sigset_t held;
        sigemptyset(&held);
        for (const int s : {SIGINT, SIGTERM, SIGHUP}) {
            sigaddset(&held, s);
        }
        ::pthread_sigmask(SIG_BLOCK, &held, &previous_);
    }
    ~HeldSignals() { ::pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
    HeldSignals(const HeldSignals&) = delete;
    HeldSignals& operator=(const HeldSignals&) = delete;

  private:
    sigset_t previous_{};
};

} // namespace

void TemporaryOutput::move_files_into(const fs::path& folder, const std::vector<std::string>& own) {
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(path_)) {
        files.push_back(entry.path().filename().string());
    }
    {
        const HeldSignals held;
        for (const std::string& f : files) {
            fs::rename(path_ / f, folder / f);
        }
        std::error_code ec;
        for (const std::string& f : own) {
            if (std::find(files.begin(), files.end(), f) == files.end()) {
                fs::remove(folder / f, ec);
            }
        }
        placed_ = true;
    }
    std::error_code ec;
    fs::remove_all(path_, ec);
    release_slot(slot_);
}

} // namespace bordercov::detail
