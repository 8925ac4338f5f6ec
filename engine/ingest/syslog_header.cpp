#include "ingest/syslog_header.h"

namespace mailflow {

namespace {

bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

unsigned month_number(std::string_view m) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (unsigned i = 0; i < 12; ++i)
    if (m == kMonths[i]) return i + 1;
  return 0;
}

bool valid_clock(const SyslogHeader& h) {
  return h.hour <= 23 && h.minute <= 59 && h.second <= 60;
}

// "HH:MM:SS" at `pos`, then an optional ".ffffff" (journalctl -o
// short-precise); returns the position after it, or npos.
size_t parse_clock(std::string_view s, size_t pos, SyslogHeader& h) {
  if (!digits(s, pos, 2, h.hour) || s.size() <= pos + 8 || s[pos + 2] != ':' || !digits(s, pos + 3, 2, h.minute) ||
      s[pos + 5] != ':' || !digits(s, pos + 6, 2, h.second) || !valid_clock(h))
    return std::string_view::npos;
  pos += 8;
  if (pos < s.size() && s[pos] == '.') {
    size_t end = pos + 1;
    while (end < s.size() && s[end] >= '0' && s[end] <= '9') ++end;
    if (end == pos + 1) return std::string_view::npos;
    pos = end;
  }
  return pos;
}

// "YYYY-MM-DDTHH:MM:SS[.f](Z|+HH:MM|+HHMM)" -> the instant; nullopt otherwise.
std::optional<UnixSeconds> parse_rfc3339(std::string_view t) {
  SyslogHeader h;
  int year, month, day;
  if (t.size() < 20 || !digits(t, 0, 4, year) || t[4] != '-' || !digits(t, 5, 2, month) || t[7] != '-' ||
      !digits(t, 8, 2, day) || (t[10] != 'T' && t[10] != 't'))
    return std::nullopt;
  size_t pos = parse_clock(t, 11, h);
  if (pos == std::string_view::npos || pos >= t.size()) return std::nullopt;
  CivilDate date{year, static_cast<unsigned>(month), static_cast<unsigned>(day)};
  if (!valid_civil(date)) return std::nullopt;
  std::int64_t offset = 0;
  std::string_view zone = t.substr(pos);
  if (zone == "Z" || zone == "z") {
    offset = 0;
  } else if (zone[0] == '+' || zone[0] == '-') {
    int hh, mm;
    if (zone.size() == 6 && zone[3] == ':' && digits(zone, 1, 2, hh) && digits(zone, 4, 2, mm)) {
    } else if (zone.size() == 5 && digits(zone, 1, 2, hh) && digits(zone, 3, 2, mm)) {
    } else {
      return std::nullopt;
    }
    if (hh > 23 || mm > 59) return std::nullopt;
    offset = (zone[0] == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
  } else {
    return std::nullopt;
  }
  return start_of_day(days_from_civil(date)) + h.hour * 3600 + h.minute * 60 + h.second - offset;
}

// "tag[pid]" -> program and pid.
bool split_tag(std::string_view tag, SyslogHeader& h) {
  h.tag = tag;
  h.program = tag;
  h.pid = {};
  if (!tag.empty() && tag.back() == ']') {
    size_t open = tag.rfind('[');
    if (open == std::string_view::npos) return false;
    h.program = tag.substr(0, open);
    h.pid = tag.substr(open + 1, tag.size() - open - 2);
  }
  return !h.program.empty() && h.program.find(' ') == std::string_view::npos;
}

// "host tag[pid]: message" after the timestamp.
bool parse_rest(std::string_view rest, SyslogHeader& h) {
  size_t sp = rest.find(' ');
  if (sp == std::string_view::npos || sp == 0) return false;
  h.host = rest.substr(0, sp);
  rest.remove_prefix(sp + 1);
  size_t colon = rest.find(": ");
  if (colon == std::string_view::npos) {
    if (rest.empty() || rest.back() != ':') return false;
    colon = rest.size() - 1;  // an empty message
  }
  h.message = colon + 2 <= rest.size() ? rest.substr(colon + 2) : std::string_view();
  return split_tag(rest.substr(0, colon), h);
}

// The next space-separated field of an RFC 5424 header.
bool next_field(std::string_view& rest, std::string_view& field) {
  size_t sp = rest.find(' ');
  if (sp == std::string_view::npos || sp == 0) return false;
  field = rest.substr(0, sp);
  rest.remove_prefix(sp + 1);
  return true;
}

// "<PRI>1 TIMESTAMP HOST APP-NAME PROCID MSGID SD MSG"
std::optional<SyslogHeader> parse_rfc5424(std::string_view line) {
  size_t close = line.find('>');
  if (close == std::string_view::npos || close < 2 || close > 4 || line.size() < close + 3 ||
      line.compare(close + 1, 2, "1 ") != 0)
    return std::nullopt;
  for (size_t i = 1; i < close; ++i)
    if (line[i] < '0' || line[i] > '9') return std::nullopt;
  std::string_view rest = line.substr(close + 3), stamp, app, procid, msgid;
  SyslogHeader h;
  if (!next_field(rest, stamp) || !next_field(rest, h.host) || !next_field(rest, app) ||
      !next_field(rest, procid) || !next_field(rest, msgid))
    return std::nullopt;
  auto t = parse_rfc3339(stamp);
  if (!t) return std::nullopt;
  h.has_instant = true;
  h.instant = *t;
  // STRUCTURED-DATA: "-" or one or more "[id param="value" ...]" (values
  // escape '"', '\' and ']' with a backslash).
  if (rest.starts_with("-")) {
    rest.remove_prefix(1);
  } else {
    while (rest.starts_with("[")) {
      size_t i = 1;
      bool quoted = false;
      for (; i < rest.size(); ++i) {
        if (quoted && rest[i] == '\\') ++i;
        else if (rest[i] == '"') quoted = !quoted;
        else if (!quoted && rest[i] == ']') break;
      }
      if (i >= rest.size()) return std::nullopt;
      rest.remove_prefix(i + 1);
    }
  }
  // One space before MSG; rsyslog's legacy messages keep their own leading space.
  while (rest.starts_with(" ")) rest.remove_prefix(1);
  if (rest.starts_with("\xEF\xBB\xBF")) rest.remove_prefix(3);  // MSG's UTF-8 byte order mark
  h.message = rest;
  if (app == "-") return std::nullopt;
  h.program = app;
  h.tag = app;
  h.pid = procid == "-" ? std::string_view() : procid;
  return h;
}

}  // namespace

std::optional<SyslogHeader> parse_syslog_header(std::string_view line) {
  SyslogHeader h;
  if (line.size() >= 15 && line[3] == ' ' && (h.month = month_number(line.substr(0, 3))) != 0) {
    // "Nov 23 06:20:07 ", "Nov  3 06:20:07 ", "Nov 3 06:20:07 ", "Nov 23 06:20:07.185246 ".
    int d;
    size_t pos;
    if (line[4] == ' ' && line[5] >= '1' && line[5] <= '9' && line[6] == ' ') {
      d = line[5] - '0';
      pos = 7;
    } else if (digits(line, 4, 2, d) && line[6] == ' ') {
      pos = 7;
    } else if (line[4] >= '1' && line[4] <= '9' && line[5] == ' ') {
      d = line[4] - '0';
      pos = 6;
    } else {
      return std::nullopt;
    }
    if (d < 1 || d > 31) return std::nullopt;
    h.day = static_cast<unsigned>(d);
    pos = parse_clock(line, pos, h);
    if (pos == std::string_view::npos || pos >= line.size() || line[pos] != ' ') return std::nullopt;
    if (!parse_rest(line.substr(pos + 1), h)) return std::nullopt;
    return h;
  }
  if (line.size() > 20 && line[4] == '-' && (line[10] == 'T' || line[10] == 't')) {
    size_t sp = line.find(' ');
    if (sp == std::string_view::npos) return std::nullopt;
    auto t = parse_rfc3339(line.substr(0, sp));
    if (!t) return std::nullopt;
    h.has_instant = true;
    h.instant = *t;
    if (!parse_rest(line.substr(sp + 1), h)) return std::nullopt;
    return h;
  }
  if (line.size() > 28 && line[3] == ' ' && line[8] == '-' && line[11] == '-' && line[14] == ' ') {
    // journalctl -o short-full: "Tue 2023-03-14 00:00:31 CET host tag[pid]: message".
    int year, month, day;
    if (!digits(line, 4, 4, year) || !digits(line, 9, 2, month) || !digits(line, 12, 2, day)) return std::nullopt;
    size_t pos = parse_clock(line, 15, h);
    if (pos == std::string_view::npos || pos >= line.size() || line[pos] != ' ') return std::nullopt;
    size_t zone_end = line.find(' ', pos + 1);
    if (zone_end == std::string_view::npos) return std::nullopt;
    std::string_view zone = line.substr(pos + 1, zone_end - pos - 1);
    CivilDate date{year, static_cast<unsigned>(month), static_cast<unsigned>(day)};
    if (!valid_civil(date)) return std::nullopt;
    if (zone == "UTC" || zone == "GMT") {
      h.has_instant = true;
      h.instant = start_of_day(days_from_civil(date)) + h.hour * 3600 + h.minute * 60 + h.second;
    } else {
      // A zone abbreviation (CET, EST) names no offset reliably: the civil
      // time is read in -TimeZone (else the machine's zone).
      h.year = year;
      h.month = static_cast<unsigned>(month);
      h.day = static_cast<unsigned>(day);
    }
    if (!parse_rest(line.substr(zone_end + 1), h)) return std::nullopt;
    return h;
  }
  if (line.size() > 8 && line[0] == '<') return parse_rfc5424(line);
  return std::nullopt;
}

SyslogClock::SyslogClock(std::optional<int> year, UnixSeconds reference, LocalTimeZone zone)
    : year_(year), reference_(reference), zone_(std::move(zone)) {}

UnixSeconds SyslogClock::local_minute(int year, unsigned month, unsigned day, int hour, int minute, bool& valid) {
  Minute& m = minute_;
  if (m.year == year && m.month == month && m.day == day && m.hour == hour && m.minute == minute) {
    valid = true;
    return m.start;
  }
  CivilDate date{year, month, day};
  valid = valid_civil(date);
  if (!valid) return 0;
  // LocalTimeZone::to_utc is the wall clock less the offset of the date's
  // hour: second 0 of the minute, plus the seconds, is the same instant.
  m = Minute{year, month, day, hour, minute, zone_.to_utc(date, hour, minute, 0)};
  return m.start;
}

std::optional<UnixSeconds> SyslogClock::to_utc(const SyslogHeader& h) {
  if (h.has_instant) return h.instant;
  bool valid = false;
  if (h.year != 0) {
    UnixSeconds start = local_minute(h.year, h.month, h.day, h.hour, h.minute, valid);
    if (!valid) return std::nullopt;
    return start + h.second;
  }
  if (!year_) {
    CivilDate ref = civil_from_days(day_of(reference_));
    year_ = h.month > ref.month ? ref.year - 1 : ref.year;
  } else if (last_month_ != 0 && h.month + 6 <= last_month_) {
    // December to January (or any jump back of half a year or more): a new
    // year. A small step back is lines written out of order, not a new year.
    ++*year_;
  }
  last_month_ = h.month;
  UnixSeconds start = local_minute(*year_, h.month, h.day, h.hour, h.minute, valid);
  if (!valid) return std::nullopt;  // Feb 29 in a year that has none
  return start + h.second;
}

}  // namespace mailflow
