// PostgreSQL/PostGIS as a workspace and as an output. A database is named as
// libpq names it: a GDAL connection string "PG:dbname=gialai host=db1" (any
// libpq keywords, and GDAL's active_schema= or schemas= for the schema) or a
// URI "postgresql://user@db1/gialai" (with or without "PG:" before it);
// service=, PGSERVICEFILE, ~/.pgpass and the PG* variables work as libpq
// says. A password may be in the connection string, but bordercov never
// shows it: every message names the database with the password as "***".
//
// Example usage:
//   if (io::is_postgres(path)) fmt::print("{}\n", io::shown_name(path));
//   // "PG:dbname=gialai user=duc_co password=***"
#pragma once

#include <string>
#include <string_view>

namespace bordercov::io {

/// The path names a PostgreSQL database: "PG:...", "postgresql://..." or
/// "postgres://..." (case ignored in the prefix).
bool is_postgres(std::string_view path);

/// The text with every password in it (a connection string's password=...,
/// a URI's user:secret@) replaced by "***": for anything shown to a user.
std::string hide_passwords(std::string text);

/// How messages name a workspace or output: a database with its password
/// hidden, anything else as given.
std::string shown_name(const std::string& path);

/// The schema of the output layers when neither --schema nor the connection
/// string's active_schema= names one.
inline constexpr const char* kDefaultOutputSchema = "public";

} // namespace bordercov::io
