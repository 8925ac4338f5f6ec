// Get-Help and Get-Command, generated only from cmdlet declarations. A
// test-only cmdlet declares every kind of parameter so that every line of the
// help page can be checked exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "cmdlets/cmdlet_fixture.h"
#include "cmdlets/builtin.h"
#include "cmdlets/help_text.h"
#include "core/error.h"
#include "shell/comparison.h"
#include "shell/format.h"

namespace mailflow {
namespace {

using testing::params;
using Lines = std::vector<std::string>;

CmdletSpec sample_spec() {
  CmdletSpec spec;
  spec.name = "Test-Sample";
  spec.aliases = {"tsa"};
  spec.synopsis = "A cmdlet declaring every kind of parameter.";
  spec.description = "Used only by the help tests.\nSecond paragraph.";
  ParamSpec path;
  path.name = "Path";
  path.type = ParamType::StringArray;
  path.help = "files to read";
  path.mandatory = true;
  path.position = 0;
  ParamSpec direction;
  direction.name = "Direction";
  direction.type = ParamType::Enum;
  direction.help = "one direction";
  direction.validate_set = {"Inbound", "Outbound"};
  direction.position = 1;
  ParamSpec days;
  days.name = "Days";
  days.type = ParamType::Int;
  days.help = "how many days";
  days.default_value = Value(7);
  days.min = 1;
  days.max = 30;
  ParamSpec start;
  start.name = "StartDate";
  start.type = ParamType::Date;
  start.help = "first day";
  start.aliases = {"From"};
  ParamSpec ratio;
  ratio.name = "Ratio";
  ratio.type = ParamType::Double;
  ratio.min = 0.5;
  ParamSpec filter;
  filter.name = "Filter";
  filter.type = ParamType::ScriptBlock;
  filter.mandatory = true;
  ParamSpec input;
  input.name = "InputObject";
  input.type = ParamType::Any;
  input.pipeline_input = true;
  ParamSpec force;
  force.name = "Force";
  force.type = ParamType::Switch;
  force.help = "do it anyway";
  spec.parameters = {days, path, direction, start, ratio, filter, input, force};
  spec.outputs = {"Name", "Count"};
  spec.examples = {{"Test-Sample a.csv -Filter { $_ }", "Reads a.csv."}};
  spec.source = "rules/sample.lua";
  spec.run = [](Session&, const BoundParameters&, std::unique_ptr<RecordStream> in) { return in; };
  return spec;
}

class HelpCmdlets : public testing::CmdletFixture {
 protected:
  void SetUp() override {
    CmdletFixture::SetUp();
    registry_.add(sample_spec());
    registry_.add_topic("about_Connectors", "Connectors attribute traffic.\nSecond line.\n");
  }
};

TEST_F(HelpCmdlets, SyntaxLineFromParameters) {
  EXPECT_EQ(syntax_line(sample_spec()),
            "Test-Sample [-Path] <String[]> [[-Direction] {Inbound | Outbound}] [-Days <Int>] "
            "[-StartDate <DateTime>] [-Ratio <Double>] -Filter <ScriptBlock> [-InputObject <Object>] "
            "[-Force]");
}

TEST_F(HelpCmdlets, DefaultView) {
  session_.terminal_width = 60;
  EXPECT_EQ(run("Get-Help", params({{"Name", Value("tsa")}})),
            (Lines{"NAME",
                   "    Test-Sample",
                   "",
                   "SYNOPSIS",
                   "    A cmdlet declaring every kind of parameter.",
                   "",
                   "SYNTAX",
                   "    Test-Sample [-Path] <String[]>",
                   "        [[-Direction] {Inbound | Outbound}] [-Days <Int>]",
                   "        [-StartDate <DateTime>] [-Ratio <Double>]",
                   "        -Filter <ScriptBlock> [-InputObject <Object>]",
                   "        [-Force]",
                   "",
                   "DESCRIPTION",
                   "    Used only by the help tests.",
                   "    Second paragraph.",
                   "",
                   "PARAMETERS",
                   "    -Days <Int>",
                   "        how many days",
                   "",
                   "    -Path <String[]>",
                   "        files to read",
                   "",
                   "    -Direction {Inbound | Outbound}",
                   "        one direction",
                   "",
                   "    -StartDate <DateTime>",
                   "        first day",
                   "",
                   "    -Ratio <Double>",
                   "",
                   "    -Filter <ScriptBlock>",
                   "",
                   "    -InputObject <Object>",
                   "",
                   "    -Force",
                   "        do it anyway",
                   "",
                   "OUTPUTS",
                   "    Records with the properties Name, Count.",
                   "",
                   "ALIASES",
                   "    tsa",
                   "",
                   "REMARKS",
                   "    To see the examples, type: \"Get-Help Test-Sample -Examples\".",
                   "    For more information, type: \"Get-Help Test-Sample -Full\"."}));
}

TEST_F(HelpCmdlets, FullViewDetailsEveryAttribute) {
  Lines full = run("Get-Help", params({{"Name", Value("Test-Sample")}, {"Full", Value(true)}}));
  auto contains = [&full](const Lines& block) {
    return std::search(full.begin(), full.end(), block.begin(), block.end()) != full.end();
  };
  EXPECT_TRUE(contains({"    -Days <Int>", "        how many days", "",
                        "        Required?                    false",
                        "        Position?                    named",
                        "        Default value                7",
                        "        Accept pipeline input?       false",
                        "        Valid range                  1 to 30"}));
  EXPECT_TRUE(contains({"    -Path <String[]>", "        files to read", "",
                        "        Required?                    true",
                        "        Position?                    0",
                        "        Default value                None",
                        "        Accept pipeline input?       false"}));
  EXPECT_TRUE(contains({"        Position?                    1",
                        "        Default value                None",
                        "        Accept pipeline input?       false",
                        "        Accepted values              Inbound, Outbound"}));
  EXPECT_TRUE(contains({"        Accept pipeline input?       false",
                        "        Aliases                      From"}));
  EXPECT_TRUE(contains({"        Valid range                  at least 0.5"}));
  EXPECT_TRUE(contains({"    -InputObject <Object>", "",
                        "        Required?                    false",
                        "        Position?                    named",
                        "        Default value                None",
                        "        Accept pipeline input?       true (ByPropertyName)"}));
  EXPECT_TRUE(contains({"    -Force", "        do it anyway", "",
                        "        Required?                    false",
                        "        Position?                    named",
                        "        Default value                False"}));
  EXPECT_TRUE(contains({"EXAMPLES",
                        "    -------------------------- EXAMPLE 1 --------------------------", "",
                        "    mailflow> Test-Sample a.csv -Filter { $_ }", "", "    Reads a.csv."}));
  EXPECT_TRUE(contains({"NOTES", "    Registered by rules/sample.lua."}));
  EXPECT_FALSE(contains({"REMARKS"}));
}

TEST_F(HelpCmdlets, ExamplesView) {
  EXPECT_EQ(run("Get-Help", params({{"Name", Value("test-sample")}, {"Examples", Value(true)}})),
            (Lines{"NAME", "    Test-Sample", "", "SYNOPSIS",
                   "    A cmdlet declaring every kind of parameter.", "", "EXAMPLES",
                   "    -------------------------- EXAMPLE 1 --------------------------", "",
                   "    mailflow> Test-Sample a.csv -Filter { $_ }", "", "    Reads a.csv."}));
}

TEST_F(HelpCmdlets, ParameterByNameAliasPrefixOrWildcard) {
  Lines days = run("Get-Help", params({{"Name", Value("Test-Sample")}, {"Parameter", Value("days")}}));
  ASSERT_FALSE(days.empty());
  EXPECT_EQ(days[0], "    -Days <Int>");
  EXPECT_EQ(run("Get-Help", params({{"Name", Value("Test-Sample")}, {"Parameter", Value("From")}}))[0],
            "    -StartDate <DateTime>");
  EXPECT_EQ(run("Get-Help", params({{"Name", Value("Test-Sample")}, {"Parameter", Value("-Rat")}}))[0],
            "    -Ratio <Double>");
  Lines both = run("Get-Help", params({{"Name", Value("Test-Sample")}, {"Parameter", Value("*i*")}}));
  EXPECT_EQ(std::count_if(both.begin(), both.end(),
                          [](const std::string& l) { return l.starts_with("    -"); }),
            4);  // Direction, Ratio, Filter, InputObject
}

TEST_F(HelpCmdlets, ParameterErrors) {
  EXPECT_ERROR_MESSAGE(
      run("Get-Help", params({{"Name", Value("Test-Sample")}, {"Parameter", Value("Nope")}})),
      "Get-Help: Test-Sample has no parameter 'Nope' (its parameters: Days, Path, Direction, "
      "StartDate, Ratio, Filter, InputObject, Force)");
  EXPECT_ERROR_MESSAGE(
      run("Get-Help", params({{"Name", Value("Test-Sample")}, {"Parameter", Value("F")}})),
      "Get-Help: -Parameter 'F' of Test-Sample is ambiguous: Filter, Force");
  EXPECT_ERROR_MESSAGE(
      run("Get-Help", params({{"Name", Value("Test-Sample")}, {"Full", Value(true)}, {"Examples", Value(true)}})),
      "Get-Help: use only one of -Full, -Examples and -Parameter");
}

TEST_F(HelpCmdlets, UnknownNamesAreErrors) {
  EXPECT_ERROR_MESSAGE(run("Get-Help", params({{"Name", Value("Get-Nothing")}})),
                       "Get-Help: no cmdlet, alias or help topic named 'Get-Nothing'; Get-Command "
                       "lists the cmdlets");
  EXPECT_ERROR_MESSAGE(run("Get-Help", params({{"Name", Value("test-sam")}})),
                       "Get-Help: no cmdlet, alias or help topic named 'test-sam'; did you mean "
                       "Test-Sample?");
  EXPECT_ERROR_MESSAGE(run("Get-Help", params({{"Name", Value("about_Nothing")}})),
                       "Get-Help: no help topic 'about_Nothing' (topics: about_Boundary, about_Connectors, "
                       "about_LuaCmdlets, about_Pipelines)");
  EXPECT_ERROR_MESSAGE(run("Get-Help", params({{"Name", Value("*zzz*")}})),
                       "Get-Help: no cmdlet or help topic matches '*zzz*'");
}

// about_Pipelines lists the comparison operators from the table the
// evaluator uses, so an operator added there cannot be missing from the help.
TEST(PipelinesTopic, ListsEveryComparisonOperator) {
  std::string topic = pipelines_help_topic();
  std::size_t start = topic.find("  Comparison  ");
  ASSERT_NE(start, std::string::npos);
  std::size_t end = topic.find("  Logical", start);
  ASSERT_NE(end, std::string::npos);
  std::istringstream words(topic.substr(start, end - start));
  std::vector<std::string> listed;
  for (std::string word; words >> word;) {
    if (word.size() > 1 && word[0] == '-') listed.push_back(word.substr(1));
  }
  std::vector<std::string> table;
  for (const auto& op : kCompareOps) table.emplace_back(op.name);
  EXPECT_EQ(listed, table);
  for (std::size_t line = start; line < end;) {
    std::size_t line_end = topic.find('\n', line);
    EXPECT_LE(line_end - line, 78u) << topic.substr(line, line_end - line);
    line = line_end + 1;
  }
}

TEST_F(HelpCmdlets, Topics) {
  Lines expected = {"TOPIC", "    about_Connectors", "", "Connectors attribute traffic.", "Second line."};
  EXPECT_EQ(run("Get-Help", params({{"Name", Value("about_connectors")}})), expected);
  EXPECT_EQ(run("help", params({{"Name", Value("Connectors")}})), expected);
}

TEST_F(HelpCmdlets, WildcardListsMatches) {
  EXPECT_EQ(run("Get-Help", params({{"Name", Value("test-s*")}})),
            (Lines{"Name        Category Synopsis", "----        -------- --------",
                   "Test-Sample Cmdlet   A cmdlet declaring every kind of parameter."}));
}

TEST_F(HelpCmdlets, OverviewListsEveryCmdletAndTopic) {
  Lines overview = run("Get-Help", {});
  std::string text = join(overview, "\n");
  EXPECT_NE(text.find("Get-Help NAME -Parameter P"), std::string::npos);
  EXPECT_NE(text.find("TOPICS\n    about_Boundary, about_Connectors"), std::string::npos);
  for (const CmdletSpec* c : registry_.all())
    EXPECT_NE(text.find("\n    " + c->name + " "), std::string::npos) << c->name;
  for (const std::string& line : overview) EXPECT_LE(display_width(line), 80u) << line;
}

TEST_F(HelpCmdlets, GetCommand) {
  std::vector<Value> all = run_values("Get-Command", {});
  ASSERT_EQ(all.size(), registry_.all().size());
  const Record& first = all[0].as_record();
  EXPECT_EQ(first.schema().names(), (Lines{"CommandType", "Name", "Source", "Definition"}));

  std::vector<Value> sample = run_values("gcm", params({{"Name", Value("*sample*")}}));
  std::vector<std::string> names;
  for (const Value& v : sample) names.push_back(v.as_record().get("Name")->as_string());
  EXPECT_NE(std::find(names.begin(), names.end(), "Test-Sample"), names.end());

  std::vector<Value> alias = run_values("Get-Command", params({{"Name", Value("ft")}}));
  ASSERT_EQ(alias.size(), 1u);
  EXPECT_EQ(alias[0].as_record().get("CommandType")->as_string(), "Alias");
  EXPECT_EQ(alias[0].as_record().get("Definition")->as_string(), "Format-Table");

  // Verb Test: the built-in Test-TlsPolicy and the sample, by name.
  std::vector<Value> tests = run_values("Get-Command", params({{"Verb", Value("Test")}}));
  ASSERT_EQ(tests.size(), 2u);
  EXPECT_EQ(tests[0].as_record().get("Name")->as_string(), "Test-Sample");
  EXPECT_EQ(tests[1].as_record().get("Name")->as_string(), "Test-TlsPolicy");
  EXPECT_EQ(tests[0].as_record().get("Source")->as_string(), "rules/sample.lua");
  EXPECT_EQ(tests[0].as_record().get("Definition")->as_string(), syntax_line(sample_spec()));
  EXPECT_EQ(run_values("Get-Command", params({{"Noun", Value("Json")}})).size(), 1u);

  EXPECT_TRUE(run_values("Get-Command", params({{"Name", Value("*zzz*")}})).empty());
  EXPECT_ERROR_MESSAGE(run_values("Get-Command", params({{"Name", Value("Get-Nothing")}})),
                       "Get-Command: no cmdlet or alias named 'Get-Nothing'");

  // Lists, as in PowerShell: any of the patterns.
  std::vector<Value> two = run_values("Get-Command", params({{"Noun", Value(Array{Value("Json"), Value("Sample")})}}));
  EXPECT_EQ(two.size(), 2u);
  std::vector<Value> named =
      run_values("Get-Command", params({{"Name", Value(Array{Value("Test-Sample"), Value("ft")})}}));
  ASSERT_EQ(named.size(), 2u);
  EXPECT_EQ(named[1].as_record().get("CommandType")->as_string(), "Alias");
  EXPECT_ERROR_MESSAGE(
      run_values("Get-Command", params({{"Name", Value(Array{Value("Test-Sample"), Value("Get-Nothing")})}})),
      "Get-Command: no cmdlet or alias named 'Get-Nothing'");
}

}  // namespace
}  // namespace mailflow
