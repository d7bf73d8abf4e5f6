#include "detail/layer_styles.hpp"

#include "bordercov/error.hpp"
#include "bordercov/io/qgis_style.hpp"
#include "detail/gdal_support.hpp"

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
    const std::string description =
        fmt::format("bordercov {}: the layer as bordercov shows it", BORDERCOV_VERSION);
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

void remove_layer_styles(GDALDataset& ds, const std::vector<Table>& tables,
                         const std::string& shown) {
    if (ds.GetLayerByName("layer_styles") == nullptr || tables.empty()) {
        return;
    }
    std::vector<std::string> names;
    for (const Table& t : tables) {
        names.push_back(t.name);
    }
    CPLErrorReset();
    ds.ExecuteSQL(("DELETE FROM layer_styles WHERE " + among(names)).c_str(), nullptr, nullptr);
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

} // namespace bordercov::detail
