// The rollups the TLS readiness reports read (issue #15), kept in step with
// the traces exactly as the daily rollup is: TraceWriter hands every change
// of a stored trace (insert, lifecycle settle, late session TLS,
// re-attribution) to TlsRollupDeltas::account, and TlsRollupDeltas::apply
// writes the batch's deltas in the same transaction, just before COMMIT.
//
//   tls_peer_blocks (32-day block, direction, connector, peer domain, host,
//                   IP): per day of the block and TLS version the messages
//                   and first and last seen, as one JSON array `days` of
//                   [day in block, tls, messages, first, last seconds of that
//                   day]  -> Get-TlsPeerReport, Test-TlsPolicy, the
//                   dashboard's TLS readiness section
//   tls_peer_daily  a view of those entries, one row per day, direction,
//                   connector, peer domain, host, IP and TLS (for tests and
//                   an admin with the sqlite3 shell)
//   tls_trust_daily (day, direction, connector, trust): messages
//                   -> Get-TlsUsage -ByTrust
//
// Why blocks: mail is dense over days (the same peers every day), so a
// 30-day report over a daily table reads every peer 30 times (about 59,000
// rows over 10 million traces: 292 ms). A block row holds a peer's 32 days,
// so the same report reads each peer once or twice (a range of up to 32
// days touches at most two blocks) and sums the days of the range from its
// entries: exact for any range, one row written per peer and batch.
//
// Both count Delivered records only (SPEC 4: what crossed the boundary).
// After a batch each equals the GROUP BY of the same columns over traces
// (tls_rollup_fresh_sql below), first and last seen included: a removal that
// took a day's first or last message recomputes them from that day's traces
// (re-attribution and late TLS only; imports only add).
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/registered_domain.h"
#include "core/string_table.h"
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

// Days per row of tls_peer_blocks; a row's block is floor(day / 32).
constexpr int kTlsPeerBlockDays = 32;
inline std::int64_t tls_peer_block_of(DayNumber day) {
  return day >= 0 ? day / kTlsPeerBlockDays : (static_cast<std::int64_t>(day) - (kTlsPeerBlockDays - 1)) / kTlsPeerBlockDays;
}

// One entry of a block row's `days`: a day of the block and a TLS version.
struct TlsPeerDay {
  int offset = 0;  // day - block * 32
  int tls = 0;     // as traces.tls
  std::int64_t messages = 0;
  std::int32_t first = 0, last = 0;  // seconds of that day
};
// Parses a block row's `days` (written by encode_tls_peer_days). Throws
// Error("StoreCorrupt") naming the store on anything else.
std::vector<TlsPeerDay> decode_tls_peer_days(std::string_view text, const std::string& store);
std::string encode_tls_peer_days(const std::vector<TlsPeerDay>& days);

// Migration 8: tls_peer_blocks and tls_trust_daily from the stored traces.
void backfill_tls_rollups(Database& db);

class TlsRollupDeltas {
 public:
  // Distinct strings kept interned between batches before they start again.
  static constexpr std::size_t kMaxNames = 1 << 16;
  // (day, direction, connector, peer domain, host, IP, TLS)
  using PeerKey = std::tuple<DayNumber, int, std::string, std::string, std::string, std::string, int>;

  // +1 / -1 of trace `t` as stored (all of its peer, trust and TLS fields).
  void account(const Trace& t, int sign);
  // A whole group of traces at once (the migration's backfill).
  void add_group(const PeerKey& key, std::int64_t messages, UnixSeconds first, UnixSeconds last);
  void add_trust(DayNumber day, int direction, const std::string& connector, const std::string& trust,
                 std::int64_t messages);
  // Writes the deltas (inside the caller's transaction) and clears them.
  void apply(Database& db);
  // The groups held until apply() (a bulk load's deferred deltas are
  // applied early past a bound: TraceWriter::commit).
  std::size_t groups() const { return raw_.size() + peers_.size() + trust_.size(); }
  // Forgets the deltas unapplied (the rollups were rebuilt from the traces).
  void clear();

 private:
  struct PeerDelta {
    std::int64_t messages = 0;
    std::optional<UnixSeconds> first_added, last_added;      // of the traces added
    std::optional<UnixSeconds> first_removed, last_removed;  // of the traces removed
    void merge(const PeerDelta& o);
  };
  // An import accounts every trace, so account() must be cheap: it groups
  // by the trace's raw fields, each string replaced by a small id (no
  // lower-casing, no Public Suffix lookup, no allocation once a string has
  // been seen), and apply() turns each group into its peer names once. The
  // raw fields decide the peer names (trace_peer reads only direction,
  // recipient domain, host and IP); an absent value and an empty one name
  // the same peer.
  struct RawKey {
    DayNumber day = 0;
    int direction = 0, tls = 0, trust = 0;  // trust: TlsTrust + 1, 0 for none
    std::uint32_t connector = 0, host = 0, ip = 0, recipient_domain = 0;  // Names ids, 0 for ""
    bool operator==(const RawKey&) const = default;
  };
  // A raw group's delta, its times widened by min and max from "none"
  // (the largest first, the smallest last).
  struct RawGroup {
    RawKey key;
    bool used = false;
    std::int64_t messages = 0;
    UnixSeconds first_added = kNoFirst, last_added = kNoLast;
    UnixSeconds first_removed = kNoFirst, last_removed = kNoLast;
    static constexpr UnixSeconds kNoFirst = std::numeric_limits<UnixSeconds>::max();
    static constexpr UnixSeconds kNoLast = std::numeric_limits<UnixSeconds>::min();
    PeerDelta delta() const;
  };
  // The raw groups by key: open addressing with linear probing, at most
  // half full. A std::unordered_map cost an allocation and a cache miss per
  // group: 5.4% of a shuffled CSV import's CPU (tests/bench/README.md).
  class RawGroups {
   public:
    RawGroup& at(const RawKey& key);  // an empty group when new
    std::size_t size() const { return used_; }
    const std::vector<RawGroup>& slots() const { return slots_; }  // those `used`
    void clear() {  // frees the slots: a bulk load's may be tens of MiB
      std::vector<RawGroup>().swap(slots_);
      used_ = 0;
    }

   private:
    static std::size_t hash(const RawKey& key);
    void grow();
    std::vector<RawGroup> slots_;
    std::size_t used_ = 0;
  };
  // The strings of the raw groups, each kept once, and what fold_raw worked
  // out for a host (its peer names) so that it does so once per host.
  struct Names {
    std::uint32_t id(std::string_view s);
    const std::string& text(std::uint32_t id) const { return text_[id]; }
    StringTable ids_;
    std::vector<std::string> text_ = {std::string()};
    std::vector<std::optional<PeerNames>> host_names_;
  };
  const PeerNames& host_names(std::uint32_t host);
  void fold_raw();
  void apply_peers(Database& db);
  using TrustKey = std::tuple<DayNumber, int, std::string, std::string>;
  Names names_;
  RawGroups raw_;
  std::map<PeerKey, PeerDelta> peers_;
  std::map<TrustKey, std::int64_t> trust_;
};

// Both rollups rebuilt from the stored traces (inside the caller's
// transaction): a bulk load killed before its end applied its deferred
// deltas (TraceWriter::finish_bulk_load).
void rebuild_tls_rollups(Database& db);

// The GROUP BY over traces that tls_peer_daily (`peer`) or tls_trust_daily
// equals, columns in the table's order: for tests and the benchmark.
std::string tls_rollup_fresh_sql(bool peer);

}  // namespace mailflow
