#include "bordercov/io/json_writer.hpp"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

namespace bordercov::io::json {

namespace {

/// Length of the well-formed UTF-8 sequence (Unicode table 3-7) starting at
/// s[i] with a byte of 0x80 or more, or 0 when it is not one.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) {
        return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u;
    };
    const unsigned b0 = byte(0);
    const auto in = [](unsigned b, unsigned lo, unsigned hi) { return b >= lo && b <= hi; };
    std::size_t n = 0;
    unsigned lo = 0x80, hi = 0xBF; // the range of the second byte
    if (in(b0, 0xC2, 0xDF)) {
        n = 2;
    } else if (in(b0, 0xE0, 0xEF)) {
        n = 3;
        lo = b0 == 0xE0 ? 0xA0 : 0x80;
        hi = b0 == 0xED ? 0x9F : 0xBF;
    } else if (in(b0, 0xF0, 0xF4)) {
        n = 4;
        lo = b0 == 0xF0 ? 0x90 : 0x80;
        hi = b0 == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if (!in(byte(1), lo, hi)) {
        return 0;
    }
    for (std::size_t k = 2; k < n; ++k) {
        if (!in(byte(k), 0x80, 0xBF)) {
            return 0;
        }
    }
    return n;
}

} // namespace

void append(std::string& out, std::string_view text) {
    const std::size_t start = out.size();
    out.reserve(start + text.size() + 2);
    out += '"';
    std::size_t run = 0; // the start of the bytes not yet copied
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            ++i;
            continue;
        }
        if (c >= 0x80) {
            const std::size_t n = utf8_sequence(text, i);
            if (n == 0) {
                // Not UTF-8: nlohmann's own replacement, byte for byte.
                out.resize(start);
                out += nlohmann::json(std::string(text))
                           .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
                return;
            }
            i += n;
            continue;
        }
        out.append(text, run, i - run);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\r':
            out += "\\r";
            break;
        default: {
            static constexpr char hex[] = "0123456789abcdef";
            const char escaped[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
            out.append(escaped, sizeof escaped);
        }
        }
        run = ++i;
    }
    out.append(text, run, text.size() - run);
    out += '"';
}

void append(std::string& out, double number) {
    if (!std::isfinite(number)) {
        out += "null";
        return;
    }
    char buffer[64];
    // The digits nlohmann's dump writes (its Grisu2 and number layout).
    const char* end = nlohmann::detail::to_chars(buffer, buffer + sizeof buffer, number);
    out.append(buffer, static_cast<std::size_t>(end - buffer));
}

void append(std::string& out, std::int64_t number) {
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
    out.append(buffer, result.ptr);
}

void append(std::string& out, bool flag) {
    out += flag ? "true" : "false";
}

void append(std::string& out, const Value& value) {
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
                out += "null";
            } else if constexpr (std::is_same_v<T, std::string>) {
                append(out, std::string_view(v));
            } else {
                append(out, v);
            }
        },
        value);
}

void append_key(std::string& out, std::string_view key) {
    append(out, key);
    out += ':';
}

void append_row(std::string& out, const Table& table, const Row& row,
                const std::vector<std::size_t>& columns, int indent, std::size_t margin) {
    if (columns.empty()) {
        out += "{}";
        return;
    }
    const bool pretty = indent >= 0;
    const std::size_t step = pretty ? static_cast<std::size_t>(indent) : 0;
    out += '{';
    bool first = true;
    for (const std::size_t c : columns) {
        if (!first) {
            out += ',';
        }
        first = false;
        if (pretty) {
            out += '\n';
            out.append(margin + step, ' ');
        }
        append(out, std::string_view(table.fields[c].name));
        out += pretty ? ": " : ":";
        append(out, row.values[c]);
    }
    if (pretty) {
        out += '\n';
        out.append(margin, ' ');
    }
    out += '}';
}

void append_rows(std::string& out, const Table& table) {
    std::vector<std::size_t> columns(table.fields.size());
    for (std::size_t c = 0; c < columns.size(); ++c) {
        columns[c] = c;
    }
    out += '[';
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
        if (i > 0) {
            out += ',';
        }
        append_row(out, table, table.rows[i], columns);
    }
    out += ']';
}

} // namespace bordercov::io::json
