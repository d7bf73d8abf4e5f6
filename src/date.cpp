#include "bordercov/date.hpp"

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
    const year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                             std::chrono::day{static_cast<unsigned>(day)}};
    if (!ymd.ok()) {
        return std::nullopt;
    }
    return Date(static_cast<int>(sys_days{ymd}.time_since_epoch().count()));
}

std::optional<Date> Date::parse(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    // Drop a time of day: "2015-12-31T08:00:00Z", "2015/12/31 08:00".
    if (const auto cut = text.find_first_of("T "); cut != std::string_view::npos) {
        text = text.substr(0, cut);
    }
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
    if (!read_int(text.substr(0, first), a) || !read_int(text.substr(first + 1, second - first - 1), b) ||
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

Date Date::today() {
    // The local calendar day: in Viet Nam (UTC+7) the day starts 7 hours
    // before UTC's, and a commitment signed today must count today.
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    return *from_ymd(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
}

std::string Date::iso() const {
    using namespace std::chrono;
    const year_month_day ymd{sys_days{std::chrono::days{days_}}};
    return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

} // namespace bordercov
