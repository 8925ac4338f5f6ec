// The rollups the TLS readiness reports read (issue #15), kept in step with
// the traces exactly as the daily rollup is: TraceWriter hands every change
// of a stored trace (insert, lifecycle settle, late session TLS,
// re-attribution) to TlsRollupDeltas::account, and TlsRollupDeltas::apply
// writes the batch's deltas in the same transaction, just before COMMIT.
//
//   tls_peer_daily  (day, direction, connector, peer domain, host, IP, TLS):
//                   messages, first and last seen  -> Get-TlsPeerReport,
//                   Test-TlsPolicy, the dashboard's TLS readiness section
//   tls_trust_daily (day, direction, connector, trust): messages
//                   -> Get-TlsUsage -ByTrust
//
// Both count Delivered records only (SPEC 4: what crossed the boundary).
// After a batch each equals the GROUP BY of the same columns over traces
// (tls_rollup_fresh_sql below), first and last seen included: a removal that
// took a group's first or last message recomputes them from that day's
// traces (re-attribution and late TLS only; imports only add).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include "core/trace.h"
#include "store/sqlite.h"

namespace mailflow {

// SQL functions the migration's backfill, the first/last recomputation and
// the raw GROUP BY comparisons use (deterministic, registered on every
// connection by TraceStore):
//   mailflow_peer_domain(direction, recipient, remote_host, remote_ip)
//     inbound: the registered domain of the host, else the IP; outbound: the
//     recipient's domain (lower case), else as inbound
//   mailflow_peer_host(remote_host): lower case, '' for none or "unknown"
void register_tls_rollup_functions(Database& db);

// The peer columns a trace is counted under.
struct TracePeer {
  std::string domain, host, ip;
};
TracePeer trace_peer(const Trace& t);

class TlsRollupDeltas {
 public:
  // +1 / -1 of trace `t` as stored (all of its peer, trust and TLS fields).
  void account(const Trace& t, int sign);
  // Writes the deltas (inside the caller's transaction) and clears them.
  void apply(Database& db);

 private:
  using PeerKey = std::tuple<DayNumber, int, std::string, std::string, std::string, std::string, int>;
  struct PeerDelta {
    std::int64_t messages = 0;
    std::optional<UnixSeconds> first_added, last_added;      // of the traces added
    std::optional<UnixSeconds> first_removed, last_removed;  // of the traces removed
  };
  using TrustKey = std::tuple<DayNumber, int, std::string, std::string>;
  std::map<PeerKey, PeerDelta> peers_;
  std::map<TrustKey, std::int64_t> trust_;
};

// The GROUP BY over traces that tls_peer_daily (`peer`) or tls_trust_daily
// equals, columns in the table's order: for tests and the benchmark.
std::string tls_rollup_fresh_sql(bool peer);

}  // namespace mailflow
