#include "ingest/reattribution.h"

#include <string>
#include <vector>

#include "ingest/connector_attribution.h"
#include "ingest/trace_reader.h"
#include "store/connector_store.h"
#include "store/trace_query.h"

namespace mailflow {

namespace {

// '"Postfix","ExchangeTracking"' for an IN list: the names come from the
// format table, never from the user, and are bound as values below.
std::vector<std::string> log_format_names() {
  std::vector<std::string> out;
  for (const ReaderFormat& f : reader_formats())
    if (f.log_format) out.push_back(f.name);
  return out;
}

}  // namespace

ReattributionSummary reattribute_connectors(TraceStore& store, UnixSeconds start, UnixSeconds end) {
  ConnectorAttribution attribution(ConnectorStore(store).list());
  std::vector<std::string> formats = log_format_names();
  ReattributionSummary summary;
  TraceWriter writer(store);
  // In id order, a chunk at a time, so that memory stays bounded and the
  // UPDATEs never disturb the cursor of the SELECT.
  std::int64_t last_id = 0;
  for (;;) {
    std::vector<std::pair<std::int64_t, Trace>> chunk =
        traces_imported_as(store, formats, start, end, last_id, 5000);
    if (chunk.empty()) break;
    last_id = chunk.back().first;
    for (const auto& [id, t] : chunk) {
      ++summary.examined;
      std::optional<std::string> now = attribution.attribute(t);
      if (now == t.connector) continue;
      writer.set_connector(id, t, now);
      ++summary.changed;
    }
  }
  writer.commit();
  return summary;
}

}  // namespace mailflow
