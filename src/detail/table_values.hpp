// The values every result table writes the same way: counts, km to the
// metre, percentages to 2 decimals, empty text as null, party ids joined.
#pragma once

#include "bordercov/resolve.hpp"
#include "bordercov/table.hpp"

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace bordercov::detail {

constexpr FieldType text = FieldType::text, integer = FieldType::integer, real = FieldType::real;

inline Value count(std::size_t n) {
    return static_cast<std::int64_t>(n);
}
inline Value km(double v) {
    return round_km(v);
}
inline Value pct(double v) {
    return std::round(v * 100.0) / 100.0;
}
inline Value text_or_null(const std::string& s) {
    return s.empty() ? Value{} : Value{s};
}

/// Party ids, comma-separated, in the order given, into out (cleared
/// first, its storage kept).
inline void join_ids_into(std::string& out, const std::vector<std::uint32_t>& parties,
                          const Plan& plan) {
    out.clear();
    for (const std::uint32_t p : parties) {
        if (!out.empty()) {
            out += ',';
        }
        out += plan.parties[p].party_id;
    }
}

/// Party ids, comma-separated, in the order given.
inline std::string join_ids(const std::vector<std::uint32_t>& parties, const Plan& plan) {
    std::string out;
    join_ids_into(out, parties, plan);
    return out;
}

} // namespace bordercov::detail
