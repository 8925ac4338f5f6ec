// Get-MailFlowInsights: runs every insight rule over per-connector statistics
// from the daily rollup. Also owns insight_rule_parameters, the dynamic
// parameters of this cmdlet (and Set-MailFlowConfig): those the rules declare.
#include <algorithm>
#include <iostream>
#include <set>

#include "cmdlets/insight_parameters.h"
#include "cmdlets/mail_flow_config.h"
#include "cmdlets/report_parameters.h"
#include "cmdlets/report_records.h"
#include "host/session.h"
#include "core/error.h"
#include "core/terminal.h"
#include "reports/connector_names.h"
#include "reports/insights.h"

namespace mailflow {

namespace {

std::vector<InsightRule*> selected_rules(Session& session, const BoundParameters& params) {
  std::vector<InsightRule*> all = session.rules ? session.rules->all() : std::vector<InsightRule*>{};
  std::vector<std::string> wanted = params.strings("Rule");
  if (wanted.empty()) return all;
  std::vector<InsightRule*> chosen;
  for (const std::string& name : wanted) {
    InsightRule* rule = session.rules ? session.rules->find(trim(name)) : nullptr;
    if (!rule) {
      std::vector<std::string> known;
      for (InsightRule* r : all) known.push_back(r->name());
      throw Error("UnknownRule", "-Rule '" + name + "' is not a loaded insight rule; known: " +
                                     (known.empty() ? std::string("(none)") : join(known, ", ")));
    }
    chosen.push_back(rule);
  }
  // Rows keep the load order of the rules whatever order -Rule names them in.
  std::vector<InsightRule*> out;
  for (InsightRule* r : all)
    if (std::find(chosen.begin(), chosen.end(), r) != chosen.end()) out.push_back(r);
  return out;
}

// Every rule parameter's value in force: the parameter given, else the
// stored setting, else the rule's default.
std::map<std::string, double> parameters_in_force(Session& session, const BoundParameters& params) {
  std::map<std::string, double> out;
  if (!session.rules) return out;
  for (InsightRule* rule : session.rules->all())
    for (const RuleParameter& p : rule->parameters()) {
      if (out.count(p.name)) continue;
      if (const Value* v = params.find(p.name); v && !v->is_null()) {
        if (!v->is_number())
          throw Error("InvalidParameter", "-" + p.name + " needs a number, not '" + v->to_display() + "'");
        out[p.name] = v->as_number();
      } else if (auto stored = stored_rule_parameter(*session.store, p.name)) {
        out[p.name] = *stored;
      } else {
        out[p.name] = p.default_value;
      }
    }
  return out;
}

}  // namespace

std::vector<InsightFinding> insight_findings(Session& session, const BoundParameters& params,
                                             const DateRange& range) {
  ReportFilter filter;
  filter.range = range;
  InsightRequest request;
  request.rules = selected_rules(session, params);
  request.params = parameters_in_force(session, params);
  if (auto m = params.integer("MinMessages")) {
    if (*m < 0)
      throw Error("InvalidParameter", "-MinMessages " + std::to_string(*m) + " is negative; give 0 or more");
    request.min_messages = *m;
  }
  // The failure counts only when a selected rule reads them: they are two
  // GROUP BYs over the failure rollup on every call.
  std::vector<InsightStats> stats = insight_stats(*session.store, filter, needs_failure_counts(request.rules));
  // Rules call cmdlets (PlainTextRise: Get-TlsUsage -Connector for every
  // connector): they resolve connector names from one read of them.
  ConnectorNameSnapshot names(*session.store);
  struct Restore {
    Session& session;
    ConnectorNameSnapshot* outer;
    ~Restore() { session.connector_names = outer; }
  } restore{session, session.connector_names};
  session.connector_names = &names;
  std::vector<std::string> warnings;
  std::vector<InsightFinding> findings = evaluate_insights(stats, request, &warnings);
  for (const std::string& w : warnings) std::cerr << "WARNING: " << terminal_safe(w) << std::endl;
  return findings;
}

namespace {

std::unique_ptr<RecordStream> get_mail_flow_insights(Session& session, const BoundParameters& params,
                                                     std::unique_ptr<RecordStream>) {
  return std::make_unique<VectorStream>(
      insight_records(insight_findings(session, params, bound_date_range(session, params))));
}

}  // namespace

CmdletSpec get_mail_flow_insights_cmdlet() {
  CmdletSpec spec;
  spec.name = "Get-MailFlowInsights";
  spec.synopsis = "Insights about connectors whose TLS use needs attention.";
  spec.description =
      "Evaluates every loaded insight rule (built-in: NoTls 'No TLS is over 25%', Tls10 'TLS 1.0 "
      "is above 50%', PlainTextRise, TlsFailures) on each connector and direction with Delivered "
      "traffic in the range; traffic without a connector is not judged. TlsFailures judges every "
      "connector and peer with failed TLS handshakes in the range (from the daily failure rollup; a "
      "peer's row has no Connector, its Messages are the failures). A rule parameter (e.g. -NoTlsThreshold) comes "
      "from the command, else Set-MailFlowConfig, else the rule's default. One row per connector, "
      "direction and rule that fires, ordered by rule, direction, connector.";
  spec.parameters = declare_parameters({
      ParameterSet::Range,
      Param::Int("MinMessages", "skip connectors with fewer delivered messages in the range")
          .default_value(Value(static_cast<std::int64_t>(1)))
          .min(0),
      Param::Strings("Rule", "only these rules (names as listed by Get-MailFlowInsights' help)")
          .completion(Completion::Rule),
  });
  spec.outputs = kInsightColumns;
  spec.examples = {
      {"Get-MailFlowInsights -Days 30", "Insights over the last 30 days with the thresholds in force."},
      {"Get-MailFlowInsights -Days 30 -Rule NoTls -MinMessages 100", "Only the NoTls rule over 30 days, and only for connectors with 100 messages or more. Rule parameters such as -NoTlsThreshold 10 are accepted too."},
  };
  spec.dynamic_parameters = [](const Session& session) { return insight_rule_parameters(session, true); };
  spec.run = get_mail_flow_insights;
  return spec;
}

std::vector<ParamSpec> insight_rule_parameters(const Session& session, bool stored_default_help) {
  std::vector<ParamSpec> out;
  if (!session.rules) return out;
  std::set<std::string, ILess> names;
  for (InsightRule* rule : session.rules->all())
    for (const RuleParameter& rp : rule->parameters()) {
      if (!names.insert(rp.name).second) continue;
      Param p = Param::Double(rp.name, (rp.help.empty() ? std::string("parameter") : rp.help) + " (rule " +
                                           rule->name() + ", default " + Value(rp.default_value).to_display() + ")");
      if (stored_default_help)
        p.default_help("the stored setting (Get-MailFlowConfig), else " + Value(rp.default_value).to_display());
      out.push_back(std::move(p));
    }
  return out;
}

}  // namespace mailflow
