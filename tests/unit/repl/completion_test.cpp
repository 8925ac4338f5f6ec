#include "repl/completion.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include "test_temp_dir.h"

namespace mailflow {

namespace {

ParamSpec param(std::string name, ParamType type, Completion kind = Completion::None,
                std::vector<std::string> set = {}, int position = -1) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = type;
  p.completion = kind;
  p.validate_set = std::move(set);
  p.position = position;
  return p;
}

// A registry shaped like the real one, with one parameter of every kind.
Registry fixture_registry() {
  Registry r;
  CmdletSpec tls;
  tls.name = "Get-TlsUsage";
  tls.parameters = {param("Direction", ParamType::Enum, Completion::None, {"Inbound", "Outbound"}),
                    param("Connector", ParamType::String, Completion::Connector),
                    param("NoConnector", ParamType::Switch),
                    param("ByConnector", ParamType::Switch),
                    param("Days", ParamType::Int),
                    param("StartDate", ParamType::Date, Completion::Date),
                    param("EndDate", ParamType::Date, Completion::Date)};
  tls.outputs = {"Direction", "Connector", "TlsVersion", "Messages", "Percent"};
  r.add(tls);

  CmdletSpec trace;
  trace.name = "Get-MessageTrace";
  trace.parameters = {param("TlsVersion", ParamType::String, Completion::TlsVersion),
                      param("Connector", ParamType::String, Completion::Connector)};
  r.add(trace);

  CmdletSpec import;
  import.name = "Import-MessageTrace";
  import.parameters = {param("Path", ParamType::StringArray, Completion::Path, {}, 0),
                       param("Format", ParamType::Enum, Completion::None,
                             {"Auto", "Csv", "Jsonl", "Postfix"})};
  r.add(import);

  CmdletSpec help;
  help.name = "Get-Help";
  help.parameters = {param("Name", ParamType::String, Completion::Cmdlet, {}, 0)};
  r.add(help);

  CmdletSpec sort;
  sort.name = "Sort-Object";
  sort.aliases = {"sort"};
  sort.parameters = {param("Property", ParamType::StringArray, Completion::Property, {}, 0),
                     param("Descending", ParamType::Switch)};
  r.add(sort);

  CmdletSpec insights;
  insights.name = "Get-MailFlowInsights";
  insights.parameters = {param("Rule", ParamType::StringArray, Completion::Rule)};
  r.add(insights);
  return r;
}

struct CompletionTest : ::testing::Test {
  Registry registry = fixture_registry();
  CompletionSources src;
  CompletionTest() {
    src.registry = &registry;
    src.connector_names = [] {
      return std::vector<std::string>{"Contoso Partner", "Fabrikam", "fabrikam-backup"};
    };
    src.rule_names = [] { return std::vector<std::string>{"NoTls", "Tls10"}; };
    src.lua_globals = [] {
      return std::vector<std::string>{"GetTlsUsage", "Invoke", "print", "pairs", "string"};
    };
    // One directory level at a time, as list_paths reads it.
    src.paths = [](std::string_view prefix) {
      bool inside = prefix.starts_with("examples/");
      std::vector<std::string> level =
          inside ? std::vector<std::string>{"examples/sample-traces.csv"}
                 : std::vector<std::string>{"examples/", "extra.csv"};
      std::vector<std::string> out;
      for (auto& p : level)
        if (p.compare(0, prefix.size(), prefix) == 0) out.push_back(p);
      return out;
    };
    src.today = "2026-11-22";
  }
  std::vector<std::string> texts(std::string_view line) {
    return texts_at(line, line.size());
  }
  std::vector<std::string> texts_at(std::string_view line, size_t cursor) {
    std::vector<std::string> out;
    for (auto& c : complete(src, line, cursor).candidates) out.push_back(c.text);
    return out;
  }
  using V = std::vector<std::string>;
};

}  // namespace

TEST_F(CompletionTest, CmdletNamesByCaseInsensitivePrefix) {
  EXPECT_EQ(texts("get-t"), V{"Get-TlsUsage"});
  EXPECT_EQ(texts("Get-M"), (V{"Get-MailFlowInsights", "Get-MessageTrace"}));
  auto r = complete(src, "  Get-Tl", 8);
  EXPECT_EQ(r.start, 2u);
}

TEST_F(CompletionTest, AliasesAndLuaGlobalsInFirstWord) {
  EXPECT_EQ(texts("so"), (V{"sort", "Sort-Object"}));
  // Lua globals are case-sensitive, cmdlets are not.
  EXPECT_EQ(texts("Get"), (V{"Get-Help", "Get-MailFlowInsights", "Get-MessageTrace",
                             "Get-TlsUsage", "GetTlsUsage"}));
  EXPECT_EQ(texts("pr"), V{"print"});
}

TEST_F(CompletionTest, CmdletAfterPipe) {
  EXPECT_EQ(texts("Get-TlsUsage | so"), (V{"sort", "Sort-Object"}));
  EXPECT_EQ(complete(src, "Get-TlsUsage | so", 17).start, 15u);
  EXPECT_EQ(texts("$t = Get-Tl"), V{"Get-TlsUsage"});
}

TEST_F(CompletionTest, ParameterNames) {
  EXPECT_EQ(texts("Get-TlsUsage -Dir"), V{"-Direction"});
  EXPECT_EQ(texts("get-tlsusage -no"), V{"-NoConnector"});
  EXPECT_EQ(texts("Get-TlsUsage -"),
            (V{"-ByConnector", "-Connector", "-Days", "-Direction", "-EndDate", "-NoConnector",
               "-StartDate"}));
  EXPECT_TRUE(texts("Get-TlsUsage -Zz").empty());
  EXPECT_TRUE(texts("Unknown-Thing -Dir").empty());
}

TEST_F(CompletionTest, ValidateSetValues) {
  EXPECT_EQ(texts("Get-TlsUsage -Direction "), (V{"Inbound", "Outbound"}));
  EXPECT_EQ(texts("Get-TlsUsage -Direction in"), V{"Inbound"});
  EXPECT_EQ(texts("Get-TlsUsage -Dir o"), V{"Outbound"});  // abbreviated parameter
  EXPECT_EQ(texts("Import-MessageTrace -Format J"), V{"Jsonl"});
}

TEST_F(CompletionTest, ConnectorNamesQuotedWhenNeeded) {
  EXPECT_EQ(texts("Get-TlsUsage -Connector C"), V{"'Contoso Partner'"});
  EXPECT_EQ(texts("Get-TlsUsage -Connector fab"), (V{"Fabrikam", "fabrikam-backup"}));
  EXPECT_EQ(texts("Get-TlsUsage -Connector \"Con"), V{"\"Contoso Partner\""});
  auto r = complete(src, "Get-TlsUsage -Connector 'Con", 28);
  ASSERT_EQ(r.candidates.size(), 1u);
  EXPECT_EQ(r.start, 24u);
  EXPECT_EQ(r.candidates[0].text, "'Contoso Partner'");
  EXPECT_EQ(r.candidates[0].display, "Contoso Partner");
}

TEST_F(CompletionTest, TlsVersionRuleCmdletDateKinds) {
  EXPECT_EQ(texts("Get-MessageTrace -TlsVersion TLS1."),
            (V{"TLS1.0", "TLS1.1", "TLS1.2", "TLS1.3"}));
  EXPECT_EQ(texts("Get-MailFlowInsights -Rule T"), V{"Tls10"});
  EXPECT_EQ(texts("Get-Help Import"), V{"Import-MessageTrace"});  // positional, Cmdlet kind
  EXPECT_EQ(texts("Get-TlsUsage -StartDate "), V{"2026-11-22"});
}

TEST_F(CompletionTest, PropertyNamesComeFromTheUpstreamCmdlet) {
  EXPECT_EQ(texts("Get-TlsUsage | Sort-Object P"), V{"Percent"});
  EXPECT_EQ(texts("Get-TlsUsage | sort -Property M"), V{"Messages"});
  EXPECT_TRUE(texts("Sort-Object P").empty());  // no upstream cmdlet
}

TEST_F(CompletionTest, PathsPositionalNamedAndInLists) {
  EXPECT_EQ(texts("Import-MessageTrace ex"), (V{"examples/", "extra.csv"}));
  auto r = complete(src, "Import-MessageTrace -Path examples/s", 36);
  ASSERT_EQ(r.candidates.size(), 1u);
  EXPECT_EQ(r.candidates[0].text, "examples/sample-traces.csv");
  auto dir = complete(src, "Import-MessageTrace exa", 23);
  ASSERT_EQ(dir.candidates.size(), 1u);
  EXPECT_FALSE(dir.candidates[0].final);  // a directory: keep typing inside it
  auto list = complete(src, "Import-MessageTrace -Path extra.csv,exa", 39);
  EXPECT_EQ(list.start, 36u);
  ASSERT_EQ(list.candidates.size(), 1u);
  EXPECT_EQ(list.candidates[0].text, "examples/");
}

TEST_F(CompletionTest, SwitchTakesNoValueSoNextWordIsPositional) {
  // After a switch no value is expected; Get-TlsUsage has no positional.
  EXPECT_TRUE(texts("Get-TlsUsage -NoConnector ").empty());
  EXPECT_EQ(texts("Sort-Object -Descending P"), V{});  // no upstream: nothing
}

TEST_F(CompletionTest, LuaGlobalsInLuaMode) {
  EXPECT_EQ(texts("t = Get"), V{"GetTlsUsage"});
  EXPECT_EQ(texts("for k, v in pa"), V{"pairs"});
  EXPECT_EQ(texts("print(In"), V{"Invoke"});
  EXPECT_TRUE(texts("string.fo").empty());  // fields are not globals
  EXPECT_TRUE(texts("x = 1 -- pr").empty());  // inside a comment
  auto r = complete(src, "t = Get", 7);
  EXPECT_EQ(r.start, 4u);
}

TEST_F(CompletionTest, PipelineTextInsideALuaString) {
  auto r = complete(src, "r = Invoke(\"Get-TlsUsage -Dir", 29);
  ASSERT_EQ(r.candidates.size(), 1u);
  EXPECT_EQ(r.candidates[0].text, "-Direction");
  EXPECT_EQ(r.start, 25u);
  EXPECT_EQ(texts("Invoke('Get-Tl"), V{"Get-TlsUsage"});
}

TEST_F(CompletionTest, NothingInsideAScriptBlock) {
  EXPECT_TRUE(texts("Get-TlsUsage | Where-Object { $_.Per").empty());
}

TEST_F(CompletionTest, CursorInTheMiddleOfTheLine) {
  std::string line = "Get-Tl | Sort-Object";
  EXPECT_EQ(texts_at(line, 6), V{"Get-TlsUsage"});
}

TEST_F(CompletionTest, MissingSourcesOfferNothing) {
  CompletionSources bare;
  bare.registry = &registry;
  EXPECT_TRUE(complete(bare, "Get-TlsUsage -Connector C", 25).candidates.empty());
  EXPECT_TRUE(complete(bare, "x = pr", 6).candidates.empty());
  CompletionSources none;
  EXPECT_TRUE(complete(none, "Get-T", 5).candidates.empty());
}

TEST(CompletionEdit, OneCandidateCompletesWithASpace) {
  CompletionResult r{4, {{"GetTlsUsage", "GetTlsUsage", true}}};
  auto e = plan_completion_edit(r, "t = Get", 7);
  EXPECT_TRUE(e.changes);
  EXPECT_EQ(e.start, 4u);
  EXPECT_EQ(e.end, 7u);
  EXPECT_EQ(e.text, "GetTlsUsage ");
  EXPECT_FALSE(e.show_list);
}

TEST(CompletionEdit, DirectoryGetsNoSpace) {
  CompletionResult r{0, {{"examples/", "examples/", false}}};
  EXPECT_EQ(plan_completion_edit(r, "ex", 2).text, "examples/");
}

TEST(CompletionEdit, CommonPrefixFirstThenTheList) {
  CompletionResult r{0, {{"Get-MailFlowInsights", "", true}, {"Get-MessageTrace", "", true}}};
  auto e = plan_completion_edit(r, "get-m", 5);
  EXPECT_TRUE(e.changes);
  EXPECT_EQ(e.text, "Get-M");  // fixes the case, and lists: nothing more in common
  EXPECT_TRUE(e.show_list);
  auto again = plan_completion_edit(r, "Get-M", 5);
  EXPECT_FALSE(again.changes);
  EXPECT_TRUE(again.show_list);
  CompletionResult grow{0, {{"Fabrikam", "", true}, {"fabrikam-backup", "", true}}};
  EXPECT_EQ(plan_completion_edit(grow, "f", 1).text, "Fabrikam");
}

TEST(CompletionEdit, QuotedCandidatesExtendAnUnquotedWord) {
  CompletionResult r{0, {{"'Fabrikam Partner Inbound'", "", true},
                         {"'Fabrikam Partner Outbound'", "", true}}};
  auto e = plan_completion_edit(r, "Fab", 3);
  EXPECT_TRUE(e.changes);
  EXPECT_EQ(e.text, "'Fabrikam Partner ");
  EXPECT_FALSE(e.show_list);
  auto again = plan_completion_edit(r, "'Fabrikam Partner ", 18);
  EXPECT_FALSE(again.changes);
  EXPECT_TRUE(again.show_list);
}

TEST(CompletionEdit, NoCandidateNoChange) {
  auto e = plan_completion_edit(CompletionResult{3, {}}, "abc", 3);
  EXPECT_FALSE(e.changes);
  EXPECT_FALSE(e.show_list);
}

TEST(ListPaths, ReadsTheFileSystem) {
  namespace fs = std::filesystem;
  fs::path dir = test::temp_dir() / "mailflow-list-paths";
  fs::remove_all(dir);
  fs::create_directories(dir / "logs");
  std::ofstream(dir / "traces.csv") << "x";
  std::ofstream(dir / ".hidden") << "x";
  std::string base = dir.string() + "/";
  EXPECT_EQ(list_paths(base), (std::vector<std::string>{base + "logs/", base + "traces.csv"}));
  EXPECT_EQ(list_paths(base + "t"), std::vector<std::string>{base + "traces.csv"});
  EXPECT_EQ(list_paths(base + "."), std::vector<std::string>{base + ".hidden"});
  EXPECT_TRUE(list_paths(base + "nothing/x").empty());
  fs::remove_all(dir);
}

}  // namespace mailflow
