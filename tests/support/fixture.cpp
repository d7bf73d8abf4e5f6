#include "fixture.hpp"

#include "bordercov/coverage.hpp"
#include "bordercov/io/workspace_reader.hpp"
#include "bordercov/resolve.hpp"

#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogrsf_frmts.h>

#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>

namespace bordercov::test {

namespace fs = std::filesystem;

TempDir::TempDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() /
            ("bordercov-test-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

namespace {

OGRFieldType type_of(const std::string& field, const std::vector<std::string>& text_fields) {
    for (const auto& t : text_fields) {
        if (t == field) {
            return OFTString;
        }
    }
    if (field == "members") {
        return OFTInteger;
    }
    if (field.size() > 3 && field.substr(field.size() - 3) == "_km") {
        return OFTReal;
    }
    if (field == "signed" || field == "expires" || field == "built") {
        return OFTDate;
    }
    return OFTString;
}

void write_layer(GDALDataset& ds, const FixtureLayer& layer, const FixtureOptions& options,
                 const OGRSpatialReference& srs, OGRCoordinateTransformation* ct) {
    OGRwkbGeometryType type = wkbNone;
    for (const auto& row : layer.rows) {
        if (!row.wkt.empty()) {
            OGRGeometry* g = nullptr;
            if (OGRGeometryFactory::createFromWkt(row.wkt.c_str(), nullptr, &g) != OGRERR_NONE) {
                throw std::runtime_error("bad WKT in fixture: " + row.wkt);
            }
            type = type == wkbNone ? g->getGeometryType() : type;
            if (type != g->getGeometryType()) {
                type = wkbUnknown;
            }
            OGRGeometryFactory::destroyGeometry(g);
        }
    }
    if (type == wkbUnknown && options.driver == "ESRI Shapefile") {
        type = wkbLineString;
    }
    char** lco = nullptr;
    if (options.driver == "ESRI Shapefile") {
        lco = CSLSetNameValue(lco, "ENCODING", "UTF-8");
    }
    OGRLayer* l = ds.CreateLayer(
        layer.name.c_str(),
        type == wkbNone || !options.crs ? nullptr : const_cast<OGRSpatialReference*>(&srs), type,
        lco);
    CSLDestroy(lco);
    if (!l) {
        throw std::runtime_error("cannot create fixture layer " + layer.name);
    }
    std::vector<std::string> fields;
    std::set<std::string> seen;
    for (const auto& row : layer.rows) {
        for (const auto& [k, v] : row.values) {
            if (seen.insert(k).second) {
                fields.push_back(k);
            }
        }
    }
    for (const auto& f : fields) {
        OGRFieldDefn defn(f.c_str(), type_of(f, layer.text_fields));
        l->CreateField(&defn);
    }
    for (const auto& row : layer.rows) {
        OGRFeature feature(l->GetLayerDefn());
        for (const auto& [k, v] : row.values) {
            if (v.empty()) {
                continue;
            }
            const int i = feature.GetFieldIndex(
                k.substr(0, options.driver == "ESRI Shapefile" ? 10 : k.size()).c_str());
            if (type_of(k, layer.text_fields) == OFTDate) {
                int y = 0, m = 0, d = 0;
                if (std::sscanf(v.c_str(), "%d-%d-%d", &y, &m, &d) == 3) {
                    feature.SetField(i, y, m, d);
                } else {
                    feature.SetField(i, v.c_str());
                }
            } else {
                feature.SetField(i, v.c_str());
            }
        }
        if (!row.wkt.empty() && type != wkbNone) {
            OGRGeometry* g = nullptr;
            OGRGeometryFactory::createFromWkt(row.wkt.c_str(), nullptr, &g);
            if (ct && g->transform(ct) != OGRERR_NONE) {
                throw std::runtime_error("cannot transform fixture geometry " + row.wkt);
            }
            feature.SetGeometryDirectly(g);
        }
        if (l->CreateFeature(&feature) != OGRERR_NONE) {
            throw std::runtime_error("cannot write fixture feature in " + layer.name);
        }
    }
}

} // namespace

std::string write_workspace(const std::string& path, const std::vector<FixtureLayer>& layers,
                            const FixtureOptions& options) {
    GDALAllRegister();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(options.driver.c_str());
    if (!driver) {
        throw std::runtime_error("no GDAL driver " + options.driver);
    }
    OGRSpatialReference wgs84, srs;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    srs.importFromEPSG(options.epsg);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> ct;
    if (options.epsg != 4326) {
        ct.reset(OGRCreateCoordinateTransformation(&wgs84, &srs));
    }
    const bool folder = options.driver != "GPKG";
    if (folder) {
        fs::create_directories(path);
    }
    std::unique_ptr<GDALDataset> single;
    if (!folder) {
        single.reset(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    }
    for (const auto& layer : layers) {
        if (folder) {
            const char* ext = options.driver == "GeoJSON"
                                  ? "geojson"
                                  : driver->GetMetadataItem(GDAL_DMD_EXTENSION);
            if (ext == nullptr) {
                throw std::runtime_error("no file extension known for driver " + options.driver);
            }
            const std::string file = (fs::path(path) / (layer.name + "." + ext)).string();
            std::unique_ptr<GDALDataset> ds(
                driver->Create(file.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
            if (!ds) {
                throw std::runtime_error("cannot create " + file);
            }
            write_layer(*ds, layer, options, srs, ct.get());
        } else {
            write_layer(*single, layer, options, srs, ct.get());
        }
    }
    return path;
}

namespace {

std::string quote(const std::string& s) {
    std::string q = "'";
    for (const char c : s) {
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return q + "'";
}

} // namespace

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string wkt_coords(const std::vector<LonLat>& points) {
    std::string s;
    char buf[64];
    for (const LonLat& p : points) {
        std::snprintf(buf, sizeof buf, "%s%.10g %.10g", s.empty() ? "" : ", ", p.lon, p.lat);
        s += buf;
    }
    return s;
}

EngineRun run_engine(const std::string& workspace, const std::string& as_of) {
    EngineRun run;
    Diagnostics diagnostics;
    run.ws = io::read_workspace(workspace, diagnostics);
    ResolveOptions options;
    options.as_of = *Date::parse(as_of);
    const Plan plan = resolve(run.ws, options, diagnostics);
    const Coverage coverage = compute_coverage(run.ws, plan, {});
    run.tables = coverage_tables(run.ws, plan, coverage, diagnostics);
    return run;
}

DatasetPtr open_vector(const std::string& path) {
    GDALAllRegister();
    return DatasetPtr(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
}

bool translate_to_flatgeobuf(const std::string& source, const std::string& folder) {
    GDALAllRegister();
    char* argv[] = {const_cast<char*>("-f"), const_cast<char*>("FlatGeobuf"), nullptr};
    GDALVectorTranslateOptions* options = GDALVectorTranslateOptionsNew(argv, nullptr);
    GDALDatasetH src = GDALOpenEx(source.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
    GDALDatasetH out =
        src ? GDALVectorTranslate(folder.c_str(), nullptr, 1, &src, options, nullptr) : nullptr;
    if (out) {
        GDALClose(out);
    }
    if (src) {
        GDALClose(src);
    }
    GDALVectorTranslateOptionsFree(options);
    return out != nullptr;
}

const char* bordercov_binary() {
    return BORDERCOV_BIN;
}

RunResult run_bordercov(const std::vector<std::string>& args, const std::string& shell_prefix) {
    TempDir dir;
    std::string command = shell_prefix + quote(BORDERCOV_BIN);
    for (const auto& a : args) {
        command += " " + quote(a);
    }
    const fs::path out = dir.path() / "stdout", err = dir.path() / "stderr";
    command += " >" + quote(out.string()) + " 2>" + quote(err.string());
    const int status = std::system(command.c_str());
    RunResult r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
}

} // namespace bordercov::test
