// JSON text written straight into a string, the same bytes as
// nlohmann::json's dump (ensure_ascii off, invalid UTF-8 replaced by U+FFFD)
// without building JSON values first: the per-row and per-incident text of
// the large documents (coverage --json, nearest --from --json).
//
// Example usage:
//     std::string out = "{";
//     io::json::append_key(out, "line_id");
//     io::json::append(out, line.line_id());
//     out += '}';
#pragma once

#include "bordercov/table.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bordercov::io::json {

/// A JSON string: quotes, escapes, and U+FFFD for bytes that are not UTF-8.
void append(std::string& out, std::string_view text);
inline void append(std::string& out, const char* text) {
    append(out, std::string_view(text));
}
inline void append(std::string& out, const std::string& text) {
    append(out, std::string_view(text));
}
/// A number as nlohmann::json writes it: shortest round-trip digits, "1.0"
/// for a whole double, null when not finite.
void append(std::string& out, double number);
void append(std::string& out, std::int64_t number);
void append(std::string& out, bool flag);
/// null, or the value of the variant.
void append(std::string& out, const Value& value);

/// "key": (compact) - the key as a JSON string and a colon.
void append_key(std::string& out, std::string_view key);

/// An object written field by field on one line:
///     json::Object o(out);
///     o.field("line_id", id).field("far", false);
///     o.close();
class Object {
  public:
    /// Opens an object, or goes on with one whose text (without its closing
    /// brace) already holds `fields` fields.
    explicit Object(std::string& out, std::size_t fields = 0) : out_(out), fields_(fields) {
        if (fields_ == 0) {
            out_ += '{';
        }
    }
    template <class T> Object& field(std::string_view name, const T& value) {
        append(key(name), value);
        return *this;
    }
    /// Starts a field whose value the caller writes to the returned text.
    std::string& key(std::string_view name) {
        if (fields_++ > 0) {
            out_ += ',';
        }
        append_key(out_, name);
        return out_;
    }
    void close() { out_ += '}'; }

  private:
    std::string& out_;
    std::size_t fields_;
};

/// The row as an object of the fields at `columns`, in that order. indent < 0:
/// on one line; else pretty, as nlohmann would write it with that indent,
/// its inner lines starting `margin` spaces further in (the row's own
/// depth in a document).
void append_row(std::string& out, const Table& table, const Row& row,
                const std::vector<std::size_t>& columns, int indent = -1, std::size_t margin = 0);

/// Every row of the table, all its fields, as an array on one line.
void append_rows(std::string& out, const Table& table);

} // namespace bordercov::io::json
