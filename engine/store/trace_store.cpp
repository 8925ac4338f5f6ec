#include "store/trace_store.h"

#include <algorithm>
#include <array>
#include <utility>
#include <iostream>

#include "core/error.h"
#include "core/hash.h"
#include "store/migrations.h"
#include "store/tls_rollups.h"

namespace mailflow {

namespace {

constexpr int kStoreCacheKiB = 65536;  // a reader's page cache: 64 MiB

// FNV-1a, 64 bit: the fingerprint before schema version 6.
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
  std::uint64_t value() const { return h; }
};

// Both fingerprints read the same fields in the same order.
template <typename H>
std::uint64_t fingerprint_with(H f, const Trace& t, std::uint32_t occurrence) {
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
  return f.value();
}

// The index in kTraceFields of the field with canonical key `key`.
std::size_t field_index(std::string_view key) {
  for (std::size_t i = 0; i < kTraceFieldCount; ++i)
    if (kTraceFields[i].key == key) return i;
  throw Error("StoreError", "no trace field '" + std::string(key) + "'");
}

// Where the writer finds the rollup's connector and status among the ids
// it binds.
const std::size_t kConnectorField = field_index("connector");
const std::size_t kStatusField = field_index("status");

}  // namespace

std::int64_t trace_fingerprint(const Trace& t, std::uint32_t occurrence) {
  return static_cast<std::int64_t>(fingerprint_with(ContentHash{}, t, occurrence));
}

std::int64_t legacy_trace_fingerprint(const Trace& t, std::uint32_t occurrence) {
  return static_cast<std::int64_t>(fingerprint_with(Fnv{}, t, occurrence));
}

TraceStore::TraceStore(const std::string& path, std::function<void(const std::string&)> progress)
    : db_(path), dictionaries_(db_) {
  // The identity and version checks run before the first write (WAL mode is
  // written to the file header), so another application's file is refused
  // unchanged.
  migrate(db_, 0);
  if (!store_is_read_only(db_)) db_.enter_wal_mode();
  db_.exec("PRAGMA synchronous=NORMAL");
  db_.exec("PRAGMA foreign_keys=ON");
  db_.exec("PRAGMA cache_size=-" + std::to_string(kStoreCacheKiB));
  if (!progress) progress = [](const std::string& line) { std::cerr << line << std::endl; };
  migrate(db_, -1, progress);
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
  StatementUse s(db_.cached("traces.count", "SELECT count(*) FROM trace_rows"));
  s->step();
  return s->column_int(0);
}

namespace {

// The settings during an import. synchronous: OFF was measured against
// NORMAL on the 200 MiB Postfix log (tests/bench/README.md) and gained
// nothing measurable, while it risks a corrupt store on power loss; so
// NORMAL (in WAL mode: no sync per commit, a sync per checkpoint). The
// checkpoint interval: fewer, larger checkpoints while the import writes.
constexpr int kBulkCheckpointPages = 16384;  // 64 MiB of WAL
constexpr const char* kBulkSynchronous = "NORMAL";
constexpr int kDefaultCheckpointPages = 1000;  // SQLite's default
// The page cache while an import writes: an import touches the right edge
// of the time-ordered trees and the dictionaries, so a smaller cache than a
// reader's costs no measurable time and keeps the import's peak RSS well
// under 100 MB (measured on the 1M-record CSV: 64 MiB → 16 MiB took peak
// RSS from 95 to 50 MB; tests/bench/README.md).
constexpr int kBulkCacheKiB = 16384;
// A commit that leaves this many frames (4 KiB pages) in the WAL wakes the
// import's checkpoint thread: SQLite's own default autocheckpoint size.
constexpr int kBackgroundCheckpointFrames = 1000;

std::string store_journal_mode(Database& db) {
  auto s = db.prepare("PRAGMA journal_mode");
  return s->step() ? s->column_text(0) : std::string();
}

}  // namespace

BulkWrite::BulkWrite(TraceStore& store) : db_(store.db()) {
  db_.exec("PRAGMA wal_autocheckpoint=" + std::to_string(kBulkCheckpointPages));
  db_.exec(std::string("PRAGMA synchronous=") + kBulkSynchronous);
  db_.exec("PRAGMA cache_size=-" + std::to_string(kBulkCacheKiB));
  // A store in WAL mode (not a read-only or in-memory one) is checkpointed
  // by a thread of its own while the import writes; without it (it could
  // not open its connection) the writer checkpoints as set above.
  if (store_journal_mode(db_) == "wal") {
    try {
      checkpointer_ = std::make_unique<WalCheckpointer>(db_, kBackgroundCheckpointFrames);
    } catch (const Error&) {
    }
  }
}

BulkWrite::~BulkWrite() {
  // The thread stops first (a checkpoint under way finishes), then the
  // writer's own checkpoints come back with the settings below.
  checkpointer_.reset();
  // Never throws: a failed checkpoint leaves the WAL for the next one.
  sqlite3_exec(db_.handle(), "PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr);
  sqlite3_exec(db_.handle(), ("PRAGMA cache_size=-" + std::to_string(kStoreCacheKiB)).c_str(), nullptr, nullptr,
               nullptr);
  sqlite3_exec(db_.handle(), ("PRAGMA wal_autocheckpoint=" + std::to_string(kDefaultCheckpointPages)).c_str(),
               nullptr, nullptr, nullptr);
  sqlite3_exec(db_.handle(), "PRAGMA wal_checkpoint(PASSIVE)", nullptr, nullptr, nullptr);
}

std::size_t TraceWriter::RollupKeyHash::operator()(const RollupKey& k) const {
  ContentHash h;
  h.num(k.day);
  h.num(k.connector);
  h.num(k.status);
  h.num(k.direction * 64 + k.tls);
  return static_cast<std::size_t>(h.value());
}

namespace {

// The parameters of one row: one per trace field, fingerprint, file_id.
constexpr int kRowParameters = static_cast<int>(kTraceFieldCount) + 2;

// One column per trace field (core/trace_fields.h), then the bookkeeping,
// for `rows` rows. Fields with a dictionary hold its ids.
std::string insert_sql(std::size_t rows) {
  std::string columns;
  for (const TraceField& f : kTraceFields) columns += std::string(f.key) + ", ";
  return "INSERT OR IGNORE INTO trace_rows(" + columns + "fingerprint, file_id) VALUES" +
         numbered_rows(rows, kRowParameters);
}

// trace_field_dictionary() of every field, read for each field of each row
// written (a static's guard and a bounds check per call were 2% of the
// import's store thread).
const std::array<int, kTraceFieldCount> kFieldDictionary = [] {
  std::array<int, kTraceFieldCount> a{};
  for (std::size_t i = 0; i < kTraceFieldCount; ++i) a[i] = trace_field_dictionary(i);
  return a;
}();

// The dictionary id of each text field of `t` that has a dictionary (0
// where there is none: NULL, a number, or a field without a dictionary).
TraceWriter::RowIds resolve_ids(const Trace& t, TraceDictionaries& d) {
  TraceWriter::RowIds ids{};
  for (std::size_t i = 0; i < kTraceFieldCount; ++i) {
    int dict = kFieldDictionary[i];
    if (dict < 0) continue;
    FieldRef v = kTraceFields[i].get(t);
    if (auto* text = std::get_if<std::string_view>(&v)) ids[i] = d.id(dict, *text);
  }
  return ids;
}

// Binds field `i` of `t` as trace_rows keeps it: a dictionary's text as its
// id in `ids`, other text in place.
void bind_field(Statement& s, int index, std::size_t i, const Trace& t, const TraceWriter::RowIds& ids) {
  FieldRef v = kTraceFields[i].get(t);
  if (std::holds_alternative<std::monostate>(v)) s.bind_null(index);
  else if (auto* n = std::get_if<std::int64_t>(&v)) s.bind(index, *n);
  else if (kFieldDictionary[i] >= 0) s.bind(index, ids[i]);
  else s.bind_static(index, std::get<std::string_view>(v));
}

}  // namespace

// The insert is prepared once per connection and held for the writer's
// life: no lookup by name per row, every parameter rebound on each row (so
// bindings are never cleared), text bound in place.
TraceWriter::TraceWriter(TraceStore& store)
    : store_(store), tx_(store.db()), insert_(store.db().cached("traces.insert", insert_sql(1))) {
  insert_rows_[0] = &insert_;
  check_deferred_tls();
}

TraceWriter::~TraceWriter() {
  // Rolled back: ids the dictionaries handed out in this transaction are
  // gone, and so are TLS deltas deferred in it (the load's end rebuilds).
  if (!committed_) {
    store_.dictionaries().forget();
    store_.deferred_tls().reset();
  }
}

void TraceWriter::bind_row(Statement& s, int first, const QueuedRow& row) {
  int index = first;
  for (std::size_t i = 0; i < kTraceFieldCount; ++i) bind_field(s, ++index, i, *row.trace, row.ids);
  s.bind(++index, row.fingerprint);
  if (row.file_id) s.bind(++index, *row.file_id);
  else s.bind_null(++index);
}

bool TraceWriter::add(const Trace& t, std::int64_t fingerprint, std::optional<std::int64_t> file_id) {
  drain_queue();
  QueuedRow row{&t, fingerprint, file_id, resolve_ids(t, store_.dictionaries())};
  StatementRewind s(insert_);
  bind_row(insert_, 0, row);
  s->step();
  if (store_.db().changes() == 0) return false;
  account(t, row.ids[kConnectorField], row.ids[kStatusField], +1);
  return true;
}

void TraceWriter::add_queued(const Trace& t, std::int64_t fingerprint, std::optional<std::int64_t> file_id) {
  queued_.push_back({&t, fingerprint, file_id, resolve_ids(t, store_.dictionaries())});
  if (queued_.size() == kQueuedRows) drain_queue();
}

void TraceWriter::drain_queue() {
  if (queued_.empty()) return;
  const std::size_t n = queued_.size();
  // One statement per number of rows, prepared on first use.
  Statement*& insert = insert_rows_[n - 1];
  if (!insert) insert = &store_.db().cached("traces.insert." + std::to_string(n), insert_sql(n));
  Database& db = store_.db();
  {
    StatementRewind s(*insert);
    for (std::size_t r = 0; r < n; ++r) bind_row(*insert, static_cast<int>(r) * kRowParameters, queued_[r]);
    s->step();
  }
  const std::int64_t added = db.changes();
  if (added == static_cast<std::int64_t>(n)) {
    for (const QueuedRow& r : queued_) account(*r.trace, r.ids[kConnectorField], r.ids[kStatusField], +1);
  } else if (added > 0) {
    // Some were refused (a re-import): the rows added have the ids after
    // `first_new` (rowids count up from the largest, one per row added, in
    // the order of the VALUES), and each was added for the first queued
    // row with its key; a later row with the same key was refused.
    const std::int64_t first_new = db.last_insert_rowid() - added;
    StatementUse find(
        db.cached("traces.id_of_key", "SELECT id FROM trace_rows WHERE received = ?1 AND fingerprint = ?2"));
    std::vector<std::int64_t> claimed;
    for (const QueuedRow& r : queued_) {
      find->bind(1, r.trace->received).bind(2, r.fingerprint);
      std::int64_t id = find->step() ? find->column_int(0) : 0;
      find->reset();
      if (id > first_new && std::find(claimed.begin(), claimed.end(), id) == claimed.end()) {
        claimed.push_back(id);
        account(*r.trace, r.ids[kConnectorField], r.ids[kStatusField], +1);
      }
    }
  }
  queued_counts_.added += added;
  queued_counts_.duplicates += static_cast<std::int64_t>(n) - added;
  queued_.clear();
}

TraceWriter::QueuedCounts TraceWriter::flush_queue() {
  drain_queue();
  return std::exchange(queued_counts_, QueuedCounts{});
}

// Sets one field of stored trace `id`, as trace_rows keeps it.
void TraceWriter::update_field(std::int64_t id, std::string_view key, const FieldRef& value) {
  std::size_t i = field_index(key);
  // The key is a field's canonical name (a constant), never user text.
  StatementUse s(store_.db().cached("traces.set." + std::string(key),
                                    "UPDATE trace_rows SET " + std::string(key) + " = ?2 WHERE id = ?1"));
  s->bind(1, id);
  if (auto* text = std::get_if<std::string_view>(&value)) {
    int dict = trace_field_dictionary(i);
    if (dict >= 0) s->bind(2, store_.dictionaries().id(dict, *text));
    else s->bind(2, *text);
  } else if (auto* n = std::get_if<std::int64_t>(&value)) {
    s->bind(2, *n);
  } else {
    s->bind_null(2);
  }
  s->run();
}

namespace {

FieldRef ref_of(const std::optional<std::string>& s) { return s ? FieldRef(std::string_view(*s)) : FieldRef(); }

}  // namespace

void TraceWriter::set_connector(std::int64_t id, const Trace& before,
                                const std::optional<std::string>& connector) {
  drain_queue();
  if (before.connector == connector) return;
  update_field(id, "connector", ref_of(connector));
  account(before, -1);
  Trace after = before;
  after.connector = connector;
  account(after, +1);
}

void TraceWriter::set_status(std::int64_t id, const Trace& before, const std::string& status) {
  drain_queue();
  if (before.status == status) return;
  update_field(id, "status", std::string_view(status));
  account(before, -1);
  Trace after = before;
  after.status = status;
  account(after, +1);
}

// The columns of a stored trace that the rollup and the lifecycle read,
// through the traces view (strings from their dictionaries).
Trace TraceWriter::stored_trace(Database& db, std::int64_t id) {
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

TraceWriter::Lifecycle TraceWriter::add_in_lifecycle(const Trace& t, std::int64_t fingerprint,
                                                     std::optional<std::int64_t> file_id,
                                                     const std::vector<std::string>& keys) {
  drain_queue();
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

  const Trace* final = &t;
  Trace inherited;
  std::sort(pending_ids.begin(), pending_ids.end());
  pending_ids.erase(std::unique(pending_ids.begin(), pending_ids.end()), pending_ids.end());
  for (std::int64_t id : pending_ids) {
    Trace before = stored_trace(db, id);
    if (final == &t) {
      inherited = t;
      final = &inherited;
    }
    if (inherited.sender.empty()) inherited.sender = before.sender;
    if (inherited.size == 0) inherited.size = before.size;
    if (!inherited.message_id) inherited.message_id = before.message_id;
    StatementUse del(db.cached("lifecycle.delete_trace", "DELETE FROM trace_rows WHERE id = ?1"));
    del->bind(1, id);
    del->run();
    account(before, -1);
  }
  if (!add(*final, fingerprint, file_id)) return Lifecycle::Duplicate;
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
  drain_queue();
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
      update_field(id, "status", std::string_view("Failed"));
      update_field(id, "received", FieldRef(time));
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
  TraceDictionaries& d = store_.dictionaries();
  RollupKey key{day, d.id(trace_field_dictionary(kConnectorField), connector),
                d.id(trace_field_dictionary(kStatusField), std::string_view(status)), static_cast<int>(direction),
                static_cast<int>(tls)};
  deltas_[key].messages += messages;
}

void TraceWriter::set_tls(std::int64_t id, const Trace& before, TlsVersion tls,
                          const std::optional<std::string>& cipher) {
  drain_queue();
  if (before.tls == tls && before.cipher == cipher) return;
  update_field(id, "tls", FieldRef(std::int64_t{static_cast<int>(tls)}));
  update_field(id, "cipher", ref_of(cipher));
  account(before, -1);
  Trace after = before;
  after.tls = tls;
  after.cipher = cipher;
  account(after, +1);
}

void TraceWriter::account(const Trace& t, int sign) {
  TraceDictionaries& d = store_.dictionaries();
  account(t, d.id(trace_field_dictionary(kConnectorField), t.connector),
          d.id(trace_field_dictionary(kStatusField), std::string_view(t.status)), sign);
}

void TraceWriter::account(const Trace& t, std::int64_t connector, std::int64_t status, int sign) {
  tls_deltas().account(t, sign);
  RollupKey key{day_of(t.received), connector, status, static_cast<int>(t.direction), static_cast<int>(t.tls)};
  RollupDelta& d = deltas_[key];
  d.messages += sign;
  // Readers refuse sizes over kMaxMessageSize, so a batch cannot overflow;
  // checked all the same, as the sum is over data from outside.
  if (__builtin_add_overflow(d.bytes, sign * t.size, &d.bytes))
    throw Error("SizeOverflow", "store '" + store_.path() + "': the daily byte total of " +
                                    std::string(direction_name(t.direction)) + " traffic overflows");
}

void TraceWriter::commit() {
  drain_queue();
  Database& db = store_.db();
  TraceDictionaries& dict = store_.dictionaries();
  StatementUse upsert(db.cached(
      "rollup.upsert",
      "INSERT INTO daily_rollup(day, direction, connector, tls, status, messages, bytes)"
      " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"
      " ON CONFLICT(day, direction, connector, tls, status) DO UPDATE SET"
      " messages = messages + excluded.messages, bytes = bytes + excluded.bytes"));
  for (const auto& [key, delta] : deltas_) {
    if (delta.messages == 0 && delta.bytes == 0) continue;
    // The rollup keeps names ('' for no connector): reports read it alone.
    std::string connector = key.connector ? dict.value(trace_field_dictionary(kConnectorField), key.connector) : "";
    upsert->bind(1, key.day)
        .bind(2, key.direction)
        .bind(3, connector)
        .bind(4, key.tls)
        .bind(5, dict.value(trace_field_dictionary(kStatusField), key.status))
        .bind(6, delta.messages)
        .bind(7, delta.bytes);
    upsert->run();
  }
  db.exec("DELETE FROM daily_rollup WHERE messages = 0");
  deltas_.clear();
  tls_deltas_.apply(db);
  bound_deferred_tls();
  tx_.commit();
  committed_ = true;
}

}  // namespace mailflow
