// Independent work spread over a few threads, one way everywhere: worker w
// of `workers` runs body(w), the calling thread being worker 0, and the
// first exception any worker threw is rethrown once every worker has
// stopped (so no thread outlives the data it works on).
//
// Example usage:
//     const std::size_t workers = detail::worker_count(n, 2000);
//     detail::parallel_chunks(n, workers, [&](std::size_t begin, std::size_t end) { ... });
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <string>
#include <thread>
#include <vector>

namespace bordercov::detail {

/// Workers for n items: 1 below min_items (a thread costs more than it
/// saves), else one per hardware thread, at most max_workers and n.
inline std::size_t worker_count(std::size_t n, std::size_t min_items, std::size_t max_workers = 8) {
    if (n < min_items || n < 2) {
        return 1;
    }
    const std::size_t hardware = std::max(1u, std::thread::hardware_concurrency());
    return std::clamp<std::size_t>(hardware, 1, std::min(max_workers, n));
}

/// Runs body(w) for every w in [0, workers) side by side.
template <class Body> void parallel_workers(std::size_t workers, const Body& body) {
    workers = std::max<std::size_t>(workers, 1);
    std::vector<std::exception_ptr> failed(workers);
    const auto guarded = [&](std::size_t w) {
        try {
            body(w);
        } catch (...) {
            failed[w] = std::current_exception();
        }
    };
    {
        std::vector<std::jthread> threads; // joined on leaving this block
        threads.reserve(workers - 1);
        for (std::size_t w = 1; w < workers; ++w) {
            threads.emplace_back(guarded, w);
        }
        guarded(0);
    }
    for (const std::exception_ptr& e : failed) {
        if (e) {
            std::rethrow_exception(e);
        }
    }
}

/// Runs body(begin, end) on consecutive chunks of [0, n), one per worker.
template <class Body> void parallel_chunks(std::size_t n, std::size_t workers, const Body& body) {
    workers = std::max<std::size_t>(workers, 1);
    parallel_workers(workers, [&](std::size_t w) { body(n * w / workers, n * (w + 1) / workers); });
}

/// Texts of n items in order: render(i) -> std::string for a block of items
/// at a time on a few threads, then emit(i, text) for each, in order, on
/// the calling thread. Only one block's texts are held at once.
template <class Render, class Emit>
void render_in_order(std::size_t n, const Render& render, const Emit& emit,
                     std::size_t block = 8192) {
    std::vector<std::string> texts;
    for (std::size_t first = 0; first < n; first += block) {
        const std::size_t count = std::min(block, n - first);
        texts.assign(count, std::string());
        parallel_chunks(count, worker_count(count, 256), [&](std::size_t b, std::size_t e) {
            for (std::size_t i = b; i < e; ++i) {
                texts[i] = render(first + i);
            }
        });
        for (std::size_t i = 0; i < count; ++i) {
            emit(first + i, texts[i]);
        }
    }
}

} // namespace bordercov::detail
