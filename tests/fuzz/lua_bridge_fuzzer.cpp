// libFuzzer target for the Lua value bridge: the input is a Lua chunk run in
// a sandbox environment under a small budget and memory cap; whatever it
// returns (tables with cycles, metatables, huge or NaN numbers, strings with
// NULs) is converted to mailflow values (to_values) and pushed back
// (push_value). Lua and conversion errors are expected; crashes, leaks of
// the stack top and sanitizer reports are findings.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/error.h"
#include "lua/lua_state.h"
#include "lua/sandbox.h"
#include "lua/value_bridge.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mailflow;
  static LuaState* state = [] {
    auto* s = new LuaState;
    install_sandbox(s->L(), SandboxOptions{});
    return s;
  }();
  lua_State* L = state->L();
  const int top = lua_gettop(L);
  CallBudget budget;
  budget.what = "fuzz chunk";
  budget.instructions = 200'000;
  budget.memory = 16u << 20;
  budget.seconds = 2;
  std::string code(reinterpret_cast<const char*>(data), size);
  try {
    {
      LuaState::Uncapped uncapped(*state);
      push_environment(L, EnvMode::Script);
      load_chunk(L, code, "=fuzz", -1);
      lua_remove(L, -2);
    }
    state->call(0, 1, budget);
    std::vector<Value> values;
    {
      LuaState::Uncapped uncapped(*state);
      values = to_values(L, -1, "result");
      lua_pop(L, 1);
      for (const Value& v : values) {
        push_value(L, v);
        Value back = to_value(L, -1, "round trip");
        lua_pop(L, 1);
        (void)back;
      }
    }
  } catch (const ScriptExit&) {
  } catch (const Error&) {
  }
  lua_settop(L, top);
  return 0;
}
