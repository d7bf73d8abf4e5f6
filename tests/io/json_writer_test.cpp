// The JSON writer against nlohmann::json's dump of the same values, the
// text every --json document had before: strings (Vietnamese, control
// characters, bytes that are not UTF-8), numbers, rows compact and pretty.
#include "bordercov/io/json_writer.hpp"

#include <cstring>
#include <gtest/gtest.h>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>

namespace bordercov::io {
namespace {

std::string dumped(const nlohmann::ordered_json& j, int indent = -1) {
    return j.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

template <class T> std::string written(const T& v) {
    std::string out = "x"; // text before it is kept
    json::append(out, v);
    return out.substr(1);
}

TEST(JsonWriter, StringsAsNlohmannDumpsThem) {
    const std::vector<std::string> texts{
        "",
        "Ia Grai",
        "Đức Cơ – Chư Prông",
        "quote \" backslash \\ slash /",
        std::string("nul \0 inside", 12),
        "\x7f delete is not escaped",
        "\xC0\x80 overlong",
        "\xE0\x80\x80 overlong",
        "\xED\xA0\x80 surrogate",
        "\xF4\x90\x80\x80 above U+10FFFF",
        "\xF5\x80",
        "lone \x80 continuation",
        "cut at the end \xE1\xBB",
        "cut \xE1\xBB in the middle",
        "\xF0\x9F\x98\x80 emoji",
        "Latin-1 Vi\xEA\x74 Nam",
    };
    for (const std::string& t : texts) {
        EXPECT_EQ(written(std::string_view(t)), dumped(t)) << t;
    }
    std::string controls;
    for (int c = 0; c < 0x20; ++c) {
        controls += static_cast<char>(c);
    }
    EXPECT_EQ(written(std::string_view(controls)), dumped(controls));
}

TEST(JsonWriter, RandomBytesAsNlohmannDumpsThem) {
    std::mt19937 random(19);
    // Bytes drawn mostly from the ones that matter: ASCII, controls, quote,
    // backslash, UTF-8 lead and continuation bytes.
    const std::string alphabet = std::string("aZ \"\\\n\x01\x1f\x7f", 9) +
                                 "\x80\xBF\xC2\xDF\xE0\xE1\xED\xEF\xF0\xF4\xF5\xFF\xA0\x9F\x8F\x90";
    for (int n = 0; n < 20000; ++n) {
        std::string t(random() % 12, ' ');
        for (char& c : t) {
            c = alphabet[random() % alphabet.size()];
        }
        ASSERT_EQ(written(std::string_view(t)), dumped(t)) << n;
    }
}

TEST(JsonWriter, NumbersAsNlohmannDumpsThem) {
    std::vector<double> numbers{0.0,
                                -0.0,
                                1.0,
                                -1.5,
                                0.001,
                                1e-5,
                                123456.789,
                                1e15,
                                1e16,
                                1e21,
                                -1e-300,
                                std::numeric_limits<double>::denorm_min(),
                                std::numeric_limits<double>::max(),
                                std::numeric_limits<double>::quiet_NaN(),
                                std::numeric_limits<double>::infinity(),
                                -std::numeric_limits<double>::infinity()};
    std::mt19937_64 random(7);
    for (int n = 0; n < 100000; ++n) {
        // Kilometres and metres rounded as the tables round them, and any bits.
        numbers.push_back(std::round(static_cast<double>(random() % 100000000) / 10.0) / 1000.0);
        const std::uint64_t bits = random();
        double any = 0;
        std::memcpy(&any, &bits, sizeof any);
        numbers.push_back(any);
    }
    for (const double v : numbers) {
        ASSERT_EQ(written(v), dumped(v)) << v;
    }
    for (const std::int64_t v :
         {std::int64_t{0}, std::int64_t{-7}, std::int64_t{1} << 53,
          std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()}) {
        EXPECT_EQ(written(v), dumped(v));
    }
    EXPECT_EQ(written(true), "true");
    EXPECT_EQ(written(Value{}), "null");
}

TEST(JsonWriter, RowsCompactAndPrettyAsInADocument) {
    const Table t{"gaps",
                  GeometryType::none,
                  {{"gap_id", FieldType::text},
                   {"length_km", FieldType::real},
                   {"households", FieldType::integer},
                   {"nearest_party_id", FieldType::text}},
                  {{{std::string("G-1"), 0.25, std::int64_t{3}, Value{}}, {}}}};
    const nlohmann::ordered_json row = {
        {"gap_id", "G-1"}, {"length_km", 0.25}, {"households", 3}, {"nearest_party_id", nullptr}};
    std::string compact;
    json::append_rows(compact, t);
    EXPECT_EQ(compact, dumped(nlohmann::ordered_json::array({row})));

    // A row two levels into a pretty document: {"gaps": [row]}.
    const std::string doc = dumped({{"gaps", nlohmann::ordered_json::array({row})}}, 2);
    std::string pretty;
    json::append_row(pretty, t, t.rows[0], {0, 1, 2, 3}, 2, 4);
    EXPECT_NE(doc.find("    " + pretty + "\n"), std::string::npos) << doc << "\n" << pretty;
    EXPECT_EQ(doc.size(), std::string("{\n  \"gaps\": [\n    ").size() + pretty.size() +
                              std::string("\n  ]\n}").size());
}

TEST(JsonWriter, ObjectsFieldByField) {
    std::string out;
    json::Object o(out);
    o.field("line_id", std::string("VN-LA")).field("far", false).field("offset_m", 12.5);
    json::Object inner(o.key("at"));
    inner.field("chainage_km", 1.0);
    inner.close();
    o.close();
    EXPECT_EQ(out, dumped({{"line_id", "VN-LA"},
                           {"far", false},
                           {"offset_m", 12.5},
                           {"at", {{"chainage_km", 1.0}}}}));
}

} // namespace
} // namespace bordercov::io
