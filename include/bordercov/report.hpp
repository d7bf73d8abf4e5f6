// The report officials read: HTML pages for the province (the index), each
// district and each commune, linked, each one file with its styles and its
// map (SVG) inside, opened without any network and printed on A4. Every
// figure is the one `coverage --json` gives (the commune pages the one of
// `coverage --commune`), every word from the message catalogue (i18n.hpp),
// every page made from the templates of share/report/ with every value
// HTML-escaped. A page is a list of sections, each one function
// (src/report_sections.cpp says where a new one goes).
//
// Example usage:
//     const auto vi = i18n::Catalogue::for_language(i18n::Language::vi);
//     const std::vector<ReportPage> pages =
//         make_report(ws, plan, vi, {.source = "gia-lai.gpkg"});
//     io::write_report(pages, "report", {});   // io/report_writer.hpp
#pragma once

#include "bordercov/coverage.hpp"
#include "bordercov/date.hpp"
#include "bordercov/i18n.hpp"
#include "bordercov/model.hpp"
#include "bordercov/resolve.hpp"

#include <optional>
#include <string>
#include <vector>

namespace bordercov {

struct ReportOptions {
    /// The data source named on every page (the workspace as given).
    std::string source;
    /// Only this commune (index into Workspace::communes): its page, its
    /// district's and the index. DEFAULT: every commune
    std::optional<int> commune;
    /// Only the communes of this district (as the communes layer names it).
    /// DEFAULT: every district
    std::optional<std::string> district;
    /// Also the changes since this date (the last review): what was lost
    /// and gained, per commune and in all, and the share of the border held
    /// at the end of each year since. Must be before the as-of date.
    /// DEFAULT: none
    std::optional<Date> since;
    /// A commune's page lists the commitments that expire in this many
    /// days after the as-of date. DEFAULT: 90
    int renewal_days = 90;
    /// Parties listed for each gap and each unowned marker, nearest first. DEFAULT: 3
    std::size_t candidates = 3;
    /// Also write print.html, every page one after the other (each starting
    /// a new sheet), to print the whole report at once, when it has at most
    /// this many communes (a national book would be too large to open).
    /// DEFAULT: 150
    std::size_t book_communes = 150;
};

/// One page of the report: its file name in the report's folder and its HTML.
struct ReportPage {
    std::string file;
    std::string title;
    std::string html;
};

/// The pages: index.html (the province) first, then each district's and
/// each commune's page, then print.html (see book_communes). Throws
/// UsageError when --district names none.
std::vector<ReportPage> make_report(const Workspace& ws, const Plan& plan,
                                    const i18n::Catalogue& catalogue, const ReportOptions& options,
                                    const Progress& progress = {});

/// The file name of a page: "index.html"; "district-duc-co.html" (the name
/// without diacritics, lower case, "-" between words); "commune-IaPnon.html"
/// (the id, other characters than ASCII letters, digits, "-" and "_" as "-").
std::string page_file_name(std::string_view kind, std::string_view name);

} // namespace bordercov
