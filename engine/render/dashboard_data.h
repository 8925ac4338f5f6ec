// What the HTML dashboard is drawn from: the record sets of the report
// cmdlets (SPEC 5) exactly as they returned them, plus the report's context.
// Rendering is a pure function of this (render_dashboard_html), so it is
// tested with fixed record sets and no store.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "core/value.h"

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
  std::vector<Value> tls_summary;        // Get-TlsUsage
  std::vector<Value> tls_by_connector;   // Get-TlsUsage -ByConnector
  std::vector<Value> mail_flow;          // Get-ConnectorReport
  std::vector<Value> insights;           // Get-MailFlowInsights
  // The TLS readiness section (render/tls_readiness_html.h).
  std::vector<Value> tls_old_peers;        // Get-TlsPeerReport -MaximumVersion TLS1.1
  std::vector<Value> tls_policy;           // Test-TlsPolicy -MinimumVersion TLS1.2
  std::vector<Value> tls_failures_by_day;  // Get-TlsFailure -By Day
  std::vector<Value> smtp_auth_clients;    // Get-SmtpAuthClientReport
  std::vector<Value> outbound_trust;       // Get-TlsUsage -ByTrust -Direction Outbound
};

// Typed views of those records. A record without a property the contract
// promises is a bug in the producer: Error("InvalidReportData") names the
// cmdlet, the record and the property.
struct FlowRow {
  DayNumber day;
  std::string direction;
  std::optional<std::string> connector;  // nil: traffic without a connector
  std::int64_t messages;
};
struct TlsRow {
  std::string direction;
  std::optional<std::string> connector;
  std::string tls_version;
  std::int64_t messages;
  std::optional<double> percent;  // nil for Unknown: not a share of the known traffic
};
struct InsightRow {
  std::string rule;
  std::string title;
  std::string direction;
  std::optional<std::string> connector;
  double value;
  double threshold;
  std::int64_t messages;
  std::string recommendation;
};

std::vector<FlowRow> flow_rows(const std::vector<Value>& records);
std::vector<TlsRow> tls_rows(const std::vector<Value>& records, const char* cmdlet);
std::vector<InsightRow> insight_rows(const std::vector<Value>& records);

// The label of a connector as the reports show it: nil is "(none)", in the
// current culture's words.
std::string connector_label(const std::optional<std::string>& connector);

}  // namespace mailflow
