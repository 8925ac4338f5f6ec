// The mailflow API functions that engine/lua adds to the sandbox's base
// (README "## Lua" documents each; the doc comments on their luaL_Reg
// entries are the reference).
#pragma once

#include <lua.hpp>

#include <ostream>

#include "host/cmdlet.h"
#include "host/session.h"

namespace mailflow {

// RegisterInsightRule (lua_insight_rule.cpp).
void register_rule_api(lua_State* L);

// _, N_ and FormatPercent (locale_bindings.cpp).
void register_locale_api(lua_State* L);

// One `VerbNoun` function per cmdlet of `registry`, Invoke and
// RegisterCmdlet (cmdlet_bindings.cpp).
void register_cmdlet_api(lua_State* L, const Registry& registry);
// [-0, +1] The Lua function for one cmdlet (Get-TlsUsage -> GetTlsUsage)
// into the base.
void register_cmdlet_function(lua_State* L, const CmdletSpec& spec);


// Prints the table at `index` with Format-Table when it is a record or an
// array of records and Format-Table is registered. False when it did not.
bool print_records(Session& session, lua_State* L, int index, std::ostream& out);

}  // namespace mailflow
