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
