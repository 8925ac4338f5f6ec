// The trace store: one SQLite file holding traces, their daily rollup,
// connectors, import bookkeeping and settings. The store knows nothing of
// cmdlets, Lua or formatting.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "core/trace.h"
#include "store/sqlite.h"
#include "store/tls_rollups.h"

namespace mailflow {

// A stable 64-bit hash of a trace's content. `occurrence` distinguishes
// records that are identical in every field within one source file (the
// second identical line is a second message, not a duplicate).
std::int64_t trace_fingerprint(const Trace& trace, std::uint32_t occurrence = 0);

class TraceStore {
 public:
  // Opens or creates the store and migrates it to the current schema.
  explicit TraceStore(const std::string& path);

  Database& db() { return db_; }
  const std::string& path() const { return db_.path(); }

  // Settings kept in the store (MaxReportDays, thresholds, boundary).
  std::optional<std::string> get_config(const std::string& key);
  void set_config(const std::string& key, const std::string& value);

  std::int64_t trace_count();

 private:
  Database db_;
};

// Rollup key: (day, direction, connector or "", tls, status).
using RollupKey = std::tuple<DayNumber, int, std::string, int, std::string>;
struct RollupDelta {
  std::int64_t messages = 0;
  std::int64_t bytes = 0;
};

// Writes traces in one transaction and keeps the daily rollup in step with
// them: the rollup deltas of the batch are applied in the same transaction
// just before COMMIT, so the rollup always equals a GROUP BY over traces.
class TraceWriter {
 public:
  explicit TraceWriter(TraceStore& store);
  ~TraceWriter();  // rolls back when commit() was not reached

  // Inserts unless a trace with the same fingerprint exists. Returns true
  // when inserted, false for a duplicate.
  bool add(const Trace& trace, std::int64_t fingerprint, std::optional<std::int64_t> file_id);
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

  void commit();

 private:
  void account(const Trace& t, int sign);

  TraceStore& store_;
  Transaction tx_;
  std::map<RollupKey, RollupDelta> deltas_;
  TlsRollupDeltas tls_deltas_;  // the TLS reports' rollups, in the same transaction
};

}  // namespace mailflow
