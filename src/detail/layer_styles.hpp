// The GeoPackage "layer_styles" table through which QGIS applies a style
// when it opens a layer: the table as QGIS itself creates it (its OGR
// provider's saveStyle), one default style per styled layer.
#pragma once

#include "bordercov/i18n.hpp"
#include "bordercov/table.hpp"

#include <cstddef>
#include <string>
#include <vector>

class GDALDataset;

namespace bordercov::detail {

/// Adds to an open GeoPackage holding the tables the QML style
/// (io::qgis_layer_style, with field aliases in the titles' language) of each table that has one as
/// its default style, in its layer_styles table (created when it has none; kept, with the styles of
/// other layers, when it has one).
/// Returns the number of styles written (no table is created for none);
/// throws IoError naming `shown` when GDAL fails.
std::size_t write_layer_styles(GDALDataset& ds, const std::vector<Table>& tables,
                               const std::string& shown, const i18n::Catalogue* titles = nullptr);

/// Removes the rows of layer_styles (if any) that style these layers,
/// leaving the styles of every other layer: before the layers are written anew.
void remove_layer_styles(GDALDataset& ds, const std::vector<std::string>& layers,
                         const std::string& shown);

/// In a PostgreSQL database (a connection in the transaction that wrote the
/// tables into `schema`): the same styles as rows of public.layer_styles,
/// the table QGIS's PostgreSQL provider creates (created as it does when
/// missing) and looks in when it loads a layer, replacing the rows that
/// styled these tables before. Returns the number written; when this user
/// may not create or write that table, writes none and says why in warning.
std::size_t write_postgis_layer_styles(GDALDataset& ds, const std::vector<Table>& tables,
                                       const std::string& schema, const std::string& shown,
                                       std::string& warning);

/// The rows of layer_styles in an open GeoPackage that style these layers
/// (0 without the table).
std::size_t count_layer_styles(GDALDataset& ds, const std::vector<std::string>& layers);

} // namespace bordercov::detail
