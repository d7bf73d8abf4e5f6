// The ids seen so far in a layer, for the duplicate-id check: the ids' bytes
// in one buffer and, once they come out of order, an open-addressing table of
// them. Over the hundreds of thousands of households or assignments of a
// national plan it holds about 16 bytes per id (24 with the table) where
// std::unordered_set<std::string> holds a node, a string and a bucket (about
// 70 bytes), and ids in ascending order, as plans number them, need no
// table at all.
//
// Example usage:
//     detail::IdSet seen;
//     seen.reserve(n);
//     if (!seen.insert(id)) { ... a duplicate ... }
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace bordercov::detail {

class IdSet {
  public:
    /// Room for n ids without growing.
    void reserve(std::size_t n) { ends_.reserve(n); }

    /// Adds the id: true when it is new, false when the set holds it already.
    bool insert(std::string_view id) {
        if (ascending_) {
            // Ids typed or generated in order need no table: one above the
            // last is new. The table is built at the first that is not.
            if (ends_.empty() || at(ends_.size() - 1) < id) {
                bytes_.append(id);
                ends_.push_back(bytes_.size());
                return true;
            }
            ascending_ = false;
            rehash(slots_for(ends_.size() + 1) * 2);
        }
        if (slots_for(ends_.size() + 1) > slots_.size()) {
            rehash(slots_for(ends_.size() + 1) * 2);
        }
        const std::size_t hash = std::hash<std::string_view>{}(id);
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
            const Slot& slot = slots_[i];
            if (slot.index == 0) {
                break;
            }
            if (slot.hash == static_cast<std::uint32_t>(hash) && at(slot.index - 1) == id) {
                return false;
            }
        }
        bytes_.append(id);
        ends_.push_back(bytes_.size());
        place(hash, ends_.size());
        return true;
    }

    std::size_t size() const { return ends_.size(); }

  private:
    struct Slot {
        std::uint32_t hash = 0;  ///< the low bits of the id's hash
        std::uint32_t index = 0; ///< 1 + the id's index; 0: the slot is free
    };

    /// A power of two at least twice n: the table at most half full.
    static std::size_t slots_for(std::size_t n) {
        std::size_t s = 16;
        while (s < 2 * n) {
            s *= 2;
        }
        return s;
    }

    std::string_view at(std::size_t i) const {
        const std::size_t begin = i == 0 ? 0 : ends_[i - 1];
        return std::string_view(bytes_).substr(begin, ends_[i] - begin);
    }

    /// Puts the count-th id (counted from 1) in the first free slot from its hash.
    void place(std::size_t hash, std::size_t count) {
        const std::size_t mask = slots_.size() - 1;
        std::size_t i = hash & mask;
        while (slots_[i].index != 0) {
            i = (i + 1) & mask;
        }
        slots_[i] = {static_cast<std::uint32_t>(hash), static_cast<std::uint32_t>(count)};
    }

    void rehash(std::size_t slots) {
        slots_.assign(slots, Slot{});
        for (std::size_t i = 0; i < ends_.size(); ++i) {
            place(std::hash<std::string_view>{}(at(i)), i + 1);
        }
    }

    std::vector<Slot> slots_;
    std::string bytes_;
    std::vector<std::size_t> ends_; ///< where each id ends in bytes_
    bool ascending_ = true;         ///< every id so far above the one before: no table yet
};

} // namespace bordercov::detail
