#include <gtest/gtest.h>

#include "shell/shell_fixture.h"

namespace mailflow::testing {
namespace {

class ForEachObject : public ::testing::Test, public ShellFixture {};

TEST_F(ForEachObject, ScriptBlockValuePerRecord) {
  EXPECT_EQ(lines("gft -Count 3 | ForEach-Object { $_.Size / 1000 }"), "1\n1.001\n1.002\n");
  EXPECT_EQ(lines("gft -Count 2 | % { $_.Direction + ':' + $_.Size }"), "Inbound:1000\nOutbound:1001\n");
  // A comparison's value, and $null emits nothing.
  EXPECT_EQ(lines("gft -Count 2 | foreach { $_.Size -gt 1000 }"), "False\nTrue\n");
  EXPECT_EQ(lines("gft -Count 2 | % { $null }"), "");
}

TEST_F(ForEachObject, MemberNameAndArraysUnroll) {
  EXPECT_EQ(lines("gft -Count 2 | % Direction"), "Inbound\nOutbound\n");
  EXPECT_EQ(lines("gft -Count 2 | ForEach-Object -MemberName Size | measure -Sum | select -ExpandProperty Sum"),
            "2001\n");
  EXPECT_EQ(lines("gft -Count 2 | % { 1, $_.Size }"), "1\n1000\n1\n1001\n");
}

TEST_F(ForEachObject, ErrorsPointIntoTheLine) {
  EXPECT_EQ(error_of("gft -Count 1 | % { $_.Direction * 2 }"),
            "The operator '*' cannot be applied to the text 'Inbound' and the number 2.\n"
            "At line:1 char:33\n+ gft -Count 1 | % { $_.Direction * 2 }\n+                                 ^");
  EXPECT_EQ(error_of("gft -Count 1 | % { $_.Size + }"),
            "You must provide a value expression following the '+' operator.\n"
            "At line:1 char:28\n+ gft -Count 1 | % { $_.Size + }\n+                            ^");
  EXPECT_EQ(error_of("gft | %").substr(0, 38), "ForEach-Object needs a script block, F");
  // Where-Object's run-time errors point at the operator too.
  EXPECT_EQ(error_of("gft -Count 1 | ? { $_.Direction * 2 -gt 1 }"),
            "The operator '*' cannot be applied to the text 'Inbound' and the number 2.\n"
            "At line:1 char:33\n+ gft -Count 1 | ? { $_.Direction * 2 -gt 1 }\n+                                 ^");
}

}  // namespace
}  // namespace mailflow::testing
