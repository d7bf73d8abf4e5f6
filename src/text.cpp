#include "bordercov/text.hpp"

#include <unordered_map>

namespace bordercov {

namespace {

/// Next code point of s at i (advances i); invalid bytes come out as U+FFFD.
char32_t next_code_point(std::string_view s, std::size_t& i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = byte(i);
    int extra = 0;
    char32_t cp = 0;
    if (c < 0x80) {
        ++i;
        return c;
    } else if ((c & 0xE0) == 0xC0) {
        extra = 1;
        cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        extra = 2;
        cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        extra = 3;
        cp = c & 0x07;
    } else {
        ++i;
        return 0xFFFD;
    }
    if (i + static_cast<std::size_t>(extra) >= s.size()) {
        i = s.size();
        return 0xFFFD;
    }
    for (int k = 1; k <= extra; ++k) {
        const unsigned char cc = byte(i + static_cast<std::size_t>(k));
        if ((cc & 0xC0) != 0x80) {
            i += static_cast<std::size_t>(k);
            return 0xFFFD;
        }
        cp = (cp << 6) | (cc & 0x3F);
    }
    i += static_cast<std::size_t>(extra) + 1;
    return cp;
}

const std::unordered_map<char32_t, char>& base_letters() {
    static const std::unordered_map<char32_t, char> table = [] {
        // Every precomposed Vietnamese letter, and Latin-1's, by base letter.
        const std::pair<char, std::string_view> groups[] = {
            {'a', "àáảãạăằắẳẵặâầấẩẫậäåÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÄÅ"},
            {'e', "èéẻẽẹêềếểễệëÈÉẺẼẸÊỀẾỂỄỆË"},
            {'i', "ìíỉĩịîïÌÍỈĨỊÎÏ"},
            {'o', "òóỏõọôồốổỗộơờớởỡợöøÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÖØ"},
            {'u', "ùúủũụưừứửữựûüÙÚỦŨỤƯỪỨỬỮỰÛÜ"},
            {'y', "ỳýỷỹỵÿỲÝỶỸỴ"},
            {'d', "đĐ"},
            {'c', "çÇ"},
            {'n', "ñÑ"},
        };
        std::unordered_map<char32_t, char> t;
        for (const auto& [base, letters] : groups) {
            for (std::size_t i = 0; i < letters.size();) {
                t.emplace(next_code_point(letters, i), base);
            }
        }
        return t;
    }();
    return table;
}

} // namespace

std::string fold_diacritics(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size());
    const auto& table = base_letters();
    for (std::size_t i = 0; i < utf8.size();) {
        const char32_t cp = next_code_point(utf8, i);
        if (cp < 0x80) {
            const char c = static_cast<char>(cp);
            out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
        } else if (cp >= 0x300 && cp <= 0x36F) {
            continue; // a combining mark (decomposed input)
        } else if (const auto it = table.find(cp); it != table.end()) {
            out.push_back(it->second);
        } else {
            out.push_back('?');
        }
    }
    return out;
}

std::size_t display_width(std::string_view utf8) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < utf8.size();) {
        const char32_t cp = next_code_point(utf8, i);
        if (!(cp >= 0x300 && cp <= 0x36F)) {
            ++width;
        }
    }
    return width;
}

std::string name_list(const std::vector<std::string>& names, std::size_t most) {
    std::string text;
    for (std::size_t i = 0; i < names.size() && i < most; ++i) {
        text += (i ? ", " : "") + names[i];
    }
    if (names.size() > most) {
        text += " and " + std::to_string(names.size() - most) + " more";
    }
    return text;
}

} // namespace bordercov
