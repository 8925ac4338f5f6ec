// An insight rule written in Lua (RegisterInsightRule, SPEC 6): the
// InsightRule the reports engine evaluates, backed by the rule's Evaluate
// function kept in the Lua registry.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "locale/localized_text.h"
#include "lua/lua_state.h"
#include "reports/insight_rule.h"

namespace mailflow {

struct LuaRuleDefinition {
  std::string name;
  LocalizedText title;  // "{threshold}" and "{ParamName}" are replaced
  std::vector<RuleParameter> parameters;
  LocalizedText recommendation;  // used when Evaluate returns none
  std::string source;          // the file that registered it
  bool judges_failures = false;  // JudgesFailures = true (InsightRule::judges_failures)
  // ReadsFailures = true, or judges_failures (InsightRule::reads_failures).
  bool reads_failures = false;
};

// The `stats` table of the connector being judged, shared by every rule:
// the reports engine evaluates each rule on the same InsightStats in turn,
// so the table is built once per connector and direction, read-only since
// rules share it. Rules that do not read failures get a table without
// TlsFailures and TlsFailuresBefore, where reading them is an error naming
// ReadsFailures: the counts may not have been made (insight_stats).
class StatsTableCache {
 public:
  explicit StatsTableCache(std::shared_ptr<LuaState> state) : state_(std::move(state)) {}
  ~StatsTableCache();
  StatsTableCache(const StatsTableCache&) = delete;
  StatsTableCache& operator=(const StatsTableCache&) = delete;
  // [-0, +1] Callers hold LuaState::Uncapped.
  void push(const InsightStats& stats, bool with_failures);

 private:
  std::shared_ptr<LuaState> state_;
  std::optional<InsightStats> last_;
  bool last_with_failures_ = false;
  int ref_ = LUA_NOREF;
};

class LuaInsightRule : public InsightRule {
 public:
  // Takes ownership of `evaluate_ref` (a luaL_ref in the registry).
  LuaInsightRule(std::shared_ptr<LuaState> state, std::shared_ptr<StatsTableCache> stats,
                 const LuaLimits& limits, LuaRuleDefinition definition, int evaluate_ref);
  ~LuaInsightRule() override;

  const std::string& name() const override { return def_.name; }
  std::string title(const std::map<std::string, double>& params) const override;
  const std::vector<RuleParameter>& parameters() const override { return def_.parameters; }
  const std::string& source() const override { return def_.source; }
  bool judges_failures() const override { return def_.judges_failures; }
  bool reads_failures() const override { return def_.reads_failures; }
  // Calls Evaluate(stats, params) under the rule budget; its results are
  // `fires, value, recommendation[, threshold]`.
  RuleVerdict evaluate(const InsightStats& stats,
                       const std::map<std::string, double>& params) override;

 private:
  std::shared_ptr<LuaState> state_;
  std::shared_ptr<StatsTableCache> stats_;
  LuaRuleDefinition def_;
  CallBudget budget_;
  int evaluate_ref_;
  // The `params` table of the last call (read-only) and its values: the
  // same thresholds apply to every connector of one Get-MailFlowInsights run.
  std::vector<double> params_values_;
  int params_ref_ = LUA_NOREF;
};

// "25" for 25.0, "12.5" for 12.5 ("12,5" in es): numbers in titles, in the
// current culture.
std::string format_threshold(double value);

// [-0, +0] Reads a Title or Recommendation as RegisterInsightRule takes it: a
// string, or a table of translations { en = "...", es = "..." }. Throws
// Error("BadInsightRule") naming `what` otherwise.
LocalizedText localized_text_at(lua_State* L, int index, const std::string& what);

}  // namespace mailflow
