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
#include "store/tls_failure_store.h"

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

// Direction, then connector (report order).
bool stats_less(const InsightStats& a, const InsightStats& b) {
  if (a.direction != b.direction) return a.direction < b.direction;
  return connector_less(a.connector, b.connector);
}

using FailureKey = std::pair<Direction, std::string>;

// Direction, then the name case-insensitively: connector names compare so in
// every report (the rollup keeps them as logged).
struct FailureKeyLess {
  bool operator()(const FailureKey& a, const FailureKey& b) const {
    if (a.first != b.first) return a.first < b.first;
    return ILess()(a.second, b.second);
  }
};
using FailureCounts = std::map<FailureKey, std::int64_t, FailureKeyLess>;

std::int64_t count_of(const FailureCounts& m, const FailureKey& k) {
  auto it = m.find(k);
  return it == m.end() ? 0 : it->second;
}

// Failures per (direction, connector) and per (direction, peer domain) from
// day `first` to `last`: one query over the rollup.
void count_failures(TraceStore& store, const ReportFilter& filter, DayNumber first, DayNumber last,
                    FailureCounts& by_connector, FailureCounts& by_peer) {
  for (const TlsFailureRollupCount& c : tls_failure_rollup_counts(store, first, last)) {
    if (filter.direction && c.direction != *filter.direction) continue;
    if (!c.connector.empty()) by_connector[{c.direction, c.connector}] += c.failures;
    if (!c.peer_domain.empty()) by_peer[{c.direction, c.peer_domain}] += c.failures;
  }
}

// The failure counts of the range and of the period before on the
// connectors' statistics (a connector with failures but no traffic gets
// statistics of its own), then the peers' statistics; sorts `out`.
void add_failure_stats(TraceStore& store, const ReportFilter& filter,
                       const std::map<std::string, ConnectorDefinition, ILess>& defs, std::vector<InsightStats>& out) {
  const DayNumber length = filter.range.last - filter.range.first + 1;
  FailureCounts connectors_now, connectors_before, peers_now, peers_before;
  count_failures(store, filter, filter.range.first, filter.range.last, connectors_now, peers_now);
  count_failures(store, filter, filter.range.first - length, filter.range.first - 1, connectors_before, peers_before);
  auto fresh = [&](Direction d) {
    InsightStats s;
    s.direction = d;
    for (TlsVersion v : kTlsReportOrder) s.count[v] = 0, s.percent[v] = 0;
    s.start_date = format_date(filter.range.first);
    s.end_date = format_date(filter.range.last);
    return s;
  };
  for (InsightStats& s : out) {
    FailureKey key{s.direction, s.connector};
    s.tls_failures = count_of(connectors_now, key);
    s.tls_failures_before = count_of(connectors_before, key);
    connectors_now.erase(key);  // judged with its traffic
  }
  for (const auto& [key, n] : connectors_now) {
    InsightStats s = fresh(key.first);
    s.connector = key.second;
    if (auto d = defs.find(s.connector); d != defs.end()) {
      s.connector_type = d->second.type;
      s.require_tls = d->second.require_tls;
    }
    s.tls_failures = n;
    s.tls_failures_before = count_of(connectors_before, key);
    out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end(), stats_less);
  for (const auto& [key, n] : peers_now) {
    InsightStats s = fresh(key.first);
    s.peer = key.second;
    s.tls_failures = n;
    s.tls_failures_before = count_of(peers_before, key);
    out.push_back(std::move(s));
  }
}

}  // namespace

std::vector<InsightStats> insight_stats(TraceStore& store, const ReportFilter& filter, bool count_failures) {
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
    s.failures_counted = count_failures;
    out.push_back(std::move(s));
  }
  if (count_failures) {
    add_failure_stats(store, filter, defs, out);
  } else {
    // The same order add_failure_stats gives the connectors' statistics.
    std::sort(out.begin(), out.end(), stats_less);
  }
  return out;
}

bool needs_failure_counts(const std::vector<InsightRule*>& rules) {
  return std::any_of(rules.begin(), rules.end(), [](const InsightRule* r) { return r->reads_failures(); });
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
    const bool failures = rule->judges_failures();
    const bool reads_failures = rule->reads_failures();
    for (const InsightStats& s : stats) {
      if (reads_failures && !s.failures_counted)
        throw Error("FailuresNotCounted", "insight rule " + rule->name() +
                                              " reads failed TLS handshakes, but the statistics were made without them");
      if (failures ? s.tls_failures == 0 : (!s.peer.empty() || s.messages < request.min_messages || s.messages == 0))
        continue;
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
      f.messages = failures ? s.tls_failures : s.messages;
      f.failures = failures;
      f.peer = s.peer;
      f.recommendation = v.recommendation && !v.recommendation->empty()
                             ? *v.recommendation
                             : default_recommendation(s, title);
      findings.push_back(std::move(f));
    }
  }
  return findings;
}

}  // namespace mailflow
