// Values to Lua and back; every conversion leaves the stack as it found it.
#include "lua/value_bridge.h"

#include <gtest/gtest.h>

#include "host/cmdlet.h"
#include "lua/lua_state.h"

namespace mailflow {

namespace {

// Runs Lua `code` with the pushed value as `...`, returning its one result as text.
std::string lua_view(LuaState& s, const Value& v, const std::string& code) {
  lua_State* L = s.L();
  luaL_loadstring(L, code.c_str());
  push_value(L, v);
  CallBudget b;
  b.what = "test";
  s.call(1, 1, b);
  std::string out = luaL_tolstring(L, -1, nullptr);
  lua_pop(L, 2);
  return out;
}

Value eval(LuaState& s, const std::string& code, const std::vector<std::string>& order = {}) {
  lua_State* L = s.L();
  luaL_loadstring(L, code.c_str());
  CallBudget b;
  b.what = "test";
  s.call(0, 1, b);
  Value v = to_value(L, -1, "result", order);
  lua_pop(L, 1);
  return v;
}

}  // namespace

TEST(ValueBridge, ScalarsGoToLuaAsDocumented) {
  LuaState s;
  int top = lua_gettop(s.L());
  EXPECT_EQ(lua_view(s, Value(), "return type(...)"), "nil");
  EXPECT_EQ(lua_view(s, Value(true), "return type(...)"), "boolean");
  EXPECT_EQ(lua_view(s, Value(std::int64_t{42}), "return math.type(...)"), "integer");
  EXPECT_EQ(lua_view(s, Value(2.5), "return math.type(...)"), "float");
  EXPECT_EQ(lua_view(s, Value("Inbound"), "return ..."), "Inbound");
  EXPECT_EQ(lua_view(s, Value(DateTime{*parse_instant("2026-11-16T08:15:02Z")}), "return ..."),
            "2026-11-16T08:15:02Z");
  EXPECT_EQ(lua_view(s, Value(Date{*parse_date("2026-11-16")}), "return ..."), "2026-11-16");
  EXPECT_EQ(lua_gettop(s.L()), top);
}

TEST(ValueBridge, RecordsArePlainTablesAndArraysSequences) {
  LuaState s;
  Value rec = make_record({"Connector", "Messages", "Percent"}, {Value(), Value(std::int64_t{7}), Value(12.5)});
  Value arr(Array{rec, rec});
  EXPECT_EQ(lua_view(s, arr, "local a = ... return #a .. ' ' .. tostring(a[1].Connector) .. ' ' .. a[2].Messages"),
            "2 nil 7");
  EXPECT_EQ(lua_view(s, rec, "local r = ... local n = 0 for k in pairs(r) do n = n + 1 end return n"), "2");
}

TEST(ValueBridge, RecordsComeBackInTheirPropertyOrder) {
  LuaState s;
  lua_State* L = s.L();
  int top = lua_gettop(L);
  Value rec = make_record({"Zeta", "Alpha", "Mid"}, {Value(1), Value(2), Value(3)});
  push_value(L, rec);
  Value back = to_value(L, -1, "r");
  lua_pop(L, 1);
  ASSERT_TRUE(back.is_record());
  EXPECT_EQ(back.as_record().schema().names(), (std::vector<std::string>{"Zeta", "Alpha", "Mid"}));
  EXPECT_EQ(lua_gettop(L), top);
}

TEST(ValueBridge, LuaTablesBecomeArraysOrRecords) {
  LuaState s;
  EXPECT_TRUE(eval(s, "return {}").is_array());
  Value a = eval(s, "return {1, 2.5, 'x', true}");
  ASSERT_TRUE(a.is_array());
  EXPECT_TRUE(a.as_array()[0].is_int());
  EXPECT_TRUE(a.as_array()[1].is_double());
  Value r = eval(s, "return { b = 1, a = 2, c = { 1, 2 } }");
  ASSERT_TRUE(r.is_record());
  EXPECT_EQ(r.as_record().schema().names(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(r.as_record().get("c")->is_array());
  Value ordered = eval(s, "return { b = 1, a = 2, z = 3 }", {"z", "b"});
  EXPECT_EQ(ordered.as_record().schema().names(), (std::vector<std::string>{"z", "b", "a"}));
  Value declared = eval(s, "return setmetatable({ b = 1, a = 2 }, { __fields = { 'b', 'a' } })");
  EXPECT_EQ(declared.as_record().schema().names(), (std::vector<std::string>{"b", "a"}));
}

TEST(ValueBridge, FunctionsCyclesAndHolesAreRefused) {
  LuaState s;
  lua_State* L = s.L();
  int top = lua_gettop(L);
  auto message = [&](const std::string& code) {
    try {
      eval(s, code);
    } catch (const Error& e) {
      lua_settop(L, top);
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(message("return { Run = print }"), "result.Run: a Lua function cannot be passed to mailflow");
  EXPECT_EQ(message("local t = {} t.self = t return t"),
            "result.self.self.self: tables nested more than 64 deep (a cycle?)");
  EXPECT_EQ(message("return { [1] = 'a', [3] = 'c', [4] = 'd' }"), "result: array has a hole at index 2");
  EXPECT_EQ(lua_gettop(L), top);
}

TEST(ValueBridge, ToValuesFlattensArraysAndWrapsSingles) {
  LuaState s;
  lua_State* L = s.L();
  lua_pushnil(L);
  EXPECT_TRUE(to_values(L, -1, "x").empty());
  lua_pop(L, 1);
  luaL_dostring(L, "return { { a = 1 }, { a = 2 } }");
  EXPECT_EQ(to_values(L, -1, "x").size(), 2u);
  lua_pop(L, 1);
  luaL_dostring(L, "return { a = 1 }");
  EXPECT_EQ(to_values(L, -1, "x").size(), 1u);
  lua_pop(L, 1);
}

}  // namespace mailflow
