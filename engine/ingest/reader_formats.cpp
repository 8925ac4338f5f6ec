#include "core/error.h"
#include "core/text.h"
#include "ingest/importer.h"
#include "ingest/csv_reader.h"
#include "ingest/exchange_connector_report_reader.h"
#include "ingest/exchange_online_reader.h"
#include "ingest/exchange_protocol_reader.h"
#include "ingest/exchange_tracking_reader.h"
#include "ingest/jsonl_reader.h"
#include "ingest/postfix_reader.h"
#include "ingest/trace_reader.h"

namespace mailflow {

namespace {

// The canonical formats carry offsets in their timestamps; -TimeZone only
// fills in for timestamps written without one, and must be a fixed offset.
ReaderOptions canonical_options(const ReaderOptions& o, const char* format) {
  if (o.time_zone && !parse_utc_offset(*o.time_zone))
    throw Error("InvalidTimeZone", std::string("-TimeZone '") + *o.time_zone + "': the " + format +
                                       " format takes a fixed offset such as +01:00, -0500 or UTC");
  return o;
}

}  // namespace

// Every import format, in detection order: one line per format, each with
// its reader (reader_formats_test checks that none lacks one). The Exchange formats go first: they know their headers
// exactly (#Log-type lines, Export-Csv and message-trace column names).
// Postfix next: it takes only lines of Postfix's daemons (and journald's
// JSON records of them, which Jsonl would claim); then Jsonl: a line
// starting with '{' is never a CSV header.
const std::vector<ReaderFormat>& reader_formats() {
  static const std::vector<ReaderFormat> formats = {
      {"ExchangeTracking", true, ExchangeTrackingReader::looks_like,
       [](const ReaderOptions& o) { return std::make_unique<ExchangeTrackingReader>(o); }},
      {"ExchangeProtocol", true, ExchangeProtocolReader::looks_like,
       [](const ReaderOptions& o) { return std::make_unique<ExchangeProtocolReader>(o); }},
      {"ExchangeOnline", false, ExchangeOnlineReader::looks_like,
       [](const ReaderOptions& o) { return std::make_unique<ExchangeOnlineReader>(o); }},
      {"Postfix", true, PostfixReader::looks_like,
       [](const ReaderOptions& o) { return std::make_unique<PostfixReader>(o); }},
      {"Jsonl", false, JsonlReader::looks_like,
       [](const ReaderOptions& o) { return std::make_unique<JsonlReader>(canonical_options(o, "Jsonl")); }},
      {"Csv", false, CsvReader::looks_like,
       [](const ReaderOptions& o) { return std::make_unique<CsvReader>(canonical_options(o, "Csv")); }},
      {"ExchangeConnectorReport", false, ExchangeConnectorReportReader::looks_like,
       [](const ReaderOptions& o) { return std::make_unique<ExchangeConnectorReportReader>(o); }},
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
