#include "shell/pushdown.h"

#include "core/error.h"
#include "core/text.h"
#include "shell/binder.h"

namespace mailflow {

namespace {

const PushdownRule* find_rule(const CmdletSpec& cmdlet, const SimpleCondition& c) {
  for (const PushdownRule& rule : cmdlet.pushdown)
    if (iequals(rule.property, c.property) && iequals(rule.op, compare_op_name(c.op))) return &rule;
  return nullptr;
}

bool has_wildcard(const Value& v) {
  if (!v.is_string()) return false;
  return v.as_string().find_first_of("*?[") != std::string::npos;
}

// The parameters the conditions become, or nullopt when any cannot be pushed.
std::optional<std::vector<std::pair<const ParamSpec*, Value>>> plan(
    const PreparedStage& source, const std::vector<SimpleCondition>& conditions) {
  std::vector<std::pair<const ParamSpec*, Value>> out;
  for (const SimpleCondition& c : conditions) {
    const PushdownRule* rule = find_rule(*source.spec, c);
    if (!rule) return std::nullopt;
    const ParamSpec* param = source.spec->parameter(rule->parameter);
    if (!param || source.params.has(param->name)) return std::nullopt;
    for (const auto& [p, v] : out)
      if (p == param) return std::nullopt;  // two conditions on one parameter
    if (c.op == CompareOp::Eq && has_wildcard(c.value)) return std::nullopt;
    if (c.value.is_null() || c.value.is_array()) return std::nullopt;
    try {
      out.emplace_back(param, convert_argument(*param, c.value));
    } catch (const Error&) {
      return std::nullopt;  // e.g. Direction -eq 'Sideways': filter as written (no match)
    }
  }
  return out;
}

}  // namespace

void apply_pushdown(std::vector<PreparedStage>& stages) {
  for (size_t i = 1; i < stages.size();) {
    PreparedStage& source = stages[i - 1];
    PreparedStage& where = stages[i];
    if (!where.where || source.spec->pushdown.empty() || source.where) {
      ++i;
      continue;
    }
    auto conditions = where.where->conjunction();
    auto params = conditions ? plan(source, *conditions) : std::nullopt;
    if (!params) {
      ++i;
      continue;
    }
    for (auto& [param, value] : *params) source.params.set_pushed(param->name, std::move(value));
    stages.erase(stages.begin() + static_cast<std::ptrdiff_t>(i));
    // Stay at i: a second Where-Object may now follow the source directly.
  }
}

}  // namespace mailflow
