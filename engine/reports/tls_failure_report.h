// Failed TLS handshakes (Get-TlsFailure, the TlsFailures insight, the
// dashboard's failures per day), from the tls_failures table.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "reports/insights.h"
#include "reports/report_filter.h"
#include "store/tls_failure_store.h"
#include "store/trace_store.h"

namespace mailflow {

// Every failure in the filter's range and direction, in time order.
std::vector<StoredTlsFailure> tls_failure_list(TraceStore& store, const ReportFilter& filter);

// The peer a failure is listed under: its host name, else its IP, else "".
std::string tls_failure_peer(const StoredTlsFailure& f);

struct TlsFailureGroupRow {
  Direction direction = Direction::Inbound;
  std::string key;  // the peer, the reason, the day (YYYY-MM-DD) or the connector
  std::int64_t failures = 0;
};

// -By Peer|Reason|Day (and Connector, for the insight): most failures first
// (Day: in day order), then direction and key.
std::vector<TlsFailureGroupRow> tls_failure_groups(TraceStore& store, const ReportFilter& filter,
                                                   TlsFailureGrouping grouping);

// The TlsFailures insight: a connector or peer whose failures in the range
// exceed `threshold`, or at least doubled against the period of the same
// length just before (which had at least one). Value: the failures in the
// range; Threshold: the threshold in force. Per connector first, then per
// peer, each ordered by direction and key.
std::vector<InsightFinding> tls_failure_findings(TraceStore& store, const ReportFilter& filter, double threshold);

}  // namespace mailflow
