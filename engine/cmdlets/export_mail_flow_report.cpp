// Export-MailFlowReport: the HTML dashboard. The data are the typed report
// rows of reports/ that Get-TlsUsage, Get-ConnectorReport and
// Get-MailFlowInsights turn into records, computed with the same filter, so
// that the page shows exactly what those cmdlets return for the same range.
#include <chrono>
#include <filesystem>

#include "host/cmdlet.h"
#include "cmdlets/report_parameters.h"
#include "host/session.h"
#include "core/error.h"
#include "core/text.h"
#include "locale/messages.h"
#include "render/dashboard_html.h"
#include "cmdlets/atomic_file.h"
#include "cmdlets/insight_parameters.h"
#include "reports/connector_report.h"
#include "reports/smtp_auth_report.h"
#include "reports/tls_failure_report.h"
#include "reports/tls_readiness.h"
#include "reports/tls_usage.h"
#include "store/trace_store.h"

namespace mailflow {

namespace {

std::string now_utc() {
  auto now = std::chrono::system_clock::now();
  return format_instant(std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
}

std::unique_ptr<RecordStream> run(Session& session, const BoundParameters& params,
                                  std::unique_ptr<RecordStream>) {
  const std::string path = params.string("Path").value_or("");
  // Checked before any report runs: a refusal costs nothing and writes nothing.
  check_output_path("Export-MailFlowReport", path, params.flag("Force"));
  const DateRange range = bound_date_range(session, params);
  std::shared_ptr<const Culture> culture = current_culture_ptr();
  if (auto name = params.string("Culture")) {
    try {
      culture = Culture::get(*name);
    } catch (const Error& e) {
      throw Error(e.id(), std::string("Export-MailFlowReport: ") +
                              (e.id() == "UnknownCulture" ? "-Culture " : "") + e.what());
    }
  }
  // The page and the insights' titles and recommendations in that culture.
  CultureScope in_culture(culture);

  DashboardInput in;
  in.culture = culture;
  in.start_day = range.first;
  in.end_day = range.last;
  in.store = session.store ? session.store->path() : "";
  in.generated_at = now_utc();
  in.direction = params.string("Direction");
  in.connector = params.string("Connector");
  const bool no_connector = params.flag("NoConnector");
  if (no_connector) in.connector = connector_label(std::nullopt);

  // The rows Get-TlsUsage, Get-ConnectorReport and Get-MailFlowInsights
  // emit for the same range and scope, as typed report rows.
  const ReportFilter filter = bound_report_filter(session, params);
  in.tls_summary = tls_usage(*session.store, filter, false);
  in.tls_by_connector = tls_usage(*session.store, filter, true);
  in.mail_flow = connector_report(*session.store, filter);
  // The insights judge every connector of the range; keep the ones in scope
  // (traffic without a connector is never judged).
  for (InsightFinding& f : insight_findings(session, BoundParameters{}, filter.range)) {
    if (in.direction && !iequals(direction_name(f.direction), *in.direction)) continue;
    if (no_connector || (filter.scope == ConnectorScope::Named && !iequals(f.connector, filter.connector)))
      continue;
    in.insights.push_back(std::move(f));
  }

  // TLS readiness: the rows of Get-TlsPeerReport -MaximumVersion TLS1.1
  // -First 20, Test-TlsPolicy -MinimumVersion TLS1.2, Get-TlsFailure -By Day,
  // Get-SmtpAuthClientReport and Get-TlsUsage -ByTrust -Direction Outbound
  // for the same range and scope.
  TlsPeerQuery old_peers;
  old_peers.maximum_version = TlsVersion::Tls11;
  old_peers.first = 20;  // the 20 with most messages at risk
  in.tls_old_peers = tls_peer_report(*session.store, filter, old_peers);
  in.tls_policy = test_tls_policy(*session.store, filter, TlsPolicy{TlsVersion::Tls12, false});
  ReportFilter failures;  // Get-TlsFailure has no connector scope
  failures.range = filter.range;
  failures.direction = filter.direction;
  in.tls_failures_by_day = tls_failure_groups(*session.store, failures, TlsFailureGrouping::Day);
  in.smtp_auth_clients = smtp_auth_client_report(*session.store, filter.range);
  if (!filter.direction || *filter.direction == Direction::Outbound) {
    ReportFilter trust = filter;
    trust.direction = Direction::Outbound;
    in.outbound_trust = tls_trust_usage(*session.store, trust, false);
  }

  const std::string html = render_dashboard_html(in);
  write_file_atomically("Export-MailFlowReport", path, html, params.flag("Force"));
  return std::make_unique<VectorStream>(std::vector<Value>{make_record(
      {"Path", "StartDate", "EndDate", "Bytes"},
      {Value(std::filesystem::absolute(path).lexically_normal().string()),
       Value(Date{range.first}), Value(Date{range.last}),
       Value(static_cast<std::int64_t>(html.size()))})});
}

}  // namespace

CmdletSpec export_mail_flow_report_cmdlet() {
  CmdletSpec spec;
  spec.name = "Export-MailFlowReport";
  spec.synopsis = "Writes the mail flow dashboard as one self-contained HTML file.";
  spec.description =
      "Shows what Microsoft 365's \"Outbound and inbound mail flow\" widget and its flyouts "
      "show, over the range: \"Message protected in transit (by TLS)\" for inbound and outbound "
      "mail, the Mail Flow view (messages per day per connector), TLS usage per connector and "
      "the insights with their recommendations. The numbers are those of Get-TlsUsage, "
      "Get-ConnectorReport and Get-MailFlowInsights for the same range; they show on hover and "
      "in a table under each chart. The file has no script and makes no request; it prints on "
      "A4 or Letter. An existing file is replaced only with -Force, and never half-written. "
      "-Culture (else Set-MailFlowConfig -Culture, else LC_ALL, LC_MESSAGES, LANG) sets the "
      "page's language and its number and date formats: en, es-ES, sv-SE, zh-TW, it-IT, nl-NL.";
  spec.parameters = declare_parameters({
      Param::String("Path", "the HTML file to write").mandatory().position(0).completion(Completion::Path),
      ParameterSet::Range, ParameterSet::Direction, ParameterSet::Connector,
      Param::String("Culture",
                    "the page's language and number and date formats: en, es-ES, sv-SE, zh-TW, it-IT "
                    "or nl-NL (default: Get-MailFlowConfig's Culture, else LC_ALL, LC_MESSAGES, LANG)"),
      Param::Switch("Force", "replace the file when it exists"),
  });
  spec.outputs = {"Path", "StartDate", "EndDate", "Bytes"};
  spec.examples = {
      {"Export-MailFlowReport -Path report.html",
       "The dashboard of the last 7 days (the widget's \"last week\")."},
      {"Export-MailFlowReport report.html -Days 30 -Direction Inbound -Force",
       "Inbound mail over the last 30 days, replacing report.html."},
      {"Export-MailFlowReport informe.html -Culture es-ES",
       "The dashboard in Spanish, with Spanish number and date formats."},
  };
  spec.run = run;
  return spec;
}

}  // namespace mailflow
