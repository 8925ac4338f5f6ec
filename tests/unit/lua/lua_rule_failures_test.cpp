// Which statistics a Lua insight rule reads: stats.TlsFailures and
// TlsFailuresBefore only for a rule registered with ReadsFailures = true or
// JudgesFailures = true (Get-MailFlowInsights counts them only then).
#include <gtest/gtest.h>

#include "core/error.h"
#include "lua_fixture.h"
#include "reports/insights.h"

namespace mailflow {

namespace {

InsightStats failing_partner() {
  InsightStats s;
  s.connector = "Contoso Partner";
  s.direction = Direction::Inbound;
  s.messages = 4;
  for (TlsVersion v : kTlsReportOrder) s.count[v] = 0, s.percent[v] = 0;
  s.count[TlsVersion::Tls12] = 4;
  s.percent[TlsVersion::Tls12] = 100;
  s.start_date = "2026-11-16";
  s.end_date = "2026-11-22";
  s.tls_failures = 7;
  s.tls_failures_before = 2;
  return s;
}

std::string rule_text(const std::string& name, const std::string& declaration) {
  return "RegisterInsightRule{ Name = '" + name + "', Title = 'Failures', " + declaration +
         " Evaluate = function(stats, params)\n"
         "  return stats.TlsFailures > 5, stats.TlsFailures - stats.TlsFailuresBefore\n"
         "end }\n";
}

}  // namespace

class LuaRuleFailures : public LuaFixture {};

TEST_F(LuaRuleFailures, DeclaredReadersGetTheCounts) {
  lua().load_rule_file(write("reads.lua", rule_text("Reads", "ReadsFailures = true,")));
  lua().load_rule_file(write("judges.lua", rule_text("Judges", "JudgesFailures = true,")));
  InsightRule* reads = rules.find("Reads");
  InsightRule* judges = rules.find("Judges");
  EXPECT_TRUE(reads->reads_failures());
  EXPECT_FALSE(reads->judges_failures());
  EXPECT_TRUE(judges->reads_failures());  // judging failures is reading them
  EXPECT_TRUE(judges->judges_failures());
  for (InsightRule* r : {reads, judges}) {
    RuleVerdict v = r->evaluate(failing_partner(), {});
    EXPECT_TRUE(v.fires) << r->name();
    EXPECT_EQ(v.value, 5) << r->name();
  }
  // Both judged by Get-MailFlowInsights' evaluation: counted statistics needed.
  EXPECT_TRUE(needs_failure_counts({reads}));
}

TEST_F(LuaRuleFailures, UndeclaredReadIsAnErrorNamingTheDeclaration) {
  lua().load_rule_file(write("plain.lua", rule_text("Plain", "ReadsFailures = false,")));
  lua().load_rule_file(write("other.lua", rule_text("Other", "")));
  for (const char* name : {"Plain", "Other"}) {
    InsightRule* r = rules.find(name);
    EXPECT_FALSE(r->reads_failures());
    EXPECT_FALSE(needs_failure_counts({r}));
    try {
      r->evaluate(failing_partner(), {});
      FAIL() << name << ": no error";
    } catch (const Error& e) {
      std::string text = e.what();
      EXPECT_NE(text.find("rule " + std::string(name) + ": "), std::string::npos) << text;
      EXPECT_NE(text.find(":2: stats.TlsFailures is given only to rules registered with ReadsFailures = true"),
                std::string::npos)
          << text;
    }
  }
}

// The stats table is shared by the rules of one connector: a rule that reads
// failures and one that does not, in turn on the same statistics, each get
// their own view.
TEST_F(LuaRuleFailures, SharedStatsTableKeepsEachRulesView) {
  lua().load_rule_file(write("reads.lua", rule_text("Reads", "ReadsFailures = true,")));
  lua().load_rule_file(write("share.lua",
                             "RegisterInsightRule{ Name = 'Share', Title = 'T', Evaluate = function(stats)\n"
                             "  return stats.Percent['TLS1.2'] > 50, stats.Messages, tostring(rawget(stats, 'Messages'))\n"
                             "end }\n"));
  InsightStats s = failing_partner();
  EXPECT_EQ(rules.find("Reads")->evaluate(s, {}).value, 5);
  RuleVerdict share = rules.find("Share")->evaluate(s, {});
  EXPECT_TRUE(share.fires);
  EXPECT_EQ(share.value, 4);
  EXPECT_EQ(rules.find("Reads")->evaluate(s, {}).value, 5);
}

TEST_F(LuaRuleFailures, ReadsFailuresMustBeABoolean) {
  try {
    lua().load_rule_file(write("bad.lua", rule_text("Bad", "ReadsFailures = 'yes',")));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("RegisterInsightRule Bad: ReadsFailures must be true or false"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(rules.find("Bad"), nullptr);
}

}  // namespace mailflow
