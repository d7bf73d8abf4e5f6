// What the report's pages are made from (report.hpp): the coverage of the
// whole workspace and of each commune, their tables as `coverage --json`
// gives them, the nearest parties, the words and number formats of the
// language; a page's scope; a section as one function; the templates.
#pragma once

#include "bordercov/coverage.hpp"
#include "bordercov/i18n.hpp"
#include "bordercov/model.hpp"
#include "bordercov/nearest.hpp"
#include "bordercov/report.hpp"
#include "bordercov/review.hpp"
#include "bordercov/table.hpp"

#include <kainjow/mustache.hpp>

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bordercov::detail {

using Data = kainjow::mustache::data;
/// Values gathered for a list: a deque, since Data's move is not noexcept
/// and a growing vector would copy every element it holds.
using Items = std::deque<Data>;

/// A template of share/report/ rendered with data, every {{value}}
/// HTML-escaped ({{{fragment}}} only for HTML made by another template).
/// Throws std::logic_error when the template is broken.
std::string render(std::string_view template_name, Data data);

/// object[key] = value, moved in (Data::set copies the whole value).
void put(Data& object, const std::string& key, Data value);
/// A mustache list of the items, moved in.
Data list(Items items);
/// A mustache boolean, for {{#flag}}.
Data flag(bool on);

/// What the report reads off the plan through time (review.hpp): the
/// commitments due for renewal after the as-of date and, with --since, the
/// review since then and the coverage at the end of each year.
struct ReportHistory {
    ReportHistory(const Workspace& ws, const Plan& plan, const ReviewScope& scope)
        : sweep(ws, plan, scope) {}
    HistorySweep sweep;
    Renewals renewals;
    /// The communes (-1: none) the stretch of each renewal touches; empty
    /// for a custody (its marker is in the commune whose coverage lists it).
    std::vector<std::vector<int>> item_communes;
    std::optional<Review> review;
    /// The review's changes that were lost, gained or handed over, by commune.
    std::map<int, std::vector<std::uint32_t>> commune_changes;
    std::optional<Timeline> timeline;
};

/// The history of the communes in scope (all the border when the report is
/// not limited): renewals within options.renewal_days, and the review and
/// yearly timeline from options.since. Throws UsageError when --since is
/// not before the as-of date.
std::unique_ptr<ReportHistory> report_history(const Workspace& ws, const Plan& plan,
                                              const std::vector<int>& communes,
                                              const ReportOptions& options);

struct ReportContext {
    const Workspace& ws;
    const Plan& plan;
    const i18n::Catalogue& cat;
    const ReportOptions& options;
    const CoverageByCommune& coverage;
    const NearestIndex& nearest;
    std::vector<int> communes;                      ///< in scope, by district then name
    std::vector<std::vector<Table>> commune_tables; ///< coverage_tables of each, parallel
    std::vector<Table> whole_tables;                ///< coverage_tables of the whole workspace
    std::map<int, std::string> commune_files;       ///< page file of each commune in scope
    std::map<std::pair<std::string, std::string>, std::string> district_files;
    /// Each commune's lon/lat box (south-west, north-east), to find the
    /// communes a map shows without looking at every vertex of every one.
    std::vector<std::pair<LonLat, LonLat>> commune_boxes;
    const ReportHistory* history = nullptr;

    // The numbers as people read them in the language.
    /// km to 1 decimal ("90,2"); a length under 50 m but not 0: "< 0,1".
    std::string km(double value) const;
    /// km to 3 decimals, a place on the border or a gap's length ("12,345").
    std::string km_exact(double value) const;
    /// Per cent to 1 decimal, rounded down: never more covered than it is.
    std::string pct(double value) const;
    std::string count(std::size_t n) const;
    std::string party_name(std::uint32_t party) const;
    /// Where the page of commune c is, "" when it has none in this report.
    std::string commune_file(int c) const;
    std::string commune_name(int c) const;
};

/// What a page shows.
struct PageScope {
    enum class Kind { province, district, commune } kind = Kind::province;
    std::string file;
    std::string title;
    std::string province;          ///< "" when the workspace names none
    std::string district;          ///< district and commune pages
    int commune = -1;              ///< commune page: index into Workspace::communes
    std::size_t slot = 0;          ///< commune page: index into ReportContext::communes
    std::vector<int> communes;     ///< the communes in it (in scope)
    Figures figures;               ///< summed over it
    std::vector<std::string> gaps; ///< district and province: the gap ids in it
    /// Before every id in its HTML ("p3-"): unique when pages share a document.
    std::string id_prefix;
};

/// A section of a page: its part of the page, made from its own template,
/// or "" when it has nothing to show there.
using Section = std::string (*)(const ReportContext&, const PageScope&);

struct NamedSection {
    const char* id;
    Section make;
};

/// The sections of each kind of page, top to bottom (report_sections.cpp).
const std::vector<NamedSection>& commune_sections();
const std::vector<NamedSection>& area_sections();

/// The sections from the plan through time (report_review.cpp): a
/// commune's commitments due for renewal; the renewals due per commune on
/// the province and district pages; with --since, the changes since then.
std::string commune_renewals(const ReportContext& ctx, const PageScope& scope);
std::string area_renewals(const ReportContext& ctx, const PageScope& scope);
std::string changes(const ReportContext& ctx, const PageScope& scope);

/// One key figure (section_figures.mustache): a big number, its unit, what
/// it is, and a note under it (itself a figure when note_field is given).
Data figure(const std::string& label, const std::string& field, const Value& value,
            const std::string& number, const std::string& unit, const std::string& note = {},
            const std::string& note_field = {}, const Value& note_value = {});
/// Sets key to text, or leaves it unset when text is empty, so that
/// {{#key}} shows nothing (an empty text is true to Mustache).
void set_text(Data& d, const std::string& key, const std::string& text);
/// Km and counts as the JSON gives them.
Value km_value(double km);
Value count_value(std::size_t n);

/// The map of a page as SVG (report_map.cpp): the commune with its border
/// and markers; a district or the province with its communes by coverage.
std::string map_svg(const ReportContext& ctx, const PageScope& scope);

/// The lon/lat box of each commune's polygons (an empty one far away for a
/// commune without).
std::vector<std::pair<LonLat, LonLat>> commune_boxes(const Workspace& ws);

/// A table cell: the text shown and, for a figure, its value as the JSON
/// gives it (data-value), so that a reader or a test can check it.
Data cell(const std::string& text, const std::string& field = {}, const Value& value = {});

/// The value of a field of a row, and as text ("" for null).
const Value& value_of(const Table& table, const Row& row, const std::string& field);
std::string text_of(const Table& table, const Row& row, const std::string& field);
double number_of(const Table& table, const Row& row, const std::string& field);
/// The JSON text of a value ("12.345", "7", the text; "" for null).
std::string json_value(const Value& value);

} // namespace bordercov::detail
