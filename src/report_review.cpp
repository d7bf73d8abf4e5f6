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
        d.set("id", cell(id, "marker_id", Value{id}));
        d.set("what", ctx.cat.tr("custody of the marker"));
    } else {
        const Commitment& c = ctx.plan.all_commitments[r.index];
        const std::string& id = ctx.ws.assignments[c.assignment].assignment_id;
        d.set("id", cell(id, "assignment_id", Value{id}));
        d.set("what", fmt::format(fmt::runtime(ctx.cat.tr("line {}, km {} to {}")),
                                  ctx.ws.lines[c.stretch.line].line_id(),
                                  ctx.km_exact(c.stretch.from_km), ctx.km_exact(c.stretch.to_km)));
    }
    return d;
}

/// The party of a renewal, for a field team to reach it.
Data renewal_party(const ReportContext& ctx, std::uint32_t party) {
    const Party& p = ctx.plan.parties[party];
    Data d;
    d.set("name", ctx.party_name(party));
    d.set("type", party_type_title(ctx.cat, p.type));
    d.set("id", std::string(p.party_id));
    if (p.type == PartyType::household && !p.team_id.empty()) {
        d.set("team", fmt::format(fmt::runtime(ctx.cat.tr("team {}")), p.team_id));
    }
    set_text(d, "phone", std::string(p.phone));
    return d;
}

Data renewal_row(const ReportContext& ctx, const Renewal& r) {
    Data row = renewal_subject(ctx, r);
    row.set("party", renewal_party(ctx, r.party));
    row.set("expires", cell(ctx.cat.date(r.expires), "expires", Value{r.expires.iso()}));
    const auto days = static_cast<std::size_t>(r.expires.days() - ctx.plan.as_of.days());
    row.set("days_left", cell(ctx.count(days), "days_left", count_value(days)));
    if (r.marker) {
        row.set("at_risk", cell(r.at_risk > 0 ? ctx.cat.tr("left without a custodian")
                                              : ctx.cat.tr("another custodian stays"),
                                "marker_left_alone", count_value(r.at_risk > 0 ? 1 : 0)));
    } else {
        row.set("at_risk",
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
    std::vector<Data> rows;
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
    d.set("title", fmt::format(fmt::runtime(cat.trn("Due for renewal within {} day, by {}",
                                                    "Due for renewal within {} days, by {}", days)),
                               ctx.count(days), cat.date(h.renewals.until)));
    d.set("intro", cat.tr("The assignments and custodies that expire in this time, the one that "
                          "would leave the most border with no one first. Km at risk: of the "
                          "stretch, what no one else holds then."));
    d.set("none", cat.tr("No assignment or custody of the commune expires in this time."));
    d.set("empty", flag(rows.empty()));
    d.set("h_what", cat.tr("Assignment or custody"));
    d.set("h_party", cat.tr("Household or team"));
    d.set("h_expires", cat.tr("Expires"));
    d.set("h_days", cat.tr("Days left"));
    d.set("h_risk", cat.tr("If not renewed"));
    d.set("w_phone", cat.tr("phone"));
    d.set("rows", list(std::move(rows)));
    return render("section_renewals", d);
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
        r.set("name", ctx.commune_name(c));
        set_text(r, "href", ctx.commune_file(c));
        r.set("assignments",
              cell(ctx.count(totals.assignments), "assignments", count_value(totals.assignments)));
        r.set("custodies",
              cell(ctx.count(totals.custodies), "custodies", count_value(totals.custodies)));
        r.set("km_at_risk",
              cell(ctx.km(totals.km_at_risk), "km_at_risk", km_value(totals.km_at_risk)));
        r.set("markers_at_risk", cell(ctx.count(totals.markers_at_risk), "markers_at_risk",
                                      count_value(totals.markers_at_risk)));
        rows.emplace_back(&totals, std::move(r));
    }
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
        return a.first->km_at_risk > b.first->km_at_risk;
    });
    std::vector<Data> items;
    for (auto& row : rows) {
        items.push_back(std::move(row.second));
    }
    const i18n::Catalogue& cat = ctx.cat;
    const auto days = static_cast<unsigned long>(ctx.options.renewal_days);
    Data d;
    d.set("title",
          fmt::format(fmt::runtime(cat.trn("Due for renewal within {} day, by commune",
                                           "Due for renewal within {} days, by commune", days)),
                      ctx.count(days)));
    d.set("none", cat.tr("No assignment or custody expires in this time."));
    d.set("empty", flag(items.empty()));
    d.set("h_name", cat.tr("Commune"));
    d.set("h_assignments", cat.tr("Assignments"));
    d.set("h_custodies", cat.tr("Custodies"));
    d.set("h_km", cat.tr("Km with no one if not renewed"));
    d.set("h_markers", cat.tr("Markers left without a custodian"));
    d.set("rows", list(std::move(items)));
    return render("section_area_renewals", d);
}

} // namespace bordercov::detail
