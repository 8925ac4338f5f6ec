#include "core/text.h"
#include "ingest/csv_reader.h"
#include "ingest/jsonl_reader.h"
#include "ingest/trace_reader.h"

namespace mailflow {

// Every import format, in detection order: one line per format. A format
// whose reader is not written yet has no `make`; Import-MessageTrace then
// says so by name. Jsonl goes first: a line starting with '{' is never a
// CSV header.
const std::vector<ReaderFormat>& reader_formats() {
  static const std::vector<ReaderFormat> formats = {
      {"Jsonl", false, JsonlReader::looks_like,
       [](const ReaderOptions& o) { return std::make_unique<JsonlReader>(o); }},
      {"Csv", false, CsvReader::looks_like,
       [](const ReaderOptions& o) { return std::make_unique<CsvReader>(o); }},
      {"Postfix", true, nullptr, nullptr},
      {"ExchangeTracking", true, nullptr, nullptr},
      {"ExchangeOnline", false, nullptr, nullptr},
  };
  return formats;
}

const ReaderFormat* find_reader_format(std::string_view name) {
  for (const ReaderFormat& f : reader_formats())
    if (iequals(f.name, name)) return &f;
  return nullptr;
}

const ReaderFormat* detect_reader_format(const std::vector<std::string>& head) {
  for (const ReaderFormat& f : reader_formats())
    if (f.detect && f.make && f.detect(head)) return &f;
  return nullptr;
}

}  // namespace mailflow
