#include "store/tls_rollup_counts.h"

#include <algorithm>
#include <tuple>
#include <unordered_map>

#include "store/tls_rollups.h"

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

// The peer of a trace, as the rollup keys it (store/tls_rollups.h).
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

// The GROUP BY over traces of the same answer (the baseline).
std::string peer_sql(PeerKey key, bool by_connector) {
  std::string connector = by_connector ? "coalesce(connector, '')" : "''";
  return "SELECT direction, " + connector + ", " + trace_peer_expr(key) +
         ", tls, count(*), min(received), max(received)" MAILFLOW_TRACE_RANGE " GROUP BY 1, 2, 3, 4";
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
  // The block rows of the range (at most two for a range of up to 32 days),
  // their days of the range summed here: one row per peer and block, so a
  // 30-day report reads each peer once or twice (store/tls_rollups.h).
  StatementUse s(store.db().cached(
      "tls_peer_blocks.counts",
      "SELECT direction, connector, peer_domain, peer_host, peer_ip, block, days FROM tls_peer_blocks"
      " WHERE block BETWEEN ?1 AND ?2" MAILFLOW_SCOPE("connector")));
  s->bind(1, tls_peer_block_of(sel.first)).bind(2, tls_peer_block_of(sel.last));
  if (sel.direction) s->bind(3, static_cast<int>(*sel.direction));
  else s->bind_null(3);
  using C = RollupSelection::Connectors;
  s->bind(4, sel.connectors == C::All ? 0 : sel.connectors == C::Named ? 1 : 2);
  s->bind(5, sel.connector);
  // (direction, connector, peer, tls) -> index into out
  std::unordered_map<std::string, std::size_t> index;
  std::vector<PeerTlsCount> out;
  std::string group;
  const std::string& path = store.path();
  while (s->step()) {
    int direction = static_cast<int>(s->column_int(0));
    std::string connector = by_connector ? s->column_text(1) : std::string();
    std::string domain = s->column_text(2), host = s->column_text(3), ip = s->column_text(4);
    const std::string& peer = key == PeerKey::Domain ? domain
                              : key == PeerKey::Host ? (host.empty() ? ip : host)
                                                     : (ip.empty() ? host : ip);
    const std::int64_t block_start = s->column_int(5) * kTlsPeerBlockDays;
    for (const TlsPeerDay& d : decode_tls_peer_days(s->column_text(6), path)) {
      std::int64_t day = block_start + d.offset;
      if (day < sel.first || day > sel.last) continue;
      UnixSeconds day_start = day * 86400;
      group.assign(1, static_cast<char>('0' + direction));
      group += '\x1f';
      group += connector;
      group += '\x1f';
      group += peer;
      group += '\x1f';
      group += std::to_string(d.tls);
      auto [it, added] = index.try_emplace(group, out.size());
      if (added) {
        PeerTlsCount c;
        c.direction = direction == 1 ? Direction::Outbound : Direction::Inbound;
        if (!connector.empty()) c.connector = connector;
        c.peer = peer;
        c.tls = static_cast<TlsVersion>(d.tls);
        c.first_seen = day_start + d.first;
        c.last_seen = day_start + d.last;
        out.push_back(std::move(c));
      }
      PeerTlsCount& c = out[it->second];
      c.messages += d.messages;
      c.first_seen = std::min(c.first_seen, day_start + d.first);
      c.last_seen = std::max(c.last_seen, day_start + d.last);
    }
  }
  // In the order the GROUP BY over traces gives (direction, connector, peer, TLS).
  std::sort(out.begin(), out.end(), [](const PeerTlsCount& a, const PeerTlsCount& b) {
    return std::make_tuple(static_cast<int>(a.direction), a.connector.value_or(""), std::string_view(a.peer),
                           static_cast<int>(a.tls)) < std::make_tuple(static_cast<int>(b.direction),
                                                                      b.connector.value_or(""),
                                                                      std::string_view(b.peer), static_cast<int>(b.tls));
  });
  return out;
}

std::vector<PeerTlsCount> peer_tls_counts_from_traces(TraceStore& store, const RollupSelection& sel, PeerKey key,
                                                      bool by_connector) {
  StatementUse s(store.db().cached(statement_name("traces.peer_counts", key, by_connector),
                                   peer_sql(key, by_connector)));
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
