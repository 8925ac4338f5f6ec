// One Lua 5.4 state and the one path by which C++ calls into it.
//
// Debian's Lua is built as C: lua_error is a longjmp. Every C++ -> Lua call
// goes through LuaState::call, which runs the function under lua_pcall with a
// traceback handler, an instruction budget and a memory cap, restores the
// stack top on every path and turns a failure into mailflow::LuaError.
#pragma once

#include <lua.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <string>

#include "core/error.h"

namespace mailflow {

class LuaRuntime;

// Limits for runaway Lua (README "## Lua", "Budgets"). Instruction counts are
// Lua VM instructions; memory caps are bytes a call may add to the state.
// 0 means unlimited.
struct LuaLimits {
  std::int64_t rule_instructions = 1'000'000;        // MAILFLOW_LUA_BUDGET
  std::int64_t script_instructions = 1'000'000'000;  // MAILFLOW_LUA_SCRIPT_BUDGET
  std::size_t rule_memory = 32u << 20;               // MAILFLOW_LUA_MEMORY_MB
  std::size_t script_memory = 1024u << 20;           // MAILFLOW_LUA_SCRIPT_MEMORY_MB
  // Wall-clock bound of one rule evaluation, checked by the instruction hook
  // and by C code that loops without running Lua (pattern matching).
  std::int64_t rule_seconds = 10;                    // MAILFLOW_LUA_RULE_SECONDS
};

// The defaults above, overridden by the environment variables named there.
// Throws Error("BadLuaLimit") naming the variable when one is not a number.
LuaLimits limits_from_environment();

// What a call may spend, and the name its errors carry ("rule NoTls",
// "script audit.lua", "cmdlet Get-TlsTrend").
struct CallBudget {
  std::string what;
  std::int64_t instructions = 0;  // 0: unlimited
  std::size_t memory = 0;         // bytes above the usage at call start; 0: unlimited
  std::int64_t seconds = 0;       // wall-clock deadline; 0: none
  bool may_exit = true;           // exit(n) allowed (scripts); a rule may not end the host
  // The settings that raise the limits, named in the errors.
  const char* instructions_setting = "MAILFLOW_LUA_SCRIPT_BUDGET";
  const char* memory_setting = "MAILFLOW_LUA_SCRIPT_MEMORY_MB";
  const char* seconds_setting = "MAILFLOW_LUA_RULE_SECONDS";
};

// Budgets for one rule evaluation (or loading a rule file) and for one script,
// REPL chunk or Lua cmdlet run.
CallBudget rule_budget(const LuaLimits& limits, std::string what);
CallBudget script_budget(const LuaLimits& limits, std::string what);

// A failed Lua call: message is "chunk:line: message" (one line);
// traceback() holds the Lua stack for --debug.
class LuaError : public Error {
 public:
  LuaError(std::string id, const std::string& message, std::string traceback)
      : Error(std::move(id), message), traceback_(std::move(traceback)) {}
  const std::string& traceback() const { return traceback_; }

 private:
  std::string traceback_;
};

// `exit(n)` from Lua: unwinds every Lua frame and C++ caller up to the front
// end, which ends the process with `status`. Not an Error, so that nothing
// reports it as a failure.
struct ScriptExit {
  int status = 0;
};

class LuaState {
 public:
  explicit LuaState(std::atomic<bool>* interrupted = nullptr);
  ~LuaState();
  LuaState(const LuaState&) = delete;
  LuaState& operator=(const LuaState&) = delete;

  lua_State* L() const { return L_; }
  static LuaState& from(lua_State* L);  // the owner, kept in the extra space

  // The runtime that registered the API functions; null once it is gone.
  LuaRuntime* runtime() const { return runtime_; }
  void set_runtime(LuaRuntime* runtime) { runtime_ = runtime; }

  // [-(nargs+1), +nresults] Calls the function below the `nargs` arguments on
  // top of the stack. On failure the stack is back to where it was before the
  // function was pushed and LuaError (or ScriptExit) is thrown. With
  // LUA_MULTRET every result stays on the stack.
  void call(int nargs, int nresults, const CallBudget& budget);

  // `exit(n)`: makes the running call unwind (the hook re-raises on every
  // instruction so that pcall cannot stop it) and end with ScriptExit{n}.
  // Called from a C function, which then raises. False outside any call or
  // in a call that may not exit (a rule).
  bool request_exit(int status);

  // For C functions that loop without running Lua instructions (pattern
  // matching): charges `steps` to the running call's instruction budget and
  // checks its deadline and Ctrl-C; when one is exceeded, raises the stop
  // (a longjmp: call only where no C++ object with a destructor is alive).
  static void charge(lua_State* L, std::int64_t steps);
  // True while the running call is being stopped (budget, memory, deadline,
  // Ctrl-C, exit): the hook raises on every instruction until it unwinds.
  bool stopping() const { return ctx_ && ctx_->trip != Trip::None; }
  // Name of the running call ("rule NoTls"), "" outside calls.
  std::string current_call() const;

  std::size_t memory_in_use() const { return in_use_; }

  // Where `print` writes: the REPL's stream while it runs a line, else stdout.
  std::ostream* output;

  // While alive, the memory cap is lifted: C++ pushing values for Lua (call
  // arguments, cmdlet results) must never see a memory error, since a
  // longjmp would skip C++ destructors. The cap governs Lua code only
  // (scripts cannot define `__gc` finalizers, so no user code runs in a
  // collection step meanwhile).
  class Uncapped {
   public:
    explicit Uncapped(LuaState& s) : s_(s), saved_(s.uncapped_) { s_.uncapped_ = true; }
    ~Uncapped() { s_.uncapped_ = saved_; }
    Uncapped(const Uncapped&) = delete;
    Uncapped& operator=(const Uncapped&) = delete;

   private:
    LuaState& s_;
    bool saved_;
  };

 private:
  enum class Trip { None, Budget, Memory, Deadline, Interrupt, Exit };
  // One per active call(); nested calls (a script running a cmdlet that
  // evaluates a rule) stack them through `outer`.
  struct CallContext {
    const CallBudget* budget;
    CallContext* outer;
    std::int64_t used = 0;
    std::size_t memory_limit = 0;  // absolute; 0 = none
    std::chrono::steady_clock::time_point deadline{};  // epoch: none
    Trip trip = Trip::None;
    int exit_status = 0;
  };

  static void* allocate(void* ud, void* ptr, size_t osize, size_t nsize);
  static void count_hook(lua_State* L, lua_Debug* ar);
  // Adds `steps` to ctx's count and sets its trip when a limit is passed.
  bool over_limits(CallContext& ctx, std::int64_t steps);
  [[noreturn]] static void raise_trip(lua_State* L, const CallContext& ctx);
  static int message_handler(lua_State* L);
  void arm_hook(const CallContext* ctx);
  [[noreturn]] void throw_failure(const CallContext& ctx, int status, const std::string& text);

  lua_State* L_ = nullptr;
  LuaRuntime* runtime_ = nullptr;
  std::atomic<bool>* interrupted_;
  CallContext* ctx_ = nullptr;
  std::size_t in_use_ = 0;
  bool uncapped_ = false;
};

// Instructions between two looks at the budget and the Ctrl-C flag.
inline constexpr int kHookInterval = 1000;

}  // namespace mailflow
