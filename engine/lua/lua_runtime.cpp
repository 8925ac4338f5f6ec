#include "lua/lua_runtime.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "cmdlets/report_parameters.h"
#include "core/error.h"
#include "core/text.h"
#include "core/trace.h"
#include "reports/percent.h"
#include "lua/c_function.h"
#include "lua/lua_api.h"
#include "lua/lua_insight_rule.h"
#include "lua/sandbox.h"
#include "lua/value_bridge.h"

namespace mailflow {

namespace fs = std::filesystem;

namespace {

// Restores the Lua stack top when a C++ exception leaves the scope.
class StackGuard {
 public:
  explicit StackGuard(lua_State* L) : L_(L), top_(lua_gettop(L)) {}
  ~StackGuard() { lua_settop(L_, top_); }
  StackGuard(const StackGuard&) = delete;
  StackGuard& operator=(const StackGuard&) = delete;

 private:
  lua_State* L_;
  int top_;
};

// Points `print` at another stream for the scope.
class OutputRedirect {
 public:
  OutputRedirect(LuaState& s, std::ostream& out) : s_(s), saved_(s.output) { s.output = &out; }
  ~OutputRedirect() { s_.output = saved_; }
  OutputRedirect(const OutputRedirect&) = delete;
  OutputRedirect& operator=(const OutputRedirect&) = delete;

 private:
  LuaState& s_;
  std::ostream* saved_;
};

std::vector<std::string> sorted_lua_files(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return files;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.is_regular_file() && entry.path().extension() == ".lua")
      files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

// mailflow.today() -> "YYYY-MM-DD": the day --now set (else the real UTC
// date); every default date range is relative to it.
int l_today(lua_State* L) {
  LuaRuntime* rt = LuaState::from(L).runtime();
  if (!rt) return luaL_error(L, "mailflow.today: the runtime is shut down");
  Fault fault;
  if (!guarded(L, fault, [&] {
        std::string day = format_date(rt->session().today);
        lua_pushlstring(L, day.data(), day.size());
      }))
    return raise_fault(L, fault);
  return 1;
}

// mailflow.date_range(params [, default_days]) -> first, last: the range
// that params.StartDate, EndDate and Days describe, resolved by the engine's
// one implementation (core/date_range: the N days ending on EndDate or
// starting on StartDate, default_days (7) ending today, at most
// MaxReportDays), as YYYY-MM-DD. [-0, +2]
int l_date_range(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_Integer default_days = luaL_optinteger(L, 2, kDefaultReportDays);
  LuaRuntime* rt = LuaState::from(L).runtime();
  if (!rt) return luaL_error(L, "mailflow.date_range: the runtime is shut down");
  Fault fault;
  if (!guarded(L, fault, [&] {
        if (default_days < 1 || default_days > 100000)
          throw Error("InvalidDateRange", "mailflow.date_range: default_days " + std::to_string(default_days) +
                                              " is not a number of days (give 1 or more)");
        BoundParameters params;
        for (const char* key : {"StartDate", "EndDate", "Days"}) {
          lua_getfield(L, 1, key);
          Value v = to_value(L, -1, std::string("mailflow.date_range ") + key);
          lua_pop(L, 1);
          if (!v.is_null()) params.set(key, std::move(v));
        }
        DateRange range = bound_date_range(rt->session(), params, static_cast<int>(default_days));
        std::string first = format_date(range.first), last = format_date(range.last);
        lua_pushlstring(L, first.data(), first.size());
        lua_pushlstring(L, last.data(), last.size());
      }))
    return raise_fault(L, fault);
  return 2;
}

// mailflow.round(x [, decimals]) -> number: x rounded half away from zero
// to `decimals` (default 0) places, as every report rounds. [-0, +1]
int l_round(lua_State* L) {
  lua_Number x = luaL_checknumber(L, 1);
  lua_Integer decimals = luaL_optinteger(L, 2, 0);
  luaL_argcheck(L, decimals >= 0 && decimals <= 15, 2, "decimals is 0 to 15");
  double r = round_to(x, static_cast<int>(decimals));
  if (decimals == 0 && std::isfinite(r) && std::fabs(r) < 9.0e15)
    lua_pushinteger(L, static_cast<lua_Integer>(r));
  else
    lua_pushnumber(L, r);
  return 1;
}

// mailflow.percent(part, whole) -> number: 100 * part / whole with two
// decimals, rounded half away from zero as the reports round (0 when whole
// is 0; a negative part, a fall, gives a negative share). [-0, +1]
int l_percent(lua_State* L) {
  lua_Number part = luaL_checknumber(L, 1);
  lua_Number whole = luaL_checknumber(L, 2);
  double share = 0.0;
  if (whole != 0) {
    // Counts are computed in integers, as the reports compute them.
    bool counts = lua_isinteger(L, 1) && lua_isinteger(L, 2) && whole > 0 && std::fabs(part) < 1e12;
    if (counts) {
      lua_Integer p = lua_tointeger(L, 1), w = lua_tointeger(L, 2);
      share = p < 0 ? -percent_of(-p, w) : percent_of(p, w);
    } else {
      share = round_to(part * 100.0 / whole, 2);
    }
  }
  lua_pushnumber(L, share);
  return 1;
}

// mailflow.allow_io() -> boolean: whether --allow-io gave this script `io`.
int l_allow_io(lua_State* L) {
  LuaRuntime* rt = LuaState::from(L).runtime();
  lua_pushboolean(L, rt && rt->session().allow_io);
  return 1;
}

}  // namespace

// The `mailflow` table.
const luaL_Reg kMailflowFunctions[] = {
    /// mailflow.today() -> "YYYY-MM-DD": "today" as --now set it (else the real UTC date).
    {"today", l_today},
    /// mailflow.allow_io() -> boolean: true when the script runs with --allow-io.
    {"allow_io", l_allow_io},
    /// mailflow.date_range(params [, default_days]) -> first, last: the range params.StartDate,
    /// EndDate and Days describe (YYYY-MM-DD), resolved and checked (MaxReportDays) as cmdlets do.
    {"date_range", l_date_range},
    /// mailflow.round(x [, decimals]) -> number: rounded half away from zero, as reports round.
    {"round", l_round},
    /// mailflow.percent(part, whole) -> number: the share 0-100 with two decimals, as reports give it.
    {"percent", l_percent},
    {nullptr, nullptr}};

LuaRuntime::LuaRuntime(Session& session, LuaLimits limits)
    : session_(session), limits_(limits),
      state_(std::make_shared<LuaState>(session.interrupted)) {
  lua_State* L = state_->L();
  state_->set_runtime(this);
  stats_cache_ = std::make_shared<StatsTableCache>(state_);
  SandboxOptions options;
  options.allow_io = session.allow_io;
  install_sandbox(L, options);

  luaL_newlib(L, kMailflowFunctions);
  lua_pushliteral(L, MAILFLOW_VERSION);
  lua_setfield(L, -2, "version");
  // mailflow.tls_versions: { "None", "TLS1.0", "TLS1.1", "TLS1.2", "TLS1.3", "Unknown" },
  // the TLS values a trace may carry (core/trace.h kTlsValues); and
  // mailflow.tls_report_order: { "TLS1.3", "TLS1.2", "TLS1.1", "TLS1.0", "None" }, the
  // known versions strongest first as reports list them (kTlsReportOrder).
  auto push_names = [L](const auto& versions, const char* field) {
    lua_createtable(L, static_cast<int>(std::size(versions)), 0);
    for (size_t i = 0; i < std::size(versions); ++i) {
      std::string_view name = tls_name(versions[i]);
      lua_pushlstring(L, name.data(), name.size());
      lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
    }
    lua_setfield(L, -2, field);
  };
  push_names(kTlsValues, "tls_versions");
  push_names(kTlsReportOrder, "tls_report_order");
  set_base(L, "mailflow");
  register_rule_api(L);
  register_locale_api(L);
  register_cmdlet_api(L, *session.registry);

  push_environment(L, EnvMode::Session);
  session_env_ = luaL_ref(L, LUA_REGISTRYINDEX);
}

LuaRuntime::~LuaRuntime() {
  // Rules and Lua cmdlets keep the state alive (shared_ptr) beyond the
  // runtime; from now on API functions that need the session refuse.
  state_->set_runtime(nullptr);
  luaL_unref(state_->L(), LUA_REGISTRYINDEX, session_env_);
}

void LuaRuntime::run_file(const std::string& path, const CallBudget& budget) {
  lua_State* L = state_->L();
  StackGuard guard(L);
  std::string source = read_source_file(path);
  {
    LuaState::Uncapped uncapped(*state_);
    push_environment(L, EnvMode::Script);
    load_chunk(L, source, file_chunkname(path), -1);
  }
  state_->call(0, 0, budget);
}

void LuaRuntime::load_stdlib(const std::string& dir) {
  if (!fs::is_directory(dir))
    throw Error("StdlibNotFound", "the Lua stdlib directory " + dir +
                                      " is missing (set MAILFLOW_STDLIB to its location)");
  add_module_dir(state_->L(), dir);
  lua_State* L = state_->L();
  for (const std::string& path : sorted_lua_files(dir)) {
    StackGuard guard(L);
    std::string source = read_source_file(path);
    {
      LuaState::Uncapped uncapped(*state_);
      push_environment(L, EnvMode::Script);
      load_chunk(L, source, file_chunkname(path), -1);
    }
    state_->call(0, 1, script_budget(limits_, "stdlib module " + path));
    LuaState::Uncapped uncapped(*state_);
    register_module(L, fs::path(path).stem().string().c_str());
  }
  for (const char* sub : {"cmdlets", "rules"})
    for (const std::string& path : sorted_lua_files(dir + "/" + sub))
      run_file(path, script_budget(limits_, "stdlib file " + path));
}

void LuaRuntime::load_rule_file(const std::string& path) {
  run_file(path, rule_budget(limits_, "rule file " + path));
}

int LuaRuntime::load_rule_dir(const std::string& dir, std::ostream& errors) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw Error("RulesDirNotFound", "--rules " + dir + ": not a directory");
  add_module_dir(state_->L(), dir);
  int loaded = 0;
  for (const std::string& path : sorted_lua_files(dir)) {
    try {
      load_rule_file(path);
      ++loaded;
    } catch (const Error& e) {
      std::string message = e.what();
      // Lua's messages start with "path:line:"; others get the path.
      if (message.rfind(path, 0) != 0) message = path + ": " + message;
      errors << "mailflow: skipped rule file " << message << "\n";
    }
  }
  return loaded;
}

int LuaRuntime::run_script(const std::string& path, const std::vector<std::string>& args) {
  lua_State* L = state_->L();
  StackGuard guard(L);
  std::string source = read_source_file(path);
  {
    LuaState::Uncapped uncapped(*state_);
    push_environment(L, EnvMode::Script);
    int env = lua_gettop(L);
    lua_createtable(L, static_cast<int>(args.size()), 1);
    lua_pushlstring(L, path.data(), path.size());
    lua_rawseti(L, -2, 0);
    for (size_t i = 0; i < args.size(); ++i) {
      lua_pushlstring(L, args[i].data(), args[i].size());
      lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
    }
    lua_setfield(L, env, "arg");  // top level of the environment: declares `arg`
    load_chunk(L, source, file_chunkname(path), env);
    lua_remove(L, env);
    for (const std::string& a : args) lua_pushlstring(L, a.data(), a.size());
  }
  try {
    state_->call(static_cast<int>(args.size()), 0, script_budget(limits_, "script " + path));
  } catch (const ScriptExit& e) {
    return e.status;
  }
  return 0;
}

void LuaRuntime::set_variable(const std::string& name, const std::vector<Value>& values) {
  lua_State* L = state_->L();
  StackGuard guard(L);
  LuaState::Uncapped uncapped(*state_);
  lua_rawgeti(L, LUA_REGISTRYINDEX, session_env_);
  lua_pushlstring(L, name.data(), name.size());
  push_array(L, values);
  lua_rawset(L, -3);
}

std::optional<std::vector<Value>> LuaRuntime::get_variable(const std::string& name) {
  lua_State* L = state_->L();
  StackGuard guard(L);
  LuaState::Uncapped uncapped(*state_);
  lua_rawgeti(L, LUA_REGISTRYINDEX, session_env_);
  lua_pushlstring(L, name.data(), name.size());
  if (lua_rawget(L, -2) == LUA_TNIL) return std::nullopt;
  return to_values(L, -1, "$" + name);
}

void LuaRuntime::run_interactive(const std::string& code, std::ostream& out) {
  lua_State* L = state_->L();
  StackGuard guard(L);
  OutputRedirect redirect(*state_, out);
  const int base = lua_gettop(L);
  {
    LuaState::Uncapped uncapped(*state_);
    lua_rawgeti(L, LUA_REGISTRYINDEX, session_env_);
    // As lua.c: an expression typed alone prints its value, so try
    // "return <line>" first and fall back to the line as a statement.
    std::string as_return = "return " + code + ";";
    if (luaL_loadbufferx(L, as_return.data(), as_return.size(), "=stdin", "t") == LUA_OK) {
      lua_pushvalue(L, base + 1);
      lua_setupvalue(L, -2, 1);
    } else {
      lua_pop(L, 1);
      load_chunk(L, code, "=stdin", base + 1);
    }
    lua_remove(L, base + 1);
  }
  state_->call(0, LUA_MULTRET, script_budget(limits_, "the Lua line"));
  int results = lua_gettop(L) - base;
  if (results == 0) return;
  // Print the results through `print` (tostring, tab-separated), as lua -i.
  // A table of records prints as a table (Format-Table) when one is there.
  if (results == 1 && lua_type(L, -1) == LUA_TTABLE && print_records(session_, L, -1, out)) return;
  {
    LuaState::Uncapped uncapped(*state_);
    push_base(L);
    lua_getfield(L, -1, "print");
    lua_remove(L, -2);
    lua_insert(L, base + 1);
  }
  state_->call(results, 0, script_budget(limits_, "the Lua line"));
}

bool LuaRuntime::is_complete(const std::string& code) {
  lua_State* L = state_->L();
  StackGuard guard(L);
  LuaState::Uncapped uncapped(*state_);
  std::string as_return = "return " + code + ";";
  if (luaL_loadbufferx(L, as_return.data(), as_return.size(), "=stdin", "t") == LUA_OK) return true;
  lua_pop(L, 1);
  if (luaL_loadbufferx(L, code.data(), code.size(), "=stdin", "t") == LUA_OK) return true;
  size_t len = 0;
  const char* msg = lua_tolstring(L, -1, &len);
  std::string_view text(msg ? msg : "", msg ? len : 0);
  return !(text.size() >= 5 && text.substr(text.size() - 5) == "<eof>");
}

std::vector<std::string> LuaRuntime::global_names() {
  lua_State* L = state_->L();
  StackGuard guard(L);
  LuaState::Uncapped uncapped(*state_);
  std::set<std::string> names;
  lua_rawgeti(L, LUA_REGISTRYINDEX, session_env_);
  push_base(L);
  for (int t : {-2, -1}) {
    int table = lua_absindex(L, t);
    lua_pushnil(L);
    while (lua_next(L, table)) {
      if (lua_type(L, -2) == LUA_TSTRING) names.insert(lua_tostring(L, -2));
      lua_pop(L, 1);
    }
  }
  return {names.begin(), names.end()};
}

std::string find_stdlib_dir() {
  if (const char* env = std::getenv("MAILFLOW_STDLIB"); env && *env) return env;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (const fs::path& candidate :
         {exe.parent_path() / "stdlib", exe.parent_path().parent_path() / "share/mailflow/stdlib"})
      if (fs::is_directory(candidate / "rules", ec)) return candidate.string();
  }
  return MAILFLOW_SOURCE_STDLIB;
}

std::vector<std::string> rule_dirs_from_environment() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("MAILFLOW_RULES"))
    for (const std::string& d : split(env, ':'))
      if (!d.empty()) dirs.push_back(d);
  return dirs;
}

}  // namespace mailflow
