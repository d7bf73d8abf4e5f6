#include "bordercov/i18n.hpp"

#include "bordercov/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

#ifndef BORDERCOV_INSTALL_LOCALEDIR
#define BORDERCOV_INSTALL_LOCALEDIR "/usr/local/share/locale"
#endif

namespace bordercov::i18n {

namespace fs = std::filesystem;

std::optional<Language> parse_language(std::string_view text) {
    std::string folded(text);
    std::transform(folded.begin(), folded.end(), folded.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (folded == "vi") {
        return Language::vi;
    }
    if (folded == "en") {
        return Language::en;
    }
    return std::nullopt;
}

const char* code(Language language) {
    return language == Language::vi ? "vi" : "en";
}

std::vector<fs::path> catalogue_dirs() {
    std::vector<fs::path> dirs;
    if (const char* env = std::getenv("BORDERCOV_LOCALEDIR"); env && *env) {
        dirs.emplace_back(env);
    }
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        // Installed: /usr/bin/bordercov and /usr/share/locale; built:
        // build/bin/bordercov and build/share/locale.
        dirs.push_back((exe.parent_path().parent_path() / "share" / "locale").lexically_normal());
    }
    dirs.emplace_back(BORDERCOV_INSTALL_LOCALEDIR);
    return dirs;
}

namespace {

/// A little-endian or big-endian 32-bit word of a .mo file.
class MoReader {
  public:
    MoReader(const std::string& bytes, const fs::path& file) : bytes_(bytes), file_(file) {
        if (bytes.size() < 28) {
            fail("too short");
        }
        const std::uint32_t magic = word(0);
        if (magic == 0xde120495u) {
            swapped_ = true;
        } else if (magic != 0x950412deu) {
            fail("no GNU gettext magic number");
        }
    }

    std::uint32_t word(std::size_t at) const {
        if (at + 4 > bytes_.size()) {
            fail("a table points past the end");
        }
        std::uint32_t w = 0;
        std::memcpy(&w, bytes_.data() + at, 4);
        return swapped_ ? __builtin_bswap32(w) : w;
    }

    /// The string of entry i of the table at `table`.
    std::string_view string(std::size_t table, std::size_t i) const {
        const std::uint32_t length = word(table + 8 * i);
        const std::uint32_t offset = word(table + 8 * i + 4);
        if (std::size_t{offset} + length > bytes_.size()) {
            fail("a string runs past the end");
        }
        return std::string_view(bytes_).substr(offset, length);
    }

    [[noreturn]] void fail(const char* why) const {
        throw IoError(fmt::format("{}: not a compiled message catalogue (.mo): {}. Compile it "
                                  "again with msgfmt.",
                                  file_.string(), why));
    }

  private:
    const std::string& bytes_;
    const fs::path& file_;
    bool swapped_ = false;
};

/// The value of "Name: value" in a catalogue header, "" when absent.
std::string header_field(std::string_view header, std::string_view name) {
    for (std::size_t at = 0; at < header.size();) {
        const std::size_t end = std::min(header.find('\n', at), header.size());
        const std::string_view line = header.substr(at, end - at);
        if (line.substr(0, name.size()) == name && line.size() > name.size() &&
            line[name.size()] == ':') {
            return std::string(line.substr(name.size() + 1));
        }
        at = end + 1;
    }
    return {};
}

} // namespace

Catalogue Catalogue::load(const fs::path& mo, Language language) {
    std::ifstream in(mo, std::ios::binary);
    if (!in) {
        throw IoError(fmt::format("{}: cannot read the message catalogue.", mo.string()));
    }
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const MoReader reader(bytes, mo);
    const std::uint32_t count = reader.word(8);
    const std::uint32_t originals = reader.word(12);
    const std::uint32_t translations = reader.word(16);
    Catalogue catalogue;
    catalogue.language_ = language;
    catalogue.source_ = mo.string();
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::string_view id = reader.string(originals, i);
        const std::string_view text = reader.string(translations, i);
        if (id.empty()) {
            const std::string plural = header_field(text, "Plural-Forms");
            const std::size_t n = plural.find("nplurals=");
            const std::size_t rule = plural.find("plural=", n == std::string::npos ? 0 : n + 9);
            if (n != std::string::npos && rule != std::string::npos) {
                catalogue.plural_count_ = std::strtoul(plural.c_str() + n + 9, nullptr, 10);
                const std::size_t end = plural.find(';', rule);
                catalogue.plural_rule_ = plural.substr(rule + 7, end - rule - 7);
                try {
                    plural_form(catalogue.plural_rule_, 1); // a rule it cannot read fails here
                } catch (const std::invalid_argument&) {
                    reader.fail("its Plural-Forms cannot be read");
                }
            }
            continue;
        }
        // A message with a plural is keyed by its singular, as gettext looks it up.
        catalogue.messages_.emplace(std::string(id.substr(0, id.find('\0'))), std::string(text));
    }
    return catalogue;
}

Catalogue Catalogue::for_language(Language language, const std::vector<fs::path>& dirs) {
    if (language == Language::en) {
        return Catalogue{};
    }
    std::string looked;
    for (const fs::path& dir : dirs) {
        const fs::path mo = dir / code(language) / "LC_MESSAGES" / (std::string(kDomain) + ".mo");
        std::error_code ec;
        if (fs::is_regular_file(mo, ec)) {
            return load(mo, language);
        }
        looked += (looked.empty() ? "" : ", ") + mo.string();
    }
    throw IoError(fmt::format("the {} message catalogue is not installed (looked for {}). "
                              "Install bordercov with its share/locale folder, set "
                              "BORDERCOV_LOCALEDIR to the folder that holds {}/LC_MESSAGES/{}.mo, "
                              "or use --lang en.",
                              code(language), looked, code(language), kDomain));
}

std::string Catalogue::tr(std::string_view msgid) const {
    const auto it = messages_.find(std::string(msgid));
    if (it == messages_.end() || it->second.empty()) {
        return std::string(msgid);
    }
    return it->second;
}

std::string Catalogue::trn(std::string_view singular, std::string_view plural,
                           unsigned long n) const {
    const auto it = messages_.find(std::string(singular));
    if (it == messages_.end()) {
        return std::string(n == 1 ? singular : plural);
    }
    unsigned long form = plural_form(plural_rule_, n);
    form = std::min(form, plural_count_ - 1);
    // The forms follow each other, separated by \0.
    std::string_view forms = it->second;
    for (unsigned long i = 0; i < form && forms.find('\0') != std::string_view::npos; ++i) {
        forms.remove_prefix(forms.find('\0') + 1);
    }
    return std::string(forms.substr(0, forms.find('\0')));
}

namespace {

/// Groups the digits of a non-negative whole number by three.
std::string grouped(std::string_view digits, char separator) {
    std::string out;
    const std::size_t first = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
    out.append(digits.substr(0, first));
    for (std::size_t at = first; at < digits.size(); at += 3) {
        out.push_back(separator);
        out.append(digits.substr(at, 3));
    }
    return out;
}

} // namespace

std::string Catalogue::number(double value, int decimals) const {
    if (!std::isfinite(value)) {
        return "-";
    }
    std::string text = fmt::format("{:.{}f}", std::abs(value), std::max(decimals, 0));
    const bool negative = value < 0 && text.find_first_not_of("0.") != std::string::npos;
    const std::size_t point = text.find('.');
    const char thousands = language_ == Language::vi ? '.' : ',';
    const char decimal = language_ == Language::vi ? ',' : '.';
    std::string out = negative ? "-" : "";
    out += grouped(std::string_view(text).substr(0, point), thousands);
    if (point != std::string::npos) {
        out.push_back(decimal);
        out += text.substr(point + 1);
    }
    return out;
}

std::string Catalogue::integer(long long value) const {
    const auto magnitude = value < 0 ? 0ULL - static_cast<unsigned long long>(value)
                                     : static_cast<unsigned long long>(value);
    const std::string digits = std::to_string(magnitude);
    return (value < 0 ? "-" : "") + grouped(digits, language_ == Language::vi ? '.' : ',');
}

std::string Catalogue::date(Date day) const {
    const std::string iso = day.iso(); // YYYY-MM-DD
    if (language_ == Language::en) {
        return iso;
    }
    return fmt::format("{}/{}/{}", iso.substr(8, 2), iso.substr(5, 2), iso.substr(0, 4));
}

namespace {

/// A Plural-Forms expression (C's operators on n and numbers), evaluated
/// while it is read.
class PluralRule {
  public:
    PluralRule(std::string_view text, unsigned long n) : text_(text), n_(n) {}

    unsigned long evaluate() {
        const unsigned long v = conditional();
        skip();
        if (at_ != text_.size()) {
            fail();
        }
        return v;
    }

  private:
    unsigned long conditional() {
        const unsigned long test = binary(0);
        if (!take("?")) {
            return test;
        }
        const unsigned long yes = conditional();
        if (!take(":")) {
            fail();
        }
        const unsigned long no = conditional();
        return test ? yes : no;
    }

    /// Binary operators by precedence level, lowest first.
    unsigned long binary(int level) {
        static const std::vector<std::vector<std::string_view>> levels{
            {"||"}, {"&&"}, {"==", "!="}, {"<=", ">=", "<", ">"}, {"+", "-"}, {"*", "/", "%"}};
        if (level == static_cast<int>(levels.size())) {
            return unary();
        }
        unsigned long left = binary(level + 1);
        for (;;) {
            std::string_view op;
            for (const std::string_view candidate : levels[static_cast<std::size_t>(level)]) {
                if (take(candidate)) {
                    op = candidate;
                    break;
                }
            }
            if (op.empty()) {
                return left;
            }
            left = apply(op, left, binary(level + 1));
        }
    }

    unsigned long apply(std::string_view op, unsigned long a, unsigned long b) {
        if ((op == "/" || op == "%") && b == 0) {
            fail();
        }
        return op == "||"   ? (a || b)
               : op == "&&" ? (a && b)
               : op == "==" ? a == b
               : op == "!=" ? a != b
               : op == "<=" ? a <= b
               : op == ">=" ? a >= b
               : op == "<"  ? a < b
               : op == ">"  ? a > b
               : op == "+"  ? a + b
               : op == "-"  ? a - b
               : op == "*"  ? a * b
               : op == "/"  ? a / b
                            : a % b;
    }

    unsigned long unary() {
        if (take("!")) {
            return !unary();
        }
        if (take("(")) {
            const unsigned long v = conditional();
            if (!take(")")) {
                fail();
            }
            return v;
        }
        if (take("n")) {
            return n_;
        }
        skip();
        const std::size_t start = at_;
        unsigned long v = 0;
        while (at_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[at_]))) {
            v = v * 10 + static_cast<unsigned long>(text_[at_++] - '0');
        }
        if (at_ == start) {
            fail();
        }
        return v;
    }

    void skip() {
        while (at_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[at_]))) {
            ++at_;
        }
    }

    bool take(std::string_view token) {
        skip();
        if (text_.substr(at_, token.size()) != token) {
            return false;
        }
        // "<" is not the start of "<=", nor "!" of "!=".
        if (token.size() == 1 && (token == "<" || token == ">" || token == "!") &&
            text_.substr(at_ + 1, 1) == "=") {
            return false;
        }
        at_ += token.size();
        return true;
    }

    [[noreturn]] void fail() const {
        throw std::invalid_argument("cannot read the plural rule '" + std::string(text_) + "'");
    }

    std::string_view text_;
    unsigned long n_;
    std::size_t at_ = 0;
};

} // namespace

unsigned long plural_form(std::string_view expression, unsigned long n) {
    return PluralRule(expression, n).evaluate();
}

} // namespace bordercov::i18n
