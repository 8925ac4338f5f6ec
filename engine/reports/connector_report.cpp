#include "reports/connector_report.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "core/text.h"
#include "reports/rollup_query.h"

namespace mailflow {

bool connector_less(const std::optional<std::string>& a, const std::optional<std::string>& b) {
  if (!a || !b) return !a && b;
  int c = icompare(*a, *b);
  return c != 0 ? c < 0 : *a < *b;
}

std::vector<ConnectorDayRow> connector_report(TraceStore& store, const ReportFilter& filter) {
  // (direction, connector) -> messages per day offset in the range.
  std::map<DirectionConnector, std::vector<std::int64_t>, DirectionConnectorLess> groups;
  const int days = filter.range.days();
  for (const RollupCount& c : delivered_counts(store, filter, RollupGrouping::DayDirectionConnector)) {
    auto& per_day = groups[{c.direction, c.connector}];
    if (per_day.empty()) per_day.assign(static_cast<size_t>(days), 0);
    per_day[static_cast<size_t>(c.day - filter.range.first)] += c.messages;
  }
  std::vector<ConnectorDayRow> rows;
  rows.reserve(groups.size() * static_cast<size_t>(days));
  for (int d = 0; d < days; ++d)
    for (const auto& [key, per_day] : groups)
      rows.push_back({filter.range.first + d, key.first, key.second, per_day[static_cast<size_t>(d)]});
  return rows;
}

}  // namespace mailflow
