#include "ingest/syslog_header.h"

namespace mailflow {

namespace {

bool two_digits(std::string_view s, size_t pos, int& out) {
  if (pos + 2 > s.size()) return false;
  char a = s[pos], b = s[pos + 1];
  if (a < '0' || a > '9' || b < '0' || b > '9') return false;
  out = (a - '0') * 10 + (b - '0');
  return true;
}

unsigned month_number(std::string_view m) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (unsigned i = 0; i < 12; ++i)
    if (m == kMonths[i]) return i + 1;
  return 0;
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
  h.tag = rest.substr(0, colon);
  h.message = colon + 2 <= rest.size() ? rest.substr(colon + 2) : std::string_view();
  h.program = h.tag;
  if (!h.tag.empty() && h.tag.back() == ']') {
    size_t open = h.tag.rfind('[');
    if (open == std::string_view::npos) return false;
    h.program = h.tag.substr(0, open);
  }
  return !h.program.empty() && h.program.find(' ') == std::string_view::npos;
}

}  // namespace

std::optional<SyslogHeader> parse_syslog_header(std::string_view line) {
  SyslogHeader h;
  if (line.size() >= 16 && line[3] == ' ' && line[6] == ' ' && line[9] == ':' && line[12] == ':' &&
      line[15] == ' ') {
    // "Nov 23 06:20:07 " (the day may be space-padded: "Nov  3").
    h.month = month_number(line.substr(0, 3));
    int d;
    if (line[4] == ' ' && line[5] >= '1' && line[5] <= '9') d = line[5] - '0';
    else if (!two_digits(line, 4, d)) return std::nullopt;
    h.day = static_cast<unsigned>(d);
    if (h.month == 0 || d < 1 || d > 31 || !two_digits(line, 7, h.hour) || !two_digits(line, 10, h.minute) ||
        !two_digits(line, 13, h.second) || h.hour > 23 || h.minute > 59 || h.second > 60)
      return std::nullopt;
    if (!parse_rest(line.substr(16), h)) return std::nullopt;
    return h;
  }
  if (line.size() > 20 && line[4] == '-' && line[10] == 'T') {
    size_t sp = line.find(' ');
    if (sp == std::string_view::npos) return std::nullopt;
    auto t = parse_instant(line.substr(0, sp));
    if (!t) return std::nullopt;
    h.has_instant = true;
    h.instant = *t;
    if (!parse_rest(line.substr(sp + 1), h)) return std::nullopt;
    return h;
  }
  return std::nullopt;
}

SyslogClock::SyslogClock(std::optional<int> year, UnixSeconds reference, LocalTimeZone zone)
    : year_(year), reference_(reference), zone_(std::move(zone)) {}

std::optional<UnixSeconds> SyslogClock::to_utc(const SyslogHeader& h) {
  if (h.has_instant) return h.instant;
  if (!year_) {
    CivilDate ref = civil_from_days(day_of(reference_));
    year_ = h.month > ref.month ? ref.year - 1 : ref.year;
  } else if (last_month_ != 0 && h.month + 6 <= last_month_) {
    // December to January (or any jump back of half a year or more): a new
    // year. A small step back is lines written out of order, not a new year.
    ++*year_;
  }
  last_month_ = h.month;
  CivilDate date{*year_, h.month, h.day};
  if (!valid_civil(date)) return std::nullopt;  // Feb 29 in a year that has none
  return zone_.to_utc(date, h.hour, h.minute, h.second);
}

}  // namespace mailflow
