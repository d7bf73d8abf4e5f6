// bordercov's read phase alone: io::read_workspace on a workspace, with its
// wall time and the process's peak resident memory, so the read can be set
// against tests/bench/arrow_floor (GDAL's Arrow stream) and profiled without
// the stages after it. BORDERCOV_READ=features reads feature by feature.
//
//     build/bin/read_bench /tmp/real.gpkg
#include "bordercov/io/workspace_reader.hpp"

#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>

namespace {

/// The process's resident memory now, in MB.
long resident_mb() {
    long pages = 0, resident = 0;
    std::ifstream("/proc/self/statm") >> pages >> resident;
    return resident * sysconf(_SC_PAGESIZE) / (1024 * 1024);
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: read_bench WORKSPACE\n");
        return 2;
    }
    const auto start = std::chrono::steady_clock::now();
    bordercov::Diagnostics diagnostics;
    const bordercov::Workspace ws = bordercov::io::read_workspace(argv[1], diagnostics);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const long resident = resident_mb();
    malloc_trim(0);
    std::printf("%zu households, %zu assignments, %zu diagnostics in %.3f s, peak %ld MB, "
                "resident after the read %ld MB (%ld MB once malloc gives back what is free)\n",
                ws.households.size(), ws.assignments.size(), diagnostics.items().size(), seconds,
                usage.ru_maxrss / 1024, resident, resident_mb());
    return 0;
}
