// Lua's pattern-matching functions with time bounds: string.find, match,
// gmatch and gsub as the Lua 5.4 manual defines them, but every 1024 matcher
// steps charged to the running call's instruction budget and its deadline
// and Ctrl-C checked, so that a backtracking pattern cannot hang the host
// (the standard library's matcher is C, where the count hook never fires).
#pragma once

#include <lua.hpp>

namespace mailflow {

// Replaces find, match, gmatch and gsub in the state's real `string` table
// (the one behind every sandbox proxy and the string metatable). [-0, +0]
void install_bounded_patterns(lua_State* L);

}  // namespace mailflow
