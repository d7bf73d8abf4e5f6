// A PostgreSQL/PostGIS workspace and output against a real server: the
// throwaway cluster of pg_cluster.sh, with the Gia Lai sample loaded into
// database gialai, schema plan, as the README says (load_sample.sh). Each
// test works on a copy of that database of its own, through the built
// bordercov and psql, as users and stations would.
//
// Expected figures come from the same sample read from its GeoPackage and
// from geodata/README.md's documented figures, never from bordercov's
// reading of the database itself.
#include "fixture.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace bordercov {
namespace {

using nlohmann::json;
using test::run_bordercov;
using test::RunResult;
using test::slurp;
using test::TempDir;
namespace fs = std::filesystem;

const std::string kSample = std::string(BORDERCOV_SOURCE_DIR) + "/geodata/gia-lai.gpkg";
const std::string kAsOf = "2026-11-28";

/// The folder of the test cluster's socket, as pg_cluster.sh wrote it.
std::string socket_dir() {
    const char* state = std::getenv("BORDERCOV_PG_STATE");
    std::string dir = state ? slurp(state) : std::string{};
    while (!dir.empty() && (dir.back() == '\n' || dir.back() == ' ')) {
        dir.pop_back();
    }
    return dir;
}

std::string sh_quote(const std::string& s) {
    std::string out = "'";
    for (const char c : s) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

/// A shell command's exit code and output.
RunResult shell(const std::string& command) {
    TempDir dir;
    const std::string out = dir / "out", err = dir / "err";
    const int status =
        std::system((command + " >" + sh_quote(out) + " 2>" + sh_quote(err)).c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

/// psql on a database of the cluster, as a role (bordercov_admin needs no
/// password; others find theirs through `env`, e.g. PGPASSFILE=...).
RunResult psql(const std::string& database, const std::string& sql,
               const std::string& role = "bordercov_admin", const std::string& env = "") {
    return shell(env + " PGHOST=" + sh_quote(socket_dir()) +
                 " psql -X -q -At -v ON_ERROR_STOP=1 -U " + sh_quote(role) + " -d " +
                 sh_quote(database) + " -c " + sh_quote(sql));
}

/// The one value a query returns.
std::string value(const std::string& database, const std::string& sql) {
    RunResult r = psql(database, sql);
    EXPECT_EQ(r.code, 0) << sql << "\n" << r.err;
    while (!r.out.empty() && r.out.back() == '\n') {
        r.out.pop_back();
    }
    return r.out;
}

/// A coverage document with what differs by where it was read from left
/// out, and every list in a fixed order: the figures alone.
json figures(json doc) {
    doc.erase("workspace");
    for (auto& [key, v] : doc.items()) {
        if (v.is_array()) {
            std::sort(v.begin(), v.end(),
                      [](const json& a, const json& b) { return a.dump() < b.dump(); });
        }
    }
    return doc;
}

json coverage_json(const std::string& workspace, const std::string& env = "",
                   const std::string& as_of = kAsOf) {
    const RunResult r =
        run_bordercov({"coverage", workspace, "--as-of", as_of, "--json"}, env + " ");
    EXPECT_EQ(r.code, 0) << r.err;
    return r.code == 0 ? json::parse(r.out) : json{};
}

/// A password file for the roles of load_sample.sh (any host: the socket).
std::string write_pgpass(const TempDir& dir) {
    const std::string file = dir / "pgpass";
    std::ofstream(file) << "*:*:*:station_duc_co:tram-duc-co\n*:*:*:planner_ro:chi-doc\n";
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write,
                    fs::perm_options::replace);
    return file;
}

class PostgisTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_FALSE(socket_dir().empty()) << "no test cluster (BORDERCOV_PG_STATE)";
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        db_ = "t_" + std::string(info->name());
        std::transform(db_.begin(), db_.end(), db_.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        psql("postgres", "DROP DATABASE IF EXISTS " + db_ + " WITH (FORCE)");
        const RunResult r = psql("postgres", "CREATE DATABASE " + db_ + " TEMPLATE gialai");
        ASSERT_EQ(r.code, 0) << r.err;
        pgpass_ = write_pgpass(dir_);
    }
    void TearDown() override {
        psql("postgres", "DROP DATABASE IF EXISTS " + db_ + " WITH (FORCE)");
    }

    /// The test's database as bordercov is given it, as a role.
    std::string pg(const std::string& more = "active_schema=plan",
                   const std::string& role = "bordercov_admin") const {
        return "PG:host=" + socket_dir() + " user=" + role + " dbname=" + db_ +
               (more.empty() ? "" : " " + more);
    }
    std::string pgpass_env() const { return "PGPASSFILE=" + sh_quote(pgpass_); }

    TempDir dir_;
    std::string db_;
    std::string pgpass_;
};

// --- reading -----------------------------------------------------------

TEST_F(PostgisTest, SampleGivesTheGeoPackagesFigures) {
    const json from_file = coverage_json(kSample);
    const json from_database = coverage_json(pg());
    ASSERT_FALSE(from_file.empty());
    EXPECT_EQ(figures(from_database), figures(from_file));
    // geodata/README.md, "Expected results", as of 2026-11-28.
    const std::map<std::string, double> pct{{"IaO", 97.03},   {"IaChia", 91.52}, {"IaDom", 96.65},
                                            {"IaNan", 84.55}, {"IaPnon", 100.0}, {"IaPuch", 97.14},
                                            {"IaMo", 96.49}};
    ASSERT_EQ(from_database["communes"].size(), pct.size());
    for (const json& c : from_database["communes"]) {
        EXPECT_DOUBLE_EQ(c["coverage_pct"].get<double>(), pct.at(c["commune_id"]));
    }
    EXPECT_EQ(from_database["gaps"].size(), 7u);
    EXPECT_DOUBLE_EQ(from_database["lines"][0]["length_km"].get<double>(), 90.2);
    // Vietnamese read back whole.
    EXPECT_NE(from_database.dump().find("Ia Púch"), std::string::npos);

    const RunResult check = run_bordercov({"check", pg(), "--as-of", kAsOf});
    EXPECT_EQ(check.code, 0) << check.err;
    EXPECT_NE(check.out.find("no problems found"), std::string::npos) << check.out;
}

TEST_F(PostgisTest, ReviewAndRenewalsGiveTheGeoPackagesFigures) {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"review", "--from", "2015-12-31", "--to", "2026-11-28",
                                   "--every", "year", "--json"},
          std::vector<std::string>{"renewals", "--as-of", "2025-05-01", "--json"}}) {
        const auto run = [&](const std::string& workspace) {
            std::vector<std::string> full = args;
            full.insert(full.begin() + 1, workspace);
            const RunResult r = run_bordercov(full);
            EXPECT_EQ(r.code, 0) << r.err;
            json doc = r.code == 0 ? json::parse(r.out) : json{};
            doc.erase("workspace");
            return doc;
        };
        const json from_file = run(kSample);
        ASSERT_FALSE(from_file.empty()) << args[0];
        EXPECT_EQ(run(pg()), from_file) << args[0];
    }
}

TEST_F(PostgisTest, EveryWayOfNamingTheDatabaseAndSchema) {
    const json expected = figures(coverage_json(kSample));
    // The schema as an option, as schemas=, the URI form with the socket as
    // its host parameter, and dbname= before host= (as a newcomer writes it).
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{pg(""), "--workspace-schema", "plan"},
          {pg("schemas=plan")},
          {"postgresql://bordercov_admin@/" + db_ + "?host=" + socket_dir() +
           "&active_schema=plan"},
          {"PG:dbname=" + db_ + " host=" + socket_dir() +
           " user=bordercov_admin active_schema=plan"}}) {
        std::vector<std::string> command{"coverage"};
        command.insert(command.end(), args.begin(), args.end());
        command.insert(command.end(), {"--as-of", kAsOf, "--json"});
        const RunResult r = run_bordercov(command);
        ASSERT_EQ(r.code, 0) << args[0] << "\n" << r.err;
        EXPECT_EQ(figures(json::parse(r.out)), expected) << args[0];
    }
    // Without a schema: public, which holds no workspace.
    const RunResult none = run_bordercov({"coverage", pg(""), "--as-of", kAsOf});
    EXPECT_EQ(none.code, 1);
    EXPECT_NE(none.err.find("(schema public)"), std::string::npos) << none.err;
    EXPECT_NE(none.err.find("border_lines"), std::string::npos) << none.err;
}

TEST_F(PostgisTest, InfoListsTheSevenTables) {
    const RunResult r = run_bordercov({"info", pg()});
    ASSERT_EQ(r.code, 0) << r.err;
    for (const char* layer : {"border_lines", "markers", "communes", "teams", "households",
                              "assignments", "marker_custodians"}) {
        EXPECT_NE(r.out.find(layer), std::string::npos) << layer;
    }
    EXPECT_NE(r.out.find("6286"), std::string::npos) << r.out; // households, as loaded
}

// --- the workspace schema -------------------------------------------------

TEST_F(PostgisTest, ConstraintsRefuseWhatAFileCannot) {
    const std::string team = "INSERT INTO plan.households (household_id, team_id, commune_id) ";
    // A second household H00001.
    const RunResult duplicate =
        psql(db_, team + "SELECT household_id, team_id, commune_id FROM plan.households LIMIT 1");
    EXPECT_NE(duplicate.code, 0);
    EXPECT_NE(duplicate.err.find("duplicate key"), std::string::npos) << duplicate.err;
    const std::string assignment =
        "INSERT INTO plan.assignments (assignment_id, party_type, party_id, line_id, from_km, "
        "to_km) VALUES ";
    const RunResult bad_type =
        psql(db_, assignment + "('A-NEW', 'family', 'H00001', 'VN-KH-GL', 1, 2)");
    EXPECT_NE(bad_type.code, 0);
    EXPECT_NE(bad_type.err.find("assignments_party_type"), std::string::npos) << bad_type.err;
    const RunResult unknown_line =
        psql(db_, assignment + "('A-NEW', 'household', 'H00001', 'NO-SUCH-LINE', 1, 2)");
    EXPECT_NE(unknown_line.code, 0);
    EXPECT_NE(unknown_line.err.find("foreign key"), std::string::npos) << unknown_line.err;
    const RunResult backwards_dates = psql(
        db_, "INSERT INTO plan.assignments (assignment_id, party_type, party_id, line_id, from_km, "
             "to_km, signed, expires) VALUES ('A-NEW', 'team', 'T01', 'VN-KH-GL', 1, 2, "
             "'2020-01-01', '2019-01-01')");
    EXPECT_NE(backwards_dates.err.find("assignments_dates"), std::string::npos)
        << backwards_dates.err;
    const RunResult two_forms = psql(
        db_, "INSERT INTO plan.assignments (assignment_id, party_type, party_id, line_id, from_km, "
             "to_km, from_marker, to_marker) SELECT 'A-NEW', 'team', 'T01', 'VN-KH-GL', 1, 2, "
             "min(marker_id), max(marker_id) FROM plan.markers");
    EXPECT_NE(two_forms.err.find("assignments_one_form"), std::string::npos) << two_forms.err;
    const RunResult half_km =
        psql(db_, assignment + "('A-NEW', 'team', 'T01', 'VN-KH-GL', 1, NULL)");
    EXPECT_NE(half_km.err.find("assignments_km_paired"), std::string::npos) << half_km.err;
    // What bordercov accepts, the database accepts: a Vietnamese party type.
    const RunResult good =
        psql(db_, assignment + "('A-NEW', 'Hộ gia đình', 'H00001', 'VN-KH-GL', 1, 2)");
    EXPECT_EQ(good.code, 0) << good.err;
    EXPECT_EQ(value(db_, "SELECT count(*) FROM plan.assignments"), "6294");
}

TEST_F(PostgisTest, AuditRecordsWhoChangedWhatFromWhatToWhat) {
    const std::string id = value(db_, "SELECT min(household_id) FROM plan.households");
    const std::string old_head =
        value(db_, "SELECT head FROM plan.households WHERE household_id = '" + id + "'");
    const RunResult edit = psql(
        db_, "UPDATE plan.households SET head = 'Rơ Châm Ơi' WHERE household_id = '" + id + "'",
        "station_duc_co", pgpass_env());
    ASSERT_EQ(edit.code, 0) << edit.err;
    EXPECT_EQ(value(db_, "SELECT changed_by || '|' || action || '|' || row_id || '|' || "
                         "(old_values->>'head') || '|' || (new_values->>'head') FROM "
                         "plan.workspace_audit WHERE table_name = 'households' AND action = "
                         "'UPDATE'"),
              "station_duc_co|UPDATE|" + id + "|" + old_head + "|Rơ Châm Ơi");
    const RunResult removed =
        psql(db_,
             "DELETE FROM plan.marker_custodians WHERE custody_id = (SELECT min(custody_id) "
             "FROM plan.marker_custodians)",
             "station_duc_co", pgpass_env());
    ASSERT_EQ(removed.code, 0) << removed.err;
    EXPECT_EQ(value(db_, "SELECT count(*) FROM plan.workspace_audit WHERE action = 'DELETE' AND "
                         "changed_by = 'station_duc_co' AND new_values IS NULL AND "
                         "old_values ? 'marker_id'"),
              "1");
    // An editor may read the audit but not rewrite it.
    const RunResult forge =
        psql(db_, "DELETE FROM plan.workspace_audit", "station_duc_co", pgpass_env());
    EXPECT_NE(forge.code, 0);
    EXPECT_NE(forge.err.find("permission denied"), std::string::npos) << forge.err;
}

// --- one consistent snapshot ---------------------------------------------

TEST_F(PostgisTest, OneSnapshotWhileAnotherUserCommits) {
    const json before = coverage_json(pg());
    ASSERT_FALSE(before.empty());
    // A household and its commitment to gap G1, committed together by a
    // station while bordercov has read the households and not yet the
    // assignments.
    const json& gap = before["gaps"][0];
    const std::string pause = dir_ / "pause";
    auto run = std::async(std::launch::async, [&] {
        return run_bordercov({"coverage", pg(), "--as-of", kAsOf, "--json"},
                             "BORDERCOV_TEST_PAUSE_BETWEEN_LAYERS=" + sh_quote(pause) + " ");
    });
    for (int i = 0; i < 600 && !fs::exists(pause + ".paused"); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_TRUE(fs::exists(pause + ".paused")) << "bordercov never paused";
    const RunResult commit =
        psql(db_,
             fmt::format("BEGIN; INSERT INTO plan.households (household_id, head, team_id, "
                         "commune_id, geom) SELECT 'H-NEW', 'Siu Blơn', team_id, commune_id, geom "
                         "FROM plan.households WHERE commune_id = '{}' LIMIT 1; INSERT INTO "
                         "plan.assignments (assignment_id, party_type, party_id, line_id, from_km, "
                         "to_km, signed) VALUES ('A-NEW', 'household', 'H-NEW', '{}', {}, {}, "
                         "'2020-01-01'); COMMIT;",
                         gap["commune_id"].get<std::string>(), gap["line_id"].get<std::string>(),
                         gap["from_km"].get<double>(), gap["to_km"].get<double>()),
             "station_duc_co", pgpass_env());
    ASSERT_EQ(commit.code, 0) << commit.err;
    std::ofstream(pause + ".resume") << "go\n";
    const RunResult during = run.get();
    ASSERT_EQ(during.code, 0) << during.err;
    // Neither the household nor its commitment: the figures as before, and
    // no commitment of an unknown household.
    EXPECT_EQ(figures(json::parse(during.out)), figures(before));
    EXPECT_EQ(during.out.find("unknown-party"), std::string::npos);
    // Both, once read again: one gap fewer, one household more.
    const json after = coverage_json(pg());
    EXPECT_EQ(after["gaps"].size() + 1, before["gaps"].size());
    int households_before = 0, households_after = 0;
    for (const json& c : before["communes"]) {
        households_before += c["households"].get<int>();
    }
    for (const json& c : after["communes"]) {
        households_after += c["households"].get<int>();
    }
    EXPECT_EQ(households_after, households_before + 1);
}

// --- writing -------------------------------------------------------------

/// Rows and a sum per output table: which run's output a schema holds.
std::string signature(const std::string& db, const std::string& schema) {
    std::string s;
    for (const char* table : {"segments", "gaps", "markers", "commune_summary", "line_summary",
                              "team_summary", "district_summary", "diagnostics"}) {
        s += value(db, fmt::format("SELECT count(*) FROM \"{}\".{}", schema, table)) + ";";
    }
    return s + value(db, "SELECT round(sum(uncovered_km)::numeric, 3) FROM \"" + schema +
                             "\".commune_summary");
}

TEST_F(PostgisTest, OutputsReplaceOnlyBordercovsOwnTables) {
    ASSERT_EQ(psql(db_, "CREATE SCHEMA results; CREATE TABLE results.station_notes (note text); "
                        "INSERT INTO results.station_notes VALUES ('Đồn Biên phòng Ia Dom')")
                  .code,
              0);
    const std::vector<std::string> write{"coverage", pg(),   "--as-of",  "2015-12-31",
                                         "-o",       pg(""), "--schema", "results"};
    const RunResult first = run_bordercov(write);
    ASSERT_EQ(first.code, 0) << first.err;
    // As many features as the same run writes to a GeoPackage.
    const std::string gpkg = dir_ / "c.gpkg";
    ASSERT_EQ(run_bordercov({"coverage", kSample, "--as-of", "2015-12-31", "-o", gpkg}).code, 0);
    const auto file = test::open_vector(gpkg);
    for (OGRLayer* layer : file->GetLayers()) {
        if (std::string(layer->GetName()) == "layer_styles") {
            continue;
        }
        EXPECT_EQ(value(db_, fmt::format("SELECT count(*) FROM results.{}", layer->GetName())),
                  std::to_string(layer->GetFeatureCount()))
            << layer->GetName();
    }
    const std::string first_run = signature(db_, "results");
    // Again: refused without --overwrite, nothing touched.
    const RunResult again = run_bordercov(write);
    EXPECT_EQ(again.code, 3);
    EXPECT_NE(again.err.find("--overwrite"), std::string::npos) << again.err;
    EXPECT_EQ(signature(db_, "results"), first_run);
    // With --overwrite, another date: the new result, whole.
    std::vector<std::string> overwrite = write;
    overwrite[3] = kAsOf;
    overwrite.push_back("--overwrite");
    const RunResult replaced = run_bordercov(overwrite);
    ASSERT_EQ(replaced.code, 0) << replaced.err;
    EXPECT_NE(signature(db_, "results"), first_run);
    EXPECT_EQ(value(db_, "SELECT note FROM results.station_notes"), "Đồn Biên phòng Ia Dom");
    // The styles are where QGIS looks, once per styled layer, not twice.
    EXPECT_EQ(value(db_, "SELECT count(*) FROM public.layer_styles WHERE f_table_schema = "
                         "'results' AND f_table_catalog = current_database() AND useasdefault"),
              "5");
    // A table of the user's that bears the name of a layer: refused, kept.
    ASSERT_EQ(psql(db_, "CREATE SCHEMA mine; CREATE TABLE mine.gaps (id int); INSERT INTO "
                        "mine.gaps VALUES (7)")
                  .code,
              0);
    std::vector<std::string> into_mine = overwrite;
    into_mine[7] = "mine";
    const RunResult refused = run_bordercov(into_mine);
    EXPECT_EQ(refused.code, 3);
    EXPECT_NE(refused.err.find("did not write"), std::string::npos) << refused.err;
    EXPECT_EQ(value(db_, "SELECT id FROM mine.gaps"), "7");
    EXPECT_EQ(value(db_, "SELECT count(*) FROM pg_tables WHERE schemaname = 'mine'"), "1");
    // The workspace's own schema is only ever read.
    into_mine[7] = "plan";
    EXPECT_EQ(run_bordercov(into_mine).code, 3);
}

TEST_F(PostgisTest, ConcurrentRunsLeaveOneWholeResult) {
    // The two results, each written alone, for reference.
    const auto write = [&](const std::string& as_of, const std::string& schema, bool overwrite) {
        std::vector<std::string> args{"coverage", pg(),   "--as-of",  as_of,
                                      "-o",       pg(""), "--schema", schema};
        if (overwrite) {
            args.push_back("--overwrite");
        }
        return run_bordercov(args);
    };
    ASSERT_EQ(write("2015-12-31", "ref_a", false).code, 0);
    ASSERT_EQ(write(kAsOf, "ref_b", false).code, 0);
    const std::string a = signature(db_, "ref_a"), b = signature(db_, "ref_b");
    ASSERT_NE(a, b);
    // Two at once into an empty schema: one writes, the other finds its
    // tables there and stops.
    {
        auto first =
            std::async(std::launch::async, [&] { return write("2015-12-31", "both", false); });
        auto second = std::async(std::launch::async, [&] { return write(kAsOf, "both", false); });
        const RunResult r1 = first.get(), r2 = second.get();
        EXPECT_EQ(std::set<int>({r1.code, r2.code}), std::set<int>({0, 3})) << r1.err << r2.err;
        const std::string got = signature(db_, "both");
        EXPECT_TRUE(got == a || got == b) << got;
    }
    // Two at once replacing: both write, one after the other, and the
    // schema holds one of the two results whole, never a mix.
    for (int round = 0; round < 3; ++round) {
        auto first =
            std::async(std::launch::async, [&] { return write("2015-12-31", "both", true); });
        auto second = std::async(std::launch::async, [&] { return write(kAsOf, "both", true); });
        const RunResult r1 = first.get(), r2 = second.get();
        EXPECT_EQ(r1.code, 0) << r1.err;
        EXPECT_EQ(r2.code, 0) << r2.err;
        const std::string got = signature(db_, "both");
        EXPECT_TRUE(got == a || got == b) << got;
        EXPECT_EQ(value(db_, "SELECT count(*) FROM public.layer_styles WHERE f_table_schema = "
                             "'both' AND f_table_catalog = current_database()"),
                  "5");
    }
}

TEST_F(PostgisTest, ReadOnlyRoleReadsAndIsToldWhatWritingNeeds) {
    const json expected = figures(coverage_json(kSample));
    const json read = coverage_json(pg("active_schema=plan", "planner_ro"), pgpass_env());
    EXPECT_EQ(figures(read), expected);
    // Writing needs CREATE, on the database for a new schema...
    const RunResult new_schema =
        run_bordercov({"coverage", pg("active_schema=plan", "planner_ro"), "--as-of", kAsOf, "-o",
                       pg("", "planner_ro"), "--schema", "results"},
                      pgpass_env() + " ");
    EXPECT_EQ(new_schema.code, 3);
    EXPECT_NE(new_schema.err.find("CREATE privilege on database"), std::string::npos)
        << new_schema.err;
    // ... and on an existing schema for tables in it.
    const RunResult in_plan =
        run_bordercov({"coverage", pg("active_schema=plan", "planner_ro"), "--as-of", kAsOf, "-o",
                       pg("", "planner_ro"), "--schema", "public"},
                      pgpass_env() + " ");
    EXPECT_EQ(in_plan.code, 3);
    EXPECT_NE(in_plan.err.find("CREATE privilege on it"), std::string::npos) << in_plan.err;
    // A table it may not read is named, with the privilege it needs.
    ASSERT_EQ(psql(db_, "REVOKE SELECT ON plan.households FROM plan_readers").code, 0);
    const RunResult unreadable = run_bordercov(
        {"coverage", pg("active_schema=plan", "planner_ro"), "--as-of", kAsOf}, pgpass_env() + " ");
    EXPECT_EQ(unreadable.code, 3);
    EXPECT_NE(unreadable.err.find("\"plan\".\"households\""), std::string::npos) << unreadable.err;
    EXPECT_NE(unreadable.err.find("SELECT privilege"), std::string::npos) << unreadable.err;
}

TEST_F(PostgisTest, ServiceFileAndPasswordFileWork) {
    const std::string services = dir_ / "pg_service.conf";
    std::ofstream(services) << "[gialai_test]\nhost=" << socket_dir() << "\ndbname=" << db_
                            << "\nuser=planner_ro\n";
    const std::string env = pgpass_env() + " PGSERVICEFILE=" + sh_quote(services);
    const json read = coverage_json("PG:service=gialai_test active_schema=plan", env);
    EXPECT_EQ(figures(read), figures(coverage_json(kSample)));
}

// --- failures, and no password ever shown ---------------------------------

TEST_F(PostgisTest, ConnectionFailuresSayWhyAndNeverShowThePassword) {
    const std::string secret = "Mat-Khau-Sai-42";
    struct Case {
        std::string workspace;
        std::string why;
    };
    // A server started, then stopped (its socket gone with it).
    const std::string stopped_state = dir_ / "stopped.path";
    const std::string script = std::string(BORDERCOV_SOURCE_DIR) + "/tests/postgis/pg_cluster.sh";
    ASSERT_EQ(shell(sh_quote(script) + " start " + sh_quote(stopped_state)).code, 0);
    std::string stopped = slurp(stopped_state);
    stopped.erase(stopped.find_last_not_of("\n") + 1);
    ASSERT_EQ(shell(sh_quote(script) + " stop " + sh_quote(stopped_state)).code, 0);
    const std::vector<Case> cases{
        {pg("active_schema=plan password=" + secret, "planner_ro"), "refused the password"},
        {"postgresql://planner_ro:" + secret + "@/" + db_ + "?host=" + socket_dir(),
         "refused the password"},
        {"PG:host=" + stopped + " dbname=" + db_ + " password=" + secret,
         "no PostgreSQL server answers"},
        {"PG:host=" + socket_dir() + " user=bordercov_admin dbname=no_such_db password='" + secret +
             "'",
         "no such database"},
    };
    for (const Case& c : cases) {
        const RunResult r = run_bordercov({"coverage", c.workspace, "--as-of", kAsOf, "--json"});
        EXPECT_EQ(r.code, 3) << c.workspace << "\n" << r.err;
        EXPECT_NE(r.err.find(c.why), std::string::npos) << r.err;
        EXPECT_EQ(r.err.find(secret), std::string::npos) << r.err;
        EXPECT_EQ(r.out.find(secret), std::string::npos) << r.out;
        // Writing there fails the same way, before any work.
        const RunResult w =
            run_bordercov({"coverage", kSample, "--as-of", kAsOf, "-o", c.workspace});
        EXPECT_EQ(w.code, 3) << w.err;
        EXPECT_EQ(w.err.find(secret), std::string::npos) << w.err;
    }
    // The right password in the connection string: read and written, and
    // shown nowhere (terminal, JSON, the diagnostics layer, whose messages
    // name the workspace: a marker 2 km off its line makes one).
    ASSERT_EQ(psql(db_, "INSERT INTO plan.markers (marker_id, line_id, geom) SELECT 'M-FAR', "
                        "line_id, ST_Translate(geom, 0.02, 0) FROM plan.markers LIMIT 1")
                  .code,
              0);
    const std::string right = pg("active_schema=plan password=chi-doc", "planner_ro");
    const RunResult ok = run_bordercov({"coverage", right, "--as-of", kAsOf});
    EXPECT_EQ(ok.code, 0) << ok.err;
    EXPECT_EQ(ok.out.find("chi-doc"), std::string::npos);
    EXPECT_EQ(ok.err.find("chi-doc"), std::string::npos);
    EXPECT_NE(ok.out.find("password=***"), std::string::npos) << ok.out;
    const RunResult json_run = run_bordercov({"coverage", right, "--as-of", kAsOf, "--json"});
    EXPECT_EQ(json_run.out.find("chi-doc"), std::string::npos);
    EXPECT_NE(json_run.out.find("marker-off-line"), std::string::npos);
    const RunResult written = run_bordercov({"coverage", right, "--as-of", kAsOf, "-o",
                                             pg("password=secret-admin"), "--schema", "results"});
    EXPECT_EQ(written.code, 0) << written.err;
    EXPECT_EQ(written.err.find("secret-admin"), std::string::npos) << written.err;
    EXPECT_EQ(value(db_, "SELECT count(*) FROM results.diagnostics WHERE message LIKE "
                         "'%password=***%' AND message NOT LIKE '%chi-doc%'"),
              "1");
    EXPECT_EQ(value(db_, "SELECT count(*) FROM results.diagnostics WHERE message LIKE '%chi-doc%'"),
              "0");
}

TEST_F(PostgisTest, HostileSchemaNameIsJustAName) {
    const std::string hostile = "a\"; drop table x; --";
    ASSERT_EQ(psql(db_, "CREATE TABLE public.x (i int)").code, 0);
    const RunResult written =
        run_bordercov({"coverage", pg(), "--as-of", kAsOf, "-o", pg(""), "--schema", hostile});
    EXPECT_EQ(written.code, 0) << written.err;
    EXPECT_EQ(value(db_, "SELECT count(*) FROM pg_tables WHERE tablename = 'x'"), "1");
    EXPECT_EQ(
        value(db_, "SELECT count(*) FROM pg_tables WHERE schemaname = 'a\"; drop table x; --'"),
        "8");
    // Read from: no such schema (exit 3), nothing dropped.
    const RunResult read = run_bordercov(
        {"coverage", pg(""), "--workspace-schema", "b\"; drop table x; --", "--as-of", kAsOf});
    EXPECT_EQ(read.code, 3) << read.err;
    EXPECT_NE(read.err.find("no schema"), std::string::npos) << read.err;
    // The workspace itself under that name: read as any other.
    ASSERT_EQ(psql(db_, "ALTER SCHEMA plan RENAME TO \"b\"\"; drop table x; --\"").code, 0);
    const RunResult moved = run_bordercov({"coverage", pg(""), "--workspace-schema",
                                           "b\"; drop table x; --", "--as-of", kAsOf, "--json"});
    ASSERT_EQ(moved.code, 0) << moved.err;
    EXPECT_EQ(figures(json::parse(moved.out)), figures(coverage_json(kSample)));
    EXPECT_EQ(value(db_, "SELECT count(*) FROM pg_tables WHERE tablename = 'x'"), "1");
}

} // namespace
} // namespace bordercov
