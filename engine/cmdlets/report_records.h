// Report rows as pipeline records, with the property names and order of
// SPEC 5. Shared by the cmdlets that emit the same rows (Get-TlsUsage and
// Get-ConnectorReport -View TlsUsage).
#pragma once

#include <vector>

#include "core/value.h"
#include "reports/connector_report.h"
#include "reports/insights.h"
#include "reports/tls_usage.h"

namespace mailflow {

// Date, Direction, Connector, Messages.
std::vector<Value> connector_day_records(const std::vector<ConnectorDayRow>& rows);
// Direction, [Connector,] TlsVersion, Messages, Percent.
std::vector<Value> tls_usage_records(const std::vector<TlsUsageRow>& rows, bool by_connector);
// Rule, Title, Direction, Connector, Value, Threshold, Messages, Recommendation.
std::vector<Value> insight_records(const std::vector<InsightFinding>& findings);

}  // namespace mailflow
