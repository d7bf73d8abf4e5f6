// A diagnostic is a problem found in the data, kept as data: what is wrong,
// where (file, layer, feature id, OGR FID, field, and geometry when there is
// one) and what to do. Diagnostics become a table, JSON and an output layer.
#pragma once

#include "bordercov/geodesy.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace bordercov {

enum class Severity { warning, error };
const char* to_string(Severity s);

struct Diagnostic {
    Severity severity = Severity::error;
    std::string code; ///< stable, kebab-case: "duplicate-id", "unknown-marker", ...
    std::string file;
    std::string layer;
    std::string feature_id; ///< value of the layer's id field, when known
    std::int64_t fid = -1;  ///< OGR feature id, -1 for the layer as a whole
    std::string field;
    std::string message;       ///< what is wrong and what to do
    std::vector<LonLat> where; ///< one point, a linestring, or nothing

    /// "file, layer 'x', feature 'id' (FID n), field 'f': message"
    std::string describe() const;
};

class Diagnostics;

/// Diagnostics about the features of one layer of one file.
class LayerReporter {
  public:
    LayerReporter(std::string file, std::string layer, Diagnostics& diagnostics)
        : file_(std::move(file)), layer_(std::move(layer)), diagnostics_(diagnostics) {}

    Diagnostic make(Severity severity, std::string code, std::string feature_id, std::int64_t fid,
                    std::string field, std::string message) const {
        return {severity,         std::move(code),    file_, layer_, std::move(feature_id), fid,
                std::move(field), std::move(message), {}};
    }
    /// Adds one; the reference lets the caller give it a place (where).
    Diagnostic& add(Severity severity, std::string code, std::string feature_id, std::int64_t fid,
                    std::string field, std::string message);

  private:
    std::string file_;
    std::string layer_;
    Diagnostics& diagnostics_;
};

class Diagnostics {
  public:
    Diagnostic& add(Diagnostic d) { return items_.emplace_back(std::move(d)); }
    const std::vector<Diagnostic>& items() const { return items_; }
    /// The items, to move them elsewhere.
    std::vector<Diagnostic>& items_for_move() { return items_; }
    std::size_t count(Severity s) const;
    bool has_errors() const { return count(Severity::error) > 0; }

  private:
    std::vector<Diagnostic> items_;
};

} // namespace bordercov
