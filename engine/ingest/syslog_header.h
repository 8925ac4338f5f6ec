// The header of a syslog-style line, in the three forms Postfix logs reach
// files in:
//   classic syslog and Postfix's own maillog_file:
//     "Nov 23 06:20:07 mx1 postfix/smtp[6683]: message"
//   rsyslog's high-precision (RFC 3339) format:
//     "2026-11-23T13:03:05.082436+00:00 mx1 postfix/smtp[6683]: message"
// Classic timestamps carry neither a year nor a zone: SyslogClock supplies
// them (-Year, else the file's modification time, with the December to
// January rollover handled; -TimeZone, else the machine's zone).
#pragma once

#include <optional>
#include <string_view>

#include "core/local_time.h"
#include "core/time.h"

namespace mailflow {

struct SyslogHeader {
  // Classic form: month/day/time without a year; RFC 3339 form: the instant.
  bool has_instant = false;
  UnixSeconds instant = 0;
  unsigned month = 0, day = 0;
  int hour = 0, minute = 0, second = 0;
  std::string_view host;
  std::string_view tag;      // "postfix/submission/smtpd[19120]" (with the pid)
  std::string_view program;  // "postfix/submission/smtpd"
  std::string_view message;  // after "]: "
};

// nullopt when the line does not start with a syslog header.
std::optional<SyslogHeader> parse_syslog_header(std::string_view line);

class SyslogClock {
 public:
  // `year`: the year of the file's first classic timestamp (-Year); else it
  // is inferred from `reference` (the file's modification time, or today):
  // a first line dated in a later month than the reference is from the
  // year before.
  SyslogClock(std::optional<int> year, UnixSeconds reference, LocalTimeZone zone);

  // nullopt when the day does not exist in the year it falls in (Feb 29).
  std::optional<UnixSeconds> to_utc(const SyslogHeader& h);

 private:
  std::optional<int> year_;
  UnixSeconds reference_;
  LocalTimeZone zone_;
  unsigned last_month_ = 0;
};

}  // namespace mailflow
