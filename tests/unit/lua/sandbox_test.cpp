// The sandbox is an allow-list: every restriction has its own test.
#include "lua/sandbox.h"

#include <gtest/gtest.h>

#include "lua_fixture.h"

namespace mailflow {

class Sandbox : public LuaFixture {
 protected:
  // The value of a Lua expression in a fresh script environment, as text.
  std::string eval(const std::string& expr) {
    std::string out = repl_in_script("print(tostring(" + expr + "))");
    if (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }
  std::string repl_in_script(const std::string& code) {
    std::ostringstream out;
    lua().state().output = &out;
    script(code);
    lua().state().output = &std::cout;
    return out.str();
  }
};

TEST_F(Sandbox, OsExecuteIsAbsent) { EXPECT_EQ(eval("os.execute"), "nil"); }
TEST_F(Sandbox, OsExitIsAbsent) { EXPECT_EQ(eval("os.exit"), "nil"); }
TEST_F(Sandbox, OsGetenvRemoveRenameAreAbsent) {
  EXPECT_EQ(eval("os.getenv"), "nil");
  EXPECT_EQ(eval("os.remove"), "nil");
  EXPECT_EQ(eval("os.rename"), "nil");
  EXPECT_EQ(eval("os.tmpname"), "nil");
}
TEST_F(Sandbox, OsKeepsTimeDateAndClock) {
  EXPECT_EQ(eval("type(os.time) .. type(os.date) .. type(os.clock)"), "functionfunctionfunction");
}
TEST_F(Sandbox, IoIsAbsentWithoutAllowIo) {
  EXPECT_EQ(script_error("local x = io"), dir.string() + "/script.lua:1: undeclared global 'io'");
}
TEST_F(Sandbox, IoPopenIsAbsentEvenWithAllowIo) {
  session.allow_io = true;
  EXPECT_EQ(eval("io.popen"), "nil");
  EXPECT_EQ(eval("type(io.open)"), "function");
}
TEST_F(Sandbox, DofileIsAbsent) { EXPECT_NE(script_error("dofile('x.lua')").find("undeclared global 'dofile'"), std::string::npos); }
TEST_F(Sandbox, LoadfileIsAbsent) { EXPECT_NE(script_error("loadfile('x.lua')").find("undeclared global 'loadfile'"), std::string::npos); }
TEST_F(Sandbox, DebugIsAbsent) { EXPECT_NE(script_error("local d = debug").find("undeclared global 'debug'"), std::string::npos); }
TEST_F(Sandbox, PackageIsAbsent) { EXPECT_NE(script_error("local p = package").find("undeclared global 'package'"), std::string::npos); }
TEST_F(Sandbox, CoroutineIsAbsent) { EXPECT_NE(script_error("local c = coroutine").find("undeclared global 'coroutine'"), std::string::npos); }
TEST_F(Sandbox, StringDumpIsAbsent) {
  EXPECT_EQ(eval("string.dump"), "nil");
  EXPECT_EQ(eval("('').dump"), "nil");  // through the string metatable too
}
TEST_F(Sandbox, StringMetatableIsHidden) { EXPECT_EQ(eval("getmetatable('')"), "false"); }
TEST_F(Sandbox, CollectgarbageOnlyCounts) {
  EXPECT_EQ(eval("type(collectgarbage('count'))"), "number");
  EXPECT_NE(script_error("collectgarbage()").find("only \"count\" is available"), std::string::npos);
  EXPECT_NE(script_error("collectgarbage('stop')").find("only \"count\" is available"), std::string::npos);
}
TEST_F(Sandbox, LoadRefusesBinaryChunks) {
  // A precompiled chunk starts with ESC "Lua".
  EXPECT_EQ(eval("select(2, load('\\27Lua\\x54\\0'))"),
            "attempt to load a binary chunk (mode is 't')");
  EXPECT_NE(script_error("load('return 1', 'x', 'b')").find("only text chunks may be loaded"),
            std::string::npos);
}
TEST_F(Sandbox, LoadRunsTextInTheCallersEnvironment) {
  EXPECT_EQ(eval("load('return math.max(2, 5)')()"), "5");
  EXPECT_EQ(eval("load('return x', 't', 't', { x = 7 })()"), "7");
}
TEST_F(Sandbox, RequireOnlyFindsStdlibAndRuleModules) {
  EXPECT_NE(script_error("require('os')").find("module 'os' not found"), std::string::npos);
  EXPECT_NE(script_error("require('../etc/passwd')").find("is not a module name"), std::string::npos);
  std::string lib = write("mods/helper.lua", "return { twice = function(x) return 2 * x end }");
  add_module_dir(lua().state().L(), (dir / "mods").string());
  EXPECT_EQ(eval("require('helper').twice(21)"), "42");
}
TEST_F(Sandbox, LibrariesAreReadOnly) {
  EXPECT_NE(script_error("string.upper = nil").find("attempt to modify a read-only table (field 'upper')"),
            std::string::npos);
  EXPECT_NE(script_error("math.pi = 3").find("read-only"), std::string::npos);
  EXPECT_NE(script_error("setmetatable(table, {})").find("protected metatable"), std::string::npos);
}
TEST_F(Sandbox, RawsetOnALibraryProxyStaysInThatScript) {
  script("rawset(string, 'upper', function() return 'evil' end)");
  EXPECT_EQ(eval("string.upper('ok')"), "OK");
  EXPECT_EQ(eval("('ok'):upper()"), "OK");
}
TEST_F(Sandbox, PairsOverALibraryListsItsFunctions) {
  EXPECT_EQ(eval("(function() local n = 0 for k in pairs(math) do n = n + 1 end return n > 10 end)()"),
            "true");
}
TEST_F(Sandbox, ReadingAnUndeclaredGlobalIsAnError) {
  EXPECT_EQ(script_error("local x = 1\nprint(undefined_thing)"),
            dir.string() + "/script.lua:2: undeclared global 'undefined_thing'");
}
TEST_F(Sandbox, AssigningANewGlobalInsideAFunctionIsAnError) {
  EXPECT_EQ(script_error("local function f() leaked = 1 end\nf()"),
            dir.string() +
                "/script.lua:1: assignment to undeclared global 'leaked' (use local, or assign it "
                "at the top level of the file first)");
}
TEST_F(Sandbox, TopLevelAssignmentDeclaresAGlobal) {
  EXPECT_EQ(eval("(function() return 1 end)()"), "1");
  EXPECT_EQ(repl_in_script("best = nil\nlocal function f() best = 3 end\nf()\nprint(best)"), "3\n");
}
TEST_F(Sandbox, EachScriptGetsAFreshEnvironment) {
  script("shared_name = 1");
  EXPECT_NE(script_error("print(shared_name)").find("undeclared global 'shared_name'"),
            std::string::npos);
}
TEST_F(Sandbox, ReplSessionAcceptsNewGlobalsEverywhere) {
  repl("function remember(v) kept = v end");
  repl("remember(5)");
  EXPECT_EQ(repl("kept"), "5\n");
}

}  // namespace mailflow
