// The trace store: one SQLite file holding traces, their daily rollup,
// connectors, import bookkeeping and settings. The store knows nothing of
// cmdlets, Lua or formatting.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/trace.h"
#include "core/trace_fields.h"
#include "store/sqlite.h"
#include "store/dictionary_values.h"
#include "store/tls_rollups.h"
#include "store/trace_dictionary.h"
#include "store/wal_checkpointer.h"

namespace mailflow {

// A stable 64-bit hash of a trace's content (core/hash.h). `occurrence`
// distinguishes records that are identical in every field within one source
// file (the second identical line is a second message, not a duplicate).
std::int64_t trace_fingerprint(const Trace& trace, std::uint32_t occurrence = 0);

// The fingerprint stores before schema version 6 kept (FNV-1a, a byte at a
// time); the migration to version 6 recognises it to re-key old traces.
std::int64_t legacy_trace_fingerprint(const Trace& trace, std::uint32_t occurrence = 0);

class TraceStore {
 public:
  // Opens or creates the store and migrates it to the current schema. A
  // migration that rewrites traces reports its progress through `progress`
  // (default: a line on stderr).
  explicit TraceStore(const std::string& path, std::function<void(const std::string&)> progress = nullptr);

  Database& db() { return db_; }
  const std::string& path() const { return db_.path(); }

  // Settings kept in the store (MaxReportDays, thresholds, boundary).
  std::optional<std::string> get_config(const std::string& key);
  void set_config(const std::string& key, const std::string& value);

  std::int64_t trace_count();

  // The ids of the strings trace rows refer to (one dictionary table each).
  TraceDictionaries& dictionaries() { return dictionaries_; }
  // The strings behind those ids, remembered across queries (read side).
  DictionaryValues& dictionary_values() { return dictionary_values_; }

  // The TLS rollup deltas that a bulk load begun by this process holds
  // back until its end (TraceWriter::begin_bulk_load); empty otherwise.
  std::unique_ptr<TlsRollupDeltas>& deferred_tls() { return deferred_tls_; }

 private:
  Database db_;
  TraceDictionaries dictionaries_;
  DictionaryValues dictionary_values_{db_};
  std::unique_ptr<TlsRollupDeltas> deferred_tls_;
};

// The store's settings while an import writes to it, restored when it
// ends (README, "What an import risks"): WAL stays (readers keep working),
// checkpoints run on a thread of their own while the import writes
// (wal_checkpointer.h) and once more at its end.
class BulkWrite {
 public:
  explicit BulkWrite(TraceStore& store);
  ~BulkWrite();
  BulkWrite(const BulkWrite&) = delete;
  BulkWrite& operator=(const BulkWrite&) = delete;

 private:
  Database& db_;
  std::unique_ptr<WalCheckpointer> checkpointer_;
};

// Writes traces in one transaction and keeps the daily rollup in step with
// them: the rollup deltas of the batch are applied in the same transaction
// just before COMMIT, so the rollup always equals a GROUP BY over traces.
class TraceWriter {
 public:
  explicit TraceWriter(TraceStore& store);
  ~TraceWriter();  // rolls back when commit() was not reached
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  // Inserts unless a trace with the same (received, fingerprint) exists.
  // Returns true when inserted, false for a duplicate.
  bool add(const Trace& trace, std::int64_t fingerprint, std::optional<std::int64_t> file_id);

  // add() for a caller that need not know at once whether the trace was
  // new (an import's plain records): rows are inserted kQueuedRows at a
  // time by one statement, which pays SQLite's fixed cost of a statement
  // (cursors opened and closed, memory; about a fifth of an insert) once
  // for all of them. `trace` must stay alive and unchanged until the queue
  // is flushed: by flush_queue(), or by any other call on this writer, all
  // of which insert what is queued first (so rows keep their order, and a
  // later duplicate of a queued row is the one refused).
  void add_queued(const Trace& trace, std::int64_t fingerprint, std::optional<std::int64_t> file_id);
  struct QueuedCounts {
    std::int64_t added = 0;
    std::int64_t duplicates = 0;
  };
  // Inserts what is queued; returns how many queued rows were added and
  // how many refused as duplicates since the last call (then zero again).
  QueuedCounts flush_queue();
  static constexpr std::size_t kQueuedRows = 32;
  // The dictionary id of each trace field's value (0: none), by field.
  using RowIds = std::array<std::int64_t, kTraceFieldCount>;
  // Changes the connector of stored trace `id` (attribution), moving its
  // rollup contribution accordingly.
  void set_connector(std::int64_t id, const Trace& before, const std::optional<std::string>& connector);
  // Changes the status of stored trace `id` (e.g. deferred then sent).
  void set_status(std::int64_t id, const Trace& before, const std::string& status);
  // Adds messages counted by a report, not traced one by one, to the rollup.
  void add_total(DayNumber day, Direction direction, const std::optional<std::string>& connector, TlsVersion tls,
                 const std::string& status, std::int64_t messages);
  // Changes the TLS of stored trace `id` (a protocol log told it later).
  void set_tls(std::int64_t id, const Trace& before, TlsVersion tls, const std::optional<std::string>& cipher);

  // Record lifecycle (SPEC section 4; issue #13). `keys` name the record's
  // recipient routes ("host/queue id/recipient"). A Pending record is kept
  // with its keys unless one of them is known already. A final record
  // (Delivered, Failed) replaces the Pending records of its keys,
  // inheriting the sender, size and message id it lacks, and the rollup
  // moves in the same transaction; when all its keys are settled already
  // it is a duplicate. The SQL stays here so that the store's schema can
  // change under this one entry point.
  enum class Lifecycle { Added, Settled, Duplicate };
  Lifecycle add_in_lifecycle(const Trace& trace, std::int64_t fingerprint, std::optional<std::int64_t> file_id,
                             const std::vector<std::string>& keys);
  // "status=expired" for a queue id whose deferrals were stored by an
  // earlier import: its Pending records (keys starting with `queue_key`,
  // "host/queue id/") become Failed at `time`. Returns how many.
  std::int64_t expire_pending(const std::string& queue_key, UnixSeconds time);

  // Bulk load (README, "Bulk load"). An import into a store that held no
  // traces when it began, of a file not in time order, drops the indexes of
  // trace_rows (keeping their definitions in the config table, in the same
  // transaction) and builds them once, by sorting, at its end: random
  // inserts into two B-trees cost most of such an import's time.
  // Without the unique index nothing is refused as a duplicate while the
  // load runs; finish_bulk_load() removes what it would have refused.
  // The TLS rollups' deltas are held in memory meanwhile
  // (TraceStore::deferred_tls; a batch of a shuffled file touches every
  // day, so writing them per batch rewrote every block row each time) and
  // written once at the end, or earlier past kMaxDeferredTlsGroups.
  // begin_bulk_load() returns true when the load began (false when one is
  // pending already).
  bool holds_no_traces();
  bool begin_bulk_load();
  // When a bulk load is pending (this import's, or one that was killed):
  // removes every row whose (received, fingerprint) an earlier row has (the
  // unique index would have refused it; the rollup moves with it), builds
  // the indexes, writes the deferred TLS deltas (or, when this process does
  // not hold all of them: a load that was killed, or a batch rolled back,
  // rebuilds the TLS rollups from the traces) and clears the mark, in this
  // transaction. Returns how many rows were removed (0 when no load was
  // pending).
  std::int64_t finish_bulk_load();
  static bool bulk_load_pending(TraceStore& store);
  // Deferred TLS groups held before a commit writes them (memory bound:
  // about 150 bytes a group).
  static constexpr std::size_t kMaxDeferredTlsGroups = std::size_t{1} << 17;
  // For tests: a smaller bound for this writer's commit.
  void set_deferred_tls_bound(std::size_t groups) { deferred_tls_bound_ = groups; }

  void commit();

 private:
  // Rollup key by dictionary ids; names are looked up once per key at commit.
  struct RollupKey {
    std::int64_t day, connector, status;  // connector 0: none
    int direction, tls;
    bool operator==(const RollupKey&) const = default;
  };
  struct RollupKeyHash {
    std::size_t operator()(const RollupKey& k) const;
  };
  struct RollupDelta {
    std::int64_t messages = 0;
    std::int64_t bytes = 0;
  };
  void account(const Trace& t, int sign);
  void account(const Trace& t, std::int64_t connector, std::int64_t status, int sign);
  // Where a trace's TLS rollup change goes: the bulk load's deferred deltas
  // while this process holds them, else this transaction's.
  TlsRollupDeltas& tls_deltas() {
    return store_.deferred_tls() ? *store_.deferred_tls() : tls_deltas_;
  }
  // The writer's part of the bulk load at its start and its commit (trace_bulk_load.cpp).
  void check_deferred_tls();
  void bound_deferred_tls();
  void update_field(std::int64_t id, std::string_view key, const FieldRef& value);
  // The columns of stored trace `id` that the rollups and the lifecycle read
  // (used by the lifecycle and by the bulk load's duplicate removal).
  static Trace stored_trace(Database& db, std::int64_t id);

  struct QueuedRow {
    const Trace* trace;
    std::int64_t fingerprint;
    std::optional<std::int64_t> file_id;
    RowIds ids;
  };
  // A row's values as parameters first+1.. of `s`.
  void bind_row(Statement& s, int first, const QueuedRow& row);
  // Inserts what is queued by one statement, before anything else reads or
  // writes traces.
  void drain_queue();

  TraceStore& store_;
  Transaction tx_;
  Statement& insert_;
  // The inserts by number of rows (1: insert_; 2 .. kQueuedRows prepared on first use).
  std::array<Statement*, kQueuedRows> insert_rows_{};
  std::vector<QueuedRow> queued_;
  QueuedCounts queued_counts_;
  std::unordered_map<RollupKey, RollupDelta, RollupKeyHash> deltas_;
  TlsRollupDeltas tls_deltas_;  // the TLS reports' rollups, in the same transaction
  std::size_t deferred_tls_bound_ = kMaxDeferredTlsGroups;
  bool committed_ = false;
};

}  // namespace mailflow
