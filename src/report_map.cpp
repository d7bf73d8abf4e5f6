// The report's maps, drawn as SVG from the geometry (share/report/map.mustache):
// a commune with its border by who holds it, its gaps labelled and its
// markers by custody; a district or the province with its communes shaded
// by coverage and labelled with the percentage, so the map reads in black
// and white too. The frame is map_frame.hpp's.
#include "bordercov/labels.hpp"
#include "bordercov/map_frame.hpp"
#include "detail/report_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>

namespace bordercov::detail {

namespace {

constexpr double kWidth = 1000;     // SVG units; the page scales it to its width
constexpr double kMaxHeight = 640;  // a commune map leaves room for its figures on A4
constexpr double kAreaHeight = 760; // an overview map
constexpr double kMargin = 28;

std::string fixed(double v) {
    return fmt::format("{:.1f}", v);
}

/// Runs of segments of one status along one line, as [from, to] km.
struct Run {
    std::uint32_t line = 0;
    double from_km = 0, to_km = 0;
    SegmentStatus status = SegmentStatus::covered;
};

std::vector<Run> runs_of(const std::vector<const Segment*>& segments) {
    std::vector<Run> runs;
    for (const Segment* segment : segments) {
        const Segment& s = *segment;
        const SegmentStatus status = s.status();
        if (!runs.empty() && runs.back().line == s.stretch.line && runs.back().status == status &&
            s.stretch.from_km <= runs.back().to_km + 1e-6) {
            runs.back().to_km = s.stretch.to_km;
            continue;
        }
        runs.push_back({s.stretch.line, s.stretch.from_km, s.stretch.to_km, status});
    }
    return runs;
}

/// On an overview map a run shorter than the picture shows is drawn with
/// its neighbours: the runs of a line are gathered into pieces of at least
/// min_km, each drawn in the status that holds most of its length (a
/// national border cut by a hundred thousand gaps would otherwise be a
/// hundred thousand paths, most under a pixel). A commune's map draws
/// every run as it is.
std::vector<Run> runs_at_scale(const std::vector<Run>& runs, double min_km) {
    std::vector<Run> out;
    for (std::size_t i = 0; i < runs.size();) {
        Run piece = runs[i];
        std::array<double, 3> km{};
        km[static_cast<std::size_t>(piece.status)] += piece.to_km - piece.from_km;
        std::size_t j = i + 1;
        for (; j < runs.size() && piece.to_km - piece.from_km < min_km &&
               runs[j].line == piece.line && runs[j].from_km <= piece.to_km + 1e-6;
             ++j) {
            piece.to_km = runs[j].to_km;
            km[static_cast<std::size_t>(runs[j].status)] += runs[j].to_km - runs[j].from_km;
        }
        piece.status =
            static_cast<SegmentStatus>(std::max_element(km.begin(), km.end()) - km.begin());
        if (!out.empty() && out.back().line == piece.line && out.back().status == piece.status &&
            piece.from_km <= out.back().to_km + 1e-6) {
            out.back().to_km = piece.to_km;
        } else {
            out.push_back(piece);
        }
        i = j;
    }
    return out;
}

const char* status_class(SegmentStatus s) {
    return s == SegmentStatus::uncovered ? "gap"
           : s == SegmentStatus::overlap ? "overlap"
                                         : "covered";
}

/// Every vertex the map must show: the communes' polygons and the runs.
std::vector<LonLat> area_points(const ReportContext& ctx, const std::vector<int>& communes,
                                const std::vector<Run>& runs) {
    std::vector<LonLat> points;
    for (const int c : communes) {
        for (const Polygon& polygon : ctx.ws.communes[static_cast<std::size_t>(c)].area) {
            if (!polygon.empty()) {
                points.insert(points.end(), polygon[0].begin(), polygon[0].end());
            }
        }
    }
    for (const Run& r : runs) {
        for (const auto& part : ctx.ws.lines[r.line].cut(r.from_km, r.to_km)) {
            points.insert(points.end(), part.begin(), part.end());
        }
    }
    return points;
}

std::string area_path(const MapFrame& frame, const MultiPolygon& area) {
    std::string d;
    for (const Polygon& polygon : area) {
        for (const Ring& ring : polygon) {
            d += (d.empty() ? "" : " ") + frame.path(ring, true);
        }
    }
    return d;
}

/// The lon/lat box of the points, grown by a fraction on each side.
std::pair<LonLat, LonLat> box_of(const std::vector<LonLat>& points, double grow) {
    LonLat lo{std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
    LonLat hi{-lo.lon, -lo.lat};
    for (const LonLat& p : points) {
        lo = {std::min(lo.lon, p.lon), std::min(lo.lat, p.lat)};
        hi = {std::max(hi.lon, p.lon), std::max(hi.lat, p.lat)};
    }
    const double dx = (hi.lon - lo.lon) * grow + 1e-3, dy = (hi.lat - lo.lat) * grow + 1e-3;
    return {{lo.lon - dx, lo.lat - dy}, {hi.lon + dx, hi.lat + dy}};
}

} // namespace

std::vector<std::pair<LonLat, LonLat>> commune_boxes(const Workspace& ws) {
    std::vector<std::pair<LonLat, LonLat>> boxes;
    for (const Commune& c : ws.communes) {
        std::vector<LonLat> ring;
        for (const Polygon& p : c.area) {
            if (!p.empty()) {
                ring.insert(ring.end(), p[0].begin(), p[0].end());
            }
        }
        boxes.push_back(ring.empty() ? std::pair{LonLat{1e9, 1e9}, LonLat{1e9, 1e9}}
                                     : box_of(ring, 0.0));
    }
    return boxes;
}

namespace {

/// The other communes that show in the frame, faint, for where the commune lies.
Data context_communes(const ReportContext& ctx, const MapFrame& frame,
                      const std::vector<LonLat>& points, int except) {
    const auto [lo, hi] = box_of(points, 0.3);
    Items out;
    for (std::size_t c = 0; c < ctx.ws.communes.size(); ++c) {
        const auto& [clo, chi] = ctx.commune_boxes[c];
        if (static_cast<int>(c) == except || ctx.ws.communes[c].area.empty() || chi.lon < lo.lon ||
            clo.lon > hi.lon || chi.lat < lo.lat || clo.lat > hi.lat) {
            continue;
        }
        Data d;
        put(d, "d", area_path(frame, ctx.ws.communes[c].area));
        out.push_back(std::move(d));
    }
    return list(std::move(out));
}

Data line_runs(const ReportContext& ctx, const MapFrame& frame, const std::vector<Run>& runs) {
    Items out;
    for (const Run& r : runs) {
        for (const auto& part : ctx.ws.lines[r.line].cut(r.from_km, r.to_km)) {
            Data d;
            put(d, "d", frame.path(part));
            put(d, "status", status_class(r.status));
            out.push_back(std::move(d));
        }
    }
    // Gaps over overlaps over covered, so the gaps show.
    std::stable_sort(out.begin(), out.end(), [](const Data& a, const Data& b) {
        const auto rank = [](const Data& d) {
            const std::string& s = d.get("status")->string_value();
            return s == "gap" ? 2 : s == "overlap" ? 1 : 0;
        };
        return rank(a) < rank(b);
    });
    return list(std::move(out));
}

Data point_data(const MapFrame& frame, LonLat p) {
    const SvgPoint s = frame.to_svg(p);
    Data d;
    put(d, "x", fixed(s.x));
    put(d, "y", fixed(s.y));
    return d;
}

Data gap_labels(const ReportContext& ctx, const MapFrame& frame, const std::vector<Gap>& gaps) {
    Items out;
    for (const Gap& g : gaps) {
        const double mid = 0.5 * (g.stretch.from_km + g.stretch.to_km);
        Data d = point_data(frame, ctx.ws.lines[g.stretch.line].point_at(mid));
        put(d, "text", g.gap_id);
        out.push_back(std::move(d));
    }
    return list(std::move(out));
}

Data markers(const ReportContext& ctx, const MapFrame& frame,
             const std::vector<MarkerState>& states, bool all, bool labels) {
    Items out;
    for (const MarkerState& m : states) {
        if (!all && m.custodied()) {
            continue;
        }
        Data d = point_data(frame, ctx.ws.markers[m.marker].position);
        put(d, "status", m.custodied() ? "custodied" : "unowned");
        put(d, "unowned", flag(!m.custodied()));
        if (labels) {
            put(d, "text", ctx.ws.markers[m.marker].marker_id);
        }
        out.push_back(std::move(d));
    }
    return list(std::move(out));
}

/// Where the neighbouring country is written: on its side of the line,
/// off the middle of the border shown, far enough out that the frame, which
/// takes in a point twice as far, gives it room. Empty when the line does
/// not say on which side its neighbour lies.
struct NeighbourPlace {
    LonLat label;
    LonLat room;
    std::string name;
};

std::optional<NeighbourPlace> neighbour_place(const ReportContext& ctx,
                                              const std::vector<Run>& runs,
                                              const std::vector<LonLat>& points) {
    if (runs.empty() || points.empty()) {
        return std::nullopt;
    }
    const BorderLine& line = ctx.ws.lines[runs.front().line];
    const int side = line.neighbour_side == "right" ? 1 : line.neighbour_side == "left" ? -1 : 0;
    if (line.neighbour.empty() || side == 0) {
        return std::nullopt;
    }
    const double from = runs.front().from_km, to = runs.back().to_km;
    const double mid = 0.5 * (from + to);
    const double step = std::max(0.05, 0.1 * (to - from));
    const double azimuth =
        geodesic_inverse(line.point_at(mid - step), line.point_at(mid + step)).azimuth1_deg +
        90.0 * side;
    const auto [lo, hi] = box_of(points, 0.0);
    const double extent_m = std::max(geodesic_distance_m(lo, hi), 2000.0);
    const LonLat at = line.point_at(mid);
    return NeighbourPlace{geodesic_direct(at, azimuth, 0.12 * extent_m),
                          geodesic_direct(at, azimuth, 0.24 * extent_m),
                          country_name(ctx.cat, line.neighbour)};
}

Data neighbour(const MapFrame& frame, const std::optional<NeighbourPlace>& place) {
    Items out;
    if (place) {
        const SvgPoint p = frame.to_svg(place->label);
        Data d;
        put(d, "x", fixed(std::clamp(p.x, 90.0, frame.width() - 90.0)));
        put(d, "y", fixed(std::clamp(p.y, 30.0, frame.height() - 30.0)));
        put(d, "text", place->name);
        out.push_back(std::move(d));
    }
    return list(std::move(out));
}

Data scale_and_north(const ReportContext& ctx, const MapFrame& frame) {
    const ScaleBar bar = scale_bar(frame, 0.25 * frame.width());
    Data d;
    put(d, "bar_x", fixed(kMargin));
    put(d, "bar_y", fixed(frame.height() - 14));
    put(d, "bar_w", fixed(bar.units));
    put(d, "bar_half", fixed(bar.units / 2));
    put(d, "bar_end", fixed(kMargin + bar.units));
    put(d, "bar_label",
        bar.metres >= 1000 ? ctx.cat.number(bar.metres / 1000, 0) + " km"
                           : ctx.cat.number(bar.metres, 0) + " m");
    put(d, "north_x", fixed(frame.width() - 36));
    put(d, "north_y", fixed(44));
    put(d, "north_rotate", fmt::format("{:.2f}", frame.north_deg()));
    // TRANSLATORS: the letter on the north arrow of a map (North).
    put(d, "north_label", ctx.cat.tr("N"));
    return d;
}

/// Where a commune's name goes: the inside point farthest from its edges,
/// among a grid over its largest ring (a centroid may fall outside).
SvgPoint label_point(const MapFrame& frame, const MultiPolygon& area) {
    std::vector<SvgPoint> ring;
    for (const Polygon& p : area) {
        if (!p.empty() && p[0].size() > ring.size()) {
            ring.clear();
            for (const LonLat& v : p[0]) {
                const SvgPoint at = frame.to_svg(v);
                if (ring.empty() || std::hypot(at.x - ring.back().x, at.y - ring.back().y) >= 1) {
                    ring.push_back(at); // what the picture shows is enough to place a name
                }
            }
        }
    }
    SvgPoint lo{1e18, 1e18}, hi{-1e18, -1e18}, best{};
    for (const SvgPoint& v : ring) {
        lo = {std::min(lo.x, v.x), std::min(lo.y, v.y)};
        hi = {std::max(hi.x, v.x), std::max(hi.y, v.y)};
    }
    best = {(lo.x + hi.x) / 2, (lo.y + hi.y) / 2};
    double best_clearance = -1;
    for (int i = 1; i < 12; ++i) {
        for (int j = 1; j < 12; ++j) {
            const SvgPoint p{lo.x + (hi.x - lo.x) * i / 12, lo.y + (hi.y - lo.y) * j / 12};
            bool inside = false;
            double clearance = 1e18;
            for (std::size_t k = 0, l = ring.size() - 1; k < ring.size(); l = k++) {
                const SvgPoint a = ring[k], b = ring[l];
                if ((a.y > p.y) != (b.y > p.y) &&
                    p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) {
                    inside = !inside;
                }
                const double dx = b.x - a.x, dy = b.y - a.y;
                const double t = std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) /
                                                std::max(dx * dx + dy * dy, 1e-12),
                                            0.0, 1.0);
                clearance = std::min(clearance, std::hypot(p.x - a.x - t * dx, p.y - a.y - t * dy));
            }
            if (inside && clearance > best_clearance) {
                best_clearance = clearance;
                best = p;
            }
        }
    }
    return best;
}

/// The classes of coverage, as the QGIS style of commune_summary shades
/// them: the class, the fill (share/report/style.mustache has the same), the
/// highest per cent in it.
struct CoverageClass {
    const char* name;
    const char* fill;
    double up_to;
};
const std::vector<CoverageClass>& coverage_classes() {
    static const std::vector<CoverageClass> classes{{"c80", "#f4a6a0", 80.0},
                                                    {"c90", "#fdd0a2", 90.0},
                                                    {"c95", "#fff3b0", 95.0},
                                                    {"c99", "#cfe8b0", 99.995},
                                                    {"c100", "#a6d8a0", 100.0}};
    return classes;
}

const char* coverage_class(double pct) {
    for (const CoverageClass& c : coverage_classes()) {
        if (pct <= c.up_to && (c.up_to != 99.995 || pct < c.up_to)) {
            return c.name;
        }
    }
    return "c100";
}
Data area_communes(const ReportContext& ctx, const MapFrame& frame, const PageScope& scope) {
    Items out;
    for (const int c : scope.communes) {
        const Commune& commune = ctx.ws.communes[static_cast<std::size_t>(c)];
        if (commune.area.empty()) {
            continue;
        }
        const auto slot = static_cast<std::size_t>(
            std::find(ctx.communes.begin(), ctx.communes.end(), c) - ctx.communes.begin());
        const double pct = ctx.coverage.communes[slot].communes.front().figures.coverage_pct();
        const SvgPoint at = label_point(frame, commune.area);
        Data d;
        put(d, "d", area_path(frame, commune.area));
        put(d, "class", coverage_class(pct));
        put(d, "href", ctx.commune_file(c));
        put(d, "name", ctx.commune_name(c));
        put(d, "pct", ctx.pct(std::round(pct * 100.0) / 100.0) + " %");
        put(d, "x", fixed(at.x));
        put(d, "y", fixed(at.y));
        out.push_back(std::move(d));
    }
    return list(std::move(out));
}

/// The segments and markers of the page: the commune's own; the whole
/// workspace's on the province page of a whole report; else those of the
/// page's communes, in line and chainage order.
std::pair<std::vector<const Segment*>, std::vector<MarkerState>>
page_border(const ReportContext& ctx, const PageScope& scope) {
    std::vector<const Segment*> segments;
    const auto all = [&](const Coverage& cov) {
        for (const Segment& s : cov.segments) {
            segments.push_back(&s);
        }
    };
    if (scope.kind == PageScope::Kind::commune) {
        const Coverage& cov = ctx.coverage.communes[scope.slot];
        all(cov);
        return {std::move(segments), cov.markers};
    }
    if (scope.kind == PageScope::Kind::province && !ctx.options.commune && !ctx.options.district) {
        all(ctx.coverage.whole);
        return {std::move(segments), ctx.coverage.whole.markers};
    }
    std::vector<MarkerState> markers;
    for (std::size_t slot = 0; slot < ctx.communes.size(); ++slot) {
        if (std::find(scope.communes.begin(), scope.communes.end(), ctx.communes[slot]) !=
            scope.communes.end()) {
            const Coverage& cov = ctx.coverage.communes[slot];
            all(cov);
            markers.insert(markers.end(), cov.markers.begin(), cov.markers.end());
        }
    }
    std::sort(segments.begin(), segments.end(), [](const Segment* a, const Segment* b) {
        return std::pair{a->stretch.line, a->stretch.from_km} <
               std::pair{b->stretch.line, b->stretch.from_km};
    });
    return {std::move(segments), std::move(markers)};
}

} // namespace

std::string map_svg(const ReportContext& ctx, const PageScope& scope) {
    const bool commune = scope.kind == PageScope::Kind::commune;
    const auto [segments, border_markers] = page_border(ctx, scope);
    const std::vector<Run> runs = runs_of(segments);
    std::vector<LonLat> points = area_points(ctx, scope.communes, runs);
    const std::optional<NeighbourPlace> country = neighbour_place(ctx, runs, points);
    if (points.empty()) {
        return {};
    }
    if (country) {
        points.push_back(country->room);
    }
    const MapFrame frame(points, kWidth, commune ? kMaxHeight : kAreaHeight, kMargin);
    Data d;
    put(d, "idp", scope.id_prefix);
    Items classes;
    for (const CoverageClass& c : coverage_classes()) {
        Data cd;
        put(cd, "class", c.name);
        put(cd, "fill", c.fill);
        classes.push_back(std::move(cd));
    }
    put(d, "classes", list(std::move(classes)));
    put(d, "width", fixed(frame.width()));
    put(d, "height", fixed(frame.height()));
    put(d, "title", scope.title);
    // 1.5 units of the picture (about 1.5 px on screen), in km.
    const double min_km = commune ? 0.0 : 1.5 / frame.units_per_metre() / 1000.0;
    put(d, "lines", line_runs(ctx, frame, commune ? runs : runs_at_scale(runs, min_km)));
    put(d, "neighbour", neighbour(frame, country));
    put(d, "scale", scale_and_north(ctx, frame));
    if (commune) {
        const Coverage& cov = ctx.coverage.communes[scope.slot];
        const Commune& c = ctx.ws.communes[static_cast<std::size_t>(scope.commune)];
        put(d, "context", context_communes(ctx, frame, points, scope.commune));
        put(d, "commune", area_path(frame, c.area));
        put(d, "gaps", gap_labels(ctx, frame, cov.gaps));
        put(d, "markers", markers(ctx, frame, cov.markers, true, true));
    } else {
        put(d, "communes", area_communes(ctx, frame, scope));
        const bool few = scope.gaps.size() <= 40;
        std::vector<Gap> gaps;
        for (const Gap& g : ctx.coverage.whole.gaps) {
            if (few &&
                std::find(scope.gaps.begin(), scope.gaps.end(), g.gap_id) != scope.gaps.end()) {
                gaps.push_back(g);
            }
        }
        put(d, "gaps", gap_labels(ctx, frame, gaps));
        put(d, "markers", markers(ctx, frame, border_markers, false, false));
    }
    return render("map", std::move(d));
}

} // namespace bordercov::detail
