// RegisterInsightRule, rule evaluation under budgets, and rule directories.
#include "lua/lua_insight_rule.h"

#include <gtest/gtest.h>

#include "lua_fixture.h"
#include "reports/insights.h"

namespace mailflow {

namespace {

InsightStats partner_stats(std::int64_t none, std::int64_t tls12) {
  InsightStats s;
  s.connector = "Contoso Partner";
  s.direction = Direction::Inbound;
  s.connector_type = "Partner";
  s.messages = none + tls12;
  for (TlsVersion v : kTlsReportOrder) {
    s.count[v] = 0;
    s.percent[v] = 0;
  }
  s.count[TlsVersion::None] = none;
  s.count[TlsVersion::Tls12] = tls12;
  s.percent[TlsVersion::None] = 100.0 * static_cast<double>(none) / static_cast<double>(s.messages);
  s.percent[TlsVersion::Tls12] = 100.0 - s.percent[TlsVersion::None];
  s.start_date = "2026-11-16";
  s.end_date = "2026-11-22";
  return s;
}

const char* kPlainRule = R"(
RegisterInsightRule{
  Name = "Plain",
  Title = "Plain text is over {threshold}%",
  Parameters = { { Name = "PlainThreshold", Default = 25, Help = "percent" } },
  Recommendation = "Turn on TLS.",
  Evaluate = function(stats, params)
    local share = stats.Percent["None"]
    if stats.ConnectorType == "Partner" and share > params.PlainThreshold then
      return true, share, "Ask " .. stats.Connector .. " to turn on TLS."
    end
    return share > params.PlainThreshold, share
  end,
}
)";

}  // namespace

class LuaRules : public LuaFixture {};

TEST_F(LuaRules, RegisteredRuleEvaluatesWithDefaultsAndGivenParameters) {
  lua().load_rule_file(write("plain.lua", kPlainRule));
  InsightRule* rule = rules.find("plain");
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->source(), (dir / "plain.lua").string());
  ASSERT_EQ(rule->parameters().size(), 1u);
  EXPECT_EQ(rule->parameters()[0].name, "PlainThreshold");
  EXPECT_EQ(rule->parameters()[0].default_value, 25);
  EXPECT_EQ(rule->title({}), "Plain text is over 25%");
  EXPECT_EQ(rule->title({{"PlainThreshold", 12.5}}), "Plain text is over 12.5%");

  int top = lua_top();
  RuleVerdict v = rule->evaluate(partner_stats(30, 70), {{"PlainThreshold", 25}});
  EXPECT_EQ(lua_top(), top);
  EXPECT_TRUE(v.fires);
  EXPECT_DOUBLE_EQ(v.value, 30);
  EXPECT_DOUBLE_EQ(v.threshold, 25);
  EXPECT_EQ(v.recommendation, "Ask Contoso Partner to turn on TLS.");

  v = rule->evaluate(partner_stats(30, 70), {{"PlainThreshold", 40}});
  EXPECT_FALSE(v.fires);
  EXPECT_DOUBLE_EQ(v.threshold, 40);
  EXPECT_EQ(lua_top(), top);
}

TEST_F(LuaRules, DefaultRecommendationWhenEvaluateGivesNone) {
  lua().load_rule_file(write("plain.lua", kPlainRule));
  InsightStats s = partner_stats(90, 10);
  s.connector_type = "OnPremises";
  RuleVerdict v = rules.find("Plain")->evaluate(s, {});
  EXPECT_TRUE(v.fires);
  EXPECT_EQ(v.recommendation, "Turn on TLS.");
}

TEST_F(LuaRules, StatsCarryEveryVersionAndTheRange) {
  lua().load_rule_file(write("probe.lua", R"(
RegisterInsightRule{ Name = "Probe", Title = "probe",
  Evaluate = function(s)
    local text = s.Direction .. "|" .. s.Messages .. "|" .. s.Count["TLS1.3"] .. "|" ..
      s.Count["None"] .. "|" .. s.StartDate .. ".." .. s.EndDate .. "|" .. tostring(s.RequireTls)
    return true, 0, text
  end }
)"));
  RuleVerdict v = rules.find("Probe")->evaluate(partner_stats(5, 15), {});
  EXPECT_EQ(v.recommendation, "Inbound|20|0|5|2026-11-16..2026-11-22|false");
}

TEST_F(LuaRules, StatsAreReadOnlyAndSharedByEveryRule) {
  lua().load_rule_file(write("rules.lua", R"(
RegisterInsightRule{ Name = "Count", Title = "t", Evaluate = function(s)
  local n = 0 for version, c in pairs(s.Count) do n = n + c end
  return true, n end }
RegisterInsightRule{ Name = "Writer", Title = "t", Evaluate = function(s) s.Messages = 0 end }
RegisterInsightRule{ Name = "DeepWriter", Title = "t", Evaluate = function(s) s.Count.None = 0 end }
)"));
  InsightStats s = partner_stats(3, 7);
  EXPECT_DOUBLE_EQ(rules.find("Count")->evaluate(s, {}).value, 10);
  std::string at = "rule Writer: " + (dir / "rules.lua").string() + ":5: ";
  try {
    rules.find("Writer")->evaluate(s, {});
    FAIL();
  } catch (const LuaError& e) {
    EXPECT_EQ(std::string(e.what()), at + "attempt to modify a read-only table (field 'Messages')");
  }
  EXPECT_THROW(rules.find("DeepWriter")->evaluate(s, {}), LuaError);
  // The shared table is rebuilt for other statistics.
  EXPECT_DOUBLE_EQ(rules.find("Count")->evaluate(partner_stats(1, 1), {}).value, 2);
  EXPECT_DOUBLE_EQ(rules.find("Count")->evaluate(s, {}).value, 10);
}

TEST_F(LuaRules, RuleErrorNamesTheRuleAndItsLine) {
  lua().load_rule_file(write("bad.lua", "RegisterInsightRule{ Name = 'Bad', Title = 't',\n"
                                        "  Evaluate = function(s) return s.Nope.Field end }"));
  int top = lua_top();
  try {
    rules.find("Bad")->evaluate(partner_stats(1, 1), {});
    FAIL();
  } catch (const LuaError& e) {
    EXPECT_EQ(std::string(e.what()), "rule Bad: " + (dir / "bad.lua").string() +
                                         ":2: attempt to index a nil value (field 'Nope')");
  }
  EXPECT_EQ(lua_top(), top);
}

TEST_F(LuaRules, WrongResultTypesAreRefused) {
  lua().load_rule_file(write("bad.lua", "RegisterInsightRule{ Name = 'Odd', Title = 't',\n"
                                        "  Evaluate = function(s) return true, 'high' end }"));
  try {
    rules.find("Odd")->evaluate(partner_stats(1, 1), {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "rule Odd (" + (dir / "bad.lua").string() +
                                         "): Evaluate must return fires, value, recommendation; "
                                         "value is a string, not a number");
  }
}

TEST_F(LuaRules, InfiniteLoopStopsWithNamedErrorAndOtherRulesStillRun) {
  LuaLimits limits;
  limits.rule_instructions = 200'000;
  lua(limits).load_rule_file(write("loop.lua", R"(
RegisterInsightRule{ Name = "Loop", Title = "loops",
  Evaluate = function() local ok = pcall(function() while true do end end) while true do end end }
)"));
  lua().load_rule_file(write("plain.lua", kPlainRule));
  int top = lua_top();
  try {
    rules.find("Loop")->evaluate(partner_stats(1, 1), {});
    FAIL();
  } catch (const LuaError& e) {
    EXPECT_EQ(std::string(e.what()),
              "rule Loop exceeded its instruction budget of 200000 instructions (MAILFLOW_LUA_BUDGET)");
  }
  EXPECT_EQ(lua_top(), top);
  EXPECT_TRUE(rules.find("Plain")->evaluate(partner_stats(50, 50), {}).fires);
}

TEST_F(LuaRules, UnboundedAllocationStopsWithNamedErrorAndOtherRulesStillRun) {
  LuaLimits limits;
  limits.rule_memory = 8u << 20;
  lua(limits).load_rule_file(write("hog.lua", R"(
RegisterInsightRule{ Name = "Hog", Title = "eats memory",
  Evaluate = function() local t = {} while true do t[#t + 1] = string.rep("x", 4096) .. #t end end }
)"));
  lua().load_rule_file(write("plain.lua", kPlainRule));
  try {
    rules.find("Hog")->evaluate(partner_stats(1, 1), {});
    FAIL();
  } catch (const LuaError& e) {
    EXPECT_EQ(std::string(e.what()), "out of memory in rule Hog (cap 8 MB, MAILFLOW_LUA_MEMORY_MB)");
  }
  EXPECT_TRUE(rules.find("Plain")->evaluate(partner_stats(50, 50), {}).fires);
}

// One runaway or failing rule once cancelled every insight: now it becomes
// a warning naming it and the other rules' rows still come.
TEST_F(LuaRules, FailingRuleIsAWarningAndTheOthersStillReport) {
  LuaLimits limits;
  limits.rule_instructions = 200'000;
  lua(limits).load_rule_file(write("loop.lua", R"(
RegisterInsightRule{ Name = "Loop", Title = "loops", Evaluate = function() while true do end end }
RegisterInsightRule{ Name = "Fails", Title = "fails", Evaluate = function() error("no data") end }
)"));
  lua().load_rule_file(write("plain.lua", kPlainRule));
  InsightRequest request;
  request.rules = {rules.find("Loop"), rules.find("Plain"), rules.find("Fails")};
  std::vector<std::string> warnings;
  std::vector<InsightFinding> findings = evaluate_insights({partner_stats(50, 50)}, request, &warnings);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule, "Plain");
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0],
            "rule Loop exceeded its instruction budget of 200000 instructions (MAILFLOW_LUA_BUDGET) "
            "(rule Loop skipped; the other rules' findings are shown)");
  EXPECT_NE(warnings[1].find("rule Fails: "), std::string::npos) << warnings[1];
  EXPECT_NE(warnings[1].find("no data"), std::string::npos) << warnings[1];
  // Without a warnings list (callers that want the error) it propagates.
  EXPECT_THROW(evaluate_insights({partner_stats(50, 50)}, request), LuaError);
}

// A backtracking pattern in a rule stops at the rule's wall-clock deadline
// even with an unlimited instruction budget.
TEST_F(LuaRules, PatternInARuleStopsAtTheDeadline) {
  LuaLimits limits;
  limits.rule_instructions = 0;
  limits.rule_seconds = 1;
  lua(limits).load_rule_file(write("slow.lua", R"(
RegisterInsightRule{ Name = "Slow", Title = "slow",
  Evaluate = function(s) return (s.Connector:rep(8)):find(".-.-.-.-.-.-.-.-.-.-x") ~= nil end }
)"));
  try {
    rules.find("Slow")->evaluate(partner_stats(1, 1), {});
    FAIL();
  } catch (const LuaError& e) {
    EXPECT_EQ(e.id(), "LuaTimeLimitExceeded");
    EXPECT_EQ(std::string(e.what()), "rule Slow exceeded its time limit of 1 s (MAILFLOW_LUA_RULE_SECONDS)");
  }
}

// exit(7) inside a rule ended the host; exit(2^40) exited 0.
TEST_F(LuaRules, RuleCannotExitAndExitStatusMustFit) {
  lua().load_rule_file(write("quit.lua", R"(
RegisterInsightRule{ Name = "Quit", Title = "quits", Evaluate = function() exit(7) end }
)"));
  try {
    rules.find("Quit")->evaluate(partner_stats(1, 1), {});
    FAIL();
  } catch (const LuaError& e) {
    EXPECT_NE(std::string(e.what()).find("exit: a rule cannot end mailflow"), std::string::npos) << e.what();
  }
  try {
    lua().load_rule_file(write("quit_file.lua", "exit(3)"));
    FAIL();
  } catch (const LuaError& e) {
    EXPECT_NE(std::string(e.what()).find("exit: a rule cannot end mailflow"), std::string::npos) << e.what();
  }
  EXPECT_NE(script_error("exit(2^40)").find("exit: status 1099511627776 is out of range (0 to 255)"), std::string::npos);
  EXPECT_NE(script_error("exit(-1)").find("exit: status -1 is out of range (0 to 255)"), std::string::npos);
  EXPECT_EQ(script("exit(255)"), 255);
}

// A name with a NUL was accepted as its prefix; a parameter named like one
// of Get-MailFlowInsights's own (-Days) silently took its value.
TEST_F(LuaRules, NulInNameAndClashingParameterAreRefused) {
  CmdletSpec insights;
  insights.name = "Get-MailFlowInsights";
  ParamSpec days;
  days.name = "Days";
  days.type = ParamType::Int;
  insights.parameters.push_back(days);
  registry.add(insights);
  auto error_of = [&](const std::string& text) {
    try {
      lua().load_rule_file(write("def.lua", text));
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error_of("RegisterInsightRule{ Name = 'Tls\\0Evil', Title = 't', Evaluate = print }")
                .find("Name 'Tls\\x00Evil' must be letters, digits and _"),
            std::string::npos);
  EXPECT_EQ(rules.find("Tls"), nullptr);
  EXPECT_NE(error_of("RegisterInsightRule{ Name = 'D', Title = 't', Evaluate = print, Parameters = { { Name = 'days', Default = 3 } } }")
                .find("RegisterInsightRule D: parameter days clashes with Get-MailFlowInsights's own -Days"),
            std::string::npos);
  EXPECT_TRUE(rules.all().empty());
}

TEST_F(LuaRules, BadDefinitionsAreClearErrors) {
  auto error_of = [&](const std::string& text) {
    try {
      lua().load_rule_file(write("def.lua", text));
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  std::string at = (dir / "def.lua").string() + ":1: ";
  EXPECT_EQ(error_of("RegisterInsightRule{ Name = 'X', Title = 't' }"),
            at + "RegisterInsightRule: Evaluate must be a function(stats, params)");
  EXPECT_EQ(error_of("RegisterInsightRule{ Name = 'no spaces', Title = 't', Evaluate = print }"),
            at + "RegisterInsightRule: Name 'no spaces' must be letters, digits and _ (it is used as -Rule NAME)");
  EXPECT_EQ(error_of("RegisterInsightRule{ Name = 'X', Evaluate = print }"),
            at + "RegisterInsightRule: Title must be a string or a table of translations { en = ..., es = ... } (it is missing)");
  EXPECT_EQ(error_of("RegisterInsightRule{ Name = 'X', Title = 't', Evaluate = print, Parameters = { { Name = 'P' } } }"),
            at + "RegisterInsightRule X: parameter P needs a numeric Default");
  EXPECT_TRUE(rules.all().empty());
}

TEST_F(LuaRules, RuleDirectoryLoadsGoodFilesAndReportsBrokenOnes) {
  std::string rules_dir = (dir / "rules").string();
  write("rules/a_good.lua", kPlainRule);
  write("rules/b_syntax.lua", "RegisterInsightRule{ Name = 'Broken'\n  Title = 't' }");
  write("rules/c_runtime.lua", "local x = nil\nx.y = 1");
  write("rules/d_duplicate.lua", std::string("\n") + kPlainRule);
  write("rules/e_good.lua", "RegisterInsightRule{ Name = 'Second', Title = 't', Evaluate = function() return false end }");
  write("rules/notes.txt", "not a rule");
  std::ostringstream errors;
  int changes = 0;
  lua().on_rules_changed = [&] { ++changes; };
  EXPECT_EQ(lua().load_rule_dir(rules_dir, errors), 2);
  EXPECT_EQ(changes, 2);
  EXPECT_EQ(errors.str(),
            "mailflow: skipped rule file " + rules_dir + "/b_syntax.lua:2: '}' expected (to close '{' at line 1) near 'Title'\n"
            "mailflow: skipped rule file " + rules_dir + "/c_runtime.lua:2: attempt to index a nil value (local 'x')\n"
            "mailflow: skipped rule file " + rules_dir + "/d_duplicate.lua:3: insight rule 'Plain' is defined twice: in " +
                rules_dir + "/a_good.lua and in " + rules_dir + "/d_duplicate.lua\n");
  ASSERT_EQ(rules.all().size(), 2u);
  EXPECT_EQ(rules.all()[0]->name(), "Plain");
  EXPECT_EQ(rules.all()[1]->name(), "Second");
}

TEST_F(LuaRules, ARuleRegisteredThroughAHelperNamesTheRuleFile) {
  // A module (as stdlib's report.lua) whose function makes the call: the
  // rule still belongs to the file being loaded, not to the helper's file.
  write("lib/helper.lua", "return { reg = function(t) RegisterInsightRule(t) end }");
  lua().load_stdlib((dir / "lib").string());
  std::string rules_dir = (dir / "rules").string();
  write("rules/a.lua", "helper.reg{ Name = 'Mine', Title = 't', Evaluate = function() return false end }");
  write("rules/b.lua", "\nhelper.reg{ Name = 'Mine', Title = 't', Evaluate = function() return false end }");
  std::ostringstream errors;
  EXPECT_EQ(lua().load_rule_dir(rules_dir, errors), 1);
  ASSERT_NE(rules.find("Mine"), nullptr);
  EXPECT_EQ(rules.find("Mine")->source(), rules_dir + "/a.lua");
  EXPECT_NE(errors.str().find("defined twice: in " + rules_dir + "/a.lua and in " + rules_dir + "/b.lua"),
            std::string::npos)
      << errors.str();
}

TEST_F(LuaRules, MissingRuleDirectoryIsAnError) {
  std::ostringstream errors;
  try {
    lua().load_rule_dir((dir / "nope").string(), errors);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "--rules " + (dir / "nope").string() + ": not a directory");
  }
}

}  // namespace mailflow
