#include "repl/entry_reader.h"

#include <gtest/gtest.h>

namespace mailflow {

namespace {

// Pipeline lines start with a "cmdlet" (anything with a dash) or `$`; Lua is
// complete when its `function`/`end` and braces balance and no string is
// open. Stand-ins for the shell and the Lua host, which own these decisions.
LineClassifier fake_classifier() {
  LineClassifier c;
  c.is_pipeline = [](std::string_view line) {
    auto b = line.find_first_not_of(' ');
    if (b == std::string_view::npos) return false;
    auto e = line.find(' ', b);
    std::string_view first = line.substr(b, e == std::string_view::npos ? e : e - b);
    return first.starts_with("$") || first.find('-') != std::string_view::npos;
  };
  c.lua_complete = [](const std::string& code) {
    int open = 0;
    size_t pos = 0;
    while ((pos = code.find("function", pos)) != std::string::npos) ++open, pos += 8;
    pos = 0;
    while ((pos = code.find("end", pos)) != std::string::npos) --open, pos += 3;
    for (char ch : code) open += ch == '{' ? 1 : ch == '}' ? -1 : 0;
    return open <= 0 && std::count(code.begin(), code.end(), '"') % 2 == 0;
  };
  return c;
}

}  // namespace

TEST(EntryReader, PipelineOnOneLine) {
  EntryReader r(fake_classifier());
  EXPECT_TRUE(r.add_line("Get-TlsUsage -Days 30"));
  EXPECT_EQ(r.kind(), EntryKind::Pipeline);
  EXPECT_EQ(r.text(), "Get-TlsUsage -Days 30");
  EXPECT_EQ(r.lines(), 1);
}

TEST(EntryReader, TrailingPipeContinues) {
  EntryReader r(fake_classifier());
  EXPECT_FALSE(r.add_line("Get-TlsUsage |"));
  EXPECT_TRUE(r.continuing());
  EXPECT_FALSE(r.add_line("  Where-Object Percent -gt 10 |   "));
  EXPECT_TRUE(r.add_line("Sort-Object Percent"));
  EXPECT_EQ(r.kind(), EntryKind::Pipeline);
  EXPECT_EQ(r.text(), "Get-TlsUsage |   Where-Object Percent -gt 10 |    Sort-Object Percent");
  EXPECT_EQ(r.lines(), 3);
}

TEST(EntryReader, OpenScriptBlockOrQuoteContinuesAPipeline) {
  EntryReader r(fake_classifier());
  EXPECT_FALSE(r.add_line("Get-TlsUsage | Where-Object {"));
  EXPECT_TRUE(r.add_line("$_.Percent -gt 10 }"));
  r.clear();
  EXPECT_FALSE(r.add_line("Set-MailFlowConfig -Comment 'two"));
  EXPECT_TRUE(r.add_line("lines'"));
  EXPECT_EQ(r.text(), "Set-MailFlowConfig -Comment 'two\nlines'");
}

TEST(EntryReader, MultiLineLuaFunction) {
  EntryReader r(fake_classifier());
  EXPECT_FALSE(r.add_line("function double(x)"));
  EXPECT_EQ(r.kind(), EntryKind::Lua);
  EXPECT_FALSE(r.add_line("  return x * 2"));
  EXPECT_TRUE(r.add_line("end"));
  EXPECT_EQ(r.text(), "function double(x)\n  return x * 2\nend");
  r.clear();
  EXPECT_FALSE(r.continuing());
  EXPECT_TRUE(r.add_line("double(21)"));
  EXPECT_EQ(r.kind(), EntryKind::Lua);
}

TEST(EntryReader, LuaTableAndStringContinue) {
  EntryReader r(fake_classifier());
  EXPECT_FALSE(r.add_line("t = {"));
  EXPECT_TRUE(r.add_line("1, 2 }"));
  r.clear();
  // A blank line inside an unfinished chunk is part of it (as in lua -i).
  EXPECT_FALSE(r.add_line("s = \"a"));
  EXPECT_FALSE(r.add_line(""));
  EXPECT_TRUE(r.add_line("b\""));
}

TEST(EntryReader, BlankAndExitLines) {
  EntryReader r(fake_classifier());
  EXPECT_TRUE(r.add_line("   "));
  EXPECT_EQ(r.kind(), EntryKind::Blank);
  EXPECT_FALSE(r.continuing());
  for (const char* line : {"exit", " quit ", "EXIT", "exit()"}) {
    r.clear();
    EXPECT_TRUE(r.add_line(line)) << line;
    EXPECT_EQ(r.kind(), EntryKind::Exit) << line;
    EXPECT_FALSE(r.exit_status().has_value()) << line;
  }
  r.clear();
  EXPECT_TRUE(r.add_line("exit 3"));
  EXPECT_EQ(r.exit_status(), 3);
  r.clear();
  EXPECT_TRUE(r.add_line("exit(2)"));
  EXPECT_EQ(r.exit_status(), 2);
}

TEST(EntryReader, ExitOnlyAtTheStartOfAnEntry) {
  EntryReader r(fake_classifier());
  EXPECT_FALSE(r.add_line("function f()"));
  EXPECT_FALSE(r.add_line("exit"));  // a line of the function, not a request to leave
  EXPECT_EQ(r.kind(), EntryKind::Lua);
}

TEST(EntryReader, CarriageReturnsAreDropped) {
  EntryReader r(fake_classifier());
  EXPECT_TRUE(r.add_line("Get-TlsUsage\r"));
  EXPECT_EQ(r.text(), "Get-TlsUsage");
}

TEST(ParseExit, OnlyExactForms) {
  EXPECT_FALSE(parse_exit("exitcode = 1").has_value());
  EXPECT_FALSE(parse_exit("exit 1000").has_value());
  EXPECT_FALSE(parse_exit("exit -1").has_value());
  EXPECT_FALSE(parse_exit("exit(x)").has_value());
  EXPECT_FALSE(parse_exit("quitter").has_value());
  ASSERT_TRUE(parse_exit("exit 0").has_value());
  EXPECT_EQ(parse_exit("exit 0")->status, 0);
  EXPECT_EQ(parse_exit("quit")->status, -1);
}

TEST(PipelineContinues, QuotesBracesCommentsAndPipes) {
  EXPECT_TRUE(pipeline_continues("a |"));
  EXPECT_TRUE(pipeline_continues("a | # then sort"));
  EXPECT_FALSE(pipeline_continues("a # not a pipe |"));
  EXPECT_FALSE(pipeline_continues("a -Name '|'"));
  EXPECT_TRUE(pipeline_continues("a -Name 'it''s"));
  EXPECT_FALSE(pipeline_continues("a -Name 'it''s'"));
  EXPECT_TRUE(pipeline_continues("a -Name \"x`\""));
  EXPECT_TRUE(pipeline_continues("a | Where-Object { $_.X -eq '}' "));
  EXPECT_FALSE(pipeline_continues("a | Where-Object { $_.X -eq '}' }"));
  EXPECT_FALSE(pipeline_continues("a -Name x#y |z"));
}

}  // namespace mailflow
