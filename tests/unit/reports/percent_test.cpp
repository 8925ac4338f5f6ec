#include "reports/percent.h"

#include <gtest/gtest.h>

namespace mailflow {

TEST(Percent, TwoDecimalsRoundedHalfAwayFromZero) {
  EXPECT_EQ(percent_of(1, 3), 33.33);
  EXPECT_EQ(percent_of(2, 3), 66.67);
  EXPECT_EQ(percent_of(1, 6), 16.67);
  EXPECT_EQ(percent_of(1, 8), 12.5);
  EXPECT_EQ(percent_of(1, 20000), 0.01);   // 0.005 exactly: half goes up
  EXPECT_EQ(percent_of(3, 20000), 0.02);   // 0.015 exactly
  EXPECT_EQ(percent_of(1, 40000), 0.0);    // 0.0025: below half
  EXPECT_EQ(percent_of(57, 200), 28.5);    // 0.285 * 100 in binary floating point is 28.499999...
  EXPECT_EQ(percent_of(4, 4), 100.0);
}

TEST(Percent, EmptyGroupIsZero) {
  EXPECT_EQ(percent_of(0, 0), 0.0);
  EXPECT_EQ(percent_of(0, 5), 0.0);
}

}  // namespace mailflow
