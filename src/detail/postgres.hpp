// PostgreSQL through GDAL's PG driver, as the reader and the writer use it:
// a connection string taken apart (the schema set by bordercov itself, every
// identifier quoted), connections opened with statements run before any
// other (the search path, the transaction), SQL run with its failure turned
// into a message in plain words that never shows a password, and one
// consistent snapshot of the database shared by several connections.
#pragma once

#include "detail/gdal_support.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bordercov::detail {

/// A database as bordercov connects to it.
struct PgConnection {
    /// For GDAL: "PG:" and the libpq connection string or URI, without the
    /// schema keywords (active_schema=, schemas=, tables=).
    std::string gdal;
    /// The schema: active_schema=, else the one schema of schemas=; "" when
    /// the connection string names none.
    std::string schema;
    /// As messages name it: as given, the password hidden.
    std::string shown;
};

/// Takes a connection string apart; throws UsageError when it cannot be
/// read (an unclosed quote) or names several schemas.
PgConnection parse_pg_connection(const std::string& given);

/// "name" quoted as an SQL identifier: any name is just a name.
std::string quote_identifier(std::string_view name);
/// 'text' quoted as an SQL string (E'' with backslashes doubled, so it reads
/// the same whatever standard_conforming_strings says).
std::string quote_literal(std::string_view text);

/// The statement that makes the schema the first of the search path (the
/// one unqualified names are looked up and created in), then public (PostGIS).
std::string search_path_statement(const std::string& schema);

/// Opens a connection, running `prelude` (statements separated by ';')
/// before any other and `closing` when it closes. Throws IoError saying in
/// plain words why it cannot connect (no server there, wrong password, no
/// such database or user).
DatasetPtr open_pg(const PgConnection& c, const std::string& prelude, const std::string& closing,
                   bool update);

/// The rows of a query, each value as text (nullopt for NULL). Throws
/// IoError naming `what` was being done, with the server's reason.
using PgRow = std::vector<std::optional<std::string>>;
std::vector<PgRow> pg_query(GDALDataset& ds, const std::string& sql, const std::string& shown,
                            const std::string& what);
/// Runs a statement that returns no rows; throws as pg_query.
void pg_execute(GDALDataset& ds, const std::string& sql, const std::string& shown,
                const std::string& what);

/// GDAL's last error as bordercov says it: the server's message in plain
/// words where there are plain words for it (a missing privilege, a lock),
/// passwords hidden; "" when there is none.
std::string pg_reason(const std::string& gdal_message);

/// One consistent view of a schema for readers on several connections at
/// once: a leading connection starts a REPEATABLE READ transaction and
/// exports its snapshot; every reader opened from it imports that snapshot,
/// so all of them see the database as it was at one instant, whatever other
/// users commit meanwhile. The leading transaction stays open (and
/// read-only) until the snapshot is destroyed. Needs only the USAGE
/// privilege on the schema and SELECT on the tables read.
class PgSnapshot {
  public:
    /// Connects, checks that the schema exists and may be read, lists its
    /// tables and exports the snapshot. `schema` overrides the connection
    /// string's; with neither, public. With `connection_per_table`, no
    /// table is read on the leading connection. Throws IoError.
    PgSnapshot(const std::string& given, const std::string& schema,
               bool connection_per_table = false);

    /// The tables and views of the schema, by name.
    const std::vector<std::string>& tables() const { return tables_; }
    /// A small table is read on the leading connection, which costs no new
    /// connection (a new one is most of the time of reading a small table),
    /// one after the other; a large one on a connection of its own, side by
    /// side with the others.
    bool on_leader(const std::string& table) const;
    /// The leading connection, for the small tables: one thread at a time.
    GDALDataset& leader() const { return *leader_; }
    /// A new connection, its search path the schema. Open its layer (so
    /// GDAL reads the table's definition), then enter() the snapshot before
    /// reading any feature.
    DatasetPtr open_reader() const;
    /// Starts a read-only transaction in the snapshot on a connection of
    /// open_reader(); throws IoError.
    void enter(GDALDataset& ds) const;
    /// Before a table is read: throws IoError naming the privilege when this
    /// user may not read it.
    void check_readable(const std::string& table) const;
    /// As messages name the workspace (password hidden, schema named).
    const std::string& shown() const { return shown_; }

  private:
    void enter_transaction(GDALDataset& ds) const;

    PgConnection connection_;
    std::string shown_;
    DatasetPtr leader_;
    std::string snapshot_;
    std::vector<std::string> tables_;
    std::vector<std::string> unreadable_;
    std::vector<std::string> large_; ///< tables read on a connection of their own
};

} // namespace bordercov::detail
