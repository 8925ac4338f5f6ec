// The header of a syslog-style line, in every form Postfix logs reach files in:
//   classic syslog and Postfix's own maillog_file, zero-padded, space-padded
//   or (hand-edited, some relays) single-space day:
//     "Nov 23 06:20:07 mx1 postfix/smtp[6683]: message"   "Oct  7 ..."  "Oct 7 ..."
//   journalctl -o short-precise:  "Mar 14 00:00:31.185246 mx1 postfix/smtp[6683]: ..."
//   rsyslog RSYSLOG_FileFormat (RFC 3339), journalctl -o short-iso and
//   short-iso-precise (zone as +0100 before systemd 255, +01:00 after):
//     "2026-11-23T13:03:05.082436+00:00 mx1 postfix/smtp[6683]: message"
//   journalctl -o short-full:  "Tue 2023-03-14 00:00:31 CET mx1 postfix/smtp[6683]: ..."
//   RFC 5424 (rsyslog RSYSLOG_SyslogProtocol23Format, syslog-ng):
//     "<22>1 2026-12-01T18:35:16.708433+00:00 mx1 postfix 29793 - -  message"
//     (rsyslog cuts the APP-NAME at the '/': the daemon is not named)
// journalctl -o json and -o export are records, not lines: postfix_reader.cpp
// reads them and fills a SyslogHeader itself.
// Timestamps without a year or a zone get them from SyslogClock (-Year, else
// the file's modification time, with the December to January rollover
// handled; -TimeZone, else the machine's zone).
#pragma once

#include <optional>
#include <string_view>

#include "core/local_time.h"
#include "core/time.h"

namespace mailflow {

struct SyslogHeader {
  // An instant (RFC 3339, RFC 5424, short-full in UTC) or a civil time
  // without a zone; `year` is 0 when the line does not say it (classic forms).
  bool has_instant = false;
  UnixSeconds instant = 0;
  int year = 0;
  unsigned month = 0, day = 0;
  int hour = 0, minute = 0, second = 0;
  std::string_view host;
  std::string_view tag;      // "postfix/submission/smtpd[19120]" (with the pid)
  std::string_view program;  // "postfix/submission/smtpd"
  std::string_view pid;      // "19120", empty when the line has none
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
  // The civil date and time to the minute, read in zone_ (valid dates only).
  UnixSeconds local_minute(int year, unsigned month, unsigned day, int hour, int minute, bool& valid);

  std::optional<int> year_;
  UnixSeconds reference_;
  LocalTimeZone zone_;
  unsigned last_month_ = 0;
  // The last minute local_minute() read: lines come many to a minute, and
  // within one the instant only adds the seconds (a zone's offset changes
  // on the hour or half hour at most).
  struct Minute {
    int year = 0;
    unsigned month = 0, day = 0;
    int hour = -1, minute = -1;
    UnixSeconds start = 0;
  } minute_;
};

}  // namespace mailflow
