// Delivered-message counts for a report's filter, read from the daily rollup
// (store/rollup_counts.h, which owns the SQL).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/trace.h"
#include "reports/report_filter.h"
#include "store/rollup_counts.h"
#include "store/trace_store.h"

namespace mailflow {

// Counts of Delivered records matching `filter`, in no particular order.
std::vector<RollupCount> delivered_counts(TraceStore& store, const ReportFilter& filter,
                                          RollupGrouping grouping);

}  // namespace mailflow
