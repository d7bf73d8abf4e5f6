#include "bordercov/io/report_writer.hpp"

#include "bordercov/error.hpp"
#include "bordercov/text.hpp"
#include "detail/temporary_output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace bordercov::io {

namespace fs = std::filesystem;

namespace {

/// The mark every page carries in its head (share/report/page.mustache).
constexpr std::string_view kGenerator = "<meta name=\"generator\" content=\"bordercov\">";

fs::path absolute_normal(const fs::path& p) {
    std::error_code ec;
    const fs::path absolute = fs::absolute(p).lexically_normal();
    const fs::path a = fs::weakly_canonical(absolute, ec);
    return ec ? absolute : a;
}

/// p is q or lies inside q.
bool within(const fs::path& p, const fs::path& q) {
    const fs::path a = absolute_normal(p);
    const fs::path b = absolute_normal(q);
    const auto [end, unused] = std::mismatch(b.begin(), b.end(), a.begin(), a.end());
    return !b.empty() && end == b.end();
}

} // namespace

bool is_report_page(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    std::string head(4096, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    return head.find(kGenerator) != std::string::npos;
}

void check_report_folder(const std::string& out, const ReportWriteOptions& options) {
    const fs::path folder(out);
    std::error_code ec;
    if (folder.extension() == ".html" || folder.extension() == ".htm") {
        throw UsageError(fmt::format("-o {}: the report is a folder of pages (index.html and a "
                                     "page per district and commune). Give a folder, e.g. -o "
                                     "report/.",
                                     out));
    }
    if (fs::exists(folder, ec) && !fs::is_directory(folder, ec)) {
        throw IoError(fmt::format("{}: the report is a folder of pages, but this is a file; it is "
                                  "left as it is. Choose another -o.",
                                  out));
    }
    fs::path target = absolute_normal(folder);
    if (!target.has_filename()) {
        target = target.parent_path(); // "report/" names the folder "report"
    }
    const fs::path parent = target.parent_path();
    if (!fs::is_directory(parent, ec)) {
        throw IoError(fmt::format("{}: the folder {} does not exist. Create it, or choose another "
                                  "-o.",
                                  out, parent.string()));
    }
    for (const std::string& input : options.inputs) {
        if (input.rfind("PG:", 0) == 0 || input.rfind("/vsi", 0) == 0) {
            continue;
        }
        if (within(folder, input)) {
            throw IoError(fmt::format("{}: that would write {} the workspace {}, which is only "
                                      "ever read. Choose another -o.",
                                      out, fs::is_directory(input, ec) ? "into" : "over", input));
        }
    }
}

namespace {

/// The pages that exist in the folder already; refuses what may not be
/// replaced.
std::vector<std::string> pages_in_the_way(const std::vector<ReportPage>& pages,
                                          const fs::path& folder,
                                          const ReportWriteOptions& options) {
    std::vector<std::string> existing, foreign;
    std::error_code ec;
    for (const ReportPage& page : pages) {
        const fs::path file = folder / page.file;
        if (!fs::exists(file, ec)) {
            continue;
        }
        const bool ours = fs::is_regular_file(file, ec) && is_report_page(file.string());
        (ours ? existing : foreign).push_back(page.file);
    }
    if (!foreign.empty()) {
        throw IoError(
            fmt::format("{}: {} not a page of a bordercov report; bordercov never "
                        "replaces it, and everything is left as it is. Move it away, or "
                        "choose another -o.",
                        folder.string(),
                        foreign.size() == 1 ? foreign[0] + " is" : name_list(foreign) + " are"));
    }
    if (!existing.empty() && !options.overwrite) {
        throw IoError(fmt::format("{}: the folder holds {} of an earlier report already; every "
                                  "file is left as it is. --overwrite replaces these pages and no "
                                  "other file; or choose another -o.",
                                  folder.string(), name_list(existing)));
    }
    return existing;
}

void write_page(const ReportPage& page, const fs::path& folder, const std::string& shown) {
    std::ofstream file(folder / page.file, std::ios::binary | std::ios::trunc);
    file << page.html;
    file.close();
    if (!file) {
        throw IoError(fmt::format("{}: cannot write the page {}. Check free disk space and "
                                  "permissions.",
                                  shown, page.file));
    }
}

} // namespace

ReportWritten write_report(const std::vector<ReportPage>& pages, const std::string& out,
                           const ReportWriteOptions& options) {
    check_report_folder(out, options);
    const fs::path folder(out);
    std::error_code ec;
    const bool existed = fs::is_directory(folder, ec);
    ReportWritten written;
    written.pages = pages.size();
    if (existed) {
        written.replaced = pages_in_the_way(pages, folder, options);
    }
    try {
        // "report/" names the folder "report": the temporary one goes beside it.
        const fs::path target = folder.filename().empty() ? folder.parent_path() : folder;
        detail::TemporaryOutput output(target);
        if (!fs::create_directory(output.path(), ec)) {
            throw IoError(fmt::format("{}: cannot create a folder beside it ({}). Check that the "
                                      "folder it is in is writable.",
                                      out, ec.message()));
        }
        std::vector<std::string> own;
        for (const ReportPage& page : pages) {
            write_page(page, output.path(), out);
            own.push_back(page.file);
        }
        if (existed) {
            output.move_files_into(target, own);
        } else {
            output.put_in_place();
        }
    } catch (const fs::filesystem_error& e) {
        throw IoError(fmt::format("{}: cannot put the report in place ({}). Check free disk space "
                                  "and permissions.",
                                  out, e.code().message()));
    }
    return written;
}

} // namespace bordercov::io
