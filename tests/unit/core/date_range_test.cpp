#include "core/date_range.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace mailflow {

namespace {

DayNumber day(const char* text) { return *parse_date(text); }
UnixSeconds instant(const char* text) { return *parse_instant(text); }

std::string range_text(const DateRange& r) { return format_date(r.first) + ".." + format_date(r.last); }

std::string refusal(const DateRangeRequest& request, int max_days = 30) {
  try {
    resolve_date_range(request, day("2026-11-22"), max_days);
  } catch (const Error& e) {
    EXPECT_EQ(e.id(), "InvalidDateRange");
    return e.what();
  }
  return "";
}

DateRange resolve(const DateRangeRequest& request, int max_days = 30) {
  return resolve_date_range(request, day("2026-11-22"), max_days);
}

}  // namespace

TEST(DateRange, DefaultIsTheSevenDaysEndingToday) {
  DateRange r = resolve({});
  EXPECT_EQ(range_text(r), "2026-11-16..2026-11-22");
  EXPECT_EQ(r.days(), 7);
  EXPECT_EQ(r.start(), instant("2026-11-16T00:00:00Z"));
  EXPECT_EQ(r.end(), instant("2026-11-23T00:00:00Z"));  // 2026-11-22 23:59:59 is the last second in
}

TEST(DateRange, EndDateAloneGivesTheSevenDaysEndingThen) {
  EXPECT_EQ(range_text(resolve({std::nullopt, instant("2026-11-10"), std::nullopt})), "2026-11-04..2026-11-10");
}

TEST(DateRange, StartDateAloneRunsToToday) {
  EXPECT_EQ(range_text(resolve({instant("2026-11-01"), std::nullopt, std::nullopt})), "2026-11-01..2026-11-22");
}

TEST(DateRange, BothDatesAreInclusive) {
  DateRange r = resolve({instant("2026-11-16"), instant("2026-11-16"), std::nullopt});
  EXPECT_EQ(r.days(), 1);
  EXPECT_TRUE(r.contains(day_of(instant("2026-11-16T23:59:59Z"))));
  EXPECT_FALSE(r.contains(day_of(instant("2026-11-17T00:00:00Z"))));
  EXPECT_FALSE(r.contains(day_of(instant("2026-11-15T23:59:59Z"))));
}

TEST(DateRange, DaysEndOnEndDateOrToday) {
  EXPECT_EQ(range_text(resolve({std::nullopt, std::nullopt, 30})), "2026-10-24..2026-11-22");
  EXPECT_EQ(range_text(resolve({std::nullopt, instant("2026-11-10"), 1})), "2026-11-10..2026-11-10");
  EXPECT_EQ(range_text(resolve({instant("2026-11-01"), std::nullopt, 3})), "2026-11-01..2026-11-03");
}

TEST(DateRange, InstantsWithOffsetsNameTheirUtcDay) {
  // 01:00 at +02:00 is 23:00 UTC the day before; 22:30 at -05:00 is 03:30 UTC the next day.
  DateRange r = resolve({instant("2026-11-17T01:00:00+02:00"), instant("2026-11-19T22:30:00-05:00"), std::nullopt});
  EXPECT_EQ(range_text(r), "2026-11-16..2026-11-20");
}

TEST(DateRange, ExactlyTheMaximumIsAccepted) {
  EXPECT_EQ(resolve({instant("2026-10-24"), instant("2026-11-22"), std::nullopt}).days(), 30);
  EXPECT_EQ(resolve({std::nullopt, std::nullopt, 5}, 5).days(), 5);
}

TEST(DateRange, RefusesARangeLongerThanTheMaximum) {
  EXPECT_EQ(refusal({instant("2026-10-23"), instant("2026-11-22"), std::nullopt}),
            "the range 2026-10-23 to 2026-11-22 is 31 days, longer than the 30-day maximum "
            "(MaxReportDays; change it with Set-MailFlowConfig -MaxReportDays N)");
  EXPECT_EQ(refusal({std::nullopt, std::nullopt, 31}),
            "-Days 31 is longer than the 30-day maximum (MaxReportDays; change it with "
            "Set-MailFlowConfig -MaxReportDays N)");
  EXPECT_EQ(refusal({std::nullopt, std::nullopt, 8}, 7).substr(0, 39), "-Days 8 is longer than the 7-day maximu");
}

TEST(DateRange, RefusesAReversedRange) {
  EXPECT_EQ(refusal({instant("2026-11-20"), instant("2026-11-10"), std::nullopt}),
            "-StartDate 2026-11-20 is after -EndDate 2026-11-10");
  EXPECT_EQ(refusal({instant("2026-11-23"), std::nullopt, std::nullopt}),
            "-StartDate 2026-11-23 is after today (2026-11-22)");
}

TEST(DateRange, RefusesBadDays) {
  EXPECT_EQ(refusal({std::nullopt, std::nullopt, 0}), "-Days 0 is not a number of days (give 1 or more)");
  EXPECT_EQ(refusal({std::nullopt, std::nullopt, -3}), "-Days -3 is not a number of days (give 1 or more)");
  EXPECT_EQ(refusal({instant("2026-11-01"), instant("2026-11-05"), 3}),
            "-Days cannot be combined with both -StartDate and -EndDate; give two of the three");
}

}  // namespace mailflow
