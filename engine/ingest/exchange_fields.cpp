#include "ingest/exchange_fields.h"

#include "core/text.h"

namespace mailflow {

namespace {

bool digits(std::string_view s, int& out) {
  if (s.empty() || s.size() > 4) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

// "11/17/2026 2:55:12 AM" or "11/17/2026 14:55:12".
std::optional<UnixSeconds> parse_us_time(std::string_view t, int offset) {
  auto sp = t.find(' ');
  if (sp == std::string_view::npos) return std::nullopt;
  std::string_view date = t.substr(0, sp), rest = trim(t.substr(sp + 1));
  auto s1 = date.find('/'), s2 = date.rfind('/');
  if (s1 == std::string_view::npos || s1 == s2) return std::nullopt;
  int month, day, year;
  if (!digits(date.substr(0, s1), month) || !digits(date.substr(s1 + 1, s2 - s1 - 1), day) ||
      !digits(date.substr(s2 + 1), year) || date.substr(s2 + 1).size() != 4)
    return std::nullopt;
  std::string_view clock = rest, ampm;
  if (auto sp2 = rest.find(' '); sp2 != std::string_view::npos) {
    clock = rest.substr(0, sp2);
    ampm = trim(rest.substr(sp2 + 1));
  }
  auto c1 = clock.find(':'), c2 = clock.rfind(':');
  if (c1 == std::string_view::npos || c1 == c2) return std::nullopt;
  int h, m, s;
  if (!digits(clock.substr(0, c1), h) || !digits(clock.substr(c1 + 1, c2 - c1 - 1), m) ||
      !digits(clock.substr(c2 + 1), s))
    return std::nullopt;
  if (!ampm.empty()) {
    if (h < 1 || h > 12) return std::nullopt;
    if (iequals(ampm, "AM")) h = h == 12 ? 0 : h;
    else if (iequals(ampm, "PM")) h = h == 12 ? 12 : h + 12;
    else return std::nullopt;
  }
  CivilDate cd{year, static_cast<unsigned>(month), static_cast<unsigned>(day)};
  if (!valid_civil(cd) || h > 23 || m > 59 || s > 59) return std::nullopt;
  return start_of_day(days_from_civil(cd)) + h * 3600 + m * 60 + s - offset;
}

}  // namespace

std::optional<UnixSeconds> parse_exchange_time(std::string_view text, int utc_offset_seconds) {
  std::string_view t = trim(text);
  if (t.empty()) return std::nullopt;
  // \/Date(1795075331483)\/ (the JSON decoder has already turned "\/" into "/").
  std::string_view d = t;
  if (d.starts_with("\\/")) d.remove_prefix(1);
  if (d.starts_with("/Date(")) {
    d.remove_prefix(6);
    std::size_t end = d.find(')');
    if (end == std::string_view::npos || end == 0) return std::nullopt;
    std::string_view ms = d.substr(0, end);
    // An offset suffix "+0100" only says how the producer displayed it.
    if (std::size_t z = ms.find_first_of("+-", 1); z != std::string_view::npos) ms = ms.substr(0, z);
    bool negative = ms.starts_with('-');
    if (negative) ms.remove_prefix(1);
    if (ms.empty() || ms.size() > 16) return std::nullopt;
    std::int64_t v = 0;
    for (char c : ms) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + (c - '0');
    }
    v /= 1000;
    return negative ? -v : v;
  }
  if (t.size() >= 10 && t[4] == '-' && t[7] == '-') {
    // ISO 8601; without an offset it is UTC as Exchange writes it, except
    // a bare local time from an export (rare) which -TimeZone shifts.
    bool has_offset = t.back() == 'Z' || t.back() == 'z' ||
                      (t.size() > 19 && (t.find('+', 19) != std::string_view::npos ||
                                         t.find('-', 19) != std::string_view::npos));
    auto v = parse_instant(t);
    if (!v) return std::nullopt;
    return has_offset ? *v : *v - utc_offset_seconds;
  }
  return parse_us_time(t, utc_offset_seconds);
}

std::string header_key(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : trim(name)) {
    if (c == '-' || c == '_' || c == ' ' || c == '"') continue;
    out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  return out;
}

std::vector<std::string> split_recipients(std::string_view list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(';', start);
    if (end == std::string_view::npos) end = list.size();
    std::string_view r = trim(list.substr(start, end - start));
    if (!r.empty()) out.emplace_back(r);
    start = end + 1;
  }
  return out;
}

std::string_view connector_name(std::string_view connector_id) {
  std::size_t bs = connector_id.find('\\');
  return bs == std::string_view::npos ? connector_id : connector_id.substr(bs + 1);
}

std::string_view session_id_of(std::string_view source_context) {
  std::size_t semi = source_context.find(';');
  std::string_view head = source_context.substr(0, semi);
  if (head.size() < 8 || head.size() > 32) return {};
  for (char c : head)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'))) return {};
  return head;
}

std::string session_key(std::string_view connector_id, std::string_view session_id) {
  return to_lower(trim(connector_id)) + "|" + std::string(session_id);
}

std::string outbound_proxy_key(std::string_view transport_session_id) {
  return session_key("Outbound Proxy", trim(transport_session_id));
}

std::string_view custom_data_value(std::string_view custom_data, std::string_view key) {
  std::size_t start = 0;
  while (start < custom_data.size()) {
    std::size_t end = custom_data.find(';', start);
    if (end == std::string_view::npos) end = custom_data.size();
    std::string_view item = trim(custom_data.substr(start, end - start));
    // "S:" (string), "I:" (integer), ... then Key=Value.
    if (item.size() > 2 && item[1] == ':') item.remove_prefix(2);
    std::size_t eq = item.find('=');
    if (eq != std::string_view::npos && iequals(item.substr(0, eq), key)) return trim(item.substr(eq + 1));
    start = end + 1;
  }
  return {};
}

}  // namespace mailflow
