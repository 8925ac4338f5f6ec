// TLS readiness (issue #15): who still uses old TLS (Get-TlsPeerReport),
// what a minimum version would break (Test-TlsPolicy), and the peer
// certificate trust per direction and connector (Get-TlsUsage -ByTrust).
// All read the TLS rollups (store/tls_rollup_counts.h), never the traces.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reports/insights.h"
#include "reports/report_filter.h"
#include "store/tls_rollup_counts.h"
#include "store/trace_store.h"

namespace mailflow {

// The rollup rows a filter selects.
RollupSelection tls_rollup_selection(const ReportFilter& filter);

// True when `v` is `limit` or weaker: None < TLS1.0 < ... < TLS1.3; Unknown never.
bool tls_at_most(TlsVersion v, TlsVersion limit);

struct TlsPeerRow {
  Direction direction = Direction::Inbound;
  std::string peer;
  std::int64_t messages = 0;
  std::map<TlsVersion, std::int64_t> count;  // every version of kTlsReportOrder and Unknown, 0 when absent
  std::optional<TlsVersion> lowest;          // weakest known version used; nullopt: only Unknown
  UnixSeconds first_seen = 0;
  UnixSeconds last_seen = 0;
  std::int64_t below_tls12() const;          // TLS1.1 + TLS1.0 + None: the messages at risk
};

struct TlsPeerQuery {
  PeerKey by = PeerKey::Domain;
  std::optional<TlsVersion> maximum_version;  // keep peers that used this version or weaker at least once
  std::optional<std::int64_t> first;          // the first N rows only
};

// Sorted by messages at risk (below TLS 1.2) descending, then messages
// descending, then direction and peer.
std::vector<TlsPeerRow> tls_peer_report(TraceStore& store, const ReportFilter& filter, const TlsPeerQuery& query);
// The same rows from PeerTlsCounts (for the raw GROUP BY comparison).
std::vector<TlsPeerRow> tls_peer_rows(const std::vector<PeerTlsCount>& counts, const TlsPeerQuery& query);

struct TlsPolicyRow {
  Direction direction = Direction::Inbound;
  std::optional<std::string> connector;  // nullopt: traffic without a connector
  std::int64_t messages = 0;             // Delivered, TLS known
  std::int64_t at_risk = 0;              // below the minimum (+ plain text when TLS is required)
  double percent = 0;                    // at_risk of messages, two decimals
  std::vector<std::string> peers;        // peers (domains) at risk, most messages at risk first
};

struct TlsPolicy {
  TlsVersion minimum = TlsVersion::Tls12;
  bool require_tls = false;
};

// One row per direction and connector with traffic, ordered by direction then connector.
std::vector<TlsPolicyRow> test_tls_policy(TraceStore& store, const ReportFilter& filter, const TlsPolicy& policy);

// Test-TlsPolicy -AsInsight: one finding per row with messages at risk.
std::vector<InsightFinding> tls_policy_findings(const std::vector<TlsPolicyRow>& rows, const TlsPolicy& policy);

struct TlsTrustRow {
  Direction direction = Direction::Inbound;
  std::optional<std::string> connector;  // by connector only
  std::optional<TlsTrust> trust;         // nullopt: the log did not say (a count, no percent)
  std::int64_t messages = 0;
  std::optional<double> percent;         // of the group's messages whose trust is known
};

// Ordered by direction, connector, then Verified, Trusted, Untrusted,
// Anonymous and the unrecorded rest.
std::vector<TlsTrustRow> tls_trust_usage(TraceStore& store, const ReportFilter& filter, bool by_connector);
// The same rows from TrustCounts (for the raw GROUP BY comparison): the
// report's shaping of counts into rows, with `by_connector` as given to it.
std::vector<TlsTrustRow> tls_trust_rows(const std::vector<TrustCount>& counts, bool by_connector);

}  // namespace mailflow
