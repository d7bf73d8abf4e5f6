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
    /// of day ("T08:00:00Z", " 08:00", "T08:00:00+07:00") is ignored; any
    /// other trailing text makes it no date. Empty optional when it is no date.
    static std::optional<Date> parse(std::string_view text);

    /// How much of a date was written.
    enum class Precision { day, month, year };
    struct Partial;
    /// parse(), and also a month ("YYYY-MM", "YYYY/MM", "MM/YYYY") or a year
    /// ("YYYY") alone, which stand for their first day: for a marker's year
    /// of building, often all that is known.
    static std::optional<Partial> parse_partial(std::string_view text);

    static Date today(); ///< the local calendar day
    int days() const noexcept { return days_; }
    Date plus_days(int n) const { return Date(days_ + n); }
    /// The same day n months later (n may be negative); a day the month does
    /// not have becomes its last day (31 January plus one month: 28 or 29
    /// February).
    Date plus_months(int n) const;
    std::string iso() const;
    auto operator<=>(const Date&) const = default;

  private:
    explicit Date(int days) : days_(days) {}
    int days_ = 0;
};

struct Date::Partial {
    Date first_day;
    Precision precision = Precision::day;
};

/// The date formats parse() accepts, for messages and help.
inline constexpr const char* date_formats = "YYYY-MM-DD, YYYY/MM/DD, DD/MM/YYYY or DD-MM-YYYY";

/// Active on day d: signed <= d (or no signed) and d < expires (or no expires).
inline bool is_active(const std::optional<Date>& signed_on, const std::optional<Date>& expires,
                      Date d) {
    return (!signed_on || *signed_on <= d) && (!expires || d < *expires);
}

} // namespace bordercov
