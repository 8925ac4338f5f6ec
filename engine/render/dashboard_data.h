// What the HTML dashboard is drawn from: the typed report rows of reports/
// (the rows Get-TlsUsage, Get-ConnectorReport and Get-MailFlowInsights emit
// as records), plus the report's context. Rendering is a pure function of
// this (render_dashboard_html), so it is tested with fixed rows and no store.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "reports/connector_report.h"
#include "reports/insights.h"
#include "reports/smtp_auth_report.h"
#include "reports/tls_failure_report.h"
#include "reports/tls_readiness.h"
#include "reports/tls_usage.h"

namespace mailflow {

class Culture;

struct DashboardInput {
  // The page's language and number and date formats; null: the current
  // culture (Export-MailFlowReport -Culture, else the session's).
  std::shared_ptr<const Culture> culture;
  DayNumber start_day = 0;  // the range, inclusive
  DayNumber end_day = 0;
  std::string store;         // the trace store's path
  std::string generated_at;  // ISO-8601 instant
  std::optional<std::string> direction;  // -Direction given, else both
  std::optional<std::string> connector;  // -Connector given
  std::vector<TlsUsageRow> tls_summary;        // Get-TlsUsage's rows
  std::vector<TlsUsageRow> tls_by_connector;   // Get-TlsUsage -ByConnector's rows
  std::vector<ConnectorDayRow> mail_flow;      // Get-ConnectorReport's rows
  std::vector<InsightFinding> insights;        // Get-MailFlowInsights' rows
  // The TLS readiness section (render/tls_readiness_html.h).
  std::vector<TlsPeerRow> tls_old_peers;                // Get-TlsPeerReport -MaximumVersion TLS1.1 -First 20
  std::vector<TlsPolicyRow> tls_policy;                 // Test-TlsPolicy -MinimumVersion TLS1.2
  std::vector<TlsFailureGroupRow> tls_failures_by_day;  // Get-TlsFailure -By Day
  std::vector<SmtpAuthClientRow> smtp_auth_clients;     // Get-SmtpAuthClientReport
  std::vector<TlsTrustRow> outbound_trust;              // Get-TlsUsage -ByTrust -Direction Outbound
};

// The label of a connector as the reports show it: nil is "(none)", in the
// current culture's words.
std::string connector_label(const std::optional<std::string>& connector);

}  // namespace mailflow
