// Cmdlets as Lua functions, and cmdlets written in Lua.
#include <gtest/gtest.h>

#include "lua/lua_api.h"
#include "lua_fixture.h"

namespace mailflow {

namespace {

// Get-Fruit -Name N [-Count C]: C records {Name, Index}.
CmdletSpec fruit_cmdlet() {
  CmdletSpec c;
  c.name = "Get-Fruit";
  c.synopsis = "Lists fruit.";
  ParamSpec name;
  name.name = "Name";
  name.mandatory = true;
  name.position = 0;
  ParamSpec count;
  count.name = "Count";
  count.type = ParamType::Int;
  count.default_value = Value(std::int64_t{1});
  c.parameters = {name, count};
  c.run = [](Session&, const BoundParameters& p, std::unique_ptr<RecordStream>) -> std::unique_ptr<RecordStream> {
    std::vector<Value> out;
    for (std::int64_t i = 1; i <= p.integer("Count").value_or(1); ++i)
      out.push_back(make_record({"Name", "Index"}, {Value(*p.string("Name")), Value(i)}));
    return std::make_unique<VectorStream>(std::move(out));
  };
  return c;
}

// Measure-Input: one record {Count} of its pipeline input; fails on -Fail.
CmdletSpec measure_cmdlet() {
  CmdletSpec c;
  c.name = "Measure-Input";
  ParamSpec fail;
  fail.name = "Fail";
  fail.type = ParamType::Switch;
  c.parameters = {fail};
  c.run = [](Session&, const BoundParameters& p, std::unique_ptr<RecordStream> input) -> std::unique_ptr<RecordStream> {
    if (p.flag("Fail")) throw Error("MeasureFailed", "Measure-Input: asked to fail");
    std::int64_t n = static_cast<std::int64_t>(collect(*input).size());
    return std::make_unique<VectorStream>(std::vector<Value>{make_record({"Count"}, {Value(n)})});
  };
  return c;
}

}  // namespace

class CmdletBindings : public LuaFixture {
 protected:
  void SetUp() override {
    LuaFixture::SetUp();
    registry.add(fruit_cmdlet());
    registry.add(measure_cmdlet());
  }
};

TEST_F(CmdletBindings, EveryCmdletIsAVerbNounFunctionReturningRecords) {
  int top = lua_top();
  EXPECT_EQ(repl("local r = GetFruit{ Name = 'apple', Count = 2 } return #r, r[2].Name, r[2].Index"),
            "2\tapple\t2\n");
  EXPECT_EQ(lua_top(), top);
  EXPECT_EQ(repl("GetFruit{ 'pear' }[1].Name"), "pear\n");  // positional
  EXPECT_EQ(repl("GetFruit{ Name = 'fig' }[1].Index"), "1\n");  // default
}

TEST_F(CmdletBindings, InputObjectIsThePipelineInput) {
  EXPECT_EQ(repl("MeasureInput{ InputObject = GetFruit{ Name = 'kiwi', Count = 3 } }[1].Count"), "3\n");
  EXPECT_EQ(repl("MeasureInput{}[1].Count"), "0\n");
}

TEST_F(CmdletBindings, CmdletErrorsCarryTheLuaLineAndTheStackStaysBalanced) {
  int top = lua_top();
  std::string path = (dir / "script.lua").string();
  EXPECT_EQ(script_error("local x = 1\nMeasureInput{ Fail = true }"), path + ":2: Measure-Input: asked to fail");
  EXPECT_NE(script_error("GetFruit{ Nope = 1 }").find("Nope"), std::string::npos);
  EXPECT_EQ(script_error("GetFruit{ Name = print }"), path + ":1: Get-Fruit Name: a Lua function cannot be passed to mailflow");
  EXPECT_EQ(script_error("GetFruit{ 'a', 'b' }"), path + ":1: Get-Fruit: no positional parameter takes argument 2 ('b')");
  EXPECT_EQ(lua_top(), top);
  // A script may catch a cmdlet's error.
  EXPECT_EQ(repl("select('#', pcall(MeasureInput, { Fail = true }))"), "2\n");
}

TEST_F(CmdletBindings, RegisterCmdletAddsAFullCmdlet) {
  std::string path = write("cmdlets/top.lua", R"(
RegisterCmdlet{
  Name = "Get-TopFruit",
  Synopsis = "The first fruit of each kind.",
  Description = "Longer text.",
  Aliases = { "gtf" },
  Parameters = {
    { Name = "Kind", Type = "String", Mandatory = true, Position = 0, Help = "which fruit" },
    { Name = "Limit", Type = "Int", Default = 2, Min = 1, Max = 10 },
    { Name = "Mode", ValidateSet = { "Fast", "Slow" }, Default = "Fast" },
  },
  Outputs = { "Kind", "Rank", "Mode" },
  Examples = { { Command = "Get-TopFruit apple", Explanation = "Top apples." } },
  Run = function(params, input)
    local out = {}
    for i = 1, params.Limit do
      out[#out + 1] = { Mode = params.Mode, Rank = i, Kind = params.Kind }
    end
    out[#out + 1] = { Mode = "input", Rank = #input, Kind = tostring(#params.InputObject) }
    return out
  end,
}
)");
  lua().load_rule_file(path);  // any file may register cmdlets
  const CmdletSpec* spec = registry.find("gtf");
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(spec->name, "Get-TopFruit");
  EXPECT_EQ(spec->source, path);
  EXPECT_EQ(spec->synopsis, "The first fruit of each kind.");
  ASSERT_EQ(spec->parameters.size(), 3u);
  EXPECT_TRUE(spec->parameters[0].mandatory);
  EXPECT_EQ(spec->parameters[0].position, 0);
  EXPECT_EQ(spec->parameters[1].type, ParamType::Int);
  EXPECT_EQ(spec->parameters[1].max, 10);
  EXPECT_EQ(spec->parameters[2].type, ParamType::Enum);
  EXPECT_EQ(spec->parameters[2].validate_set, (std::vector<std::string>{"Fast", "Slow"}));
  ASSERT_EQ(spec->examples.size(), 1u);
  EXPECT_EQ(spec->examples[0].command, "Get-TopFruit apple");

  BoundParameters p;
  p.set("Kind", Value("apple"));
  p.set("Limit", Value(std::int64_t{2}));
  p.set("Mode", Value("Slow"));
  std::vector<Value> in = {Value(1), Value(2), Value(3)};
  auto out = collect(*spec->run(session, p, std::make_unique<VectorStream>(in)));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].as_record().schema().names(), (std::vector<std::string>{"Kind", "Rank", "Mode"}));
  EXPECT_EQ(out[1].to_display(), "@{Kind=apple; Rank=2; Mode=Slow}");
  EXPECT_EQ(out[2].to_display(), "@{Kind=3; Rank=3; Mode=input}");
  // ... and it is a Lua function too.
  EXPECT_EQ(repl("GetTopFruit{ Kind = 'fig', Limit = 1 }[1].Kind"), "fig\n");
}

TEST_F(CmdletBindings, LuaCmdletErrorsAndExitPropagate) {
  lua().load_rule_file(write("c.lua", R"(
RegisterCmdlet{ Name = "Test-Fail", Run = function(p) error("cannot do it") end }
RegisterCmdlet{ Name = "Test-Exit", Run = function(p) exit(7) end }
)"));
  auto run = [&](const char* name) {
    return collect(*registry.find(name)->run(session, BoundParameters{}, std::make_unique<VectorStream>(std::vector<Value>{})));
  };
  try {
    run("Test-Fail");
    FAIL();
  } catch (const LuaError& e) {
    EXPECT_EQ(std::string(e.what()), (dir / "c.lua").string() + ":2: cannot do it");
  }
  EXPECT_THROW(run("Test-Exit"), ScriptExit);
  // From a script: exit inside a Lua cmdlet called through its function ends the script.
  EXPECT_EQ(script("pcall(TestExit, {}) error('not reached')"), 7);
}

TEST_F(CmdletBindings, RegisterCmdletRefusesBadDescriptions) {
  std::string at = (dir / "script.lua").string() + ":1: ";
  EXPECT_EQ(script_error("RegisterCmdlet{ Name = 'Get-X' }"), at + "RegisterCmdlet: Run must be a function(params, input)");
  EXPECT_EQ(script_error("RegisterCmdlet{ Name = 'getx', Run = print }"),
            at + "RegisterCmdlet: Name 'getx' must be Verb-Noun (letters and digits, e.g. Get-TlsTrend)");
  EXPECT_EQ(script_error("RegisterCmdlet{ Name = 'Get-Fruit', Run = print }"),
            at + "cannot register 'Get-Fruit': 'Get-Fruit' is already taken by Get-Fruit (builtin)");
  EXPECT_EQ(script_error("RegisterCmdlet{ Name = 'Get-X', Run = print, Parameters = { { Name = 'P', Type = 'Float' } } }"),
            at + "RegisterCmdlet Get-X parameter P: Type 'Float' is not one of String, Int, Double, Date, Switch, StringArray, Enum, ScriptBlock, Any");
  EXPECT_EQ(script_error("RegisterCmdlet{ Name = 'Get-X', Run = print, Parameters = { 'Dates' } }"),
            at + "RegisterCmdlet Get-X: parameter set 'Dates' is not one of Range, Direction, Connector");
  EXPECT_EQ(script_error("RegisterCmdlet{ Name = 'Get-X', Run = print, Parameters = { { Set = 'Direction', DefaultDays = 3 } } }"),
            at + "RegisterCmdlet Get-X: DefaultDays '3' needs the Range set and a whole number of days of 1 or more");
  EXPECT_EQ(script_error("RegisterCmdlet{ Name = 'Get-X', Run = print, Parameters = { 'Range', { Name = 'Days' } } }"),
            at + "Get-X: parameter 'Days' is declared twice");
  EXPECT_EQ(script_error("RegisterCmdlet{ Name = 'Get-X', Run = print, Parameters = { 42 } }"),
            at + "RegisterCmdlet Get-X: each parameter is a table {Name=, Type=, ...} or a set name "
                 "(\"Range\", \"Direction\", \"Connector\")");
  EXPECT_EQ(registry.find("Get-X"), nullptr);
}

// Parameters = { "Range", "Direction", { Set = "Connector", Position = 0 } }:
// the shared sets of the C++ cmdlets, and Run sees the range resolved.
TEST_F(CmdletBindings, RegisterCmdletTakesTheSharedParameterSets) {
  lua().load_rule_file(write("span.lua", R"(
RegisterCmdlet{
  Name = "Get-Span",
  Parameters = { { Set = "Range", DefaultDays = 3 }, "Direction", { Set = "Connector", Position = 0 } },
  Outputs = { "First", "Last", "Days", "Direction", "Connector" },
  Run = function(p)
    return { { First = p.StartDate, Last = p.EndDate, Days = p.Days, Direction = p.Direction, Connector = p.Connector } }
  end,
}
)"));
  const CmdletSpec* spec = registry.find("Get-Span");
  ASSERT_NE(spec, nullptr);
  std::vector<std::string> names;
  for (const ParamSpec& p : spec->parameters) names.push_back(p.name);
  EXPECT_EQ(names, (std::vector<std::string>{"StartDate", "EndDate", "Days", "Direction", "Connector", "NoConnector"}));
  EXPECT_EQ(spec->parameter("Connector")->position, 0);
  repl("s = GetSpan{ 'Fabrikam' }");
  EXPECT_EQ(repl("s[1].First, s[1].Last, s[1].Days, s[1].Connector"), "2026-11-20\t2026-11-22\t3\tFabrikam\n");
  repl("s = GetSpan{ StartDate = '2026-11-01', Days = 2 }");
  EXPECT_EQ(repl("s[1].First, s[1].Last"), "2026-11-01\t2026-11-02\n");
  EXPECT_EQ(repl("Invoke('Get-Span -EndDate 2026-11-10 -Direction inbound')[1].Direction"), "Inbound\n");
  EXPECT_NE(script_error("GetSpan{ Days = 45 }").find("-Days 45 is longer than the 30-day maximum"), std::string::npos);
  EXPECT_NE(script_error("GetSpan{ Direction = 'Sideways' }").find("Sideways"), std::string::npos);
}

}  // namespace mailflow
