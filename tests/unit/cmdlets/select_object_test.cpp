#include <gtest/gtest.h>

#include "shell/shell_fixture.h"

namespace mailflow::testing {
namespace {

class SelectObject : public ::testing::Test, public ShellFixture {};

TEST_F(SelectObject, PropertiesInTheOrderGiven) {
  EXPECT_EQ(lines("gft -Count 2 | Select-Object Size,direction,Nope"),
            "@{Size=1000; Direction=Inbound; Nope=}\n@{Size=1001; Direction=Outbound; Nope=}\n");
}

TEST_F(SelectObject, WildcardsAndExclusions) {
  EXPECT_EQ(lines("gft -Count 1 | Select-Object *ion*,Size"),
            "@{Direction=Inbound; TlsVersion=TLS1.2; Size=1000}\n");
  EXPECT_EQ(lines("gft -Count 1 | Select-Object -ExcludeProperty Received,*Address,Connector"),
            "@{Direction=Inbound; TlsVersion=TLS1.2; Size=1000}\n");
  EXPECT_EQ(lines("gft -Count 1 | Select-Object Size,Direction -ExcludeProperty Size"),
            "@{Direction=Inbound}\n");
}

TEST_F(SelectObject, FirstLastSkip) {
  auto sizes = [&](const std::string& args) {
    std::string out;
    for (const Value& v : invoke("gft -Count 10 | select -ExpandProperty Size | select " + args))
      out += v.to_display() + " ";
    return out;
  };
  EXPECT_EQ(sizes("-First 3"), "1000 1001 1002 ");
  EXPECT_EQ(sizes("-Skip 8"), "1008 1009 ");
  EXPECT_EQ(sizes("-Skip 2 -First 2"), "1002 1003 ");
  EXPECT_EQ(sizes("-Last 2"), "1008 1009 ");
  EXPECT_EQ(sizes("-Last 2 -Skip 1"), "1007 1008 ");  // -Skip counts from the end with -Last
  EXPECT_EQ(sizes("-First 1 -Last 1"), "1000 1009 ");
  EXPECT_EQ(sizes("-First 0"), "");
  EXPECT_EQ(sizes("-Last 50"), "1000 1001 1002 1003 1004 1005 1006 1007 1008 1009 ");
}

TEST_F(SelectObject, UniqueAndExpand) {
  EXPECT_EQ(lines("gft -Count 8 | Select-Object TlsVersion -Unique"),
            "@{TlsVersion=TLS1.2}\n@{TlsVersion=TLS1.0}\n@{TlsVersion=None}\n@{TlsVersion=TLS1.3}\n");
  lua.vars["a"] = {Value("x"), Value("X"), Value("x")};
  EXPECT_EQ(lines("$a | select -Unique"), "x\nX\n");  // case-sensitive, as PowerShell
  lua.vars["g"] = invoke("gft -Count 4 | group Direction");
  EXPECT_EQ(lines("$g | select -ExpandProperty Group | select -ExpandProperty Size"), "1000\n1002\n1001\n1003\n");
  // The record is the only owner of the value expanded from it (it printed
  // freed memory once).
  EXPECT_EQ(lines("gft -Count 3 | measure | select -ExpandProperty Count"), "3\n");
  EXPECT_EQ(lines("gft -Count 2 | group Direction | select -ExpandProperty Name"), "Inbound\nOutbound\n");
}

TEST_F(SelectObject, CalculatedProperties) {
  EXPECT_EQ(lines("gft -Count 2 | Select-Object Direction, @{Name='KB'; Expression={ $_.Size / 1KB }}, "
                  "@{n='Twice';e={$_.Size * 2}}, @{Label='Dir'; E='Direction'}, @{e={ $_.Size - 1000 }}"),
            "@{Direction=Inbound; KB=0.9765625; Twice=2000; Dir=Inbound; $_.Size - 1000=0}\n"
            "@{Direction=Outbound; KB=0.9775390625; Twice=2002; Dir=Outbound; $_.Size - 1000=1}\n");
  // Variables of the session are read when the property is compiled.
  lua.vars["factor"] = {Value(std::int64_t{3})};
  EXPECT_EQ(lines("gft -Count 1 | select @{n='x'; e={ $_.Size * $factor }}"), "@{x=3000}\n");
}

TEST_F(SelectObject, CalculatedPropertiesInSortAndTheViews) {
  // Sizes 1000..1004 with Direction alternating: sort by Size modulo 3, then Size.
  EXPECT_EQ(lines("gft -Count 5 | sort @{e={ $_.Size % 3 }}, Size | select -ExpandProperty Size"),
            "1002\n1000\n1003\n1001\n1004\n");
  EXPECT_EQ(lines("gft -Count 3 | sort @{e={ 0 - $_.Size }} | select -ExpandProperty Size"), "1002\n1001\n1000\n");
  EXPECT_EQ(lines("gft -Count 2 | Format-Table Direction, @{n='KB'; e={ $_.Size / 1000 }}"),
            "Direction    KB\n---------    --\nInbound       1\nOutbound  1.001\n");
  EXPECT_EQ(lines("gft -Count 1 | Format-List @{n='Twice'; e={ $_.Size * 2 }}, Dir*"),
            "Twice     : 2000\nDirection : Inbound\n");
}

TEST_F(SelectObject, CalculatedPropertyErrors) {
  EXPECT_EQ(error_of("gft | select @{n='x'}"),
            "A calculated property needs an Expression: @{Name='KB'; Expression={ $_.Size / 1KB }}.\n"
            "At line:1 char:15\n+ gft | select @{n='x'}\n+               ^");
  EXPECT_EQ(error_of("gft | select @{n='x'; e={1}; Width=3}").substr(0, 95),
            "The 'Width' key is not valid for a calculated property: give Name (or Label) and Expression, as");
  EXPECT_EQ(error_of("gft | select @{n='x' e={1}}").substr(0, 62),
            "Missing ';' or newline between the entries of the hash literal");
  EXPECT_EQ(error_of("gft | select @{n='x'; n='y'; e={1}}").substr(0, 40), "Duplicate key 'Name' in the hash literal");
  EXPECT_EQ(error_of("gft | select @{n={1}; e={1}}").substr(0, 56),
            "The Name of a calculated property is text, not a script ");
  EXPECT_EQ(error_of("gft | select @{n='x'; e={ $_.Direction * 2 }}"),
            "The operator '*' cannot be applied to the text 'Inbound' and the number 2.\n"
            "At line:1 char:40\n+ gft | select @{n='x'; e={ $_.Direction * 2 }}\n+                                        ^");
  // Only parameters that take calculated properties accept a hashtable.
  EXPECT_TRUE(error_of("gft | group @{e={1}}")
                  .starts_with("Cannot bind parameter 'Property'. Cannot convert the \"@{e={1}}\" value of type "
                               "\"Hashtable\" to type \"String[]\".\nAt line:1 char:13"))
      << error_of("gft | group @{e={1}}");
}

TEST_F(SelectObject, Errors) {
  EXPECT_EQ(error_of("gft | select -First -1"),
            "Cannot validate argument on parameter 'First'. The -1 argument is less than the "
            "minimum allowed range of 0. Supply an argument that is greater than or equal to 0 "
            "and then try the command again.\nAt line:1 char:21\n+ gft | select -First -1\n+                     ^");
  EXPECT_EQ(error_of("gft | select Size -ExpandProperty Size"),
            "Select-Object takes -ExpandProperty or -Property, not both.\nAt line:1 char:7\n"
            "+ gft | select Size -ExpandProperty Size\n+       ^");
}

}  // namespace
}  // namespace mailflow::testing
