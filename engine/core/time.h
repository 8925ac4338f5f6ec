// UTC instants and calendar days. Traces are stored as Unix seconds (UTC);
// reports work on UTC calendar days, numbered as days since 1970-01-01.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mailflow {

using UnixSeconds = std::int64_t;
using DayNumber = std::int32_t;  // days since 1970-01-01 (UTC)

struct CivilDate {
  int year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};

DayNumber days_from_civil(CivilDate date);
CivilDate civil_from_days(DayNumber day);
inline DayNumber day_of(UnixSeconds t) {
  return static_cast<DayNumber>(t >= 0 ? t / 86400 : (t - 86399) / 86400);
}
inline UnixSeconds start_of_day(DayNumber day) { return static_cast<UnixSeconds>(day) * 86400; }
// 0 = Sunday ... 6 = Saturday.
int weekday(DayNumber day);
bool valid_civil(CivilDate date);

// "YYYY-MM-DD".
std::optional<DayNumber> parse_date(std::string_view text);
// ISO-8601 / RFC 3339 instant: "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.frac]]" with
// an optional "Z" or "+HH:MM" / "+HHMM" offset; a space may replace the "T".
// Without an offset the time is taken as UTC. Fractions are truncated.
std::optional<UnixSeconds> parse_instant(std::string_view text);

std::string format_date(DayNumber day);          // 2026-11-16
std::string format_instant(UnixSeconds t);       // 2026-11-16T08:15:02Z

// Today's UTC day from the system clock.
DayNumber today_utc();

}  // namespace mailflow
