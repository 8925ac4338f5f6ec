#include "lua/lua_state.h"

#include <algorithm>
#include <cassert>
#include <cstdlib>
#include <string_view>

namespace mailflow {

namespace {

std::int64_t env_number(const char* name, std::int64_t fallback) {
  const char* text = std::getenv(name);
  if (!text || !*text) return fallback;
  char* end = nullptr;
  long long v = std::strtoll(text, &end, 10);
  if (*end != '\0' || v < 0)
    throw Error("BadLuaLimit", std::string(name) + ": '" + text +
                                   "' is not a whole number >= 0 (0 means unlimited)");
  return v;
}

std::string megabytes(std::size_t bytes) { return std::to_string(bytes >> 20) + " MB"; }

}  // namespace

LuaLimits limits_from_environment() {
  LuaLimits l;
  l.rule_instructions = env_number("MAILFLOW_LUA_BUDGET", l.rule_instructions);
  l.script_instructions = env_number("MAILFLOW_LUA_SCRIPT_BUDGET", l.script_instructions);
  l.rule_memory = static_cast<std::size_t>(
                      env_number("MAILFLOW_LUA_MEMORY_MB", static_cast<std::int64_t>(l.rule_memory >> 20)))
                  << 20;
  l.script_memory = static_cast<std::size_t>(env_number(
                        "MAILFLOW_LUA_SCRIPT_MEMORY_MB", static_cast<std::int64_t>(l.script_memory >> 20)))
                    << 20;
  l.rule_seconds = env_number("MAILFLOW_LUA_RULE_SECONDS", l.rule_seconds);
  return l;
}

CallBudget rule_budget(const LuaLimits& limits, std::string what) {
  CallBudget b;
  b.what = std::move(what);
  b.instructions = limits.rule_instructions;
  b.memory = limits.rule_memory;
  b.seconds = limits.rule_seconds;
  b.may_exit = false;
  b.instructions_setting = "MAILFLOW_LUA_BUDGET";
  b.memory_setting = "MAILFLOW_LUA_MEMORY_MB";
  return b;
}

CallBudget script_budget(const LuaLimits& limits, std::string what) {
  CallBudget b;
  b.what = std::move(what);
  b.instructions = limits.script_instructions;
  b.memory = limits.script_memory;
  return b;
}

LuaState::LuaState(std::atomic<bool>* interrupted) : output(&std::cout), interrupted_(interrupted) {
  L_ = lua_newstate(&LuaState::allocate, this);
  if (!L_) throw Error("LuaStateFailed", "cannot create the Lua state (out of memory)");
  *static_cast<LuaState**>(lua_getextraspace(L_)) = this;
  // The full standard library goes into the state's own global table, which
  // no script ever sees: the sandbox (sandbox.cpp) copies the allowed parts
  // into each script's environment.
  luaL_openlibs(L_);
}

LuaState::~LuaState() {
  if (!L_) return;
  // lua_close runs every pending `__gc` finalizer. Lua turns debug hooks
  // off inside finalizers, so a loop there could never be stopped: the
  // sandbox refuses metatables with `__gc` (sandbox.cpp), and no finalizer
  // of ours loops. The cap still applies here, so that nothing allocates
  // without bound at close; hooks still bound any Lua a finalizer calls.
  CallBudget budget;
  budget.what = "finalizers (__gc) at exit";
  budget.instructions = 1'000'000;
  budget.memory = 32u << 20;
  budget.seconds = 1;
  budget.may_exit = false;
  CallContext ctx{&budget, nullptr};
  ctx.memory_limit = in_use_ + budget.memory;
  ctx.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(budget.seconds);
  ctx_ = &ctx;
  uncapped_ = false;
  arm_hook(&ctx);
  lua_close(L_);
  L_ = nullptr;
  ctx_ = nullptr;
}

LuaState& LuaState::from(lua_State* L) { return **static_cast<LuaState**>(lua_getextraspace(L)); }

// The memory cap: growth past the running call's limit is refused, which Lua
// turns into a memory error after an emergency collection. Shrinking and
// freeing always succeed, as Lua requires.
void* LuaState::allocate(void* ud, void* ptr, size_t osize, size_t nsize) {
  auto* self = static_cast<LuaState*>(ud);
  size_t old = ptr ? osize : 0;  // for a new block osize is the object type
  if (nsize == 0) {
    std::free(ptr);
    self->in_use_ -= old;
    return nullptr;
  }
  CallContext* ctx = self->ctx_;
  if (nsize > old && ctx && ctx->memory_limit && !self->uncapped_ &&
      self->in_use_ + (nsize - old) > ctx->memory_limit) {
    if (ctx->trip == Trip::None) {
      ctx->trip = Trip::Memory;
      // Fire on the next instruction too, so a pcall in the script that
      // catches this memory error cannot carry on.
      lua_sethook(self->L_, &LuaState::count_hook, LUA_MASKCOUNT, 1);
    }
    return nullptr;
  }
  void* block = std::realloc(ptr, nsize);
  if (!block) return nullptr;
  self->in_use_ = self->in_use_ - old + nsize;
  return block;
}

void LuaState::arm_hook(const CallContext* ctx) {
  if (!ctx) {
    lua_sethook(L_, nullptr, 0, 0);
    return;
  }
  lua_sethook(L_, &LuaState::count_hook, LUA_MASKCOUNT,
              ctx->trip == Trip::None ? kHookInterval : 1);
}

// Runs every kHookInterval instructions; once the call is over its budget,
// interrupted or exiting, on every instruction, raising each time, so that
// the script's own pcall cannot swallow the stop. No C++ objects live here.
void LuaState::count_hook(lua_State* L, lua_Debug*) {
  LuaState& s = from(L);
  CallContext* ctx = s.ctx_;
  if (!ctx) return;
  if (ctx->trip == Trip::None && !s.over_limits(*ctx, kHookInterval)) return;
  raise_trip(L, *ctx);
}

bool LuaState::over_limits(CallContext& ctx, std::int64_t steps) {
  if (ctx.trip != Trip::None) return true;
  ctx.used += steps;
  if (interrupted_ && interrupted_->load())
    ctx.trip = Trip::Interrupt;
  else if (ctx.budget->instructions && ctx.used > ctx.budget->instructions)
    ctx.trip = Trip::Budget;
  else if (ctx.deadline != std::chrono::steady_clock::time_point{} &&
           std::chrono::steady_clock::now() > ctx.deadline)
    ctx.trip = Trip::Deadline;
  else
    return false;
  lua_sethook(L_, &LuaState::count_hook, LUA_MASKCOUNT, 1);
  return true;
}

void LuaState::raise_trip(lua_State* L, const CallContext& ctx) {
  switch (ctx.trip) {
    case Trip::Budget: lua_pushliteral(L, "instruction budget exceeded"); break;
    case Trip::Memory: lua_pushliteral(L, "out of memory"); break;
    case Trip::Deadline: lua_pushliteral(L, "time limit exceeded"); break;
    case Trip::Interrupt: lua_pushliteral(L, "interrupted"); break;
    default: lua_pushliteral(L, "exit"); break;
  }
  lua_error(L);
}

void LuaState::charge(lua_State* L, std::int64_t steps) {
  LuaState& s = from(L);
  CallContext* ctx = s.ctx_;
  if (ctx && s.over_limits(*ctx, steps)) raise_trip(L, *ctx);
}

// Message handler of every call: the error text plus a Lua traceback.
// [-0, +1]
int LuaState::message_handler(lua_State* L) {
  LuaState& s = from(L);
  int type = lua_type(L, 1);
  // An error object's __tostring is user code: it runs under the call's
  // cap, budget and deadline (a rule once reached 622 MB against 32 MB
  // here), protected, so that its failure only costs the text.
  if (type != LUA_TSTRING && type != LUA_TNUMBER && luaL_getmetafield(L, 1, "__tostring") != LUA_TNIL) {
    lua_pushvalue(L, 1);
    if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_type(L, -1) == LUA_TSTRING)
      lua_replace(L, 1);
    else
      lua_pop(L, 1);
  }
  // Only C code from here: building the text must not hit the cap that may
  // have caused the error; call() restores the flag.
  s.uncapped_ = true;
  if (!lua_tostring(L, 1)) {
    lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    lua_replace(L, 1);
  }
  // "message\nstack traceback:..." with the message kept whole: passed to
  // luaL_traceback as a C string it was cut at a NUL.
  lua_pushvalue(L, 1);
  lua_pushliteral(L, "\n");
  luaL_traceback(L, L, nullptr, 1);
  lua_concat(L, 3);
  return 1;
}

bool LuaState::request_exit(int status) {
  if (!ctx_ || !ctx_->budget->may_exit) return false;
  if (ctx_->trip == Trip::None) {
    ctx_->trip = Trip::Exit;
    ctx_->exit_status = status;
  }
  lua_sethook(L_, &LuaState::count_hook, LUA_MASKCOUNT, 1);
  return true;
}

std::string LuaState::current_call() const { return ctx_ ? ctx_->budget->what : std::string(); }

void LuaState::call(int nargs, int nresults, const CallBudget& budget) {
  const int fn = lua_gettop(L_) - nargs;
  assert(fn >= 1);
  if (!lua_checkstack(L_, 1 + std::max(nresults, 0) + LUA_MINSTACK)) {
    lua_settop(L_, fn - 1);
    throw Error("LuaStackOverflow", budget.what + ": Lua stack overflow");
  }
  lua_pushcfunction(L_, &LuaState::message_handler);
  lua_insert(L_, fn);

  CallContext ctx{&budget, ctx_};
  ctx.memory_limit = budget.memory ? in_use_ + budget.memory : 0;
  if (budget.seconds) ctx.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(budget.seconds);
  // A nested call keeps the outer deadline when that one is sooner.
  if (ctx_ && ctx_->deadline != std::chrono::steady_clock::time_point{} &&
      (ctx.deadline == std::chrono::steady_clock::time_point{} || ctx_->deadline < ctx.deadline))
    ctx.deadline = ctx_->deadline;
  const bool saved_uncapped = uncapped_;
  uncapped_ = false;
  ctx_ = &ctx;
  arm_hook(&ctx);
  const int status = lua_pcall(L_, nargs, nresults, fn);
  // Collected while this call's cap still applies.
  uncapped_ = false;
  if (ctx.trip == Trip::Memory || status == LUA_ERRMEM) lua_gc(L_, LUA_GCCOLLECT);
  ctx_ = ctx.outer;
  uncapped_ = saved_uncapped;
  arm_hook(ctx_);

  if (status == LUA_OK && ctx.trip == Trip::None) {
    lua_remove(L_, fn);
    assert(nresults == LUA_MULTRET || lua_gettop(L_) == fn - 1 + nresults);
    return;
  }
  std::string text;
  if (status != LUA_OK && status != LUA_ERRMEM) {
    size_t len = 0;
    const char* s = lua_tolstring(L_, -1, &len);  // the handler made it a string
    if (s) text.assign(s, len);
  }
  lua_settop(L_, fn - 1);
  // Ctrl-C stopped the outermost call: it has been answered, so the next
  // line at the REPL does not stop at once.
  if (ctx.trip == Trip::Interrupt && !ctx_ && interrupted_) interrupted_->store(false);
  assert(lua_gettop(L_) == fn - 1);
  throw_failure(ctx, status, text);
}

void LuaState::throw_failure(const CallContext& ctx, int status, const std::string& text) {
  const CallBudget& b = *ctx.budget;
  switch (ctx.trip) {
    case Trip::Exit: throw ScriptExit{ctx.exit_status};
    case Trip::Budget:
      throw LuaError("LuaBudgetExceeded",
                     b.what + " exceeded its instruction budget of " +
                         std::to_string(b.instructions) + " instructions (" +
                         b.instructions_setting + ")",
                     text);
    case Trip::Memory:
      throw LuaError("LuaOutOfMemory",
                     "out of memory in " + b.what + " (cap " + megabytes(b.memory) + ", " +
                         b.memory_setting + ")",
                     text);
    case Trip::Deadline:
      throw LuaError("LuaTimeLimitExceeded",
                     b.what + " exceeded its time limit of " + std::to_string(b.seconds) + " s (" +
                         b.seconds_setting + ")",
                     text);
    case Trip::Interrupt: throw LuaError("Interrupted", b.what + " interrupted", text);
    case Trip::None: break;
  }
  if (status == LUA_ERRMEM) throw LuaError("LuaOutOfMemory", "out of memory in " + b.what, "");
  // The handler's text is "message\nstack traceback:\n...".
  std::string message = text, traceback;
  if (size_t at = text.find("\nstack traceback:"); at != std::string::npos) {
    message = text.substr(0, at);
    traceback = text.substr(at + 1);
  }
  if (message.empty()) message = b.what + " failed";
  // error("a\0b"): Error shows the NUL as \x00 (what() is a C string).
  throw LuaError(status == LUA_ERRSYNTAX ? "LuaSyntaxError" : "LuaError", message, traceback);
}

}  // namespace mailflow
