#include "detail/arrow_stream.hpp"

#include "bordercov/error.hpp"

#include <ogr_recordbatch.h>
#include <ogrsf_frmts.h>

#include <fmt/format.h>

#include <atomic>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

namespace bordercov::detail {

bool arrow_readable_field(const OGRFieldDefn& field) {
    const OGRFieldSubType sub = field.GetSubType();
    switch (field.GetType()) {
    case OFTInteger:
    case OFTReal:
        return sub == OFSTNone;
    case OFTInteger64:
    case OFTString:
    case OFTDate:
        return true;
    default:
        return false;
    }
}

namespace {

std::atomic<std::size_t> layers_read{0};

/// How a column's values are laid out (the Arrow C data interface's format
/// strings: "i", "l", "g", "u", "U", "tdD", "z", "Z").
enum class Kind { int32, int64, float64, utf8, large_utf8, date32, binary, large_binary };

std::optional<Kind> kind_of(const char* format) {
    static constexpr std::pair<std::string_view, Kind> kinds[] = {
        {"i", Kind::int32},  {"l", Kind::int64},       {"g", Kind::float64},
        {"u", Kind::utf8},   {"U", Kind::large_utf8},  {"tdD", Kind::date32},
        {"z", Kind::binary}, {"Z", Kind::large_binary}};
    const std::string_view f(format ? format : "");
    for (const auto& [name, kind] : kinds) {
        if (f == name) {
            return kind;
        }
    }
    return std::nullopt;
}

/// The kind a field of this type arrives as.
Kind expected_kind(const OGRFieldDefn& field) {
    switch (field.GetType()) {
    case OFTInteger:
        return Kind::int32;
    case OFTInteger64:
        return Kind::int64;
    case OFTReal:
        return Kind::float64;
    case OFTDate:
        return Kind::date32;
    default:
        return Kind::utf8;
    }
}

/// The value of key in an ArrowSchema's metadata (int32 count, then int32
/// length and bytes of each key and value), or "".
std::string metadata_value(const char* metadata, std::string_view key) {
    if (metadata == nullptr) {
        return {};
    }
    const auto int32_at = [](const char* p) {
        std::int32_t v = 0;
        std::memcpy(&v, p, sizeof v);
        return v;
    };
    const char* p = metadata;
    const std::int32_t n = int32_at(p);
    p += 4;
    for (std::int32_t i = 0; i < n; ++i) {
        const std::int32_t key_size = int32_at(p);
        const std::string_view k(p + 4, static_cast<std::size_t>(key_size));
        p += 4 + key_size;
        const std::int32_t value_size = int32_at(p);
        const std::string_view v(p + 4, static_cast<std::size_t>(value_size));
        p += 4 + value_size;
        if (k == key) {
            return std::string(v);
        }
    }
    return {};
}

/// Days since 1970-01-01 as a calendar day (H. Hinnant's civil_from_days).
CalendarDay civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m), static_cast<int>(d)};
}

/// One column of the current batch.
struct Column {
    Kind kind = Kind::utf8;
    const ArrowArray* array = nullptr; ///< null: the column is not in the stream
    std::int64_t offset = 0;           ///< of the batch and of the column

    bool valid(std::int64_t row) const {
        if (array == nullptr) {
            return false;
        }
        const auto* bits = static_cast<const std::uint8_t*>(array->buffers[0]);
        if (array->null_count == 0 || bits == nullptr) {
            return true;
        }
        const std::int64_t i = offset + row;
        return ((bits[i >> 3] >> (i & 7)) & 1) != 0;
    }
    template <typename T> T value(std::int64_t row) const {
        return static_cast<const T*>(array->buffers[1])[offset + row];
    }
    std::string_view bytes(std::int64_t row) const {
        const auto* data = static_cast<const char*>(array->buffers[2]);
        const std::int64_t i = offset + row;
        if (kind == Kind::large_utf8 || kind == Kind::large_binary) {
            const auto* o = static_cast<const std::int64_t*>(array->buffers[1]);
            return {data + o[i], static_cast<std::size_t>(o[i + 1] - o[i])};
        }
        const auto* o = static_cast<const std::int32_t*>(array->buffers[1]);
        return {data + o[i], static_cast<std::size_t>(o[i + 1] - o[i])};
    }
};

/// A released-on-exit Arrow struct of GDAL's.
template <typename T> struct Owned {
    T value{};
    Owned() = default;
    Owned(const Owned&) = delete;
    Owned& operator=(const Owned&) = delete;
    ~Owned() { reset(); }
    void reset() {
        if (value.release != nullptr) {
            value.release(&value);
        }
        value = T{};
    }
};

} // namespace

struct ArrowLayerStream::State {
    OGRLayer* layer = nullptr;
    std::string file; ///< as messages name it
    Owned<ArrowArrayStream> stream;
    Owned<ArrowArray> batch;
    std::vector<int> field_child; ///< per field of the layer: its column, or -1
    std::vector<Kind> field_kind;
    int fid_child = -1;
    int geometry_child = -1;
    std::vector<Column> fields; ///< the batch's columns, per field of the layer
    Column fid, geometry;

    /// The columns of the batch just read.
    void bind_batch() {
        const ArrowArray& b = batch.value;
        const std::int64_t children = b.n_children;
        const auto child = [&](int i, Kind kind) {
            if (i < 0) {
                return Column{kind, nullptr, 0};
            }
            if (i >= children || b.children[i] == nullptr) {
                throw IoError(fmt::format("{}, layer '{}': GDAL's Arrow stream gave a batch "
                                          "without the columns its schema names",
                                          file, layer->GetName()));
            }
            const ArrowArray* c = b.children[i];
            return Column{kind, c, b.offset + c->offset};
        };
        fields.clear();
        for (std::size_t f = 0; f < field_child.size(); ++f) {
            fields.push_back(child(field_child[f], field_kind[f]));
        }
        fid = child(fid_child, Kind::int64);
        geometry = child(geometry_child, geometry.kind);
    }

    /// Reads the next batch: false at the end. Throws when GDAL fails.
    bool next_batch() {
        batch.reset();
        ArrowArrayStream& s = stream.value;
        if (s.get_next(&s, &batch.value) != 0) {
            const char* why = s.get_last_error(&s);
            throw IoError(fmt::format(
                "{}, layer '{}': GDAL stopped reading the layer part-way ({}); nothing is "
                "computed from a layer read in part. Check that the file is whole (ogrinfo -al "
                "on it), or copy it again.",
                file, layer->GetName(), why ? why : "no reason given"));
        }
        if (batch.value.release == nullptr) {
            return false;
        }
        bind_batch();
        return true;
    }

    bool bind_schema(const ArrowSchema& schema);
};

bool ArrowLayerStream::State::bind_schema(const ArrowSchema& schema) {
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    const std::string fid_name =
        layer->GetFIDColumn() && *layer->GetFIDColumn() ? layer->GetFIDColumn() : "OGC_FID";
    field_child.assign(static_cast<std::size_t>(defn->GetFieldCount()), -1);
    field_kind.assign(field_child.size(), Kind::utf8);
    const bool wants_geometry =
        defn->GetGeomFieldCount() == 1 && !defn->GetGeomFieldDefn(0)->IsIgnored();
    for (int c = 0; c < schema.n_children; ++c) {
        const ArrowSchema& child = *schema.children[c];
        const auto kind = kind_of(child.format);
        const std::string name = child.name ? child.name : "";
        if (c == 0 && name == fid_name && kind == Kind::int64) {
            fid_child = 0;
            continue;
        }
        if (metadata_value(child.metadata, "ARROW:extension:name") == "ogc.wkb" &&
            (kind == Kind::binary || kind == Kind::large_binary) && geometry_child < 0) {
            geometry_child = c;
            geometry.kind = *kind;
            continue;
        }
        const int f = defn->GetFieldIndex(name.c_str());
        if (f < 0 || field_child[static_cast<std::size_t>(f)] >= 0 || !kind) {
            return false; // a column this reader does not know
        }
        const OGRFieldDefn& field = *defn->GetFieldDefn(f);
        const Kind expected = expected_kind(field);
        const bool large_text = expected == Kind::utf8 && kind == Kind::large_utf8;
        if (!arrow_readable_field(field) || (*kind != expected && !large_text)) {
            return false;
        }
        field_child[static_cast<std::size_t>(f)] = c;
        field_kind[static_cast<std::size_t>(f)] = *kind;
    }
    return fid_child == 0 && (geometry_child >= 0) == wants_geometry;
}

namespace {

/// A row of the current batch. Values of fields that are not text are
/// written as text by an OGRFeature of the layer, exactly as OGR writes them.
class ArrowRow final : public FeatureRow {
  public:
    ArrowRow(const ArrowLayerStream::State& s, OGRFeature& scratch) : s_(s), scratch_(scratch) {}
    void at(std::int64_t row) { row_ = row; }

    std::int64_t fid() const override { return s_.fid.value<std::int64_t>(row_); }
    bool has(int field) const override { return column(field).valid(row_); }
    std::string_view text(int field) const override {
        const Column& c = column(field);
        switch (c.kind) {
        case Kind::utf8:
        case Kind::large_utf8:
            return c.bytes(row_);
        case Kind::int32:
            scratch_.SetField(field, c.value<std::int32_t>(row_));
            break;
        case Kind::int64:
            scratch_.SetField(field, static_cast<GIntBig>(c.value<std::int64_t>(row_)));
            break;
        case Kind::float64:
            scratch_.SetField(field, c.value<double>(row_));
            break;
        case Kind::date32: {
            const CalendarDay d = civil_from_days(c.value<std::int32_t>(row_));
            scratch_.SetField(field, d.year, d.month, d.day);
            break;
        }
        default:
            return {};
        }
        return scratch_.GetFieldAsString(field);
    }
    double number(int field) const override {
        const Column& c = column(field);
        switch (c.kind) {
        case Kind::int32:
            return c.value<std::int32_t>(row_);
        case Kind::int64:
            return static_cast<double>(c.value<std::int64_t>(row_));
        case Kind::float64:
            return c.value<double>(row_);
        default:
            return 0;
        }
    }
    std::optional<CalendarDay> day(int field) const override {
        const Column& c = column(field);
        if (c.kind != Kind::date32) {
            return std::nullopt;
        }
        return civil_from_days(c.value<std::int32_t>(row_));
    }
    GeometryPtr geometry() const override {
        if (!s_.geometry.valid(row_)) {
            return nullptr;
        }
        const std::string_view wkb = s_.geometry.bytes(row_);
        OGRGeometry* g = nullptr;
        if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &g, wkb.size()) != OGRERR_NONE) {
            return nullptr;
        }
        return GeometryPtr(g);
    }

  private:
    const Column& column(int field) const { return s_.fields[static_cast<std::size_t>(field)]; }

    const ArrowLayerStream::State& s_;
    OGRFeature& scratch_;
    std::int64_t row_ = 0;
};

} // namespace

std::unique_ptr<ArrowLayerStream> ArrowLayerStream::open(OGRLayer& layer, const std::string& file) {
    if (!layer.TestCapability(OLCFastGetArrowStream)) {
        return nullptr;
    }
    auto state = std::make_unique<State>();
    state->layer = &layer;
    state->file = file;
    CPLStringList options;
    options.SetNameValue("INCLUDE_FID", "YES");
    // Batches of a few thousand rows stay in malloc's heap, reused from one
    // batch to the next; GDAL's default of 65,536 rows takes buffers of
    // megabytes, mapped and unmapped for each batch: slower (GDAL's own read
    // too, tests/bench/arrow_floor --batch) and tens of MB more at the peak.
    options.SetNameValue("MAX_FEATURES_IN_BATCH", "4096");
    layer.ResetReading();
    if (!layer.GetArrowStream(&state->stream.value, options.List())) {
        return nullptr;
    }
    Owned<ArrowSchema> schema;
    ArrowArrayStream& s = state->stream.value;
    if (s.get_schema(&s, &schema.value) != 0 || !state->bind_schema(schema.value)) {
        return nullptr;
    }
    // A stream that fails at once falls back to the per-feature read;
    // nothing has been read yet.
    if (s.get_next(&s, &state->batch.value) != 0) {
        return nullptr;
    }
    if (state->batch.value.release != nullptr) {
        state->bind_batch();
    }
    ++layers_read;
    return std::unique_ptr<ArrowLayerStream>(new ArrowLayerStream(std::move(state)));
}

std::size_t arrow_layers_read() {
    return layers_read.load();
}

ArrowLayerStream::ArrowLayerStream(std::unique_ptr<State> state) : state_(std::move(state)) {}

ArrowLayerStream::~ArrowLayerStream() = default;

void ArrowLayerStream::for_each(const std::function<void(const FeatureRow&)>& each) {
    State& s = *state_;
    OGRFeature scratch(s.layer->GetLayerDefn());
    ArrowRow row(s, scratch);
    if (s.batch.value.release == nullptr) {
        return; // the layer is empty
    }
    do {
        for (std::int64_t i = 0; i < s.batch.value.length; ++i) {
            row.at(i);
            each(row);
        }
    } while (s.next_batch());
}

} // namespace bordercov::detail
