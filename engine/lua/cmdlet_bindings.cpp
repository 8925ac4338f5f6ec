// Cmdlets as Lua functions (SPEC 6): `GetTlsUsage{ Days = 30 }`,
// `Invoke("pipeline")`, and cmdlets written in Lua (`RegisterCmdlet`).
#include <algorithm>
#include <cctype>
#include <map>
#include <memory>

#include "cmdlets/report_parameters.h"
#include "core/terminal.h"
#include "core/text.h"
#include "host/parameters.h"
#include "lua/c_function.h"
#include "lua/lua_api.h"
#include "lua/lua_runtime.h"
#include "lua/sandbox.h"
#include "lua/value_bridge.h"
#include "shell/shell.h"

namespace mailflow {

namespace {

LuaRuntime& runtime_of(lua_State* L) {
  LuaRuntime* rt = LuaState::from(L).runtime();
  if (!rt) throw Error("LuaRuntimeGone", "the Lua runtime is shut down");
  return *rt;
}

// Get-TlsUsage -> GetTlsUsage.
std::string lua_name(const std::string& cmdlet) {
  std::string out;
  for (char c : cmdlet)
    if (c != '-') out += c;
  return out;
}

// The named arguments of a `VerbNoun{...}` table: string keys by name,
// t[1], t[2]... by position; InputObject is the pipeline input.
struct CallArguments {
  std::vector<NamedArgument> named;
  std::vector<Value> input;
};

CallArguments read_arguments(lua_State* L, int table, const CmdletSpec& spec) {
  CallArguments out;
  if (lua_isnoneornil(L, table)) return out;
  const ParamSpec* declared_input = spec.parameter("InputObject");
  bool input_is_named = declared_input && !declared_input->pipeline_input;
  std::map<lua_Integer, Value> positional;
  lua_pushnil(L);
  while (lua_next(L, table)) {
    if (lua_type(L, -2) == LUA_TSTRING) {
      std::string key = lua_tostring(L, -2);
      Value v = to_value(L, -1, spec.name + " " + key);
      if (iequals(key, "InputObject") && !input_is_named) {
        if (v.is_array())
          out.input = v.as_array();
        else if (!v.is_null())
          out.input.push_back(std::move(v));
      } else {
        out.named.push_back({std::move(key), std::move(v)});
      }
    } else if (lua_isinteger(L, -2)) {
      positional[lua_tointeger(L, -2)] = to_value(L, -1, spec.name + " argument");
    } else {
      lua_pop(L, 2);
      throw Error("ParameterBindingFailed",
                  spec.name + ": parameter names must be strings, e.g. " + lua_name(spec.name) +
                      "{ Days = 7 }");
    }
    lua_pop(L, 1);
  }
  // Positional values take the parameters declared with positions, in order.
  std::vector<const ParamSpec*> by_position;
  for (const ParamSpec& p : spec.parameters)
    if (p.position >= 0) by_position.push_back(&p);
  std::sort(by_position.begin(), by_position.end(),
            [](const ParamSpec* a, const ParamSpec* b) { return a->position < b->position; });
  for (auto& [index, value] : positional) {
    if (index < 1 || static_cast<size_t>(index) > by_position.size())
      throw Error("ParameterBindingFailed", spec.name + ": no positional parameter takes argument " +
                                                std::to_string(index) + " ('" +
                                                value.to_display() + "')");
    out.named.push_back({by_position[static_cast<size_t>(index - 1)]->name, std::move(value)});
  }
  return out;
}

// VerbNoun{ Name = value, ... } -> array of records. upvalue 1: the cmdlet name.
int l_cmdlet(lua_State* L) {
  if (!lua_isnoneornil(L, 1)) luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  Fault fault;
  bool ok = guarded(L, fault, [&] {
    LuaRuntime& rt = runtime_of(L);
    const char* name = lua_tostring(L, lua_upvalueindex(1));
    const CmdletSpec* declared = rt.session().registry->find(name);
    if (!declared) throw Error("CommandNotFound", std::string("cmdlet ") + name + " is not registered");
    std::shared_ptr<const CmdletSpec> spec = with_dynamic_parameters(*declared, rt.session());
    CallArguments args = read_arguments(L, 1, *spec);
    BoundParameters bound = bind_named(*spec, args.named);
    auto stream = spec->run(rt.session(), bound, std::make_unique<VectorStream>(std::move(args.input)));
    std::vector<Value> results = collect(*stream);
    push_array(L, results);
  });
  if (!ok) return raise_fault(L, fault);
  return 1;
}

// Invoke("Get-TlsUsage | Where-Object Percent -gt 10") -> array of records.
int l_invoke(lua_State* L) {
  size_t len = 0;
  const char* text = luaL_checklstring(L, 1, &len);
  Fault fault;
  bool ok = guarded(L, fault, [&] {
    LuaRuntime& rt = runtime_of(L);
    std::vector<Value> results;
    try {
      results = invoke_pipeline(rt.session(), std::string_view(text, len));
    } catch (const Error& e) {
      // A nested Invoke (a Lua cmdlet invoking itself) already said where:
      // one prefix per level once buried the cause under a kilobyte of them.
      if (e.column() <= 0 || std::string_view(e.what()).find("Invoke: ") != std::string_view::npos) throw;
      throw Error(e.id(), std::string("Invoke: ") + e.what() + " (at column " +
                              std::to_string(e.column()) + ")");
    }
    push_array(L, results);
  });
  if (!ok) return raise_fault(L, fault);
  return 1;
}

// A Lua function held in the registry for as long as a C++ owner lives.
struct LuaFunctionRef {
  std::shared_ptr<LuaState> state;
  int ref = LUA_NOREF;
  ~LuaFunctionRef() {
    LuaState::Uncapped uncapped(*state);
    luaL_unref(state->L(), LUA_REGISTRYINDEX, ref);
  }
};

ParamType param_type(const std::string& name, const std::string& where) {
  static const std::map<std::string, ParamType, ILess> kTypes = {
      {"String", ParamType::String},   {"Int", ParamType::Int},
      {"Double", ParamType::Double},   {"Date", ParamType::Date},
      {"Switch", ParamType::Switch},   {"StringArray", ParamType::StringArray},
      {"Enum", ParamType::Enum},       {"ScriptBlock", ParamType::ScriptBlock},
      {"Any", ParamType::Any}};
  auto it = kTypes.find(name);
  if (it == kTypes.end())
    throw Error("BadCmdletSpec", where + ": Type '" + name +
                                     "' is not one of String, Int, Double, Date, Switch, "
                                     "StringArray, Enum, ScriptBlock, Any");
  return it->second;
}

Completion completion_kind(const std::string& name, const std::string& where) {
  static const std::map<std::string, Completion, ILess> kKinds = {
      {"None", Completion::None},         {"Connector", Completion::Connector},
      {"TlsVersion", Completion::TlsVersion}, {"Path", Completion::Path},
      {"Date", Completion::Date},         {"Cmdlet", Completion::Cmdlet},
      {"Property", Completion::Property}, {"Rule", Completion::Rule}};
  auto it = kKinds.find(name);
  if (it == kKinds.end())
    throw Error("BadCmdletSpec", where + ": Completion '" + name + "' is not a completion kind");
  return it->second;
}

std::string text_of(const Record& r, const char* key) {
  const Value* v = r.get(key);
  return v && !v->is_null() ? v->to_display() : "";
}

std::vector<std::string> strings_of(const Record& r, const char* key) {
  std::vector<std::string> out;
  const Value* v = r.get(key);
  if (!v || v->is_null()) return out;
  if (v->is_array())
    for (const Value& item : v->as_array()) out.push_back(item.to_display());
  else
    out.push_back(v->to_display());
  return out;
}

// "Range" or { Set = "Range", DefaultDays = 28 } or { Set = "Connector", Position = 0 }.
ParamEntry read_parameter_set(const std::string& set_name, const Record* options, const std::string& cmdlet) {
  std::optional<ParameterSet> set = parameter_set_named(set_name);
  if (!set)
    throw Error("BadCmdletSpec", "RegisterCmdlet " + cmdlet + ": parameter set '" + set_name +
                                     "' is not one of Range, Direction, Connector");
  ParamEntry entry(*set);
  if (!options) return entry;
  if (const Value* pos = options->get("Position"); pos && pos->is_number())
    entry.position(static_cast<int>(pos->as_number()));
  if (const Value* d = options->get("DefaultDays"); d && !d->is_null()) {
    if (*set != ParameterSet::Range || !d->is_number() || d->as_number() < 1 ||
        d->as_number() != static_cast<double>(static_cast<int>(d->as_number())))
      throw Error("BadCmdletSpec", "RegisterCmdlet " + cmdlet + ": DefaultDays '" + d->to_display() +
                                       "' needs the Range set and a whole number of days of 1 or more");
    entry.default_days(static_cast<int>(d->as_number()));
  }
  return entry;
}

// One item of Parameters: a shared set by name ("Range"), a set with options
// ({ Set = "Connector", Position = 0 }), or one parameter {Name=, Type=, ...}.
ParamEntry read_parameter(const Value& item, const std::string& cmdlet) {
  if (item.is_string()) return read_parameter_set(item.as_string(), nullptr, cmdlet);
  if (!item.is_record())
    throw Error("BadCmdletSpec", "RegisterCmdlet " + cmdlet +
                                     ": each parameter is a table {Name=, Type=, ...} or a set name "
                                     "(\"Range\", \"Direction\", \"Connector\")");
  const Record& r = item.as_record();
  if (r.get("Set")) return read_parameter_set(text_of(r, "Set"), &r, cmdlet);
  std::string name = text_of(r, "Name");
  std::string where = "RegisterCmdlet " + cmdlet + " parameter " + name;
  if (name.empty() || !std::isalpha(static_cast<unsigned char>(name[0])))
    throw Error("BadCmdletSpec", "RegisterCmdlet " + cmdlet + ": a parameter has no Name");
  std::vector<std::string> values = strings_of(r, "ValidateSet");
  ParamType type = r.get("Type") ? param_type(text_of(r, "Type"), where)
                                 : values.empty() ? ParamType::String : ParamType::Enum;
  Param p(name, type, text_of(r, "Help"));
  if (const Value* m = r.get("Mandatory")) p.mandatory(m->truthy());
  if (const Value* pos = r.get("Position"); pos && pos->is_number())
    p.position(static_cast<int>(pos->as_number()));
  if (const Value* pi = r.get("PipelineInput")) p.pipeline_input(pi->truthy());
  if (const Value* d = r.get("Default"); d && !d->is_null()) p.default_value(*d);
  if (const Value* v = r.get("Min"); v && v->is_number()) p.min(v->as_number());
  if (const Value* v = r.get("Max"); v && v->is_number()) p.max(v->as_number());
  if (r.get("Completion")) p.completion(completion_kind(text_of(r, "Completion"), where));
  p.aliases(strings_of(r, "Aliases"));
  p.validate_set(std::move(values));
  return ParamEntry(std::move(p));
}

bool valid_cmdlet_name(const std::string& name) {
  size_t dash = name.find('-');
  if (dash == std::string::npos || dash == 0 || dash + 1 == name.size()) return false;
  for (size_t i = 0; i < name.size(); ++i)
    if (i != dash && !std::isalnum(static_cast<unsigned char>(name[i]))) return false;
  return std::isupper(static_cast<unsigned char>(name[0])) &&
         std::isupper(static_cast<unsigned char>(name[dash + 1]));
}

// RegisterCmdlet{ Name="Verb-Noun", Synopsis=, Description=, Parameters={...},
// Outputs={...}, Examples={...}, Aliases={...}, Run=function(params, input) end }
int l_register_cmdlet(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  lua_pushliteral(L, "Run");
  if (lua_rawget(L, 1) != LUA_TFUNCTION)
    return luaL_error(L, "RegisterCmdlet: Run must be a function(params, input)");
  int ref = luaL_ref(L, LUA_REGISTRYINDEX);
  // The rest of the description, without Run, as a record.
  lua_pushliteral(L, "Run");
  lua_pushnil(L);
  lua_rawset(L, 1);
  Fault fault;
  bool ok = guarded(L, fault, [&] {
    LuaRuntime& rt = runtime_of(L);
    auto fn = std::make_shared<LuaFunctionRef>();
    fn->state = rt.shared_state();
    fn->ref = ref;
    ref = LUA_NOREF;
    Value desc = to_value(L, 1, "RegisterCmdlet");
    lua_pushliteral(L, "Run");  // give the caller's table its Run back
    lua_rawgeti(L, LUA_REGISTRYINDEX, fn->ref);
    lua_rawset(L, 1);
    if (!desc.is_record()) throw Error("BadCmdletSpec", "RegisterCmdlet: expects a table with Name and Run");
    const Record& r = desc.as_record();
    CmdletSpec spec;
    spec.name = text_of(r, "Name");
    if (!valid_cmdlet_name(spec.name))
      throw Error("BadCmdletSpec", "RegisterCmdlet: Name '" + spec.name +
                                       "' must be Verb-Noun (letters and digits, e.g. Get-TlsTrend)");
    spec.synopsis = text_of(r, "Synopsis");
    spec.description = text_of(r, "Description");
    spec.aliases = strings_of(r, "Aliases");
    spec.outputs = strings_of(r, "Outputs");
    // A Lua cmdlet that declares the Range set gets the range resolved by
    // the engine before Run (its default length, MaxReportDays).
    std::optional<int> range_days;
    if (const Value* params = r.get("Parameters"); params && params->is_array()) {
      std::vector<ParamEntry> entries;
      for (const Value& item : params->as_array()) {
        entries.push_back(read_parameter(item, spec.name));
        if (entries.back().set == ParameterSet::Range)
          range_days = entries.back().range_days > 0 ? entries.back().range_days : kDefaultReportDays;
      }
      spec.parameters = declare_parameters(std::move(entries), spec.name);
    }
    if (const Value* examples = r.get("Examples"); examples && examples->is_array())
      for (const Value& e : examples->as_array()) {
        if (e.is_record())
          spec.examples.push_back({text_of(e.as_record(), "Command"), text_of(e.as_record(), "Explanation")});
        else
          spec.examples.push_back({e.to_display(), ""});
      }
    lua_Debug ar;
    if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "S", &ar) && ar.source[0] == '@')
      spec.source = ar.source + 1;
    else
      spec.source = "lua";
    std::string name = spec.name;
    std::vector<std::string> outputs = spec.outputs;
    LuaLimits limits = rt.limits();
    spec.run = [fn, name, outputs, limits, range_days](Session& session, const BoundParameters& bound,
                                                       std::unique_ptr<RecordStream> input)
        -> std::unique_ptr<RecordStream> {
      BoundParameters params = bound;
      if (range_days) {
        // Run sees the range as resolved: StartDate and EndDate the first
        // and last day (YYYY-MM-DD), Days its length.
        DateRange range = bound_date_range(session, bound, *range_days);
        params.set("StartDate", Value(format_date(range.first)));
        params.set("EndDate", Value(format_date(range.last)));
        params.set("Days", Value(static_cast<std::int64_t>(range.days())));
      }
      std::vector<Value> items = collect(*input);
      LuaState& state = *fn->state;
      lua_State* L = state.L();
      const int top = lua_gettop(L);
      {
        LuaState::Uncapped uncapped(state);
        lua_rawgeti(L, LUA_REGISTRYINDEX, fn->ref);
        lua_createtable(L, 0, static_cast<int>(params.all().size()) + 1);
        for (const auto& [key, value] : params.all()) {
          lua_pushlstring(L, key.data(), key.size());
          push_value(L, value);
          lua_rawset(L, -3);
        }
        push_array(L, items);
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, "InputObject");
      }
      state.call(2, 1, script_budget(limits, "cmdlet " + name));
      std::vector<Value> out;
      try {
        LuaState::Uncapped uncapped(state);
        out = to_values(L, -1, name + " result", outputs);
      } catch (...) {
        lua_settop(L, top);
        throw;
      }
      lua_settop(L, top);
      return std::make_unique<VectorStream>(std::move(out));
    };
    const CmdletSpec& added = (rt.session().registry->add(std::move(spec)),
                               *rt.session().registry->find(name));
    register_cmdlet_function(L, added);
  });
  if (!ok) {
    luaL_unref(L, LUA_REGISTRYINDEX, ref);
    return raise_fault(L, fault);
  }
  return 0;
}

const luaL_Reg kCmdletFunctions[] = {
    /// Invoke("pipeline") -> array of records: runs pipeline syntax (as typed at the prompt)
    /// and returns what its last stage emitted; formatters give lines (strings).
    {"Invoke", l_invoke},
    /// RegisterCmdlet{ Name = "Verb-Noun", Synopsis, Description, Parameters = { {Name=, Type=,
    /// Help=, Mandatory=, Position=, PipelineInput=, Default=, ValidateSet=, Min=, Max=,
    /// Completion=, Aliases=}, or a shared set: "Range", "Direction", "Connector", or
    /// { Set = "Range", DefaultDays = N } / { Set = "Connector", Position = 0 } }, Outputs = {...},
    /// Examples = { {Command=, Explanation=} }, Aliases = {...}, Run = function(params, input)
    /// return records end } -> nil: adds a cmdlet written in Lua, with help, completion and
    /// pipelines like built-ins. With the Range set, Run gets params.StartDate and EndDate as
    /// the resolved first and last day (YYYY-MM-DD) and params.Days as its length.
    {"RegisterCmdlet", l_register_cmdlet},
    {nullptr, nullptr}};

}  // namespace

void register_cmdlet_function(lua_State* L, const CmdletSpec& spec) {
  /// VerbNoun{ Param = value, ... } -> array of records: every cmdlet Verb-Noun, parameters
  /// bound as in pipelines (prefixes, validation); t[1], t[2] are positional; InputObject = rows
  /// is the pipeline input.
  std::string name = lua_name(spec.name);
  lua_pushlstring(L, spec.name.data(), spec.name.size());
  lua_pushcclosure(L, l_cmdlet, 1);
  set_base(L, name.c_str());
}

void register_cmdlet_api(lua_State* L, const Registry& registry) {
  set_base_functions(L, kCmdletFunctions);
  for (const CmdletSpec* spec : registry.all()) register_cmdlet_function(L, *spec);
}

bool print_records(Session& session, lua_State* L, int index, std::ostream& out) {
  const CmdletSpec* table = session.registry->find("Format-Table");
  if (!table) return false;
  std::vector<Value> values;
  const int top = lua_gettop(L);
  try {
    LuaState::Uncapped uncapped(LuaState::from(L));
    values = to_values(L, index, "result");
  } catch (const Error&) {
    // e.g. a table of functions: print it as Lua does. The conversion may
    // have stopped midway with values pushed (`{1, print}` then "attempted
    // to call a table value"): the stack goes back to where it was.
    lua_settop(L, top);
    return false;
  }
  if (values.empty() || !std::all_of(values.begin(), values.end(),
                                     [](const Value& v) { return v.is_record(); }))
    return false;
  auto lines = table->run(session, bind_named(*table, {}), std::make_unique<VectorStream>(values));
  while (auto line = lines->next()) out << terminal_safe(line->to_display()) << "\n";
  return true;
}

}  // namespace mailflow
