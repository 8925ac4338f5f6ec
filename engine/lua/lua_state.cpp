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
  return l;
}

CallBudget rule_budget(const LuaLimits& limits, std::string what) {
  CallBudget b;
  b.what = std::move(what);
  b.instructions = limits.rule_instructions;
  b.memory = limits.rule_memory;
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
  if (L_) lua_close(L_);
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
  if (ctx->trip == Trip::None) {
    ctx->used += kHookInterval;
    if (s.interrupted_ && s.interrupted_->load())
      ctx->trip = Trip::Interrupt;
    else if (ctx->budget->instructions && ctx->used > ctx->budget->instructions)
      ctx->trip = Trip::Budget;
    else
      return;
    lua_sethook(L, &LuaState::count_hook, LUA_MASKCOUNT, 1);
  }
  switch (ctx->trip) {
    case Trip::Budget: lua_pushliteral(L, "instruction budget exceeded"); break;
    case Trip::Memory: lua_pushliteral(L, "out of memory"); break;
    case Trip::Interrupt: lua_pushliteral(L, "interrupted"); break;
    default: lua_pushliteral(L, "exit"); break;
  }
  lua_error(L);
}

// Message handler of every call: the error text plus a Lua traceback.
// [-0, +1]
int LuaState::message_handler(lua_State* L) {
  // Building the text must not hit the cap that may have caused the error;
  // call() restores the flag.
  from(L).uncapped_ = true;
  const char* msg = lua_tostring(L, 1);
  if (!msg) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      msg = lua_tostring(L, -1);
    else
      msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

bool LuaState::request_exit(int status) {
  if (!ctx_) return false;
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
  const bool saved_uncapped = uncapped_;
  uncapped_ = false;
  ctx_ = &ctx;
  arm_hook(&ctx);
  const int status = lua_pcall(L_, nargs, nresults, fn);
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
  if (ctx.trip == Trip::Memory || status == LUA_ERRMEM) lua_gc(L_, LUA_GCCOLLECT);
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
  throw LuaError(status == LUA_ERRSYNTAX ? "LuaSyntaxError" : "LuaError", message, traceback);
}

}  // namespace mailflow
