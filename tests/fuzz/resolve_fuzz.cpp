// libFuzzer target over the engine without GDAL files: a Workspace built in
// memory from the fuzzer's bytes (border lines, markers, communes, teams,
// households, assignments in all three forms, custodians), then resolve, the
// coverage sweep, the checks, nearest and the result tables (run_engine.hpp).
//
// Numbers are drawn from everything a double holds (NaN, infinities, 1e308,
// -0, the antimeridian, the poles, repeated vertices) and ids from small
// alphabets, so that references both hit and miss. The workspace then gets
// the shape the reader promises (io/workspace_reader.cpp): ids trimmed,
// non-empty and unique per layer; coordinates finite lon/lat on Earth;
// repeated vertices dropped and parts of two or more vertices; km finite;
// dates that parse; polygons valid (repaired with GEOS MakeValid). A feature
// the reader would drop is dropped here too, so that a crash here is one a
// workspace file can cause. With BORDERCOV_FUZZ_RAW=1 in the environment the
// engine gets the values as drawn instead: the engine's own robustness
// beyond the reader's promises (only each line part's two vertices are kept).
#include "run_engine.hpp"

#include "bordercov/date.hpp"
#include "bordercov/error.hpp"
#include "bordercov/model.hpp"
#include "detail/geos_adapter.hpp"

#include <fuzzer/FuzzedDataProvider.h>
#include <ogr_geometry.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace bordercov;

bool raw_values() {
    static const bool raw = [] {
        const char* v = std::getenv("BORDERCOV_FUZZ_RAW");
        return v != nullptr && std::strcmp(v, "0") != 0;
    }();
    return raw;
}

/// The reader's test of a coordinate (workspace_reader.cpp, check_coordinate).
bool on_earth(LonLat p) {
    return std::isfinite(p.lon) && std::isfinite(p.lat) && std::abs(p.lon) <= 180 &&
           std::abs(p.lat) <= 90;
}

/// Thrown where the reader would drop the feature being built.
struct Dropped {};

class WorkspaceBuilder {
  public:
    explicit WorkspaceBuilder(FuzzedDataProvider& in) : in_(in), raw_(raw_values()) {}

    /// False when no border line is left: the reader throws then.
    bool build() {
        const int lines = in_.ConsumeIntegralInRange(1, 4);
        for (int i = 0; i < lines; ++i) {
            attempt([&] { add_line(); });
        }
        if (ws_.lines.empty()) {
            return false;
        }
        repeat(12, [&] { add_marker(); });
        repeat(4, [&] { add_commune(); });
        repeat(4, [&] { add_team(); });
        repeat(8, [&] { add_household(); });
        repeat(12, [&] { add_assignment(); });
        repeat(8, [&] { add_custodian(); });
        for (const char* layer : {"border_lines", "markers", "communes", "teams", "households",
                                  "assignments", "marker_custodians"}) {
            ws_.sources.push_back({"fuzz", layer});
        }
        return true;
    }

    const Workspace& workspace() const { return ws_; }

    ResolveOptions options() {
        ResolveOptions o;
        o.as_of = *Date::from_ymd(2016, 1, 1);
        if (in_.ConsumeBool()) {
            if (const auto d = Date::from_ymd(in_.ConsumeIntegralInRange(1, 9999),
                                              in_.ConsumeIntegralInRange(1, 12),
                                              in_.ConsumeIntegralInRange(1, 31))) {
                o.as_of = *d;
            }
        }
        o.snap_tolerance_m = tolerance(o.snap_tolerance_m);
        o.marker_tolerance_m = tolerance(o.marker_tolerance_m);
        if (raw_ && in_.ConsumeBool()) {
            o.end_tolerance_m = in_.ConsumeFloatingPoint<double>();
        }
        return o;
    }

    fuzz::RunOptions run() {
        fuzz::RunOptions q;
        q.check_results = !raw_;
        q.k = in_.ConsumeIntegralInRange<std::size_t>(0, 8);
        const int n = in_.ConsumeIntegralInRange(0, 3);
        for (int i = 0; i < n; ++i) {
            const LonLat p = vertex(some_vertex());
            if (raw_ || on_earth(p)) { // the CLI refuses a place off the Earth
                q.points.push_back(p);
            }
        }
        return q;
    }

  private:
    template <typename F> void attempt(F add) {
        try {
            add();
        } catch (const Dropped&) {
        }
    }

    template <typename F> void repeat(int most, F add) {
        const int n = in_.ConsumeIntegralInRange(0, most);
        for (int i = 0; i < n; ++i) {
            attempt(add);
        }
    }

    double tolerance(double fallback) {
        switch (in_.ConsumeIntegralInRange(0, 3)) {
        case 0:
            return 0;
        case 1:
            return in_.ConsumeFloatingPointInRange(0.0, 1e6);
        case 2:
            return raw_ ? in_.ConsumeFloatingPoint<double>() : 1e308;
        default:
            return fallback;
        }
    }

    double special() {
        static constexpr double values[] = {std::numeric_limits<double>::quiet_NaN(),
                                            std::numeric_limits<double>::infinity(),
                                            -std::numeric_limits<double>::infinity(),
                                            std::numeric_limits<double>::max(),
                                            std::numeric_limits<double>::lowest(),
                                            std::numeric_limits<double>::denorm_min(),
                                            1e308,
                                            -1e308,
                                            -0.0,
                                            0.0,
                                            180.0,
                                            -180.0,
                                            90.0,
                                            -90.0,
                                            180.0000001,
                                            90.0000001,
                                            360.0,
                                            1e-300,
                                            1e15};
        return in_.PickValueInArray(values);
    }

    /// A vertex of a line already built, else the middle of the Gia Lai border.
    LonLat some_vertex() {
        if (ws_.lines.empty() || in_.ConsumeBool()) {
            return {107.6, 13.9};
        }
        const auto& v =
            ws_.lines[in_.ConsumeIntegralInRange<std::size_t>(0, ws_.lines.size() - 1)].vertices();
        return v[in_.ConsumeIntegralInRange<std::size_t>(0, v.size() - 1)];
    }

    LonLat vertex(LonLat near) {
        switch (in_.ConsumeIntegralInRange(0, 9)) {
        case 0:
            return near; // a repeated vertex
        case 1:
            return {near.lon + in_.ConsumeFloatingPointInRange(-0.05, 0.05),
                    near.lat + in_.ConsumeFloatingPointInRange(-0.05, 0.05)};
        case 2: // within a millimetre or so
            return {near.lon + in_.ConsumeFloatingPointInRange(-1e-8, 1e-8),
                    near.lat + in_.ConsumeFloatingPointInRange(-1e-8, 1e-8)};
        case 3: { // either side of the antimeridian
            const double d = in_.ConsumeFloatingPointInRange(0.0, 0.2);
            return {in_.ConsumeBool() ? 180.0 - d : -180.0 + d,
                    in_.ConsumeFloatingPointInRange(-70.0, 70.0)};
        }
        case 4: { // at or near a pole
            const double d = in_.ConsumeFloatingPointInRange(0.0, 0.5);
            return {in_.ConsumeFloatingPointInRange(-180.0, 180.0),
                    in_.ConsumeBool() ? 90.0 - d : -90.0 + d};
        }
        case 5:
            return {in_.ConsumeFloatingPointInRange(-180.0, 180.0),
                    in_.ConsumeFloatingPointInRange(-90.0, 90.0)};
        case 6:
            return in_.ConsumeBool() ? LonLat{special(), near.lat} : LonLat{near.lon, special()};
        case 7:
            return {in_.ConsumeFloatingPoint<double>(), in_.ConsumeFloatingPoint<double>()};
        case 8: // far along: a line of thousands of km
            return {near.lon + in_.ConsumeFloatingPointInRange(-90.0, 90.0),
                    near.lat + in_.ConsumeFloatingPointInRange(-45.0, 45.0)};
        default:
            return {107.6 + in_.ConsumeFloatingPointInRange(-0.5, 0.5),
                    13.9 + in_.ConsumeFloatingPointInRange(-0.5, 0.5)};
        }
    }

    /// A position the reader accepts (or drops the feature).
    LonLat position(LonLat near) {
        const LonLat p = vertex(near);
        if (!raw_ && !on_earth(p)) {
            throw Dropped{};
        }
        return p;
    }

    /// The vertices of a LineString as the reader leaves them: checked, and
    /// repeated ones dropped.
    std::vector<LonLat> polyline(LonLat start, int most) {
        std::vector<LonLat> points;
        const int n = in_.ConsumeIntegralInRange(1, most);
        LonLat last = start;
        for (int i = 0; i < n; ++i) {
            const LonLat p = position(last);
            if (raw_ || points.empty() || !(points.back() == p)) {
                points.push_back(p);
            }
            if (on_earth(p)) {
                last = p;
            }
        }
        return points;
    }

    /// A text field as the reader reads it: up to the first NUL, trimmed.
    std::string text(std::string s) {
        if (raw_) {
            return s;
        }
        s = s.substr(0, s.find('\0'));
        const auto b = s.find_first_not_of(" \t\r\n");
        if (b == std::string::npos) {
            return {};
        }
        return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
    }

    std::string word() {
        static const char* const words[] = {"21",
                                            "21/1",
                                            "22",
                                            "23",
                                            "0",
                                            "-1",
                                            "9223372036854775807",
                                            "-9223372036854775808",
                                            "99999999999999999999",
                                            " 21 ",
                                            "L1",
                                            "H1",
                                            "T1",
                                            "C1",
                                            "Ia Pnôn",
                                            "IA PNON",
                                            "ia pnon",
                                            "Đức Cơ",
                                            "-",
                                            "Tổ 1",
                                            "a,b",
                                            "\xff\xfe",
                                            "left",
                                            "right"};
        switch (in_.ConsumeIntegralInRange(0, 4)) {
        case 0:
            return {};
        case 1: {
            static const char digits[] = "0123456789/";
            std::string s(in_.ConsumeIntegralInRange<std::size_t>(1, 3), '0');
            for (char& c : s) {
                c = digits[in_.ConsumeIntegralInRange<std::size_t>(0, sizeof digits - 2)];
            }
            return s;
        }
        case 2:
            return in_.ConsumeRandomLengthString(8);
        default:
            return in_.PickValueInArray(words);
        }
    }

    /// Mostly one of the known ids, so references resolve; else any word.
    std::string reference(const std::vector<std::string>& known) {
        if (!known.empty() && in_.ConsumeIntegralInRange(0, 3) > 0) {
            return known[in_.ConsumeIntegralInRange<std::size_t>(0, known.size() - 1)];
        }
        return text(word());
    }

    /// The id field of a layer that wants unique ids (the reader drops a
    /// feature without one, or with one seen before).
    std::string unique_id(std::vector<std::string>& seen) {
        std::string id = text(word());
        if (!raw_) {
            if (id.empty() || std::find(seen.begin(), seen.end(), id) != seen.end()) {
                throw Dropped{};
            }
        }
        seen.push_back(id);
        return id;
    }

    std::optional<Date> date() {
        std::optional<Date> d;
        bool given = true;
        switch (in_.ConsumeIntegralInRange(0, 3)) {
        case 0:
            return std::nullopt;
        case 1:
            d = Date::from_ymd(in_.ConsumeIntegralInRange(2000, 2030),
                               in_.ConsumeIntegralInRange(1, 12),
                               in_.ConsumeIntegralInRange(1, 31));
            break;
        case 2: {
            const std::string s = text(in_.ConsumeRandomLengthString(12));
            given = !s.empty();
            d = Date::parse(s);
            break;
        }
        default:
            d = Date::from_ymd(in_.ConsumeIntegral<int>(), in_.ConsumeIntegral<int>(),
                               in_.ConsumeIntegral<int>());
            break;
        }
        if (given && !d && !raw_) {
            throw Dropped{}; // bad-date
        }
        return d;
    }

    std::optional<double> km(double length) {
        std::optional<double> v;
        switch (in_.ConsumeIntegralInRange(0, 6)) {
        case 0:
            return std::nullopt;
        case 1:
            v = special();
            break;
        case 2:
            v = in_.ConsumeFloatingPoint<double>();
            break;
        case 3:
            v = length;
            break;
        case 4:
            v = length + in_.ConsumeFloatingPointInRange(-0.002, 0.002);
            break;
        case 5:
            v = in_.ConsumeFloatingPointInRange(-0.002, 0.002);
            break;
        default:
            v = in_.ConsumeFloatingPointInRange(-1.0, length + 1.0);
            break;
        }
        if (!raw_ && !std::isfinite(*v)) {
            throw Dropped{}; // bad-number
        }
        return v;
    }

    void add_line() {
        std::string id = unique_id(line_ids_);
        std::vector<BorderLine::Part> parts;
        const int n = in_.ConsumeIntegralInRange(1, 3);
        LonLat start = some_vertex();
        for (int p = 0; p < n; ++p) {
            auto part = polyline(start, 16);
            if (!part.empty()) {
                start = part.back();
            }
            if (part.size() >= 2) {
                parts.push_back(std::move(part));
            }
        }
        if (parts.empty()) { // degenerate-line (its id stays taken, as in the reader)
            throw Dropped{};
        }
        BorderLine line(std::move(id), std::move(parts));
        line.name = text(word());
        line.neighbour = text(word());
        static const char* const sides[] = {"", "left", "right"};
        line.neighbour_side = in_.PickValueInArray(sides);
        line.fid = static_cast<std::int64_t>(ws_.lines.size());
        ws_.lines.push_back(std::move(line));
    }

    void add_marker() {
        Marker m;
        m.marker_id = unique_id(marker_ids_);
        m.position = position(some_vertex());
        m.line_id = reference(line_ids_);
        m.kind = text(word());
        m.built = date();
        m.fid = static_cast<std::int64_t>(ws_.markers.size());
        ws_.markers.push_back(std::move(m));
    }

    Ring ring(LonLat near) {
        Ring r;
        if (in_.ConsumeBool()) { // a box, corners in any order
            const LonLat a = position(near), b = position(near);
            r = {a, {b.lon, a.lat}, b, {a.lon, b.lat}};
        } else {
            const int n = in_.ConsumeIntegralInRange(3, 7);
            for (int i = 0; i < n; ++i) {
                r.push_back(position(r.empty() ? near : r.back()));
            }
        }
        r.push_back(r.front());
        return r;
    }

    MultiPolygon area() {
        MultiPolygon area;
        const int n = in_.ConsumeIntegralInRange(0, 2);
        for (int i = 0; i < n; ++i) {
            Polygon polygon{ring(some_vertex())};
            if (in_.ConsumeBool()) {
                polygon.push_back(ring(polygon.front().front()));
            }
            area.push_back(std::move(polygon));
        }
        return raw_ ? area : as_the_reader_repairs(area);
    }

    /// The reader's repair of an invalid polygon: GEOS MakeValid, keeping
    /// what is polygonal; the commune is dropped when nothing is left.
    static MultiPolygon as_the_reader_repairs(const MultiPolygon& area) {
        if (area.empty()) {
            return area;
        }
        OGRMultiPolygon multi;
        for (const Polygon& polygon : area) {
            OGRPolygon p;
            for (const Ring& r : polygon) {
                OGRLinearRing ring;
                for (const LonLat& v : r) {
                    ring.addPoint(v.lon, v.lat);
                }
                p.addRing(&ring);
            }
            multi.addGeometry(&p);
        }
        const OGRGeometry& g = area.size() == 1
                                   ? static_cast<const OGRGeometry&>(*multi.getGeometryRef(0))
                                   : static_cast<const OGRGeometry&>(multi);
        detail::Wkb wkb(static_cast<std::size_t>(g.WkbSize()));
        g.exportToWkb(wkbNDR, wkb.data());
        std::unique_ptr<OGRGeometry> fixed(g.clone());
        if (!detail::check_validity(wkb).valid) {
            const detail::Wkb repaired_wkb = detail::make_valid(wkb);
            OGRGeometry* repaired = nullptr;
            if (repaired_wkb.empty() ||
                OGRGeometryFactory::createFromWkb(repaired_wkb.data(), nullptr, &repaired,
                                                  repaired_wkb.size()) != OGRERR_NONE ||
                repaired->IsEmpty()) {
                delete repaired;
                throw Dropped{};
            }
            fixed.reset(repaired);
        }
        MultiPolygon out;
        const auto add_polygon = [&](const OGRPolygon& polygon) {
            Polygon p;
            for (const OGRLinearRing* r : polygon) {
                Ring ring;
                for (const OGRPoint& v : *r) {
                    ring.push_back({v.getX(), v.getY()});
                }
                p.push_back(std::move(ring));
            }
            out.push_back(std::move(p));
        };
        const auto type = wkbFlatten(fixed->getGeometryType());
        if (type == wkbPolygon) {
            add_polygon(*fixed->toPolygon());
        } else if (type == wkbMultiPolygon) {
            for (const OGRPolygon* p : *fixed->toMultiPolygon()) {
                add_polygon(*p);
            }
        }
        return out;
    }

    void add_commune() {
        Commune c;
        c.commune_id = unique_id(commune_ids_);
        c.name = text(word());
        c.district = text(word());
        c.province = text(word());
        c.area = area();
        c.fid = static_cast<std::int64_t>(ws_.communes.size());
        ws_.communes.push_back(std::move(c));
    }

    void add_team() {
        Team t;
        t.team_id = unique_id(team_ids_);
        t.name = text(word());
        t.commune_id = reference(commune_ids_);
        t.kind = text(word());
        t.leader = text(word());
        if (in_.ConsumeBool()) {
            t.position = position(some_vertex());
        }
        t.fid = static_cast<std::int64_t>(ws_.teams.size());
        ws_.teams.push_back(std::move(t));
    }

    void add_household() {
        Household h;
        h.household_id = unique_id(household_ids_);
        h.head = text(word());
        h.team_id = reference(team_ids_);
        h.commune_id = reference(commune_ids_);
        if (in_.ConsumeBool()) {
            h.members = in_.ConsumeIntegral<std::int64_t>();
        }
        if (in_.ConsumeBool()) {
            h.home = position(some_vertex());
        }
        h.fid = static_cast<std::int64_t>(ws_.households.size());
        ws_.households.push_back(std::move(h));
    }

    PartyType party(std::string& id) {
        const PartyType type = in_.ConsumeBool() ? PartyType::team : PartyType::household;
        // Now and then the id of the other kind of party.
        const bool same = in_.ConsumeIntegralInRange(0, 4) > 0;
        id = reference((type == PartyType::team) == same ? team_ids_ : household_ids_);
        return type;
    }

    void add_assignment() {
        Assignment a;
        a.assignment_id = unique_id(assignment_ids_);
        a.party_type = party(a.party_id);
        a.line_id = reference(line_ids_);
        const double length =
            ws_.lines[in_.ConsumeIntegralInRange<std::size_t>(0, ws_.lines.size() - 1)].length_km();
        const int forms = in_.ConsumeIntegralInRange(0, 7); // mostly one, sometimes none or several
        if (forms & 1) {
            a.from_marker = reference(marker_ids_);
            a.to_marker = reference(marker_ids_);
        }
        if (forms & 2) {
            a.from_km = km(length);
            a.to_km = km(length);
        }
        if (forms & 4) {
            a.drawn = polyline(some_vertex(), 6);
        }
        a.signed_on = date();
        a.expires = date();
        a.fid = static_cast<std::int64_t>(ws_.assignments.size());
        ws_.assignments.push_back(std::move(a));
    }

    void add_custodian() {
        MarkerCustodian c;
        c.marker_id = reference(marker_ids_);
        c.party_type = party(c.party_id);
        c.signed_on = date();
        c.expires = date();
        c.fid = static_cast<std::int64_t>(ws_.custodians.size());
        ws_.custodians.push_back(std::move(c));
    }

    FuzzedDataProvider& in_;
    bool raw_;
    Workspace ws_;
    std::vector<std::string> line_ids_, marker_ids_, commune_ids_, team_ids_, household_ids_,
        assignment_ids_;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    WorkspaceBuilder builder(in);
    if (!builder.build()) {
        return 0;
    }
    const ResolveOptions options = builder.options();
    const fuzz::RunOptions run = builder.run();
    Diagnostics diagnostics;
    try {
        fuzz::run_engine(builder.workspace(), options, diagnostics, run);
    } catch (const Error&) {
        // A bordercov error is an answer, not a crash.
    } catch (const std::exception& e) {
        fuzz::fail("unexpected exception:", e.what());
    }
    return 0;
}
