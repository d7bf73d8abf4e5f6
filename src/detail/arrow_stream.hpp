// A layer read through GDAL's Arrow stream (RFC 86, OGR_L_GetArrowStream):
// batches of rows in columns, as the Arrow C data interface lays them out,
// parsed here without the Arrow library. Drivers that read columns natively
// (GeoPackage, FlatGeobuf, GeoParquet, Arrow: the OLCFastGetArrowStream
// capability) give a layer several times faster than feature by feature.
// Every row is handed on as a FeatureRow (feature_row.hpp), so the reader's
// checks see the same values whichever way the layer was read.
//
// Example usage:
//     if (auto stream = detail::ArrowLayerStream::open(layer)) {
//         stream->for_each([&](const detail::FeatureRow& row) { ... });
//     } else {
//         ... feature by feature ...
//     }
#pragma once

#include "detail/feature_row.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

class OGRLayer;

namespace bordercov::detail {

/// Whether a field of this type can come through the Arrow stream to the
/// reader with exactly the values OGRFeature gives (integers, reals,
/// strings, dates; not date-times, whose time zone the stream changes, nor
/// lists or booleans).
bool arrow_readable_field(const OGRFieldDefn& field);

/// How many layers this process has read through the Arrow stream, for the
/// tests that check which way a layer was read.
std::size_t arrow_layers_read();

class ArrowLayerStream {
  public:
    /// The layer's stream with its first batch read, or null (nothing read,
    /// the layer as it was) when the driver reads no faster in columns, a
    /// field read is of a type the stream cannot give exactly, or GDAL gives
    /// no stream. `file` names the layer's file in messages. Fields the layer ignores
    /// (OGRLayer::SetIgnoredFields) are not read and hold no value.
    static std::unique_ptr<ArrowLayerStream> open(OGRLayer& layer, const std::string& file);

    ~ArrowLayerStream();
    ArrowLayerStream(const ArrowLayerStream&) = delete;
    ArrowLayerStream& operator=(const ArrowLayerStream&) = delete;

    /// Calls each(row) for every feature, in the layer's order. Throws
    /// IoError when GDAL fails part-way (the layer cannot be read whole).
    void for_each(const std::function<void(const FeatureRow&)>& each);

    struct State;

  private:
    explicit ArrowLayerStream(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

} // namespace bordercov::detail
