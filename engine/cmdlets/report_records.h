// Report rows as pipeline records, with the property names and order of
// SPEC 5. Shared by the cmdlets that emit the same rows (Get-TlsUsage and
// Get-ConnectorReport -View TlsUsage).
#pragma once

#include <string>
#include <vector>

#include "core/value.h"
#include "reports/connector_report.h"
#include "reports/insights.h"
#include "reports/tls_usage.h"

namespace mailflow {

// Each row's columns, declared once: the records below are built with them
// and the cmdlets declare them as their `outputs` (examples_test checks every
// emitted record against the outputs).
inline const std::vector<std::string> kConnectorDayColumns = {"Date", "Direction", "Connector", "Messages"};
// Without -ByConnector a row has no Connector column.
inline const std::vector<std::string> kTlsUsageColumns = {"Direction", "Connector", "TlsVersion", "Messages",
                                                          "Percent"};
inline const std::vector<std::string> kInsightColumns = {"Rule",  "Title",     "Direction", "Connector",
                                                         "Value", "Threshold", "Messages",  "Recommendation"};

// The columns of two views in one order, each view's columns a subsequence
// of it (Get-ConnectorReport: MailFlow and TlsUsage).
std::vector<std::string> merged_columns(std::vector<std::string> first, const std::vector<std::string>& second);

std::vector<Value> connector_day_records(const std::vector<ConnectorDayRow>& rows);
std::vector<Value> tls_usage_records(const std::vector<TlsUsageRow>& rows, bool by_connector);
std::vector<Value> insight_records(const std::vector<InsightFinding>& findings);

}  // namespace mailflow
