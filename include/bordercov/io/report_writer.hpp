// Writing the report's pages (report.hpp) into a folder, as every output of
// bordercov is written: under a temporary name beside it, put in place when
// complete (a new folder in one rename; into an existing folder page by page
// with Ctrl-C held back), never a half-written page, and never a file that
// bordercov did not write replaced: a page of an earlier report is replaced
// only with --overwrite, and a file of the same name that is no page of a
// bordercov report never.
//
// Example usage:
//   io::check_report_folder("report", {.inputs = {"ws.gpkg"}});   // before any work
//   const io::ReportWritten w = io::write_report(pages, "report", {.inputs = {"ws.gpkg"}});
#pragma once

#include "bordercov/report.hpp"

#include <string>
#include <vector>

namespace bordercov::io {

struct ReportWriteOptions {
    /// Replace the pages of an earlier report of the same names. DEFAULT: false
    bool overwrite = false;
    /// The workspace: the report may not go into it or over it.
    std::vector<std::string> inputs;
};

struct ReportWritten {
    std::vector<std::string> replaced; ///< pages of an earlier report replaced
    std::size_t pages = 0;
};

/// What can be checked before the pages are made: out is no file, its
/// parent folder exists, it is not the workspace nor inside a workspace
/// folder. Throws UsageError or IoError saying what to do.
void check_report_folder(const std::string& out, const ReportWriteOptions& options);

/// Writes the pages into the folder out (created when absent). Throws
/// IoError, leaving everything as it was, when a page would replace a file
/// without --overwrite or a file that is no page of a bordercov report.
ReportWritten write_report(const std::vector<ReportPage>& pages, const std::string& out,
                           const ReportWriteOptions& options);

/// Whether the file is a page bordercov wrote (its generator tag).
bool is_report_page(const std::string& file);

} // namespace bordercov::io
