#include "store/tls_rollup_counts.h"

namespace mailflow {

namespace {

// ?1 ?2 day range, ?3 direction or NULL, ?4 connector scope (0 All, 1 Named ?5, 2 None).
#define MAILFLOW_SCOPE(CONNECTOR)                            \
  " AND (?3 IS NULL OR direction = ?3)"                      \
  " AND (?4 = 0 OR (?4 = 1 AND " CONNECTOR " = ?5 COLLATE NOCASE) OR (?4 = 2 AND " CONNECTOR " = ''))"

#define MAILFLOW_ROLLUP_RANGE " WHERE day BETWEEN ?1 AND ?2" MAILFLOW_SCOPE("connector")
#define MAILFLOW_TRACE_RANGE                                                                \
  " FROM traces WHERE received >= ?1 * 86400 AND received < (?2 + 1) * 86400"               \
  " AND status = 'Delivered' COLLATE NOCASE" MAILFLOW_SCOPE("coalesce(connector, '')")

void bind_selection(Statement& s, const RollupSelection& sel) {
  s.bind(1, static_cast<std::int64_t>(sel.first)).bind(2, static_cast<std::int64_t>(sel.last));
  if (sel.direction) s.bind(3, static_cast<int>(*sel.direction));
  else s.bind_null(3);
  using C = RollupSelection::Connectors;
  s.bind(4, sel.connectors == C::All ? 0 : sel.connectors == C::Named ? 1 : 2);
  s.bind(5, sel.connector);
}

// Peer expressions over the rollup's columns and over traces'.
const char* rollup_peer(PeerKey key) {
  switch (key) {
    case PeerKey::Domain: return "peer_domain";
    case PeerKey::Host: return "CASE peer_host WHEN '' THEN peer_ip ELSE peer_host END";
    case PeerKey::Ip: return "CASE peer_ip WHEN '' THEN peer_host ELSE peer_ip END";
  }
  return "";
}

const char* trace_peer_expr(PeerKey key) {
  switch (key) {
    case PeerKey::Domain: return "mailflow_peer_domain(direction, recipient, remote_host, remote_ip)";
    case PeerKey::Host:
      return "CASE mailflow_peer_host(remote_host) WHEN '' THEN coalesce(remote_ip, '')"
             " ELSE mailflow_peer_host(remote_host) END";
    case PeerKey::Ip:
      return "CASE coalesce(remote_ip, '') WHEN '' THEN mailflow_peer_host(remote_host) ELSE remote_ip END";
  }
  return "";
}

std::vector<PeerTlsCount> read_peers(Statement& s) {
  std::vector<PeerTlsCount> out;
  while (s.step()) {
    PeerTlsCount c;
    c.direction = s.column_int(0) == 1 ? Direction::Outbound : Direction::Inbound;
    std::string connector = s.column_text(1);
    if (!connector.empty()) c.connector = std::move(connector);
    c.peer = s.column_text(2);
    c.tls = static_cast<TlsVersion>(s.column_int(3));
    c.messages = s.column_int(4);
    c.first_seen = s.column_int(5);
    c.last_seen = s.column_int(6);
    if (c.messages > 0) out.push_back(std::move(c));
  }
  return out;
}

std::string peer_sql(PeerKey key, bool by_connector, bool from_traces) {
  std::string connector = by_connector ? (from_traces ? "coalesce(connector, '')" : "connector") : "''";
  std::string peer = from_traces ? trace_peer_expr(key) : rollup_peer(key);
  std::string sql = "SELECT direction, " + connector + ", " + peer + ", tls, ";
  sql += from_traces ? "count(*), min(received), max(received)" MAILFLOW_TRACE_RANGE
                     : "sum(messages), min(first_seen), max(last_seen) FROM tls_peer_daily" MAILFLOW_ROLLUP_RANGE;
  sql += " GROUP BY 1, 2, 3, 4";
  return sql;
}

std::string statement_name(const char* what, PeerKey key, bool by_connector) {
  return std::string(what) + "." + std::to_string(static_cast<int>(key)) + (by_connector ? ".c" : "");
}

std::vector<TrustCount> read_trust(Statement& s) {
  std::vector<TrustCount> out;
  while (s.step()) {
    TrustCount c;
    c.direction = s.column_int(0) == 1 ? Direction::Outbound : Direction::Inbound;
    std::string connector = s.column_text(1);
    if (!connector.empty()) c.connector = std::move(connector);
    c.trust = parse_tls_trust(s.column_text(2));
    c.messages = s.column_int(3);
    if (c.messages > 0) out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

std::vector<PeerTlsCount> peer_tls_counts(TraceStore& store, const RollupSelection& sel, PeerKey key,
                                          bool by_connector) {
  StatementUse s(store.db().cached(statement_name("tls_peer_daily.counts", key, by_connector),
                                   peer_sql(key, by_connector, false)));
  bind_selection(*s, sel);
  return read_peers(*s);
}

std::vector<PeerTlsCount> peer_tls_counts_from_traces(TraceStore& store, const RollupSelection& sel, PeerKey key,
                                                      bool by_connector) {
  StatementUse s(store.db().cached(statement_name("traces.peer_counts", key, by_connector),
                                   peer_sql(key, by_connector, true)));
  bind_selection(*s, sel);
  return read_peers(*s);
}

std::vector<TrustCount> trust_counts(TraceStore& store, const RollupSelection& sel, bool by_connector) {
  StatementUse s(store.db().cached(
      by_connector ? "tls_trust_daily.counts.c" : "tls_trust_daily.counts",
      by_connector ? "SELECT direction, connector, trust, sum(messages) FROM tls_trust_daily" MAILFLOW_ROLLUP_RANGE
                     " GROUP BY 1, 2, 3"
                   : "SELECT direction, '', trust, sum(messages) FROM tls_trust_daily" MAILFLOW_ROLLUP_RANGE
                     " GROUP BY 1, 3"));
  bind_selection(*s, sel);
  return read_trust(*s);
}

std::vector<TrustCount> trust_counts_from_traces(TraceStore& store, const RollupSelection& sel, bool by_connector) {
  StatementUse s(store.db().cached(
      by_connector ? "traces.trust_counts.c" : "traces.trust_counts",
      by_connector ? "SELECT direction, coalesce(connector, ''), coalesce(tls_trust, ''), count(*)" MAILFLOW_TRACE_RANGE
                     " GROUP BY 1, 2, 3"
                   : "SELECT direction, '', coalesce(tls_trust, ''), count(*)" MAILFLOW_TRACE_RANGE " GROUP BY 1, 3"));
  bind_selection(*s, sel);
  return read_trust(*s);
}

#undef MAILFLOW_SCOPE
#undef MAILFLOW_ROLLUP_RANGE
#undef MAILFLOW_TRACE_RANGE

}  // namespace mailflow
