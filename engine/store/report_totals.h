// Message counts imported from reports (the EAC connector report) rather than
// traced message by message. They go into the daily rollup; this table only
// remembers which report rows are in, so that importing a report again adds
// nothing. Created here when missing, apart from the trace schema.
#pragma once

#include <cstdint>
#include <optional>

#include "store/trace_store.h"

namespace mailflow {

class ReportTotalsStore {
 public:
  explicit ReportTotalsStore(TraceStore& store);
  // Records report row `fingerprint`; false when it was imported before.
  bool remember(std::int64_t fingerprint, std::optional<std::int64_t> file_id);

 private:
  TraceStore& store_;
};

}  // namespace mailflow
