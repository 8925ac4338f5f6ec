// StringTable (core/string_table.h) against std::unordered_map: the same
// answers under random adds and finds, through growth and clear, for
// strings that share prefixes, differ only in length, or are empty.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <unordered_map>

#include "core/string_table.h"

namespace mailflow {

TEST(StringTable, AgreesWithAMapThroughGrowthAndClear) {
  StringTable table;
  std::unordered_map<std::string, std::int64_t> model;
  std::mt19937 random(7);
  std::int64_t next_id = 0;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 20000; ++i) {
      // Values collide often (a small space), share prefixes and lengths.
      std::string value = "user" + std::to_string(random() % 9000) + "@contoso.com";
      value.resize(random() % value.size() + 1);
      if (random() % 50 == 0) value.clear();
      std::uint64_t h = StringTable::hash(value);
      auto it = model.find(value);
      ASSERT_EQ(table.find(value, h), it == model.end() ? 0 : it->second) << value;
      if (it == model.end()) {
        table.add(value, h, ++next_id);
        model.emplace(value, next_id);
      }
    }
    EXPECT_EQ(table.size(), model.size());
    EXPECT_GE(table.capacity(), 2 * table.size());  // at most half full
    table.clear();
    model.clear();
    EXPECT_EQ(table.find("user1@contoso.com", StringTable::hash("user1@contoso.com")), 0);
  }
}

TEST(StringTable, EqualHashesStillCompareTheBytes) {
  StringTable table;
  // Two different strings filed under the same (forced) hash.
  table.add("ab", 42, 1);
  table.add("ba", 42, 2);
  EXPECT_EQ(table.find("ab", 42), 1);
  EXPECT_EQ(table.find("ba", 42), 2);
  EXPECT_EQ(table.find("aa", 42), 0);
  EXPECT_EQ(table.find("ab", 43), 0);
}

TEST(StringTable, TakesNoSlotsUntilTheFirstAdd) {
  StringTable table;
  EXPECT_EQ(table.capacity(), 0u);
  EXPECT_EQ(table.find("", StringTable::hash("")), 0);
  EXPECT_EQ(table.find("x@contoso.com", StringTable::hash("x@contoso.com")), 0);
  table.clear();
  EXPECT_EQ(table.capacity(), 0u);
  table.add("x@contoso.com", StringTable::hash("x@contoso.com"), 5);
  EXPECT_EQ(table.capacity(), 1024u);
  EXPECT_EQ(table.find("x@contoso.com", StringTable::hash("x@contoso.com")), 5);
}

}  // namespace mailflow
