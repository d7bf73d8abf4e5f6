#include "bordercov/model.hpp"

namespace bordercov {

const char* to_string(PartyType t) {
    return t == PartyType::team ? "team" : "household";
}

std::string Workspace::file_of(const std::string& layer) const {
    for (const auto& s : sources) {
        if (s.layer == layer) {
            return s.file;
        }
    }
    return {};
}

} // namespace bordercov
