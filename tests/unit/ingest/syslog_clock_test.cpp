#include "ingest/syslog_header.h"

#include <gtest/gtest.h>

#include <random>

namespace mailflow {
namespace {

// SyslogClock keeps the last minute it read in the zone and adds the
// seconds: it must give what the zone gives for every line, in any order,
// across the hours a zone's offset changes in (Europe/Berlin: 2026-03-29
// 02:00 -> 03:00, 2026-10-25 03:00 -> 02:00) and with dates that do not exist.
void expect_clock_matches_zone(unsigned month, unsigned first_day, unsigned last_day) {
  SyslogClock clock(2026, 0, LocalTimeZone("Europe/Berlin"));
  LocalTimeZone zone("Europe/Berlin");
  std::mt19937 rng(month);
  SyslogHeader h;
  h.month = month;
  for (int i = 0; i < 20000; ++i) {
    // Runs of lines in one minute, then a jump (to another minute, hour or day).
    // Every other jump keeps the time of day and changes only the day.
    if (i % 7 == 0) {
      h.day = first_day + rng() % (last_day - first_day + 1);
      if (i % 14 == 0) {
        h.hour = static_cast<int>(rng() % 24);
        h.minute = static_cast<int>(rng() % 60);
      }
    }
    h.second = static_cast<int>(rng() % 61);
    auto got = clock.to_utc(h);
    CivilDate date{2026, month, h.day};
    if (!valid_civil(date)) {
      EXPECT_FALSE(got) << h.day;
      continue;
    }
    ASSERT_TRUE(got);
    EXPECT_EQ(*got, zone.to_utc(date, h.hour, h.minute, h.second))
        << month << "/" << h.day << " " << h.hour << ":" << h.minute << ":" << h.second;
  }
}

TEST(SyslogClock, MinutesReadOnceGiveWhatTheZoneGives) {
  expect_clock_matches_zone(3, 28, 31);
  expect_clock_matches_zone(10, 24, 26);
  expect_clock_matches_zone(2, 27, 31);  // Feb 29 to 31 of 2026 do not exist
}

TEST(SyslogClock, ADateWithAYearGoesThroughTheSameMinute) {
  // journalctl -o short-full with a zone abbreviation: a civil time with its year.
  SyslogClock clock(std::nullopt, 0, LocalTimeZone("+01:00"));
  SyslogHeader h;
  h.year = 2023;
  h.month = 3;
  h.day = 14;
  h.hour = 0;
  h.minute = 0;
  h.second = 31;
  EXPECT_EQ(clock.to_utc(h), 1678748431);  // 2023-03-13T23:00:31Z
  h.second = 59;
  EXPECT_EQ(clock.to_utc(h), 1678748459);
  h.year = 2024;  // same minute of another year
  EXPECT_EQ(clock.to_utc(h), 1710370859);  // 2024-03-13T23:00:59Z
  h.year = 2023;
  h.month = 2;
  h.day = 29;
  EXPECT_FALSE(clock.to_utc(h));
}

}  // namespace
}  // namespace mailflow
