// Get-MailFlowInsights: runs every insight rule over per-connector statistics
// from the daily rollup. Also owns refresh_insight_parameters, which gives
// this cmdlet (and Set-MailFlowConfig) the parameters the rules declare.
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
#include "reports/insights.h"

namespace mailflow {

CmdletSpec set_mail_flow_config_cmdlet();

namespace {

constexpr const char* kInsightsCmdlet = "Get-MailFlowInsights";

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

std::unique_ptr<RecordStream> get_mail_flow_insights(Session& session, const BoundParameters& params,
                                                     std::unique_ptr<RecordStream>) {
  ReportFilter filter;
  filter.range = bound_date_range(session, params);
  InsightRequest request;
  request.rules = selected_rules(session, params);
  request.params = parameters_in_force(session, params);
  if (auto m = params.integer("MinMessages")) {
    if (*m < 0)
      throw Error("InvalidParameter", "-MinMessages " + std::to_string(*m) + " is negative; give 0 or more");
    request.min_messages = *m;
  }
  std::vector<InsightStats> stats = insight_stats(*session.store, filter);
  std::vector<std::string> warnings;
  std::vector<InsightFinding> findings = evaluate_insights(stats, request, &warnings);
  for (const std::string& w : warnings) std::cerr << "WARNING: " << terminal_safe(w) << std::endl;
  return std::make_unique<VectorStream>(insight_records(findings));
}

}  // namespace

CmdletSpec get_mail_flow_insights_cmdlet() {
  CmdletSpec spec;
  spec.name = kInsightsCmdlet;
  spec.synopsis = "Insights about connectors whose TLS use needs attention.";
  spec.description =
      "Evaluates every loaded insight rule (built-in: NoTls 'No TLS is over 25%', Tls10 'TLS 1.0 "
      "is above 50%') on each connector and direction with Delivered traffic in the range; "
      "traffic without a connector is not judged. A rule parameter (e.g. -NoTlsThreshold) comes "
      "from the command, else Set-MailFlowConfig, else the rule's default. One row per connector, "
      "direction and rule that fires, ordered by rule, direction, connector.";
  spec.parameters = date_range_parameters();
  ParamSpec min_messages;
  min_messages.name = "MinMessages";
  min_messages.type = ParamType::Int;
  min_messages.help = "skip connectors with fewer delivered messages in the range";
  min_messages.default_value = Value(static_cast<std::int64_t>(1));
  min_messages.min = 0;
  spec.parameters.push_back(min_messages);
  ParamSpec rule;
  rule.name = "Rule";
  rule.type = ParamType::StringArray;
  rule.help = "only these rules (names as listed by Get-MailFlowInsights' help)";
  rule.completion = Completion::Rule;
  spec.parameters.push_back(rule);
  spec.outputs = {"Rule", "Title", "Direction", "Connector", "Value", "Threshold", "Messages",
                  "Recommendation"};
  spec.examples = {
      {"Get-MailFlowInsights -Days 30", "Insights over the last 30 days with the thresholds in force."},
      {"Get-MailFlowInsights -Rule NoTls -MinMessages 100", "Only the NoTls rule, and only for connectors with 100 messages or more. Rule parameters such as -NoTlsThreshold 10 are accepted too."},
  };
  spec.run = get_mail_flow_insights;
  return spec;
}

void refresh_insight_parameters(Registry& registry, const InsightRuleSet& rules) {
  struct Target {
    const char* cmdlet;
    std::vector<ParamSpec> fixed;
  };
  Target targets[] = {{kInsightsCmdlet, get_mail_flow_insights_cmdlet().parameters},
                      {"Set-MailFlowConfig", set_mail_flow_config_cmdlet().parameters}};
  for (Target& t : targets) {
    CmdletSpec* spec = registry.find_mutable(t.cmdlet);
    if (!spec) continue;
    std::set<std::string, ILess> names;
    for (const ParamSpec& p : t.fixed) names.insert(p.name);
    std::vector<ParamSpec> params = t.fixed;
    for (InsightRule* rule : rules.all())
      for (const RuleParameter& rp : rule->parameters()) {
        if (!names.insert(rp.name).second) continue;
        ParamSpec p;
        p.name = rp.name;
        p.type = ParamType::Double;
        p.help = (rp.help.empty() ? std::string("parameter") : rp.help) + " (rule " + rule->name() +
                 ", default " + Value(rp.default_value).to_display() + ")";
        if (t.cmdlet == std::string_view(kInsightsCmdlet))
          p.default_help = "the stored setting (Get-MailFlowConfig), else " + Value(rp.default_value).to_display();
        params.push_back(std::move(p));
      }
    spec->parameters = std::move(params);
  }
}

}  // namespace mailflow
