#include "store/tls_rollups.h"

#include <algorithm>
#include <vector>

#include "core/registered_domain.h"
#include "core/text.h"

namespace mailflow {

namespace {

bool counted(const Trace& t) { return iequals(t.status, "Delivered"); }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string peer_domain(int direction, std::string_view recipient, const std::optional<std::string>& host,
                        const std::optional<std::string>& ip) {
  if (direction == static_cast<int>(Direction::Outbound)) {
    std::size_t at = recipient.rfind('@');
    if (at != std::string_view::npos && at + 1 < recipient.size()) return lower(recipient.substr(at + 1));
  }
  return peer_names(host, ip).domain;
}

std::optional<std::string> arg_text(sqlite3_value* v) {
  if (sqlite3_value_type(v) == SQLITE_NULL) return std::nullopt;
  const unsigned char* p = sqlite3_value_text(v);
  return std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_value_bytes(v)));
}

void result_text(sqlite3_context* ctx, const std::string& s) {
  sqlite3_result_text(ctx, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
}

void sql_peer_domain(sqlite3_context* ctx, int, sqlite3_value** argv) {
  int direction = sqlite3_value_int(argv[0]);
  std::string recipient = arg_text(argv[1]).value_or("");
  result_text(ctx, peer_domain(direction, recipient, arg_text(argv[2]), arg_text(argv[3])));
}

void sql_peer_host(sqlite3_context* ctx, int, sqlite3_value** argv) {
  result_text(ctx, peer_names(arg_text(argv[0]), std::nullopt).host);
}

}  // namespace

void register_tls_rollup_functions(Database& db) {
  int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
  sqlite3_create_function(db.handle(), "mailflow_peer_domain", 4, flags, nullptr, sql_peer_domain, nullptr, nullptr);
  sqlite3_create_function(db.handle(), "mailflow_peer_host", 1, flags, nullptr, sql_peer_host, nullptr, nullptr);
}

TracePeer trace_peer(const Trace& t) {
  PeerNames names = peer_names(t.remote_host, t.remote_ip);
  return {peer_domain(static_cast<int>(t.direction), t.recipient, t.remote_host, t.remote_ip),
          std::move(names.host), std::move(names.ip)};
}

void TlsRollupDeltas::account(const Trace& t, int sign) {
  if (!counted(t)) return;
  TracePeer p = trace_peer(t);
  DayNumber day = day_of(t.received);
  int direction = static_cast<int>(t.direction);
  std::string connector = t.connector.value_or("");
  PeerDelta& d = peers_[{day, direction, connector, p.domain, p.host, p.ip, static_cast<int>(t.tls)}];
  d.messages += sign;
  auto widen = [&](std::optional<UnixSeconds>& first, std::optional<UnixSeconds>& last) {
    first = first ? std::min(*first, t.received) : t.received;
    last = last ? std::max(*last, t.received) : t.received;
  };
  if (sign > 0) widen(d.first_added, d.last_added);
  else widen(d.first_removed, d.last_removed);
  trust_[{day, direction, connector, t.tls_trust ? std::string(tls_trust_name(*t.tls_trust)) : std::string()}] +=
      sign;
}

void TlsRollupDeltas::apply(Database& db) {
  // RETURNING gives the row as it now stands, so that an emptied group is
  // deleted and a group that lost its first or last message is recomputed
  // without scanning the table.
  Statement& upsert = db.cached(
      "tls_peer_daily.upsert",
      "INSERT INTO tls_peer_daily(day, direction, connector, peer_domain, peer_host, peer_ip, tls, messages,"
      " first_seen, last_seen) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, coalesce(?9, 0), coalesce(?10, 0))"
      " ON CONFLICT(day, direction, connector, peer_domain, peer_host, peer_ip, tls) DO UPDATE SET"
      " messages = messages + excluded.messages,"
      " first_seen = CASE WHEN ?9 IS NULL THEN first_seen ELSE min(first_seen, ?9) END,"
      " last_seen = CASE WHEN ?10 IS NULL THEN last_seen ELSE max(last_seen, ?10) END"
      " RETURNING messages, first_seen, last_seen");
  Statement& remove = db.cached(
      "tls_peer_daily.delete",
      "DELETE FROM tls_peer_daily WHERE day = ?1 AND direction = ?2 AND connector = ?3 AND peer_domain = ?4"
      " AND peer_host = ?5 AND peer_ip = ?6 AND tls = ?7");
  // The group's traces of that day, through the index on received.
  Statement& extremes = db.cached(
      "tls_peer_daily.extremes",
      "SELECT min(received), max(received) FROM traces"
      " WHERE received >= ?1 * 86400 AND received < (?1 + 1) * 86400 AND direction = ?2"
      " AND coalesce(connector, '') = ?3 AND tls = ?7 AND status = 'Delivered' COLLATE NOCASE"
      " AND coalesce(remote_ip, '') = ?6 AND mailflow_peer_host(remote_host) = ?5"
      " AND mailflow_peer_domain(direction, recipient, remote_host, remote_ip) = ?4");
  Statement& set_seen = db.cached(
      "tls_peer_daily.set_seen",
      "UPDATE tls_peer_daily SET first_seen = ?8, last_seen = ?9 WHERE day = ?1 AND direction = ?2"
      " AND connector = ?3 AND peer_domain = ?4 AND peer_host = ?5 AND peer_ip = ?6 AND tls = ?7");
  auto bind_key = [](Statement& s, const PeerKey& k) {
    const auto& [day, direction, connector, domain, host, ip, tls] = k;
    s.bind(1, static_cast<std::int64_t>(day)).bind(2, direction).bind(3, connector).bind(4, domain);
    s.bind(5, host).bind(6, ip).bind(7, tls);
  };
  for (const auto& [key, d] : peers_) {
    if (d.messages == 0 && !d.first_removed) continue;
    std::int64_t messages = 0;
    UnixSeconds first = 0, last = 0;
    {
      StatementUse u(upsert);
      bind_key(*u, key);
      u->bind(8, d.messages);
      if (d.first_added) u->bind(9, *d.first_added);
      else u->bind_null(9);
      if (d.last_added) u->bind(10, *d.last_added);
      else u->bind_null(10);
      if (u->step()) {
        messages = u->column_int(0);
        first = u->column_int(1);
        last = u->column_int(2);
      }
    }
    if (messages <= 0) {
      StatementUse r(remove);
      bind_key(*r, key);
      r->run();
      continue;
    }
    if (d.first_removed && (*d.first_removed <= first || *d.last_removed >= last)) {
      StatementUse e(extremes);
      bind_key(*e, key);
      if (!e->step() || e->column_is_null(0)) continue;
      UnixSeconds f = e->column_int(0), l = e->column_int(1);
      e->reset();
      StatementUse s(set_seen);
      bind_key(*s, key);
      s->bind(8, f).bind(9, l);
      s->run();
    }
  }
  peers_.clear();

  Statement& trust = db.cached(
      "tls_trust_daily.upsert",
      "INSERT INTO tls_trust_daily(day, direction, connector, trust, messages) VALUES(?1, ?2, ?3, ?4, ?5)"
      " ON CONFLICT(day, direction, connector, trust) DO UPDATE SET messages = messages + excluded.messages"
      " RETURNING messages");
  Statement& trust_remove = db.cached(
      "tls_trust_daily.delete",
      "DELETE FROM tls_trust_daily WHERE day = ?1 AND direction = ?2 AND connector = ?3 AND trust = ?4");
  for (const auto& [key, n] : trust_) {
    if (n == 0) continue;
    const auto& [day, direction, connector, level] = key;
    std::int64_t now = 0;
    {
      StatementUse u(trust);
      u->bind(1, static_cast<std::int64_t>(day)).bind(2, direction).bind(3, connector).bind(4, level).bind(5, n);
      if (u->step()) now = u->column_int(0);
    }
    if (now <= 0) {
      StatementUse r(trust_remove);
      r->bind(1, static_cast<std::int64_t>(day)).bind(2, direction).bind(3, connector).bind(4, level);
      r->run();
    }
  }
  trust_.clear();
}

std::string tls_rollup_fresh_sql(bool peer) {
  if (peer)
    return "SELECT received / 86400 - (received < 0 AND received % 86400 != 0), direction,"
           " coalesce(connector, ''), mailflow_peer_domain(direction, recipient, remote_host, remote_ip),"
           " mailflow_peer_host(remote_host), coalesce(remote_ip, ''), tls, count(*), min(received),"
           " max(received) FROM traces WHERE status = 'Delivered' COLLATE NOCASE"
           " GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7";
  return "SELECT received / 86400 - (received < 0 AND received % 86400 != 0), direction,"
         " coalesce(connector, ''), coalesce(tls_trust, ''), count(*) FROM traces"
         " WHERE status = 'Delivered' COLLATE NOCASE GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4";
}

}  // namespace mailflow
