// Room for a large vector that is filled once, in the kernel's transparent
// huge pages where Linux gives them on request (THP "madvise" mode, Debian's
// default). Every first write to a 4 KiB page is a page fault, and on a
// virtual machine a fault costs microseconds: filling the households and
// assignments of a national plan (about 130 MB) was most of the read's time
// in faults and in zeroing pages. A 2 MiB page takes one fault for 512.
// Elsewhere, or for small vectors, this is reserve() alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace bordercov::detail {

template <typename T> void reserve_in_huge_pages(std::vector<T>& v, std::size_t n) {
    v.reserve(n);
#if defined(MADV_HUGEPAGE)
    constexpr std::size_t worth = std::size_t{4} << 20; // below two huge pages, nothing to gain
    const std::size_t bytes = v.capacity() * sizeof(T);
    if (bytes < worth) {
        return;
    }
    constexpr std::uintptr_t page = 4096;
    const auto begin = (reinterpret_cast<std::uintptr_t>(v.data()) + page - 1) & ~(page - 1);
    const auto end = (reinterpret_cast<std::uintptr_t>(v.data()) + bytes) & ~(page - 1);
    // Advice only: where the kernel says no, the vector is as reserve() left it.
    ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#endif
}

} // namespace bordercov::detail
