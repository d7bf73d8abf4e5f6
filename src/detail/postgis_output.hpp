// Output layers as tables of a PostgreSQL schema, replaced in one
// transaction: a run's tables appear together when it commits, or not at
// all; two runs writing the same schema at once take turns (an advisory
// lock on the schema), so the schema ends up with one whole result. Only
// tables bordercov wrote itself (its comment on them says so) are ever
// replaced, and only with --overwrite; every other table is left alone.
//
// Example usage:
//   const detail::PgOutput out = detail::pg_output(given, "results");
//   detail::check_pg_output(out, layer_names, options);      // before any work
//   detail::PgOutputTransaction tx(out, layer_names, options.overwrite);
//   ... GDAL CreateLayer(name, ..., tx.layer_options()) on tx.dataset() ...
//   tx.finish(tables, options.spatial_index, options.qgis_styles, warnings);
#pragma once

#include "bordercov/table.hpp"
#include "detail/postgres.hpp"

#include <string>
#include <vector>

namespace bordercov::detail {

struct PgOutput {
    PgConnection connection;
    std::string schema; ///< --schema, else the connection's active_schema=, else public
    std::string shown;  ///< as messages name it, with the schema
};

/// Where -o and --schema put the layers; throws UsageError.
PgOutput pg_output(const std::string& given, const std::string& schema_option);

/// Before any work: the database can be reached; this user may create the
/// schema (or tables in it); no table of these names is there that
/// bordercov did not write, nor one it did unless overwrite; the schema is
/// not the workspace's (`inputs`). Throws IoError naming the privilege or
/// table in the way and what to do.
void check_pg_output(const PgOutput& out, const std::vector<std::string>& layers, bool overwrite,
                     const std::vector<std::string>& inputs);

/// The one transaction that writes a run's tables. On construction:
/// connected, the transaction begun, the schema's lock taken (waiting for
/// another run's to end), the schema created if missing, the checks made
/// again (another run may have written meanwhile) and the earlier tables of
/// these layers dropped. Destroyed before finish(), nothing is changed.
class PgOutputTransaction {
  public:
    PgOutputTransaction(const PgOutput& out, const std::vector<std::string>& layers,
                        bool overwrite);

    GDALDataset& dataset() { return *ds_; }
    /// The GDAL layer creation options of a table in the schema.
    std::vector<std::string> layer_options() const;
    /// The layers of an earlier run replaced.
    const std::vector<std::string>& replaced() const { return replaced_; }

    /// Spatial indexes, the comment that marks each table as bordercov's,
    /// the QGIS styles in public.layer_styles (or a warning saying why
    /// not), every table's rows counted back, then the commit. Throws
    /// IoError, and then nothing is changed.
    void finish(const std::vector<Table>& tables, bool spatial_index, bool styles,
                std::vector<std::string>& warnings);

  private:
    const PgOutput& out_;
    DatasetPtr ds_;
    std::vector<std::string> replaced_;
};

} // namespace bordercov::detail
