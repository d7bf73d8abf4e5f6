#include "detail/layer_styles.hpp"

#include "bordercov/error.hpp"
#include "bordercov/io/qgis_style.hpp"
#include "bordercov/text.hpp"
#include "detail/gdal_support.hpp"
#include "detail/postgres.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <fmt/format.h>
#include <memory>
#include <utility>

namespace bordercov::detail {

namespace {

struct OptionsDeleter {
    void operator()(char** options) const { CSLDestroy(options); }
};

[[noreturn]] void fail(const std::string& shown, const std::string& what) {
    throw IoError(
        fmt::format("{}, layer 'layer_styles': {}{}. Check free disk space and permissions.", shown,
                    what, last_gdal_error()));
}

} // namespace

/// The one text every style row describes itself with.
static std::string style_description() {
    return fmt::format("bordercov {}: the layer as bordercov shows it", BORDERCOV_VERSION);
}

static std::size_t add_styles(OGRLayer& styles,
                              const std::vector<std::pair<OGRLayer*, std::string>>& styled,
                              const std::string& shown);

std::size_t write_layer_styles(GDALDataset& ds, const std::vector<Table>& tables,
                               const std::string& shown, const i18n::Catalogue* titles) {
    std::vector<std::pair<OGRLayer*, std::string>> styled;
    for (const Table& t : tables) {
        std::string qml = io::qgis_layer_style(t, "GPKG", titles);
        OGRLayer* layer = ds.GetLayerByName(t.name.c_str());
        if (!qml.empty() && layer != nullptr) {
            styled.emplace_back(layer, std::move(qml));
        }
    }
    if (styled.empty()) {
        return 0;
    }
    // The table exactly as QGIS's OGR provider creates it (so QGIS finds the
    // style on load, and adds its own beside it when the user saves one):
    // id as the key, f_table_schema '' for GeoPackage, useAsDefault a boolean,
    // update_time filled in by SQLite.
    if (OGRLayer* existing = ds.GetLayerByName("layer_styles")) {
        // QGIS's own table, or an earlier run's: add to it.
        return add_styles(*existing, styled, shown);
    }
    const std::unique_ptr<char*, OptionsDeleter> options(CSLSetNameValue(nullptr, "FID", "id"));
    OGRLayer* styles = ds.CreateLayer("layer_styles", nullptr, wkbNone, options.get());
    if (styles == nullptr) {
        fail(shown, "cannot create the table of QGIS styles");
    }
    struct Column {
        const char* name;
        OGRFieldType type;
        int width;
    };
    const Column columns[] = {
        {"f_table_catalog", OFTString, 256},
        {"f_table_schema", OFTString, 256},
        {"f_table_name", OFTString, 256},
        {"f_geometry_column", OFTString, 256},
        {"styleName", OFTString, 30},
        {"styleQML", OFTString, 0},
        {"styleSLD", OFTString, 0},
        {"useAsDefault", OFTInteger, 0},
        {"description", OFTString, 0},
        {"owner", OFTString, 30},
        {"ui", OFTString, 30},
        {"update_time", OFTDateTime, 0},
    };
    for (const Column& c : columns) {
        OGRFieldDefn field(c.name, c.type);
        field.SetWidth(c.width);
        if (c.type == OFTInteger) {
            field.SetSubType(OFSTBoolean);
        }
        if (c.type == OFTDateTime) {
            field.SetDefault("CURRENT_TIMESTAMP");
        }
        if (styles->CreateField(&field) != OGRERR_NONE) {
            fail(shown, fmt::format("cannot create field '{}'", c.name));
        }
    }
    return add_styles(*styles, styled, shown);
}

static std::size_t add_styles(OGRLayer& styles,
                              const std::vector<std::pair<OGRLayer*, std::string>>& styled,
                              const std::string& shown) {
    const std::string description = style_description();
    OGRFeature row(styles.GetLayerDefn());
    for (const auto& [layer, qml] : styled) {
        row.Reset();
        row.SetField("f_table_catalog", "");
        row.SetField("f_table_schema", "");
        row.SetField("f_table_name", layer->GetName());
        row.SetField("f_geometry_column", layer->GetGeometryColumn());
        row.SetField("styleName", io::kQgisStyleName);
        row.SetField("styleQML", qml.c_str());
        row.SetField("styleSLD", "");
        row.SetField("useAsDefault", 1);
        row.SetField("description", description.c_str());
        row.SetField("owner", "");
        if (styles.CreateFeature(&row) != OGRERR_NONE) {
            fail(shown, fmt::format("cannot write the style of layer '{}'", layer->GetName()));
        }
    }
    return styled.size();
}

namespace {

/// "f_table_name IN ('a','b')" for these layer names.
std::string among(const std::vector<std::string>& layers) {
    std::string list;
    for (const std::string& name : layers) {
        std::string quoted;
        for (const char c : name) {
            quoted += c == '\'' ? std::string("''") : std::string(1, c);
        }
        list += (list.empty() ? "'" : ",'") + quoted + "'";
    }
    return "f_table_name IN (" + list + ")";
}

} // namespace

void remove_layer_styles(GDALDataset& ds, const std::vector<std::string>& layers,
                         const std::string& shown) {
    if (ds.GetLayerByName("layer_styles") == nullptr || layers.empty()) {
        return;
    }
    CPLErrorReset();
    ds.ExecuteSQL(("DELETE FROM layer_styles WHERE " + among(layers)).c_str(), nullptr, nullptr);
    if (CPLGetLastErrorType() >= CE_Failure) {
        fail(shown, "cannot remove the earlier styles of bordercov's layers");
    }
}

std::size_t count_layer_styles(GDALDataset& ds, const std::vector<std::string>& layers) {
    OGRLayer* styles = ds.GetLayerByName("layer_styles");
    if (styles == nullptr || layers.empty()) {
        return 0;
    }
    styles->SetAttributeFilter(among(layers).c_str());
    const auto n = static_cast<std::size_t>(styles->GetFeatureCount(TRUE));
    styles->SetAttributeFilter(nullptr);
    return n;
}

namespace {

/// Whether this user may write public.layer_styles (creating it when it is
/// missing); "" when so, else why not.
std::string layer_styles_refused(GDALDataset& ds, const std::string& shown, bool& exists) {
    const std::vector<PgRow> found = pg_query(
        ds,
        "SELECT c.oid IS NOT NULL AS found, has_schema_privilege('public', 'CREATE') AS can, "
        "current_user AS u FROM "
        "(SELECT 1) AS one LEFT JOIN pg_catalog.pg_class c ON c.oid = "
        "to_regclass('public.layer_styles')",
        shown, "look for the table of QGIS styles");
    exists = found.at(0)[0] == "1";
    const std::string user = found[0][2].value_or("?");
    if (!exists) {
        return found[0][1] == "1"
                   ? std::string{}
                   : fmt::format("public.layer_styles, where QGIS looks for the styles of "
                                 "layers in PostgreSQL, does not exist, and user {} may not "
                                 "create it (the CREATE privilege on schema public)",
                                 user);
    }
    const std::vector<PgRow> rights = pg_query(
        ds,
        "SELECT has_table_privilege('public.layer_styles', 'INSERT') AND "
        "has_table_privilege('public.layer_styles', 'DELETE') AS rows, coalesce(("
        "SELECT has_sequence_privilege(s, 'USAGE') FROM "
        "pg_get_serial_sequence('public.layer_styles', 'id') AS s WHERE s IS NOT NULL), true) "
        "AS ids",
        shown, "check the rights on the table of QGIS styles");
    if (rights.at(0)[0] == "1" && rights[0][1] == "1") {
        return {};
    }
    return fmt::format("user {} may not add rows to public.layer_styles, where QGIS looks for "
                       "the styles of layers in PostgreSQL (it needs INSERT and DELETE on it and "
                       "USAGE on its sequence)",
                       user);
}

} // namespace

std::size_t write_postgis_layer_styles(GDALDataset& ds, const std::vector<Table>& tables,
                                       const std::string& schema, const std::string& shown,
                                       std::string& warning) {
    std::vector<std::pair<const Table*, std::string>> styled;
    std::string names;
    for (const Table& t : tables) {
        names += (names.empty() ? "" : ", ") + quote_literal(t.name);
        if (std::string qml = io::qgis_style(t.name, "PostgreSQL"); !qml.empty()) {
            styled.emplace_back(&t, std::move(qml));
        }
    }
    if (styled.empty()) {
        return 0;
    }
    bool exists = false;
    if (const std::string refused = layer_styles_refused(ds, shown, exists); !refused.empty()) {
        warning = fmt::format("{}: {}; the layers are written without their QGIS styles. Ask "
                              "the database's owner for that right, or style them in QGIS.",
                              shown, refused);
        return 0;
    }
    if (!exists) {
        // Exactly as QGIS 3's PostgreSQL provider creates it on saving a style.
        pg_execute(ds,
                   "CREATE TABLE public.layer_styles(id SERIAL PRIMARY KEY,f_table_catalog "
                   "varchar,f_table_schema varchar,f_table_name varchar,f_geometry_column "
                   "varchar,styleName text,styleQML xml,styleSLD xml,useAsDefault boolean,"
                   "description text,owner varchar(63) DEFAULT CURRENT_USER,ui xml,update_time "
                   "timestamp DEFAULT CURRENT_TIMESTAMP,type varchar)",
                   shown, "create the table of QGIS styles public.layer_styles");
    }
    pg_execute(ds,
               "DELETE FROM public.layer_styles WHERE f_table_catalog = current_database() AND "
               "f_table_schema = " +
                   quote_literal(schema) + " AND f_table_name IN (" + names + ")",
               shown, "remove the earlier QGIS styles of bordercov's layers");
    for (const auto& [table, qml] : styled) {
        // f_geometry_column NULL for a table without geometry, type NULL
        // for any geometry type: as QGIS matches them when it loads a layer.
        pg_execute(ds,
                   "INSERT INTO public.layer_styles (f_table_catalog, f_table_schema, "
                   "f_table_name, f_geometry_column, styleName, styleQML, useAsDefault, "
                   "description) VALUES (current_database(), " +
                       quote_literal(schema) + ", " + quote_literal(table->name) + ", " +
                       (table->geometry == GeometryType::none ? "NULL" : "'geom'") + ", " +
                       quote_literal(io::kQgisStyleName) + ", XMLPARSE(DOCUMENT " +
                       quote_literal(qml) + "), true, " + quote_literal(style_description()) + ")",
                   shown, fmt::format("write the QGIS style of table {}", table->name));
    }
    return styled.size();
}

} // namespace bordercov::detail
