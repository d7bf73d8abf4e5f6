// RAII and small shared pieces around GDAL/OGR for the reader and the writer.
#pragma once

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>

#include <memory>
#include <optional>
#include <string>

namespace bordercov::detail {

/// Keeps GDAL from printing to stderr while alive; the last message stays
/// available (last_gdal_error) for the message bordercov gives instead.
class QuietGdal {
  public:
    QuietGdal() { CPLPushErrorHandler(CPLQuietErrorHandler); }
    ~QuietGdal() { CPLPopErrorHandler(); }
    QuietGdal(const QuietGdal&) = delete;
    QuietGdal& operator=(const QuietGdal&) = delete;
};

/// GDAL's last error message, or "" (with a leading ": " when there is one).
std::string last_gdal_error();

/// A dataset closed (and flushed) when its owner goes.
/// GDAL's global configuration option `key` set to `value` while it lives,
/// then back to what it was; an empty value leaves it untouched.
class ScopedConfigOption {
  public:
    ScopedConfigOption(const char* key, const std::string& value);
    ~ScopedConfigOption();
    ScopedConfigOption(const ScopedConfigOption&) = delete;
    ScopedConfigOption& operator=(const ScopedConfigOption&) = delete;

  private:
    const char* key_;
    bool set_ = false;
    std::optional<std::string> before_;
};

struct DatasetCloser {
    void operator()(GDALDataset* ds) const { GDALClose(ds); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

/// A geometry OGR made (createFromWkb, ...), destroyed by OGR.
struct GeometryDeleter {
    void operator()(OGRGeometry* g) const { OGRGeometryFactory::destroyGeometry(g); }
};
using GeometryPtr = std::unique_ptr<OGRGeometry, GeometryDeleter>;

struct TransformDeleter {
    void operator()(OGRCoordinateTransformation* ct) const {
        OGRCoordinateTransformation::DestroyCT(ct);
    }
};
using Transform = std::unique_ptr<OGRCoordinateTransformation, TransformDeleter>;

/// WGS 84 with lon/lat axis order, whatever EPSG says.
const OGRSpatialReference& wgs84_lonlat();

/// A transformation from one CRS to another (through PROJ): a null Transform
/// when the two are the same and coordinates pass unchanged, nullopt when
/// PROJ finds no way between them.
std::optional<Transform> make_transform(const OGRSpatialReference& from,
                                        const OGRSpatialReference& to);

/// Registers GDAL's drivers once.
void register_gdal();

} // namespace bordercov::detail
