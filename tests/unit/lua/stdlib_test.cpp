// The shipped stdlib: dates, report helpers, the built-in rules NoTls and
// Tls10, and the Lua cmdlets Get-TlsTrend and Compare-MailFlow (over a
// stand-in Get-TlsUsage that answers from a fixed table, and records the
// ranges it was asked for).
#include <gtest/gtest.h>

#include "core/trace.h"
#include "lua/lua_api.h"
#include "reports/percent.h"
#include "lua_fixture.h"

namespace mailflow {

namespace {

struct UsageRow {
  const char* day;
  const char* direction;
  const char* connector;  // nullptr: no connector
  const char* tls;
  std::int64_t messages;
};

// Two weeks of traffic: Fabrikam moves from TLS1.0 to TLS1.2.
const UsageRow kUsage[] = {
    {"2026-11-10", "Inbound", "Fabrikam", "TLS1.0", 8},  {"2026-11-10", "Inbound", "Fabrikam", "TLS1.2", 2},
    {"2026-11-11", "Inbound", "Fabrikam", "TLS1.0", 6},  {"2026-11-11", "Inbound", nullptr, "None", 4},
    {"2026-11-17", "Inbound", "Fabrikam", "TLS1.2", 9},  {"2026-11-17", "Inbound", "Fabrikam", "TLS1.0", 1},
    {"2026-11-18", "Outbound", "Contoso", "None", 5},    {"2026-11-18", "Inbound", nullptr, "TLS1.3", 4},
};

// Get-TlsUsage [-StartDate] [-EndDate] [-Direction] [-Connector] [-NoConnector] [-ByConnector]
CmdletSpec fake_tls_usage(std::vector<std::string>* calls) {
  CmdletSpec c;
  c.name = "Get-TlsUsage";
  for (const char* n : {"StartDate", "EndDate", "Direction", "Connector"}) {
    ParamSpec p;
    p.name = n;
    c.parameters.push_back(p);
  }
  for (const char* n : {"NoConnector", "ByConnector"}) {
    ParamSpec p;
    p.name = n;
    p.type = ParamType::Switch;
    c.parameters.push_back(p);
  }
  c.run = [calls](Session&, const BoundParameters& p, std::unique_ptr<RecordStream>) -> std::unique_ptr<RecordStream> {
    std::string a = *p.string("StartDate"), b = *p.string("EndDate");
    calls->push_back(a + ".." + b);
    bool by = p.flag("ByConnector");
    // Sum per (direction, connector?, version), then percent per group.
    std::map<std::string, std::int64_t> sums, totals;
    for (const UsageRow& r : kUsage) {
      std::string day = r.day;
      if (day < a.substr(0, 10) || day > b.substr(0, 10)) continue;
      if (auto d = p.string("Direction"); d && *d != r.direction) continue;
      std::string conn = r.connector ? r.connector : "";
      if (auto c = p.string("Connector"); c && *c != conn) continue;
      if (p.flag("NoConnector") && r.connector) continue;
      std::string group = std::string(r.direction) + "|" + (by ? conn : "");
      sums[group + "|" + r.tls] += r.messages;
      totals[group] += r.messages;
    }
    std::vector<Value> out;
    for (auto& [key, n] : sums) {
      auto parts = split(key, '|');
      double pct = static_cast<double>(n * 10000 / totals[parts[0] + "|" + parts[1]]) / 100.0;
      if (by)
        out.push_back(make_record({"Direction", "Connector", "TlsVersion", "Messages", "Percent"},
                                  {Value(parts[0]), parts[1].empty() ? Value() : Value(parts[1]),
                                   Value(parts[2]), Value(n), Value(pct)}));
      else
        out.push_back(make_record({"Direction", "TlsVersion", "Messages", "Percent"},
                                  {Value(parts[0]), Value(parts[2]), Value(n), Value(pct)}));
    }
    return std::make_unique<VectorStream>(std::move(out));
  };
  return c;
}

InsightStats stats_of(const char* type, Direction dir, std::int64_t none, std::int64_t tls10,
                      std::int64_t tls12) {
  InsightStats s;
  s.connector = "Fabrikam";
  s.connector_type = type;
  s.direction = dir;
  s.messages = none + tls10 + tls12;
  for (TlsVersion v : kTlsReportOrder) s.count[v] = 0;
  s.count[TlsVersion::None] = none;
  s.count[TlsVersion::Tls10] = tls10;
  s.count[TlsVersion::Tls12] = tls12;
  for (auto& [v, n] : s.count) s.percent[v] = 100.0 * static_cast<double>(n) / static_cast<double>(s.messages);
  return s;
}

}  // namespace

class Stdlib : public LuaFixture {
 protected:
  void SetUp() override {
    LuaFixture::SetUp();
    registry.add(fake_tls_usage(&calls));
    lua().load_stdlib(MAILFLOW_SOURCE_STDLIB);
  }
  std::string value(const std::string& expr) {
    std::string out = repl(expr);
    if (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }
  std::vector<std::string> calls;
};

TEST_F(Stdlib, DatesAreRelativeToNow) {
  EXPECT_EQ(value("dates.today()"), "2026-11-22");
  EXPECT_EQ(value("dates.add('2026-11-22', -6)"), "2026-11-16");
  EXPECT_EQ(value("dates.add('2026-12-31', 1)"), "2027-01-01");
  EXPECT_EQ(value("dates.add('2024-02-28T10:00:00Z', 1)"), "2024-02-29");
  EXPECT_EQ(value("dates.diff('2026-11-01', '2026-11-30')"), "29");
  EXPECT_EQ(value("dates.weekday('2026-11-22')"), "7");  // a Sunday
  EXPECT_EQ(value("dates.week('2026-11-22')"), "2026-11-16\t2026-11-22");
  EXPECT_EQ(value("dates.month('2026-02')"), "2026-02-01\t2026-02-28");
  EXPECT_EQ(value("dates.previous_month('2026-01-15')"), "2025-12-01\t2025-12-31");
  EXPECT_EQ(value("dates.last_days(7)"), "2026-11-16\t2026-11-22");
  EXPECT_EQ(value("#dates.days('2026-11-01', '2026-11-30')"), "30");
  EXPECT_EQ(value("#dates.weeks('2026-11-01', '2026-11-30')"), "6");
  EXPECT_EQ(value("dates.weeks('2026-11-01', '2026-11-30')[2][1]"), "2026-11-02");
  EXPECT_EQ(value("dates.resolve({ Days = 3 }, 7)"), "2026-11-20\t2026-11-22");
  EXPECT_EQ(value("dates.resolve({ EndDate = '2026-11-10T00:00:00Z' }, 7)"), "2026-11-04\t2026-11-10");
  EXPECT_EQ(value("dates.is_date('2026-02-30')"), "false");
  try {
    repl("local x = dates.add('yesterday', 1)");
    FAIL();
  } catch (const LuaError& e) {
    EXPECT_EQ(std::string(e.what()), "stdin:1: dates: 'yesterday' is not a date (expected YYYY-MM-DD)");
  }
}

TEST_F(Stdlib, ReportHelpers) {
  repl("rows = { { C = 'b', N = 2 }, { C = 'a', N = 5 }, { C = nil, N = 1 }, { C = 'b', N = 3 } }");
  EXPECT_EQ(value("report.sum(rows, 'N')"), "11");
  EXPECT_EQ(value("#report.where(rows, function(r) return r.N > 1 end)"), "3");
  EXPECT_EQ(value("report.sort_by(rows, 'N', true)[1].C"), "a");
  EXPECT_EQ(value("report.sort_by(rows, 'C')[1].N"), "1");
  EXPECT_EQ(value("(function() local g, k = report.group_by(rows, 'C') return #g.b, k[3] end)()"), "2\t(none)");
  EXPECT_EQ(value("report.percent(1, 3)"), "33.33");
  EXPECT_EQ(value("report.percent(1, 0)"), "0.0");
  EXPECT_EQ(value("report.round(2.345, 2)"), "2.35");
  EXPECT_EQ(value("report.connector(nil)"), "(none)");
  repl("r = report.record({ 'Z', 'A' }, { A = 1, Z = 2 })");
  auto r = lua().get_variable("r");
  EXPECT_EQ(r->front().as_record().schema().names(), (std::vector<std::string>{"Z", "A"}));
}

// One rounding rule: report.round and report.percent round as the engine
// does (reports/percent.h: half away from zero), also below zero, where
// rounding half up (the old Lua rule) gave -2 for -2.5.
TEST_F(Stdlib, ReportRoundsAsTheEngineRounds) {
  EXPECT_EQ(value("report.round(2.5)"), "3");
  EXPECT_EQ(value("report.round(-2.5)"), "-3");
  EXPECT_EQ(value("report.round(-0.125, 2)"), std::to_string(round_to(-0.125, 2)).substr(0, 5));
  EXPECT_EQ(value("report.round(-0.125, 2)"), "-0.13");
  EXPECT_EQ(value("report.round(0.125, 2)"), "0.13");
  EXPECT_EQ(value("math.type(report.round(7.4))"), "integer");
  // Counts go through the engine's integer percent_of.
  EXPECT_EQ(value("report.percent(1, 8)"), "12.5");
  EXPECT_EQ(value("report.percent(-1, 8)"), "-12.5");
  EXPECT_EQ(value("report.percent(1, 3)"), std::to_string(percent_of(1, 3)).substr(0, 5));
  EXPECT_EQ(value("report.percent(-1, 400)"), "-0.25");
  EXPECT_EQ(value("report.percent(-1, 800)"), "-0.13");  // -0.125 away from zero
}

TEST_F(Stdlib, TlsVersionsComeFromTheEngine) {
  EXPECT_EQ(value("table.concat(mailflow.tls_versions, ',')"), "None,TLS1.0,TLS1.1,TLS1.2,TLS1.3,Unknown");
  EXPECT_EQ(value("table.concat(mailflow.tls_report_order, ',')"), "TLS1.3,TLS1.2,TLS1.1,TLS1.0,None");
  std::string joined;
  for (const std::string& name : tls_version_names()) joined += (joined.empty() ? "" : ",") + name;
  EXPECT_EQ(value("table.concat(mailflow.tls_versions, ',')"), joined);
  try {
    repl("report.share_rule{ Name = 'X', Version = 'SSL3', Threshold = { Name = 'T' } }");
    FAIL();
  } catch (const LuaError& e) {
    EXPECT_NE(std::string(e.what()).find("Version is TLS1.3, TLS1.2, TLS1.1, TLS1.0 or None, not SSL3"),
              std::string::npos);
  }
}

TEST_F(Stdlib, LuaDateRangesAreTheEngines) {
  EXPECT_EQ(value("mailflow.date_range({})"), "2026-11-16\t2026-11-22");
  EXPECT_EQ(value("mailflow.date_range({}, 28)"), "2026-10-26\t2026-11-22");
  // -StartDate with -Days: the N days starting on StartDate (dates.lua once
  // ignored Days and ran to today).
  EXPECT_EQ(value("dates.resolve({ StartDate = '2026-11-01', Days = 7 })"), "2026-11-01\t2026-11-07");
  std::string err = script_error("mailflow.date_range({ StartDate = '2026-10-01' })");
  EXPECT_NE(err.find("the range 2026-10-01 to 2026-11-22 is 53 days, longer than the 30-day maximum (MaxReportDays"),
            std::string::npos) << err;
  err = script_error("mailflow.date_range({ StartDate = 'soon' })");
  EXPECT_NE(err.find("-StartDate 'soon' is not a date"), std::string::npos) << err;
}

TEST_F(Stdlib, BuiltInRulesAreRegisteredWithTheDashboardDefaults) {
  ASSERT_NE(rules.find("NoTls"), nullptr);
  ASSERT_NE(rules.find("Tls10"), nullptr);
  EXPECT_EQ(rules.find("NoTls")->title({}), "No TLS is over 25%");
  EXPECT_EQ(rules.find("Tls10")->title({}), "TLS 1.0 is above 50%");
  EXPECT_EQ(rules.find("NoTls")->title({{"NoTlsThreshold", 10}}), "No TLS is over 10%");
  EXPECT_EQ(rules.find("NoTls")->parameters()[0].name, "NoTlsThreshold");
  EXPECT_EQ(rules.find("Tls10")->parameters()[0].name, "Tls10Threshold");
}

TEST_F(Stdlib, NoTlsFiresStrictlyAboveTheThreshold) {
  InsightRule& r = *rules.find("NoTls");
  EXPECT_FALSE(r.evaluate(stats_of("Partner", Direction::Inbound, 25, 0, 75), {}).fires);  // exactly 25%
  RuleVerdict v = r.evaluate(stats_of("Partner", Direction::Inbound, 26, 0, 74), {});
  EXPECT_TRUE(v.fires);
  EXPECT_DOUBLE_EQ(v.value, 26);
  EXPECT_DOUBLE_EQ(v.threshold, 25);
  EXPECT_NE(v.recommendation->find("Contact the partner that owns this connector"), std::string::npos);
  v = r.evaluate(stats_of("OnPremises", Direction::Outbound, 30, 0, 70), {{"NoTlsThreshold", 10}});
  EXPECT_DOUBLE_EQ(v.threshold, 10);
  EXPECT_NE(v.recommendation->find("Turn on STARTTLS on your on-premises mail server"), std::string::npos);
  v = r.evaluate(stats_of("", Direction::Inbound, 30, 0, 70), {});
  EXPECT_NE(v.recommendation->find("Check the sending server"), std::string::npos);
  EXPECT_FALSE(r.evaluate(stats_of("", Direction::Inbound, 30, 0, 70), {{"NoTlsThreshold", 30}}).fires);
}

TEST_F(Stdlib, Tls10FiresStrictlyAboveTheThreshold) {
  InsightRule& r = *rules.find("Tls10");
  EXPECT_FALSE(r.evaluate(stats_of("Partner", Direction::Inbound, 0, 50, 50), {}).fires);
  RuleVerdict v = r.evaluate(stats_of("Partner", Direction::Inbound, 0, 60, 40), {});
  EXPECT_TRUE(v.fires);
  EXPECT_DOUBLE_EQ(v.value, 60);
  EXPECT_NE(v.recommendation->find("ask them to upgrade their mail servers to TLS 1.2"), std::string::npos);
  v = r.evaluate(stats_of("OnPremises", Direction::Inbound, 0, 60, 40), {});
  EXPECT_NE(v.recommendation->find("Upgrade your on-premises mail server to TLS 1.2"), std::string::npos);
  v = r.evaluate(stats_of("", Direction::Outbound, 0, 60, 40), {});
  EXPECT_NE(v.recommendation->find("Check the receiving servers"), std::string::npos);
}

TEST_F(Stdlib, GetTlsTrendFollowsAConnectorWeekByWeek) {
  ASSERT_NE(registry.find("Get-TlsTrend"), nullptr);
  repl("t = GetTlsTrend{ Connector = 'Fabrikam', Days = 14 }");
  EXPECT_EQ(calls, (std::vector<std::string>{"2026-11-09..2026-11-15", "2026-11-16..2026-11-22"}));
  auto rows = *lua().get_variable("t");
  ASSERT_EQ(rows.size(), 4u);  // 2 weeks x {TLS1.2, TLS1.0}
  EXPECT_EQ(rows[0].to_display(),
            "@{Period=2026-11-09; PeriodEnd=2026-11-15; Direction=Inbound; Connector=Fabrikam; Peer=; TlsVersion=TLS1.2; Messages=2; Percent=12.5; Change=}");
  EXPECT_EQ(rows[1].to_display(),
            "@{Period=2026-11-09; PeriodEnd=2026-11-15; Direction=Inbound; Connector=Fabrikam; Peer=; TlsVersion=TLS1.0; Messages=14; Percent=87.5; Change=}");
  EXPECT_EQ(rows[3].to_display(),
            "@{Period=2026-11-16; PeriodEnd=2026-11-22; Direction=Inbound; Connector=Fabrikam; Peer=; TlsVersion=TLS1.0; Messages=1; Percent=10; Change=-77.5}");
}

TEST_F(Stdlib, GetTlsTrendByDayFillsMissingVersionsWithZero) {
  repl("t = GetTlsTrend{ Connector = 'Fabrikam', By = 'Day', StartDate = '2026-11-10', EndDate = '2026-11-12' }");
  EXPECT_EQ(calls.size(), 3u);
  auto rows = *lua().get_variable("t");
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[2].to_display(),
            "@{Period=2026-11-11; PeriodEnd=2026-11-11; Direction=Inbound; Connector=Fabrikam; Peer=; TlsVersion=TLS1.2; Messages=0; Percent=0; Change=-20}");
  EXPECT_EQ(rows[5].as_record().get("Messages")->as_int(), 0);
}

TEST_F(Stdlib, GetTlsTrendRefusesBadRanges) {
  EXPECT_NE(script_error("GetTlsTrend{ Peer = 'fabrikam.com', Connector = 'x' }").find("leave out -Connector"),
            std::string::npos);
  EXPECT_NE(script_error("GetTlsTrend{ Connector = 'x', NoConnector = true }").find("give -Connector or -NoConnector, not both"),
            std::string::npos);
  // The range is resolved by the engine, with the engine's messages.
  EXPECT_NE(script_error("GetTlsTrend{ StartDate = '2026-11-22', EndDate = '2026-11-01' }").find("-StartDate 2026-11-22 is after -EndDate 2026-11-01"),
            std::string::npos);
  EXPECT_NE(script_error("GetTlsTrend{ StartDate = '2025-01-01', EndDate = '2026-11-01' }").find("is 670 days, longer than the 30-day maximum (MaxReportDays"),
            std::string::npos);
  EXPECT_TRUE(calls.empty());
}

// Get-TlsTrend -StartDate 2026-11-01 -Days 7 once covered 2026-11-01 to
// today (22 days) and never met MaxReportDays: dates.lua had its own rules.
TEST_F(Stdlib, GetTlsTrendTakesItsRangeFromTheEngine) {
  repl("t = GetTlsTrend{ StartDate = '2026-11-01', Days = 7, By = 'Day' }");
  ASSERT_EQ(calls.size(), 7u);
  EXPECT_EQ(calls.front(), "2026-11-01..2026-11-01");
  EXPECT_EQ(calls.back(), "2026-11-07..2026-11-07");
  calls.clear();
  repl("t = GetTlsTrend{ StartDate = '2026-11-01', Days = 7 }");  // 11-01 is a Sunday
  EXPECT_EQ(calls, (std::vector<std::string>{"2026-11-01..2026-11-01", "2026-11-02..2026-11-07"}));
  calls.clear();
  repl("t = GetTlsTrend{}");  // its own default: 28 days ending today
  EXPECT_EQ(calls.front(), "2026-10-26..2026-11-01");
  EXPECT_EQ(calls.back(), "2026-11-16..2026-11-22");
  std::string err = script_error("GetTlsTrend{ Days = 31 }");
  EXPECT_NE(err.find("-Days 31 is longer than the 30-day maximum (MaxReportDays"), std::string::npos) << err;
  // The shared sets, declared by name in Lua, are the C++ cmdlets' parameters.
  const CmdletSpec* trend = registry.find("Get-TlsTrend");
  ASSERT_NE(trend, nullptr);
  EXPECT_EQ(trend->parameters.front().name, "Connector");
  EXPECT_EQ(trend->parameters.front().position, 0);
  EXPECT_EQ(trend->parameter("Connector")->completion, Completion::Connector);
  EXPECT_EQ(trend->parameter("Direction")->validate_set, (std::vector<std::string>{"Inbound", "Outbound"}));
  EXPECT_NE(trend->parameter("Days")->help.find("default 28"), std::string::npos);
  EXPECT_EQ(registry.find("Compare-MailFlow")->parameter("NoConnector")->type, ParamType::Switch);
}

TEST_F(Stdlib, CompareMailFlowGivesDeltasAgainstThePreviousPeriod) {
  ASSERT_NE(registry.find("Compare-MailFlow"), nullptr);
  repl("c = CompareMailFlow{}");
  EXPECT_EQ(calls, (std::vector<std::string>{"2026-11-16..2026-11-22", "2026-11-09..2026-11-15"}));
  auto rows = *lua().get_variable("c");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].to_display(),
            "@{Direction=Inbound; Connector=; Messages=4; Previous=4; Delta=0; Change=0; TlsPercent=100; PreviousTlsPercent=0; TlsDelta=100}");
  EXPECT_EQ(rows[1].to_display(),
            "@{Direction=Inbound; Connector=Fabrikam; Messages=10; Previous=16; Delta=-6; Change=-37.5; TlsPercent=100; PreviousTlsPercent=100; TlsDelta=0}");
  EXPECT_EQ(rows[2].to_display(),
            "@{Direction=Outbound; Connector=Contoso; Messages=5; Previous=0; Delta=5; Change=; TlsPercent=0; PreviousTlsPercent=0; TlsDelta=0}");
}

}  // namespace mailflow

namespace mailflow {

// PlainTextRise (shipped, issue #15): the None share against the period of
// the same length before, read through Get-TlsUsage (the stand-in above:
// Fabrikam inbound had no plain text in 2026-11-09..15).
TEST_F(Stdlib, PlainTextRiseComparesWithThePeriodBefore) {
  ASSERT_NE(rules.find("PlainTextRise"), nullptr);
  EXPECT_EQ(rules.find("PlainTextRise")->title({{"PlainTextRisePoints", 10}}), "Plain text rose by more than 10 points");
  InsightRule& r = *rules.find("PlainTextRise");
  InsightStats s = stats_of("Partner", Direction::Inbound, 30, 10, 60);
  s.start_date = "2026-11-16";
  s.end_date = "2026-11-22";
  RuleVerdict v = r.evaluate(s, {{"PlainTextRisePoints", 10}});
  EXPECT_TRUE(v.fires);
  EXPECT_DOUBLE_EQ(v.value, 30);
  EXPECT_EQ(calls.back(), "2026-11-09..2026-11-15");
  EXPECT_NE(v.recommendation->find("went from 0.00% to 30.00%"), std::string::npos) << *v.recommendation;
  EXPECT_FALSE(r.evaluate(s, {{"PlainTextRisePoints", 30}}).fires);  // a rise of exactly 30 points
  InsightStats quiet = stats_of("Partner", Direction::Inbound, 5, 10, 85);
  quiet.start_date = "2026-11-16";
  quiet.end_date = "2026-11-22";
  EXPECT_FALSE(r.evaluate(quiet, {{"PlainTextRisePoints", 10}}).fires);
  InsightStats nothing_before = s;
  nothing_before.connector = "Contoso";
  EXPECT_FALSE(r.evaluate(nothing_before, {{"PlainTextRisePoints", 10}}).fires);
}

}  // namespace mailflow

namespace mailflow {

// TlsFailures (shipped, issue #15): strictly above the threshold, or at least
// twice the period before when that had any; evaluated on every connector
// and peer with failures (JudgesFailures), with stats.Peer for a peer.
TEST_F(Stdlib, TlsFailuresFiresAboveTheThresholdOrOnDoubling) {
  InsightRule* found = rules.find("TlsFailures");
  ASSERT_NE(found, nullptr);
  InsightRule& r = *found;
  EXPECT_TRUE(r.judges_failures());
  EXPECT_FALSE(rules.find("NoTls")->judges_failures());
  EXPECT_EQ(r.title({{"TlsFailuresThreshold", 10}}), "TLS handshake failures over 10 or doubled");
  ASSERT_EQ(r.parameters().size(), 1u);
  EXPECT_EQ(r.parameters()[0].name, "TlsFailuresThreshold");
  EXPECT_DOUBLE_EQ(r.parameters()[0].default_value, 10);
  auto judged = [&](std::int64_t now, std::int64_t before, double threshold, const std::string& peer = "") {
    InsightStats s;
    s.connector = peer.empty() ? "Fabrikam" : "";
    s.peer = peer;
    s.direction = Direction::Inbound;
    for (TlsVersion v : kTlsReportOrder) s.count[v] = 0, s.percent[v] = 0;
    s.start_date = "2026-11-16";
    s.end_date = "2026-11-22";
    s.tls_failures = now;
    s.tls_failures_before = before;
    return r.evaluate(s, {{"TlsFailuresThreshold", threshold}});
  };
  EXPECT_FALSE(judged(10, 0, 10).fires);  // exactly the threshold
  RuleVerdict over = judged(11, 0, 10);
  EXPECT_TRUE(over.fires);
  EXPECT_DOUBLE_EQ(over.value, 11);
  ASSERT_TRUE(over.recommendation);
  EXPECT_EQ(*over.recommendation,
            "11 failed TLS handshakes on connector 'Fabrikam' (0 in the period before). Get-TlsFailure -By Reason "
            "shows why; check the certificate and the TLS versions and ciphers both sides allow.");
  EXPECT_TRUE(judged(6, 3, 10).fires);   // doubled
  EXPECT_FALSE(judged(5, 3, 10).fires);  // not quite
  EXPECT_FALSE(judged(2, 0, 10).fires);  // nothing before: no doubling
  RuleVerdict peer = judged(4, 2, 10, "fabrikam.com");
  EXPECT_TRUE(peer.fires);
  EXPECT_EQ(peer.recommendation->substr(0, 53), "4 failed TLS handshakes with fabrikam.com (2 in the p");
  EXPECT_FALSE(judged(11, 0, 11).fires);  // the threshold in force
}

}  // namespace mailflow
