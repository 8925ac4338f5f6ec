#include <gtest/gtest.h>

#include "shell_fixture.h"

namespace mailflow::testing {
namespace {

class Pipeline : public ::testing::Test, public ShellFixture {};

TEST_F(Pipeline, StreamsLazilySoFirstStopsTheSource) {
  auto out = invoke("Get-FakeTrace -Count 1000000 | Select-Object -First 5");
  EXPECT_EQ(out.size(), 5u);
  EXPECT_EQ(log->pulled, 5);
  log->pulled = 0;
  out = invoke("Get-FakeTrace -Count 1000000 | Where-Object { $_.Size -ge 1010 } | select -First 2");
  EXPECT_EQ(out.size(), 2u);
  EXPECT_EQ(log->pulled, 12);
}

TEST_F(Pipeline, AliasesAndCaseInsensitiveNames) {
  EXPECT_EQ(invoke("get-faketrace | ? TlsVersion -eq tls1.3 | measure").front().to_display(),
            "@{Count=3; Average=; Sum=; Maximum=; Minimum=; Property=}");
  EXPECT_EQ(lines("gft -Count 4 | sort Size -Descending | select -ExpandProperty Size"), "1003\n1002\n1001\n1000\n");
  EXPECT_EQ(lines("gft -Count 6 | where { $_.Connector -eq 'fabrikam' } | select SenderAddress"),
            "@{SenderAddress=user2@contoso.com}\n@{SenderAddress=user5@fabrikam.com}\n");
}

TEST_F(Pipeline, PushdownRewritesASimpleWhereIntoParameters) {
  auto out = invoke("Get-FakeTrace | Where-Object TlsVersion -eq 'tls1.0'");
  ASSERT_EQ(log->calls.size(), 1u);
  EXPECT_EQ(log->calls[0].string("TlsVersion"), "TLS1.0");  // canonical casing of the parameter
  EXPECT_EQ(log->pulled, 12);
  EXPECT_EQ(out.size(), 3u);
}

TEST_F(Pipeline, PushdownOfAScriptBlockConjunction) {
  auto out = invoke(
      "Get-FakeTrace -Count 48 | Where-Object { $_.Direction -eq 'Outbound' -and $_.Received -ge "
      "'2025-11-17' -and $_.Received -lt '2025-11-17T12:00:00Z' } | Select-Object -ExpandProperty Size");
  ASSERT_EQ(log->calls.size(), 1u);
  const BoundParameters& p = log->calls[0];
  EXPECT_EQ(p.string("Direction"), "Outbound");
  EXPECT_EQ(p.find("ReceivedAfter")->to_display(), "2025-11-17T00:00:00Z");
  EXPECT_EQ(p.find("ReceivedBefore")->to_display(), "2025-11-17T12:00:00Z");
  std::string sizes;
  for (const Value& v : out) sizes += v.to_display() + " ";
  EXPECT_EQ(sizes, "1025 1027 1029 1031 1033 1035 ");
}

TEST_F(Pipeline, TwoWheresBothPushDown) {
  invoke("Get-FakeTrace | where Direction -eq Inbound | where Connector -eq Fabrikam");
  ASSERT_EQ(log->calls.size(), 1u);
  EXPECT_EQ(log->calls[0].string("Direction"), "Inbound");
  EXPECT_EQ(log->calls[0].string("Connector"), "Fabrikam");
}

TEST_F(Pipeline, NoPushdownWhenAnyPartCannotBePushed) {
  // -or, an undeclared operator, an already bound parameter, a value the
  // parameter refuses, a wildcard in -eq: the Where-Object runs as written.
  for (const char* text : {
           "Get-FakeTrace | Where-Object { $_.Direction -eq 'Inbound' -or $_.Size -gt 1 }",
           "Get-FakeTrace | Where-Object { $_.Direction -eq 'Inbound' -and $_.Size -gt 1 }",
           "Get-FakeTrace | Where-Object Direction -ne Inbound",
           "Get-FakeTrace -Direction Outbound | Where-Object Direction -eq Inbound",
           "Get-FakeTrace | Where-Object Direction -eq Sideways",
           "Get-FakeTrace | Where-Object Connector -eq 'Fab*'",
           "Get-FakeTrace | Sort-Object Size | Where-Object Direction -eq Inbound",
       }) {
    log->calls.clear();
    invoke(text);
    ASSERT_EQ(log->calls.size(), 1u) << text;
    EXPECT_FALSE(log->calls[0].has("Direction") && !std::string(text).starts_with("Get-FakeTrace -Direction")) << text;
    EXPECT_FALSE(log->calls[0].has("Connector")) << text;
  }
  EXPECT_EQ(invoke("Get-FakeTrace | Where-Object Direction -eq Sideways").size(), 0u);
  EXPECT_EQ(invoke("Get-FakeTrace -Direction Outbound | Where-Object Direction -eq Inbound").size(), 0u);
  EXPECT_EQ(invoke("Get-FakeTrace | Where-Object { $_.Direction -eq 'Inbound' -and $_.Size -gt 1005 }").size(), 3u);
}

TEST_F(Pipeline, PushdownGivesTheSameRecordsAsTheFilter) {
  auto pushed = invoke("Get-FakeTrace -Count 40 | Where-Object SenderAddress -like '*@contoso.com' | select -ExpandProperty Size");
  auto filtered = invoke("Get-FakeTrace -Count 40 | sort Received | Where-Object SenderAddress -like '*@contoso.com' | select -ExpandProperty Size");
  ASSERT_EQ(pushed.size(), 20u);
  EXPECT_EQ(log->calls[0].string("SenderAddress"), "*@contoso.com");
  ASSERT_EQ(filtered.size(), 20u);
  for (size_t i = 0; i < pushed.size(); ++i) EXPECT_EQ(pushed[i].as_int(), filtered[i].as_int());
}

TEST_F(Pipeline, VariablesThroughTheScriptHost) {
  std::ostringstream out;
  run_line(session, "$old = Get-FakeTrace | Where-Object TlsVersion -in 'TLS1.0','None'", out);
  EXPECT_EQ(out.str(), "");
  ASSERT_EQ(lua.vars["old"].size(), 6u);
  EXPECT_EQ(lines("$old | Measure-Object Size -Sum"), "@{Count=6; Average=; Sum=6033; Maximum=; Minimum=; Property=Size}\n");
  lua.vars["n"] = {Value("a"), Value("b")};
  std::ostringstream printed;
  run_line(session, "$n", printed);
  EXPECT_EQ(printed.str(), "a\nb\n");
  EXPECT_EQ(error_of("$nope | sort"),
            "The variable '$nope' cannot be retrieved because it has not been set.\n"
            "At line:1 char:1\n+ $nope | sort\n+ ^");
  session.lua = nullptr;
  EXPECT_EQ(error_of("$x = Get-FakeTrace"),
            "Cannot use variable '$x': variables live in the Lua runtime, which is not running.\n"
            "At line:1 char:1\n+ $x = Get-FakeTrace\n+ ^");
  EXPECT_EQ(error_of("$old"),
            "Cannot use variable '$old': variables live in the Lua runtime, which is not running.\n"
            "At line:1 char:1\n+ $old\n+ ^");
}

TEST_F(Pipeline, ErrorsShowThePositionAndACaret) {
  EXPECT_EQ(error_of("Get-FakeTrace -Conector x"),
            "A parameter cannot be found that matches parameter name 'Conector'. Did you mean -Connector?\n"
            "At line:1 char:15\n"
            "+ Get-FakeTrace -Conector x\n"
            "+               ^");
  EXPECT_EQ(error_of("Get-FakeTrace | Where-Object { $_.Size -gt 5 -and }"),
            "Missing expression after operator '-and'.\n"
            "At line:1 char:46\n"
            "+ Get-FakeTrace | Where-Object { $_.Size -gt 5 -and }\n"
            "+                                              ^");
  EXPECT_EQ(error_of("Get-FakeTrace | Get-Nothing"),
            "The term 'Get-Nothing' is not recognized as a name of a cmdlet. Check the spelling "
            "of the name (Get-Command lists them), and try again.\n"
            "At line:1 char:17\n"
            "+ Get-FakeTrace | Get-Nothing\n"
            "+                 ^");
  EXPECT_EQ(error_of("Get-FakeTrace | Where-Object"),
            "Where-Object needs a condition: Where-Object { $_.Percent -gt 50 } or Where-Object "
            "Percent -gt 50.\n"
            "At line:1 char:17\n"
            "+ Get-FakeTrace | Where-Object\n"
            "+                 ^");
  // Errors raised while records flow carry the column of their stage.
  EXPECT_EQ(error_of("Get-FakeTrace | Select-Object -ExpandProperty Nope"),
            "Property \"Nope\" cannot be found.\n"
            "At line:1 char:17\n"
            "+ Get-FakeTrace | Select-Object -ExpandProperty Nope\n"
            "+                 ^");
  // invoke_pipeline keeps the plain message and the column.
  try {
    invoke("Get-FakeTrace -Count x");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "Cannot process argument transformation on parameter 'Count'. Cannot "
                           "convert value \"x\" to type \"Int\".");
    EXPECT_EQ(e.column(), 22);
  }
}

TEST_F(Pipeline, RunLinePrintsScalarsAndStrings) {
  std::ostringstream out;
  run_line(session, "Get-FakeTrace -Count 3 | Select-Object -ExpandProperty Connector", out);
  EXPECT_EQ(out.str(), "Contoso Partner\nFabrikam\n");  // $null prints nothing
}

TEST_F(Pipeline, RunLinePrintsRecordsAsATable) {
  std::ostringstream out;
  run_line(session, "Get-FakeTrace -Count 5 | Group-Object Connector -NoElement", out);
  EXPECT_EQ(out.str(),
            "Count Name\n"
            "----- ----\n"
            "    2\n"
            "    2 Contoso Partner\n"
            "    1 Fabrikam\n");
}

TEST_F(Pipeline, InterruptStopsThePipeline) {
  std::atomic<bool> stop{true};
  session.interrupted = &stop;
  EXPECT_THROW(invoke("Get-FakeTrace"), Error);
  stop = false;
  EXPECT_EQ(invoke("Get-FakeTrace").size(), 12u);
}

TEST_F(Pipeline, IsPipelineLine) {
  EXPECT_TRUE(is_pipeline_line(registry, "Get-FakeTrace -Count 3"));
  EXPECT_TRUE(is_pipeline_line(registry, "  sort|select"));
  EXPECT_TRUE(is_pipeline_line(registry, "$x = Get-FakeTrace"));
  EXPECT_TRUE(is_pipeline_line(registry, "$x"));
  EXPECT_TRUE(is_pipeline_line(registry, "Get-Unknown -Days 3"));  // so that it is reported as unknown
  EXPECT_FALSE(is_pipeline_line(registry, "print(GetTlsUsage{})"));
  EXPECT_FALSE(is_pipeline_line(registry, "select('#', 1, 2)"));
  EXPECT_FALSE(is_pipeline_line(registry, "sort = 3"));
  EXPECT_FALSE(is_pipeline_line(registry, "x = 1"));
  EXPECT_FALSE(is_pipeline_line(registry, "for i=1,3 do print(i) end"));
  EXPECT_FALSE(is_pipeline_line(registry, ""));
}

}  // namespace
}  // namespace mailflow::testing
