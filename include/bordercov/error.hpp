// Failures that stop a command. Each class maps to one exit code, so scripts
// can act on the kind of failure; the message names file, layer, feature and
// field and says what to do. Problems that only drop one feature are not
// errors but Diagnostics (diagnostic.hpp).
#pragma once

#include <stdexcept>
#include <string>

namespace bordercov {

/// Exit codes of the command line (docs/cli.md, "Exit codes").
enum class ExitCode : int {
    success = 0,
    data_error = 1,  ///< the data has errors, or the command found what it reports as failure
    usage_error = 2, ///< bad command line
    io_error = 3,    ///< cannot read or write a file or datasource
    internal_error = 4,
};

class Error : public std::runtime_error {
  public:
    Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
    ExitCode code() const noexcept { return code_; }

  private:
    ExitCode code_;
};

/// The data cannot be used (no border line, a mandatory layer without CRS...).
struct DataError : Error {
    explicit DataError(const std::string& message) : Error(ExitCode::data_error, message) {}
};

/// An option or argument is wrong.
struct UsageError : Error {
    explicit UsageError(const std::string& message) : Error(ExitCode::usage_error, message) {}
};

/// A file or datasource cannot be opened, read or written.
struct IoError : Error {
    explicit IoError(const std::string& message) : Error(ExitCode::io_error, message) {}
};

} // namespace bordercov
