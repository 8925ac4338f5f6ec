#include "ingest/jsonl_reader.h"

#include "core/text.h"
#include "ingest/canonical_record.h"

namespace mailflow {

namespace {

constexpr int kMaxDepth = 64;

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool JsonObjectParser::fail(std::string& error, const std::string& what) {
  error = what + " at column " + std::to_string(p_ + 1);
  return false;
}

void JsonObjectParser::skip_ws() {
  while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\t' || s_[p_] == '\r' || s_[p_] == '\n'))
    ++p_;
}

bool JsonObjectParser::parse_object_members(std::string& error) {
  skip_ws();
  if (p_ >= s_.size() || s_[p_] != '{') return fail(error, "expected '{'");
  ++p_;
  skip_ws();
  if (p_ < s_.size() && s_[p_] == '}') {
    ++p_;
  } else {
    for (;;) {
      skip_ws();
      if (p_ >= s_.size() || s_[p_] != '"') return fail(error, "expected a key string");
      if (!parse_string(key_, error)) return false;
      skip_ws();
      if (p_ >= s_.size() || s_[p_] != ':') return fail(error, "expected ':'");
      ++p_;
      skip_ws();
      if (!parse_value(&value_, 1, error)) return false;
      if (!invoke_(callback_, key_, value_, error)) return false;
      skip_ws();
      if (p_ < s_.size() && s_[p_] == ',') {
        ++p_;
        continue;
      }
      if (p_ < s_.size() && s_[p_] == '}') {
        ++p_;
        break;
      }
      return fail(error, "expected ',' or '}'");
    }
  }
  skip_ws();
  if (p_ != s_.size()) return fail(error, "unexpected text after the object");
  return true;
}

// `out` is null while skipping values nested inside arrays and objects.
bool JsonObjectParser::parse_value(JsonScalar* out, int depth, std::string& error) {
  if (depth > kMaxDepth) return fail(error, "nesting deeper than " + std::to_string(kMaxDepth));
  if (p_ >= s_.size()) return fail(error, "expected a value");
  char c = s_[p_];
  if (c == '"') {
    std::string scratch;
    if (out) out->kind = JsonScalar::Kind::String;
    return parse_string(out ? out->text : scratch, error);
  }
  if (c == '-' || (c >= '0' && c <= '9')) {
    if (out) out->kind = JsonScalar::Kind::Number;
    return parse_number(out ? &out->text : nullptr, error);
  }
  if (c == 't' || c == 'f') {
    std::string_view word = c == 't' ? "true" : "false";
    if (out) {
      out->kind = JsonScalar::Kind::Bool;
      out->text.assign(word);
    }
    return parse_literal(word, error);
  }
  if (c == 'n') {
    if (out) {
      out->kind = JsonScalar::Kind::Null;
      out->text.clear();
    }
    return parse_literal("null", error);
  }
  if (c == '[' || c == '{') {
    if (out) {
      out->kind = JsonScalar::Kind::Composite;
      out->text.clear();
    }
    const char close = c == '[' ? ']' : '}';
    ++p_;
    skip_ws();
    if (p_ < s_.size() && s_[p_] == close) {
      ++p_;
      return true;
    }
    std::string scratch;
    for (;;) {
      skip_ws();
      if (close == '}') {
        if (p_ >= s_.size() || s_[p_] != '"') return fail(error, "expected a key string");
        if (!parse_string(scratch, error)) return false;
        skip_ws();
        if (p_ >= s_.size() || s_[p_] != ':') return fail(error, "expected ':'");
        ++p_;
        skip_ws();
      }
      if (!parse_value(nullptr, depth + 1, error)) return false;
      skip_ws();
      if (p_ < s_.size() && s_[p_] == ',') {
        ++p_;
        continue;
      }
      if (p_ < s_.size() && s_[p_] == close) {
        ++p_;
        return true;
      }
      return fail(error, std::string("expected ',' or '") + close + "'");
    }
  }
  return fail(error, "expected a value");
}

bool JsonObjectParser::parse_literal(std::string_view word, std::string& error) {
  if (s_.substr(p_, word.size()) != word) return fail(error, "expected a value");
  p_ += word.size();
  return true;
}

bool JsonObjectParser::parse_number(std::string* out, std::string& error) {
  std::size_t start = p_;
  auto digit = [&](std::size_t i) { return i < s_.size() && s_[i] >= '0' && s_[i] <= '9'; };
  if (s_[p_] == '-') ++p_;
  if (!digit(p_)) return fail(error, "bad number");
  if (s_[p_] == '0') ++p_;
  else
    while (digit(p_)) ++p_;
  if (p_ < s_.size() && s_[p_] == '.') {
    ++p_;
    if (!digit(p_)) return fail(error, "bad number");
    while (digit(p_)) ++p_;
  }
  if (p_ < s_.size() && (s_[p_] == 'e' || s_[p_] == 'E')) {
    ++p_;
    if (p_ < s_.size() && (s_[p_] == '+' || s_[p_] == '-')) ++p_;
    if (!digit(p_)) return fail(error, "bad number");
    while (digit(p_)) ++p_;
  }
  if (out) out->assign(s_.substr(start, p_ - start));
  return true;
}

// At an opening quote. Decodes every RFC 8259 escape; \uD83D\uDE00 pairs
// become one code point, a lone surrogate is an error (it has no UTF-8 form).
bool JsonObjectParser::parse_string(std::string& out, std::string& error) {
  out.clear();
  ++p_;
  for (;;) {
    std::size_t run = p_;
    while (run < s_.size() && s_[run] != '"' && s_[run] != '\\' &&
           static_cast<unsigned char>(s_[run]) >= 0x20)
      ++run;
    out.append(s_.substr(p_, run - p_));
    p_ = run;
    if (p_ >= s_.size()) return fail(error, "unterminated string");
    char c = s_[p_];
    if (c == '"') {
      ++p_;
      return true;
    }
    if (c != '\\') return fail(error, "control character in string");
    if (p_ + 1 >= s_.size()) return fail(error, "unterminated string");
    char e = s_[p_ + 1];
    p_ += 2;
    switch (e) {
      case '"': out.push_back('"'); break;
      case '\\': out.push_back('\\'); break;
      case '/': out.push_back('/'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'u': {
        auto read_hex4 = [&](std::uint32_t& v) {
          if (p_ + 4 > s_.size()) return false;
          v = 0;
          for (int k = 0; k < 4; ++k) {
            int h = hex_value(s_[p_ + k]);
            if (h < 0) return false;
            v = v * 16 + static_cast<std::uint32_t>(h);
          }
          p_ += 4;
          return true;
        };
        std::uint32_t cp;
        if (!read_hex4(cp)) return fail(error, "bad \\u escape");
        if (cp >= 0xDC00 && cp <= 0xDFFF) return fail(error, "unpaired surrogate in \\u escape");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          std::uint32_t low;
          if (p_ + 2 > s_.size() || s_[p_] != '\\' || s_[p_ + 1] != 'u')
            return fail(error, "unpaired surrogate in \\u escape");
          p_ += 2;
          if (!read_hex4(low)) return fail(error, "bad \\u escape");
          if (low < 0xDC00 || low > 0xDFFF) return fail(error, "unpaired surrogate in \\u escape");
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        append_utf8(out, cp);
        break;
      }
      default:
        p_ -= 2;  // point at the backslash
        return fail(error, std::string("bad escape '\\") + e + "'");
    }
  }
}

JsonlReader::JsonlReader(ReaderOptions options) : options_(std::move(options)) {}

bool JsonlReader::looks_like(const std::vector<std::string>& head) {
  if (head.empty()) return false;
  std::string_view first = trim(head.front());
  return !first.empty() && first.front() == '{';
}

void JsonlReader::line(std::string_view text, std::int64_t number, ReaderSink& sink) {
  if (trim(text).empty()) return;
  if (!valid_utf8(text)) {
    sink.reject(number, "invalid UTF-8", text);
    return;
  }
  bool present[kCanonicalKeyCount] = {};
  bool is_null[kCanonicalKeyCount] = {};
  std::string error;
  bool ok = parser_.parse(
      text,
      [&](const std::string& key, const JsonScalar& value, std::string& err) {
        auto k = find_canonical_key(key);
        if (!k) return true;  // keys we do not know are ignored
        int i = static_cast<int>(*k);
        if (present[i]) {
          err = "duplicate key '" + std::string(canonical_key_name(*k)) + "'";
          return false;
        }
        present[i] = true;
        if (value.kind == JsonScalar::Kind::Composite) {
          err = "value of '" + std::string(canonical_key_name(*k)) + "' is not a string or number";
          return false;
        }
        is_null[i] = value.kind == JsonScalar::Kind::Null;
        values_[i] = value.text;
        return true;
      },
      error);
  if (!ok) {
    sink.reject(number, "bad JSON: " + error, text);
    return;
  }
  if (text.size() > kMaxRecordBytes) {
    sink.reject(number, "record longer than " + std::to_string(kMaxRecordBytes) + " bytes", text);
    return;
  }
  CanonicalFields fields{};
  for (int i = 0; i < kCanonicalKeyCount; ++i)
    if (present[i] && !is_null[i]) fields[i] = std::string_view(values_[i]);
  Trace trace;
  std::string reason;
  if (make_canonical_trace(fields, options_, trace, reason)) sink.trace(trace, number);
  else sink.reject(number, reason, text);
}

}  // namespace mailflow
