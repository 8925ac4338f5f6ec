// Message counts read from the daily rollup, never from the traces table: a
// report over 30 days reads a few rows per day, connector and TLS version
// whatever the number of traces. reports/rollup_query.h asks this with a
// report's filter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "core/trace.h"
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

// Which rollup rows are counted.
struct RollupSelection {
  DayNumber first = 0;  // inclusive day range
  DayNumber last = 0;
  std::optional<Direction> direction;
  enum class Connectors { All, Named, None } connectors = Connectors::All;
  std::string connector;  // Named: matched case-insensitively
  std::string status;     // matched case-insensitively
};

// The SQL a grouping runs (for query-plan tests).
std::string rollup_query_sql(RollupGrouping grouping);

// Counts of the selected rows, in no particular order; groups of zero
// messages are left out.
std::vector<RollupCount> rollup_counts(TraceStore& store, const RollupSelection& selection,
                                       RollupGrouping grouping);

}  // namespace mailflow
