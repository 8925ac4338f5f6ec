#include "ingest/occurrence_counter.h"

#include <gtest/gtest.h>

namespace mailflow {

TEST(OccurrenceCounter, NumbersCopiesOfTheSameContent) {
  OccurrenceCounter c;
  EXPECT_EQ(c.next(1, 100), 0u);
  EXPECT_EQ(c.next(2, 100), 0u);
  EXPECT_EQ(c.next(1, 100), 1u);
  EXPECT_EQ(c.next(1, 101), 2u);
  EXPECT_EQ(c.next(2, 102), 1u);
}

TEST(OccurrenceCounter, StaysBoundedOnLongFilesAndForgetsFarRecords) {
  OccurrenceCounter c(/*window_seconds=*/60, /*max_entries=*/1000);
  for (std::uint64_t i = 0; i < 100000; ++i) {
    c.next(i + 1000000, static_cast<UnixSeconds>(i));  // one distinct record per second
    ASSERT_LE(c.size(), 1000u);
  }
  // A burst of distinct records in one second cannot grow it either.
  for (std::uint64_t i = 0; i < 50000; ++i) {
    c.next(i + 5000000, 200000);
    ASSERT_LE(c.size(), 1000u);
  }
  // A copy within the window is still recognised.
  EXPECT_EQ(c.next(77, 300000), 0u);
  EXPECT_EQ(c.next(77, 300010), 1u);
}

TEST(OccurrenceCounter, SameSequenceGivesSameNumbers) {
  auto run = [] {
    OccurrenceCounter c(10, 64);
    std::vector<std::uint32_t> out;
    for (int i = 0; i < 5000; ++i) out.push_back(c.next(static_cast<std::uint64_t>(i % 97), i / 7));
    return out;
  };
  EXPECT_EQ(run(), run());
}

}  // namespace mailflow
