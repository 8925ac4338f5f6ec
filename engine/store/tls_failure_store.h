// Failed TLS handshakes (table tls_failures, migration 8): kept by the
// importer from ReaderSink::tls_failure, read by Get-TlsFailure, the
// TlsFailures insight and the dashboard. Every statement is named and bound.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "core/trace.h"
#include "store/trace_store.h"

namespace mailflow {

struct StoredTlsFailure {
  UnixSeconds time = 0;
  Direction direction = Direction::Inbound;
  std::optional<std::string> peer_host;
  std::optional<std::string> peer_ip;
  std::optional<std::string> connector;
  std::string reason;
  std::string text;
};

// Keeps `f` unless one with the same fingerprint is kept, and counts it in
// the daily rollup tls_failure_daily (migration 9) in the same transaction
// (the caller's, or one of its own when none is open). Returns true when added.
bool add_tls_failure(TraceStore& store, const StoredTlsFailure& f, std::int64_t fingerprint,
                     std::optional<std::int64_t> file_id);

// Which failures a query reads: [start, end) and an optional direction.
struct TlsFailureSelection {
  UnixSeconds start = 0;
  UnixSeconds end = 0;
  std::optional<Direction> direction;
};

// In time order (then id).
std::vector<StoredTlsFailure> tls_failures(TraceStore& store, const TlsFailureSelection& sel);

// Counts grouped by direction and a key: the peer (host, else IP), the
// reason, or the UTC day (as "YYYY-MM-DD" is the report's business: the day
// number is returned in `day`). Per connector and per peer domain over days,
// the rollup below answers.
enum class TlsFailureGrouping { Peer, Reason, Day };
struct TlsFailureCount {
  Direction direction = Direction::Inbound;
  std::string key;
  DayNumber day = 0;  // Day only
  std::int64_t failures = 0;
};
std::vector<TlsFailureCount> tls_failure_counts(TraceStore& store, const TlsFailureSelection& sel,
                                                TlsFailureGrouping grouping);

// The daily failure rollup (tls_failure_daily, migration 9): failures per UTC
// day, direction, connector ('' for none) and peer registered domain
// (core/registered_domain.h peer_names: the domain, else the IP, else '').
// Every report on failures per connector or peer reads it, never tls_failures.
struct TlsFailureRollupCount {
  Direction direction = Direction::Inbound;
  std::string connector;
  std::string peer_domain;
  std::int64_t failures = 0;
};
// Failures from day `first` to `last` (inclusive) per direction, connector
// and peer domain, in that order: one search over the rollup's key.
std::vector<TlsFailureRollupCount> tls_failure_rollup_counts(TraceStore& store, DayNumber first, DayNumber last);

// Rebuilds tls_failure_daily from tls_failures (migration 9 on an existing
// store). Needs the SQL functions of store/tls_rollups.h on `db`.
void backfill_tls_failure_daily(Database& db);

}  // namespace mailflow
