// Local wall-clock time of a log-writing host to UTC. Syslog lines carry the
// host's local time without a zone; -TimeZone names the zone (an IANA name
// such as "Europe/Berlin" from the system tz database, or a fixed offset
// "+01:00" / "UTC"), and by default it is the importing machine's zone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/time.h"

namespace mailflow {

class LocalTimeZone {
 public:
  // Empty `zone`: the machine's own zone. Throws Error("InvalidTimeZone")
  // naming the zone when it is neither an offset nor in the tz database.
  explicit LocalTimeZone(const std::string& zone = "");

  // The UTC instant of a local civil time. In the hour repeated when clocks
  // go back, the first (daylight) occurrence is taken; a time skipped when
  // clocks go forward is taken as standard time.
  UnixSeconds to_utc(CivilDate date, int hour, int minute, int second);

  const std::string& name() const { return name_; }

 private:
  std::int64_t offset_for_hour(DayNumber day, int hour);

  std::string name_;
  std::optional<int> fixed_offset_;  // seconds east of UTC
  std::string tz_env_;               // value for TZ; empty: the machine's zone
  // (day * 24 + hour) -> offset in seconds east of UTC. Logs are
  // chronological, so a handful of hours are ever looked up at a time; the
  // map is cleared when it grows past a few thousand entries.
  std::unordered_map<std::int64_t, std::int64_t> cache_;
};

// "UTC", "Z", "GMT", "+01:00", "-0530", "UTC+1": seconds east of UTC.
std::optional<int> parse_fixed_utc_offset(std::string_view text);

}  // namespace mailflow
