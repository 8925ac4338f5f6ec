// Feeds text to a TraceReader the way the importer does (lines split at
// "\n", a trailing "\r" and a leading byte order mark removed) and keeps
// what the reader emits.
#pragma once

#include <string>
#include <vector>

#include "ingest/trace_reader.h"

namespace mailflow::testing {

struct CollectedReject {
  std::int64_t line;
  std::string reason;
  std::string text;
};

class CollectingSink : public ReaderSink {
 public:
  void trace(const Trace& t, std::int64_t line) override {
    traces.push_back(t);
    trace_lines.push_back(line);
  }
  void reject(std::int64_t line, std::string_view reason, std::string_view text) override {
    rejects.push_back({line, std::string(reason), std::string(text)});
  }
  void refused(const RefusedConnection& r, std::int64_t) override { refusals.push_back(r); }

  std::vector<Trace> traces;
  std::vector<std::int64_t> trace_lines;
  std::vector<CollectedReject> rejects;
  std::vector<RefusedConnection> refusals;
};

inline void feed(TraceReader& reader, std::string text, CollectingSink& sink) {
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  std::int64_t number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    std::size_t end = nl == std::string::npos ? text.size() : nl;
    std::string_view line(text.data() + start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    reader.line(line, ++number, sink);
    start = end + 1;
  }
  reader.finish(sink);
}

}  // namespace mailflow::testing
