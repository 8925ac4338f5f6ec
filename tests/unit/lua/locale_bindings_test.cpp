// _, N_ and FormatPercent in Lua, and RegisterInsightRule's tables of
// translations for Title and Recommendation (English as the fallback).
#include <gtest/gtest.h>

#include "locale/messages.h"
#include "lua_fixture.h"
#include "reports/insight_rule.h"

namespace mailflow {

namespace {

InsightStats plain_text_stats() {
  InsightStats s;
  s.connector = "Fax Relay";
  s.direction = Direction::Inbound;
  s.messages = 4;
  for (TlsVersion v : kTlsReportOrder) {
    s.count[v] = 0;
    s.percent[v] = 0;
  }
  s.count[TlsVersion::None] = 4;
  s.percent[TlsVersion::None] = 100;
  s.start_date = "2026-11-16";
  s.end_date = "2026-11-22";
  return s;
}

const char* kTranslatedRule = R"(
RegisterInsightRule{
  Name = "Plain",
  Title = { en = "Plain text is over {threshold}%", es = "Texto sin cifrar por encima del {threshold} %",
            ["zh-TW"] = "純文字超過 {threshold}%" },
  Parameters = { { Name = "PlainThreshold", Default = 12.5 } },
  Recommendation = { en = "Turn on TLS.", sv = "Slå på TLS." },
  Evaluate = function(stats, params) return stats.Percent.None > params.PlainThreshold, stats.Percent.None end,
}
)";

}  // namespace

class LuaLocale : public LuaFixture {};

TEST_F(LuaLocale, UnderscoreTranslatesStringsAndTables) {
  CultureScope es(Culture::get("es-ES"));
  EXPECT_EQ(repl("print(_('Total'))"), "Total\n");
  EXPECT_EQ(repl("print(_('Insights'))"), "Información\n");
  EXPECT_EQ(repl("print(_('not in any catalog'))"), "not in any catalog\n");
  EXPECT_EQ(repl("print(_{ en = 'Hello', es = 'Hola' })"), "Hola\n");
  EXPECT_EQ(repl("print(_{ en = 'Hello', it = 'Ciao' })"), "Hello\n");
  EXPECT_EQ(repl("print(N_('Insights'))"), "Insights\n");
  EXPECT_EQ(repl("print(FormatPercent(58.5))"), "58,50\u00a0%\n");
}

TEST_F(LuaLocale, BadArgumentsAreClearErrors) {
  EXPECT_NE(repl("print(pcall(_, 12))").find("_: expects a string or a table of translations"), std::string::npos);
  EXPECT_NE(repl("print(pcall(_, { es = 'Hola' }))").find("needs an en entry, the English fallback"), std::string::npos);
  EXPECT_NE(repl("print(pcall(_, { en = 'Hello', es = 3 }))").find("the translation 'es' must be a string"),
            std::string::npos);
  EXPECT_NE(repl("print(pcall(FormatPercent, 'x'))").find("number expected"), std::string::npos);
}

TEST_F(LuaLocale, RuleTitleAndRecommendationTablesFollowTheCulture) {
  lua().load_rule_file(write("plain.lua", kTranslatedRule));
  InsightRule* rule = rules.find("Plain");
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->title({}), "Plain text is over 12.5%");
  EXPECT_EQ(rule->evaluate(plain_text_stats(), {{"PlainThreshold", 12.5}}).recommendation, "Turn on TLS.");
  {
    CultureScope es(Culture::get("es-ES"));
    EXPECT_EQ(rule->title({}), "Texto sin cifrar por encima del 12,5 %");
    EXPECT_EQ(rule->evaluate(plain_text_stats(), {{"PlainThreshold", 12.5}}).recommendation, "Turn on TLS.");
  }
  {
    CultureScope sv(Culture::get("sv-SE"));
    EXPECT_EQ(rule->title({{"PlainThreshold", 30}}), "Plain text is over 30%");  // no sv entry: English
    EXPECT_EQ(rule->evaluate(plain_text_stats(), {{"PlainThreshold", 12.5}}).recommendation, "Slå på TLS.");
  }
  CultureScope zh(Culture::get("zh-TW"));
  EXPECT_EQ(rule->title({}), "純文字超過 12.5%");
}

TEST_F(LuaLocale, RuleTablesWithoutEnglishAreRefused) {
  try {
    lua().load_rule_file(write("bad.lua", "RegisterInsightRule{ Name = 'X', Title = { es = 'Hola' }, Evaluate = print }"));
    FAIL() << "a Title without en was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), (dir / "bad.lua").string() +
                                         ":1: RegisterInsightRule: Title: a table of translations needs an en "
                                         "entry, the English fallback");
  }
  EXPECT_TRUE(rules.all().empty());
}

}  // namespace mailflow
