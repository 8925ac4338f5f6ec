#include "render/html_text.h"

#include <cmath>
#include <cstdio>

#include "core/terminal.h"
#include "core/text.h"

namespace mailflow {

namespace {

// Length of the UTF-8 sequence at s[i] that HTML text may hold, or 0: well
// formed (core/text.h), and neither a C1 control, a bidi control nor a
// noncharacter.
size_t html_sequence_length(std::string_view s, size_t i) {
  char32_t cp = 0;
  size_t len = utf8_sequence_length(s, i, &cp);
  if ((cp >= 0x80 && cp <= 0x9F) || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) return 0;
  // Bidi overrides (U+202E) would make a connector name read reversed.
  if (is_bidi_control(cp)) return 0;
  return len;
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (size_t i = 0; i < text.size();) {
    // Runs of printable ASCII that need no escape are copied at once.
    size_t run = i;
    while (run < text.size()) {
      unsigned char c = static_cast<unsigned char>(text[run]);
      if (c < 0x20 || c >= 0x7F || c == '&' || c == '<' || c == '>' || c == '"' || c == '\'') break;
      ++run;
    }
    if (run > i) {
      out.append(text, i, run - i);
      i = run;
      continue;
    }
    size_t len = html_sequence_length(text, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      // A well-formed but refused character (C1, bidi control) is one
      // replacement; a byte that is not UTF-8 is one each.
      size_t whole = utf8_sequence_length(text, i);
      i += whole > 0 ? whole : 1;
      continue;
    }
    if (len > 1) {
      out.append(text, i, len);
      i += len;
      continue;
    }
    char c = text[i++];
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\t':
      case '\n': out += c; break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F) out += c;
    }
  }
  return out;
}

std::string format_percent(double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", value);
  return buf;
}

std::string format_count(std::int64_t value) { return std::to_string(value); }

std::string format_coord(double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", std::round(value * 100) / 100);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

}  // namespace mailflow
