// string.find, match, gmatch and gsub keep Lua 5.4's semantics (the cases
// below are the manual's, checked against the stock lua5.4) while being
// stoppable (the stops themselves: lua_state_test.cpp).
#include "lua/bounded_patterns.h"

#include <gtest/gtest.h>

#include "lua_fixture.h"

namespace mailflow {
namespace {

class BoundedPatterns : public LuaFixture {};

TEST_F(BoundedPatterns, SameResultsAsLua) {
  EXPECT_EQ(script(R"lua(
local function same(a, b, ...)
  local n = select('#', ...)
  local got = table.pack(a(...))
  for i = 1, math.max(#b, got.n) do
    assert(got[i] == b[i], ("case %s: result %d is %s, expected %s"):format(n, i, tostring(got[i]), tostring(b[i])))
  end
end
local find, match, gsub = string.find, string.match, string.gsub
same(find, {5, 7}, "hello world", "o w")
same(find, {2, 3}, "a.b.", ".b", 1, true)
same(find, {}, "abc", "x")
same(find, {1, 0}, "abc", "")
same(find, {4, 3}, "abc", "", 10 - 6)
same(find, {}, "abc", "", 5)
same(find, {2, 3, "bc"}, "abc", "(b%a)")
same(find, {3, 3}, "abc", "c", -1)
same(match, {"key", "val"}, " key = val ", "(%w+)%s*=%s*(%w+)")
same(match, {"2026", "11", "16"}, "on 2026-11-16T08", "(%d+)-(%d+)-(%d+)")
same(match, {"hello"}, "hello world", "^(%a+)")
same(match, {}, "hello world", "^(world)")
same(match, {"world"}, "hello world", "(%a+)$")
same(match, {1, 4}, "abc", "()abc()")
same(match, {"(a(b)c)"}, "x(a(b)c)y", "%b()")
same(match, {"THE"}, "THE (quick) fox", "%f[%a]%u+%f[%A]")
same(match, {"aXa", "a"}, "baXab", "((a)X%2)")
same(match, {"a-b"}, "xa-by", "[a%-]+%-?b")
same(match, {"]"}, "x]", "[]]")
same(match, {"ab"}, "ab12", "[^%d]+")
same(match, {"aaa"}, "aaab", "a*")
same(match, {""}, "aaab", "a-")
same(match, {"aaab"}, "aaab", "a-b")
same(match, {"b"}, "b", "a?b")
same(match, {"x$y"}, "x$y", "x$y")
same(match, {"12"}, "  12  ", "^%s*(.-)%s*$")
same(gsub, {"hello hello world world", 2}, "hello world", "(%w+)", "%1 %1")
same(gsub, {"world hello Lua from", 2}, "hello world from Lua", "(%w+) (%w+)", "%2 %1", 2)
same(gsub, {"HOME = /home/x", 1}, "$HOME = /home/x", "%$(%w+)", {HOME = "HOME"})
same(gsub, {"4+5 = 9", 1}, "$return 4+5$ = 9", "%$(.-)%$", function(s) return "4+5" end)
same(gsub, {"xax", 2}, "a", "", "x")
same(gsub, {"-a-", 2}, "ab", "b*", "-")
same(gsub, {"a%b", 1}, "ab", "b", "%%b")
same(gsub, {"abc", 0}, "abc", "x", "y")
same(gsub, {"abc", 1}, "abc", "b", false and "" or {})
same(gsub, {"yabc", 1}, "abc", "^", "y")
local words = {}
for w in ("one two  three"):gmatch("%a+") do words[#words + 1] = w end
assert(table.concat(words, ",") == "one,two,three")
local pairs_ = {}
for k, v in ("a=1, b=2"):gmatch("(%w+)=(%w+)") do pairs_[#pairs_ + 1] = k .. v end
assert(table.concat(pairs_, ",") == "a1,b2")
local n = 0
for _ in ("abc"):gmatch("") do n = n + 1 end
assert(n == 4)
local from3 = {}
for w in ("abcd"):gmatch(".", 3) do from3[#from3 + 1] = w end
assert(table.concat(from3) == "cd")
for _, case in ipairs({{"a%", "malformed pattern %(ends with '%%'%)"}, {"[a", "malformed pattern %(missing ']'%)"},
                       {"(a", "unfinished capture"}, {"a)", "invalid pattern capture"},
                       {"%1", "invalid capture index %%1"}, {"%f", "missing '%[' after '%%f' in pattern"},
                       {"%b", "missing arguments to '%%b'"}}) do
  local ok, e = pcall(string.match, "abc", case[1])
  assert(not ok and e:find(case[2]), case[1] .. " gave " .. tostring(e))
end
local ok, e = pcall(string.gsub, "abc", "b", "%2")
assert(not ok and e:find("invalid capture index %%2"), e)
ok, e = pcall(string.gsub, "abc", "b", "%x")
assert(not ok and e:find("invalid use of '%%' in replacement string"), e)
ok, e = pcall(string.gsub, "abc", "b", function() return {} end)
assert(not ok and e:find("invalid replacement value %(a table%)"), e)
)lua"),
            0);
}

}  // namespace
}  // namespace mailflow
