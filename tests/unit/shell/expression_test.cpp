#include "shell/expression.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace mailflow {
namespace {

Value row() {
  static const auto schema = std::make_shared<const Schema>(std::vector<std::string>{
      "Connector", "TlsVersion", "Percent", "Messages", "Received", "Tags", "Empty", "Inner"});
  Value inner(Record(std::make_shared<const Schema>(std::vector<std::string>{"Host"}), {Value("mx1.contoso.com")}));
  return Value(Record(schema, {Value("Contoso Partner"), Value("TLS1.0"), Value(62.5),
                               Value(std::int64_t{1200}), Value(DateTime{*parse_instant("2026-11-16T08:15:02Z")}),
                               Value(Array{Value("a"), Value("B")}), Value(), inner}));
}

bool eval(const std::string& script) { return compile_filter(script, 0, nullptr).test(row()); }

struct Failure {
  std::string message;
  int column;
};
Failure fail(const std::string& script, int offset = 0) {
  try {
    compile_filter(script, offset, nullptr);
  } catch (const Error& e) {
    return {e.what(), e.column()};
  }
  return {"(no error)", -1};
}

TEST(Comparison, EveryOperator) {
  EXPECT_TRUE(eval("$_.TlsVersion -eq 'tls1.0'"));  // case-insensitive
  EXPECT_FALSE(eval("$_.TlsVersion -ne 'TLS1.0'"));
  EXPECT_TRUE(eval("$_.Percent -gt 50"));
  EXPECT_FALSE(eval("$_.Percent -gt 62.5"));
  EXPECT_TRUE(eval("$_.Percent -ge 62.5"));
  EXPECT_TRUE(eval("$_.Messages -lt 1201"));
  EXPECT_TRUE(eval("$_.Messages -le 1200"));
  EXPECT_TRUE(eval("$_.Messages -eq '1200'"));  // a numeric string compares as a number
  EXPECT_TRUE(eval("$_.Connector -like 'contoso*'"));
  EXPECT_TRUE(eval("$_.Connector -like '*PARTNER'"));
  EXPECT_TRUE(eval("$_.Connector -like 'C?ntoso [O-P]artner'"));
  EXPECT_FALSE(eval("$_.Connector -like 'Contoso'"));
  EXPECT_TRUE(eval("$_.Connector -notlike 'Fabrikam*'"));
  EXPECT_TRUE(eval("$_.Connector -match '^contoso\\s'"));
  EXPECT_TRUE(eval("$_.Connector -notmatch 'fabrikam'"));
  EXPECT_TRUE(eval("$_.TlsVersion -in 'TLS1.0','TLS1.1'"));
  EXPECT_FALSE(eval("$_.TlsVersion -notin 'tls1.0','TLS1.1'"));
  EXPECT_TRUE(eval("$_.Tags -contains 'b'"));
  EXPECT_TRUE(eval("$_.Tags -notcontains 'c'"));
  EXPECT_TRUE(eval("$_.Tags -eq 'A'"));  // array on the left: any element
  EXPECT_TRUE(eval("$_.Received -gt '2026-11-16'"));
  EXPECT_TRUE(eval("$_.Received -lt '2026-11-16T08:15:03Z'"));
  EXPECT_TRUE(eval("$_.Empty -eq $null"));
  EXPECT_FALSE(eval("$_.Empty -eq ''"));
  EXPECT_FALSE(eval("$_.Missing -gt 0"));
  EXPECT_TRUE(eval("$_.Connector -ieq 'CONTOSO PARTNER'"));
}

TEST(Comparison, WildcardEdgeCases) {
  EXPECT_TRUE(Wildcard("*").matches(""));
  EXPECT_TRUE(Wildcard("a*b*c").matches("aXXbYYc"));
  EXPECT_FALSE(Wildcard("a*b*c").matches("aXXbYY"));
  EXPECT_TRUE(Wildcard("*@contoso.com").matches("User@Contoso.COM"));
  EXPECT_TRUE(Wildcard("a`*").matches("a*"));
  EXPECT_FALSE(Wildcard("a`*").matches("ab"));
  EXPECT_TRUE(Wildcard("TLS1.[01]").matches("tls1.1"));
  EXPECT_FALSE(Wildcard("TLS1.[01]").matches("TLS1.2"));
  EXPECT_TRUE(Wildcard("abc").is_literal());
  EXPECT_FALSE(Wildcard("a?c").is_literal());
}

TEST(Expression, LogicalOperatorsParenthesesAndNot) {
  EXPECT_TRUE(eval("$_.TlsVersion -eq 'TLS1.0' -and $_.Percent -gt 50"));
  EXPECT_FALSE(eval("$_.TlsVersion -eq 'TLS1.0' -and $_.Percent -gt 70"));
  EXPECT_TRUE(eval("$_.Percent -gt 70 -or $_.Messages -gt 1000"));
  EXPECT_TRUE(eval("-not ($_.Percent -gt 70)"));
  EXPECT_TRUE(eval("!($_.Percent -gt 70)"));
  EXPECT_TRUE(eval("$_.Percent -gt 70 -xor $_.Messages -gt 1000"));
  EXPECT_TRUE(eval("(($_.Connector -like 'c*') -and (($_.Percent -ge 62.5)))"));
  // -and and -or share one precedence, left to right, as in PowerShell.
  EXPECT_FALSE(eval("$_.Percent -gt 1 -or $_.Percent -gt 2 -and $_.Percent -gt 100"));
  EXPECT_TRUE(eval("$_.Percent -gt 1 -or ($_.Percent -gt 2 -and $_.Percent -gt 100)"));
}

TEST(Expression, OperandsAndMembers) {
  EXPECT_TRUE(eval("$_.Connector"));  // truthiness
  EXPECT_FALSE(eval("$_.Empty"));
  EXPECT_TRUE(eval("$_.Inner.Host -like 'mx1.*'"));
  EXPECT_TRUE(eval("$_.Connector.Length -eq 15"));
  EXPECT_TRUE(eval("$_.Tags.Count -eq 2"));
  EXPECT_TRUE(eval("$true"));
  EXPECT_FALSE(eval("$false -or $null"));
  EXPECT_TRUE(eval("$_.Messages -gt 1kb"));
  EXPECT_TRUE(eval("$_.Messages -eq $_.Messages"));
  EXPECT_TRUE(eval("$PSItem.Percent -eq 62.5"));
  VariableLookup vars = [](const std::string& name) -> std::optional<Value> {
    if (name == "old") return Value(Array{Value("TLS1.0"), Value("TLS1.1")});
    return std::nullopt;
  };
  EXPECT_TRUE(compile_filter("$_.TlsVersion -in $old", 0, vars).test(row()));
}

TEST(Expression, FiltersNonRecordValues) {
  Filter f = compile_filter("$_ -gt 2", 0, nullptr);
  EXPECT_TRUE(f.test(Value(3)));
  EXPECT_FALSE(f.test(Value(1)));
}

TEST(Expression, ConjunctionForPushdown) {
  auto c = compile_filter("$_.Direction -eq 'Inbound' -and ($_.Received -ge '2026-11-01')", 0, nullptr).conjunction();
  ASSERT_TRUE(c);
  ASSERT_EQ(c->size(), 2u);
  EXPECT_EQ((*c)[0].property, "Direction");
  EXPECT_EQ((*c)[0].op, CompareOp::Eq);
  EXPECT_EQ((*c)[0].value.to_display(), "Inbound");
  EXPECT_EQ((*c)[1].op, CompareOp::Ge);
  EXPECT_FALSE(compile_filter("$_.A -eq 1 -or $_.B -eq 2", 0, nullptr).conjunction());
  EXPECT_FALSE(compile_filter("$_.A -eq $_.B", 0, nullptr).conjunction());
  EXPECT_FALSE(compile_filter("-not ($_.A -eq 1)", 0, nullptr).conjunction());
  EXPECT_FALSE(compile_filter("$_.A.B -eq 1", 0, nullptr).conjunction());
}

TEST(Expression, ErrorsPointIntoTheLine) {
  Failure f = fail(" $_.A -eq 1 -and ", 20);
  EXPECT_EQ(f.message, "Missing expression after operator '-and'.");
  EXPECT_EQ(f.column, 33);
  f = fail("$_.A -eq");
  EXPECT_EQ(f.message, "You must provide a value expression following the '-eq' operator.");
  EXPECT_EQ(f.column, 6);
  f = fail("$_.A -equals 1");
  EXPECT_EQ(f.message, "Unexpected token '-equals' in expression or statement.");
  EXPECT_EQ(f.column, 6);
  f = fail("($_.A -eq 1");
  EXPECT_EQ(f.message, "Missing closing ')' in expression.");
  EXPECT_EQ(f.column, 1);
  f = fail("$_.A -eq 1)");
  EXPECT_EQ(f.message, "Unexpected token ')' in expression or statement.");
  EXPECT_EQ(f.column, 11);
  f = fail("$_.TlsVersion -eq TLS1.0");
  EXPECT_EQ(f.message, "Unexpected token 'TLS1.0' in expression or statement.");
  EXPECT_EQ(f.column, 19);
  f = fail("$_.A -match '(['");
  EXPECT_EQ(f.message.substr(0, 48), "The regular expression pattern ([ is not valid: ");
  EXPECT_EQ(f.column, 13);
  f = fail("$_.A -in 1,");
  EXPECT_EQ(f.message, "Missing expression after ','.");
  EXPECT_EQ(f.column, 11);
  f = fail("   ", 4);
  EXPECT_EQ(f.message, "The script block is empty: give a condition such as { $_.TlsVersion -eq 'TLS1.0' }.");
  f = fail("$_.A -eq $nothing");
  EXPECT_EQ(f.message, "The variable '$nothing' cannot be retrieved because it has not been set.");
  EXPECT_EQ(f.column, 10);
  f = fail("-not");
  EXPECT_EQ(f.message, "Missing expression after unary operator '-not'.");
  f = fail("()");
  EXPECT_EQ(f.message, "An expression was expected after '('.");
  EXPECT_EQ(f.column, 2);
}

Value value_of(const std::string& script) { return compile_expression(script, 0, nullptr).evaluate(row()); }

TEST(Arithmetic, NumbersAsPowerShellComputesThem) {
  EXPECT_EQ(value_of("$_.Messages + 1").as_int(), 1201);
  EXPECT_EQ(value_of("$_.Messages - 200 * 2").as_int(), 800);  // * before -
  EXPECT_EQ(value_of("($_.Messages - 200) * 2").as_int(), 2000);
  EXPECT_EQ(value_of("$_.Messages / 100").as_int(), 12);        // exact: stays an integer
  EXPECT_DOUBLE_EQ(value_of("$_.Messages / 1KB").as_double(), 1200.0 / 1024);
  EXPECT_DOUBLE_EQ(value_of("$_.Percent * 2").as_double(), 125.0);
  EXPECT_EQ(value_of("$_.Messages % 7").as_int(), 3);
  EXPECT_EQ(value_of("$_.Empty + 5").as_int(), 5);              // $null counts as 0
  EXPECT_EQ(value_of("10 - 4 - 3").as_int(), 3);                // left to right
  EXPECT_TRUE(value_of("$_.Percent -gt 60").as_bool());         // a comparison's value
  EXPECT_TRUE(eval("$_.Messages * 2 -gt 2000 -and $_.Percent / 2 -lt 40"));
}

TEST(Arithmetic, TextJoins) {
  EXPECT_EQ(value_of("$_.Connector + ' (' + $_.TlsVersion + ')'").as_string(), "Contoso Partner (TLS1.0)");
  EXPECT_EQ(value_of("'n=' + $_.Messages").as_string(), "n=1200");
  EXPECT_EQ(value_of("$_.Empty + 'x'").as_string(), "x");
}

TEST(Arithmetic, ErrorsNameTheOperatorAndItsPosition) {
  auto error_of = [](const std::string& script) -> Failure {
    try {
      value_of(script);
    } catch (const Error& e) {
      return {e.what(), e.column()};
    }
    return {"(no error)", -1};
  };
  Failure f = error_of("$_.Connector - 1");
  EXPECT_EQ(f.message, "The operator '-' cannot be applied to the text 'Contoso Partner' and the number 1.");
  EXPECT_EQ(f.column, 14);
  EXPECT_EQ(error_of("$_.Messages / 0").message, "Attempted to divide by zero.");
  EXPECT_EQ(error_of("$_.Messages % ($_.Messages - 1200)").message, "Attempted to divide by zero.");
  EXPECT_EQ(error_of("$_.Messages + 'x'").message,
            "The operator '+' cannot be applied to the number 1200 and the text 'x'.");
  f = fail("$_.Messages * ");
  EXPECT_EQ(f.message, "You must provide a value expression following the '*' operator.");
  EXPECT_EQ(f.column, 13);
}

// Checked arithmetic: (-9223372036854775807 - 1) % -1 once killed the
// process with SIGFPE, 9223372036854775807 + 1 was signed overflow.
TEST(Arithmetic, ResultsThatDoNotFitAreErrorsNeverWrapped) {
  EXPECT_EQ(value_of("(-9223372036854775807 - 1) % -1").as_int(), 0);
  EXPECT_EQ(value_of("(-9223372036854775807 - 1) + 1").as_int(), -9223372036854775807);
  EXPECT_EQ(value_of("7 / -1").as_int(), -7);
  auto error_of = [](const std::string& script) -> std::string {
    try {
      value_of(script);
    } catch (const Error& e) {
      return e.id() + ": " + e.what();
    }
    return "(no error)";
  };
  EXPECT_EQ(error_of("9223372036854775807 + 1"),
            "ArithmeticOverflow: Arithmetic operation resulted in an overflow: 9223372036854775807 + 1.");
  EXPECT_EQ(error_of("(-9223372036854775807 - 1) / -1"),
            "ArithmeticOverflow: Arithmetic operation resulted in an overflow: -9223372036854775808 / -1.");
  EXPECT_EQ(error_of("(-9223372036854775807 - 2)"),
            "ArithmeticOverflow: Arithmetic operation resulted in an overflow: -9223372036854775807 - 2.");
  EXPECT_EQ(error_of("4294967296 * 4294967296"),
            "ArithmeticOverflow: Arithmetic operation resulted in an overflow: 4294967296 * 4294967296.");
  // 10000000TB does not fit in 64 bits: a double, as in PowerShell.
  Value tb = value_of("10000000TB");
  ASSERT_TRUE(tb.is_double());
  EXPECT_DOUBLE_EQ(tb.as_double(), 1e7 * 1099511627776.0);
  EXPECT_EQ(value_of("8388607TB").as_int(), std::int64_t{8388607} << 40);
}

}  // namespace
}  // namespace mailflow
