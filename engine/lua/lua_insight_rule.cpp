#include "lua/lua_insight_rule.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "core/text.h"
#include "host/cmdlet.h"
#include "locale/messages.h"
#include "lua/c_function.h"
#include "lua/lua_api.h"
#include "lua/lua_runtime.h"
#include "lua/sandbox.h"
#include "lua/value_bridge.h"

namespace mailflow {

namespace {

bool is_identifier(const std::string& s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

// __index of the stats table of a rule that does not read failures: the
// failure counts are not there (insight_stats may not have counted them), so
// reading them is an error that says how to ask for them; any other missing
// field is nil as before. Plain C: no C++ object lives across lua_error.
int hidden_failure_field(lua_State* L) {
  const char* key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : nullptr;
  if (key && (std::strcmp(key, "TlsFailures") == 0 || std::strcmp(key, "TlsFailuresBefore") == 0)) {
    luaL_where(L, 1);  // the rule's line that read it
    lua_pushfstring(L,
                    "stats.%s is given only to rules registered with ReadsFailures = true "
                    "(or JudgesFailures = true)",
                    key);
    lua_concat(L, 2);
    return lua_error(L);
  }
  return 0;
}

const char kHiddenFailuresMeta = 0;

// [-0, +0] Gives the table at -1 the metatable of hidden_failure_field.
void hide_failure_fields(lua_State* L) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &kHiddenFailuresMeta) == LUA_TNIL) {
    lua_pop(L, 1);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, hidden_failure_field);
    lua_setfield(L, -2, "__index");
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kHiddenFailuresMeta);
  }
  lua_setmetatable(L, -2);
}

// [-0, +1] The `stats` argument of Evaluate (SPEC 6); the failure counts
// only `with_failures` (the rule reads them).
void push_stats(lua_State* L, const InsightStats& s, bool with_failures) {
  lua_createtable(L, 0, 13);
  if (s.connector.empty())
    lua_pushnil(L);
  else
    lua_pushlstring(L, s.connector.data(), s.connector.size());
  lua_setfield(L, -2, "Connector");
  std::string_view dir = direction_name(s.direction);
  lua_pushlstring(L, dir.data(), dir.size());
  lua_setfield(L, -2, "Direction");
  if (!s.connector_type.empty()) {
    lua_pushlstring(L, s.connector_type.data(), s.connector_type.size());
    lua_setfield(L, -2, "ConnectorType");
  }
  lua_pushboolean(L, s.require_tls);
  lua_setfield(L, -2, "RequireTls");
  lua_pushinteger(L, static_cast<lua_Integer>(s.messages));
  lua_setfield(L, -2, "Messages");
  lua_createtable(L, 0, 5);  // Count
  lua_createtable(L, 0, 5);  // Percent
  for (TlsVersion v : kTlsReportOrder) {
    std::string_view name = tls_name(v);
    auto c = s.count.find(v);
    lua_pushlstring(L, name.data(), name.size());
    lua_pushinteger(L, c == s.count.end() ? 0 : static_cast<lua_Integer>(c->second));
    lua_rawset(L, -4);
    auto p = s.percent.find(v);
    lua_pushlstring(L, name.data(), name.size());
    lua_pushnumber(L, p == s.percent.end() ? 0.0 : p->second);
    lua_rawset(L, -3);
  }
  lua_setfield(L, -3, "Percent");
  lua_setfield(L, -2, "Count");
  lua_pushlstring(L, s.start_date.data(), s.start_date.size());
  lua_setfield(L, -2, "StartDate");
  lua_pushlstring(L, s.end_date.data(), s.end_date.size());
  lua_setfield(L, -2, "EndDate");
  if (!s.peer.empty()) {
    lua_pushlstring(L, s.peer.data(), s.peer.size());
    lua_setfield(L, -2, "Peer");
  }
  if (!with_failures) {
    hide_failure_fields(L);
    return;
  }
  lua_pushinteger(L, static_cast<lua_Integer>(s.tls_failures));
  lua_setfield(L, -2, "TlsFailures");
  lua_pushinteger(L, static_cast<lua_Integer>(s.tls_failures_before));
  lua_setfield(L, -2, "TlsFailuresBefore");
}

// Reads field `key` of the table at 1 without metamethods. [-0, +1]
int raw_field(lua_State* L, const char* key) {
  lua_pushstring(L, key);
  return lua_rawget(L, 1);
}

std::string string_field(lua_State* L, const char* key, bool required) {
  int type = raw_field(L, key);
  std::string out;
  if (type == LUA_TSTRING) {
    size_t len = 0;
    const char* text = lua_tolstring(L, -1, &len);
    out.assign(text, len);  // the whole string: "A\0B" is not "A"
  } else if (type != LUA_TNIL || required)
    throw Error("BadInsightRule", std::string("RegisterInsightRule: ") + key + " must be a string" +
                                      (type == LUA_TNIL ? " (it is missing)" : ""));
  lua_pop(L, 1);
  return out;
}

// A Title or Recommendation field: a string or a table of translations.
LocalizedText localized_field(lua_State* L, const char* key, bool required) {
  int type = raw_field(L, key);
  LocalizedText out;
  if (type == LUA_TSTRING || type == LUA_TTABLE)
    out = localized_text_at(L, -1, std::string("RegisterInsightRule: ") + key);
  else if (type != LUA_TNIL || required)
    throw Error("BadInsightRule", std::string("RegisterInsightRule: ") + key +
                                      " must be a string or a table of translations { en = ..., es = ... }" +
                                      (type == LUA_TNIL ? " (it is missing)" : ""));
  lua_pop(L, 1);
  return out;
}

std::vector<RuleParameter> parameters_field(lua_State* L, const std::string& rule) {
  std::vector<RuleParameter> out;
  int type = raw_field(L, "Parameters");
  if (type == LUA_TNIL) {
    lua_pop(L, 1);
    return out;
  }
  Value list = to_value(L, -1, "RegisterInsightRule " + rule + ": Parameters");
  lua_pop(L, 1);
  if (!list.is_array())
    throw Error("BadInsightRule", "RegisterInsightRule " + rule +
                                      ": Parameters must be a list of {Name=, Default=, Help=}");
  for (const Value& item : list.as_array()) {
    const Value* name = item.is_record() ? item.as_record().get("Name") : nullptr;
    const Value* def = item.is_record() ? item.as_record().get("Default") : nullptr;
    const Value* help = item.is_record() ? item.as_record().get("Help") : nullptr;
    if (!name || !name->is_string() || !is_identifier(name->as_string()))
      throw Error("BadInsightRule", "RegisterInsightRule " + rule +
                                        ": each parameter needs a Name made of letters and digits");
    if (!def || !def->is_number())
      throw Error("BadInsightRule", "RegisterInsightRule " + rule + ": parameter " +
                                        name->as_string() + " needs a numeric Default");
    out.push_back({name->as_string(), def->as_number(), help ? help->to_display() : ""});
  }
  return out;
}

// A rule parameter becomes an option of Get-MailFlowInsights and
// Set-MailFlowConfig; one named like their own parameters (-Days) would
// silently take that parameter's value. Parameters other rules declared
// are shared on purpose and stay allowed.
void check_parameter_names(Session& session, const LuaRuleDefinition& def) {
  if (!session.registry) return;
  for (const char* cmdlet : {"Get-MailFlowInsights", "Set-MailFlowConfig"}) {
    const CmdletSpec* spec = session.registry->find(cmdlet);
    if (!spec) continue;
    for (const RuleParameter& rp : def.parameters)
      for (const ParamSpec& p : spec->parameters) {
        if (!iequals(p.name, rp.name)) continue;
        bool from_rule = false;
        if (session.rules)
          for (InsightRule* other : session.rules->all())
            for (const RuleParameter& op : other->parameters()) from_rule = from_rule || iequals(op.name, rp.name);
        if (!from_rule)
          throw Error("BadInsightRule", "RegisterInsightRule " + def.name + ": parameter " + rp.name +
                                            " clashes with " + cmdlet + "'s own -" + p.name +
                                            "; give the rule parameter another name");
      }
  }
}

// The file that registers the rule: the outermost main chunk on the stack
// (the rule file being loaded, even when a helper such as report.lua's makes
// the call), else the file of the nearest Lua function.
std::string caller_source(lua_State* L) {
  auto file_of = [](const lua_Debug& ar) -> const char* {
    if (ar.source && ar.source[0] == '@') return ar.source + 1;
    if (ar.source && ar.source[0] == '=' && std::string_view(ar.what) != "C") return ar.source + 1;
    return nullptr;
  };
  std::string nearest, outermost_main;
  lua_Debug ar;
  for (int level = 1; lua_getstack(L, level, &ar); ++level) {
    lua_getinfo(L, "S", &ar);
    const char* file = file_of(ar);
    if (!file) continue;
    if (nearest.empty()) nearest = file;
    if (std::string_view(ar.what) == "main") outermost_main = file;
  }
  if (!outermost_main.empty()) return outermost_main;
  return nearest.empty() ? "(unknown)" : nearest;
}

// RegisterInsightRule{ Name=, Title=, Parameters={...}, Recommendation=,
// JudgesFailures=, ReadsFailures=, Evaluate=function(stats, params) return fires, value, recommendation end }
int l_register_insight_rule(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  lua_pushliteral(L, "Evaluate");
  if (lua_rawget(L, 1) != LUA_TFUNCTION)
    return luaL_error(L, "RegisterInsightRule: Evaluate must be a function(stats, params)");
  LuaState& state = LuaState::from(L);
  if (!state.runtime()) return luaL_error(L, "RegisterInsightRule: the runtime is shut down");
  int ref = luaL_ref(L, LUA_REGISTRYINDEX);
  Fault fault;
  bool ok = guarded(L, fault, [&] {
    LuaRuntime& rt = *state.runtime();
    LuaRuleDefinition def;
    def.name = string_field(L, "Name", true);
    if (!is_identifier(def.name)) {
      // A NUL in the name is shown as \x00 by Error.
      throw Error("BadInsightRule", "RegisterInsightRule: Name '" + def.name +
                                        "' must be letters, digits and _ (it is used as -Rule NAME)");
    }
    def.title = localized_field(L, "Title", true);
    def.recommendation = localized_field(L, "Recommendation", false);
    def.parameters = parameters_field(L, def.name);
    int judges = raw_field(L, "JudgesFailures");
    if (judges != LUA_TNIL && judges != LUA_TBOOLEAN)
      throw Error("BadInsightRule", "RegisterInsightRule " + def.name + ": JudgesFailures must be true or false");
    def.judges_failures = lua_toboolean(L, -1);
    lua_pop(L, 1);
    int reads = raw_field(L, "ReadsFailures");
    if (reads != LUA_TNIL && reads != LUA_TBOOLEAN)
      throw Error("BadInsightRule", "RegisterInsightRule " + def.name + ": ReadsFailures must be true or false");
    def.reads_failures = def.judges_failures || lua_toboolean(L, -1);
    lua_pop(L, 1);
    check_parameter_names(rt.session(), def);
    def.source = caller_source(L);
    if (!rt.session().rules) throw Error("NoRuleSet", "RegisterInsightRule: no insight rule set");
    auto rule = std::make_unique<LuaInsightRule>(rt.shared_state(), rt.stats_cache(), rt.limits(),
                                                 std::move(def), ref);
    ref = LUA_NOREF;  // the rule owns it now (and releases it if add throws)
    rt.session().rules->add(std::move(rule));
    if (rt.on_rules_changed) rt.on_rules_changed();
  });
  if (!ok) {
    luaL_unref(L, LUA_REGISTRYINDEX, ref);
    return raise_fault(L, fault);
  }
  return 0;
}

const luaL_Reg kRuleFunctions[] = {
    /// RegisterInsightRule{ Name, Title, Parameters = { {Name=, Default=, Help=} }, Recommendation,
    /// Evaluate = function(stats, params) return fires, value, recommendation end } -> nil:
    /// adds an insight rule to Get-MailFlowInsights; its parameters become -Name options.
    /// Title and Recommendation are strings or tables of translations
    /// { en = "...", es = "...", ["zh-TW"] = "..." } (en is the fallback).
    /// JudgesFailures = true: Evaluate gets every connector and peer with failed
    /// TLS handshakes in the range (stats.TlsFailures, TlsFailuresBefore, Peer).
    /// ReadsFailures = true: a rule judging connectors' traffic also gets
    /// stats.TlsFailures and TlsFailuresBefore (other rules get an error reading them).
    {"RegisterInsightRule", l_register_insight_rule},
    {nullptr, nullptr}};

}  // namespace

void register_rule_api(lua_State* L) { set_base_functions(L, kRuleFunctions); }

std::string format_threshold(double value) {
  if (!current_culture().is_invariant() && std::isfinite(value)) return current_culture().threshold(value);
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15)
    return std::to_string(static_cast<long long>(value));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", value);
  return buf;
}

LocalizedText localized_text_at(lua_State* L, int index, const std::string& what) {
  index = lua_absindex(L, index);
  if (lua_type(L, index) == LUA_TSTRING) return LocalizedText::plain(lua_tostring(L, index));
  if (lua_type(L, index) != LUA_TTABLE)
    throw Error("BadInsightRule", what + " must be a string or a table of translations { en = ..., es = ... }");
  std::map<std::string, std::string> translations;
  lua_pushnil(L);
  while (lua_next(L, index)) {
    if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING) {
      std::string key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : luaL_typename(L, -2);
      lua_pop(L, 2);
      throw Error("BadInsightRule", what + ": the translation '" + key +
                                        "' must be a string keyed by language (en = \"...\")");
    }
    translations[lua_tostring(L, -2)] = lua_tostring(L, -1);
    lua_pop(L, 1);
  }
  try {
    return LocalizedText::table(translations);
  } catch (const Error& e) {
    throw Error("BadInsightRule", what + ": " + e.what());
  }
}

bool same_stats(const InsightStats& a, const InsightStats& b) {
  return a.connector == b.connector && a.direction == b.direction &&
         a.connector_type == b.connector_type && a.require_tls == b.require_tls &&
         a.messages == b.messages && a.count == b.count && a.percent == b.percent &&
         a.start_date == b.start_date && a.end_date == b.end_date && a.peer == b.peer &&
         a.tls_failures == b.tls_failures && a.tls_failures_before == b.tls_failures_before &&
         a.failures_counted == b.failures_counted;
}

StatsTableCache::~StatsTableCache() {
  LuaState::Uncapped uncapped(*state_);
  luaL_unref(state_->L(), LUA_REGISTRYINDEX, ref_);
}

void StatsTableCache::push(const InsightStats& stats, bool with_failures) {
  lua_State* L = state_->L();
  if (last_ && last_with_failures_ == with_failures && same_stats(*last_, stats)) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, ref_);
    return;
  }
  push_stats(L, stats, with_failures);
  // Read-only views of the table and of its Count and Percent tables.
  for (const char* sub : {"Count", "Percent"}) {
    lua_getfield(L, -1, sub);
    push_readonly(L, -1);
    lua_setfield(L, -3, sub);
    lua_pop(L, 1);
  }
  push_readonly(L, -1);
  lua_remove(L, -2);
  luaL_unref(L, LUA_REGISTRYINDEX, ref_);
  lua_pushvalue(L, -1);
  ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
  last_ = stats;
  last_with_failures_ = with_failures;
}

LuaInsightRule::LuaInsightRule(std::shared_ptr<LuaState> state,
                               std::shared_ptr<StatsTableCache> stats, const LuaLimits& limits,
                               LuaRuleDefinition definition, int evaluate_ref)
    : state_(std::move(state)), stats_(std::move(stats)), def_(std::move(definition)),
      budget_(rule_budget(limits, "rule " + def_.name)), evaluate_ref_(evaluate_ref) {}

LuaInsightRule::~LuaInsightRule() {
  LuaState::Uncapped uncapped(*state_);
  luaL_unref(state_->L(), LUA_REGISTRYINDEX, evaluate_ref_);
  luaL_unref(state_->L(), LUA_REGISTRYINDEX, params_ref_);
}

std::string LuaInsightRule::title(const std::map<std::string, double>& params) const {
  auto value_of = [&](const std::string& name) -> std::optional<double> {
    for (const auto& [k, v] : params)
      if (iequals(k, name)) return v;
    for (const RuleParameter& p : def_.parameters)
      if (iequals(p.name, name)) return p.default_value;
    return std::nullopt;
  };
  std::string out;
  const std::string t = def_.title.in(current_culture());
  for (size_t i = 0; i < t.size(); ++i) {
    size_t close = t[i] == '{' ? t.find('}', i) : std::string::npos;
    if (close != std::string::npos) {
      std::string key = t.substr(i + 1, close - i - 1);
      std::optional<double> v;
      if (iequals(key, "threshold") && !def_.parameters.empty())
        v = value_of(def_.parameters.front().name);
      else
        v = value_of(key);
      if (v) {
        out += format_threshold(*v);
        i = close;
        continue;
      }
    }
    out += t[i];
  }
  return out;
}

RuleVerdict LuaInsightRule::evaluate(const InsightStats& stats,
                                     const std::map<std::string, double>& params) {
  lua_State* L = state_->L();
  const int top = lua_gettop(L);
  {
    LuaState::Uncapped uncapped(*state_);
    lua_rawgeti(L, LUA_REGISTRYINDEX, evaluate_ref_);
    stats_->push(stats, def_.reads_failures);
    std::vector<double> values;
    values.reserve(def_.parameters.size());
    for (const RuleParameter& p : def_.parameters) {
      auto given = params.find(p.name);
      values.push_back(given != params.end() ? given->second : p.default_value);
      if (given == params.end())  // keys may differ in case
        for (const auto& [k, v] : params)
          if (iequals(k, p.name)) values.back() = v;
    }
    if (params_ref_ != LUA_NOREF && values == params_values_) {
      lua_rawgeti(L, LUA_REGISTRYINDEX, params_ref_);
    } else {
      lua_createtable(L, 0, static_cast<int>(def_.parameters.size()));
      for (size_t i = 0; i < values.size(); ++i) {
        lua_pushnumber(L, values[i]);
        lua_setfield(L, -2, def_.parameters[i].name.c_str());
      }
      push_readonly(L, -1);
      lua_remove(L, -2);
      luaL_unref(L, LUA_REGISTRYINDEX, params_ref_);
      lua_pushvalue(L, -1);
      params_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
      params_values_ = std::move(values);
    }
  }
  try {
    state_->call(2, 4, budget_);
  } catch (const LuaError& e) {
    if (e.id() != "LuaError") throw;
    throw LuaError(e.id(), "rule " + def_.name + ": " + e.what(), e.traceback());
  }
  RuleVerdict verdict;
  verdict.fires = lua_toboolean(L, top + 1);
  std::string fault;
  if (lua_type(L, top + 2) == LUA_TNUMBER)
    verdict.value = lua_tonumber(L, top + 2);
  else if (!lua_isnil(L, top + 2))
    fault = std::string("value is a ") + luaL_typename(L, top + 2) + ", not a number";
  if (lua_type(L, top + 3) == LUA_TSTRING)
    verdict.recommendation = lua_tostring(L, top + 3);
  else if (!lua_isnil(L, top + 3))
    fault = std::string("recommendation is a ") + luaL_typename(L, top + 3) + ", not a string";
  if (lua_type(L, top + 4) == LUA_TNUMBER)
    verdict.threshold = lua_tonumber(L, top + 4);
  else if (!def_.parameters.empty()) {
    verdict.threshold = def_.parameters.front().default_value;
    for (const auto& [k, given] : params)
      if (iequals(k, def_.parameters.front().name)) verdict.threshold = given;
  }
  lua_settop(L, top);
  if (!fault.empty())
    throw Error("BadRuleResult", "rule " + def_.name + " (" + def_.source +
                                     "): Evaluate must return fires, value, recommendation; " +
                                     fault);
  if (!verdict.recommendation && !def_.recommendation.empty())
    verdict.recommendation = def_.recommendation.in(current_culture());
  return verdict;
}

}  // namespace mailflow
