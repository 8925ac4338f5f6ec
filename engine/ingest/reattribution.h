// Update-ConnectorAttribution's engine: after connectors change, gives the
// stored traces of log formats (the formats that do not name connectors) the
// connector attribution would give them now, moving their daily rollup
// contribution in the same transaction, so that reports afterwards equal a
// fresh import. Traces from canonical files keep the connector they named.
#pragma once

#include <cstdint>

#include "core/time.h"
#include "store/trace_store.h"

namespace mailflow {

struct ReattributionSummary {
  std::int64_t examined = 0;  // log-format traces in the range
  std::int64_t changed = 0;   // whose connector changed
};

// Traces with start <= received < end. One transaction.
ReattributionSummary reattribute_connectors(TraceStore& store, UnixSeconds start, UnixSeconds end);

}  // namespace mailflow
