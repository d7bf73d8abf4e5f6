// detail::IdSet, the duplicate-id check's set: every id found again, none
// found that was not added, through the table's growth; against std::set.
#include "detail/id_set.hpp"

#include <fmt/format.h>

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace bordercov {
namespace {

TEST(IdSet, FindsEveryRepeatAndNothingElseThroughGrowth) {
    detail::IdSet seen;
    std::set<std::string> reference;
    for (int i = 0; i < 20000; ++i) {
        // Ids repeat (i % 7000), differ only in length ("", "0", "00"), and
        // carry Vietnamese text.
        const std::string id = i % 5 == 0 ? std::string(static_cast<std::size_t>(i % 3), '0')
                                          : "Hộ " + std::to_string(i % 7000);
        EXPECT_EQ(seen.insert(id), reference.insert(id).second) << id;
    }
    EXPECT_EQ(seen.size(), reference.size());
}

TEST(IdSet, AnEarlyIdRepeatedAfterAscendingIdsIsFound) {
    detail::IdSet seen;
    for (int i = 0; i < 5000; ++i) {
        ASSERT_TRUE(seen.insert(fmt::format("H{:07}", i))); // ascending: no table yet
    }
    EXPECT_FALSE(seen.insert("H0000000"));
    EXPECT_FALSE(seen.insert("H0004999"));
    EXPECT_TRUE(seen.insert("H0005000"));
    EXPECT_FALSE(seen.insert("H0005000"));
    EXPECT_TRUE(seen.insert("G"));
    EXPECT_EQ(seen.size(), 5002u);
}

TEST(IdSet, ReservedOrNotGivesTheSameAnswers) {
    detail::IdSet reserved, grown;
    reserved.reserve(1000);
    for (int i = 0; i < 3000; ++i) {
        const std::string id = "A" + std::to_string(i % 1500);
        EXPECT_EQ(reserved.insert(id), grown.insert(id));
    }
    EXPECT_EQ(reserved.size(), 1500u);
}

} // namespace
} // namespace bordercov
