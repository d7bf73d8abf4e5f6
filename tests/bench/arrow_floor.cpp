// The floor of reading a workspace: every layer of a datasource read through
// GDAL's Arrow stream (RFC 86, OGR_L_GetArrowStream), each layer in a thread
// of its own with its own dataset handle, as bordercov reads them; nothing is
// done with the batches but to count their rows. bordercov's read phase
// (`coverage --timings`) is measured against it, and against `ogrinfo -ro -al
// -q -fields=NO -geom=NO` (GDAL's per-feature read), with hyperfine:
//
//     hyperfine -r 3 'build/bin/arrow_floor /tmp/real.gpkg'
//         'ogrinfo -ro -al -q -fields=NO -geom=NO /tmp/real.gpkg'
//
// --sequential reads the layers one after the other; --batch N sets
// MAX_FEATURES_IN_BATCH (GDAL's default: 65,536).
#include <gdal_priv.h>
#include <ogr_recordbatch.h>
#include <ogrsf_frmts.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

struct LayerRead {
    std::string name;
    long long rows = 0;
    long long batches = 0;
    bool fast = false;
    std::string error;
};

void read_layer(const char* path, int index, const std::string& batch, LayerRead& out) {
    GDALDataset* ds =
        GDALDataset::Open(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
    if (ds == nullptr) {
        out.error = "cannot open";
        return;
    }
    OGRLayer* layer = ds->GetLayer(index);
    out.name = layer->GetName();
    out.fast = layer->TestCapability(OLCFastGetArrowStream) != 0;
    CPLStringList options;
    if (!batch.empty()) {
        options.SetNameValue("MAX_FEATURES_IN_BATCH", batch.c_str());
    }
    ArrowArrayStream stream{};
    if (!layer->GetArrowStream(&stream, options.List())) {
        out.error = "no Arrow stream";
        GDALClose(ds);
        return;
    }
    ArrowSchema schema{};
    if (stream.get_schema(&stream, &schema) == 0) {
        schema.release(&schema);
    }
    while (true) {
        ArrowArray array{};
        if (stream.get_next(&stream, &array) != 0) {
            out.error = stream.get_last_error(&stream) ? stream.get_last_error(&stream) : "?";
            break;
        }
        if (array.release == nullptr) {
            break;
        }
        out.rows += array.length;
        ++out.batches;
        array.release(&array);
    }
    stream.release(&stream);
    GDALClose(ds);
}

} // namespace

int main(int argc, char** argv) {
    const char* path = nullptr;
    bool sequential = false;
    std::string batch;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--sequential") == 0) {
            sequential = true;
        } else if (std::strcmp(argv[i], "--batch") == 0 && i + 1 < argc) {
            batch = argv[++i];
        } else {
            path = argv[i];
        }
    }
    if (path == nullptr) {
        std::fprintf(stderr, "usage: arrow_floor [--sequential] [--batch N] DATASOURCE\n");
        return 2;
    }
    GDALAllRegister();
    const auto start = std::chrono::steady_clock::now();
    GDALDataset* ds =
        GDALDataset::Open(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
    if (ds == nullptr) {
        std::fprintf(stderr, "%s: not a vector datasource\n", path);
        return 1;
    }
    const int count = ds->GetLayerCount();
    GDALClose(ds);
    std::vector<LayerRead> reads(static_cast<std::size_t>(count));
    if (sequential) {
        for (int i = 0; i < count; ++i) {
            read_layer(path, i, batch, reads[static_cast<std::size_t>(i)]);
        }
    } else {
        std::vector<std::jthread> threads;
        for (int i = 0; i < count; ++i) {
            threads.emplace_back(
                [&, i] { read_layer(path, i, batch, reads[static_cast<std::size_t>(i)]); });
        }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    long long rows = 0;
    for (const LayerRead& r : reads) {
        std::printf("%-20s %9lld rows %4lld batches%s%s\n", r.name.c_str(), r.rows, r.batches,
                    r.fast ? " (fast)" : "", r.error.empty() ? "" : (" error: " + r.error).c_str());
        rows += r.rows;
    }
    std::printf("%lld rows in %.3f s\n", rows, seconds);
    return 0;
}
