// Counts read from the TLS rollups (store/tls_rollups.h), never from the
// traces table: the reports of issue #15 ask these with a RollupSelection
// (day range, direction, connector scope; its status is not used: the TLS
// rollups count Delivered records only).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/rollup_counts.h"
#include "store/trace_store.h"

namespace mailflow {

// What a peer is: the registered (or recipient) domain, the host (else the
// IP) or the IP (else the host).
enum class PeerKey { Domain, Host, Ip };

struct PeerTlsCount {
  Direction direction = Direction::Inbound;
  std::optional<std::string> connector;  // by_connector only; nullopt: none
  std::string peer;
  TlsVersion tls = TlsVersion::None;
  std::int64_t messages = 0;
  UnixSeconds first_seen = 0;
  UnixSeconds last_seen = 0;
};

// Per direction, peer and TLS version (and connector with `by_connector`).
std::vector<PeerTlsCount> peer_tls_counts(TraceStore& store, const RollupSelection& sel, PeerKey key,
                                          bool by_connector);

// The same answer by GROUP BY over traces (the benchmark's and tests' baseline).
std::vector<PeerTlsCount> peer_tls_counts_from_traces(TraceStore& store, const RollupSelection& sel, PeerKey key,
                                                      bool by_connector);

struct TrustCount {
  Direction direction = Direction::Inbound;
  std::optional<std::string> connector;  // by_connector only
  std::optional<TlsTrust> trust;         // nullopt: the log did not say
  std::int64_t messages = 0;
};
std::vector<TrustCount> trust_counts(TraceStore& store, const RollupSelection& sel, bool by_connector);
std::vector<TrustCount> trust_counts_from_traces(TraceStore& store, const RollupSelection& sel, bool by_connector);

}  // namespace mailflow
