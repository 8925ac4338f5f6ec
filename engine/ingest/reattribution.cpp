#include "ingest/reattribution.h"

#include <string>
#include <vector>

#include "ingest/connector_attribution.h"
#include "ingest/trace_reader.h"
#include "store/connector_store.h"

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
  std::string sql =
      "SELECT t.id, t.received, t.direction, t.connector, t.tls, t.cipher, t.sender, t.recipient,"
      " t.remote_host, t.remote_ip, t.size, t.status, t.message_id"
      " FROM traces t JOIN imported_files f ON f.id = t.file_id"
      " WHERE t.received >= ?1 AND t.received < ?2 AND t.id > ?3 AND f.format IN (";
  for (size_t i = 0; i < formats.size(); ++i) sql += (i ? ", ?" : "?") + std::to_string(i + 4);
  sql += ") ORDER BY t.id LIMIT 5000";
  std::int64_t last_id = 0;
  for (;;) {
    std::vector<std::pair<std::int64_t, Trace>> chunk;
    {
      StatementUse s(store.db().cached("reattribute.chunk", sql));
      s->bind(1, start).bind(2, end).bind(3, last_id);
      for (size_t i = 0; i < formats.size(); ++i) s->bind(static_cast<int>(i + 4), formats[i]);
      while (s->step()) {
        Trace t;
        t.received = s->column_int(1);
        t.direction = s->column_int(2) == 0 ? Direction::Inbound : Direction::Outbound;
        t.connector = s->column_optional_text(3);
        t.tls = static_cast<TlsVersion>(s->column_int(4));
        t.cipher = s->column_optional_text(5);
        t.sender = s->column_text(6);
        t.recipient = s->column_text(7);
        t.remote_host = s->column_optional_text(8);
        t.remote_ip = s->column_optional_text(9);
        t.size = s->column_int(10);
        t.status = s->column_text(11);
        t.message_id = s->column_optional_text(12);
        chunk.emplace_back(s->column_int(0), std::move(t));
      }
    }
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
