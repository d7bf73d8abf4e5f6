#include "bordercov/labels.hpp"

#include <algorithm>
#include <utility>

namespace bordercov {

namespace {

using Names = std::vector<std::pair<std::string_view, const char*>>;

/// The title of `key` in a table of (key, English title marked for the catalogue).
std::string lookup(const i18n::Catalogue& catalogue, const Names& names, std::string_view key) {
    const auto it = std::find_if(names.begin(), names.end(),
                                 [&](const auto& entry) { return entry.first == key; });
    return it == names.end() ? std::string(key) : catalogue.tr(it->second);
}

const Names& layer_names() {
    static const Names names{
        {"segments", N_("Border segments")},
        {"gaps", N_("Gaps")},
        {"markers", N_("Markers")},
        {"commune_summary", N_("Per commune")},
        {"district_summary", N_("Per district")},
        {"line_summary", N_("Per border line")},
        {"team_summary", N_("Per team")},
        {"diagnostics", N_("Data problems")},
    };
    return names;
}

const Names& group_names() {
    static const Names names{
        {"coverage", N_("Coverage")},
        {"markers", N_("Markers")},
        {"communes", N_("Communes")},
        {"diagnostics", N_("Data problems")},
    };
    return names;
}

// The fields of docs/outputs.md; the same name means the same thing in every
// layer, so one title each.
const Names& field_names() {
    static const Names names{
        {"line_id", N_("Border line")},
        {"from_km", N_("From (km)")},
        {"to_km", N_("To (km)")},
        {"length_km", N_("Length (km)")},
        {"status", N_("Status")},
        {"owner_count", N_("Parties holding it")},
        {"owners", N_("Held by")},
        {"commune_id", N_("Commune code")},
        {"commune_name", N_("Commune")},
        {"name", N_("Name")},
        {"district", N_("District")},
        {"province", N_("Province")},
        {"neighbour", N_("Neighbouring country")},
        {"gap_id", N_("Gap")},
        {"from_marker", N_("From marker")},
        {"to_marker", N_("To marker")},
        {"markers_inside", N_("Markers inside")},
        {"nearest_party_id", N_("Nearest party")},
        {"nearest_party_km", N_("Nearest party, km along the border")},
        {"nearest_party_name", N_("Nearest party's name")},
        {"nearest_party_type", N_("Nearest party's type")},
        {"nearest_party_team_id", N_("Nearest party's team")},
        {"nearest_party_phone", N_("Nearest party's phone")},
        {"marker_id", N_("Marker")},
        {"chainage_km", N_("Chainage (km)")},
        {"offset_m", N_("Distance from the line (m)")},
        {"custodian_count", N_("Custodians")},
        {"custodians", N_("Custodians' codes")},
        {"border_km", N_("Border (km)")},
        {"covered_km", N_("Covered (km)")},
        {"uncovered_km", N_("Uncovered (km)")},
        {"overlap_km", N_("Held by two or more (km)")},
        {"coverage_pct", N_("Covered (%)")},
        {"households", N_("Households")},
        {"teams", N_("Teams")},
        {"markers", N_("Markers")},
        {"markers_unowned", N_("Markers without a custodian")},
        {"markers_not_built", N_("Markers not yet built")},
        {"gaps", N_("Gaps")},
        {"team_id", N_("Team")},
        {"kind", N_("Kind of team")},
        {"assignments", N_("Commitments")},
        {"held_km", N_("Held (km)")},
        {"severity", N_("Severity")},
        {"code", N_("Problem")},
        {"layer", N_("Layer")},
        {"feature_id", N_("Feature")},
        {"source_fid", N_("Feature number in the file")},
        {"field", N_("Field")},
        {"message", N_("What is wrong")},
    };
    return names;
}

const Names& status_names() {
    static const Names names{
        {"covered", N_("covered")},      {"overlap", N_("held by two or more")},
        {"uncovered", N_("gap")},        {"custodied", N_("has a custodian")},
        {"unowned", N_("no custodian")},
    };
    return names;
}

const Names& country_names() {
    static const Names names{
        {"KH", N_("Cambodia")},
        {"LA", N_("Laos")},
        {"CN", N_("China")},
        {"VN", N_("Viet Nam")},
    };
    return names;
}

} // namespace

std::string layer_title(const i18n::Catalogue& catalogue, std::string_view layer) {
    return lookup(catalogue, layer_names(), layer);
}

std::string group_title(const i18n::Catalogue& catalogue, std::string_view group) {
    return lookup(catalogue, group_names(), group);
}

std::string field_title(const i18n::Catalogue& catalogue, std::string_view field) {
    return lookup(catalogue, field_names(), field);
}

bool has_field_title(std::string_view field) {
    const Names& names = field_names();
    return std::any_of(names.begin(), names.end(),
                       [&](const auto& entry) { return entry.first == field; });
}

std::string status_title(const i18n::Catalogue& catalogue, std::string_view status) {
    return lookup(catalogue, status_names(), status);
}

std::string party_type_title(const i18n::Catalogue& catalogue, PartyType type) {
    return type == PartyType::household ? catalogue.tr("household") : catalogue.tr("team");
}

std::string country_name(const i18n::Catalogue& catalogue, std::string_view code) {
    std::string upper(code);
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return lookup(catalogue, country_names(), upper);
}

} // namespace bordercov
