// What every aggregate report is asked for: a date range, an optional
// direction and which connectors to count.
#pragma once

#include <optional>
#include <string>

#include "core/date_range.h"
#include "core/trace.h"

namespace mailflow {

enum class ConnectorScope {
  All,    // All Mail Flow: every connector and traffic without one
  Named,  // one connector (-Connector NAME, matched case-insensitively)
  None,   // only traffic without a connector (-NoConnector)
};

struct ReportFilter {
  DateRange range;
  std::optional<Direction> direction;
  ConnectorScope scope = ConnectorScope::All;
  std::string connector;  // for ConnectorScope::Named
};

// Status of the records reports count (SPEC 4: messages that crossed the boundary).
inline constexpr const char* kDeliveredStatus = "Delivered";

}  // namespace mailflow
