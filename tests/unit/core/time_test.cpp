#include "core/time.h"

#include <gtest/gtest.h>

namespace mailflow {

TEST(Time, ParsesDatesAndInstants) {
  EXPECT_EQ(parse_date("1970-01-01"), 0);
  EXPECT_EQ(parse_date("2026-11-16"), days_from_civil({2026, 11, 16}));
  EXPECT_FALSE(parse_date("2026-02-30"));
  EXPECT_FALSE(parse_date("2026-11-16x"));
  EXPECT_EQ(parse_instant("2026-11-16T08:15:02Z"), parse_instant("2026-11-16T09:15:02+01:00"));
  EXPECT_EQ(parse_instant("2026-11-16T08:15:02Z"), parse_instant("2026-11-16 03:15:02.123456-0500"));
  EXPECT_EQ(*parse_instant("2026-11-16T00:00:00Z"), start_of_day(*parse_date("2026-11-16")));
  EXPECT_FALSE(parse_instant("2026-11-16T25:00:00Z"));
  EXPECT_FALSE(parse_instant("2026-11-16T08:15:02+1"));
  EXPECT_FALSE(parse_instant("yesterday"));
}

TEST(Time, FormatsRoundTrip) {
  UnixSeconds t = *parse_instant("2026-12-31T23:59:59Z");
  EXPECT_EQ(format_instant(t), "2026-12-31T23:59:59Z");
  EXPECT_EQ(format_date(day_of(t)), "2026-12-31");
  EXPECT_EQ(format_date(day_of(t + 1)), "2027-01-01");
  EXPECT_EQ(weekday(*parse_date("2026-11-23")), 1);  // a Monday
  EXPECT_EQ(day_of(-1), -1);
}

// A nine-digit year from a report overflowed days_from_civil (found by
// fuzz_exchange_connector_report_reader): dates are years 1-9999.
TEST(Time, ValidCivilTakesFourDigitYears) {
  EXPECT_TRUE(valid_civil({2026, 11, 10}));
  EXPECT_TRUE(valid_civil({1, 1, 1}));
  EXPECT_TRUE(valid_civil({9999, 12, 31}));
  EXPECT_FALSE(valid_civil({202620262, 11, 10}));
  EXPECT_FALSE(valid_civil({10000, 1, 1}));
  EXPECT_FALSE(valid_civil({0, 1, 1}));
  EXPECT_FALSE(valid_civil({-2147483647, 1, 1}));
}

}  // namespace mailflow
