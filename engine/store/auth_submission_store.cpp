#include "store/auth_submission_store.h"

namespace mailflow {

bool add_auth_submission(TraceStore& store, const StoredAuthSubmission& a, std::optional<std::int64_t> file_id) {
  Database& db = store.db();
  {
    StatementUse s(db.cached("auth_submissions.add",
                             "INSERT OR IGNORE INTO auth_submissions(key, time, user, tls, client_host, client_ip,"
                             " file_id) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    s->bind(1, a.key).bind(2, a.time).bind(3, a.user).bind(4, static_cast<int>(a.tls));
    s->bind(5, a.client_host).bind(6, a.client_ip);
    if (file_id) s->bind(7, *file_id);
    else s->bind_null(7);
    s->run();
  }
  if (db.changes() == 0) return false;
  StatementUse r(db.cached("auth_daily.add",
                           "INSERT INTO auth_daily(day, user, tls, messages) VALUES(?1, ?2, ?3, 1)"
                           " ON CONFLICT(day, user, tls) DO UPDATE SET messages = messages + 1"));
  r->bind(1, static_cast<std::int64_t>(day_of(a.time))).bind(2, a.user).bind(3, static_cast<int>(a.tls));
  r->run();
  return true;
}

namespace {

std::vector<AuthCount> read_counts(Statement& s) {
  std::vector<AuthCount> out;
  while (s.step()) out.push_back({s.column_text(0), static_cast<TlsVersion>(s.column_int(1)), s.column_int(2)});
  return out;
}

}  // namespace

std::vector<AuthCount> auth_counts(TraceStore& store, DayNumber first, DayNumber last) {
  StatementUse s(store.db().cached("auth_daily.counts",
                                   "SELECT user, tls, sum(messages) FROM auth_daily WHERE day BETWEEN ?1 AND ?2"
                                   " GROUP BY user, tls ORDER BY user, tls"));
  s->bind(1, static_cast<std::int64_t>(first)).bind(2, static_cast<std::int64_t>(last));
  return read_counts(*s);
}

std::vector<AuthCount> auth_counts_from_submissions(TraceStore& store, DayNumber first, DayNumber last) {
  StatementUse s(store.db().cached("auth_submissions.counts",
                                   "SELECT user, tls, count(*) FROM auth_submissions"
                                   " WHERE time >= ?1 * 86400 AND time < (?2 + 1) * 86400"
                                   " GROUP BY user, tls ORDER BY user, tls"));
  s->bind(1, static_cast<std::int64_t>(first)).bind(2, static_cast<std::int64_t>(last));
  return read_counts(*s);
}

}  // namespace mailflow
