// Insight evaluation: per-connector-and-direction statistics from the daily
// rollup, handed to each insight rule (InsightRule, implemented in Lua by
// engine/lua). Traffic without a connector is not judged (SPEC 5).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "reports/insight_rule.h"
#include "reports/report_filter.h"
#include "store/trace_store.h"

namespace mailflow {

// One InsightStats per connector and direction with delivered traffic or
// failed TLS handshakes in the range, ordered by direction then connector;
// connector_type and require_tls come from the connectors table when the
// connector is defined there. Then one per direction and peer with failures
// in the range (messages 0), ordered by direction then peer. The failure
// counts come from the daily failure rollup, one query for the range and one
// for the period before it; failures without a connector count per peer only.
// Without `count_failures` none of that is read: only the connectors with
// traffic, failures_counted false (for rules none of which reads failures,
// see needs_failure_counts).
std::vector<InsightStats> insight_stats(TraceStore& store, const ReportFilter& filter,
                                        bool count_failures = true);

// Whether any of `rules` reads the failure counts (InsightRule::reads_failures).
bool needs_failure_counts(const std::vector<InsightRule*>& rules);

struct InsightFinding {
  std::string rule;
  std::string title;
  Direction direction = Direction::Inbound;
  std::string connector;
  double value = 0;
  double threshold = 0;
  std::int64_t messages = 0;  // for a rule that judges failures: the failures in the range
  std::string recommendation;
  // From a rule that judges failures (TlsFailures): value, threshold and
  // messages count failed handshakes, not percentages; `peer` names the peer
  // judged ("" when it is the connector).
  bool failures = false;
  std::string peer;
};

struct InsightRequest {
  std::vector<InsightRule*> rules;        // in the order findings are listed
  std::map<std::string, double> params;   // every rule parameter's value in force
  std::int64_t min_messages = 1;          // groups with fewer messages are skipped (traffic rules)
};

// Findings ordered by rule (as in `request.rules`), then direction and connector.
// Throws Error("FailuresNotCounted") when a rule reads failure counts that
// `stats` does not hold (insight_stats called without count_failures).
// With `warnings`, a rule that fails is skipped and named there (the other
// rules' findings still come); without, its error propagates. Ctrl-C
// (Interrupted) always propagates.
std::vector<InsightFinding> evaluate_insights(const std::vector<InsightStats>& stats,
                                              const InsightRequest& request,
                                              std::vector<std::string>* warnings = nullptr);

// What to do about a finding when the rule gives no recommendation of its own:
// a partner's connector is theirs to fix, anything else is the admin's server.
std::string default_recommendation(const InsightStats& stats, const std::string& title);

}  // namespace mailflow
