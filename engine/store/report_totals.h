// Message counts imported from reports (the EAC connector report) rather than
// traced message by message. They go into the daily rollup; this table only
// remembers which report rows are in, so that importing a report again adds
// nothing. The table comes with schema version 7 (store/migrations.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "store/trace_store.h"

namespace mailflow {

class ReportTotalsStore {
 public:
  explicit ReportTotalsStore(TraceStore& store);
  // Records report row `fingerprint` (a count for `day`); false when it was imported before.
  bool remember(std::int64_t fingerprint, DayNumber day, std::optional<std::int64_t> file_id);

  // The days from `first` to `last` that hold report totals, in order: the
  // reports count them, Get-MessageTrace has no records for them. Reads
  // only (a store that never imported a report has no table to ask).
  static std::vector<DayNumber> days_with_totals(TraceStore& store, DayNumber first, DayNumber last);

 private:
  TraceStore& store_;
};

}  // namespace mailflow
