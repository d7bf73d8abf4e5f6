// The bad-input corpus (tests/data/bad): one broken workspace per check and
// per kind of bad input docs/workspace.md describes, each folder holding the workspace and an
// expect.json that says, from the defect put there by hand, what bordercov
// must say about it. Each case runs the built CLI:
//   check --json      exits as expected and names each defect: code,
//                     severity, layer, feature id, field, and what to do;
//   coverage --json   never crashes; a feature with an error is dropped and
//                     the run goes on, unless --strict, which refuses data
//                     with errors (warnings never stop a run);
// and neither touches the input. A case marked "pending" (a known gap in
// bordercov) is run too, but only reported, as a skip.
//
// expect.json:
//   {"what": "two markers share marker_id 21",
//    "workspace": "workspace.gpkg",      (in the case folder; default: the folder)
//    "command": ["check"],               (and any options)
//    "exit": 1,                          (of check)
//    "unusable": true,                   (the workspace cannot be used at all)
//    "unusable_contains": ["border_lines"], "stderr_contains": ["gia-lai.gpkg"],
//    "codes": [{"code": "duplicate-id", "severity": "error", "layer": "markers",
//               "feature_id": "21", "field": "marker_id"}],  (feature_id and field:
//                                        checked when given; null = none)
//    "exact": false,                     (allow diagnostics besides "codes")
//    "coverage_exit": 0,                 (default: from "exit" and "unusable")
//    "pending": true, "pending_reason": "..."}
#include "fixture.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace bordercov {
namespace {

using nlohmann::json;
using test::run_bordercov;
using test::RunResult;
using test::slurp;
using test::TempDir;
namespace fs = std::filesystem;

const fs::path corpus_root = BORDERCOV_BAD_CORPUS;

/// The case folders, by name. Read when the tests are listed, so a new
/// folder is a new test.
std::vector<std::string> case_names() {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(corpus_root, ec)) {
        if (entry.is_directory() && fs::exists(entry.path() / "expect.json")) {
            names.push_back(entry.path().filename().string());
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

/// Size, time and content of every file under a folder: what "untouched" means.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (entry.is_regular_file()) {
            const std::string content = slurp(entry.path());
            files[fs::relative(entry.path(), dir).string()] =
                std::to_string(content.size()) + " bytes, modified " +
                std::to_string(entry.last_write_time().time_since_epoch().count()) + ", hash " +
                std::to_string(std::hash<std::string>{}(content));
        }
    }
    return files;
}

/// Whether a message tells the user what to do: a clause that starts with
/// an imperative ("... is dropped. Correct party_id ...").
bool says_what_to_do(const std::string& message) {
    static const std::vector<std::string> verbs{
        "add",    "assign", "change", "check",   "correct",   "delete", "draw",
        "enter",  "export", "fill",   "find",    "fix",       "give",   "keep",
        "make",   "merge",  "move",   "name",    "open",      "place",  "redraw",
        "remove", "rename", "repair", "replace", "reproject", "save",   "select",
        "set",    "snap",   "split",  "try",     "use",       "write"};
    std::size_t start = 0;
    while (start < message.size()) {
        std::size_t end = start;
        while (end < message.size() && std::isalpha(static_cast<unsigned char>(message[end]))) {
            ++end;
        }
        std::string word = message.substr(start, end - start);
        std::transform(word.begin(), word.end(), word.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (std::find(verbs.begin(), verbs.end(), word) != verbs.end()) {
            return true;
        }
        // On to the next clause: after ". ", "; ", ": ", ", or " or "(".
        std::size_t next = std::string::npos;
        for (const char* boundary : {". ", "; ", ": ", ", or ", "("}) {
            const std::size_t at = message.find(boundary, start);
            if (at != std::string::npos) {
                next = std::min(next, at + std::char_traits<char>::length(boundary));
            }
        }
        if (next == std::string::npos) {
            break;
        }
        start = next;
        while (start < message.size() && message[start] == ' ') {
            ++start;
        }
    }
    return false;
}

/// A diagnostic's value for key; null when it has none.
json value_of(const json& d, const char* key) {
    return d.contains(key) ? d[key] : json();
}

std::string describe(const json& d) {
    return d.value("severity", "?") + " " + d.value("code", "?") +
           " layer=" + value_of(d, "layer").dump() +
           " feature_id=" + value_of(d, "feature_id").dump() +
           " field=" + value_of(d, "field").dump();
}

/// An expected code matches a diagnostic when code, severity and layer agree,
/// and feature id and field too where the expectation gives them.
bool matches(const json& expected, const json& d) {
    for (const char* key : {"code", "severity", "layer", "feature_id", "field"}) {
        if (expected.contains(key) && expected[key] != value_of(d, key)) {
            return false;
        }
    }
    return true;
}

/// One case, run and checked; the problems found, none when all is well.
class CaseRun {
  public:
    explicit CaseRun(const std::string& name) : dir_(corpus_root / name) {}

    std::vector<std::string> verify() {
        try {
            expect_ = json::parse(slurp(dir_ / "expect.json"));
        } catch (const json::exception& e) {
            fail(std::string("expect.json does not parse: ") + e.what());
            return problems_;
        }
        const std::string file = expect_.value("workspace", "");
        workspace_ = (file.empty() ? dir_ : dir_ / file).string(); // a folder, or a file in it
        if (!expect_.contains("exit") || !expect_.contains("codes")) {
            fail("expect.json needs \"exit\" and \"codes\"");
            return problems_;
        }
        const auto before = snapshot(dir_);
        check();
        coverage();
        if (snapshot(dir_) != before) {
            fail("the case's files changed: bordercov must never touch its input");
        }
        return problems_;
    }

    const json& expect() const { return expect_; }

  private:
    void fail(std::string problem) { problems_.push_back(std::move(problem)); }

    std::string context(const RunResult& r) const {
        return "\n  stdout: " + r.out.substr(0, 4000) + "\n  stderr: " + r.err.substr(0, 2000);
    }

    void check() {
        std::vector<std::string> args = expect_.value("command", std::vector<std::string>{"check"});
        args.push_back(workspace_);
        args.push_back("--json");
        const RunResult r = run_bordercov(args);
        const int exit = expect_["exit"].get<int>();
        if (r.code != exit) {
            fail("check exited " + std::to_string(r.code) + ", expected " + std::to_string(exit) +
                 context(r));
        }
        for (const auto& s : expect_.value("stderr_contains", std::vector<std::string>{})) {
            if (r.err.find(s) == std::string::npos) {
                fail("check's error message does not name '" + s + "'" + context(r));
            }
        }
        if (exit == 3) {
            if (r.err.empty()) {
                fail("check exited 3 without saying why on stderr");
            }
            return; // nothing could be read: no diagnostics, no JSON
        }
        json doc;
        try {
            doc = json::parse(r.out);
        } catch (const json::exception& e) {
            fail(std::string("check --json printed no JSON document: ") + e.what() + context(r));
            return;
        }
        check_unusable(doc, r);
        check_codes(doc, r);
    }

    void check_unusable(const json& doc, const RunResult& r) {
        const bool unusable = expect_.value("unusable", false);
        if (unusable != doc.contains("unusable")) {
            fail(unusable ? "the workspace is not reported unusable"
                          : "the workspace is reported unusable");
            return;
        }
        if (!unusable) {
            return;
        }
        const std::string why = doc["unusable"].get<std::string>();
        if (!says_what_to_do(why)) {
            fail("the reason the workspace is unusable does not say what to do: " + why);
        }
        for (const auto& s : expect_.value("unusable_contains", std::vector<std::string>{})) {
            if (why.find(s) == std::string::npos) {
                fail("the reason the workspace is unusable does not name '" + s + "': " + why);
            }
        }
        if (r.err.find(why) == std::string::npos) {
            fail("the reason the workspace is unusable is not on stderr" + context(r));
        }
    }

    void check_codes(const json& doc, const RunResult& r) {
        const json& diagnostics = doc.value("diagnostics", json::array());
        std::size_t errors = 0, warnings = 0;
        for (const json& d : diagnostics) {
            (d.value("severity", "") == "error" ? errors : warnings) += 1;
        }
        if (doc.value("errors", std::size_t{0}) != errors ||
            doc.value("warnings", std::size_t{0}) != warnings) {
            fail("the error and warning counts disagree with the diagnostics listed" + context(r));
        }
        std::vector<bool> used(diagnostics.size(), false);
        for (const json& expected : expect_["codes"]) {
            std::size_t i = 0;
            while (i < diagnostics.size() && (used[i] || !matches(expected, diagnostics[i]))) {
                ++i;
            }
            if (i == diagnostics.size()) {
                fail("no diagnostic " + expected.dump() + context(r));
                continue;
            }
            used[i] = true;
            check_message(expected, diagnostics[i]);
        }
        if (expect_.value("exact", true)) {
            for (std::size_t i = 0; i < diagnostics.size(); ++i) {
                if (!used[i]) {
                    fail("unexpected diagnostic " + describe(diagnostics[i]) + ": " +
                         diagnostics[i].value("message", ""));
                }
            }
        }
    }

    /// The message names the file, the feature and the field, and says what to do.
    void check_message(const json& expected, const json& d) {
        const json text = value_of(d, "message");
        const std::string message = text.is_string() ? text.get<std::string>() : "";
        const std::string what = describe(d) + ": ";
        if (message.empty()) {
            fail(what + "the message is empty");
            return;
        }
        if (message.find(workspace_) == std::string::npos) {
            fail(what + "the message does not name the file (" + workspace_ + "): " + message);
        }
        for (const char* key : {"feature_id", "field"}) {
            if (expected.contains(key) && expected[key].is_string() &&
                message.find("'" + expected[key].get<std::string>() + "'") == std::string::npos) {
                fail(what + "the message does not name the " + key + ": " + message);
            }
        }
        if (!says_what_to_do(message)) {
            fail(what + "the message does not say what to do: " + message);
        }
    }

    void coverage() {
        const int exit = expect_["exit"].get<int>();
        const bool unusable = expect_.value("unusable", false);
        // A feature with an error is dropped and the run goes on; only a
        // workspace that cannot be read or used stops it.
        const int expected = expect_.value("coverage_exit", exit == 3 ? 3 : (unusable ? 1 : 0));
        const RunResult r = run_bordercov({"coverage", workspace_, "--json"});
        if (r.code < 0 || r.code > 3) {
            fail("coverage crashed or failed internally (exit " + std::to_string(r.code) + ")" +
                 context(r));
            return;
        }
        if (r.code != expected) {
            fail("coverage exited " + std::to_string(r.code) + ", expected " +
                 std::to_string(expected) + context(r));
        }
        if (r.code == 0) {
            coverage_keeps_errors(r);
        }
        const RunResult strict = run_bordercov({"coverage", workspace_, "--strict", "--json"});
        if (strict.code < 0 || strict.code > 3) {
            fail("coverage --strict crashed or failed internally (exit " +
                 std::to_string(strict.code) + ")" + context(strict));
        } else if (exit != 0 && strict.code == 0) {
            fail("coverage --strict ran on data with errors" + context(strict));
        } else if (exit == 0 && strict.code != 0) {
            fail("coverage --strict stopped on warnings only (exit " + std::to_string(strict.code) +
                 ")" + context(strict));
        }
    }

    /// A dropped feature is never dropped silently: coverage lists its error too.
    void coverage_keeps_errors(const RunResult& r) {
        json doc;
        try {
            doc = json::parse(r.out);
        } catch (const json::exception& e) {
            fail(std::string("coverage --json printed no JSON document: ") + e.what() + context(r));
            return;
        }
        for (const json& expected : expect_["codes"]) {
            if (expected.value("severity", "") != "error") {
                continue;
            }
            const json& listed = doc.value("diagnostics", json::array());
            if (std::none_of(listed.begin(), listed.end(), [&](const json& d) {
                    return value_of(d, "code") == expected["code"] &&
                           value_of(d, "layer") == expected["layer"] &&
                           (!expected.contains("feature_id") ||
                            value_of(d, "feature_id") == expected["feature_id"]);
                })) {
                fail("coverage's diagnostics leave out " + expected.dump());
            }
        }
    }

    fs::path dir_;
    std::string workspace_;
    json expect_;
    std::vector<std::string> problems_;
};

class BadCorpus : public testing::TestWithParam<std::string> {};

TEST_P(BadCorpus, SaysWhatIsWrong) {
    CaseRun run(GetParam());
    const std::vector<std::string> problems = run.verify();
    if (run.expect().value("pending", false)) {
        std::string report =
            "pending: " + run.expect().value("pending_reason", std::string("(no reason given)"));
        if (problems.empty()) {
            report += "\n  ... and the case now passes: remove \"pending\" from its expect.json.";
        }
        for (const auto& p : problems) {
            report += "\n  - " + p;
        }
        GTEST_SKIP() << report;
    }
    for (const auto& p : problems) {
        ADD_FAILURE() << GetParam() << " (" << run.expect().value("what", "") << "): " << p;
    }
}

/// A test's name from its folder's: "duplicate-id-markers" -> "duplicate_id_markers".
std::string test_name(const testing::TestParamInfo<std::string>& param) {
    std::string name = param.param;
    std::replace_if(
        name.begin(), name.end(), [](unsigned char c) { return !std::isalnum(c); }, '_');
    return name;
}

// "bad_corpus/BadCorpus.SaysWhatIsWrong/duplicate_id_markers": `ctest -R bad_corpus` runs them all.
INSTANTIATE_TEST_SUITE_P(bad_corpus, BadCorpus, testing::ValuesIn(case_names()), test_name);

TEST(bad_corpus, HasCases) {
    // An empty list would pass vacuously: say so if the folder went missing.
    EXPECT_GE(case_names().size(), 40u) << corpus_root;
}

// A 2 GB file of garbage, made at test time (sparse: nothing is written to
// disk): bordercov must refuse it at once as unreadable, not read through it.
RunResult run_on_big_file(const TempDir& dir, const std::string& file, const std::string& head,
                          const std::vector<std::string>& command) {
    const fs::path path = dir.path() / file;
    fs::create_directories(path.parent_path());
    {
        std::ofstream out(path, std::ios::binary);
        out << head;
        std::mt19937 noise(20150109);
        for (int i = 0; i < 4096; ++i) {
            out.put(static_cast<char>(noise() & 0xff));
        }
    }
    fs::resize_file(path, std::uintmax_t{2} << 30);
    std::vector<std::string> args = command;
    args.insert(args.begin() + 1,
                file.find('/') == std::string::npos ? path.string() : path.parent_path().string());
    return run_bordercov(args);
}

void expect_refused_quickly(const std::string& file, const std::string& head) {
    for (const std::vector<std::string>& command :
         {std::vector<std::string>{"check", "--json"},
          std::vector<std::string>{"coverage", "--json"}}) {
        TempDir dir;
        const auto start = std::chrono::steady_clock::now();
        const RunResult r = run_on_big_file(dir, file, head, command);
        const auto seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        SCOPED_TRACE(command.front() + " on " + file);
        EXPECT_EQ(r.code, 3) << r.err; // cannot read the datasource
        EXPECT_NE(r.err.find(fs::path(file).filename().string()), std::string::npos) << r.err;
        // Not a benchmark: a guard against reading (or parsing) all 2 GB.
        EXPECT_LT(seconds, 60.0) << "bordercov took " << seconds
                                 << " s to refuse a 2 GB garbage file";
    }
}

TEST(bad_corpus, TwoGigabyteGarbageGeoPackage) {
    expect_refused_quickly("border.gpkg", std::string("SQLite format 3\0", 16)); // SQLite's magic
}

TEST(bad_corpus, TwoGigabyteGarbageGeoJsonLayerInAFolder) {
    expect_refused_quickly("workspace/border_lines.geojson",
                           "{\"type\": \"FeatureCollection\", \"features\": [");
}

} // namespace
} // namespace bordercov
