// JSON Lines (SPEC section 4): one JSON object per line whose keys are the
// canonical keys (case-insensitive); other keys are ignored.
//
//   {"received":"2026-11-16T08:15:02+01:00","direction":"inbound","tls":"TLSv1.2",...}
//
// The object parser is our own, small and strict (RFC 8259): strings with
// every escape including \uXXXX surrogate pairs, numbers, true/false/null,
// nested arrays and objects (only allowed under keys we ignore), nothing
// after the closing brace but white space.
#pragma once

#include <string>
#include <type_traits>
#include <vector>

#include "core/trace_fields.h"
#include "ingest/trace_reader.h"

namespace mailflow {

// One top-level member value of a JSON object line.
struct JsonScalar {
  enum class Kind { Null, String, Number, Bool, Composite } kind = Kind::Null;
  std::string text;  // decoded string, number as written, "true"/"false"
};

// Parses `line` as one JSON object, calling `member(key, value)` for every
// top-level member in order. Returns false with `error` set (e.g. "expected
// ':' at column 12") when the line is not one well-formed JSON object.
// Nesting deeper than 64 levels is refused.
class JsonObjectParser {
 public:
  template <typename F>
  bool parse(std::string_view line, F&& member, std::string& error);

 private:
  bool parse_object_members(std::string& error);
  bool parse_value(JsonScalar* out, int depth, std::string& error);
  bool parse_string(std::string& out, std::string& error);
  bool parse_number(std::string* out, std::string& error);
  bool parse_literal(std::string_view word, std::string& error);
  bool fail(std::string& error, const std::string& what);
  void skip_ws();

  std::string_view s_;
  std::size_t p_ = 0;
  std::string key_;
  JsonScalar value_;
  // Type-erased member callback for the non-template body.
  void* callback_ = nullptr;
  bool (*invoke_)(void*, const std::string&, const JsonScalar&, std::string&) = nullptr;
};

template <typename F>
bool JsonObjectParser::parse(std::string_view line, F&& member, std::string& error) {
  s_ = line;
  p_ = 0;
  callback_ = &member;
  invoke_ = [](void* cb, const std::string& k, const JsonScalar& v, std::string& err) -> bool {
    return (*static_cast<std::remove_reference_t<F>*>(cb))(k, v, err);
  };
  return parse_object_members(error);
}

class JsonlReader : public TraceReader {
 public:
  explicit JsonlReader(ReaderOptions options);
  void line(std::string_view text, std::int64_t number, ReaderSink& sink) override;
  void finish(ReaderSink&) override {}

  // Detection: the first non-empty line starts with '{'.
  static bool looks_like(const std::vector<std::string>& head);

 private:
  ReaderOptions options_;
  JsonObjectParser parser_;
  std::string values_[kTraceFieldCount];  // decoded values of the canonical keys
};

}  // namespace mailflow
