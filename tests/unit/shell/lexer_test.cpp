#include "shell/lexer.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace mailflow {
namespace {

using K = Token::Kind;

std::string kinds(const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& t : tokens) {
    switch (t.kind) {
      case K::Word: out += "W"; break;
      case K::String: out += "S"; break;
      case K::Variable: out += "V"; break;
      case K::Parameter: out += t.colon ? "P:" : "P"; break;
      case K::Comma: out += ","; break;
      case K::Pipe: out += "|"; break;
      case K::Assign: out += "="; break;
      case K::LParen: out += "("; break;
      case K::RParen: out += ")"; break;
      case K::ScriptBlock: out += "B"; break;
      case K::Bang: out += "!"; break;
      case K::Hashtable: out += "H"; break;
      case K::Operator: out += t.text; break;
      case K::Semicolon: out += ";"; break;
      case K::End: out += "."; break;
    }
    out += " ";
  }
  return out;
}

int error_column(const std::string& text, std::string* message = nullptr,
                 LexMode mode = LexMode::Argument) {
  try {
    tokenize(text, mode);
  } catch (const Error& e) {
    if (message) *message = e.what();
    return e.column();
  }
  return -1;
}

TEST(Lexer, SplitsAPipelineWithColumns) {
  auto t = tokenize("Get-MessageTrace -Days 7 | Where-Object Percent -gt 50");
  EXPECT_EQ(kinds(t), "W P W | W W P W . ");
  EXPECT_EQ(t[0].text, "Get-MessageTrace");
  EXPECT_EQ(t[1].text, "Days");
  EXPECT_EQ(t[1].column, 18);
  EXPECT_EQ(t[2].column, 24);
  EXPECT_EQ(t[3].column, 26);
  EXPECT_EQ(t[7].text, "50");
  EXPECT_EQ(t[8].column, 55);  // End: one past the last character
}

TEST(Lexer, SingleQuotedStringsDoubleTheQuote) {
  auto t = tokenize("x 'it''s here' ''");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[1].kind, K::String);
  EXPECT_EQ(t[1].text, "it's here");
  EXPECT_EQ(t[2].text, "");
}

TEST(Lexer, DoubleQuotedStringsTakeBacktickEscapesAndDoubledQuotes) {
  auto t = tokenize(R"(x "a`tb`nc `"q`" ""d"" `$e ``")");
  EXPECT_EQ(t[1].kind, K::String);
  EXPECT_EQ(t[1].text, "a\tb\nc \"q\" \"d\" $e `");
}

TEST(Lexer, ArraysSwitchesAndColonValues) {
  auto t = tokenize("Get-X -Name a,b,'c d' -NoConnector:$false -Days:-5");
  EXPECT_EQ(kinds(t), "W P W , W , S P: V P: W . ");
  EXPECT_EQ(t[6].text, "c d");
  EXPECT_EQ(t[7].text, "NoConnector");
  EXPECT_EQ(t[8].text, "false");
  EXPECT_EQ(t[10].text, "-5");
}

TEST(Lexer, NegativeNumbersAreValuesNotParameters) {
  auto t = tokenize("x -5 -1.5 -abc");
  EXPECT_EQ(kinds(t), "W W W P . ");
}

TEST(Lexer, ScriptBlocksKeepTheirTextAndNestedBraces) {
  auto t = tokenize("where { $_.A -eq '}' -and ($_.B -gt 1) } | sort");
  ASSERT_EQ(kinds(t), "W B | W . ");
  EXPECT_EQ(t[1].text, " $_.A -eq '}' -and ($_.B -gt 1) ");
  EXPECT_EQ(t[1].column, 7);
  EXPECT_EQ(t[1].inner_column, 8);
  auto nested = tokenize("x {a {b} c}");
  EXPECT_EQ(nested[1].text, "a {b} c");
}

TEST(Lexer, VariablesWithMembers) {
  auto t = tokenize("$_.Connector.Length $rows $true", LexMode::Expression);
  EXPECT_EQ(kinds(t), "V V V . ");
  EXPECT_EQ(t[0].text, "_.Connector.Length");
  EXPECT_EQ(t[1].text, "rows");
}

TEST(Lexer, ExpressionModeOperatorsAndParentheses) {
  auto t = tokenize("!($_.A -eq 5)-or -not $x", LexMode::Expression, 10);
  EXPECT_EQ(kinds(t), "! ( V P W ) P P V . ");
  EXPECT_EQ(t[0].column, 11);  // offset applied
  EXPECT_EQ(t[4].text, "5");
}

TEST(Lexer, CommentsRunToTheEndOfTheLine) {
  EXPECT_EQ(kinds(tokenize("Get-X # a comment | y")), "W . ");
}

TEST(Lexer, ErrorsCarryTheColumnOfTheFault) {
  std::string m;
  EXPECT_EQ(error_column("x -Name 'abc", &m), 9);
  EXPECT_EQ(m, "The string is missing the terminator: '.");
  EXPECT_EQ(error_column("x \"abc", &m), 3);
  EXPECT_EQ(m, "The string is missing the terminator: \".");
  EXPECT_EQ(error_column("x \"abc`", &m), 3);
  EXPECT_EQ(error_column("where { $_.A -eq 1", &m), 7);
  EXPECT_EQ(m, "Missing closing '}' in statement block or type definition.");
  EXPECT_EQ(error_column("where { '}' ", &m), 7);
  EXPECT_EQ(error_column("x } y", &m), 3);
  EXPECT_EQ(m, "Unexpected token '}' in expression or statement.");
  EXPECT_EQ(error_column("x $ y", &m), 3);
  EXPECT_EQ(m, "Variable reference is not valid. '$' was not followed by a valid variable name character.");
  EXPECT_EQ(error_column("a; b", &m), 2);
}

TEST(Lexer, ArithmeticOperatorsInExpressions) {
  std::vector<Token> t = tokenize("$_.Size/1KB + 2*3 - 1 -gt -5 % 2", LexMode::Expression);
  EXPECT_EQ(kinds(t), "V / W + W * W - W P W % W . ");
  EXPECT_EQ(t[2].text, "1KB");
  EXPECT_EQ(t[6].column, 17);
  EXPECT_EQ(t[10].text, "-5");  // without a space after it, '-' starts a number
  EXPECT_EQ(kinds(tokenize("1e+5*2", LexMode::Expression)), "W * W . ");
  // In argument mode they stay part of words: paths and wildcards.
  EXPECT_EQ(kinds(tokenize("Import-MessageTrace /var/log/*.log - x")), "W W W W . ");
}

TEST(Lexer, HashtableLiteralIsOneTokenWithItsBody) {
  std::vector<Token> t = tokenize("select a, @{n='x;}'; e={ $_.A }} | ft");
  EXPECT_EQ(kinds(t), "W W , H | W . ");
  EXPECT_EQ(t[3].text, "n='x;}'; e={ $_.A }");
  EXPECT_EQ(t[3].column, 11);
  EXPECT_EQ(t[3].inner_column, 13);
  EXPECT_EQ(kinds(tokenize(t[3].text, LexMode::Hashtable, 12)), "W = S ; W = B . ");
  try {
    tokenize("select @{n='x'");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "Missing '}' at the end of the hash literal.");
    EXPECT_EQ(e.column(), 8);
  }
}

// Tolerant mode (Tab completion): partial input never throws, and every
// token knows where it ends in the line.
TEST(Lexer, TolerantModeTakesPartialInput) {
  using K = Token::Kind;
  std::vector<Token> t = tokenize_partial("Get-TlsUsage -Direction 'In");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[1].kind, K::Parameter);
  EXPECT_EQ(t[1].end_column, 24);
  EXPECT_EQ(t[2].kind, K::String);
  EXPECT_EQ(t[2].text, "In");
  EXPECT_TRUE(t[2].partial);
  EXPECT_EQ(t[2].end_column, 28);
  EXPECT_EQ(t[3].kind, K::End);

  t = tokenize_partial("Get-X | Where-Object { $_.A -eq 'b");
  EXPECT_EQ(t[3].kind, K::ScriptBlock);
  EXPECT_TRUE(t[3].partial);
  t = tokenize_partial("Get-X -A \"x`");
  EXPECT_TRUE(t[2].partial);
  t = tokenize_partial("$");
  EXPECT_EQ(t[0].kind, K::Variable);
  EXPECT_TRUE(t[0].partial);
  t = tokenize_partial("a } b; c");
  EXPECT_EQ(t[1].kind, K::Word);
  EXPECT_EQ(t[3].kind, K::Semicolon);
  t = tokenize_partial("@{Name='x'");
  EXPECT_EQ(t[0].kind, K::Hashtable);
  EXPECT_TRUE(t[0].partial);
  // The strict lexer refuses the same input.
  EXPECT_THROW(tokenize("Get-TlsUsage -Direction 'In"), Error);
  EXPECT_THROW(tokenize("$"), Error);
  // Complete input gives the strict lexer's tokens.
  std::vector<Token> strict = tokenize("Get-X -A:1 'b' { c } | d");
  std::vector<Token> tolerant = tokenize_partial("Get-X -A:1 'b' { c } | d");
  ASSERT_EQ(strict.size(), tolerant.size());
  for (size_t i = 0; i < strict.size(); ++i) {
    EXPECT_EQ(strict[i].kind, tolerant[i].kind);
    EXPECT_EQ(strict[i].text, tolerant[i].text);
    EXPECT_EQ(strict[i].column, tolerant[i].column);
    EXPECT_FALSE(tolerant[i].partial);
  }
}

}  // namespace
}  // namespace mailflow
