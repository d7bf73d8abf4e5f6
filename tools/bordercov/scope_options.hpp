// --commune and --district: the part of the border a command looks at.
#pragma once

#include "bordercov/coverage.hpp"
#include "bordercov/error.hpp"
#include "bordercov/review.hpp"
#include "bordercov/text.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <set>
#include <string>

namespace bordercov::cli {

/// The commune --commune names, or a UsageError listing some that exist.
inline int commune_or_fail(const Workspace& ws, const std::string& workspace,
                           const std::string& id_or_name) {
    if (const auto c = find_commune(ws, id_or_name)) {
        return *c;
    }
    std::string known;
    for (std::size_t i = 0; i < ws.communes.size() && i < 12; ++i) {
        known += fmt::format("{}'{}' ({})", i ? ", " : "", ws.communes[i].name,
                             ws.communes[i].commune_id);
    }
    throw UsageError(fmt::format("--commune '{}': no such commune id or name in {}. Known: {}{}.",
                                 id_or_name, workspace,
                                 known.empty() ? "none (no communes layer)" : known,
                                 ws.communes.size() > 12 ? ", ..." : ""));
}

struct ScopeOptions {
    std::string commune;
    std::string district;

    void add_to(CLI::App& app) {
        app.add_option("--commune", commune,
                       "Only this commune: its id, or its name (case and diacritics ignored: "
                       "\"ia pnon\")")
            ->type_name("ID_OR_NAME");
        app.add_option("--district", district,
                       "Only the communes of this district (case and diacritics ignored: \"duc "
                       "co\")")
            ->type_name("NAME");
    }

    /// The communes in scope, or a UsageError naming what exists.
    ReviewScope scope(const Workspace& ws, const std::string& workspace) const {
        ReviewScope s;
        if (!commune.empty() && !district.empty()) {
            throw UsageError("give --commune or --district, not both.");
        }
        if (!commune.empty()) {
            s.communes = std::vector<int>{commune_or_fail(ws, workspace, commune)};
        } else if (!district.empty()) {
            const std::string wanted = fold_diacritics(district);
            std::set<std::string> known;
            s.communes.emplace();
            for (std::size_t c = 0; c < ws.communes.size(); ++c) {
                known.insert(ws.communes[c].district);
                if (fold_diacritics(ws.communes[c].district) == wanted) {
                    s.communes->push_back(static_cast<int>(c));
                }
            }
            if (s.communes->empty()) {
                throw UsageError(
                    fmt::format("--district '{}': no commune of {} is in such a "
                                "district. Known: {}.",
                                district, workspace,
                                known.empty() ? "none" : name_list({known.begin(), known.end()})));
            }
        }
        return s;
    }

    /// ", commune Ia Nan" or ", district Đức Cơ" for a heading.
    std::string label(const Workspace& ws, const ReviewScope& s) const {
        if (!s.communes) {
            return {};
        }
        if (!commune.empty()) {
            return ", commune " + ws.communes[static_cast<std::size_t>(s.communes->front())].name;
        }
        return ", district " + ws.communes[static_cast<std::size_t>(s.communes->front())].district;
    }
};

} // namespace bordercov::cli
