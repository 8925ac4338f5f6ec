// Get-ConnectorReport: the Connector report of the mail-flow dashboard, from
// the daily rollup.
#include "cmdlets/report_parameters.h"
#include "cmdlets/report_records.h"
#include "core/error.h"
#include "reports/connector_report.h"
#include "reports/tls_usage.h"

namespace mailflow {

CmdletSpec get_connector_report_cmdlet() {
  CmdletSpec spec;
  spec.name = "Get-ConnectorReport";
  spec.synopsis = "Delivered messages per day, direction and connector (the Connector report).";
  spec.description =
      "Mail Flow view (default): one row per day, direction and connector, for every connector and "
      "direction that had Delivered traffic in the range; every day of the range is listed, 0 when "
      "quiet. Without -Connector or -NoConnector this is All Mail Flow, traffic without a connector "
      "included as Connector null. Rows are ordered by Date, Direction (Inbound first), Connector "
      "(none first, then by name). -View TlsUsage gives the rows of Get-TlsUsage -ByConnector.";
  spec.parameters = declare_parameters({
      ParameterSet::Range, ParameterSet::Direction, ParameterSet::Connector,
      Param::Enum("View", {"MailFlow", "TlsUsage"},
                  "MailFlow (messages per day) or TlsUsage (TLS versions per connector)")
          .default_value(Value("MailFlow")),
  });
  // MailFlow's columns, or TlsUsage's (Get-TlsUsage -ByConnector).
  spec.outputs = merged_columns(kConnectorDayColumns, kTlsUsageColumns);
  spec.examples = {
      {"Get-ConnectorReport", "All Mail Flow for the last 7 days."},
      {"Get-ConnectorReport -Connector 'Fabrikam Partner Inbound' -Days 30", "One connector over 30 days."},
      {"Get-ConnectorReport -View TlsUsage -Direction Outbound", "TLS versions per outbound connector."},
  };
  spec.run = [](Session& session, const BoundParameters& params, std::unique_ptr<RecordStream>)
      -> std::unique_ptr<RecordStream> {
    std::string view = params.string("View").value_or("MailFlow");
    if (!iequals(view, "MailFlow") && !iequals(view, "TlsUsage"))
      throw Error("InvalidView", "-View '" + view + "' is not MailFlow or TlsUsage");
    ReportFilter filter = bound_report_filter(session, params);
    if (iequals(view, "TlsUsage"))
      return std::make_unique<VectorStream>(
          tls_usage_records(tls_usage(*session.store, filter, true), true));
    return std::make_unique<VectorStream>(
        connector_day_records(connector_report(*session.store, filter)));
  };
  return spec;
}

}  // namespace mailflow
