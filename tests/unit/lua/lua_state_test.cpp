// The one call path: results, errors with chunk and line, the stack top
// restored on every path, instruction budget, memory cap, Ctrl-C, exit(n).
#include "lua/lua_state.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "lua/bounded_patterns.h"
#include "lua/sandbox.h"
#include "lua_fixture.h"

namespace mailflow {

namespace {

// Compiles `code` (chunk "=test") in the state's own globals. [-0, +1]
void push_chunk(lua_State* L, const std::string& code) {
  ASSERT_EQ(luaL_loadbufferx(L, code.data(), code.size(), "=test", "t"), LUA_OK);
}

CallBudget small_budget(std::int64_t instructions = 100'000, std::size_t memory = 4u << 20) {
  CallBudget b;
  b.what = "rule Runaway";
  b.instructions = instructions;
  b.memory = memory;
  b.instructions_setting = "MAILFLOW_LUA_BUDGET";
  b.memory_setting = "MAILFLOW_LUA_MEMORY_MB";
  return b;
}

}  // namespace

TEST(LuaState, CallLeavesResultsAndBalancesTheStack) {
  LuaState s;
  lua_State* L = s.L();
  int top = lua_gettop(L);
  push_chunk(L, "local a, b = ... return a + b, a * b");
  lua_pushinteger(L, 3);
  lua_pushinteger(L, 4);
  s.call(2, 2, small_budget());
  ASSERT_EQ(lua_gettop(L), top + 2);
  EXPECT_EQ(lua_tointeger(L, -2), 7);
  EXPECT_EQ(lua_tointeger(L, -1), 12);
  lua_settop(L, top);
}

TEST(LuaState, ErrorBecomesLuaErrorWithChunkAndLineAndRestoresTop) {
  LuaState s;
  lua_State* L = s.L();
  lua_pushliteral(L, "below");  // something of the caller's that must survive
  int top = lua_gettop(L);
  push_chunk(L, "local x = 1\nerror('boom')");
  lua_pushinteger(L, 1);
  try {
    s.call(1, 1, small_budget());
    FAIL() << "no error";
  } catch (const LuaError& e) {
    EXPECT_EQ(e.id(), "LuaError");
    EXPECT_STREQ(e.what(), "test:2: boom");
    EXPECT_NE(e.traceback().find("stack traceback"), std::string::npos);
  }
  EXPECT_EQ(lua_gettop(L), top);
  EXPECT_STREQ(lua_tostring(L, -1), "below");
}

TEST(LuaState, NonStringErrorObjectsAreDescribed) {
  LuaState s;
  push_chunk(s.L(), "error({})");
  try {
    s.call(0, 0, small_budget());
    FAIL();
  } catch (const LuaError& e) {
    EXPECT_STREQ(e.what(), "(error object is a table value)");
  }
}

TEST(LuaState, InfiniteLoopStopsWithTheNamedBudgetError) {
  LuaState s;
  int top = lua_gettop(s.L());
  push_chunk(s.L(), "while true do end");
  try {
    s.call(0, 0, small_budget());
    FAIL();
  } catch (const LuaError& e) {
    EXPECT_EQ(e.id(), "LuaBudgetExceeded");
    EXPECT_EQ(std::string(e.what()),
              "rule Runaway exceeded its instruction budget of 100000 instructions "
              "(MAILFLOW_LUA_BUDGET)");
  }
  EXPECT_EQ(lua_gettop(s.L()), top);
  // The state goes on: the next call has a fresh budget.
  push_chunk(s.L(), "local n = 0 for i = 1, 1000 do n = n + i end return n");
  s.call(0, 1, small_budget());
  EXPECT_EQ(lua_tointeger(s.L(), -1), 500500);
}

TEST(LuaState, ScriptPcallCannotSwallowTheBudget) {
  LuaState s;
  push_chunk(s.L(),
             "for _ = 1, 100 do pcall(function() while true do end end) end\n"
             "return 'escaped'");
  try {
    s.call(0, 1, small_budget());
    FAIL() << "the script's pcall swallowed the budget";
  } catch (const LuaError& e) {
    EXPECT_EQ(e.id(), "LuaBudgetExceeded");
  }
}

TEST(LuaState, UnboundedAllocationStopsWithOutOfMemoryAndTheHostSurvives) {
  LuaState s;
  size_t before = s.memory_in_use();
  push_chunk(s.L(), "local t = {} local i = 0 while true do i = i + 1 t[i] = string.rep('x', 1000) .. i end");
  try {
    s.call(0, 0, small_budget(0, 4u << 20));
    FAIL();
  } catch (const LuaError& e) {
    EXPECT_EQ(e.id(), "LuaOutOfMemory");
    EXPECT_EQ(std::string(e.what()), "out of memory in rule Runaway (cap 4 MB, MAILFLOW_LUA_MEMORY_MB)");
  }
  // The garbage went back after the failed call.
  EXPECT_LT(s.memory_in_use(), before + (1u << 20));
  push_chunk(s.L(), "return #string.rep('y', 100)");
  s.call(0, 1, small_budget());
  EXPECT_EQ(lua_tointeger(s.L(), -1), 100);
}

TEST(LuaState, PcallCannotSwallowOutOfMemory) {
  LuaState s;
  push_chunk(s.L(),
             "local keep = {}\n"
             "for _ = 1, 50 do pcall(function() while true do keep[#keep + 1] = {} end end) end\n"
             "return 'escaped'");
  EXPECT_THROW(s.call(0, 1, small_budget(0, 2u << 20)), LuaError);
}

TEST(LuaState, InterruptFlagStopsTheCall) {
  std::atomic<bool> interrupted{true};
  LuaState s(&interrupted);
  push_chunk(s.L(), "while true do end");
  try {
    s.call(0, 0, small_budget(0));
    FAIL();
  } catch (const LuaError& e) {
    EXPECT_EQ(e.id(), "Interrupted");
    EXPECT_EQ(std::string(e.what()), "rule Runaway interrupted");
  }
  EXPECT_FALSE(interrupted.load());  // answered: the next call runs
  push_chunk(s.L(), "return 1");
  s.call(0, 1, small_budget(0));
  EXPECT_EQ(lua_tointeger(s.L(), -1), 1);
}

TEST(LuaState, NestedCallKeepsItsOwnBudgetAndRestoresTheOuterOne) {
  LuaState s;
  lua_State* L = s.L();
  // The outer chunk calls back into C++, which runs a runaway inner call.
  static LuaState* state = &s;
  lua_pushcfunction(L, [](lua_State* L) -> int {
    bool failed = false;
    {
      luaL_loadstring(L, "while true do end");
      CallBudget inner;
      inner.what = "rule Inner";
      inner.instructions = 5000;
      try {
        state->call(0, 0, inner);
      } catch (const LuaError&) {
        failed = true;
      }
    }
    lua_pushboolean(L, failed);
    return 1;
  });
  lua_setglobal(L, "run_inner");
  push_chunk(L, "local failed = run_inner() local n = 0 for i = 1, 10000 do n = n + 1 end return failed, n");
  s.call(0, 2, small_budget(1'000'000));
  EXPECT_TRUE(lua_toboolean(L, -2));
  EXPECT_EQ(lua_tointeger(L, -1), 10000);
  lua_pop(L, 2);
}

TEST(LuaState, LimitsComeFromTheEnvironment) {
  setenv("MAILFLOW_LUA_BUDGET", "1234", 1);
  setenv("MAILFLOW_LUA_MEMORY_MB", "7", 1);
  LuaLimits l = limits_from_environment();
  EXPECT_EQ(l.rule_instructions, 1234);
  EXPECT_EQ(l.rule_memory, 7u << 20);
  setenv("MAILFLOW_LUA_BUDGET", "lots", 1);
  try {
    limits_from_environment();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "MAILFLOW_LUA_BUDGET: 'lots' is not a whole number >= 0 (0 means unlimited)");
  }
  unsetenv("MAILFLOW_LUA_BUDGET");
  unsetenv("MAILFLOW_LUA_MEMORY_MB");
}

// Issue 16, item 2: Lua time is bounded wherever Lua can run.

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string call_error(LuaState& s, const std::string& code, const CallBudget& budget) {
  push_chunk(s.L(), code);
  try {
    s.call(0, 0, budget);
  } catch (const LuaError& e) {
    return e.id() + ": " + e.what();
  }
  return "";
}

}  // namespace

// The cap was lifted while an error object's __tostring ran (622 MB against
// 32 MB): now __tostring runs capped and its failure only costs the text.
TEST(LuaState, ErrorTostringRunsUnderTheMemoryCap) {
  LuaState s;
  std::string e = call_error(s,
                             "error(setmetatable({}, {__tostring = function()"
                             "  local t = {} for i = 1, 1e6 do t[i] = ('x'):rep(100) .. i; reached = i end"
                             "  return 'never' end}))",
                             small_budget(0, 8u << 20));
  EXPECT_EQ(e, "LuaOutOfMemory: out of memory in rule Runaway (cap 8 MB, MAILFLOW_LUA_MEMORY_MB)");
  lua_getglobal(s.L(), "reached");
  EXPECT_GT(lua_tointeger(s.L(), -1), 0);
  EXPECT_LT(lua_tointeger(s.L(), -1), 200000);  // 8 MB hold far fewer than 1e6 strings of 100 bytes
  lua_pop(s.L(), 1);
}

// Pattern matching is C code where the count hook never fires: the bounded
// string functions charge their steps to the budget, check the deadline
// and Ctrl-C.
TEST(LuaState, BacktrackingPatternStopsAtBudgetDeadlineAndCtrlC) {
  const std::string hostile = "string.find(string.rep('a', 60), '.-.-.-.-.-.-.-.-.-b')";
  {
    LuaState s;
    install_bounded_patterns(s.L());
    std::string e = call_error(s, hostile, small_budget(1'000'000, 0));
    EXPECT_EQ(e.rfind("LuaBudgetExceeded: ", 0), 0u) << e;
  }
  {
    LuaState s;
    install_bounded_patterns(s.L());
    CallBudget b = small_budget(0, 0);
    b.seconds = 1;
    auto t0 = std::chrono::steady_clock::now();
    std::string e = call_error(s, "local s = ('a'):rep(60) return s:match('.-.-.-.-.-.-.-.-.-b')", b);
    EXPECT_EQ(e, "LuaTimeLimitExceeded: rule Runaway exceeded its time limit of 1 s (MAILFLOW_LUA_RULE_SECONDS)");
    EXPECT_LT(seconds_since(t0), 3.0);
  }
  {
    std::atomic<bool> flag{false};
    LuaState s(&flag);
    install_bounded_patterns(s.L());
    std::thread press([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      flag.store(true);
    });
    std::string e = call_error(s, "string.gsub(string.rep('a', 60), '.-.-.-.-.-.-.-.-.-b', 'x')", small_budget(0, 0));
    press.join();
    EXPECT_EQ(e, "Interrupted: rule Runaway interrupted");
  }
}

// The NUL in error("a\0b") once cut the message.
TEST(LuaState, ErrorTextKeepsWhatFollowsANul) {
  LuaState s;
  EXPECT_EQ(call_error(s, "error('before\\0after', 0)", small_budget()), "LuaError: before\\x00after");
}

}  // namespace mailflow
