// Failed TLS handshakes (Get-TlsFailure's list and counts, the dashboard's
// failures per day), from the tls_failures table. The TlsFailures insight
// reads the daily failure rollup instead (reports/insights.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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
  std::string key;  // the peer, the reason or the day (YYYY-MM-DD)
  std::int64_t failures = 0;
};

// -By Peer|Reason|Day: most failures first
// (Day: in day order), then direction and key.
std::vector<TlsFailureGroupRow> tls_failure_groups(TraceStore& store, const ReportFilter& filter,
                                                   TlsFailureGrouping grouping);

}  // namespace mailflow
