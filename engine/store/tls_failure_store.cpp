#include "store/tls_failure_store.h"

#include <sqlite3.h>

#include <memory>

#include "core/registered_domain.h"

namespace mailflow {

namespace {

// The UTC day of a failure's time, as SQL (floor division, also before 1970).
#define MAILFLOW_FAILURE_DAY "(time / 86400 - (time < 0 AND time % 86400 != 0))"

}  // namespace

bool add_tls_failure(TraceStore& store, const StoredTlsFailure& f, std::int64_t fingerprint,
                     std::optional<std::int64_t> file_id) {
  // The importer adds failures inside its batch; a caller without one gets
  // its own, so the rollup never misses a stored failure.
  std::unique_ptr<Transaction> own;
  if (sqlite3_get_autocommit(store.db().handle())) own = std::make_unique<Transaction>(store.db());
  StatementUse s(store.db().cached(
      "tls_failures.add",
      "INSERT OR IGNORE INTO tls_failures(time, direction, peer_host, peer_ip, connector, reason, text,"
      " fingerprint, file_id) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
  s->bind(1, f.time).bind(2, static_cast<int>(f.direction)).bind(3, f.peer_host).bind(4, f.peer_ip);
  s->bind(5, f.connector).bind(6, f.reason).bind(7, f.text).bind(8, fingerprint);
  if (file_id) s->bind(9, *file_id);
  else s->bind_null(9);
  s->run();
  if (store.db().changes() == 0) return false;  // kept before: counted before
  StatementUse r(store.db().cached(
      "tls_failure_daily.add",
      "INSERT INTO tls_failure_daily(day, direction, connector, peer_domain, failures) VALUES(?1, ?2, ?3, ?4, 1)"
      " ON CONFLICT(day, direction, connector, peer_domain) DO UPDATE SET failures = failures + 1"));
  r->bind(1, static_cast<std::int64_t>(day_of(f.time))).bind(2, static_cast<int>(f.direction));
  r->bind(3, f.connector.value_or("")).bind(4, peer_names(f.peer_host, f.peer_ip).domain);
  r->run();
  if (own) own->commit();
  return true;
}

namespace {

void bind_selection(Statement& s, const TlsFailureSelection& sel) {
  s.bind(1, sel.start).bind(2, sel.end);
  if (sel.direction) s.bind(3, static_cast<int>(*sel.direction));
  else s.bind_null(3);
}

// The range is a search on tls_failures_time.
#define MAILFLOW_FAILURE_WHERE " FROM tls_failures WHERE time >= ?1 AND time < ?2 AND (?3 IS NULL OR direction = ?3)"

}  // namespace

std::vector<StoredTlsFailure> tls_failures(TraceStore& store, const TlsFailureSelection& sel) {
  StatementUse s(store.db().cached(
      "tls_failures.list", "SELECT time, direction, peer_host, peer_ip, connector, reason, text" MAILFLOW_FAILURE_WHERE
                           " ORDER BY time, id"));
  bind_selection(*s, sel);
  std::vector<StoredTlsFailure> out;
  while (s->step()) {
    StoredTlsFailure f;
    f.time = s->column_int(0);
    f.direction = s->column_int(1) == 1 ? Direction::Outbound : Direction::Inbound;
    f.peer_host = s->column_optional_text(2);
    f.peer_ip = s->column_optional_text(3);
    f.connector = s->column_optional_text(4);
    f.reason = s->column_text(5);
    f.text = s->column_text(6);
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<TlsFailureCount> tls_failure_counts(TraceStore& store, const TlsFailureSelection& sel,
                                                TlsFailureGrouping grouping) {
  const char* name = "";
  const char* sql = "";
  switch (grouping) {
    case TlsFailureGrouping::Peer:
      name = "tls_failures.by_peer";
      sql = "SELECT direction, coalesce(nullif(lower(peer_host), 'unknown'), peer_ip, ''), 0, count(*)"
            MAILFLOW_FAILURE_WHERE " GROUP BY 1, 2";
      break;
    case TlsFailureGrouping::Reason:
      name = "tls_failures.by_reason";
      sql = "SELECT direction, reason, 0, count(*)" MAILFLOW_FAILURE_WHERE " GROUP BY 1, 2";
      break;
    case TlsFailureGrouping::Day:
      name = "tls_failures.by_day";
      sql = "SELECT direction, '', time / 86400 - (time < 0 AND time % 86400 != 0), count(*)"
            MAILFLOW_FAILURE_WHERE " GROUP BY 1, 3";
      break;
  }
  StatementUse s(store.db().cached(name, sql));
  bind_selection(*s, sel);
  std::vector<TlsFailureCount> out;
  while (s->step())
    out.push_back({s->column_int(0) == 1 ? Direction::Outbound : Direction::Inbound, s->column_text(1),
                   static_cast<DayNumber>(s->column_int(2)), s->column_int(3)});
  return out;
}

#undef MAILFLOW_FAILURE_WHERE

std::vector<TlsFailureRollupCount> tls_failure_rollup_counts(TraceStore& store, DayNumber first, DayNumber last) {
  StatementUse s(store.db().cached(
      "tls_failure_daily.counts",
      "SELECT direction, connector, peer_domain, sum(failures) FROM tls_failure_daily"
      " WHERE day BETWEEN ?1 AND ?2 GROUP BY direction, connector, peer_domain"));
  s->bind(1, static_cast<std::int64_t>(first)).bind(2, static_cast<std::int64_t>(last));
  std::vector<TlsFailureRollupCount> out;
  while (s->step())
    out.push_back({s->column_int(0) == 1 ? Direction::Outbound : Direction::Inbound, s->column_text(1),
                   s->column_text(2), s->column_int(3)});
  return out;
}

void backfill_tls_failure_daily(Database& db) {
  // mailflow_peer_domain with direction 0 is peer_names(host, ip).domain,
  // the key add_tls_failure counts under.
  db.exec("DELETE FROM tls_failure_daily;"
          " INSERT INTO tls_failure_daily(day, direction, connector, peer_domain, failures)"
          " SELECT " MAILFLOW_FAILURE_DAY ", direction, coalesce(connector, ''),"
          " mailflow_peer_domain(0, '', peer_host, peer_ip), count(*) FROM tls_failures GROUP BY 1, 2, 3, 4");
}

#undef MAILFLOW_FAILURE_DAY

}  // namespace mailflow
