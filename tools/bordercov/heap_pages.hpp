// The process's heap in the kernel's transparent huge pages, where Linux
// gives them on request (THP "madvise" mode, Debian's default) and the C
// library is glibc. On a virtual machine every first touch of a 4 KiB page
// is a fault costing microseconds, and a national run touches half a
// gigabyte of small allocations (ids, names, rows): with 2 MiB pages, a
// quarter of `coverage --json`'s time went (docs/performance.md). glibc's
// own switch for this (GLIBC_TUNABLES=glibc.malloc.hugetlb=1) is read only
// from the environment at start-up, so the process does much the same for
// its main heap: blocks up to 32 MiB from the heap, the heap grown a
// gigabyte of address space at a time and advised. Advice only: where the
// kernel or the C library says no, nothing changes.
//
// Example usage:
//     int main() { cli::heap_in_huge_pages(); ... }  // first thing
//     cli::advise_heap_growth();                       // between phases
#pragma once

namespace bordercov::cli {

/// Sets the allocator up and advises the heap so far. Call first in main.
void heap_in_huge_pages();

/// Advises what the heap grew by since the last call (a cheap system call).
void advise_heap_growth();

} // namespace bordercov::cli
