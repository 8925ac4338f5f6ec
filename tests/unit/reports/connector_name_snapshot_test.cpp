// ConnectorNameSnapshot: the store's connector names read once answer every
// name as connector_spellings does, and Get-MailFlowInsights resolves the
// names its rules ask for (PlainTextRise: Get-TlsUsage -Connector per
// connector) from one read instead of one scan of the daily rollup per name.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>

#include "core/error.h"
#include "lua/lua_runtime.h"
#include "reports/connector_names.h"
#include "reports/report_fixture.h"
#include "store/store_overview.h"

namespace mailflow::testing {

namespace {

// The statements this connection starts while it lives (one at a time:
// sqlite3_trace_v2 keeps one callback per connection).
class StatementLog {
 public:
  explicit StatementLog(Database& db) : db_(db) {
    sqlite3_trace_v2(db_.handle(), SQLITE_TRACE_STMT, &StatementLog::on_statement, this);
  }
  ~StatementLog() { sqlite3_trace_v2(db_.handle(), 0, nullptr, nullptr); }
  int count(const std::string& part) const {
    return static_cast<int>(std::count_if(sql_.begin(), sql_.end(),
                                          [&](const std::string& s) { return s.find(part) != std::string::npos; }));
  }
  void clear() { sql_.clear(); }

 private:
  static int on_statement(unsigned, void* self, void* stmt, void*) {
    const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(stmt));
    static_cast<StatementLog*>(self)->sql_.push_back(sql ? sql : "");
    return 0;
  }
  Database& db_;
  std::vector<std::string> sql_;
};

class ConnectorNameSnapshotTest : public ReportFixture {
 protected:
  void SetUp() override {
    ReportFixture::SetUp();
    add({trace("2026-11-20T08:00:00Z", Direction::Inbound, "Fabrikam Inbound", TlsVersion::Tls12),
         trace("2026-11-20T09:00:00Z", Direction::Inbound, std::nullopt, TlsVersion::Tls12),
         trace("2026-11-21T09:00:00Z", Direction::Outbound, "fabrikam inbound", TlsVersion::Tls12)});
    define_connector("FABRIKAM Inbound", Direction::Inbound, "Partner", false);  // a third spelling
    define_connector("Contoso to Relay", Direction::Outbound, "OnPremises", true);  // no traffic
  }
};

}  // namespace

TEST_F(ConnectorNameSnapshotTest, AnswersEveryNameAsTheQueryDoes) {
  ConnectorNameSnapshot snapshot(*store_);
  for (const char* name : {"fabrikam INBOUND", "Fabrikam Inbound", "contoso TO relay", "Contoso to Relay", "Fabrikam",
                           "Nope", "Fabrikam Inbound "}) {
    EXPECT_EQ(snapshot.spellings(name), connector_spellings(*store_, name)) << name;
  }
  EXPECT_EQ(resolve_connector(*store_, "contoso to relay", &snapshot), (std::vector<std::string>{"Contoso to Relay"}));
  EXPECT_EQ(snapshot.spellings("fabrikam inbound").size(), 3u);
  // The same errors as without.
  for (const char* name : {"Nope", ""}) {
    std::string with, without;
    try {
      resolve_connector(*store_, name, &snapshot);
    } catch (const Error& e) {
      with = e.id() + ": " + e.what();
    }
    try {
      resolve_connector(*store_, name);
    } catch (const Error& e) {
      without = e.id() + ": " + e.what();
    }
    EXPECT_FALSE(with.empty()) << name;
    EXPECT_EQ(with, without);
  }
}

TEST_F(ConnectorNameSnapshotTest, ReadsTheNamesOnceAndAgainAfterAChange) {
  ConnectorNameSnapshot snapshot(*store_);
  StatementLog log(store_->db());
  for (int i = 0; i < 5; ++i) resolve_connector(*store_, "fabrikam inbound", &snapshot);
  EXPECT_EQ(log.count("FROM daily_rollup"), 1);
  // This connection changed the store: read again, the new name is known.
  add({trace("2026-11-21T10:00:00Z", Direction::Inbound, "Northwind", TlsVersion::Tls13)});
  log.clear();
  EXPECT_EQ(resolve_connector(*store_, "NORTHWIND", &snapshot), (std::vector<std::string>{"Northwind"}));
  EXPECT_EQ(log.count("FROM daily_rollup"), 1);
}

// As shipped, PlainTextRise calls Get-TlsUsage -Connector for every
// connector and direction it judges: no per-name scan of the rollup.
TEST_F(ConnectorNameSnapshotTest, GetMailFlowInsightsResolvesNamesFromOneRead) {
  InsightRuleSet stdlib_rules;
  std::atomic<bool> interrupted{false};
  session_.rules = &stdlib_rules;
  session_.interrupted = &interrupted;
  LuaRuntime lua(session_, LuaLimits{});
  lua.load_stdlib(MAILFLOW_SOURCE_STDLIB);
  // Traffic in the week before too, so that PlainTextRise compares.
  add({trace("2026-11-12T08:00:00Z", Direction::Inbound, "Fabrikam Inbound", TlsVersion::Tls12),
       trace("2026-11-13T08:00:00Z", Direction::Outbound, "fabrikam inbound", TlsVersion::None)});
  auto expected = rows(run("Get-MailFlowInsights", params({{"Rule", Value(Array{Value("PlainTextRise")})}})));
  ASSERT_EQ(expected.size(), 0u);  // nothing rose; the calls are what counts here
  const std::string per_name = "FROM daily_rollup WHERE connector = ?1";
  const std::string all_names = "SELECT DISTINCT connector FROM daily_rollup WHERE connector <> ''";
  StatementLog log(store_->db());
  run("Get-MailFlowInsights", params({{"Rule", Value(Array{Value("PlainTextRise")})}}));
  EXPECT_GE(log.count("GROUP BY"), 3);  // the statistics and the two Get-TlsUsage calls
  EXPECT_EQ(log.count(per_name), 0);
  EXPECT_EQ(log.count(all_names), 1);
  EXPECT_EQ(session_.connector_names, nullptr);  // only while the rules run
  // Get-TlsUsage on its own still resolves with the query.
  log.clear();
  run("Get-TlsUsage", params({{"Connector", Value("FABRIKAM inbound")}}));
  EXPECT_EQ(log.count(per_name), 1);
  EXPECT_EQ(log.count(all_names), 0);
}

}  // namespace mailflow::testing
