// The words people read, in their language: a GNU gettext message catalogue
// (po/vi.po compiled to bordercov.mo) read directly from its file, so no
// system locale needs to be generated, and the number and date formats of
// the language (Vietnamese: 90,2 km; 6.286 hộ; 31/12/2015). English is the
// language of the source strings: it needs no catalogue.
//
// Strings for the catalogue are marked where they are written: tr("...")
// and trn("...", "...", n) on a Catalogue, N_("...") for a string kept in a
// table and translated later; xgettext finds these (po/README.md).
//
// Example usage:
//     const i18n::Catalogue vi = i18n::Catalogue::for_language(i18n::Language::vi);
//     vi.tr("Gaps");                       // "Khoảng trống"
//     vi.number(6286, 0);                  // "6.286"
//     vi.date(*Date::parse("2015-12-31")); // "31/12/2015"
#pragma once

#include "bordercov/date.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

/// Marks a string for the catalogue without translating it there (a table
/// of labels translated where it is shown).
#ifndef N_
#define N_(text) text
#endif

namespace bordercov::i18n {

enum class Language { vi, en };

/// "vi" or "en" (any case); empty optional for another.
std::optional<Language> parse_language(std::string_view code);
const char* code(Language language);

/// The catalogue's domain: the file is <dir>/<lang>/LC_MESSAGES/bordercov.mo.
inline constexpr const char* kDomain = "bordercov";

/// Where catalogues are looked for, in order: $BORDERCOV_LOCALEDIR; beside
/// the running binary as installed or built (<bin>/../share/locale); the
/// install prefix's locale folder.
std::vector<std::filesystem::path> catalogue_dirs();

class Catalogue {
  public:
    /// English: every message as written in the source.
    Catalogue() = default;

    /// The catalogue of a language found in the first of dirs that has it
    /// (English needs none). Throws IoError naming every place looked in
    /// when none has it, and for a file that is no catalogue.
    static Catalogue
    for_language(Language language,
                 const std::vector<std::filesystem::path>& dirs = catalogue_dirs());

    /// A compiled catalogue (.mo) read from its file; throws IoError.
    static Catalogue load(const std::filesystem::path& mo, Language language);

    Language language() const { return language_; }
    const std::string& source() const { return source_; } ///< the .mo read, "" for none

    /// The translation of msgid, msgid itself when the catalogue has none.
    std::string tr(std::string_view msgid) const;
    /// The form for n of a message with a plural (gettext's ngettext).
    std::string trn(std::string_view singular, std::string_view plural, unsigned long n) const;

    /// A number with `decimals` decimals in the language's format: thousands
    /// grouped by "." and decimals after "," in Vietnamese (6.286; 90,2),
    /// by "," and "." in English (6,286; 90.2). -0 is written 0.
    std::string number(double value, int decimals) const;
    /// A whole number, grouped (6.286).
    std::string integer(long long value) const;
    /// A day: 31/12/2015 in Vietnamese, 2015-12-31 in English.
    std::string date(Date day) const;

  private:
    Language language_ = Language::en;
    std::string source_;
    std::unordered_map<std::string, std::string> messages_; ///< msgid -> msgstr(s), \0-separated
    std::string plural_rule_ = "n != 1";                    ///< the Plural-Forms expression
    unsigned long plural_count_ = 2;
};

/// The plural form index of a gettext Plural-Forms expression ("n != 1",
/// "n%10==1 && n%100!=11 ? 0 : ...") for n. Throws std::invalid_argument
/// for an expression it cannot read.
unsigned long plural_form(std::string_view expression, unsigned long n);

} // namespace bordercov::i18n
