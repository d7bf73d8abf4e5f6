#include "detail/postgres.hpp"

#include "bordercov/error.hpp"
#include "bordercov/io/postgis.hpp"
#include "bordercov/text.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <regex>

namespace bordercov::io {

namespace {

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) ==
                      std::tolower(static_cast<unsigned char>(b));
           });
}

} // namespace

bool is_postgres(std::string_view path) {
    return starts_with_nocase(path, "PG:") || starts_with_nocase(path, "postgresql://") ||
           starts_with_nocase(path, "postgres://");
}

std::string hide_passwords(std::string text) {
    // password=secret, password = 'se cret', PASSWORD=... (GDAL's open option)
    static const std::regex keyword(R"((password\s*=\s*)('(?:[^'\\]|\\.)*'?|[^\s&'"]+))",
                                    std::regex::icase);
    // postgresql://user:secret@host
    static const std::regex uri(R"(((?:postgres|postgresql)://[^\s:/@]*):[^\s@/]*@)",
                                std::regex::icase);
    text = std::regex_replace(text, keyword, "$1***");
    return std::regex_replace(text, uri, "$1:***@");
}

std::string shown_name(const std::string& path) {
    return is_postgres(path) ? hide_passwords(path) : path;
}

} // namespace bordercov::io

namespace bordercov::detail {

namespace {

struct Keyword {
    std::string key;
    std::string value;
};

/// libpq's "key = value ..." (values unquoted, or in single quotes with \'
/// and \\); nullopt when a quote is not closed or a key has no '='.
std::optional<std::vector<Keyword>> parse_conninfo(std::string_view s) {
    std::vector<Keyword> out;
    std::size_t i = 0;
    const auto blanks = [&] {
        while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) {
            ++i;
        }
    };
    for (blanks(); i < s.size(); blanks()) {
        Keyword k;
        while (i < s.size() && s[i] != '=' && !std::isspace(static_cast<unsigned char>(s[i]))) {
            k.key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(s[i++]))));
        }
        blanks();
        if (i >= s.size() || s[i] != '=') {
            return std::nullopt;
        }
        ++i;
        blanks();
        const bool quoted = i < s.size() && s[i] == '\'';
        i += quoted ? 1 : 0;
        bool closed = !quoted;
        while (i < s.size()) {
            const char c = s[i];
            if (quoted ? c == '\'' : std::isspace(static_cast<unsigned char>(c)) != 0) {
                closed = true;
                i += quoted ? 1 : 0;
                break;
            }
            if (c == '\\' && i + 1 < s.size()) {
                ++i;
            }
            k.value.push_back(s[i++]);
        }
        if (!closed) {
            return std::nullopt;
        }
        out.push_back(std::move(k));
    }
    return out;
}

std::string conninfo_value(const std::string& v) {
    std::string out = "'";
    for (const char c : v) {
        if (c == '\'' || c == '\\') {
            out.push_back('\\');
        }
        out.push_back(c);
    }
    return out + "'";
}

std::string percent_decoded(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() &&
            std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out.push_back(
                static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
            i += 2;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

/// The schema keywords GDAL reads itself; bordercov sets the schema instead.
bool is_schema_keyword(const std::string& key) {
    return key == "active_schema" || key == "schemas" || key == "tables";
}

/// The schema named by active_schema= or schemas= (UsageError for several).
std::string schema_of(const std::string& active, const std::string& schemas,
                      const std::string& shown) {
    if (!active.empty()) {
        return active;
    }
    if (schemas.find(',') != std::string::npos) {
        throw UsageError(fmt::format("{}: schemas= names several schemas; a workspace is one "
                                     "schema. Name it with active_schema=NAME.",
                                     shown));
    }
    return schemas;
}

/// A URI as libpq's keywords (GDAL reads URIs with quirks of its own: it
/// sets an empty schema when the URI names none): scheme://[user[:password]@]
/// [host[:port][,...]][/dbname][?keyword=value&...], percent-encoded.
std::vector<Keyword> uri_keywords(std::string_view uri) {
    uri.remove_prefix(uri.find("://") + 3);
    const std::size_t end_of_authority = uri.find_first_of("/?");
    std::string_view authority = uri.substr(0, end_of_authority);
    std::string_view rest =
        end_of_authority == std::string_view::npos ? "" : uri.substr(end_of_authority);
    std::vector<Keyword> out;
    if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
        const std::string_view user_info = authority.substr(0, at);
        const std::size_t colon = user_info.find(':');
        out.push_back({"user", percent_decoded(user_info.substr(0, colon))});
        if (colon != std::string_view::npos) {
            out.push_back({"password", percent_decoded(user_info.substr(colon + 1))});
        }
        authority.remove_prefix(at + 1);
    }
    std::vector<std::string> hosts, ports;
    while (!authority.empty()) {
        const std::size_t comma = authority.find(',');
        const std::string_view spec = authority.substr(0, comma);
        const std::size_t bracket = spec.find(']'); // [::1]:5432
        const std::size_t colon = spec.find(':', bracket == std::string_view::npos ? 0 : bracket);
        std::string_view host = spec.substr(0, colon);
        if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
            host = host.substr(1, host.size() - 2);
        }
        hosts.push_back(percent_decoded(host));
        ports.emplace_back(colon == std::string_view::npos ? "" : spec.substr(colon + 1));
        authority.remove_prefix(comma == std::string_view::npos ? authority.size() : comma + 1);
    }
    const auto joined = [](const std::vector<std::string>& parts) {
        std::string text;
        for (const std::string& p : parts) {
            text += (&p == &parts.front() ? "" : ",") + p;
        }
        return text;
    };
    if (!joined(hosts).empty() && joined(hosts) != std::string(hosts.size() - 1, ',')) {
        out.push_back({"host", joined(hosts)});
    }
    if (std::any_of(ports.begin(), ports.end(), [](const std::string& p) { return !p.empty(); })) {
        out.push_back({"port", joined(ports)});
    }
    if (rest.starts_with('/')) {
        const std::string_view db = rest.substr(1, rest.find('?') - 1);
        if (!db.empty()) {
            out.push_back({"dbname", percent_decoded(db)});
        }
    }
    if (const std::size_t q = rest.find('?'); q != std::string_view::npos) {
        rest.remove_prefix(q + 1);
        while (!rest.empty()) {
            const std::size_t amp = rest.find('&');
            const std::string_view param = rest.substr(0, amp);
            const std::size_t eq = param.find('=');
            out.push_back(
                {percent_decoded(param.substr(0, eq)),
                 eq == std::string_view::npos ? "" : percent_decoded(param.substr(eq + 1))});
            rest.remove_prefix(amp == std::string_view::npos ? rest.size() : amp + 1);
        }
    }
    return out;
}

} // namespace

PgConnection parse_pg_connection(const std::string& given) {
    const std::string shown = io::hide_passwords(given);
    std::string body = given;
    if (body.size() >= 3 && (body[0] == 'P' || body[0] == 'p') &&
        (body[1] == 'G' || body[1] == 'g') && body[2] == ':') {
        body.erase(0, 3);
    }
    const auto keywords =
        io::is_postgres(body) ? std::optional(uri_keywords(body)) : parse_conninfo(body);
    if (!keywords) {
        throw UsageError(fmt::format("{}: cannot read the connection string (a quote not closed, "
                                     "or a word without '='). Write it as PG:\"dbname=NAME "
                                     "host=HOST user=USER\".",
                                     shown));
    }
    PgConnection c;
    c.shown = shown;
    std::string active, schemas;
    c.gdal = "PG:";
    for (const Keyword& k : *keywords) {
        if (k.key == "active_schema") {
            active = k.value;
        } else if (k.key == "schemas") {
            schemas = k.value;
        } else if (!is_schema_keyword(k.key)) {
            c.gdal += (c.gdal.size() > 3 ? " " : "") + k.key + "=" + conninfo_value(k.value);
        }
    }
    c.schema = schema_of(active, schemas, shown);
    return c;
}

std::string quote_identifier(std::string_view name) {
    std::string out = "\"";
    for (const char c : name) {
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return out + "\"";
}

std::string quote_literal(std::string_view text) {
    std::string out = "E'";
    for (const char c : text) {
        if (c == '\'' || c == '\\') {
            out.push_back(c);
        }
        out.push_back(c);
    }
    return out + "'";
}

std::string search_path_statement(const std::string& schema) {
    return "SET search_path TO " + quote_identifier(schema) + ", public";
}

namespace {

/// Why libpq could not connect, in plain words; "" when the message is
/// none bordercov knows.
std::string connection_problem(const std::string& message) {
    const auto has = [&](const char* s) { return message.find(s) != std::string::npos; };
    if (has("password authentication failed")) {
        return "the server refused the password (a wrong password, or an old one in ~/.pgpass or "
               "PGPASSWORD)";
    }
    if (has("no password supplied")) {
        return "the server asks for a password and none was given. Put it in ~/.pgpass (or a "
               "service file, or PGPASSWORD) rather than on the command line";
    }
    if (has("does not exist") && has("database")) {
        return "there is no such database on that server. Check dbname=, or create it "
               "(createdb NAME)";
    }
    if (has("does not exist") && has("role")) {
        return "there is no such user (role) on that server. Check user=";
    }
    if (has("Connection refused") || has("No such file or directory") || has("could not connect") ||
        has("Is the server running")) {
        return "no PostgreSQL server answers there. Is it running, and are host= and port= "
               "right?";
    }
    if (has("could not translate host name")) {
        return "the host name is unknown. Check host=";
    }
    if (has("timeout expired") || has("timed out")) {
        return "the server did not answer in time. Check host= and the network";
    }
    if (has("definition of service") || has("service file")) {
        return "the service is not defined. Check service= and the service file "
               "(PGSERVICEFILE, ~/.pg_service.conf)";
    }
    if (has("permission denied for database") || has("not permitted to log in")) {
        return "this user may not connect to that database (it needs the CONNECT privilege and "
               "the LOGIN attribute)";
    }
    if (has("no pg_hba.conf entry")) {
        return "the server does not let this user connect from here (pg_hba.conf)";
    }
    return {};
}

/// The first line of a libpq message worth showing, without "PQconnectdb failed."
std::string server_said(std::string message) {
    for (const char* noise : {"PQconnectdb failed.", "PQconnectdb failed"}) {
        if (const std::size_t at = message.find(noise); at != std::string::npos) {
            message.erase(at, std::string_view(noise).size());
        }
    }
    std::string line;
    std::size_t start = 0;
    while (start < message.size()) {
        const std::size_t end = message.find('\n', start);
        line = message.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (line.find_first_not_of(" \t\r") != std::string::npos) {
            break;
        }
        start = end == std::string::npos ? message.size() : end + 1;
    }
    const auto b = line.find_first_not_of(" \t");
    return b == std::string::npos ? std::string{} : io::hide_passwords(line.substr(b));
}

} // namespace

DatasetPtr open_pg(const PgConnection& c, const std::string& prelude, const std::string& closing,
                   bool update) {
    register_gdal();
    std::vector<std::string> option_text;
    if (!prelude.empty()) {
        option_text.push_back("PRELUDE_STATEMENTS=" + prelude);
    }
    if (!closing.empty()) {
        option_text.push_back("CLOSING_STATEMENTS=" + closing);
    }
    std::vector<const char*> options;
    for (const std::string& o : option_text) {
        options.push_back(o.c_str());
    }
    options.push_back(nullptr);
    const char* const drivers[] = {"PostgreSQL", nullptr};
    CPLErrorReset();
    DatasetPtr ds(GDALDataset::Open(c.gdal.c_str(),
                                    GDAL_OF_VECTOR | (update ? GDAL_OF_UPDATE : GDAL_OF_READONLY),
                                    drivers, options.data(), nullptr));
    if (!ds) {
        const std::string message = CPLGetLastErrorMsg();
        const std::string problem = connection_problem(message);
        const std::string said = server_said(message);
        throw IoError(fmt::format(
            "{}: cannot connect to the database: {}.{}", c.shown,
            problem.empty() ? "the server or GDAL refused the connection" : problem,
            said.empty() ? std::string{} : fmt::format(" (The server said: {})", said)));
    }
    return ds;
}

std::string pg_reason(const std::string& gdal_message) {
    std::string said = server_said(gdal_message);
    if (said.starts_with("ERROR:")) {
        said.erase(0, 6);
        said.erase(0, said.find_first_not_of(' '));
    }
    return said;
}

namespace {

[[noreturn]] void fail(const std::string& shown, const std::string& what) {
    const std::string reason = pg_reason(CPLGetLastErrorMsg());
    throw IoError(fmt::format("{}: cannot {}{}.", shown, what,
                              reason.empty() ? std::string{} : ": " + reason));
}

} // namespace

std::vector<PgRow> pg_query(GDALDataset& ds, const std::string& sql, const std::string& shown,
                            const std::string& what) {
    CPLErrorReset();
    OGRLayer* result = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
    if (result == nullptr) {
        fail(shown, what);
    }
    std::vector<PgRow> rows;
    result->ResetReading();
    while (OGRFeatureUniquePtr f{result->GetNextFeature()}) {
        PgRow row;
        for (int i = 0; i < f->GetFieldCount(); ++i) {
            row.push_back(f->IsFieldSetAndNotNull(i)
                              ? std::optional<std::string>(f->GetFieldAsString(i))
                              : std::nullopt);
        }
        rows.push_back(std::move(row));
    }
    ds.ReleaseResultSet(result);
    if (CPLGetLastErrorType() >= CE_Failure) {
        fail(shown, what);
    }
    return rows;
}

void pg_execute(GDALDataset& ds, const std::string& sql, const std::string& shown,
                const std::string& what) {
    CPLErrorReset();
    OGRLayer* result = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
    if (result != nullptr) {
        ds.ReleaseResultSet(result);
    }
    if (CPLGetLastErrorType() >= CE_Failure) {
        fail(shown, what);
    }
}

namespace {

/// A reader's first statements: the schema first in the search path, and
/// every table read from its first row (a sequential scan may otherwise
/// start where another session's scan of the same table is), so that the
/// same database gives the same order of features.
std::string reader_prelude(const std::string& schema) {
    return search_path_statement(schema) + "; SET synchronize_seqscans TO off";
}

} // namespace

PgSnapshot::PgSnapshot(const std::string& given, const std::string& schema,
                       bool connection_per_table)
    : connection_(parse_pg_connection(given)) {
    // Messages name the schema when the connection string does not.
    shown_ = connection_.shown;
    if (!schema.empty() || connection_.schema.empty()) {
        connection_.schema = schema.empty() ? std::string("public") : schema;
        shown_ += fmt::format(" (schema {})", connection_.schema);
    }
    const std::string& s = connection_.schema;
    leader_ = open_pg(connection_, reader_prelude(s), "", false);
    enter_transaction(*leader_);
    const std::vector<PgRow> exported = pg_query(
        *leader_, "SELECT pg_export_snapshot() AS snapshot", shown_, "start a consistent read");
    snapshot_ = exported.empty() ? std::string{} : exported[0][0].value_or("");
    const std::vector<PgRow> found =
        pg_query(*leader_,
                 "SELECT has_schema_privilege(n.oid, 'USAGE') AS usage, current_user AS u FROM "
                 "pg_catalog.pg_namespace n "
                 "WHERE n.nspname = " +
                     quote_literal(s),
                 shown_, "look for the schema");
    if (found.empty()) {
        const std::vector<PgRow> all = pg_query(
            *leader_,
            "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname !~ '^pg_' AND nspname <> "
            "'information_schema' ORDER BY nspname",
            shown_, "list the schemas");
        std::vector<std::string> names;
        for (const PgRow& r : all) {
            names.push_back(r[0].value_or(""));
        }
        throw IoError(fmt::format("{}: the database has no schema {}. Its schemas: {}. Name the "
                                  "workspace's schema with active_schema=NAME.",
                                  shown_, quote_identifier(s), name_list(names)));
    }
    if (found[0][0] != "1") {
        throw IoError(fmt::format(
            "{}: user {} may not use schema {} (it needs the USAGE privilege on it: GRANT USAGE "
            "ON SCHEMA {} TO {}).",
            shown_, found[0][1].value_or("?"), quote_identifier(s), quote_identifier(s),
            quote_identifier(found[0][1].value_or("?"))));
    }
    const std::vector<PgRow> tables = pg_query(
        *leader_,
        "SELECT c.relname AS t, has_table_privilege(c.oid, 'SELECT') AS readable, "
        "pg_relation_size(c.oid) AS bytes FROM "
        "pg_catalog.pg_class c JOIN "
        "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = " +
            quote_literal(s) + " AND c.relkind IN ('r', 'v', 'm', 'p', 'f') ORDER BY c.relname",
        shown_, "list the tables of the schema");
    for (const PgRow& r : tables) {
        tables_.push_back(r[0].value_or(""));
        if (r[1] != "1") {
            unreadable_.push_back(tables_.back());
        }
        // About 40,000 features; below that, a connection of its own costs
        // more than it saves.
        if (connection_per_table || std::stoll(r[2].value_or("0")) > (8 << 20)) {
            large_.push_back(tables_.back());
        }
    }
}

void PgSnapshot::enter_transaction(GDALDataset& ds) const {
    // Through GDAL's own transaction, so that GDAL's cursors nest in it
    // instead of committing it; the isolation, read-only (reading never
    // writes, whatever the role may do) and the snapshot must come first.
    CPLErrorReset();
    if (ds.StartTransaction(FALSE) != OGRERR_NONE) {
        fail(shown_, "start a read-only transaction");
    }
    pg_execute(ds, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", shown_,
               "start a read-only transaction");
}

bool PgSnapshot::on_leader(const std::string& table) const {
    return std::find(large_.begin(), large_.end(), table) == large_.end();
}

DatasetPtr PgSnapshot::open_reader() const {
    return open_pg(connection_, reader_prelude(connection_.schema), "", false);
}

void PgSnapshot::enter(GDALDataset& ds) const {
    enter_transaction(ds);
    pg_execute(ds, "SET TRANSACTION SNAPSHOT '" + snapshot_ + "'", shown_,
               "read in the snapshot of the other layers");
}

void PgSnapshot::check_readable(const std::string& table) const {
    if (std::find(unreadable_.begin(), unreadable_.end(), table) == unreadable_.end()) {
        return;
    }
    const std::string qualified =
        quote_identifier(connection_.schema) + "." + quote_identifier(table);
    throw IoError(fmt::format("{}: this user may not read table {} (it needs the SELECT "
                              "privilege on it: GRANT SELECT ON {} TO ...).",
                              shown_, qualified, qualified));
}

} // namespace bordercov::detail
