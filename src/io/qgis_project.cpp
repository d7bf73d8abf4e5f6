#include "bordercov/io/qgis_project.hpp"

#include "bordercov/error.hpp"
#include "bordercov/io/qgis_style.hpp"
#include "bordercov/labels.hpp"
#include "detail/gdal_support.hpp"
#include "detail/qgis_layout.hpp"
#include "detail/temporary_output.hpp"
#include "detail/xml_escape.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <memory>
#include <optional>

namespace bordercov::io {

namespace fs = std::filesystem;

std::string qgis_group(const std::string& layer) {
    static const std::map<std::string, std::string> groups{{"gaps", "coverage"},
                                                           {"segments", "coverage"},
                                                           {"line_summary", "coverage"},
                                                           {"team_summary", "coverage"},
                                                           {"markers", "markers"},
                                                           {"commune_summary", "communes"},
                                                           {"district_summary", "communes"},
                                                           {"diagnostics", "diagnostics"}};
    const auto it = groups.find(layer);
    return it == groups.end() ? std::string{} : it->second;
}

namespace {

/// The groups from the top of the layer tree down; QGIS draws the tree's
/// lower layers first, so markers lie over lines and lines over communes.
const std::vector<std::string> kGroups{"diagnostics", "markers", "coverage", "communes"};

/// Within a group, the layers in this order (gaps over segments).
const std::vector<std::string> kLayerOrder{"diagnostics",     "markers",         "gaps",
                                           "segments",        "line_summary",    "team_summary",
                                           "commune_summary", "district_summary"};

bool is_qgs(const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext == ".qgs";
}

fs::path absolute_normal(const fs::path& p) {
    std::error_code ec;
    const fs::path a = fs::absolute(p, ec);
    return (ec ? p : a).lexically_normal();
}

/// A path as QGIS reads a relative one: from the project's folder, beginning
/// with ./ or ../ (anything else QGIS takes as absolute).
std::string relative_to_project(const fs::path& file, const fs::path& project) {
    const fs::path target = absolute_normal(file);
    const fs::path rel = target.lexically_relative(absolute_normal(project).parent_path());
    if (rel.empty()) {
        return target.generic_string();
    }
    const std::string s = rel.generic_string();
    return s.rfind("../", 0) == 0 ? s : "./" + s;
}

using detail::DatasetPtr;

/// One layer of the project, as written on disk.
struct ProjectLayer {
    std::string name;
    std::string title; ///< shown in QGIS's layer tree: the name, or its title in a language
    const Table* table = nullptr;
    std::string id;
    std::string source; ///< the OGR data source, relative to the project
    GeometryType geometry = GeometryType::none;
    std::optional<OGRSpatialReference> srs;
    std::optional<OGREnvelope> extent;
};

/// QGIS's geometry class and WKB type names of a table's geometry.
std::pair<const char*, const char*> qgis_geometry(GeometryType g) {
    switch (g) {
    case GeometryType::point:
        return {"Point", "Point"};
    case GeometryType::line_string:
        return {"Line", "LineString"};
    case GeometryType::multi_line_string:
        return {"Line", "MultiLineString"};
    case GeometryType::multi_polygon:
        return {"Polygon", "MultiPolygon"};
    case GeometryType::none:
        break;
    }
    return {"No geometry", "NoGeometry"};
}

/// A CRS as QGIS stores it. QGIS reads the WKT (lossless) and identifies
/// the authority code itself; the other elements are for people and for
/// older readers.
std::string spatialrefsys(const OGRSpatialReference& srs, const std::string& indent) {
    std::string wkt;
    {
        char* text = nullptr;
        const char* const options[] = {"FORMAT=WKT2_2019", nullptr};
        if (srs.exportToWkt(&text, options) == OGRERR_NONE && text != nullptr) {
            wkt = text;
        }
        CPLFree(text);
    }
    std::string proj4;
    {
        char* text = nullptr;
        if (srs.exportToProj4(&text) == OGRERR_NONE && text != nullptr) {
            proj4 = text;
        }
        CPLFree(text);
    }
    OGRSpatialReference identified(srs);
    if (identified.GetAuthorityCode(nullptr) == nullptr) {
        identified.AutoIdentifyEPSG();
    }
    const char* authority = identified.GetAuthorityName(nullptr);
    const char* code = identified.GetAuthorityCode(nullptr);
    const std::string authid =
        authority && code ? fmt::format("{}:{}", authority, code) : std::string{};
    std::string out = indent + "<spatialrefsys nativeFormat=\"Wkt\">\n";
    out += fmt::format("{}  <wkt>{}</wkt>\n", indent, detail::xml_escape(wkt));
    out += fmt::format("{}  <proj4>{}</proj4>\n", indent, detail::xml_escape(proj4));
    if (authority && code && std::string_view(authority) == "EPSG") {
        out += fmt::format("{}  <srid>{}</srid>\n", indent, code);
    }
    out += fmt::format("{}  <authid>{}</authid>\n", indent, detail::xml_escape(authid));
    out += fmt::format("{}  <description>{}</description>\n", indent,
                       detail::xml_escape(srs.GetName() ? srs.GetName() : ""));
    out += fmt::format("{}  <geographicflag>{}</geographicflag>\n", indent,
                       srs.IsGeographic() ? "true" : "false");
    out += indent + "</spatialrefsys>\n";
    return out;
}

/// QGIS's name of the map units of a CRS.
const char* map_units(const OGRSpatialReference& srs) {
    if (srs.IsGeographic()) {
        return "degrees";
    }
    const double metres = srs.GetLinearUnits(nullptr);
    if (std::abs(metres - 1.0) < 1e-9) {
        return "meters";
    }
    if (std::abs(metres - 0.3048) < 1e-9) {
        return "feet";
    }
    return "unknown";
}

/// The body of a QML style (all inside its root element) and whether it
/// turns labels on: a map layer in a project holds the same elements.
std::pair<std::string, bool> style_body(const std::string& qml) {
    const std::size_t root = qml.find("<qgis ");
    const std::size_t open_end = root == std::string::npos ? root : qml.find('>', root);
    const std::size_t close = qml.rfind("</qgis>");
    if (open_end == std::string::npos || close == std::string::npos || close < open_end) {
        return {{}, false};
    }
    const bool labels =
        qml.substr(root, open_end - root).find("labelsEnabled=\"1\"") != std::string::npos;
    return {qml.substr(open_end + 1, close - open_end - 1), labels};
}

std::string extent_xml(const OGREnvelope& e, const std::string& indent) {
    return fmt::format("{0}<extent>\n{0}  <xmin>{1:.9g}</xmin>\n{0}  <ymin>{2:.9g}</ymin>\n"
                       "{0}  <xmax>{3:.9g}</xmax>\n{0}  <ymax>{4:.9g}</ymax>\n{0}</extent>\n",
                       indent, e.MinX, e.MinY, e.MaxX, e.MaxY);
}

std::string map_layer_xml(const ProjectLayer& layer, const std::string& driver,
                          const i18n::Catalogue* titles) {
    const auto [geometry, wkb_type] = qgis_geometry(layer.geometry);
    const auto [style, labels] = style_body(qgis_layer_style(*layer.table, driver, titles));
    std::string out = fmt::format(
        "    <maplayer type=\"vector\" geometry=\"{}\" wkbType=\"{}\" labelsEnabled=\"{}\" "
        "styleCategories=\"AllStyleCategories\" hasScaleBasedVisibilityFlag=\"0\" "
        "minScale=\"100000000\" maxScale=\"0\" readOnly=\"0\">\n",
        geometry, wkb_type, labels ? 1 : 0);
    if (layer.extent) {
        out += extent_xml(*layer.extent, "      ");
    }
    out += fmt::format("      <id>{}</id>\n", detail::xml_escape(layer.id));
    out += fmt::format("      <datasource>{}</datasource>\n", detail::xml_escape(layer.source));
    out += fmt::format("      <layername>{}</layername>\n", detail::xml_escape(layer.title));
    if (layer.srs) {
        out += "      <srs>\n" + spatialrefsys(*layer.srs, "        ") + "      </srs>\n";
    }
    out += "      <provider encoding=\"UTF-8\">ogr</provider>\n";
    out += style;
    if (!style.empty() && style.back() != '\n') {
        out += '\n';
    }
    out += "    </maplayer>\n";
    return out;
}

std::string tree_layer_xml(const ProjectLayer& layer, const std::string& indent) {
    return fmt::format(
        "{0}<layer-tree-layer id=\"{1}\" name=\"{2}\" source=\"{3}\" providerKey=\"ogr\" "
        "checked=\"Qt::Checked\" expanded=\"{4}\">\n{0}  "
        "<customproperties/>\n{0}</layer-tree-layer>\n",
        indent, detail::xml_escape(layer.id), detail::xml_escape(layer.title),
        detail::xml_escape(layer.source), layer.geometry == GeometryType::none ? 0 : 1);
}

/// The layers as written: opened with GDAL for their CRS and extent.
std::vector<ProjectLayer> written_layers(const std::vector<Table>& tables,
                                         const OutputTarget& target, const fs::path& project) {
    detail::register_gdal();
    std::map<std::string, DatasetPtr> open;
    std::vector<ProjectLayer> layers;
    for (const Table& t : tables) {
        const LayerLocation where = layer_location(t, target);
        DatasetPtr& ds = open[where.file];
        if (!ds) {
            ds.reset(GDALDataset::Open(where.file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
        }
        OGRLayer* written = !ds ? nullptr
                            : where.one_file_per_layer && ds->GetLayerCount() == 1
                                ? ds->GetLayer(0)
                                : ds->GetLayerByName(where.layer.c_str());
        if (written == nullptr) {
            throw IoError(
                fmt::format("{}, layer '{}': not found in the output the project is to show{}. "
                            "Write the output again with -o.",
                            where.file, t.name, detail::last_gdal_error()));
        }
        ProjectLayer layer;
        layer.name = t.name;
        layer.title = t.name;
        layer.table = &t;
        layer.id = "bordercov_" + t.name;
        layer.source = relative_to_project(where.file, project) +
                       (where.one_file_per_layer ? std::string{} : "|layername=" + where.layer);
        layer.geometry = t.geometry;
        const OGRwkbGeometryType on_disk = wkbFlatten(written->GetGeomType());
        if (t.geometry != GeometryType::none && (on_disk == wkbUnknown || on_disk == wkbNone)) {
            // An empty GeoJSON layer has no geometry type: QGIS would take it
            // for a table and drop its style.
            layer.source += fmt::format("|geometrytype={}", qgis_geometry(t.geometry).second);
        }
        if (t.geometry != GeometryType::none) {
            if (const OGRSpatialReference* srs = written->GetSpatialRef()) {
                layer.srs = *srs;
            }
            OGREnvelope e;
            if (written->GetFeatureCount(TRUE) > 0 && written->GetExtent(&e, TRUE) == OGRERR_NONE) {
                layer.extent = e;
            }
        }
        layers.push_back(std::move(layer));
    }
    return layers;
}

std::size_t order_of(const std::string& layer) {
    const auto it = std::find(kLayerOrder.begin(), kLayerOrder.end(), layer);
    return static_cast<std::size_t>(it - kLayerOrder.begin());
}

/// The layers in the order of the layer tree, titled in the catalogue's language.
void title_and_order(std::vector<ProjectLayer>& layers, const i18n::Catalogue* titles) {
    for (ProjectLayer& l : layers) {
        l.title = titles ? layer_title(*titles, l.name) : l.name;
    }
    std::stable_sort(layers.begin(), layers.end(),
                     [](const ProjectLayer& a, const ProjectLayer& b) {
                         return order_of(a.name) < order_of(b.name);
                     });
}

/// The project's CRS is the output's: that of its first layer with one.
OGRSpatialReference project_crs(const std::vector<ProjectLayer>& layers) {
    for (const ProjectLayer& l : layers) {
        if (l.srs) {
            return *l.srs;
        }
    }
    return detail::wgs84_lonlat();
}

/// The extent of every layer, with a margin of 5 % around it.
std::optional<OGREnvelope> project_extent(const std::vector<ProjectLayer>& layers) {
    std::optional<OGREnvelope> extent;
    for (const ProjectLayer& l : layers) {
        if (l.extent && extent) {
            extent->Merge(*l.extent);
        } else if (l.extent) {
            extent = *l.extent;
        }
    }
    if (extent) {
        const double dx = std::max(extent->MaxX - extent->MinX, 1e-6) * 0.05;
        const double dy = std::max(extent->MaxY - extent->MinY, 1e-6) * 0.05;
        extent->MinX -= dx;
        extent->MaxX += dx;
        extent->MinY -= dy;
        extent->MaxY += dy;
    }
    return extent;
}

std::string layer_tree_xml(const std::vector<ProjectLayer>& layers, const i18n::Catalogue* titles) {
    std::string xml = "  <layer-tree-group>\n    <customproperties/>\n";
    for (const ProjectLayer& l : layers) { // layers of no group come first
        if (qgis_group(l.name).empty()) {
            xml += tree_layer_xml(l, "    ");
        }
    }
    for (const std::string& group : kGroups) {
        const bool any = std::any_of(layers.begin(), layers.end(), [&](const ProjectLayer& l) {
            return qgis_group(l.name) == group;
        });
        if (!any) {
            continue;
        }
        xml += fmt::format(
            "    <layer-tree-group name=\"{}\" checked=\"Qt::Checked\" expanded=\"1\">\n"
            "      <customproperties/>\n",
            detail::xml_escape(titles ? group_title(*titles, group) : group));
        for (const ProjectLayer& l : layers) {
            if (qgis_group(l.name) == group) {
                xml += tree_layer_xml(l, "      ");
            }
        }
        xml += "    </layer-tree-group>\n";
    }
    return xml + "  </layer-tree-group>\n";
}

/// Where the map opens: QGIS Desktop reads the canvas; a project that has
/// none (QGIS Server, other tools) its default view.
std::string view_xml(const OGREnvelope& extent, const OGRSpatialReference& crs) {
    std::string xml = fmt::format("  <mapcanvas name=\"theMapCanvas\" annotationsVisible=\"1\">\n"
                                  "    <units>{}</units>\n",
                                  map_units(crs));
    xml += extent_xml(extent, "    ");
    xml += "    <rotation>0</rotation>\n    <destinationsrs>\n" + spatialrefsys(crs, "      ") +
           "    </destinationsrs>\n    <rendermaptile>0</rendermaptile>\n  </mapcanvas>\n";
    xml += fmt::format("  <ProjectViewSettings UseProjectScales=\"0\" rotation=\"0\">\n"
                       "    <Scales/>\n"
                       "    <DefaultViewExtent xmin=\"{:.9g}\" ymin=\"{:.9g}\" xmax=\"{:.9g}\" "
                       "ymax=\"{:.9g}\">\n",
                       extent.MinX, extent.MinY, extent.MaxX, extent.MaxY);
    return xml + spatialrefsys(crs, "      ") +
           "    </DefaultViewExtent>\n  </ProjectViewSettings>\n";
}

const ProjectLayer* find_layer(const std::vector<ProjectLayer>& layers, const std::string& name) {
    const auto it = std::find_if(layers.begin(), layers.end(),
                                 [&](const ProjectLayer& l) { return l.name == name; });
    return it == layers.end() ? nullptr : &*it;
}

detail::LayoutLayer layout_layer(const ProjectLayer& l) {
    return {l.name, l.title, l.id, l.source};
}

/// The print layout of one page per commune, when the project shows the
/// communes with their geometry; "" otherwise.
std::string layout_xml(const std::vector<ProjectLayer>& layers, const std::string& driver,
                       const OGREnvelope& extent, const ProjectOptions& options) {
    const ProjectLayer* communes = find_layer(layers, "commune_summary");
    if (communes == nullptr || communes->geometry == GeometryType::none) {
        return {};
    }
    detail::CommuneSheets sheets;
    sheets.catalogue = options.titles;
    sheets.driver = driver;
    sheets.communes = layout_layer(*communes);
    sheets.commune_order = detail::commune_order(*communes->table);
    if (const ProjectLayer* gaps = find_layer(layers, "gaps")) {
        sheets.gaps = layout_layer(*gaps);
    }
    if (const ProjectLayer* districts = find_layer(layers, "district_summary")) {
        sheets.districts = layout_layer(*districts);
    }
    for (const ProjectLayer& l : layers) { // the map's layers, in the tree's order
        if (l.geometry != GeometryType::none && l.name != "diagnostics" &&
            !qgis_group(l.name).empty()) {
            sheets.legend.push_back(layout_layer(l));
        }
    }
    sheets.as_of = options.as_of;
    sheets.source = options.source;
    sheets.xmin = extent.MinX;
    sheets.ymin = extent.MinY;
    sheets.xmax = extent.MaxX;
    sheets.ymax = extent.MaxY;
    return detail::commune_sheets_xml(sheets);
}

std::string project_xml(std::vector<ProjectLayer> layers, const std::string& driver,
                        const std::string& title, const ProjectOptions& options) {
    title_and_order(layers, options.titles);
    const OGRSpatialReference crs = project_crs(layers);
    const std::optional<OGREnvelope> extent = project_extent(layers);

    std::string xml = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n";
    xml += fmt::format("<qgis projectname=\"{0}\" version=\"3.22.0\">\n  <title>{0}</title>\n",
                       detail::xml_escape(title));
    xml += "  <projectCrs>\n" + spatialrefsys(crs, "    ") + "  </projectCrs>\n";
    xml += layer_tree_xml(layers, options.titles);
    xml += "  <projectlayers>\n";
    for (const ProjectLayer& l : layers) {
        xml += map_layer_xml(l, driver, options.titles);
    }
    xml += "  </projectlayers>\n";
    if (extent) {
        xml += view_xml(*extent, crs);
        xml += layout_xml(layers, driver, *extent, options);
    }
    // Relative paths also when the user saves the project again; QGIS reads
    // projectCrs only when ProjectionsEnabled says the project has a CRS.
    // Distances (the layout's scale bar) on the WGS 84 ellipsoid.
    xml +=
        "  <properties>\n"
        "    <Paths>\n      <Absolute type=\"bool\">false</Absolute>\n    </Paths>\n"
        "    <SpatialRefSys>\n      <ProjectionsEnabled type=\"int\">1</ProjectionsEnabled>\n"
        "    </SpatialRefSys>\n"
        "    <Measure>\n      <Ellipsoid type=\"QString\">EPSG:7030</Ellipsoid>\n    </Measure>\n"
        "  </properties>\n";
    xml += "</qgis>\n";
    return xml;
}

} // namespace

void check_qgis_project(const std::string& project, const std::string& out,
                        const WriteOptions& write, const ProjectOptions& options) {
    const fs::path p(project);
    if (!is_qgs(p)) {
        throw UsageError(
            fmt::format("--qgis-project {}: give a file name ending in .qgs (bordercov "
                        "writes QGIS's XML project, not the zipped .qgz).",
                        project));
    }
    if (out.empty()) {
        throw UsageError(
            fmt::format("--qgis-project {}: a project shows the layers written with -o. "
                        "Give -o OUT as well.",
                        project));
    }
    // The project may lie in an output folder (bordercov only writes its
    // layers' files there), but not be the output or one of those files.
    const OutputTarget target = output_target(out, write.driver, 1);
    if (target.database) {
        throw UsageError(fmt::format(
            "--qgis-project {}: the layers go into a PostgreSQL database, and QGIS opens them "
            "from there already styled (Browser, PostgreSQL, the schema). Leave "
            "--qgis-project out.",
            project));
    }
    bool clash = absolute_normal(p) == absolute_normal(out);
    if (target.per_layer) {
        for (const std::string& layer : styled_layers()) {
            for (const std::string& f : own_files(target, layer)) {
                clash = clash || absolute_normal(p) == absolute_normal(fs::path(target.folder) / f);
            }
        }
    }
    if (clash) {
        throw UsageError(
            fmt::format("--qgis-project {}: that is a file of the output {}. Give the project "
                        "another name.",
                        project, out));
    }
    for (const std::string& input : write.inputs) {
        if (absolute_normal(p) == absolute_normal(input)) {
            throw IoError(fmt::format("{}: that is the input; it is left as it is. Choose another "
                                      "--qgis-project.",
                                      project));
        }
    }
    std::error_code ec;
    if (fs::exists(p, ec) && !options.overwrite) {
        throw IoError(fmt::format("{}: the project exists already; it is left as it is. Try "
                                  "--overwrite, or choose another --qgis-project.",
                                  project));
    }
    const fs::path parent = p.parent_path().empty() ? fs::path(".") : p.parent_path();
    if (!fs::is_directory(parent, ec)) {
        throw IoError(fmt::format("{}: the folder {} does not exist. Create it, or choose another "
                                  "--qgis-project.",
                                  project, parent.string()));
    }
}

void write_qgis_project(const std::string& project, const std::vector<Table>& tables,
                        const std::string& out, const WriteOptions& write,
                        const ProjectOptions& options) {
    check_qgis_project(project, out, write, options);
    const fs::path target(project);
    std::string xml;
    {
        detail::QuietGdal quiet;
        CPLErrorReset();
        const std::string title =
            options.title.empty() ? fmt::format("bordercov: {}", fs::path(out).filename().string())
                                  : options.title;
        const OutputTarget written = output_target(out, write.driver, tables.size());
        xml = project_xml(written_layers(tables, written, target), written.driver, title, options);
    }
    // Written beside the target under a temporary name, then renamed over it
    // in one step: the project is at every moment the old one or the new.
    detail::TemporaryOutput output(target);
    try {
        std::ofstream file(output.path(), std::ios::binary | std::ios::trunc);
        file << xml;
        file.close();
        if (!file) {
            throw IoError(
                fmt::format("{}: cannot write the QGIS project. Check free disk space and "
                            "permissions.",
                            project));
        }
        output.put_in_place();
    } catch (const fs::filesystem_error& e) {
        throw IoError(
            fmt::format("{}: cannot put the QGIS project in place ({}).", project, e.what()));
    }
}

} // namespace bordercov::io
