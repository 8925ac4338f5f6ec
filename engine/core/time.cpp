#include "core/time.h"

#include <chrono>
#include <cstdio>

namespace mailflow {

// Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms).
DayNumber days_from_civil(CivilDate date) {
  int y = date.year - (date.month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = date.month > 2 ? date.month - 3 : date.month + 9;
  const unsigned doy = (153 * mp + 2) / 5 + date.day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<DayNumber>(era * 146097 + static_cast<int>(doe) - 719468);
}

CivilDate civil_from_days(DayNumber z_in) {
  int z = z_in + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{y + (m <= 2 ? 1 : 0), m, d};
}

int weekday(DayNumber day) { return static_cast<int>(((day % 7) + 11) % 7); }

bool valid_civil(CivilDate date) {
  // Years as logs and reports write them (four digits); days_from_civil
  // overflows int for years beyond about 5.8 million.
  if (date.year < 1 || date.year > 9999) return false;
  if (date.month < 1 || date.month > 12 || date.day < 1) return false;
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  unsigned max = kDays[date.month - 1];
  bool leap = (date.year % 4 == 0 && date.year % 100 != 0) || date.year % 400 == 0;
  if (date.month == 2 && leap) max = 29;
  return date.day <= max;
}

namespace {

bool digits(std::string_view s, size_t pos, size_t count, int& out) {
  if (pos + count > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

std::optional<DayNumber> parse_date(std::string_view s) {
  int y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!digits(s, 0, 4, y) || !digits(s, 5, 2, m) || !digits(s, 8, 2, d)) return std::nullopt;
  CivilDate c{y, static_cast<unsigned>(m), static_cast<unsigned>(d)};
  if (!valid_civil(c)) return std::nullopt;
  return days_from_civil(c);
}

std::optional<UnixSeconds> parse_instant(std::string_view s) {
  if (s.size() < 10) return std::nullopt;
  auto day = parse_date(s.substr(0, 10));
  if (!day) return std::nullopt;
  UnixSeconds t = start_of_day(*day);
  size_t p = 10;
  if (p == s.size()) return t;
  if (s[p] != 'T' && s[p] != 't' && s[p] != ' ') return std::nullopt;
  ++p;
  int hh, mm, ss = 0;
  if (!digits(s, p, 2, hh) || p + 2 >= s.size() || s[p + 2] != ':' || !digits(s, p + 3, 2, mm))
    return std::nullopt;
  p += 5;
  if (p < s.size() && s[p] == ':') {
    if (!digits(s, p + 1, 2, ss)) return std::nullopt;
    p += 3;
    if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
      ++p;
      size_t start = p;
      while (p < s.size() && s[p] >= '0' && s[p] <= '9') ++p;
      if (p == start) return std::nullopt;
    }
  }
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;  // 60: leap second
  t += hh * 3600 + mm * 60 + (ss == 60 ? 59 : ss);
  if (p == s.size()) return t;
  if ((s[p] == 'Z' || s[p] == 'z') && p + 1 == s.size()) return t;
  if (s[p] != '+' && s[p] != '-') return std::nullopt;
  int sign = s[p] == '+' ? 1 : -1;
  int oh, om;
  if (!digits(s, p + 1, 2, oh)) return std::nullopt;
  size_t q = p + 3;
  if (q < s.size() && s[q] == ':') ++q;
  if (!digits(s, q, 2, om) || q + 2 != s.size()) return std::nullopt;
  if (oh > 23 || om > 59) return std::nullopt;
  return t - sign * (oh * 3600 + om * 60);
}

std::string format_date(DayNumber day) {
  CivilDate c = civil_from_days(day);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", c.year, c.month, c.day);
  return buf;
}

std::string format_instant(UnixSeconds t) {
  DayNumber day = day_of(t);
  long secs = static_cast<long>(t - start_of_day(day));
  CivilDate c = civil_from_days(day);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", c.year, c.month, c.day,
                secs / 3600, (secs / 60) % 60, secs % 60);
  return buf;
}

DayNumber today_utc() {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return day_of(secs);
}

}  // namespace mailflow
