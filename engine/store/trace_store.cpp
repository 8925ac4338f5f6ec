#include "store/trace_store.h"

#include <algorithm>

#include "core/error.h"
#include "store/migrations.h"
#include "store/tls_rollups.h"

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
  // Fields added after the first schema count only when set, so that a
  // re-import of an older file still matches what is stored.
  if (t.tls_trust) f.str(tls_trust_name(*t.tls_trust));
  f.num(occurrence);
  return static_cast<std::int64_t>(f.h);
}

TraceStore::TraceStore(const std::string& path) : db_(path) {
  // The identity and version checks run before the first write (WAL mode is
  // written to the file header), so another application's file is refused
  // unchanged.
  migrate(db_, 0);
  if (!store_is_read_only(db_)) db_.exec("PRAGMA journal_mode=WAL");
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
  // One column per trace field (core/trace_fields.h), then the bookkeeping.
  static const std::string sql = [] {
    std::string columns, values;
    int n = 0;
    for (const TraceField& f : kTraceFields) {
      columns += std::string(f.key) + ", ";
      values += "?" + std::to_string(++n) + ", ";
    }
    return "INSERT OR IGNORE INTO traces(" + columns + "fingerprint, file_id) VALUES(" + values + "?" +
           std::to_string(n + 1) + ", ?" + std::to_string(n + 2) + ")";
  }();
  StatementUse s(store_.db().cached("traces.insert", sql));
  int i = 0;
  for (const TraceField& f : kTraceFields) s->bind(++i, f.get(t));
  s->bind(++i, fingerprint);
  if (file_id) s->bind(++i, *file_id);
  else s->bind_null(++i);
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

namespace {

// The columns of a stored trace that the rollup and the lifecycle read.
Trace stored_trace(Database& db, std::int64_t id) {
  StatementUse s(db.cached("lifecycle.trace",
                           "SELECT received, direction, connector, tls, status, size, sender, message_id,"
                           " recipient, remote_host, remote_ip, tls_trust FROM traces WHERE id = ?1"));
  s->bind(1, id);
  Trace t;
  if (!s->step()) return t;
  t.received = s->column_int(0);
  t.direction = static_cast<Direction>(s->column_int(1));
  if (!s->column_is_null(2)) t.connector = s->column_text(2);
  t.tls = static_cast<TlsVersion>(s->column_int(3));
  t.status = s->column_text(4);
  t.size = s->column_int(5);
  t.sender = s->column_text(6);
  if (!s->column_is_null(7)) t.message_id = s->column_text(7);
  // The TLS rollups' peer and trust columns (store/tls_rollups.h).
  t.recipient = s->column_text(8);
  t.remote_host = s->column_optional_text(9);
  t.remote_ip = s->column_optional_text(10);
  if (auto trust = s->column_optional_text(11)) t.tls_trust = parse_tls_trust(*trust);
  return t;
}

}  // namespace

TraceWriter::Lifecycle TraceWriter::add_in_lifecycle(const Trace& t, std::int64_t fingerprint,
                                                     std::optional<std::int64_t> file_id,
                                                     const std::vector<std::string>& keys) {
  Database& db = store_.db();
  // What the store knows of each key: pending trace ids, settled keys.
  std::vector<std::int64_t> pending_ids;
  std::size_t settled = 0;
  {
    StatementUse find(db.cached("lifecycle.find", "SELECT trace_id, pending FROM trace_lifecycle WHERE key = ?1"));
    for (const std::string& k : keys) {
      find->bind(1, k);
      if (find->step()) {
        if (find->column_int(1) != 0) pending_ids.push_back(find->column_int(0));
        else ++settled;
      }
      find->reset();
    }
  }
  bool pending = t.status == "Pending";
  if (pending && (settled > 0 || !pending_ids.empty())) return Lifecycle::Duplicate;  // deferred again, or settled
  if (!pending && settled == keys.size() && !keys.empty()) return Lifecycle::Duplicate;

  Trace final = t;
  std::sort(pending_ids.begin(), pending_ids.end());
  pending_ids.erase(std::unique(pending_ids.begin(), pending_ids.end()), pending_ids.end());
  for (std::int64_t id : pending_ids) {
    Trace before = stored_trace(db, id);
    if (final.sender.empty()) final.sender = before.sender;
    if (final.size == 0) final.size = before.size;
    if (!final.message_id) final.message_id = before.message_id;
    StatementUse del(db.cached("lifecycle.delete_trace", "DELETE FROM traces WHERE id = ?1"));
    del->bind(1, id);
    del->run();
    account(before, -1);
  }
  if (!add(final, fingerprint, file_id)) return Lifecycle::Duplicate;
  std::int64_t id = db.last_insert_rowid();
  StatementUse keep(db.cached("lifecycle.keep",
                              "INSERT INTO trace_lifecycle(key, trace_id, pending) VALUES(?1, ?2, ?3)"
                              " ON CONFLICT(key) DO UPDATE SET trace_id = excluded.trace_id,"
                              " pending = excluded.pending"));
  for (const std::string& k : keys) {
    keep->bind(1, k).bind(2, id).bind(3, pending ? 1 : 0);
    keep->run();
  }
  return pending_ids.empty() ? Lifecycle::Added : Lifecycle::Settled;
}

std::int64_t TraceWriter::expire_pending(const std::string& queue_key, UnixSeconds time) {
  Database& db = store_.db();
  // Keys are "host/queue id/recipient": the queue's keys sort between
  // "host/queue id/" and "host/queue id0" ('0' follows '/').
  std::string end = queue_key;
  if (!end.empty()) end.back() = static_cast<char>(end.back() + 1);
  std::vector<std::pair<std::string, std::int64_t>> found;
  {
    StatementUse s(db.cached("lifecycle.queue",
                             "SELECT key, trace_id FROM trace_lifecycle"
                             " WHERE key >= ?1 AND key < ?2 AND pending = 1"));
    s->bind(1, queue_key).bind(2, end);
    while (s->step()) found.emplace_back(s->column_text(0), s->column_int(1));
  }
  std::vector<std::int64_t> done;
  for (const auto& [key, id] : found) {
    if (std::find(done.begin(), done.end(), id) == done.end()) {
      Trace before = stored_trace(db, id);
      StatementUse u(db.cached("lifecycle.expire",
                               "UPDATE traces SET status = 'Failed', received = ?2 WHERE id = ?1"));
      u->bind(1, id).bind(2, time);
      u->run();
      account(before, -1);
      Trace after = before;
      after.status = "Failed";
      after.received = time;
      account(after, +1);
      done.push_back(id);
    }
    StatementUse settle(db.cached("lifecycle.settle", "UPDATE trace_lifecycle SET pending = 0 WHERE key = ?1"));
    settle->bind(1, key);
    settle->run();
  }
  return static_cast<std::int64_t>(done.size());
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
  tls_deltas_.account(t, sign);
  RollupKey key{day_of(t.received), static_cast<int>(t.direction), t.connector.value_or(""),
                static_cast<int>(t.tls), t.status};
  RollupDelta& d = deltas_[key];
  d.messages += sign;
  // Readers refuse sizes over kMaxMessageSize, so a batch cannot overflow;
  // checked all the same, as the sum is over data from outside.
  if (__builtin_add_overflow(d.bytes, sign * t.size, &d.bytes))
    throw Error("SizeOverflow", "store '" + store_.path() + "': the daily byte total of " +
                                    std::string(direction_name(t.direction)) + " traffic overflows");
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
  tls_deltas_.apply(db);
  tx_.commit();
}

}  // namespace mailflow
