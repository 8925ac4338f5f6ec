// Export-MailFlowReport: the HTML dashboard. The data comes from the report
// cmdlets themselves, invoked through the registry with the same binding as
// a typed pipeline, so that the page shows exactly what Get-TlsUsage,
// Get-ConnectorReport and Get-MailFlowInsights return for the same range.
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
#include "shell/shell.h"
#include "store/trace_store.h"

namespace mailflow {

namespace {

std::vector<Value> invoke(Session& session, const char* name, const std::vector<NamedArgument>& args) {
  const CmdletSpec* spec = session.registry->find(name);
  if (!spec)
    throw Error("CommandNotFound", std::string("Export-MailFlowReport needs ") + name +
                                       ", which is not registered");
  BoundParameters bound = bind_named(*spec, args);
  auto out = spec->run(session, bound, std::make_unique<VectorStream>(std::vector<Value>{}));
  return collect(*out);
}

bool matches(const Value& record, const char* property, const std::optional<std::string>& wanted,
             bool want_null) {
  const Value* v = record.as_record().get(property);
  if (want_null) return v && v->is_null();
  if (!wanted) return true;
  return v && !v->is_null() && iequals(v->to_display(), *wanted);
}

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

  // The resolved range, not -Days: every cmdlet then reports the same days.
  std::vector<NamedArgument> scope = {{"StartDate", Value(DateTime{range.start()})},
                                      {"EndDate", Value(DateTime{start_of_day(range.last)})}};
  std::vector<NamedArgument> filtered = scope;
  if (in.direction) filtered.push_back({"Direction", Value(*in.direction)});
  if (auto c = params.string("Connector")) filtered.push_back({"Connector", Value(*c)});
  if (no_connector) filtered.push_back({"NoConnector", Value(true)});

  in.tls_summary = invoke(session, "Get-TlsUsage", filtered);
  std::vector<NamedArgument> by_connector = filtered;
  by_connector.push_back({"ByConnector", Value(true)});
  in.tls_by_connector = invoke(session, "Get-TlsUsage", by_connector);
  in.mail_flow = invoke(session, "Get-ConnectorReport", filtered);
  // Get-MailFlowInsights judges every connector; keep the ones in scope.
  for (Value& v : invoke(session, "Get-MailFlowInsights", scope))
    if (v.is_record() && matches(v, "Direction", in.direction, false) &&
        matches(v, "Connector", params.string("Connector"), no_connector))
      in.insights.push_back(std::move(v));

  // TLS readiness: the peers on TLS 1.1 or older, the TLS 1.2 what-if,
  // failures per day, SMTP AUTH clients and the outbound trust.
  std::vector<NamedArgument> old_peers = filtered;
  old_peers.push_back({"MaximumVersion", Value("TLS1.1")});
  old_peers.push_back({"First", Value(std::int64_t{20})});  // the 20 with most messages at risk
  in.tls_old_peers = invoke(session, "Get-TlsPeerReport", old_peers);
  std::vector<NamedArgument> policy = filtered;
  policy.push_back({"MinimumVersion", Value("TLS1.2")});
  in.tls_policy = invoke(session, "Test-TlsPolicy", policy);
  std::vector<NamedArgument> failures = scope;
  if (in.direction) failures.push_back({"Direction", Value(*in.direction)});
  failures.push_back({"By", Value("Day")});
  in.tls_failures_by_day = invoke(session, "Get-TlsFailure", failures);
  in.smtp_auth_clients = invoke(session, "Get-SmtpAuthClientReport", scope);
  if (!in.direction || iequals(*in.direction, "Outbound")) {
    std::vector<NamedArgument> trust = filtered;
    if (!in.direction) trust.push_back({"Direction", Value("Outbound")});
    trust.push_back({"ByTrust", Value(true)});
    in.outbound_trust = invoke(session, "Get-TlsUsage", trust);
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
  ParamSpec path;
  path.name = "Path";
  path.type = ParamType::String;
  path.help = "the HTML file to write";
  path.mandatory = true;
  path.position = 0;
  path.completion = Completion::Path;
  spec.parameters.push_back(path);
  for (ParamSpec& p : report_scope_parameters()) spec.parameters.push_back(std::move(p));
  ParamSpec culture;
  culture.name = "Culture";
  culture.type = ParamType::String;
  culture.help = "the page's language and number and date formats: en, es-ES, sv-SE, zh-TW, it-IT "
                 "or nl-NL (default: Get-MailFlowConfig's Culture, else LC_ALL, LC_MESSAGES, LANG)";
  spec.parameters.push_back(culture);
  ParamSpec force;
  force.name = "Force";
  force.type = ParamType::Switch;
  force.help = "replace the file when it exists";
  spec.parameters.push_back(force);
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
