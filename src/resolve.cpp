#include "bordercov/resolve.hpp"

#include "detail/parallel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace bordercov {

namespace {

template <typename Map> std::optional<std::uint32_t> lookup(const Map& map, std::string_view key) {
    const auto it = map.find(key);
    if (it == map.end()) {
        return std::nullopt;
    }
    return it->second;
}

/// Diagnostics about one layer of the workspace.
LayerReporter reporter(const Workspace& ws, const std::string& layer, Diagnostics& diagnostics) {
    return LayerReporter(ws.file_of(layer), layer, diagnostics);
}

void index_parties(const Workspace& ws, Plan& plan, Diagnostics& diagnostics) {
    for (std::uint32_t c = 0; c < ws.communes.size(); ++c) {
        plan.commune_index.emplace(ws.communes[c].commune_id, c);
    }
    plan.parties.reserve(ws.households.size() + ws.teams.size());
    plan.household_index.reserve(ws.households.size());
    plan.team_index.reserve(ws.teams.size());
    for (std::uint32_t i = 0; i < ws.teams.size(); ++i) {
        const Team& t = ws.teams[i];
        plan.team_index.emplace(t.team_id, static_cast<std::uint32_t>(ws.households.size() + i));
    }
    LayerReporter households = reporter(ws, "households", diagnostics);
    for (std::uint32_t i = 0; i < ws.households.size(); ++i) {
        const Household& h = ws.households[i];
        plan.household_index.emplace(h.household_id, i);
        plan.parties.push_back({PartyType::household, h.household_id, h.head, h.team_id,
                                h.commune_id, h.home, i, h.phone});
        if (!h.team_id.empty() && !plan.team_index.count(h.team_id)) {
            households.add(Severity::warning, "unknown-team", h.household_id, h.fid, "team_id",
                           fmt::format("no team '{}' in the teams layer; the household counts for "
                                       "no team. Correct team_id or add the team.",
                                       h.team_id));
        }
        if (!h.commune_id.empty() && !ws.communes.empty() &&
            plan.find_commune_id(h.commune_id) < 0) {
            households.add(Severity::warning, "unknown-commune", h.household_id, h.fid,
                           "commune_id",
                           fmt::format("no commune '{}' in the communes layer. Correct "
                                       "commune_id or add the commune.",
                                       h.commune_id));
        }
    }
    LayerReporter teams = reporter(ws, "teams", diagnostics);
    for (std::uint32_t i = 0; i < ws.teams.size(); ++i) {
        const Team& t = ws.teams[i];
        plan.parties.push_back(
            {PartyType::team, t.team_id, t.name, t.team_id, t.commune_id, t.position, i, t.phone});
        if (!t.commune_id.empty() && !ws.communes.empty() &&
            plan.find_commune_id(t.commune_id) < 0) {
            teams.add(Severity::warning, "unknown-commune", t.team_id, t.fid, "commune_id",
                      fmt::format("no commune '{}' in the communes layer. Correct commune_id or "
                                  "add the commune.",
                                  t.commune_id));
        }
    }
}

void locate_markers(const Workspace& ws, const ResolveOptions& options, Plan& plan,
                    Diagnostics& diagnostics) {
    LayerReporter report = reporter(ws, "markers", diagnostics);
    plan.markers.resize(ws.markers.size());
    for (std::uint32_t i = 0; i < ws.markers.size(); ++i) {
        const Marker& m = ws.markers[i];
        plan.marker_index.emplace(m.marker_id, i);
        std::uint32_t line = 0;
        Location at;
        if (const auto known = plan.find_line(m.line_id)) {
            line = *known;
            at = ws.lines[line].locate(m.position);
        } else {
            if (!m.line_id.empty()) {
                report.add(Severity::warning, "unknown-line", m.marker_id, m.fid, "line_id",
                           fmt::format("no border line '{}'; the marker is put on the nearest "
                                       "line. Correct line_id.",
                                       m.line_id));
            }
            std::tie(line, at) = locate_on_workspace(ws, m.position);
        }
        plan.markers[i] = {static_cast<std::int32_t>(line), at.chainage_km, at.offset_m, at.side};
        if (at.offset_m > options.marker_tolerance_m) {
            report
                .add(Severity::warning, "marker-off-line", m.marker_id, m.fid, {},
                     fmt::format("the marker is {:.0f} m from line '{}' (tolerance {:.0f} m). "
                                 "Check its position or its line_id.",
                                 at.offset_m, ws.lines[line].line_id(), options.marker_tolerance_m))
                .where = {m.position, at.on_line};
        }
    }
}

/// The stretch an assignment names in one of its three forms (markers, km,
/// drawn), each turned into an interval of chainage once, here; or nullopt
/// with a diagnostic that says why.
class AssignmentStretch {
  public:
    AssignmentStretch(const Workspace& ws, const Plan& plan, const ResolveOptions& options,
                      const Assignment& a, LayerReporter& report)
        : ws_(ws), plan_(plan), options_(options), a_(a), report_(report) {}

    std::optional<Stretch> resolve() {
        const bool by_marker = !a_.from_marker.empty() || !a_.to_marker.empty();
        const bool by_km = a_.from_km.has_value() || a_.to_km.has_value();
        const bool drawn = !a_.drawn.empty();
        const int forms = int{by_marker} + int{by_km} + int{drawn};
        if (forms == 0) {
            return error("assignment-no-form", "",
                         "the assignment gives no stretch; it is dropped. Give from_marker and "
                         "to_marker, or from_km and to_km, or draw the stretch as a line.");
        }
        if (forms > 1) {
            return error(
                "assignment-many-forms", "",
                fmt::format("the assignment gives its stretch in {} ways ({}{}{}); it is dropped. "
                            "Keep exactly one.",
                            forms, by_marker ? "markers " : "", by_km ? "km " : "",
                            drawn ? "drawn line" : ""));
        }
        std::optional<std::uint32_t> line;
        if (!a_.line_id.empty()) {
            line = plan_.find_line(a_.line_id);
            if (!line) {
                return error("unknown-line", "line_id",
                             fmt::format("no border line '{}'; the assignment is dropped. Correct "
                                         "line_id.",
                                         a_.line_id));
            }
        }
        const std::optional<Given> given = by_marker ? between_markers(line)
                                           : by_km   ? in_km(line)
                                                     : as_drawn(line);
        if (!given) {
            return std::nullopt;
        }
        return fitted(*given, by_km);
    }

  private:
    /// A stretch as given, before it is fitted to its line.
    struct Given {
        std::uint32_t line = 0;
        double from = 0;
        double to = 0;
    };

    std::nullopt_t error(const char* code, const char* field, std::string message) {
        report_.add(Severity::error, code, a_.assignment_id, a_.fid, field, std::move(message));
        return std::nullopt;
    }

    std::optional<Given> between_markers(std::optional<std::uint32_t> line) {
        if (a_.from_marker.empty() || a_.to_marker.empty()) {
            return error("incomplete-stretch", a_.from_marker.empty() ? "from_marker" : "to_marker",
                         "only one of from_marker and to_marker is given; the assignment is "
                         "dropped. Give both.");
        }
        Given g;
        std::uint32_t marker_line = 0;
        for (const auto& [field, id, km] : {std::tuple{"from_marker", &a_.from_marker, &g.from},
                                            std::tuple{"to_marker", &a_.to_marker, &g.to}}) {
            const auto m = plan_.find_marker(*id);
            if (!m) {
                return error("unknown-marker", field,
                             fmt::format("no marker '{}' in the markers layer; the assignment is "
                                         "dropped. Correct {} or add the marker.",
                                         *id, field));
            }
            const LocatedMarker& lm = plan_.markers[*m];
            if (line && static_cast<std::uint32_t>(lm.line) != *line) {
                return error("marker-on-other-line", field,
                             fmt::format("marker '{}' lies on line '{}', not on '{}'; the "
                                         "assignment is dropped. Correct line_id, or pick markers "
                                         "of that line.",
                                         *id,
                                         ws_.lines[static_cast<std::size_t>(lm.line)].line_id(),
                                         a_.line_id));
            }
            if (field == std::string("to_marker") &&
                static_cast<std::uint32_t>(lm.line) != marker_line) {
                return error("marker-on-other-line", field,
                             fmt::format("markers '{}' and '{}' lie on different lines; the "
                                         "assignment is dropped. Give a stretch per line, each "
                                         "between two markers of that line.",
                                         a_.from_marker, a_.to_marker));
            }
            marker_line = static_cast<std::uint32_t>(lm.line);
            *km = lm.chainage_km;
        }
        g.line = marker_line;
        return g;
    }

    std::optional<Given> in_km(std::optional<std::uint32_t> line) {
        if (!line) {
            return error("incomplete-stretch", "line_id",
                         "a stretch in km needs the line_id it is measured on; the assignment is "
                         "dropped. Give line_id of the line the km are measured along.");
        }
        if (!a_.from_km || !a_.to_km) {
            return error("incomplete-stretch", a_.from_km ? "to_km" : "from_km",
                         "only one of from_km and to_km is given; the assignment is dropped. Give "
                         "both.");
        }
        return Given{*line, *a_.from_km, *a_.to_km};
    }

    /// A drawn line snapped onto its line (line_id, else the nearest), from
    /// its first vertex's foot to its last's; a vertex farther than the snap
    /// tolerance is a warning.
    std::optional<Given> as_drawn(std::optional<std::uint32_t> line) {
        Location first;
        if (line) {
            first = ws_.lines[*line].locate(a_.drawn.front());
        } else {
            const auto [nearest, at] = locate_on_workspace(ws_, a_.drawn.front());
            line = nearest;
            first = at;
        }
        const BorderLine& l = ws_.lines[*line];
        const Location last = l.locate(a_.drawn.back());
        // The vertex straying farthest from the line, if any strays too far.
        double worst = std::max(first.offset_m, last.offset_m);
        LonLat worst_at = first.offset_m >= last.offset_m ? a_.drawn.front() : a_.drawn.back();
        for (std::size_t i = 1; i + 1 < a_.drawn.size(); ++i) {
            const double off = l.locate(a_.drawn[i]).offset_m;
            if (off > worst) {
                worst = off;
                worst_at = a_.drawn[i];
            }
        }
        if (worst > options_.snap_tolerance_m) {
            report_
                .add(Severity::warning, "drawn-off-line", a_.assignment_id, a_.fid, {},
                     fmt::format("a vertex of the drawn stretch is {:.0f} m from line '{}' "
                                 "(tolerance {:.0f} m) at POINT ({:.7f} {:.7f}); the stretch is "
                                 "snapped from its first to its last vertex. Check the drawing.",
                                 worst, l.line_id(), options_.snap_tolerance_m, worst_at.lon,
                                 worst_at.lat))
                .where = {worst_at};
        }
        return Given{*line, first.chainage_km, last.chainage_km};
    }

    /// The given stretch in order and on its line: one given backwards is
    /// the same stretch; one entirely off the line is dropped, one running
    /// past an end (beyond the end tolerance) is cut there with a warning.
    std::optional<Stretch> fitted(Given g, bool by_km) {
        if (g.from > g.to) {
            std::swap(g.from, g.to);
        }
        const BorderLine& line = ws_.lines[g.line];
        const double length = line.length_km();
        const double slack = options_.end_tolerance_m / 1000.0;
        if (g.to < -slack || g.from > length + slack) {
            return error(
                "stretch-outside-line", by_km ? "to_km" : "",
                fmt::format("the stretch {:.3f}-{:.3f} km lies outside line '{}' (0-{:.3f} km); "
                            "the assignment is dropped. Correct the km.",
                            g.from, g.to, line.line_id(), length));
        }
        if (g.from < -slack || g.to > length + slack) {
            report_.add(
                Severity::warning, "stretch-outside-line", a_.assignment_id, a_.fid,
                g.from < -slack ? "from_km" : "to_km",
                fmt::format("the stretch {:.3f}-{:.3f} km runs past the ends of line '{}' "
                            "(0-{:.3f} km); only the part on the line counts. Correct the km.",
                            g.from, g.to, line.line_id(), length));
        }
        const double from = std::clamp(g.from, 0.0, length);
        const double to = std::clamp(g.to, 0.0, length);
        if (to <= from) {
            report_.add(Severity::warning, "empty-stretch", a_.assignment_id, a_.fid, {},
                        "the stretch has no length (it starts where it ends); the assignment adds "
                        "nothing. Correct its ends.");
            return std::nullopt;
        }
        return Stretch{g.line, from, to};
    }

    const Workspace& ws_;
    const Plan& plan_;
    const ResolveOptions& options_;
    const Assignment& a_;
    LayerReporter& report_;
};

/// The stretch an assignment names, or nullopt with a diagnostic.
std::optional<Stretch> assignment_stretch(const Workspace& ws, const Plan& plan,
                                          const ResolveOptions& options, const Assignment& a,
                                          LayerReporter& report) {
    return AssignmentStretch(ws, plan, options, a, report).resolve();
}

bool dates_in_order(const std::optional<Date>& signed_on, const std::optional<Date>& expires,
                    const std::string& id, std::int64_t fid, LayerReporter& report) {
    if (signed_on && expires && *expires < *signed_on) {
        report.add(Severity::error, "expires-before-signed", id, fid, "expires",
                   fmt::format("it expires ({}) before it is signed ({}); it is dropped. Correct "
                               "the dates.",
                               expires->iso(), signed_on->iso()));
        return false;
    }
    return true;
}

std::optional<std::uint32_t> known_party(const Plan& plan, PartyType type, const std::string& id,
                                         const std::string& feature, std::int64_t fid,
                                         LayerReporter& report) {
    const auto party = plan.find_party(type, id);
    if (!party) {
        report.add(Severity::error, "unknown-party", feature, fid, "party_id",
                   fmt::format("no {} '{}' in the {} layer; it is dropped. Correct party_id or "
                               "party_type, or add the {}.",
                               to_string(type), id,
                               type == PartyType::team ? "teams" : "households", to_string(type)));
    }
    return party;
}

/// Every custody as marker + party: all that resolve, and those active on
/// the as-of date.
void resolve_custodians(const Workspace& ws, const ResolveOptions& options, Plan& plan,
                        Diagnostics& diagnostics) {
    LayerReporter custodians = reporter(ws, "marker_custodians", diagnostics);
    for (std::uint32_t i = 0; i < ws.custodians.size(); ++i) {
        const MarkerCustodian& c = ws.custodians[i];
        const std::string label = c.marker_id + "/" + c.party_id;
        const auto marker = plan.find_marker(c.marker_id);
        if (!marker) {
            custodians.add(Severity::error, "unknown-marker", label, c.fid, "marker_id",
                           fmt::format("no marker '{}' in the markers layer; the row is dropped. "
                                       "Correct marker_id or add the marker.",
                                       c.marker_id));
        }
        const auto party = known_party(plan, c.party_type, c.party_id, label, c.fid, custodians);
        if (!marker || !party ||
            !dates_in_order(c.signed_on, c.expires, label, c.fid, custodians)) {
            continue;
        }
        plan.all_custodies.push_back({*marker, *party, i});
        if (!is_active(c.signed_on, c.expires, options.as_of)) {
            ++plan.inactive_custodies;
            continue;
        }
        plan.custodies.push_back(plan.all_custodies.back());
    }
}

} // namespace

std::optional<std::uint32_t> Plan::find_party(PartyType type, std::string_view id) const {
    return lookup(type == PartyType::team ? team_index : household_index, id);
}
std::optional<std::uint32_t> Plan::find_line(std::string_view line_id) const {
    return lookup(line_index, line_id);
}
int Plan::find_commune_id(std::string_view commune_id) const {
    const auto c = lookup(commune_index, commune_id);
    return c ? static_cast<int>(*c) : -1;
}
std::optional<std::uint32_t> Plan::find_marker(std::string_view marker_id) const {
    return lookup(marker_index, marker_id);
}

Plan resolve(const Workspace& ws, const ResolveOptions& options, Diagnostics& diagnostics) {
    Plan plan;
    plan.as_of = options.as_of;
    for (std::uint32_t i = 0; i < ws.lines.size(); ++i) {
        plan.line_index.emplace(ws.lines[i].line_id(), i);
    }
    index_parties(ws, plan, diagnostics);
    locate_markers(ws, options, plan, diagnostics);

    // Assignments resolve independently of each other: in a few chunks side
    // by side, put back together in workspace order.
    struct Chunk {
        std::vector<Commitment> commitments;
        std::vector<Commitment> all;
        Diagnostics diagnostics;
        std::size_t inactive = 0;
    };
    const auto resolve_chunk = [&](std::uint32_t begin, std::uint32_t end) {
        Chunk chunk;
        LayerReporter report = reporter(ws, "assignments", chunk.diagnostics);
        for (std::uint32_t i = begin; i < end; ++i) {
            const Assignment& a = ws.assignments[i];
            const auto party =
                known_party(plan, a.party_type, a.party_id, a.assignment_id, a.fid, report);
            const auto stretch = assignment_stretch(ws, plan, options, a, report);
            if (!party || !stretch ||
                !dates_in_order(a.signed_on, a.expires, a.assignment_id, a.fid, report)) {
                continue;
            }
            chunk.all.push_back({*stretch, *party, i});
            if (!is_active(a.signed_on, a.expires, options.as_of)) {
                ++chunk.inactive;
                continue;
            }
            chunk.commitments.push_back(chunk.all.back());
        }
        return chunk;
    };
    const auto n = static_cast<std::uint32_t>(ws.assignments.size());
    const std::size_t workers = detail::worker_count(n, 20000);
    std::vector<Chunk> resolved(workers);
    detail::parallel_workers(workers, [&](std::size_t w) {
        resolved[w] =
            resolve_chunk(static_cast<std::uint32_t>(std::uint64_t{n} * w / workers),
                          static_cast<std::uint32_t>(std::uint64_t{n} * (w + 1) / workers));
    });
    plan.commitments.reserve(ws.assignments.size());
    plan.all_commitments.reserve(ws.assignments.size());
    for (Chunk& chunk : resolved) {
        plan.commitments.insert(plan.commitments.end(), chunk.commitments.begin(),
                                chunk.commitments.end());
        plan.all_commitments.insert(plan.all_commitments.end(), chunk.all.begin(), chunk.all.end());
        plan.inactive_assignments += chunk.inactive;
        for (Diagnostic& d : chunk.diagnostics.items_for_move()) {
            diagnostics.add(std::move(d));
        }
    }

    resolve_custodians(ws, options, plan, diagnostics);
    return plan;
}

} // namespace bordercov
