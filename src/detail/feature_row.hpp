// One feature of a layer as the workspace reader checks it, whichever way it
// was read: an OGRFeature (GDAL's per-feature read, every driver) or a row of
// a batch of GDAL's Arrow stream (arrow_stream.hpp). The reader's checks and
// messages are written once, against this; both ways give the same values.
#pragma once

#include "detail/gdal_support.hpp"

#include <ogr_feature.h>

#include <cstdint>
#include <optional>
#include <string_view>

namespace bordercov::detail {

/// A calendar day as OGR gives it (OGRFeature::GetFieldAsDateTime).
struct CalendarDay {
    int year = 0, month = 0, day = 0;
};

/// Fields are named by their index in the layer's OGRFeatureDefn.
class FeatureRow {
  public:
    virtual ~FeatureRow() = default;
    virtual std::int64_t fid() const = 0;
    /// The field holds a value (OGRFeature::IsFieldSetAndNotNull).
    virtual bool has(int field) const = 0;
    /// The value as OGRFeature::GetFieldAsString writes it; valid until the
    /// next call on this row.
    virtual std::string_view text(int field) const = 0;
    /// The value of a numeric field (OGRFeature::GetFieldAsDouble).
    virtual double number(int field) const = 0;
    /// The day of a date or date-time field; nullopt when OGR gives none.
    virtual std::optional<CalendarDay> day(int field) const = 0;
    /// A copy of the geometry in the layer's CRS, for the reader to
    /// transform; null when the feature has none.
    virtual GeometryPtr geometry() const = 0;
};

/// A feature of GDAL's per-feature read.
class OgrFeatureRow final : public FeatureRow {
  public:
    explicit OgrFeatureRow(const OGRFeature& f) : f_(f) {}
    std::int64_t fid() const override { return f_.GetFID(); }
    bool has(int field) const override { return f_.IsFieldSetAndNotNull(field) != 0; }
    std::string_view text(int field) const override { return f_.GetFieldAsString(field); }
    double number(int field) const override { return f_.GetFieldAsDouble(field); }
    std::optional<CalendarDay> day(int field) const override {
        int y = 0, m = 0, d = 0, h = 0, min = 0, tz = 0;
        float s = 0;
        if (!f_.GetFieldAsDateTime(field, &y, &m, &d, &h, &min, &s, &tz)) {
            return std::nullopt;
        }
        return CalendarDay{y, m, d};
    }
    GeometryPtr geometry() const override {
        const OGRGeometry* g = f_.GetGeometryRef();
        return GeometryPtr(g ? g->clone() : nullptr);
    }

  private:
    const OGRFeature& f_;
};

} // namespace bordercov::detail
