#include "reports/insight_rule.h"

#include "core/error.h"
#include "core/text.h"

namespace mailflow {

void InsightRuleSet::add(std::unique_ptr<InsightRule> rule) {
  if (InsightRule* existing = find(rule->name()))
    throw Error("DuplicateRule", "insight rule '" + rule->name() + "' is defined twice: in " +
                                     existing->source() + " and in " + rule->source());
  rules_.push_back(std::move(rule));
}

InsightRule* InsightRuleSet::find(std::string_view name) const {
  for (const auto& r : rules_)
    if (iequals(r->name(), name)) return r.get();
  return nullptr;
}

std::vector<InsightRule*> InsightRuleSet::all() const {
  std::vector<InsightRule*> out;
  for (const auto& r : rules_) out.push_back(r.get());
  return out;
}

}  // namespace mailflow
