// The Lua runtime of one mailflow process: the sandboxed state with the
// mailflow API, the stdlib, rule files and scripts. It is the ScriptHost the
// shell and the REPL see (SPEC 6, 7).
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "host/script_host.h"
#include "host/session.h"
#include "lua/lua_state.h"

namespace mailflow {

class StatsTableCache;

class LuaRuntime : public ScriptHost {
 public:
  // Builds the sandbox and the API. Built-in cmdlets registered in
  // session.registry by now become Lua functions (Get-TlsUsage -> GetTlsUsage).
  explicit LuaRuntime(Session& session, LuaLimits limits = limits_from_environment());
  ~LuaRuntime() override;

  // Loads the stdlib: every DIR/*.lua is a module, its result the global of
  // the file's name (dates.lua -> `dates`); then DIR/cmdlets/*.lua and
  // DIR/rules/*.lua run, in sorted order. Any error is fatal (Error).
  void load_stdlib(const std::string& dir);

  // Loads every *.lua rule file of `dir` in sorted order. A file that fails
  // (syntax, runtime error, duplicate rule) is reported on `errors` as one
  // line with its path and line, and skipped. Returns how many files loaded.
  // Throws Error("RulesDirNotFound") when `dir` is not a directory.
  int load_rule_dir(const std::string& dir, std::ostream& errors);
  // Runs one rule file in a fresh environment. Throws LuaError.
  void load_rule_file(const std::string& path);

  // Runs SCRIPT.lua with `arg` = {[0]=path, args...} (also passed as `...`).
  // Returns the exit status: 0, or n from exit(n). Throws LuaError
  // ("path:line: message") or Error.
  int run_script(const std::string& path, const std::vector<std::string>& args);

  // ScriptHost: the REPL's (and -c's) session environment.
  void set_variable(const std::string& name, const std::vector<Value>& values) override;
  std::optional<std::vector<Value>> get_variable(const std::string& name) override;
  void run_interactive(const std::string& code, std::ostream& out) override;
  bool is_complete(const std::string& code) override;
  std::vector<std::string> global_names() override;

  Session& session() { return session_; }
  LuaState& state() { return *state_; }
  const std::shared_ptr<LuaState>& shared_state() const { return state_; }
  const LuaLimits& limits() const { return limits_; }
  const std::shared_ptr<StatsTableCache>& stats_cache() const { return stats_cache_; }

  // Called after every RegisterInsightRule, so that Get-MailFlowInsights can
  // take the new rule's parameters (set by the front end; reports owns that).
  std::function<void()> on_rules_changed;

 private:
  // Compiles `code` in a fresh script environment and calls it with the
  // given budget. [-0, +0]
  void run_file(const std::string& path, const CallBudget& budget);

  Session& session_;
  LuaLimits limits_;
  std::shared_ptr<LuaState> state_;
  std::shared_ptr<StatsTableCache> stats_cache_;
  int session_env_ = LUA_NOREF;
};

// Where the stdlib lives: $MAILFLOW_STDLIB, else `stdlib/` next to the binary
// (or `../share/mailflow/stdlib`), else the source tree's stdlib/ compiled in
// as MAILFLOW_SOURCE_STDLIB.
std::string find_stdlib_dir();

// The rule directories from $MAILFLOW_RULES (colon-separated).
std::vector<std::string> rule_dirs_from_environment();

}  // namespace mailflow
