#include "store/trace_store.h"

#include "store/migrations.h"

namespace mailflow {

namespace {

// FNV-1a, 64 bit: simple, stable across platforms and releases.
struct Fnv {
  std::uint64_t h = 1469598103934665603ULL;
  void bytes(const void* p, size_t n) {
    auto* c = static_cast<const unsigned char*>(p);
    for (size_t i = 0; i < n; ++i) {
      h ^= c[i];
      h *= 1099511628211ULL;
    }
  }
  void str(std::string_view s) {
    bytes(s.data(), s.size());
    unsigned char sep = 0x1f;
    bytes(&sep, 1);
  }
  void opt(const std::optional<std::string>& s) {
    if (s) str(*s);
    else { unsigned char nul = 0x1e; bytes(&nul, 1); }
  }
  void num(std::int64_t v) { bytes(&v, sizeof v); }
};

}  // namespace

std::int64_t trace_fingerprint(const Trace& t, std::uint32_t occurrence) {
  Fnv f;
  f.num(t.received);
  f.num(static_cast<int>(t.direction));
  f.opt(t.connector);
  f.num(static_cast<int>(t.tls));
  f.opt(t.cipher);
  f.str(t.sender);
  f.str(t.recipient);
  f.opt(t.remote_host);
  f.opt(t.remote_ip);
  f.num(t.size);
  f.str(t.status);
  f.opt(t.message_id);
  f.num(occurrence);
  return static_cast<std::int64_t>(f.h);
}

TraceStore::TraceStore(const std::string& path) : db_(path) {
  db_.exec("PRAGMA journal_mode=WAL");
  db_.exec("PRAGMA synchronous=NORMAL");
  db_.exec("PRAGMA foreign_keys=ON");
  db_.exec("PRAGMA cache_size=-65536");  // 64 MiB page cache
  migrate(db_);
}

std::optional<std::string> TraceStore::get_config(const std::string& key) {
  StatementUse s(db_.cached("config.get", "SELECT value FROM config WHERE key = ?1"));
  s->bind(1, key);
  if (!s->step()) return std::nullopt;
  return s->column_text(0);
}

void TraceStore::set_config(const std::string& key, const std::string& value) {
  StatementUse s(db_.cached("config.set",
                            "INSERT INTO config(key, value) VALUES(?1, ?2) "
                            "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
  s->bind(1, key).bind(2, value);
  s->run();
}

std::int64_t TraceStore::trace_count() {
  StatementUse s(db_.cached("traces.count", "SELECT count(*) FROM traces"));
  s->step();
  return s->column_int(0);
}

TraceWriter::TraceWriter(TraceStore& store) : store_(store), tx_(store.db()) {}

TraceWriter::~TraceWriter() = default;

bool TraceWriter::add(const Trace& t, std::int64_t fingerprint, std::optional<std::int64_t> file_id) {
  StatementUse s(store_.db().cached(
      "traces.insert",
      "INSERT OR IGNORE INTO traces(received, direction, connector, tls, cipher, sender, recipient,"
      " remote_host, remote_ip, size, status, message_id, fingerprint, file_id)"
      " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"));
  s->bind(1, t.received)
      .bind(2, static_cast<int>(t.direction))
      .bind(3, t.connector)
      .bind(4, static_cast<int>(t.tls))
      .bind(5, t.cipher)
      .bind(6, t.sender)
      .bind(7, t.recipient)
      .bind(8, t.remote_host)
      .bind(9, t.remote_ip)
      .bind(10, t.size)
      .bind(11, t.status)
      .bind(12, t.message_id)
      .bind(13, fingerprint);
  if (file_id) s->bind(14, *file_id);
  else s->bind_null(14);
  s->step();
  if (store_.db().changes() == 0) return false;
  account(t, +1);
  return true;
}

void TraceWriter::set_connector(std::int64_t id, const Trace& before,
                                const std::optional<std::string>& connector) {
  if (before.connector == connector) return;
  StatementUse s(store_.db().cached("traces.set_connector",
                                    "UPDATE traces SET connector = ?2 WHERE id = ?1"));
  s->bind(1, id).bind(2, connector);
  s->step();
  account(before, -1);
  Trace after = before;
  after.connector = connector;
  account(after, +1);
}

void TraceWriter::set_status(std::int64_t id, const Trace& before, const std::string& status) {
  if (before.status == status) return;
  StatementUse s(store_.db().cached("traces.set_status",
                                    "UPDATE traces SET status = ?2 WHERE id = ?1"));
  s->bind(1, id).bind(2, status);
  s->step();
  account(before, -1);
  Trace after = before;
  after.status = status;
  account(after, +1);
}

void TraceWriter::add_total(DayNumber day, Direction direction, const std::optional<std::string>& connector,
                            TlsVersion tls, const std::string& status, std::int64_t messages) {
  RollupKey key{day, static_cast<int>(direction), connector.value_or(""), static_cast<int>(tls), status};
  deltas_[key].messages += messages;
}

void TraceWriter::set_tls(std::int64_t id, const Trace& before, TlsVersion tls,
                          const std::optional<std::string>& cipher) {
  if (before.tls == tls && before.cipher == cipher) return;
  StatementUse s(store_.db().cached("traces.set_tls", "UPDATE traces SET tls = ?2, cipher = ?3 WHERE id = ?1"));
  s->bind(1, id).bind(2, static_cast<int>(tls)).bind(3, cipher);
  s->step();
  account(before, -1);
  Trace after = before;
  after.tls = tls;
  after.cipher = cipher;
  account(after, +1);
}

void TraceWriter::account(const Trace& t, int sign) {
  RollupKey key{day_of(t.received), static_cast<int>(t.direction), t.connector.value_or(""),
                static_cast<int>(t.tls), t.status};
  RollupDelta& d = deltas_[key];
  d.messages += sign;
  d.bytes += sign * t.size;
}

void TraceWriter::commit() {
  Database& db = store_.db();
  StatementUse upsert(db.cached(
      "rollup.upsert",
      "INSERT INTO daily_rollup(day, direction, connector, tls, status, messages, bytes)"
      " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"
      " ON CONFLICT(day, direction, connector, tls, status) DO UPDATE SET"
      " messages = messages + excluded.messages, bytes = bytes + excluded.bytes"));
  for (const auto& [key, delta] : deltas_) {
    if (delta.messages == 0 && delta.bytes == 0) continue;
    const auto& [day, direction, connector, tls, status] = key;
    upsert->bind(1, static_cast<std::int64_t>(day))
        .bind(2, direction)
        .bind(3, connector)
        .bind(4, tls)
        .bind(5, status)
        .bind(6, delta.messages)
        .bind(7, delta.bytes);
    upsert->run();
  }
  db.exec("DELETE FROM daily_rollup WHERE messages = 0");
  deltas_.clear();
  tx_.commit();
}

}  // namespace mailflow
