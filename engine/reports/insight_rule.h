// The interface between the insight engine (engine/reports) and the rules it
// evaluates. Rules are written in Lua (stdlib/ and rule directories) through
// RegisterInsightRule; engine/lua implements InsightRule for them. Passing this
// interface down keeps reports independent of Lua.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/trace.h"

namespace mailflow {

// One connector and direction over the report range (SPEC 6 `stats`), or,
// for the rules that judge failed TLS handshakes only, one remote peer.
struct InsightStats {
  std::string connector;  // "" for a peer's statistics
  // The peer's registered domain (else its IP) when these are a peer's
  // failure counts: such statistics carry no traffic (messages 0).
  std::string peer;
  Direction direction = Direction::Inbound;
  std::string connector_type;  // Partner / OnPremises, "" when not defined in the store
  bool require_tls = false;
  std::int64_t messages = 0;
  std::map<TlsVersion, std::int64_t> count;  // every version, 0 when absent
  std::map<TlsVersion, double> percent;      // 0-100, two decimals
  std::string start_date;                    // range, YYYY-MM-DD
  std::string end_date;
  // Failed TLS handshakes (tls_failure_daily) in the range and in the period
  // of the same length just before it. insight_stats counts them only when a
  // selected rule reads them (InsightRule::reads_failures); otherwise
  // failures_counted is false and both are 0 without meaning "none".
  std::int64_t tls_failures = 0;
  std::int64_t tls_failures_before = 0;
  bool failures_counted = true;
};

struct RuleParameter {
  std::string name;  // e.g. "NoTlsThreshold": Get-MailFlowInsights accepts -NoTlsThreshold
  double default_value = 0;
  std::string help;
};

struct RuleVerdict {
  bool fires = false;
  double value = 0;      // what was measured, e.g. the None share in percent
  double threshold = 0;  // the threshold in force
  std::optional<std::string> recommendation;  // else the rule's default one
};

class InsightRule {
 public:
  virtual ~InsightRule() = default;
  virtual const std::string& name() const = 0;
  // Title with the thresholds in force, e.g. "No TLS is over 25%".
  virtual std::string title(const std::map<std::string, double>& params) const = 0;
  virtual const std::vector<RuleParameter>& parameters() const = 0;
  // Where the rule was defined (file path, or "builtin").
  virtual const std::string& source() const = 0;
  // A rule that judges failed TLS handshakes (TlsFailures) is evaluated on
  // every statistics with failures in the range, peers and connectors
  // without traffic included; other rules only on connectors' traffic.
  virtual bool judges_failures() const { return false; }
  // Whether Evaluate reads the failure counts (tls_failures,
  // tls_failures_before). They cost two GROUP BYs over the failure rollup,
  // so insight_stats counts them only when a selected rule declares this; a
  // rule that judges failures reads them.
  virtual bool reads_failures() const { return judges_failures(); }
  // `params` holds every declared parameter (default or given). Throws
  // mailflow::Error naming the rule when the rule fails or runs away.
  virtual RuleVerdict evaluate(const InsightStats& stats,
                               const std::map<std::string, double>& params) = 0;
};

class InsightRuleSet {
 public:
  // Throws Error("DuplicateRule") naming both sources when the name is taken.
  void add(std::unique_ptr<InsightRule> rule);
  InsightRule* find(std::string_view name) const;  // case-insensitive
  std::vector<InsightRule*> all() const;           // registration order

 private:
  std::vector<std::unique_ptr<InsightRule>> rules_;
};

}  // namespace mailflow
