// Proves with SQLite's own query planner and authorizer that Get-MessageTrace
// is served by an index and that the aggregate reports read only the rollup.
#include <sqlite3.h>

#include <set>

#include "reports/report_fixture.h"
#include "reports/rollup_query.h"
#include "store/dictionary_values.h"
#include "store/store_fixture.h"
#include "store/trace_dictionary.h"
#include "store/trace_query.h"

namespace mailflow::testing {

using QueryPlan = ReportFixture;

TEST_F(QueryPlan, MessageTraceOverADateRangeUsesTheReceivedIndexWithoutSorting) {
  TraceQuery q;
  q.from = at("2026-11-16T00:00:00Z");
  q.to = at("2026-11-23T00:00:00Z");
  q.limit = 1000;
  std::string plan = plan_of(store_->db(), trace_query_sql(q));
  EXPECT_TRUE(contains(plan, "SEARCH traces USING INDEX traces_received_fingerprint (received>? AND received<?)")) << plan;
  EXPECT_FALSE(contains(plan, "TEMP B-TREE")) << plan;
  // Other filters ride along on the same index.
  q.where.direction = Direction::Outbound;
  q.where.tls = TlsVersion::None;
  q.where.sender_globs = {"*@contoso.com"};
  q.where.status = "Delivered";
  plan = plan_of(store_->db(), trace_query_sql(q));
  EXPECT_TRUE(contains(plan, "USING INDEX traces_received_fingerprint (received>? AND received<?)")) << plan;
  EXPECT_FALSE(contains(plan, "TEMP B-TREE")) << plan;
}

TEST_F(QueryPlan, MessageTraceForAConnectorUsesTheConnectorIndex) {
  TraceQuery q;
  q.from = 0;
  q.to = 86400;
  q.where.connectors = {"Contoso-Partner"};
  std::string plan = plan_of(store_->db(), trace_query_sql(q));
  EXPECT_TRUE(contains(plan, "USING INDEX traces_connector_received (connector=? AND received>? AND received<?)"))
      << plan;
  EXPECT_FALSE(contains(plan, "TEMP B-TREE")) << plan;
  q.where.connectors.clear();
  q.where.no_connector = true;
  plan = plan_of(store_->db(), trace_query_sql(q));
  EXPECT_TRUE(contains(plan, "USING INDEX traces_connector_received (connector=? AND received>? AND received<?)"))
      << plan;
}

// Each filter of Get-MessageTrace on its own (issue #19: every query the
// code runs is checked against the plan): the rows come off one of the two
// trace_rows indexes in order, never from a scan of trace_rows or a sort,
// and a condition on a string picks its dictionary ids once (a LIST or
// SCALAR SUBQUERY, not one correlated with each row).
TEST_F(QueryPlan, EveryMessageTraceFilterIsServedByAnIndex) {
  struct Case {
    const char* name;
    void (*set)(TraceFilter&);
    const char* index;
    bool sorts = false;
  };
  const std::string by_range = "SEARCH traces USING INDEX traces_received_fingerprint (received>? AND received<?)";
  const std::string by_connector =
      "SEARCH traces USING INDEX traces_connector_received (connector=? AND received>? AND received<?)";
  const Case cases[] = {
      {"direction", [](TraceFilter& f) { f.direction = Direction::Inbound; }, "range"},
      {"tls", [](TraceFilter& f) { f.tls = TlsVersion::Tls10; }, "range"},
      {"sender", [](TraceFilter& f) { f.sender_globs = {"*@contoso.com"}; }, "range"},
      {"recipient", [](TraceFilter& f) { f.recipient_globs = {"ann.lee@*"}; }, "range"},
      // A domain or one address: tested on the rows the range reads, as
      // any pattern (store/address_index_test.cpp).
      {"sender address", [](TraceFilter& f) { f.sender_globs = {"ann.lee@contoso.com"}; }, "range"},
      {"recipient domain", [](TraceFilter& f) { f.recipient_globs = {"*@fabrikam.com"}; }, "range"},
      {"status", [](TraceFilter& f) { f.status = "failed"; }, "range"},
      {"received", [](TraceFilter& f) { f.received_from = 3600; }, "range"},
      {"connector", [](TraceFilter& f) { f.connectors = {"Contoso-Partner"}; }, "connector"},
      // Several stored spellings of one connector: each comes off the index
      // in order, and SQLite sorts their union (a sorter that keeps at most
      // LIMIT + OFFSET rows), as it did before the compact store.
      {"connectors", [](TraceFilter& f) { f.connectors = {"Contoso-Partner", "contoso-partner"}; }, "connector",
       true},
      {"no connector", [](TraceFilter& f) { f.no_connector = true; }, "connector"},
  };
  for (const Case& c : cases) {
    TraceQuery q;
    q.from = 0;
    q.to = 86400;
    q.limit = 1000;
    q.offset = 2000;
    c.set(q.where);
    std::string plan = plan_of(store_->db(), trace_query_sql(q));
    EXPECT_TRUE(contains(plan, std::string(c.index) == "range" ? by_range : by_connector)) << c.name << "\n" << plan;
    EXPECT_FALSE(contains(plan, "SCAN traces")) << c.name << "\n" << plan;
    EXPECT_EQ(contains(plan, "TEMP B-TREE"), c.sorts) << c.name << "\n" << plan;
    EXPECT_FALSE(contains(plan, "CORRELATED")) << c.name << "\n" << plan;
    // The page reads trace_rows only: its strings come from the cursor's
    // lookups (DictionaryValues), not joins.
    for (const char* table : {"hosts", "ips", "ciphers", "trust_levels"})
      EXPECT_FALSE(contains(plan, table)) << c.name << "\n" << plan;
  }
}

// One value by id, as DictionaryValues::value looks it up: found by rowid,
// never a scan of the dictionary, whose addresses run to tens of
// thousands. (The read-ahead moves a blob handle by rowid: no statement.)
TEST_F(QueryPlan, DictionaryValuesAreFoundByRowid) {
  const auto& tables = trace_dictionary_tables();
  ASSERT_FALSE(tables.empty());
  for (std::size_t i = 0; i < tables.size(); ++i) {
    std::string table(tables[i]);
    std::string plan = plan_of(store_->db(), dictionary_value_sql(static_cast<int>(i)));
    EXPECT_TRUE(contains(plan, "SEARCH " + table + " USING INTEGER PRIMARY KEY (rowid=?)")) << table << "\n" << plan;
  }
}

TEST_F(QueryPlan, RollupQueriesSearchThePrimaryKeyByDay) {
  for (RollupGrouping g : {RollupGrouping::DayDirectionConnector, RollupGrouping::DirectionConnectorTls,
                           RollupGrouping::DirectionTls}) {
    std::string plan = plan_of(store_->db(), rollup_query_sql(g));
    EXPECT_TRUE(contains(plan, "SEARCH daily_rollup USING PRIMARY KEY (day>? AND day<?)")) << plan;
    EXPECT_FALSE(contains(plan, "traces")) << plan;
  }
}

TEST_F(QueryPlan, ReportsNeverReadTheTraceTable) {
  add_example_traffic();
  std::set<std::string> tables;
  sqlite3_set_authorizer(
      store_->db().handle(),
      [](void* out, int action, const char* table, const char*, const char*, const char*) {
        if (action == SQLITE_READ && table) static_cast<std::set<std::string>*>(out)->insert(table);
        return SQLITE_OK;
      },
      &tables);
  auto tls = run("Get-TlsUsage", params({{"ByConnector", true}, {"Connector", "Contoso-Partner"}}));
  auto report = run("Get-ConnectorReport", params({{"Days", 30}}));
  auto view = run("Get-ConnectorReport", params({{"View", "TlsUsage"}, {"NoConnector", true}}));
  auto summary = run("Get-TlsUsage", params({{"Direction", "Inbound"}}));
  auto insights = run("Get-MailFlowInsights");
  sqlite3_set_authorizer(store_->db().handle(), nullptr, nullptr);
  EXPECT_FALSE(tls.empty());
  EXPECT_FALSE(report.empty());
  EXPECT_FALSE(insights.empty());
  EXPECT_TRUE(tables.count("daily_rollup"));
  EXPECT_FALSE(tables.count("traces"));
  EXPECT_FALSE(tables.count("trace_rows"));
  // And they still give the same numbers with the trace table (and its view) gone.
  auto before = rows(run("Get-ConnectorReport"));
  store_->db().exec("DROP VIEW traces; DROP TABLE trace_rows");
  EXPECT_EQ(rows(run("Get-ConnectorReport")), before);
  EXPECT_EQ(run("Get-MailFlowInsights").size(), 2u);
}

}  // namespace mailflow::testing
