// Get-TlsFailure: failed TLS handshakes, listed or counted; -AsInsight runs
// the built-in TlsFailures insight rule (stdlib/rules/tls_failures.lua) on
// the same statistics Get-MailFlowInsights gives it (reports/insights.h).
#include "cmdlets/mail_flow_config.h"
#include "cmdlets/report_parameters.h"
#include "cmdlets/report_records.h"
#include "cmdlets/tls_readiness_records.h"
#include "core/error.h"
#include "host/session.h"
#include "reports/insights.h"
#include "reports/tls_failure_report.h"

namespace mailflow {

namespace {

// The TlsFailures rule's rows, exactly as Get-MailFlowInsights -Rule
// TlsFailures gives them: -Threshold, else the stored TlsFailuresThreshold,
// else the rule's default.
std::vector<InsightFinding> tls_failure_insight(Session& session, const ReportFilter& filter,
                                                std::optional<double> threshold) {
  InsightRule* rule = session.rules ? session.rules->find("TlsFailures") : nullptr;
  if (!rule)
    throw Error("UnknownRule",
                "-AsInsight needs the built-in insight rule TlsFailures, which is not loaded (is the stdlib installed?)");
  InsightRequest request;
  request.rules = {rule};
  for (const RuleParameter& p : rule->parameters())
    request.params[p.name] = stored_rule_parameter(*session.store, p.name).value_or(p.default_value);
  if (threshold) request.params["TlsFailuresThreshold"] = *threshold;
  return evaluate_insights(insight_stats(*session.store, filter, needs_failure_counts(request.rules)), request);
}

}  // namespace

CmdletSpec get_tls_failure_cmdlet() {
  CmdletSpec spec;
  spec.name = "Get-TlsFailure";
  spec.synopsis = "Failed TLS handshakes from server logs, listed or counted by peer, reason or day.";
  spec.description =
      "Lists the failed TLS handshakes of the range (Postfix 'SSL_accept error', 'lost connection after "
      "STARTTLS', 'Cannot start TLS', 'TLS is required, but was not offered', Exchange 'TLS negotiation "
      "failed'), oldest first. Peer is the host name the log gave, else the IP. With -By the failures are "
      "counted per direction and peer, reason class or UTC day (Key). -AsInsight runs the TlsFailures "
      "insight: a connector or peer whose failures exceed -Threshold (default 10) or at least doubled "
      "against the period of the same length before.";
  spec.parameters = declare_parameters({
      ParameterSet::Range, ParameterSet::Direction,
      Param::Enum("By", {"Peer", "Reason", "Day"}, "count per Peer, Reason or Day"),
      Param::Switch("AsInsight", "TlsFailures insight rows"),
      Param::Double("Threshold", "with -AsInsight: failures above this fire")
          .default_help("the stored TlsFailuresThreshold (Get-MailFlowConfig), else 10")
          .min(0),
  });
  // The list, the counts (-By) or the insight rows (-AsInsight).
  spec.outputs = merged_columns(merged_columns(kTlsFailureColumns, kTlsFailureGroupColumns), kInsightColumns);
  spec.examples = {
      {"Get-TlsFailure -EndDate 2026-12-01 -By Peer", "Which peers' STARTTLS failed most in the week ending 1 December 2026."},
      {"Get-TlsFailure -EndDate 2026-12-01 -Direction Outbound -By Reason", "Why outbound TLS failed in that week."},
      {"Get-TlsFailure -EndDate 2026-12-01 -AsInsight -Threshold 5",
       "Connectors and peers with more than 5 failures in that week, or twice as many as the week before."},
  };
  spec.run = [](Session& session, const BoundParameters& params, std::unique_ptr<RecordStream>)
      -> std::unique_ptr<RecordStream> {
    ReportFilter filter;
    filter.range = bound_date_range(session, params);
    if (auto d = params.string("Direction")) {
      filter.direction = parse_direction(*d);
      if (!filter.direction) throw Error("InvalidDirection", "-Direction '" + *d + "' is not Inbound or Outbound");
    }
    auto by = params.string("By");
    if (params.flag("AsInsight")) {
      if (by) throw Error("ConflictingParameters", "-By and -AsInsight exclude each other; give one of them");
      return std::make_unique<VectorStream>(
          insight_records(tls_failure_insight(session, filter, params.number("Threshold"))));
    }
    if (!by) return std::make_unique<VectorStream>(tls_failure_records(tls_failure_list(*session.store, filter)));
    TlsFailureGrouping g = iequals(*by, "Peer")     ? TlsFailureGrouping::Peer
                           : iequals(*by, "Reason") ? TlsFailureGrouping::Reason
                                                    : TlsFailureGrouping::Day;
    return std::make_unique<VectorStream>(tls_failure_group_records(tls_failure_groups(*session.store, filter, g)));
  };
  return spec;
}

}  // namespace mailflow
