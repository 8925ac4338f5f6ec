#include "shell/parser.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace mailflow {
namespace {

using AK = ArgValue::Kind;

std::string error_of(const std::string& text, int* column = nullptr) {
  try {
    parse_pipeline(text);
  } catch (const Error& e) {
    if (column) *column = e.column();
    return e.what();
  }
  return "(no error)";
}

TEST(Parser, StagesAndArguments) {
  PipelineLine line = parse_pipeline("Get-TlsUsage -ByConnector -Days 30 | sort Percent -Descending");
  ASSERT_EQ(line.stages.size(), 2u);
  const Stage& first = line.stages[0];
  EXPECT_EQ(first.command, "Get-TlsUsage");
  EXPECT_EQ(first.column, 1);
  ASSERT_EQ(first.args.size(), 3u);
  EXPECT_TRUE(first.args[0].is_name);
  EXPECT_EQ(first.args[0].name, "ByConnector");
  EXPECT_TRUE(first.args[1].is_name);
  EXPECT_FALSE(first.args[2].is_name);
  EXPECT_EQ(first.args[2].value.kind, AK::Bare);
  EXPECT_EQ(first.args[2].value.text, "30");
  EXPECT_EQ(first.args[2].column, 33);
  EXPECT_EQ(line.stages[1].command, "sort");
  EXPECT_EQ(line.stages[1].column, 38);
}

TEST(Parser, ArraysOfMixedElements) {
  PipelineLine line = parse_pipeline("select Name,'Count x', \"y\"");
  const ArgValue& v = line.stages[0].args[0].value;
  ASSERT_EQ(v.kind, AK::Array);
  ASSERT_EQ(v.items.size(), 3u);
  EXPECT_EQ(v.items[0].kind, AK::Bare);
  EXPECT_EQ(v.items[1].kind, AK::Quoted);
  EXPECT_EQ(v.items[1].text, "Count x");
  EXPECT_EQ(v.items[2].text, "y");
  EXPECT_EQ(v.items[2].column, 24);
}

TEST(Parser, ColonValuesAttachToTheirParameter) {
  PipelineLine line = parse_pipeline("Get-X -NoConnector:$false -Days: 3 x");
  const auto& args = line.stages[0].args;
  ASSERT_EQ(args.size(), 3u);
  EXPECT_TRUE(args[0].colon);
  EXPECT_EQ(args[0].value.kind, AK::Variable);
  EXPECT_EQ(args[0].value.text, "false");
  EXPECT_EQ(args[1].value.text, "3");
  EXPECT_FALSE(args[2].is_name);
}

TEST(Parser, ScriptBlockArgument) {
  PipelineLine line = parse_pipeline("? { ($_.A -eq 1) -or ($_.B -eq 2) }");
  const ArgValue& v = line.stages[0].args[0].value;
  EXPECT_EQ(v.kind, AK::ScriptBlock);
  EXPECT_EQ(v.text, " ($_.A -eq 1) -or ($_.B -eq 2) ");
  EXPECT_EQ(v.inner_column, 4);
}

TEST(Parser, AssignmentAndVariableSources) {
  PipelineLine a = parse_pipeline("$t = Get-TlsUsage | sort Percent");
  EXPECT_EQ(a.assign_to, "t");
  EXPECT_EQ(a.stages.size(), 2u);
  PipelineLine b = parse_pipeline("$t | select -First 1");
  EXPECT_EQ(b.source_variable, "t");
  EXPECT_EQ(b.source_column, 1);
  EXPECT_EQ(b.stages.size(), 1u);
  PipelineLine c = parse_pipeline("  $t  ");
  EXPECT_EQ(c.source_variable, "t");
  EXPECT_TRUE(c.stages.empty());
  PipelineLine d = parse_pipeline("$u = $t | sort");
  EXPECT_EQ(d.assign_to, "u");
  EXPECT_EQ(d.source_variable, "t");
}

TEST(Parser, ErrorsNameTheProblemAndItsColumn) {
  int col = 0;
  EXPECT_EQ(error_of("Get-X | | sort", &col), "An empty pipe element is not allowed.");
  EXPECT_EQ(col, 9);
  EXPECT_EQ(error_of("Get-X |", &col), "An empty pipe element is not allowed.");
  EXPECT_EQ(col, 8);
  EXPECT_EQ(error_of("| sort", &col), "An empty pipe element is not allowed.");
  EXPECT_EQ(col, 1);
  EXPECT_EQ(error_of("select a, -First 2", &col), "Missing expression after ','.");
  EXPECT_EQ(col, 9);
  EXPECT_EQ(error_of("select a,", &col), "Missing expression after ','.");
  EXPECT_EQ(error_of("Get-X -Days:", &col), "Missing an argument for parameter 'Days'.");
  EXPECT_EQ(col, 7);
  EXPECT_EQ(error_of("Get-X = 3", &col), "Unexpected token '=' in expression or statement.");
  EXPECT_EQ(col, 7);
  EXPECT_EQ(error_of("$x =", &col),
            "You must provide a value expression on the right-hand side of the '=' operator.");
  EXPECT_EQ(error_of("Get-X | $y", &col),
            "A variable can only start a pipeline: '$y' cannot follow '|'.");
  EXPECT_EQ(col, 9);
  EXPECT_EQ(error_of("$x sort", &col), "Unexpected token 'sort' in expression or statement.");
  EXPECT_EQ(col, 4);
  EXPECT_EQ(error_of("Get-X -Days (1)", &col),
            "Parenthesised expressions are not supported in arguments; give the value directly.");
  EXPECT_EQ(col, 13);
  EXPECT_EQ(error_of("Get-X 'abc", &col), "The string is missing the terminator: '.");
  EXPECT_EQ(col, 7);
}

}  // namespace
}  // namespace mailflow
