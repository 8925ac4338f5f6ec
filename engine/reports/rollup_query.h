// Delivered-message counts read from the daily rollup, never from the traces
// table: a report over 30 days reads a few rows per day, connector and TLS
// version whatever the number of traces.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/trace.h"
#include "reports/report_filter.h"
#include "store/trace_store.h"

namespace mailflow {

// Which rollup columns a count is grouped by; the others are summed away.
enum class RollupGrouping {
  DayDirectionConnector,  // Connector report (Mail Flow view)
  DirectionConnectorTls,  // TLS usage by connector, insight statistics
  DirectionTls,           // TLS usage over all traffic
};

struct RollupCount {
  DayNumber day = 0;                     // DayDirectionConnector only
  Direction direction = Direction::Inbound;
  std::optional<std::string> connector;  // nullopt: no connector (or not grouped)
  TlsVersion tls = TlsVersion::None;     // grouped by TLS only
  std::int64_t messages = 0;
};

// The SQL a grouping runs (for query-plan tests).
std::string rollup_query_sql(RollupGrouping grouping);

// Counts of Delivered records matching `filter`, in no particular order.
std::vector<RollupCount> delivered_counts(TraceStore& store, const ReportFilter& filter,
                                          RollupGrouping grouping);

}  // namespace mailflow
