#include "command.hpp"
#include "output_options.hpp"
#include "terminal.hpp"
#include "workspace_options.hpp"

#include "bordercov/checks.hpp"
#include "bordercov/coverage.hpp"
#include "bordercov/crs.hpp"
#include "bordercov/io/json_report.hpp"
#include "bordercov/io/json_writer.hpp"
#include "bordercov/io/layer_writer.hpp"
#include "bordercov/io/workspace_reader.hpp"
#include "bordercov/nearest.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <optional>

namespace bordercov::cli {

namespace {

/// "LON,LAT" as two finite numbers, or a UsageError saying how to write it.
LonLat parse_at(const std::string& text) {
    const auto comma = text.find(',');
    double x = 0, y = 0;
    const auto number = [](std::string_view s, double& v) {
        while (!s.empty() && s.front() == ' ') {
            s.remove_prefix(1);
        }
        const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        return ec == std::errc{} && ptr == s.data() + s.size() && std::isfinite(v);
    };
    if (comma == std::string::npos || !number(std::string_view(text).substr(0, comma), x) ||
        !number(std::string_view(text).substr(comma + 1), y)) {
        throw UsageError(
            fmt::format("--at '{}' is not a place. Write it as LON,LAT in degrees, e.g. "
                        "--at 107.55,13.95 (or in the CRS given by --s-srs).",
                        text));
    }
    return {x, y};
}

/// The point in WGS 84 lon/lat, from the CRS named by s_srs (empty: WGS 84).
LonLat to_wgs84_checked(LonLat p, const std::string& s_srs) {
    try {
        p = to_wgs84(p, s_srs);
    } catch (const UsageError& e) {
        throw UsageError(std::string("--s-srs: ") + e.what());
    }
    if (!std::isfinite(p.lon) || !std::isfinite(p.lat) || std::abs(p.lon) > 180 ||
        std::abs(p.lat) > 90) {
        throw UsageError(fmt::format("--at {},{} is not a place on Earth: longitude must lie in "
                                     "[-180, 180] and latitude in [-90, 90] (lon first).",
                                     p.lon, p.lat));
    }
    return p;
}

/// What to say of a place farther from every line than --max-offset.
std::string far_warning(LonLat p, const BorderLine& line, const Location& at,
                        double max_offset_km) {
    return fmt::format(
        "{:.7f},{:.7f} lies {:.3f} km from the nearest border line {}, more than --max-offset "
        "{} km: it is likely not a place on this border (check the coordinates, lon first, "
        "and --s-srs). The parties are ranked from the point of the line nearest to it.",
        p.lon, p.lat, at.offset_m / 1000.0, line.line_id(), max_offset_km);
}

Value km_or_null(double km) {
    return std::isfinite(km) ? Value{round_km(km)} : Value{};
}

class NearestCommand : public Command {
  public:
    const char* name() const override { return "nearest"; }
    const char* description() const override {
        return "The responsible parties nearest to a place, to every gap or to every unowned "
               "marker";
    }
    void setup(CLI::App& app) override {
        options_.add_to(app);
        auto* at = app.add_option("--at", at_, "A place as LON,LAT (WGS 84 unless --s-srs)")
                       ->type_name("LON,LAT");
        auto* gaps = app.add_flag("--gaps", gaps_, "For every gap: the nearest parties");
        auto* markers = app.add_flag("--markers", markers_,
                                     "For every unowned marker: the nearest households and the "
                                     "custodians of the neighbouring markers");
        auto* from =
            app.add_option("--from", from_,
                           "Incident points from any OGR point layer (its first layer; ids "
                           "from an 'id' field, else the FID)")
                ->type_name("FILE");
        at->excludes(gaps)->excludes(markers)->excludes(from);
        gaps->excludes(markers)->excludes(from);
        markers->excludes(from);
        app.add_option("-o,--output", output_, "With --from: write the ranked parties as a layer")
            ->type_name("PATH");
        output_options_.add_to(app);
        app.add_option("-k", k_, "How many parties (1 or more)")
            ->capture_default_str()
            ->check(CLI::Range(1, 100000));
        app.add_option("--s-srs", s_srs_, "CRS of --at (e.g. EPSG:32648)")->type_name("CRS");
        app.add_option(
               "--max-offset", max_offset_km_,
               "Km from the nearest line beyond which a place (--at, --from) is flagged as far "
               "from the border: a warning, and \"far\": true in the JSON")
            ->capture_default_str()
            ->check(CLI::PositiveNumber);
        app.add_flag("--json", json_, "Print one JSON document");
    }

    int run() override {
        if (at_.empty() && !gaps_ && !markers_ && from_.empty()) {
            throw UsageError(
                "nearest needs one of --at LON,LAT, --gaps, --markers or --from FILE.");
        }
        if (!output_.empty()) {
            if (from_.empty()) {
                throw UsageError(
                    "-o goes with --from: the layer holds one row per incident and party.");
            }
            write_.inputs = {options_.workspace};
            if (!from_.empty()) {
                write_.inputs.push_back(from_);
            }
            io::check_output(output_, {"incidents"}, write_);
        }
        std::optional<LonLat> at;
        if (!at_.empty()) {
            at = to_wgs84_checked(parse_at(at_), s_srs_); // before reading: a bad place fails fast
        }
        const ResolveOptions resolve_options = options_.resolve_options();
        Diagnostics diagnostics;
        const Workspace& ws = ws_ =
            io::read_workspace(options_.workspace, diagnostics, options_.read_options());
        const Plan& plan = plan_ = resolve(ws, resolve_options, diagnostics);
        check_border_in_communes(ws, diagnostics);
        if (options_.stops_for_errors(diagnostics)) {
            return 1;
        }
        const NearestIndex& index = index_.emplace(ws, plan);
        if (plan.commitments.empty() && ws.households.empty()) {
            fmt::print(message_stream(),
                       "bordercov: {} has no active assignment on {} and no household: there "
                       "is nobody to rank.\n",
                       options_.shown(), plan.as_of.iso());
        }
        int code = 0;
        if (at) {
            code = run_at(ws, plan, index, *at);
        } else if (!from_.empty()) {
            code = run_from(ws, plan, index, diagnostics);
        } else if (gaps_) {
            code = run_gaps(ws, plan, index);
        } else {
            code = run_markers(ws, plan, index);
        }
        print_diagnostics_summary(diagnostics);
        return code;
    }

  private:
    bool is_far(const Location& at) const { return !(at.offset_m <= max_offset_km_ * 1000.0); }

    /// What every JSON document of the command starts with.
    nlohmann::ordered_json header(const Plan& plan) const {
        nlohmann::ordered_json doc;
        doc["schema_version"] = io::json_schema_version;
        doc["workspace"] = options_.shown();
        doc["as_of"] = plan.as_of.iso();
        return doc;
    }

    /// The text of header(plan) on one line without its closing brace: the
    /// start of each place's document.
    std::string open_header(const Plan& plan) const {
        std::string text = io::json_text(header(plan), -1);
        text.pop_back();
        return text;
    }

    /// A place's document on one line (nearest --at, and each incident of
    /// --from): the header opened by open_header, the incident's id when
    /// there is one, where the place lies, its warnings and the ranked
    /// parties.
    void append_place(std::string& out, const std::string& head, const Workspace& ws,
                      const Plan& plan, const std::string* incident_id, LonLat p,
                      const RankedPoint& located) const {
        const auto& [line, at, ranked] = located;
        const BorderLine& l = ws.lines[line];
        const bool far = is_far(at);
        out += head;
        io::json::Object doc(out, 3);
        if (incident_id) {
            doc.field("incident_id", *incident_id);
        }
        io::json::Object location(doc.key("location"));
        location.field("line_id", l.line_id())
            .field("chainage_km", round_km(at.chainage_km))
            .field("offset_m", std::round(at.offset_m * 10) / 10)
            .field("side", side_name(l, at.side))
            .field("far", far);
        location.close();
        doc.key("warnings") += '[';
        if (far) {
            io::json::append(out, far_warning(p, l, at, max_offset_km_));
        }
        out += ']';
        io::json::append_rows(doc.key("parties"), parties_table(plan, ranked));
        doc.close();
    }

    Table parties_table(const Plan& plan, const std::vector<RankedParty>& ranked) const {
        Table t{"parties",
                GeometryType::none,
                {{"party_id", FieldType::text},
                 {"party_type", FieldType::text},
                 {"name", FieldType::text},
                 {"team_id", FieldType::text},
                 {"commune_id", FieldType::text},
                 {"along_km", FieldType::real},
                 {"distance_km", FieldType::real}},
                {}};
        for (const RankedParty& r : ranked) {
            const Party& p = plan.parties[r.party];
            t.rows.push_back(
                {{std::string(p.party_id), std::string(to_string(p.type)), std::string(p.name),
                  std::string(p.team_id), std::string(p.commune_id), km_or_null(r.along_km),
                  km_or_null(r.distance_km)},
                 {}});
        }
        return t;
    }

    int run_at(const Workspace& ws, const Plan& plan, const NearestIndex& index, LonLat p) const {
        const auto [line, at] = locate_on_workspace(ws, p);
        const BorderLine& l = ws.lines[line];
        const RankedPoint located{line, at,
                                  index.rank({line, at.chainage_km, at.chainage_km, p}, k_)};
        const bool far = is_far(at);
        if (json_) {
            std::string text;
            append_place(text, open_header(plan), ws, plan, nullptr, p, located);
            fmt::print("{}\n", io::json_text(nlohmann::ordered_json::parse(text)));
            return 0;
        }
        const Table parties = parties_table(plan, located.parties);
        if (far) {
            fmt::print(message_stream(), "bordercov: warning: {}\n",
                       far_warning(p, l, at, max_offset_km_));
        }
        fmt::print("{:.7f},{:.7f} lies on line {} at {:.3f} km, {:.1f} m from it ({}){}.\n\n",
                   p.lon, p.lat, l.line_id(), at.chainage_km, at.offset_m, side_name(l, at.side),
                   far ? fmt::format(" -- far from the border (more than {} km)", max_offset_km_)
                       : std::string{});
        fmt::print("Nearest responsible parties (along the border, then by distance)\n");
        print_table(stdout, parties);
        return 0;
    }

    /// One row per incident point and ranked party, as a layer, JSON lines
    /// or a table.
    int run_from(const Workspace& ws, const Plan& plan, const NearestIndex& index,
                 Diagnostics& diagnostics) const {
        const std::vector<io::IncidentPoint> points = io::read_points(from_, diagnostics);
        Table t{"incidents",
                GeometryType::point,
                {{"incident_id", FieldType::text},
                 {"rank", FieldType::integer},
                 {"line_id", FieldType::text},
                 {"chainage_km", FieldType::real},
                 {"offset_m", FieldType::real},
                 {"side", FieldType::text},
                 {"party_id", FieldType::text},
                 {"party_type", FieldType::text},
                 {"name", FieldType::text},
                 {"along_km", FieldType::real},
                 {"distance_km", FieldType::real}},
                {}};
        std::vector<LonLat> positions;
        positions.reserve(points.size());
        for (const io::IncidentPoint& point : points) {
            positions.push_back(point.position);
        }
        const std::vector<RankedPoint> located = rank_points(ws, index, positions, k_);
        if (json_) {
            const std::string head = open_header(plan);
            io::write_json_lines(stdout, points.size(), [&](std::size_t i, std::string& line) {
                append_place(line, head, ws, plan, &points[i].id, points[i].position, located[i]);
            });
        }
        // The rows of the table: printed, or written with -o.
        const bool rows = !json_ || !output_.empty();
        for (std::size_t i = 0; rows && i < points.size(); ++i) {
            const io::IncidentPoint& point = points[i];
            const auto& [line, at, ranked] = located[i];
            const BorderLine& l = ws.lines[line];
            if (is_far(at) && !json_) {
                fmt::print(message_stream(), "bordercov: warning: incident '{}': {}\n", point.id,
                           far_warning(point.position, l, at, max_offset_km_));
            }
            std::int64_t rank = 0;
            for (const RankedParty& r : ranked) {
                const Party& p = plan.parties[r.party];
                t.rows.push_back(
                    {{point.id, ++rank, l.line_id(), round_km(at.chainage_km),
                      std::round(at.offset_m * 10) / 10, side_name(l, at.side),
                      std::string(p.party_id), std::string(to_string(p.type)), std::string(p.name),
                      km_or_null(r.along_km), km_or_null(r.distance_km)},
                     point.position});
            }
        }
        if (!output_.empty()) {
            const std::string what =
                fmt::format("{} rows for {} incidents", t.rows.size(), points.size());
            std::vector<Table> tables;
            tables.push_back(std::move(t)); // 5 rows an incident: not copied
            print_written(io::write_tables(tables, output_, "", write_), what);
        } else if (!json_) {
            print_table(stdout, t);
        }
        return 0;
    }

    int run_gaps(const Workspace& ws, const Plan& plan, const NearestIndex& index) const {
        const Coverage coverage = compute_coverage(ws, plan, {});
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const Gap& g : coverage.gaps) {
            const BorderLine& l = ws.lines[g.stretch.line];
            const Table parties = parties_table(
                plan, index.rank({g.stretch.line, g.stretch.from_km, g.stretch.to_km,
                                  l.point_at(0.5 * (g.stretch.from_km + g.stretch.to_km))},
                                 k_));
            if (json_) {
                list.push_back({{"gap_id", g.gap_id},
                                {"line_id", l.line_id()},
                                {"from_km", round_km(g.stretch.from_km)},
                                {"to_km", round_km(g.stretch.to_km)},
                                {"length_km", round_km(g.stretch.length_km())},
                                {"parties", io::rows_json(parties)}});
                continue;
            }
            fmt::print("{} on {}, {:.3f}-{:.3f} km ({:.3f} km)\n", g.gap_id, l.line_id(),
                       g.stretch.from_km, g.stretch.to_km, g.stretch.length_km());
            print_table(stdout, parties);
            fmt::print("\n");
        }
        if (json_) {
            nlohmann::ordered_json doc = header(plan);
            doc["gaps"] = std::move(list);
            fmt::print("{}\n", io::json_text(doc));
        } else if (coverage.gaps.empty()) {
            fmt::print("No gaps as of {}.\n", plan.as_of.iso());
        }
        return 0;
    }

    /// The parties nearest to unowned marker i of the coverage, ranked as for
    /// any place on the border, with the custodians of the markers before and
    /// after it on its line measured the same way; nearest first, at most -k,
    /// each with its role.
    std::vector<std::pair<RankedParty, std::string>>
    ranked_for_marker(const Workspace& ws, const Plan& plan, const NearestIndex& index,
                      const Coverage& coverage, std::size_t i) const {
        const MarkerState& m = coverage.markers[i];
        const LocatedMarker& lm = plan.markers[m.marker];
        const PlaceOnBorder place{static_cast<std::uint32_t>(lm.line), lm.chainage_km,
                                  lm.chainage_km, ws.markers[m.marker].position};
        std::vector<std::pair<RankedParty, std::string>> ranked;
        for (const RankedParty& r : index.rank(place, k_)) {
            ranked.emplace_back(r, "nearest");
        }
        for (const int step : {-1, 1}) {
            for (auto j = static_cast<std::ptrdiff_t>(i) + step;
                 j >= 0 && j < static_cast<std::ptrdiff_t>(coverage.markers.size()); j += step) {
                const MarkerState& n = coverage.markers[static_cast<std::size_t>(j)];
                if (plan.markers[n.marker].line != lm.line) {
                    break;
                }
                if (!n.custodied()) {
                    continue;
                }
                for (const std::uint32_t c : n.custodians) {
                    const auto same = [c](const auto& e) { return e.first.party == c; };
                    const std::string role =
                        "custodian of marker " + ws.markers[n.marker].marker_id;
                    if (const auto it = std::find_if(ranked.begin(), ranked.end(), same);
                        it != ranked.end()) {
                        it->second += ", " + role;
                    } else {
                        ranked.emplace_back(index.measure(place, c), role);
                    }
                }
                break;
            }
        }
        std::stable_sort(ranked.begin(), ranked.end(), [&](const auto& a, const auto& b) {
            return ranks_before(a.first, b.first, plan);
        });
        // -k is the number of parties shown: a neighbouring marker's
        // custodian is listed (with its role) only when it ranks among them.
        if (ranked.size() > static_cast<std::size_t>(k_)) {
            ranked.resize(static_cast<std::size_t>(k_));
        }
        return ranked;
    }

    int run_markers(const Workspace& ws, const Plan& plan, const NearestIndex& index) const {
        const Coverage coverage = compute_coverage(ws, plan, {});
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        std::size_t unowned = 0;
        for (std::size_t i = 0; i < coverage.markers.size(); ++i) {
            const MarkerState& m = coverage.markers[i];
            if (m.custodied()) {
                continue;
            }
            ++unowned;
            const Marker& marker = ws.markers[m.marker];
            const LocatedMarker& lm = plan.markers[m.marker];
            const auto ranked = ranked_for_marker(ws, plan, index, coverage, i);
            std::vector<RankedParty> order;
            for (const auto& [r, role] : ranked) {
                order.push_back(r);
            }
            Table parties = parties_table(plan, order);
            parties.fields.push_back({"role", FieldType::text});
            for (std::size_t r = 0; r < parties.rows.size(); ++r) {
                parties.rows[r].values.emplace_back(ranked[r].second);
            }
            if (json_) {
                list.push_back({{"marker_id", marker.marker_id},
                                {"line_id", ws.lines[static_cast<std::size_t>(lm.line)].line_id()},
                                {"chainage_km", round_km(lm.chainage_km)},
                                {"offset_m", std::round(lm.offset_m * 10) / 10},
                                {"parties", io::rows_json(parties)}});
                continue;
            }
            fmt::print("Marker {} on {} at {:.3f} km\n", marker.marker_id,
                       ws.lines[static_cast<std::size_t>(plan.markers[m.marker].line)].line_id(),
                       plan.markers[m.marker].chainage_km);
            print_table(stdout, parties);
            fmt::print("\n");
        }
        if (json_) {
            nlohmann::ordered_json doc = header(plan);
            doc["markers"] = std::move(list);
            fmt::print("{}\n", io::json_text(doc));
        } else if (unowned == 0) {
            fmt::print("Every marker has a custodian as of {}.\n", plan.as_of.iso());
        }
        return 0;
    }

    WorkspaceOptions options_;
    std::string at_;
    std::string from_;
    std::string output_;
    OutputOptions output_options_;
    io::WriteOptions& write_ = output_options_.write;
    std::string s_srs_;
    bool gaps_ = false;
    bool markers_ = false;
    bool json_ = false;
    int k_ = 5;
    double max_offset_km_ = 5;
    // Kept in the command so main can end without freeing them piece by piece.
    Workspace ws_;
    Plan plan_;
    std::optional<NearestIndex> index_;
};

} // namespace

std::unique_ptr<Command> make_nearest_command() {
    return std::make_unique<NearestCommand>();
}

} // namespace bordercov::cli
