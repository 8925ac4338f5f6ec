// An insight rule written in Lua (RegisterInsightRule, SPEC 6): the
// InsightRule the reports engine evaluates, backed by the rule's Evaluate
// function kept in the Lua registry.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "lua/lua_state.h"
#include "reports/insight_rule.h"

namespace mailflow {

struct LuaRuleDefinition {
  std::string name;
  std::string title;  // "{threshold}" and "{ParamName}" are replaced
  std::vector<RuleParameter> parameters;
  std::string recommendation;  // used when Evaluate returns none
  std::string source;          // the file that registered it
};

class LuaInsightRule : public InsightRule {
 public:
  // Takes ownership of `evaluate_ref` (a luaL_ref in the registry).
  LuaInsightRule(std::shared_ptr<LuaState> state, const LuaLimits& limits,
                 LuaRuleDefinition definition, int evaluate_ref);
  ~LuaInsightRule() override;

  const std::string& name() const override { return def_.name; }
  std::string title(const std::map<std::string, double>& params) const override;
  const std::vector<RuleParameter>& parameters() const override { return def_.parameters; }
  const std::string& source() const override { return def_.source; }
  // Calls Evaluate(stats, params) under the rule budget; its results are
  // `fires, value, recommendation[, threshold]`.
  RuleVerdict evaluate(const InsightStats& stats,
                       const std::map<std::string, double>& params) override;

 private:
  std::shared_ptr<LuaState> state_;
  LuaRuleDefinition def_;
  CallBudget budget_;
  int evaluate_ref_;
};

// "25" for 25.0, "12.5" for 12.5: numbers in titles.
std::string format_threshold(double value);

}  // namespace mailflow
