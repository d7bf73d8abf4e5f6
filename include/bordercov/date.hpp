// Calendar dates of signatures and expiries, as days since 1970-01-01, and the
// rule that says whether a commitment is active on a given day.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bordercov {

class Date {
public:
    Date() = default;
    static std::optional<Date> from_ymd(int year, int month, int day);
    /// Parses "YYYY-MM-DD", "YYYY/MM/DD" (ISO order) and "DD/MM/YYYY" or
    /// "DD-MM-YYYY" (the order Vietnamese spreadsheets use). A trailing time
    /// ("T08:00:00", " 08:00") is ignored. Empty optional when it is no date.
    static std::optional<Date> parse(std::string_view text);
    static Date today(); ///< the local calendar day

    int days() const noexcept { return days_; }
    std::string iso() const;
    auto operator<=>(const Date&) const = default;

private:
    explicit Date(int days) : days_(days) {}
    int days_ = 0;
};

/// Active on day d: signed <= d (or no signed) and d < expires (or no expires).
inline bool is_active(const std::optional<Date>& signed_on, const std::optional<Date>& expires,
                      Date d) {
    return (!signed_on || *signed_on <= d) && (!expires || d < *expires);
}

} // namespace bordercov
