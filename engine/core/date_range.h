// The date range every report and Get-MessageTrace share (SPEC 5): whole UTC
// calendar days, both ends inclusive, so -StartDate A -EndDate B covers
// A 00:00:00 through B 23:59:59.
#pragma once

#include <cstdint>
#include <optional>

#include "core/time.h"

namespace mailflow {

struct DateRange {
  DayNumber first = 0;  // first day, inclusive
  DayNumber last = 0;   // last day, inclusive

  int days() const { return last - first + 1; }
  UnixSeconds start() const { return start_of_day(first); }
  // One past the last second: traces in range have start() <= received < end().
  UnixSeconds end() const { return start_of_day(last + 1); }
  bool contains(DayNumber day) const { return day >= first && day <= last; }
};

// What the caller asked for. An instant with a time of day stands for its UTC
// calendar day (2026-11-17T01:00+02:00 is 2026-11-16 23:00 UTC: day 2026-11-16).
inline constexpr int kDefaultReportDays = 7;     // the widget's "last week"

struct DateRangeRequest {
  std::optional<UnixSeconds> start;  // -StartDate
  std::optional<UnixSeconds> end;    // -EndDate
  std::optional<std::int64_t> days;  // -Days
  int default_days = kDefaultReportDays;  // the length when neither -StartDate nor -Days is given
};

inline constexpr int kDefaultMaxReportDays = 30;  // the dashboard's cap

// Resolves a request against `today`:
//   nothing            the 7 days (default_days) ending today
//   -EndDate B         the 7 days (default_days) ending on B
//   -StartDate A       A through today
//   -Days N [-EndDate B]  the N days ending on B (default today)
//   -StartDate A -Days N  the N days starting on A
// Throws Error("InvalidDateRange") when the range is reversed, -Days is not
// positive or is given with both dates, or the range is longer than `max_days`.
DateRange resolve_date_range(const DateRangeRequest& request, DayNumber today, int max_days);

}  // namespace mailflow
