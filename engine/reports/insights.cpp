#include "reports/insights.h"

#include <algorithm>
#include <map>

#include "core/error.h"
#include "core/text.h"
#include "locale/messages.h"
#include "reports/connector_report.h"
#include "reports/percent.h"
#include "reports/rollup_query.h"
#include "store/connector_store.h"

namespace mailflow {

namespace {

struct ConnectorDefinition {
  std::string type;
  bool require_tls = false;
};

std::map<std::string, ConnectorDefinition, ILess> connector_definitions(TraceStore& store) {
  std::map<std::string, ConnectorDefinition, ILess> defs;
  for (const Connector& c : ConnectorStore(store).list()) defs[c.name] = {c.connector_type, c.require_tls};
  return defs;
}

}  // namespace

std::vector<InsightStats> insight_stats(TraceStore& store, const ReportFilter& filter) {
  auto defs = connector_definitions(store);
  std::vector<InsightStats> out;
  // Groups keyed by (direction, connector) in report order.
  std::vector<RollupCount> counts =
      delivered_counts(store, filter, RollupGrouping::DirectionConnectorTls);
  std::map<std::pair<int, std::string>, size_t> index;
  std::vector<std::pair<std::pair<Direction, std::string>, std::map<TlsVersion, std::int64_t>>> groups;
  for (const RollupCount& c : counts) {
    if (!c.connector) continue;  // traffic without a connector is not judged
    auto key = std::make_pair(static_cast<int>(c.direction), *c.connector);
    auto [it, inserted] = index.emplace(key, groups.size());
    if (inserted) groups.push_back({{c.direction, *c.connector}, {}});
    groups[it->second].second[c.tls] += c.messages;
  }
  for (auto& [key, tls_counts] : groups) {
    InsightStats s;
    s.direction = key.first;
    s.connector = key.second;
    if (auto d = defs.find(s.connector); d != defs.end()) {
      s.connector_type = d->second.type;
      s.require_tls = d->second.require_tls;
    }
    for (TlsVersion v : kTlsReportOrder) {
      s.count[v] = tls_counts.count(v) ? tls_counts[v] : 0;
      s.messages += s.count[v];
    }
    for (TlsVersion v : kTlsReportOrder) s.percent[v] = percent_of(s.count[v], s.messages);
    s.start_date = format_date(filter.range.first);
    s.end_date = format_date(filter.range.last);
    out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end(), [](const InsightStats& a, const InsightStats& b) {
    if (a.direction != b.direction) return a.direction < b.direction;
    return connector_less(a.connector, b.connector);
  });
  return out;
}

std::string default_recommendation(const InsightStats& stats, const std::string& title) {
  const bool inbound = stats.direction == Direction::Inbound;
  std::string text;
  if (iequals(stats.connector_type, "Partner"))
    text = inbound ? _("%1$s on inbound connector '%2$s'. Contact the partner that owns connector "
                       "'%2$s' and ask them to enable TLS 1.2 or later on the servers that send to "
                       "you through it; once they have, turn on -RequireTls for the connector.")
                   : _("%1$s on outbound connector '%2$s'. Contact the partner that owns connector "
                       "'%2$s' and ask them to enable TLS 1.2 or later on the servers that receive "
                       "your mail through it; once they have, turn on -RequireTls for the connector.");
  else
    text = inbound ? _("%1$s on inbound connector '%2$s'. Upgrade or reconfigure your mail server "
                       "behind connector '%2$s' to offer and accept TLS 1.2 or later (enable "
                       "STARTTLS with a valid certificate and disable TLS 1.0/1.1), then turn on "
                       "-RequireTls for the connector.")
                   : _("%1$s on outbound connector '%2$s'. Upgrade or reconfigure your mail server "
                       "behind connector '%2$s' to offer and accept TLS 1.2 or later (enable "
                       "STARTTLS with a valid certificate and disable TLS 1.0/1.1), then turn on "
                       "-RequireTls for the connector.");
  return format_message(text, {title, stats.connector});
}

std::vector<InsightFinding> evaluate_insights(const std::vector<InsightStats>& stats,
                                              const InsightRequest& request,
                                              std::vector<std::string>* warnings) {
  std::vector<InsightFinding> findings;
  for (InsightRule* rule : request.rules) {
    std::string title = rule->title(request.params);
    // A rule that fails (an error, its budget, memory cap or deadline) loses
    // its own rows, never the other rules': its findings so far are dropped
    // and the failure becomes a warning naming it. Ctrl-C still stops all.
    const size_t first_finding = findings.size();
    for (const InsightStats& s : stats) {
      if (s.messages < request.min_messages || s.messages == 0) continue;
      RuleVerdict v;
      try {
        v = rule->evaluate(s, request.params);
      } catch (const Error& e) {
        if (e.id() == "Interrupted" || e.id() == "OperationInterrupted" || !warnings) throw;
        findings.resize(first_finding);
        std::string text = e.what();
        if (text.find(rule->name()) == std::string::npos) text = "rule " + rule->name() + ": " + text;
        warnings->push_back(text + " (rule " + rule->name() + " skipped; the other rules' findings are shown)");
        break;
      }
      if (!v.fires) continue;
      InsightFinding f;
      f.rule = rule->name();
      f.title = title;
      f.direction = s.direction;
      f.connector = s.connector;
      f.value = v.value;
      f.threshold = v.threshold;
      f.messages = s.messages;
      f.recommendation = v.recommendation && !v.recommendation->empty()
                             ? *v.recommendation
                             : default_recommendation(s, title);
      findings.push_back(std::move(f));
    }
  }
  return findings;
}

}  // namespace mailflow
