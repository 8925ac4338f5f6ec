#include "store/trace_query.h"

namespace mailflow {

std::string trace_query_sql(const TraceQuery& q) {
  // Parameters are numbered in the order the clauses are appended; see
  // prepare_trace_query, which binds in the same order.
  std::string sql =
      "SELECT received, direction, connector, tls, cipher, sender, recipient, remote_host,"
      " remote_ip, size, status, message_id FROM traces WHERE received >= ? AND received < ?";
  if (q.direction) sql += " AND direction = ?";
  if (q.no_connector) {
    sql += " AND connector IS NULL";
  } else if (q.connectors.size() == 1) {
    sql += " AND connector = ?";
  } else if (!q.connectors.empty()) {
    sql += " AND connector IN (?";
    for (size_t i = 1; i < q.connectors.size(); ++i) sql += ", ?";
    sql += ")";
  }
  if (q.tls) sql += " AND tls = ?";
  // lower() folds ASCII only, as PowerShell's -like does for these addresses.
  for (size_t i = 0; i < q.sender_globs.size(); ++i) sql += " AND lower(sender) GLOB ?";
  for (size_t i = 0; i < q.recipient_globs.size(); ++i) sql += " AND lower(recipient) GLOB ?";
  if (q.status) sql += " AND status = ? COLLATE NOCASE";
  // Newest first is the order of both indexes read backwards
  // (traces_received_fingerprint, traces_connector_received), so rows stream
  // without a sort. Records of the same second come in index order: fixed for
  // a given query, so pages neither overlap nor skip.
  sql += " ORDER BY received DESC LIMIT ? OFFSET ?";
  return sql;
}

std::unique_ptr<Statement> prepare_trace_query(Database& db, const TraceQuery& q) {
  auto stmt = db.prepare(trace_query_sql(q));
  int i = 0;
  stmt->bind(1, q.from);
  stmt->bind(2, q.to);
  i = 2;
  if (q.direction) stmt->bind(++i, static_cast<int>(*q.direction));
  if (!q.no_connector)
    for (const std::string& c : q.connectors) stmt->bind(++i, c);
  if (q.tls) stmt->bind(++i, static_cast<int>(*q.tls));
  for (const std::string& g : q.sender_globs) stmt->bind(++i, g);
  for (const std::string& g : q.recipient_globs) stmt->bind(++i, g);
  if (q.status) stmt->bind(++i, *q.status);
  stmt->bind(i + 1, q.limit);
  stmt->bind(i + 2, q.offset);
  return stmt;
}

TraceCursor::TraceCursor(TraceStore& store, const TraceQuery& query)
    : stmt_(prepare_trace_query(store.db(), query)) {}

std::optional<Trace> TraceCursor::next() {
  if (done_) return std::nullopt;
  if (!stmt_->step()) {
    done_ = true;
    stmt_.reset();  // finalise now: releases the read snapshot for writers
    return std::nullopt;
  }
  Statement& s = *stmt_;
  Trace t;
  t.received = s.column_int(0);
  t.direction = s.column_int(1) == 1 ? Direction::Outbound : Direction::Inbound;
  t.connector = s.column_optional_text(2);
  t.tls = static_cast<TlsVersion>(s.column_int(3));
  t.cipher = s.column_optional_text(4);
  t.sender = s.column_text(5);
  t.recipient = s.column_text(6);
  t.remote_host = s.column_optional_text(7);
  t.remote_ip = s.column_optional_text(8);
  t.size = s.column_int(9);
  t.status = s.column_text(10);
  t.message_id = s.column_optional_text(11);
  return t;
}

}  // namespace mailflow
