// The shape of every C function exposed to Lua (STYLE.md "The Lua boundary"):
//
//   int l_something(lua_State* L) {
//     luaL_check...(L, 1);                 // 1. arguments; may raise, nothing alive yet
//     Fault fault;                         //    trivially destructible
//     if (!guarded(L, fault, [&] { ... })) // 2. C++ work, every object scoped inside
//       return raise_fault(L, fault);      // 3. raise once those objects are gone
//     return n;
//   }
//
// Debian's Lua is C: lua_error is a longjmp, which must never skip a C++
// destructor, and no C++ exception may cross a Lua frame.
#pragma once

#include <lua.hpp>

#include <cstring>
#include <exception>

#include "lua/lua_state.h"

namespace mailflow {

// An error message that survives the end of the C++ scope that produced it.
struct Fault {
  char text[1024] = {};
  void set(const char* message) {
    std::strncpy(text, message, sizeof text - 1);
    text[sizeof text - 1] = '\0';
  }
};

// Runs `work` with the memory cap lifted (pushing results must not raise),
// catching every exception into `fault`. `exit(n)` from a nested script call
// (ScriptExit) is passed on to the running call. Returns false on failure.
template <class Work>
bool guarded(lua_State* L, Fault& fault, Work&& work) noexcept {
  LuaState& state = LuaState::from(L);
  try {
    LuaState::Uncapped uncapped(state);
    work();
    return true;
  } catch (const ScriptExit& e) {
    state.request_exit(e.status);
    fault.set("exit");
  } catch (const std::exception& e) {
    fault.set(e.what());
  } catch (...) {
    fault.set("unknown C++ exception");
  }
  return false;
}

// Raises `fault` as a Lua error, prefixed with the calling Lua line
// ("audit.lua:12: ..."). Never returns.
inline int raise_fault(lua_State* L, const Fault& fault) {
  luaL_where(L, 1);
  // A fault from a nested call of the same line (Invoke recursing into a
  // Lua cmdlet) already carries this prefix: adding it at every level once
  // printed a kilobyte of "x.lua:3: x.lua:3: ..." and cut off the cause.
  size_t where_len = 0;
  const char* where = lua_tolstring(L, -1, &where_len);
  if (where_len > 0 && std::strncmp(fault.text, where, where_len) == 0) {
    lua_pop(L, 1);
    lua_pushstring(L, fault.text);
    return lua_error(L);
  }
  lua_pushstring(L, fault.text);
  lua_concat(L, 2);
  return lua_error(L);
}

}  // namespace mailflow
