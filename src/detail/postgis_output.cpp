#include "detail/postgis_output.hpp"

#include "bordercov/error.hpp"
#include "bordercov/io/postgis.hpp"
#include "bordercov/text.hpp"
#include "detail/layer_styles.hpp"

#include <gdal_priv.h>

#include <fmt/format.h>

namespace bordercov::detail {

namespace {

/// The comment on every table bordercov writes: how it knows its own.
constexpr std::string_view kOwnMark = "bordercov output";

std::string qualified(const PgOutput& out, const std::string& table) {
    return quote_identifier(out.schema) + "." + quote_identifier(table);
}

/// 'a', 'b', ... as SQL strings.
std::string literal_list(const std::vector<std::string>& names) {
    std::string list;
    for (const std::string& n : names) {
        list += (list.empty() ? "" : ", ") + quote_literal(n);
    }
    return list;
}

/// The tables of these layers in the schema now: those bordercov wrote,
/// which may be replaced with overwrite by a user who owns them; throws
/// IoError for any other (a table of the user's that happens to bear the
/// name) and for bordercov's own without overwrite.
std::vector<std::string> earlier_tables(GDALDataset& ds, const PgOutput& out,
                                        const std::vector<std::string>& layers, bool overwrite) {
    const std::vector<PgRow> rows = pg_query(
        ds,
        "SELECT c.relname AS t, coalesce(obj_description(c.oid, 'pg_class'), '') AS comment, "
        "pg_get_userbyid(c.relowner) AS owner, pg_has_role(c.relowner, 'MEMBER') AS member FROM "
        "pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE "
        "n.nspname = " +
            quote_literal(out.schema) + " AND c.relkind IN ('r', 'v', 'm', 'p', 'f') AND " +
            "c.relname IN (" + literal_list(layers) + ") ORDER BY c.relname",
        out.shown, "look for the tables of an earlier output");
    std::vector<std::string> ours;
    for (const PgRow& r : rows) {
        const std::string name = r[0].value_or("");
        if (!r[1].value_or("").starts_with(kOwnMark)) {
            throw IoError(fmt::format(
                "{}: schema {} holds a table {} that bordercov did not write; it is left as it "
                "is, and so is everything else. Choose another schema with --schema.",
                out.shown, quote_identifier(out.schema), quote_identifier(name)));
        }
        if (r[3] != "1") {
            throw IoError(fmt::format(
                "{}: the table {} of an earlier output belongs to user {}; only that user (or a "
                "member of that role) may replace it. Choose another schema with --schema.",
                out.shown, qualified(out, name), r[2].value_or("?")));
        }
        ours.push_back(name);
    }
    if (!ours.empty() && !overwrite) {
        throw IoError(fmt::format(
            "{}: schema {} holds {} of an earlier output already; every table is left as it is. "
            "--overwrite replaces these tables of bordercov's layers and no others; or choose "
            "another schema with --schema.",
            out.shown, quote_identifier(out.schema), name_list(ours)));
    }
    return ours;
}

/// The privileges writing needs, checked before anything is written.
void check_privileges(GDALDataset& ds, const PgOutput& out) {
    const std::vector<PgRow> rows =
        pg_query(ds,
                 "SELECT current_user AS u, current_database() AS d, "
                 "has_database_privilege(current_database(), 'CREATE') AS create_schema, "
                 "n.oid IS NOT NULL AS schema_exists, "
                 "coalesce(has_schema_privilege(n.oid, 'CREATE'), false) AS create_table, "
                 "to_regtype('geometry') IS NOT NULL AS postgis FROM (SELECT 1) AS one LEFT JOIN "
                 "pg_catalog.pg_namespace n ON n.nspname = " +
                     quote_literal(out.schema),
                 out.shown, "check what this user may do");
    const PgRow& r = rows.at(0);
    const std::string user = r[0].value_or("?"), database = r[1].value_or("?");
    const std::string schema = quote_identifier(out.schema);
    if (r[5] != "1") {
        throw IoError(
            fmt::format("{}: database {} has no PostGIS. Install it once, as a superuser: "
                        "CREATE EXTENSION postgis;",
                        out.shown, quote_identifier(database)));
    }
    if (r[3] != "1" && r[2] != "1") {
        throw IoError(fmt::format(
            "{}: schema {} does not exist, and user {} may not create it: that needs the CREATE "
            "privilege on database {} (GRANT CREATE ON DATABASE {} TO {}). Or name an existing "
            "schema where {} may create tables with --schema.",
            out.shown, schema, user, quote_identifier(database), quote_identifier(database),
            quote_identifier(user), user));
    }
    if (r[3] == "1" && r[4] != "1") {
        throw IoError(fmt::format(
            "{}: user {} may not create tables in schema {}: that needs the CREATE privilege on "
            "it (GRANT CREATE ON SCHEMA {} TO {}). Or choose another schema with --schema.",
            out.shown, user, schema, schema, quote_identifier(user)));
    }
}

/// The schema a PostgreSQL input names (as the reader takes it), if it is
/// this output's database.
bool is_input(const PgOutput& out, const std::string& input) {
    if (!io::is_postgres(input)) {
        return false;
    }
    const PgConnection in = parse_pg_connection(input);
    return in.gdal == out.connection.gdal &&
           (in.schema.empty() ? std::string("public") : in.schema) == out.schema;
}

} // namespace

PgOutput pg_output(const std::string& given, const std::string& schema_option) {
    PgOutput out;
    out.connection = parse_pg_connection(given);
    out.schema = !schema_option.empty()           ? schema_option
                 : !out.connection.schema.empty() ? out.connection.schema
                                                  : std::string("public");
    out.shown = fmt::format("{} (schema {})", out.connection.shown, out.schema);
    return out;
}

void check_pg_output(const PgOutput& out, const std::vector<std::string>& layers, bool overwrite,
                     const std::vector<std::string>& inputs) {
    for (const std::string& input : inputs) {
        if (is_input(out, input)) {
            throw IoError(fmt::format("{}: that is the workspace's schema, which is only ever "
                                      "read. Write the layers into another schema with --schema.",
                                      out.shown));
        }
    }
    const DatasetPtr ds = open_pg(out.connection, "", "", false);
    check_privileges(*ds, out);
    earlier_tables(*ds, out, layers, overwrite);
}

PgOutputTransaction::PgOutputTransaction(const PgOutput& out,
                                         const std::vector<std::string>& layers, bool overwrite)
    : out_(out) {
    // The schema first in the search path even before it exists: GDAL
    // creates its indexes and copies rows by unqualified table names.
    ds_ = open_pg(out.connection, search_path_statement(out.schema), "", true);
    CPLErrorReset();
    if (ds_->StartTransaction(FALSE) != OGRERR_NONE) {
        const std::string reason = pg_reason(CPLGetLastErrorMsg());
        throw IoError(fmt::format("{}: cannot start a transaction{}.", out.shown,
                                  reason.empty() ? "" : ": " + reason));
    }
    // One writer per schema at a time; the lock ends with the transaction.
    pg_query(*ds_,
             "SELECT pg_advisory_xact_lock(hashtext(" +
                 quote_literal("bordercov output " + out.schema) + "))",
             out.shown, "wait for another run writing into the schema");
    check_privileges(*ds_, out);
    pg_execute(*ds_, "CREATE SCHEMA IF NOT EXISTS " + quote_identifier(out.schema), out.shown,
               "create the schema");
    replaced_ = earlier_tables(*ds_, out, layers, overwrite);
    for (const std::string& table : replaced_) {
        pg_execute(*ds_, "DROP TABLE " + qualified(out, table), out.shown,
                   fmt::format("replace the table {} of an earlier output (a view or table of "
                               "another user's that depends on it stops it)",
                               qualified(out, table)));
    }
}

std::vector<std::string> PgOutputTransaction::layer_options() const {
    // Indexes are built after the rows are in, which is faster than
    // keeping them up to date row by row.
    return {"SCHEMA=" + out_.schema, "GEOMETRY_NAME=geom", "FID=fid", "SPATIAL_INDEX=NONE",
            "LAUNDER=NO"};
}

void PgOutputTransaction::finish(const std::vector<Table>& tables, bool spatial_index, bool styles,
                                 std::vector<std::string>& warnings) {
    GDALDataset& ds = *ds_;
    ds.FlushCache(false); // ends GDAL's COPY of the last table
    for (const Table& t : tables) {
        const std::string table = qualified(out_, t.name);
        if (spatial_index && t.geometry != GeometryType::none) {
            pg_execute(ds, "CREATE INDEX ON " + table + " USING gist (geom)", out_.shown,
                       fmt::format("index table {}", table));
        }
        pg_execute(ds,
                   "COMMENT ON TABLE " + table + " IS " +
                       quote_literal(fmt::format("{}: layer {}, written by bordercov {}; its next "
                                                 "run with --overwrite replaces it",
                                                 kOwnMark, t.name, BORDERCOV_VERSION)),
                   out_.shown, fmt::format("mark table {} as bordercov's", table));
        const std::vector<PgRow> n = pg_query(ds, "SELECT count(*) FROM " + table, out_.shown,
                                              fmt::format("count the rows written to {}", table));
        if (n.empty() || n[0][0] != std::to_string(t.size())) {
            throw IoError(fmt::format("{}, table {}: {} rows were written but {} are there; "
                                      "nothing is changed.",
                                      out_.shown, table, t.size(),
                                      n.empty() ? "?" : n[0][0].value_or("?")));
        }
    }
    if (styles) {
        std::string warning;
        write_postgis_layer_styles(ds, tables, out_.schema, out_.shown, warning);
        if (!warning.empty()) {
            warnings.push_back(std::move(warning));
        }
    }
    CPLErrorReset();
    if (ds.CommitTransaction() != OGRERR_NONE || CPLGetLastErrorType() >= CE_Failure) {
        const std::string reason = pg_reason(CPLGetLastErrorMsg());
        throw IoError(fmt::format("{}: the tables could not be committed{}; nothing is changed.",
                                  out_.shown, reason.empty() ? "" : ": " + reason));
    }
}

} // namespace bordercov::detail
