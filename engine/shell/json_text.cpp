#include "shell/json_text.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "core/text.h"
#include "core/time.h"

namespace mailflow {

namespace {

void newline(std::string& out, bool pretty, int indent) {
  if (!pretty) return;
  out += '\n';
  out.append(static_cast<size_t>(indent) * 2, ' ');
}

void write(const Value& v, int levels_left, bool pretty, int indent, std::string& out) {
  if ((v.is_record() || v.is_array()) && levels_left < 0) {
    out += json_string(v.to_display());
    return;
  }
  switch (v.kind()) {
    case Value::Kind::Null: out += "null"; return;
    case Value::Kind::Bool: out += v.as_bool() ? "true" : "false"; return;
    case Value::Kind::Int: out += std::to_string(v.as_int()); return;
    case Value::Kind::Double: out += json_number(v.as_double()); return;
    case Value::Kind::String: out += json_string(v.as_string()); return;
    case Value::Kind::DateTime: out += json_string(format_instant(v.as_datetime().seconds)); return;
    case Value::Kind::Date: out += json_string(format_date(v.as_date().day)); return;
    case Value::Kind::Array: {
      const Array& a = v.as_array();
      if (a.empty()) { out += "[]"; return; }
      out += '[';
      for (size_t i = 0; i < a.size(); ++i) {
        if (i) out += ',';
        newline(out, pretty, indent + 1);
        write(a[i], levels_left - 1, pretty, indent + 1, out);
      }
      newline(out, pretty, indent);
      out += ']';
      return;
    }
    case Value::Kind::Record: {
      const Record& r = v.as_record();
      if (r.size() == 0) { out += "{}"; return; }
      out += '{';
      for (size_t i = 0; i < r.size(); ++i) {
        if (i) out += ',';
        newline(out, pretty, indent + 1);
        out += json_string(r.name(i));
        out += pretty ? ": " : ":";
        write(r.value(i), levels_left - 1, pretty, indent + 1, out);
      }
      newline(out, pretty, indent);
      out += '}';
      return;
    }
  }
}

}  // namespace

std::string json_number(double d) {
  if (!std::isfinite(d)) return "null";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  (void)ec;  // 64 bytes always hold the shortest form of a double
  return std::string(buf, end);
}

std::string json_string(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (size_t i = 0; i < text.size();) {
    // Runs of printable ASCII other than the quote and backslash are copied as they are.
    size_t run = i;
    while (run < text.size()) {
      unsigned char r = static_cast<unsigned char>(text[run]);
      if (r < 0x20 || r >= 0x80 || r == '"' || r == '\\') break;
      ++run;
    }
    if (run > i) {
      out.append(text.substr(i, run - i));
      i = run;
      continue;
    }
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      size_t len = utf8_sequence_length(text, i);
      if (len == 0) {
        out += "\\ufffd";
        ++i;
      } else {
        out.append(text.substr(i, len));
        i += len;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
  return out;
}

std::string to_json(const Value& value, int depth, bool pretty, int indent) {
  std::string out;
  write(value, depth, pretty, indent, out);
  return out;
}

}  // namespace mailflow
