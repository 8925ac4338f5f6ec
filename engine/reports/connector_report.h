// The Connector report's Mail Flow view: delivered messages per day, direction
// and connector, with every day of the range present (0 for a quiet day) for
// each connector and direction that carried traffic in the range.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "reports/report_filter.h"
#include "store/trace_store.h"

namespace mailflow {

struct ConnectorDayRow {
  DayNumber day = 0;
  Direction direction = Direction::Inbound;
  std::optional<std::string> connector;  // nullopt: traffic without a connector
  std::int64_t messages = 0;
};

// Ordered by day, then direction (Inbound first), then connector (no
// connector first, then names case-insensitively) - the order Sort-Object
// Date, Direction, Connector gives.
std::vector<ConnectorDayRow> connector_report(TraceStore& store, const ReportFilter& filter);

// Report order of connectors: no connector first, then by name, ignoring case.
bool connector_less(const std::optional<std::string>& a, const std::optional<std::string>& b);

// A report's group: direction and connector (nullopt: no connector).
using DirectionConnector = std::pair<Direction, std::optional<std::string>>;

// Report order of groups: direction (Inbound first), then connector_less.
// The key order of the reports' per-group maps.
struct DirectionConnectorLess {
  bool operator()(const DirectionConnector& x, const DirectionConnector& y) const {
    if (x.first != y.first) return x.first < y.first;
    return connector_less(x.second, y.second);
  }
};

}  // namespace mailflow
