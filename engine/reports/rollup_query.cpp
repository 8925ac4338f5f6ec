#include "reports/rollup_query.h"

namespace mailflow {

std::vector<RollupCount> delivered_counts(TraceStore& store, const ReportFilter& filter,
                                          RollupGrouping grouping) {
  RollupSelection selection;
  selection.first = filter.range.first;
  selection.last = filter.range.last;
  selection.direction = filter.direction;
  using C = RollupSelection::Connectors;
  selection.connectors = filter.scope == ConnectorScope::All     ? C::All
                         : filter.scope == ConnectorScope::Named ? C::Named
                                                                 : C::None;
  selection.connector = filter.connector;
  selection.status = kDeliveredStatus;
  return rollup_counts(store, selection, grouping);
}

}  // namespace mailflow
