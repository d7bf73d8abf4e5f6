#include "heap_pages.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#if defined(__GLIBC__) && defined(__linux__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace bordercov::cli {

namespace {

#if defined(__GLIBC__) && defined(__linux__) && defined(MADV_HUGEPAGE)
constexpr std::uintptr_t page = 4096;
std::uintptr_t advised_to = 0; ///< the heap is advised below this address

std::uintptr_t heap_end() {
    return reinterpret_cast<std::uintptr_t>(sbrk(0)) & ~(page - 1);
}

void advise(std::uintptr_t from, std::uintptr_t to) {
    if (to > from) {
        ::madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);
    }
}
#endif

} // namespace

void heap_in_huge_pages() {
#if defined(__GLIBC__) && defined(__linux__) && defined(MADV_HUGEPAGE)
    // The threads keep their own arenas (mappings this does not advise):
    // with one arena for all, the threads' allocations queued on its lock
    // and the world's coverage took 51 s instead of 32.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    // Untouched address space costs no memory; the free top of the heap is
    // given back (malloc_trim, or a gigabyte of it free).
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    mallopt(M_TOP_PAD, 1 << 30);
    void* first = std::malloc(page);
    const auto from = (reinterpret_cast<std::uintptr_t>(first) + page - 1) & ~(page - 1);
    std::free(first);
    // Under a sanitizer's allocator the block is not in the heap: no advice.
    if (const std::uintptr_t to = heap_end(); from < to) {
        advise(from, to);
        advised_to = to;
    }
#endif
}

void advise_heap_growth() {
#if defined(__GLIBC__) && defined(__linux__) && defined(MADV_HUGEPAGE)
    if (advised_to == 0) {
        return;
    }
    const std::uintptr_t to = heap_end();
    advise(advised_to, to);
    advised_to = std::max(advised_to, to);
#endif
}

} // namespace bordercov::cli
