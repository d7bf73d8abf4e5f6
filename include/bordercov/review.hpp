// The plan through time: what changed between two dates (review), the
// figures at the end of each year or month (timeline), and the commitments
// about to expire (renewals). Every dated commitment and custody of the plan
// (Plan::all_commitments, ::all_custodies) is kept; each line is cut once at
// the ends of all of them and swept once (HistorySweep), and every date is
// then read off those elementary segments: a review or a ten-year timeline
// costs one sweep, not one coverage run per date. The definitions are in
// docs/method.md ("Reviews across time").
//
// Example usage:
//     Plan plan = resolve(ws, {.as_of = to}, diagnostics);
//     HistorySweep history(ws, plan, {});
//     Review review = compute_review(ws, plan, history, from, to);
//     double lost = review.total.lost_km;
#pragma once

#include "bordercov/commune_index.hpp"
#include "bordercov/date.hpp"
#include "bordercov/model.hpp"
#include "bordercov/resolve.hpp"
#include "bordercov/stretch.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bordercov {

/// The communes a review looks at (--commune, --district). DEFAULT: all
/// the border, in a commune or not.
struct ReviewScope {
    std::optional<std::vector<int>> communes; ///< indexes into Workspace::communes
    bool operator()(int commune) const;
};

/// Every line cut at the ends of every commitment of any date, at commune
/// boundaries and part joins; each elementary segment knows the commitments
/// (of any date) that cover it, so its owners on any day are a lookup.
class HistorySweep {
  public:
    struct Segment {
        Stretch stretch;
        int commune = -1;
        std::uint32_t first = 0; ///< its commitments: holders()[first, first + count)
        std::uint32_t count = 0;
    };

    HistorySweep(const Workspace& ws, const Plan& plan, const ReviewScope& scope);

    /// The segments in scope, by line then chainage.
    const std::vector<Segment>& segments() const { return segments_; }
    /// Indexes into Plan::all_commitments.
    const std::vector<std::uint32_t>& holders() const { return holders_; }
    /// Distinct parties holding segment s on day d, sorted by party id.
    std::vector<std::uint32_t> owners(const Segment& s, Date d) const;
    /// The same into a buffer (the sweeps call it for every segment).
    void owners(const Segment& s, Date d, std::vector<std::uint32_t>& out) const;
    bool covered(const Segment& s, Date d) const;
    /// Whether commitment c (index into Plan::all_commitments) holds on day d.
    bool active(std::uint32_t c, Date d) const;
    /// The commune holding a chainage of a line (-1: none).
    int commune_at(std::uint32_t line, double km) const;
    /// Whether two segments follow each other on one line.
    static bool adjacent(const Segment& a, const Segment& b);

  private:
    const Plan& plan_;
    /// Per commitment, the days it holds: [first, end).
    std::vector<std::pair<int, int>> days_;
    std::vector<Segment> segments_;
    std::vector<std::uint32_t> holders_;
    std::vector<std::vector<CommunePiece>> pieces_;
};

/// What happened to a stretch between the two dates.
enum class ChangeStatus {
    kept,        ///< held at both dates, some party at both
    handed_over, ///< held at both dates, no party in common
    lost,        ///< held at the first date, by no one at the second
    gained,      ///< held by no one at the first date, held at the second
    uncovered    ///< held by no one at either date
};
const char* to_string(ChangeStatus s);

/// A maximal stretch of one status in one commune.
struct Change {
    Stretch stretch;
    int commune = -1;
    ChangeStatus status = ChangeStatus::uncovered;
    /// Every party holding some of it at each date, sorted by id.
    std::vector<std::uint32_t> before, after;
};

enum class MarkerChangeStatus {
    gained,             ///< no custodian at the first date, one or more at the second
    lost,               ///< custodians at the first date, none at the second
    changed_hands,      ///< custodians at both dates, none in common
    custodians_changed, ///< custodians at both dates, some in common, not the same
    built_unowned       ///< built since the first date, no custodian at the second
};
const char* to_string(MarkerChangeStatus s);

struct MarkerChange {
    std::uint32_t marker = 0;
    int commune = -1;
    MarkerChangeStatus status = MarkerChangeStatus::gained;
    bool built_since = false; ///< the marker did not exist yet at the first date
    std::vector<std::uint32_t> before, after;
};

/// Figures for one part of the border at the two dates.
struct ReviewFigures {
    double border_km = 0;
    double covered_from_km = 0, covered_to_km = 0;
    double lost_km = 0, gained_km = 0, handed_over_km = 0, uncovered_both_km = 0;
    std::size_t markers_from = 0, markers_to = 0; ///< markers that exist on each date
    std::size_t custodied_from = 0, custodied_to = 0;
    std::size_t households_from = 0, households_to = 0, households_joined = 0, households_left = 0;
    std::size_t teams_from = 0, teams_to = 0, teams_joined = 0, teams_left = 0;
    double change_km() const { return covered_to_km - covered_from_km; }
};

struct Review {
    Date from, to;
    std::vector<Change> changes;                         ///< by line, then chainage
    std::vector<MarkerChange> marker_changes;            ///< by line, then chainage
    std::vector<ReviewFigures> lines;                    ///< per Workspace::lines
    std::vector<std::pair<int, ReviewFigures>> communes; ///< commune (-1: none), figures
    /// (province, district), figures: a district is named within its province.
    std::vector<std::pair<std::pair<std::string, std::string>, ReviewFigures>> districts;
    /// Team (index into Workspace::teams), figures over the border it or its
    /// households held at either date.
    std::vector<std::pair<std::uint32_t, ReviewFigures>> teams;
    ReviewFigures total;
};

Review compute_review(const Workspace& ws, const Plan& plan, const HistorySweep& history,
                      const ReviewScope& scope, Date from, Date to);

/// The figures at one date of a timeline.
struct TimelineFigures {
    double border_km = 0;
    double covered_km = 0;
    std::size_t gaps = 0;
    std::size_t households = 0; ///< households holding a stretch or a marker that day
    std::size_t teams = 0;      ///< teams active that day (themselves or a household)
    std::size_t markers = 0;    ///< markers that exist that day
    std::size_t markers_custodied = 0;
    double coverage_pct() const { return border_km > 0 ? 100.0 * covered_km / border_km : 0.0; }
};

struct Timeline {
    std::vector<Date> dates;
    std::vector<TimelineFigures> total; ///< per date
    /// commune (-1: none), figures per date.
    std::vector<std::pair<int, std::vector<TimelineFigures>>> communes;
};

enum class Period { year, month };

/// from, then from plus 1, 2, ... years (or months) while before `to`, then
/// `to`. A day past the end of a month (31 January plus one month) becomes
/// the month's last day.
std::vector<Date> period_ends(Date from, Date to, Period every);

Timeline compute_timeline(const Workspace& ws, const Plan& plan, const HistorySweep& history,
                          const ReviewScope& scope, const std::vector<Date>& dates);

/// A commitment or a custody that ends within the window.
struct Renewal {
    bool marker = false;     ///< a custody (else an assignment)
    std::uint32_t index = 0; ///< into Plan::all_custodies or ::all_commitments
    std::uint32_t party = 0;
    Date expires;
    /// Km of its stretch held by no one at the end of the window if it is not
    /// renewed; for a custody, 1 when the marker is then left with no custodian.
    double at_risk = 0;
};

/// A stretch covered on the as-of date that no one holds at the end of the
/// window unless someone renews.
struct StretchAtRisk {
    Stretch stretch;
    int commune = -1;
    std::vector<std::uint32_t> parties; ///< holders on the as-of date, sorted by id
    Date first_expiry;                  ///< the earliest expiry among their commitments there
};

struct RenewalTotals {
    std::size_t assignments = 0, custodies = 0;
    double km_at_risk = 0;
    std::size_t markers_at_risk = 0;
};

struct Renewals {
    Date as_of, until;          ///< the window: expiring after as_of, on or before until
    std::vector<Renewal> items; ///< by km at risk, largest first, then by expiry
    std::vector<StretchAtRisk> stretches;
    std::vector<std::pair<int, RenewalTotals>> communes;
    std::vector<std::pair<std::uint32_t, RenewalTotals>> teams;
    RenewalTotals total;
};

Renewals compute_renewals(const Workspace& ws, const Plan& plan, const HistorySweep& history,
                          const ReviewScope& scope, Date as_of, Date until);

} // namespace bordercov
