// Scripts, exit(n), the REPL host (ScriptHost) and rule/stdlib loading.
#include "lua/lua_runtime.h"

#include <gtest/gtest.h>

#include "lua_fixture.h"

namespace mailflow {

class LuaRuntimeTest : public LuaFixture {};

TEST_F(LuaRuntimeTest, ScriptSeesItsArgumentsAsArgAndVarargs) {
  std::ostringstream out;
  lua().state().output = &out;
  int top = lua_top();
  EXPECT_EQ(script("print(#arg, arg[1], arg[2], select('#', ...), (...))\n"
                   "print(arg[0]:match('script%.lua$') ~= nil)",
                   {"2026-11", "out.csv"}),
            0);
  EXPECT_EQ(out.str(), "2\t2026-11\tout.csv\t2\t2026-11\ntrue\n");
  EXPECT_EQ(lua_top(), top);
  lua().state().output = &std::cout;
}

TEST_F(LuaRuntimeTest, ExitEndsTheScriptWithItsStatusEvenInsidePcall) {
  EXPECT_EQ(script("exit(3)"), 3);
  EXPECT_EQ(script("pcall(exit, 4) error('not reached')"), 4);
  EXPECT_EQ(script("pcall(function() exit(5) end) while true do end"), 5);
  EXPECT_EQ(script("exit(false)"), 1);
  EXPECT_EQ(script("exit()"), 0);
}

TEST_F(LuaRuntimeTest, ScriptErrorsReadFileLineMessage) {
  std::string path = (dir / "script.lua").string();
  EXPECT_EQ(script_error("local x = 1\n\nerror('no data for ' .. x)"), path + ":3: no data for 1");
  EXPECT_EQ(script_error("local = 1"), path + ":1: <name> expected near '='");
  try {
    lua().run_script((dir / "missing.lua").string(), {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), (dir / "missing.lua").string() + ": cannot open the file");
  }
}

TEST_F(LuaRuntimeTest, ScriptBudgetStopsARunawayScript) {
  LuaLimits limits;
  limits.script_instructions = 100'000;
  lua(limits);
  std::string path = (dir / "script.lua").string();
  EXPECT_EQ(script_error("while true do end"),
            "script " + path +
                " exceeded its instruction budget of 100000 instructions (MAILFLOW_LUA_SCRIPT_BUDGET)");
}

TEST_F(LuaRuntimeTest, InteractiveExpressionsPrintTheirValues) {
  EXPECT_EQ(repl("1 + 1"), "2\n");
  EXPECT_EQ(repl("'a', nil, 3"), "a\tnil\t3\n");
  EXPECT_EQ(repl("x = 10"), "");
  EXPECT_EQ(repl("x * 2"), "20\n");
  EXPECT_EQ(repl("print('via print')"), "via print\n");
  EXPECT_EQ(repl("for i = 1, 2 do print(i) end"), "1\n2\n");
}

TEST_F(LuaRuntimeTest, InteractiveErrorsThrowAndTheSessionGoesOn) {
  try {
    repl("error('oops')");
    FAIL();
  } catch (const LuaError& e) {
    EXPECT_EQ(std::string(e.what()), "stdin:1: oops");
  }
  EXPECT_THROW(repl("nosuchname + 1"), LuaError);
  EXPECT_EQ(repl("'still here'"), "still here\n");
}

TEST_F(LuaRuntimeTest, IncompleteChunksAreDetected) {
  EXPECT_FALSE(lua().is_complete("function f()"));
  EXPECT_FALSE(lua().is_complete("t = {"));
  EXPECT_FALSE(lua().is_complete("s = [[long"));
  EXPECT_FALSE(lua().is_complete("if x then"));
  EXPECT_TRUE(lua().is_complete("function f() end"));
  EXPECT_TRUE(lua().is_complete("1 + 1"));
  EXPECT_TRUE(lua().is_complete("x = = 1"));  // wrong, but finished: running it reports the error
}

TEST_F(LuaRuntimeTest, VariablesAreSessionGlobals) {
  lua().set_variable("rows", {make_record({"A"}, {Value(1)}), make_record({"A"}, {Value(2)})});
  EXPECT_EQ(repl("#rows .. ' ' .. rows[2].A"), "2 2\n");
  repl("one = { A = 5 }");
  auto one = lua().get_variable("one");
  ASSERT_TRUE(one);
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ(one->front().as_record().get("A")->as_int(), 5);
  auto rows = lua().get_variable("rows");
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->size(), 2u);
  EXPECT_FALSE(lua().get_variable("never_set"));
  repl("f = print");
  EXPECT_THROW(lua().get_variable("f"), Error);
}

TEST_F(LuaRuntimeTest, GlobalNamesListApiAndSessionGlobals) {
  repl("my_total = 1");
  auto names = lua().global_names();
  for (const char* n : {"my_total", "print", "string", "Invoke", "RegisterCmdlet", "RegisterInsightRule", "mailflow"})
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
  EXPECT_EQ(std::find(names.begin(), names.end(), "os.execute"), names.end());
}

TEST_F(LuaRuntimeTest, TodayComesFromTheSession) {
  EXPECT_EQ(repl("mailflow.today()"), "2026-11-22\n");
}

TEST_F(LuaRuntimeTest, StdlibModulesBecomeGlobalsAndRequireGivesTheSameTable) {
  std::string lib = (dir / "lib").string();
  write("lib/greet.lua", "local M = {} function M.hello(n) return 'hello ' .. n end return M");
  write("lib/rules/r.lua", "RegisterInsightRule{ Name = 'FromStdlib', Title = 't', Evaluate = function() return greet.hello('x') == 'hello x' end }");
  write("lib/cmdlets/c.lua", "assert(greet.hello == require('greet').hello)");
  lua().load_stdlib(lib);
  EXPECT_EQ(repl("greet.hello('admin')"), "hello admin\n");
  ASSERT_NE(rules.find("FromStdlib"), nullptr);
  EXPECT_TRUE(rules.find("FromStdlib")->evaluate(InsightStats{}, {}).fires);
  EXPECT_THROW(repl("greet.hello = nil"), LuaError);  // read-only like the libraries
  EXPECT_THROW(repl("require('greet').hello = nil"), LuaError);
}

TEST_F(LuaRuntimeTest, BrokenStdlibIsFatal) {
  write("lib/bad.lua", "return {");
  EXPECT_THROW(lua().load_stdlib((dir / "lib").string()), LuaError);
  EXPECT_THROW(lua().load_stdlib((dir / "none").string()), Error);
}

TEST_F(LuaRuntimeTest, RuleDirsFromEnvironmentAreColonSeparated) {
  setenv("MAILFLOW_RULES", "/a:/b/c::/d", 1);
  EXPECT_EQ(rule_dirs_from_environment(), (std::vector<std::string>{"/a", "/b/c", "/d"}));
  unsetenv("MAILFLOW_RULES");
  EXPECT_TRUE(rule_dirs_from_environment().empty());
}

}  // namespace mailflow
