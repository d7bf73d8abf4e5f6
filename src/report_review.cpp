// The report's sections that read the plan through time (review.hpp): the
// commitments due for renewal after the as-of date, and, with --since, what
// changed since the last review with the share of the border held at the
// end of each year. Each is a section as report_sections.cpp describes,
// from its own template in share/report/.
#include "bordercov/error.hpp"
#include "bordercov/labels.hpp"
#include "detail/report_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace bordercov::detail {

namespace {

/// The communes each assignment renewal's stretch touches, read off the
/// sweep's segments (each knows the commitments covering it).
std::vector<std::vector<int>> renewal_communes(const Plan& plan, const ReportHistory& h) {
    std::vector<int> item_of(plan.all_commitments.size(), -1);
    for (std::size_t i = 0; i < h.renewals.items.size(); ++i) {
        if (!h.renewals.items[i].marker) {
            item_of[h.renewals.items[i].index] = static_cast<int>(i);
        }
    }
    std::vector<std::vector<int>> out(h.renewals.items.size());
    for (const HistorySweep::Segment& s : h.sweep.segments()) {
        for (std::uint32_t k = s.first; k < s.first + s.count; ++k) {
            const int item = item_of[h.sweep.holders()[k]];
            if (item < 0) {
                continue;
            }
            std::vector<int>& communes = out[static_cast<std::size_t>(item)];
            if (std::find(communes.begin(), communes.end(), s.commune) == communes.end()) {
                communes.push_back(s.commune);
            }
        }
    }
    return out;
}

/// The whole workspace's report (no --commune, no --district) shows the
/// whole border, in a commune or not.
bool whole_report(const ReportOptions& options) {
    return !options.commune && !options.district;
}

} // namespace

std::unique_ptr<ReportHistory> report_history(const Workspace& ws, const Plan& plan,
                                              const std::vector<int>& communes,
                                              const ReportOptions& options) {
    if (options.since && !(*options.since < plan.as_of)) {
        throw UsageError(fmt::format("--since {} is not before the as-of date {}: give the date "
                                     "of the last review, before --as-of.",
                                     options.since->iso(), plan.as_of.iso()));
    }
    ReviewScope scope;
    if (!whole_report(options)) {
        scope.communes = communes;
    }
    auto h = std::make_unique<ReportHistory>(ws, plan, scope);
    h->renewals = compute_renewals(ws, plan, h->sweep, scope, plan.as_of,
                                   plan.as_of.plus_days(options.renewal_days));
    h->item_communes = renewal_communes(plan, *h);
    if (options.since) {
        h->review = compute_review(ws, plan, h->sweep, scope, *options.since, plan.as_of);
        for (std::uint32_t i = 0; i < h->review->changes.size(); ++i) {
            const Change& c = h->review->changes[i];
            if (c.status != ChangeStatus::kept && c.status != ChangeStatus::uncovered) {
                h->commune_changes[c.commune].push_back(i);
            }
        }
        h->timeline = compute_timeline(ws, plan, h->sweep, scope,
                                       period_ends(*options.since, plan.as_of, Period::year));
    }
    return h;
}

namespace {

/// What a renewal is of: an assignment's stretch or a custody's marker.
Data renewal_subject(const ReportContext& ctx, const Renewal& r) {
    Data d;
    if (r.marker) {
        const Custody& c = ctx.plan.all_custodies[r.index];
        const std::string& id = ctx.ws.markers[c.marker].marker_id;
        put(d, "id", cell(id, "marker_id", Value{id}));
        put(d, "what", ctx.cat.tr("custody of the marker"));
    } else {
        const Commitment& c = ctx.plan.all_commitments[r.index];
        const std::string& id = ctx.ws.assignments[c.assignment].assignment_id;
        put(d, "id", cell(id, "assignment_id", Value{id}));
        put(d, "what",
            fmt::format(fmt::runtime(ctx.cat.tr("line {}, km {} to {}")),
                        ctx.ws.lines[c.stretch.line].line_id(), ctx.km_exact(c.stretch.from_km),
                        ctx.km_exact(c.stretch.to_km)));
    }
    return d;
}

/// The party of a renewal, for a field team to reach it.
Data renewal_party(const ReportContext& ctx, std::uint32_t party) {
    const Party& p = ctx.plan.parties[party];
    Data d;
    put(d, "name", ctx.party_name(party));
    put(d, "type", party_type_title(ctx.cat, p.type));
    put(d, "id", std::string(p.party_id));
    if (p.type == PartyType::household && !p.team_id.empty()) {
        put(d, "team", fmt::format(fmt::runtime(ctx.cat.tr("team {}")), p.team_id));
    }
    set_text(d, "phone", std::string(p.phone));
    return d;
}

Data renewal_row(const ReportContext& ctx, const Renewal& r) {
    Data row = renewal_subject(ctx, r);
    put(row, "party", renewal_party(ctx, r.party));
    put(row, "expires", cell(ctx.cat.date(r.expires), "expires", Value{r.expires.iso()}));
    const auto days = static_cast<std::size_t>(r.expires.days() - ctx.plan.as_of.days());
    put(row, "days_left", cell(ctx.count(days), "days_left", count_value(days)));
    if (r.marker) {
        put(row, "at_risk",
            cell(r.at_risk > 0 ? ctx.cat.tr("left without a custodian")
                               : ctx.cat.tr("another custodian stays"),
                 "marker_left_alone", count_value(r.at_risk > 0 ? 1 : 0)));
    } else {
        put(row, "at_risk",
            cell(ctx.km_exact(r.at_risk) + " km", "km_at_risk", km_value(r.at_risk)));
    }
    return row;
}

} // namespace

std::string commune_renewals(const ReportContext& ctx, const PageScope& scope) {
    const ReportHistory& h = *ctx.history;
    std::set<std::uint32_t> markers;
    for (const MarkerState& m : ctx.coverage.communes[scope.slot].markers) {
        markers.insert(m.marker);
    }
    Items rows;
    for (std::size_t i = 0; i < h.renewals.items.size(); ++i) {
        const Renewal& r = h.renewals.items[i];
        const bool here = r.marker ? markers.count(ctx.plan.all_custodies[r.index].marker) > 0
                                   : std::find(h.item_communes[i].begin(), h.item_communes[i].end(),
                                               scope.commune) != h.item_communes[i].end();
        if (here) {
            rows.push_back(renewal_row(ctx, r));
        }
    }
    const i18n::Catalogue& cat = ctx.cat;
    const auto days = static_cast<unsigned long>(ctx.options.renewal_days);
    Data d;
    put(d, "title",
        fmt::format(fmt::runtime(cat.trn("Due for renewal within {} day, by {}",
                                         "Due for renewal within {} days, by {}", days)),
                    ctx.count(days), cat.date(h.renewals.until)));
    put(d, "intro",
        cat.tr("The assignments and custodies that expire in this time, the one that "
               "would leave the most border with no one first. Km at risk: of the "
               "stretch, what no one else holds then."));
    put(d, "none", cat.tr("No assignment or custody of the commune expires in this time."));
    put(d, "empty", flag(rows.empty()));
    put(d, "h_what", cat.tr("Assignment or custody"));
    put(d, "h_party", cat.tr("Household or team"));
    put(d, "h_expires", cat.tr("Expires"));
    put(d, "h_days", cat.tr("Days left"));
    put(d, "h_risk", cat.tr("If not renewed"));
    put(d, "w_phone", cat.tr("phone"));
    put(d, "rows", list(std::move(rows)));
    return render("section_renewals", std::move(d));
}

std::string area_renewals(const ReportContext& ctx, const PageScope& scope) {
    const Renewals& renewals = ctx.history->renewals;
    const bool province = scope.kind == PageScope::Kind::province;
    std::vector<std::pair<const RenewalTotals*, Data>> rows;
    for (const auto& [c, totals] : renewals.communes) {
        const bool in = c < 0 ? province
                              : std::find(scope.communes.begin(), scope.communes.end(), c) !=
                                    scope.communes.end();
        if (!in || totals.assignments + totals.custodies == 0) {
            continue;
        }
        Data r;
        put(r, "name", ctx.commune_name(c));
        set_text(r, "href", ctx.commune_file(c));
        put(r, "assignments",
            cell(ctx.count(totals.assignments), "assignments", count_value(totals.assignments)));
        put(r, "custodies",
            cell(ctx.count(totals.custodies), "custodies", count_value(totals.custodies)));
        put(r, "km_at_risk",
            cell(ctx.km(totals.km_at_risk), "km_at_risk", km_value(totals.km_at_risk)));
        put(r, "markers_at_risk",
            cell(ctx.count(totals.markers_at_risk), "markers_at_risk",
                 count_value(totals.markers_at_risk)));
        rows.emplace_back(&totals, std::move(r));
    }
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
        return a.first->km_at_risk > b.first->km_at_risk;
    });
    Items items;
    for (auto& row : rows) {
        items.push_back(std::move(row.second));
    }
    const i18n::Catalogue& cat = ctx.cat;
    const auto days = static_cast<unsigned long>(ctx.options.renewal_days);
    Data d;
    put(d, "title",
        fmt::format(fmt::runtime(cat.trn("Due for renewal within {} day, by commune",
                                         "Due for renewal within {} days, by commune", days)),
                    ctx.count(days)));
    put(d, "none", cat.tr("No assignment or custody expires in this time."));
    put(d, "empty", flag(items.empty()));
    put(d, "h_name", cat.tr("Commune"));
    put(d, "h_assignments", cat.tr("Assignments"));
    put(d, "h_custodies", cat.tr("Custodies"));
    put(d, "h_km", cat.tr("Km with no one if not renewed"));
    put(d, "h_markers", cat.tr("Markers left without a custodian"));
    put(d, "rows", list(std::move(items)));
    return render("section_area_renewals", std::move(d));
}

} // namespace bordercov::detail
