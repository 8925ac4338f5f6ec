// TraceWriter's bulk load (trace_store.h, README "Bulk load"): an import
// into an empty store drops the indexes of trace_rows, builds them once at
// its end, and removes the rows the unique index would have refused.
#include "store/trace_store.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "store/tls_rollups.h"

namespace mailflow {

namespace {

// The config key of a pending bulk load; its value is the definitions of
// the indexes it dropped, one statement a line, as sqlite_schema gave them
// (so that an index another part of the schema adds later is dropped and
// rebuilt the same way).
constexpr const char* kBulkLoadKey = "bulk-load:indexes";
constexpr int kBulkBuildCacheKiB = 8192;  // page cache and sort memory while the indexes are built

}  // namespace

bool TraceWriter::bulk_load_pending(TraceStore& store) { return store.get_config(kBulkLoadKey).has_value(); }

// Deferred deltas outlive this process's load when another process finished
// it between two batches (its rebuild counted every committed trace):
// they are dropped, and this writer's TLS changes are its own again.
void TraceWriter::check_deferred_tls() {
  if (store_.deferred_tls() && !bulk_load_pending(store_)) store_.deferred_tls().reset();
}

// Past the bound, the deferred deltas are written in this batch's
// transaction (the rollups then count every trace committed with it).
void TraceWriter::bound_deferred_tls() {
  std::unique_ptr<TlsRollupDeltas>& deferred = store_.deferred_tls();
  if (deferred && deferred->groups() > deferred_tls_bound_) deferred->apply(store_.db());
}

bool TraceWriter::holds_no_traces() {
  drain_queue();
  StatementUse any(store_.db().cached("bulk.any_trace", "SELECT 1 FROM trace_rows LIMIT 1"));
  return !any->step();
}

bool TraceWriter::begin_bulk_load() {
  drain_queue();
  Database& db = store_.db();
  if (bulk_load_pending(store_)) return false;
  std::vector<std::pair<std::string, std::string>> indexes;  // name, definition
  {
    StatementUse list(db.cached("bulk.indexes",
                                "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'trace_rows'"
                                " AND sql IS NOT NULL ORDER BY name"));
    while (list->step()) indexes.emplace_back(list->column_text(0), list->column_text(1));
  }
  std::string definitions;
  for (const auto& [name, sql] : indexes) {
    if (sql.find('\n') != std::string::npos)
      throw Error("StoreError", "store '" + store_.path() + "': index '" + name + "' is defined on several lines");
    definitions += sql + "\n";
  }
  store_.set_config(kBulkLoadKey, definitions);
  // Names from sqlite_schema (this store's own indexes), quoted.
  for (const auto& [name, sql] : indexes) db.exec("DROP INDEX \"" + name + "\"");
  // From here the TLS rollups' deltas wait for the load's end. What this
  // transaction accounted before stays its own (written at its commit).
  store_.deferred_tls() = std::make_unique<TlsRollupDeltas>();
  return true;
}

std::int64_t TraceWriter::finish_bulk_load() {
  drain_queue();
  Database& db = store_.db();
  std::optional<std::string> definitions = store_.get_config(kBulkLoadKey);
  if (!definitions) {
    store_.deferred_tls().reset();  // another process finished the load
    return 0;
  }
  // SQLite's sorter keeps up to the page cache's size in memory before it
  // spills sorted runs to a temporary file: with the import's 64 MiB cache
  // full besides, peak RSS went from 91 to 127 MiB. So the cache shrinks
  // for the build (its clean pages freed for the sorter) and comes back after.
  // The sorter sorts on this thread alone: a second thread (PRAGMA
  // threads=1) raised the build's CPU time by about a fifth and never its
  // speed (tests/bench/README.md, 2026-12-02 "shuffle").
  struct BuildSettings {
    Database& db;
    std::int64_t kept;
    explicit BuildSettings(Database& d) : db(d), kept(-65536) {
      auto s = db.prepare("PRAGMA cache_size");
      if (s->step()) kept = s->column_int(0);
      db.exec("PRAGMA cache_size=-" + std::to_string(kBulkBuildCacheKiB));
      db.exec("PRAGMA shrink_memory");
    }
    ~BuildSettings() {
      sqlite3_exec(db.handle(), ("PRAGMA cache_size=" + std::to_string(kept)).c_str(), nullptr, nullptr, nullptr);
    }
  } build_settings(db);
  std::int64_t removed = 0;
  auto remove_duplicates = [&] {
    // The rows one insert at a time would have refused: a later row with an
    // earlier row's key. Found through a plain index on the key, built for
    // this and dropped after.
    db.exec("CREATE INDEX IF NOT EXISTS bulk_load_keys ON trace_rows(received, fingerprint)");
    std::vector<std::int64_t> later;
    {
      StatementUse s(db.cached("bulk.duplicates",
                               "SELECT t.id FROM trace_rows t WHERE EXISTS (SELECT 1 FROM trace_rows u"
                               " WHERE u.received = t.received AND u.fingerprint = t.fingerprint AND u.id < t.id)"));
      while (s->step()) later.push_back(s->column_int(0));
    }
    for (std::int64_t id : later) {
      account(stored_trace(db, id), -1);
      StatementUse del(db.cached("lifecycle.delete_trace", "DELETE FROM trace_rows WHERE id = ?1"));
      del->bind(1, id);
      del->run();
    }
    db.exec("DROP INDEX bulk_load_keys");
    removed += static_cast<std::int64_t>(later.size());
  };
  std::size_t start = 0;
  while (start < definitions->size()) {
    std::size_t end = definitions->find('\n', start);
    if (end == std::string::npos) end = definitions->size();
    std::string sql = definitions->substr(start, end - start);
    start = end + 1;
    if (sql.empty()) continue;
    // A definition sqlite_schema gave when the load began.
    int rc = sqlite3_exec(db.handle(), sql.c_str(), nullptr, nullptr, nullptr);
    if (rc == SQLITE_CONSTRAINT && removed == 0) {
      remove_duplicates();
      rc = sqlite3_exec(db.handle(), sql.c_str(), nullptr, nullptr, nullptr);
    }
    if (rc == SQLITE_INTERRUPT) throw Error("OperationInterrupted", "interrupted");
    if (rc != SQLITE_OK)
      throw Error("StoreError", "store '" + store_.path() + "': cannot rebuild an index after a bulk load: " +
                                    sqlite3_errmsg(db.handle()));
  }
  // The TLS rollups: the deltas this process deferred, written once; or,
  // when it does not hold all of them (the load was killed, or a batch of
  // it rolled back), rebuilt from the traces, which this transaction's own
  // TLS deltas so far are then part of.
  if (std::unique_ptr<TlsRollupDeltas>& deferred = store_.deferred_tls()) {
    deferred->apply(db);
    deferred.reset();
  } else {
    tls_deltas_.clear();
    rebuild_tls_rollups(db);
  }
  StatementUse clear(db.cached("bulk.clear", "DELETE FROM config WHERE key = ?1"));
  clear->bind(1, kBulkLoadKey);
  clear->run();
  return removed;
}

}  // namespace mailflow
