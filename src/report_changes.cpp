// The report's "changes" section (with --since D1): what was lost, gained
// and handed over between the last review and the as-of date, the markers
// and households that came and went, and a bar chart of the share of the
// border held at the end of each year since; on a commune's page the
// stretches that changed, on the province and district pages the communes,
// the largest losses first. The figures are those of `bordercov review
// --from D1 --to AS_OF` (review.hpp).
#include "bordercov/labels.hpp"
#include "detail/report_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace bordercov::detail {

namespace {

/// At most this many changed stretches (commune) or communes (area) listed.
constexpr std::size_t max_rows = 40;

/// The review figures of the page: its commune's, its district's or all.
ReviewFigures page_figures(const ReportContext& ctx, const PageScope& scope) {
    const Review& review = *ctx.history->review;
    if (scope.kind == PageScope::Kind::province) {
        return review.total;
    }
    for (const auto& [c, f] : review.communes) {
        if (scope.kind == PageScope::Kind::commune && c == scope.commune) {
            return f;
        }
    }
    for (const auto& [key, f] : review.districts) {
        if (scope.kind == PageScope::Kind::district && key.first == scope.province &&
            key.second == scope.district) {
            return f;
        }
    }
    return {};
}

/// The share held at each date of the timeline, over the page's border.
std::vector<TimelineFigures> page_series(const ReportContext& ctx, const PageScope& scope) {
    const Timeline& t = *ctx.history->timeline;
    if (scope.kind == PageScope::Kind::province) {
        return t.total;
    }
    std::vector<TimelineFigures> sum(t.dates.size());
    for (const auto& [c, series] : t.communes) {
        if (std::find(scope.communes.begin(), scope.communes.end(), c) == scope.communes.end()) {
            continue;
        }
        for (std::size_t i = 0; i < series.size(); ++i) {
            sum[i].border_km += series[i].border_km;
            sum[i].covered_km += series[i].covered_km;
        }
    }
    return sum;
}

std::string signed_km(const ReportContext& ctx, double km) {
    const std::string text = ctx.km(std::abs(km));
    return km > 0.0005 ? "+" + text : km < -0.0005 ? "-" + text : text;
}

Items change_figures(const ReportContext& ctx, const ReviewFigures& f) {
    const i18n::Catalogue& cat = ctx.cat;
    const Review& review = *ctx.history->review;
    const auto arrow = [&](std::size_t from, std::size_t to) {
        return fmt::format("{} → {}", ctx.count(from), ctx.count(to));
    };
    const auto pct = [&](double km) {
        return f.border_km > 0 ? ctx.pct(100.0 * km / f.border_km) + " %" : std::string{};
    };
    Items items;
    items.push_back(figure(fmt::format(fmt::runtime(cat.tr("Held on {}")), cat.date(review.from)),
                           "covered_km_from", km_value(f.covered_from_km),
                           ctx.km(f.covered_from_km), "km", pct(f.covered_from_km)));
    items.push_back(figure(fmt::format(fmt::runtime(cat.tr("Held on {}")), cat.date(review.to)),
                           "covered_km_to", km_value(f.covered_to_km), ctx.km(f.covered_to_km),
                           "km", pct(f.covered_to_km)));
    items.push_back(figure(cat.tr("Change"), "change_km", km_value(f.change_km()),
                           signed_km(ctx, f.change_km()), "km"));
    items.push_back(figure(cat.tr("Lost: held then, no one now"), "lost_km", km_value(f.lost_km),
                           ctx.km(f.lost_km), "km"));
    items.push_back(figure(cat.tr("Gained: no one then, held now"), "gained_km",
                           km_value(f.gained_km), ctx.km(f.gained_km), "km"));
    items.push_back(figure(cat.tr("Handed over to others"), "handed_over_km",
                           km_value(f.handed_over_km), ctx.km(f.handed_over_km), "km"));
    items.push_back(figure(cat.tr("Markers with a custodian"), "custodied_to",
                           count_value(f.custodied_to), arrow(f.custodied_from, f.custodied_to),
                           ""));
    items.push_back(
        figure(cat.tr("Households taking part"), "households_to", count_value(f.households_to),
               arrow(f.households_from, f.households_to), "",
               fmt::format(fmt::runtime(cat.tr("{} joined, {} left")),
                           ctx.count(f.households_joined), ctx.count(f.households_left)),
               "households_left", count_value(f.households_left)));
    return items;
}

/// The bar chart of the share held at each date, as data for the template:
/// every bar labelled with its figure and date, legible without colour.
Data chart(const ReportContext& ctx, const PageScope& scope) {
    const Timeline& t = *ctx.history->timeline;
    const std::vector<TimelineFigures> series = page_series(ctx, scope);
    const double width = 720, height = 250, left = 44, right = 8, top = 22, bottom = 58;
    const double plot_w = width - left - right, plot_h = height - top - bottom;
    const double step = plot_w / static_cast<double>(std::max<std::size_t>(series.size(), 1));
    Items bars;
    for (std::size_t i = 0; i < series.size(); ++i) {
        const double pct = std::clamp(series[i].coverage_pct(), 0.0, 100.0);
        const double h = plot_h * pct / 100.0;
        const double x = left + step * static_cast<double>(i);
        Data b;
        put(b, "x", fmt::format("{:.1f}", x + step * 0.15));
        put(b, "w", fmt::format("{:.1f}", step * 0.7));
        put(b, "y", fmt::format("{:.1f}", top + plot_h - h));
        put(b, "h", fmt::format("{:.1f}", h));
        put(b, "cx", fmt::format("{:.1f}", x + step * 0.5));
        put(b, "ty", fmt::format("{:.1f}", top + plot_h - h - 4));
        put(b, "by", fmt::format("{:.1f}", top + plot_h + 14));
        put(b, "pct", ctx.pct(pct));
        put(b, "date", ctx.cat.date(t.dates[i]));
        put(b, "iso", t.dates[i].iso());
        put(b, "value", fmt::format("{:.2f}", std::round(pct * 100.0) / 100.0));
        bars.push_back(std::move(b));
    }
    Data d;
    put(d, "width", fmt::format("{:.0f}", width));
    put(d, "height", fmt::format("{:.0f}", height));
    put(d, "left", fmt::format("{:.0f}", left));
    put(d, "right", fmt::format("{:.0f}", width - right));
    put(d, "base", fmt::format("{:.0f}", top + plot_h));
    put(d, "mid", fmt::format("{:.0f}", top + plot_h / 2));
    put(d, "top", fmt::format("{:.0f}", top));
    put(d, "tilt", flag(series.size() > 8));
    put(d, "bars", list(std::move(bars)));
    put(d, "title",
        ctx.cat.tr("Share of the border held, at the end of each year since the "
                   "last review"));
    return d;
}

std::string party_names(const ReportContext& ctx, const std::vector<std::uint32_t>& parties) {
    constexpr std::size_t most = 4;
    if (parties.empty()) {
        return "—";
    }
    std::string text;
    for (std::size_t i = 0; i < parties.size() && i < most; ++i) {
        text += (i ? ", " : "") + ctx.party_name(parties[i]);
    }
    if (parties.size() > most) {
        text += " " + fmt::format(fmt::runtime(ctx.cat.tr("and {} more")),
                                  ctx.count(parties.size() - most));
    }
    return text;
}

const char* status_message(ChangeStatus s) {
    return s == ChangeStatus::lost     ? N_("Lost")
           : s == ChangeStatus::gained ? N_("Gained")
                                       : N_("Handed over");
}

/// The commune's stretches that were lost, handed over or gained: the
/// losses first, each kind the longest first.
Items changed_stretches(const ReportContext& ctx, const PageScope& scope, std::size_t& more) {
    std::vector<const Change*> changes;
    if (const auto it = ctx.history->commune_changes.find(scope.commune);
        it != ctx.history->commune_changes.end()) {
        for (const std::uint32_t i : it->second) {
            changes.push_back(&ctx.history->review->changes[i]);
        }
    }
    const auto rank = [](ChangeStatus s) {
        return s == ChangeStatus::lost ? 0 : s == ChangeStatus::handed_over ? 1 : 2;
    };
    std::stable_sort(changes.begin(), changes.end(), [&](const Change* a, const Change* b) {
        return std::pair{rank(a->status), -a->stretch.length_km()} <
               std::pair{rank(b->status), -b->stretch.length_km()};
    });
    more = changes.size() > max_rows ? changes.size() - max_rows : 0;
    changes.resize(std::min(changes.size(), max_rows));
    Items rows;
    for (const Change* c : changes) {
        Data r;
        put(r, "status",
            cell(ctx.cat.tr(status_message(c->status)), "status",
                 Value{std::string(to_string(c->status))}));
        put(r, "line", ctx.ws.lines[c->stretch.line].line_id());
        put(r, "from_km",
            cell(ctx.km_exact(c->stretch.from_km), "from_km", km_value(c->stretch.from_km)));
        put(r, "to_km", cell(ctx.km_exact(c->stretch.to_km), "to_km", km_value(c->stretch.to_km)));
        put(r, "length_km",
            cell(ctx.km_exact(c->stretch.length_km()), "length_km",
                 km_value(c->stretch.length_km())));
        put(r, "before", party_names(ctx, c->before));
        put(r, "after", party_names(ctx, c->after));
        rows.push_back(std::move(r));
    }
    return rows;
}

/// The page's communes, the largest losses first.
Items changed_communes(const ReportContext& ctx, const PageScope& scope, std::size_t& more) {
    std::vector<std::pair<int, const ReviewFigures*>> communes;
    for (const auto& [c, f] : ctx.history->review->communes) {
        if (c >= 0 &&
            std::find(scope.communes.begin(), scope.communes.end(), c) != scope.communes.end()) {
            communes.emplace_back(c, &f);
        }
    }
    std::stable_sort(communes.begin(), communes.end(), [](const auto& a, const auto& b) {
        return a.second->lost_km > b.second->lost_km;
    });
    more = communes.size() > max_rows ? communes.size() - max_rows : 0;
    communes.resize(std::min(communes.size(), max_rows));
    Items rows;
    for (const auto& [c, f] : communes) {
        Data r;
        put(r, "name", ctx.commune_name(c));
        set_text(r, "href", ctx.commune_file(c));
        for (const auto& [field, km] :
             {std::pair{"covered_km_from", f->covered_from_km},
              std::pair{"covered_km_to", f->covered_to_km}, std::pair{"lost_km", f->lost_km},
              std::pair{"gained_km", f->gained_km},
              std::pair{"handed_over_km", f->handed_over_km}}) {
            put(r, field, cell(ctx.km(km), field, km_value(km)));
        }
        put(r, "change_km",
            cell(signed_km(ctx, f->change_km()), "change_km", km_value(f->change_km())));
        rows.push_back(std::move(r));
    }
    return rows;
}

void set_heads(const ReportContext& ctx, Data& d) {
    const i18n::Catalogue& cat = ctx.cat;
    const Review& review = *ctx.history->review;
    put(d, "h_status", cat.tr("Change"));
    put(d, "h_line", field_title(cat, "line_id"));
    put(d, "h_from", field_title(cat, "from_km"));
    put(d, "h_to", field_title(cat, "to_km"));
    put(d, "h_length", field_title(cat, "length_km"));
    put(d, "h_before", fmt::format(fmt::runtime(cat.tr("Held on {} by")), cat.date(review.from)));
    put(d, "h_after", fmt::format(fmt::runtime(cat.tr("Held on {} by")), cat.date(review.to)));
    put(d, "h_name", cat.tr("Commune"));
    put(d, "h_covered_from",
        fmt::format(fmt::runtime(cat.tr("Held on {} (km)")), cat.date(review.from)));
    put(d, "h_covered_to",
        fmt::format(fmt::runtime(cat.tr("Held on {} (km)")), cat.date(review.to)));
    put(d, "h_change", cat.tr("Change (km)"));
    put(d, "h_lost", cat.tr("Lost (km)"));
    put(d, "h_gained", cat.tr("Gained (km)"));
    put(d, "h_handed", cat.tr("Handed over (km)"));
}

} // namespace

std::string changes(const ReportContext& ctx, const PageScope& scope) {
    if (!ctx.history->review) {
        return {};
    }
    const i18n::Catalogue& cat = ctx.cat;
    const bool commune = scope.kind == PageScope::Kind::commune;
    Data d;
    put(d, "title",
        fmt::format(fmt::runtime(cat.tr("Changes since {}")), cat.date(ctx.history->review->from)));
    put(d, "figures", list(change_figures(ctx, page_figures(ctx, scope))));
    put(d, "chart", chart(ctx, scope));
    put(d, "idp", scope.id_prefix);
    std::size_t more = 0;
    if (commune) {
        Items rows = changed_stretches(ctx, scope, more);
        put(d, "stretches_title", cat.tr("Stretches that changed hands or status"));
        put(d, "none",
            cat.tr("No stretch of the commune's border was lost, gained or handed over."));
        put(d, "no_stretches", flag(rows.empty()));
        put(d, "stretches", list(std::move(rows)));
    } else {
        put(d, "communes_title", cat.tr("Communes, the largest losses first"));
        put(d, "communes", list(changed_communes(ctx, scope, more)));
    }
    if (more > 0) {
        put(d, "more",
            fmt::format(fmt::runtime(cat.tr("And {} more: bordercov review lists them all.")),
                        ctx.count(more)));
    }
    set_heads(ctx, d);
    return render("section_changes", std::move(d));
}

} // namespace bordercov::detail
