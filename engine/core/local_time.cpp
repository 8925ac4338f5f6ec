#include "core/local_time.h"

#include <cstdlib>
#include <ctime>
#include <filesystem>

#include "core/error.h"
#include "core/text.h"

namespace mailflow {

namespace {

// Sets TZ for the duration of a conversion and restores it afterwards, so
// the rest of the process keeps its own notion of local time.
class ScopedTz {
 public:
  explicit ScopedTz(const std::string& tz) : active_(!tz.empty()) {
    if (!active_) return;
    if (const char* old = std::getenv("TZ")) old_ = old;
    setenv("TZ", tz.c_str(), 1);
    tzset();
  }
  ~ScopedTz() {
    if (!active_) return;
    if (old_) setenv("TZ", old_->c_str(), 1);
    else unsetenv("TZ");
    tzset();
  }

 private:
  bool active_;
  std::optional<std::string> old_;
};

}  // namespace

std::optional<int> parse_fixed_utc_offset(std::string_view text) {
  std::string t = to_lower(trim(text));
  if (t == "utc" || t == "z" || t == "gmt" || t == "etc/utc") return 0;
  std::string_view v = t;
  if (v.starts_with("utc") || v.starts_with("gmt")) v.remove_prefix(3);
  if (v.empty() || (v[0] != '+' && v[0] != '-')) return std::nullopt;
  int sign = v[0] == '-' ? -1 : 1;
  v.remove_prefix(1);
  int hours = 0, minutes = 0;
  std::string digits;
  for (char c : v) {
    if (c == ':') continue;
    if (c < '0' || c > '9') return std::nullopt;
    digits += c;
  }
  if (digits.empty() || digits.size() > 4) return std::nullopt;
  if (digits.size() <= 2) hours = std::stoi(digits);
  else {
    hours = std::stoi(digits.substr(0, digits.size() - 2));
    minutes = std::stoi(digits.substr(digits.size() - 2));
  }
  if (hours > 14 || minutes > 59) return std::nullopt;
  return sign * (hours * 3600 + minutes * 60);
}

LocalTimeZone::LocalTimeZone(const std::string& zone) : name_(zone) {
  if (zone.empty()) {
    name_ = "local";
    return;
  }
  fixed_offset_ = parse_fixed_utc_offset(zone);
  if (fixed_offset_) return;
  // An IANA name: it must exist in the system tz database, since an unknown
  // TZ value silently means UTC to the C library.
  const char* dir = std::getenv("TZDIR");
  std::filesystem::path file = std::filesystem::path(dir ? dir : "/usr/share/zoneinfo") / zone;
  std::error_code ec;
  if (zone.find("..") != std::string::npos || !std::filesystem::is_regular_file(file, ec))
    throw Error("InvalidTimeZone", "-TimeZone: '" + zone +
                                       "' is not a time zone of the tz database (e.g. Europe/Berlin) or an "
                                       "offset like +01:00");
  tz_env_ = ":" + zone;
}

std::int64_t LocalTimeZone::offset_for_hour(DayNumber day, int hour) {
  std::int64_t key = static_cast<std::int64_t>(day) * 24 + hour;
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  if (cache_.size() > 4096) cache_.clear();
  CivilDate c = civil_from_days(day);
  std::tm tm{};
  tm.tm_year = c.year - 1900;
  tm.tm_mon = static_cast<int>(c.month) - 1;
  tm.tm_mday = static_cast<int>(c.day);
  tm.tm_hour = hour;
  tm.tm_min = 30;  // mid-hour: every real zone changes offset on the hour or half hour
  tm.tm_isdst = -1;
  std::time_t t;
  {
    ScopedTz scope(tz_env_);
    t = std::mktime(&tm);
  }
  // mktime normalised `tm` to the local time it chose; the offset is the
  // difference between that wall-clock time read as UTC and the instant.
  std::int64_t wall = static_cast<std::int64_t>(days_from_civil(CivilDate{tm.tm_year + 1900,
                                                                          static_cast<unsigned>(tm.tm_mon + 1),
                                                                          static_cast<unsigned>(tm.tm_mday)})) *
                          86400 +
                      tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
  std::int64_t offset = wall - static_cast<std::int64_t>(t);
  cache_.emplace(key, offset);
  return offset;
}

UnixSeconds LocalTimeZone::to_utc(CivilDate date, int hour, int minute, int second) {
  DayNumber day = days_from_civil(date);
  UnixSeconds wall = start_of_day(day) + hour * 3600 + minute * 60 + second;
  if (fixed_offset_) return wall - *fixed_offset_;
  return wall - offset_for_hour(day, hour);
}

}  // namespace mailflow
