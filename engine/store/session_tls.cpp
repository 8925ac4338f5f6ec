#include "store/session_tls.h"

namespace mailflow {

SessionTlsStore::SessionTlsStore(TraceStore& store) : store_(store) {
  // smtp_session_tls and trace_smtp_session are made by migration 7,
  // tls_failures by migration 8 (store/tls_failure_store.h).
}

std::optional<StoredSessionTls> SessionTlsStore::find(std::string_view key) {
  StatementUse s(store_.db().cached("session_tls.find",
                                    "SELECT tls, cipher FROM smtp_session_tls WHERE session_key = ?1"));
  s->bind(1, key);
  if (!s->step()) return std::nullopt;
  return StoredSessionTls{static_cast<TlsVersion>(s->column_int(0)), s->column_optional_text(1)};
}

bool SessionTlsStore::save(std::string_view key, const StoredSessionTls& tls) {
  auto old = find(key);
  if (old && old->tls == tls.tls && old->cipher == tls.cipher) return false;
  if (old && old->tls != TlsVersion::None && tls.tls == TlsVersion::None) return false;
  StatementUse s(store_.db().cached(
      "session_tls.save",
      "INSERT INTO smtp_session_tls(session_key, tls, cipher) VALUES(?1, ?2, ?3)"
      " ON CONFLICT(session_key) DO UPDATE SET tls = excluded.tls, cipher = excluded.cipher"));
  s->bind(1, key).bind(2, static_cast<int>(tls.tls)).bind(3, tls.cipher);
  s->run();
  return true;
}

void SessionTlsStore::link(std::int64_t trace_id, std::string_view key) {
  StatementUse s(store_.db().cached(
      "session_tls.link", "INSERT OR IGNORE INTO trace_smtp_session(session_key, trace_id) VALUES(?1, ?2)"));
  s->bind(1, key).bind(2, trace_id);
  s->run();
}

std::vector<std::pair<std::int64_t, Trace>> SessionTlsStore::traces_of(std::string_view key) {
  StatementUse s(store_.db().cached(
      "session_tls.traces",
      "SELECT t.id, t.received, t.direction, t.connector, t.tls, t.cipher, t.sender, t.recipient,"
      " t.remote_host, t.remote_ip, t.size, t.status, t.message_id, t.tls_trust"
      " FROM trace_smtp_session l JOIN traces t ON t.id = l.trace_id WHERE l.session_key = ?1"));
  s->bind(1, key);
  std::vector<std::pair<std::int64_t, Trace>> out;
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
    if (auto trust = s->column_optional_text(13)) t.tls_trust = parse_tls_trust(*trust);  // the trust rollup's key
    out.emplace_back(s->column_int(0), std::move(t));
  }
  return out;
}

}  // namespace mailflow
