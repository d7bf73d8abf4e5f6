#include "bordercov/date.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <ctime>
#include <fmt/format.h>

namespace bordercov {

namespace {

bool read_int(std::string_view s, int& out) {
    if (s.empty()) {
        return false;
    }
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && ptr == s.data() + s.size();
}

} // namespace

std::optional<Date> Date::from_ymd(int year, int month, int day) {
    using namespace std::chrono;
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31) {
        return std::nullopt;
    }
    const year_month_day ymd{std::chrono::year{year},
                             std::chrono::month{static_cast<unsigned>(month)},
                             std::chrono::day{static_cast<unsigned>(day)}};
    if (!ymd.ok()) {
        return std::nullopt;
    }
    return Date(static_cast<int>(sys_days{ymd}.time_since_epoch().count()));
}

namespace {

/// A time of day after a date: digits first, then digits, ':', '.', a zone
/// ('Z', "+07:00", "-0300"). Nothing else may follow a date.
bool is_time_of_day(std::string_view s) {
    if (s.empty() || s.front() < '0' || s.front() > '9') {
        return false;
    }
    return s.find_first_not_of("0123456789:.Z+-") == std::string_view::npos;
}

/// The text without blanks around it and without a trailing time of day;
/// nullopt when something else follows the date.
std::optional<std::string_view> date_part(std::string_view text) {
    const auto b = text.find_first_not_of(" \t");
    if (b == std::string_view::npos) {
        return std::string_view{};
    }
    text = text.substr(b, text.find_last_not_of(" \t") - b + 1);
    // Drop a time of day: "2015-12-31T08:00:00Z", "2015/12/31 08:00".
    if (const auto cut = text.find_first_of("T "); cut != std::string_view::npos) {
        std::string_view rest = text.substr(cut + 1);
        while (!rest.empty() && rest.front() == ' ') {
            rest.remove_prefix(1);
        }
        if (!is_time_of_day(rest)) {
            return std::nullopt;
        }
        text = text.substr(0, cut);
    }
    return text;
}

} // namespace

std::optional<Date> Date::parse(std::string_view text) {
    const auto part = date_part(text);
    if (!part) {
        return std::nullopt;
    }
    text = *part;
    if (text.size() < 8 || text.size() > 10) {
        return std::nullopt;
    }
    const char sep = text.find('-') != std::string_view::npos ? '-' : '/';
    const auto first = text.find(sep);
    const auto second = text.find(sep, first == std::string_view::npos ? 0 : first + 1);
    if (first == std::string_view::npos || second == std::string_view::npos ||
        text.find(sep, second + 1) != std::string_view::npos) {
        return std::nullopt;
    }
    int a = 0, b = 0, c = 0;
    if (!read_int(text.substr(0, first), a) ||
        !read_int(text.substr(first + 1, second - first - 1), b) ||
        !read_int(text.substr(second + 1), c)) {
        return std::nullopt;
    }
    if (first == 4) {
        return from_ymd(a, b, c); // YYYY-MM-DD
    }
    if (text.size() - second - 1 == 4) {
        return from_ymd(c, b, a); // DD/MM/YYYY
    }
    return std::nullopt;
}

std::optional<Date::Partial> Date::parse_partial(std::string_view text) {
    if (const auto d = parse(text)) {
        return Partial{*d, Precision::day};
    }
    const auto part = date_part(text);
    if (!part) {
        return std::nullopt;
    }
    text = *part;
    int year = 0, month = 0;
    if (text.size() == 4 && read_int(text, year)) {
        if (const auto d = from_ymd(year, 1, 1)) {
            return Partial{*d, Precision::year};
        }
        return std::nullopt;
    }
    const auto sep = text.find_first_of("-/");
    if (sep == std::string_view::npos ||
        text.find_first_of("-/", sep + 1) != std::string_view::npos) {
        return std::nullopt;
    }
    const std::string_view left = text.substr(0, sep), right = text.substr(sep + 1);
    bool ok = false;
    if (left.size() == 4 && (right.size() == 1 || right.size() == 2)) {
        ok = read_int(left, year) && read_int(right, month); // YYYY-MM
    } else if (right.size() == 4 && (left.size() == 1 || left.size() == 2)) {
        ok = read_int(right, year) && read_int(left, month); // MM/YYYY
    }
    if (!ok) {
        return std::nullopt;
    }
    if (const auto d = from_ymd(year, month, 1)) {
        return Partial{*d, Precision::month};
    }
    return std::nullopt;
}

Date Date::today() {
    // The local calendar day: in Viet Nam (UTC+7) the day starts 7 hours
    // before UTC's, and a commitment signed today must count today.
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    return *from_ymd(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
}

Date Date::plus_months(int n) const {
    using namespace std::chrono;
    const year_month_day ymd{sys_days{std::chrono::days{days_}}};
    const year_month ym = year_month{ymd.year(), ymd.month()} + months{n};
    const year_month_day_last last{ym.year(), month_day_last{ym.month()}};
    const std::chrono::day d = std::min(ymd.day(), last.day());
    return Date(static_cast<int>(
        sys_days{year_month_day{ym.year(), ym.month(), d}}.time_since_epoch().count()));
}

std::string Date::iso() const {
    using namespace std::chrono;
    const year_month_day ymd{sys_days{std::chrono::days{days_}}};
    return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

} // namespace bordercov
