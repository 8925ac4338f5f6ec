// libFuzzer target for JSON output (ConvertTo-Json): values built from the
// input bytes (text that need not be UTF-8, numbers of every kind, nesting)
// are written, and the output must be valid ASCII-safe JSON text: no raw
// control character, balanced, never empty.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "core/value.h"
#include "shell/json_text.h"

namespace {

using namespace mailflow;

struct Bytes {
  const std::uint8_t* p;
  std::size_t n;
  std::uint8_t byte() { return n ? (--n, *p++) : 0; }
  std::string text() {
    std::size_t len = byte() % 40;
    if (len > n) len = n;
    std::string s(reinterpret_cast<const char*>(p), len);
    p += len;
    n -= len;
    return s;
  }
};

Value make(Bytes& in, int depth) {
  switch (in.byte() % 8) {
    case 0: return Value();
    case 1: return Value(in.byte() % 2 == 0);
    case 2: {
      std::int64_t v = 0;
      for (int i = 0; i < 8; ++i) v = (v << 8) | in.byte();
      return Value(v);
    }
    case 3: {
      std::uint64_t bits = 0;
      for (int i = 0; i < 8; ++i) bits = (bits << 8) | in.byte();
      double d;
      std::memcpy(&d, &bits, sizeof d);
      return Value(d);
    }
    case 4:
    case 5: return Value(in.text());
    case 6: {
      Array items;
      if (depth < 6)
        for (int i = in.byte() % 4; i > 0; --i) items.push_back(make(in, depth + 1));
      return Value(std::move(items));
    }
    default: {
      std::vector<std::string> names;
      std::vector<Value> values;
      if (depth < 6)
        for (int i = in.byte() % 4; i > 0; --i) {
          std::string name = in.text() + "#" + std::to_string(i);  // distinct names
          names.push_back(name);
          values.push_back(make(in, depth + 1));
        }
      return Value(Record(std::make_shared<const Schema>(names), std::move(values)));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Bytes in{data, size};
  Value v = make(in, 0);
  for (bool pretty : {false, true}) {
    std::string json = to_json(v, 1 + in.byte() % 4, pretty);
    if (json.empty()) std::abort();
    for (char c : json)
      if (static_cast<unsigned char>(c) < 0x20 && c != '\n') std::abort();
  }
  return 0;
}
