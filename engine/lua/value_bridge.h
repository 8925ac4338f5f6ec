// Values between the engine and Lua (SPEC 6): records are plain tables,
// arrays sequences, dates ISO-8601 strings, Int a Lua integer, Double a Lua
// float, null nil.
//
// A record table carries a metatable whose `__fields` lists the property
// order, so a record that goes to Lua and comes back keeps its column order.
// Lua code can do the same for records it builds (`report.record`).
//
// Callers hold LuaState::Uncapped while pushing or reading: only Lua code is
// subject to the memory cap, so none of these functions ever raises a Lua
// error (which would longjmp over C++ objects). Reading uses raw access only,
// so no metamethod (Lua code) runs either.
#pragma once

#include <lua.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "core/value.h"

namespace mailflow {

// [-0, +1]
void push_value(lua_State* L, const Value& value);
// [-0, +1] A sequence of the values.
void push_array(lua_State* L, const std::vector<Value>& values);

// [-0, +0] The Lua value at `index`. Tables with only keys 1..n (and the
// empty table) are arrays; other tables are records, ordered by their
// `__fields` metatable entry, then by `order` (declared columns: those
// missing are added as null), then by name. Throws
// Error("LuaValueNotConvertible") naming `what` for functions, userdata,
// threads and tables nested more than 64 deep (cycles).
Value to_value(lua_State* L, int index, std::string_view what,
               const std::vector<std::string>& order = {});

// A Lua result as a list of records: an array gives its elements, nil
// nothing, anything else one value.
std::vector<Value> to_values(lua_State* L, int index, std::string_view what,
                             const std::vector<std::string>& order = {});

// [-0, +1] The metatable that gives records of these property names their
// order; a table made with it is read back as a record in that order.
void push_record_metatable(lua_State* L, const std::vector<std::string>& names);

}  // namespace mailflow
