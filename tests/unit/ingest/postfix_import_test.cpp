// Postfix logs through the real importer: connector attribution at import,
// Update-ConnectorAttribution equal to a fresh import, growing-log re-imports.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "import_fixture.h"
#include "ingest/importer.h"
#include "ingest/reattribution.h"
#include "store/connector_store.h"

namespace mailflow {
namespace {

class PostfixImport : public testing::ImportFixture {
 protected:
  static std::string capture() {
    std::ifstream in(std::string(MAILFLOW_TEST_DATA) + "/postfix/mx1-maillog.log");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  ImportOptions options() {
    ImportOptions o;
    o.format = "Auto";
    o.reader.year = 2026;
    o.reader.time_zone = "UTC";
    o.reader.internal_networks = {"127.0.0.1/32", "::1/128"};
    return o;
  }
  void add_connector(const char* name, Direction d, std::vector<std::string> ips, std::vector<std::string> domains,
                     std::vector<std::string> hosts = {}) {
    Connector c;
    c.name = name;
    c.direction = d;
    c.sender_ips = parse_ip_ranges(ips, "SenderIPAddresses");
    if (d == Direction::Inbound) c.sender_domains = parse_domain_patterns(domains, "SenderDomains");
    else c.recipient_domains = parse_domain_patterns(domains, "RecipientDomains");
    c.smart_hosts = parse_smart_hosts(hosts);
    ConnectorStore(*store_).insert(c);
  }
  std::vector<std::string> by_connector() {
    return rows("SELECT direction, coalesce(connector, '(none)'), count(*) FROM traces GROUP BY 1, 2 ORDER BY 1, 2");
  }
};

TEST_F(PostfixImport, AttributesConnectorsAtImport) {
  add_connector("Fabrikam IP", Direction::Inbound, {"127.0.0.2/32"}, {});
  add_connector("Tailspin", Direction::Inbound, {}, {"tailspin.example"});
  add_connector("Smart host", Direction::Outbound, {}, {}, {"smarthost.relay.example"});
  add_connector("Partners", Direction::Outbound, {}, {"*.example"});
  std::string file = write_file("mx1.log", capture());
  ImportSummary s = import_trace_file(*store_, file, options());
  EXPECT_EQ(s.format, "Postfix");
  EXPECT_EQ(s.imported, 19);
  EXPECT_EQ(s.refused, 2);
  EXPECT_EQ(s.rejected, 0);
  EXPECT_EQ(by_connector(), (std::vector<std::string>{"0|(none)|1", "0|Fabrikam IP|2", "0|Tailspin|3",
                                                      "1|Partners|12", "1|Smart host|1"}));
  EXPECT_EQ(scalar("SELECT count(*) FROM refused_connections"), 2);
  expect_rollup_matches_traces();
}

TEST_F(PostfixImport, UpdateConnectorAttributionEqualsAFreshImport) {
  std::string file = write_file("mx1.log", capture());
  import_trace_file(*store_, file, options());
  EXPECT_EQ(by_connector(), (std::vector<std::string>{"0|(none)|6", "1|(none)|13"}));
  add_connector("Fabrikam IP", Direction::Inbound, {"127.0.0.0/29"}, {});
  add_connector("Fabrikam host", Direction::Inbound, {"127.0.0.2"}, {});
  add_connector("Litware", Direction::Outbound, {}, {"litware.example"});
  ReattributionSummary r = reattribute_connectors(*store_, 0, 4102444800);
  EXPECT_EQ(r.examined, 19);
  EXPECT_EQ(r.changed, 7);
  auto updated = by_connector();
  auto rollup = rows("SELECT * FROM daily_rollup ORDER BY 1, 2, 3, 4, 5");
  expect_rollup_matches_traces();
  // Re-importing the same file now adds nothing.
  ImportSummary again = import_trace_file(*store_, file, options());
  EXPECT_EQ(again.imported, 0);
  EXPECT_EQ(again.duplicates, 19);
  // A fresh store importing with the same connectors gives the same result.
  std::vector<std::string> want_rollup = rollup;
  store_.reset();
  std::filesystem::remove(dir_ / "store.db");
  store_ = std::make_unique<TraceStore>((dir_ / "fresh.db").string());
  add_connector("Fabrikam IP", Direction::Inbound, {"127.0.0.0/29"}, {});
  add_connector("Fabrikam host", Direction::Inbound, {"127.0.0.2"}, {});
  add_connector("Litware", Direction::Outbound, {}, {"litware.example"});
  import_trace_file(*store_, file, options());
  EXPECT_EQ(by_connector(), updated);
  EXPECT_EQ(rows("SELECT * FROM daily_rollup ORDER BY 1, 2, 3, 4, 5"), want_rollup);
  // 127.0.0.2 (2 messages) by the /32, 127.0.0.3 and .4 (4) by the /29.
  EXPECT_EQ(updated, (std::vector<std::string>{"0|Fabrikam IP|4", "0|Fabrikam host|2", "1|(none)|12",
                                               "1|Litware|1"}));
}

TEST_F(PostfixImport, CanonicalTracesKeepTheirConnector) {
  std::string csv = write_file("t.csv", std::string(testing::kCanonicalHeader) +
                                            "2026-11-23T10:00:00Z,Inbound,,TLS1.2,,sam@fabrikam.example,"
                                            "a@contoso.com,mx.fabrikam.example,127.0.0.2,10,Delivered,\n");
  import_trace_file(*store_, csv, options());
  add_connector("Fabrikam IP", Direction::Inbound, {"127.0.0.2"}, {});
  EXPECT_EQ(reattribute_connectors(*store_, 0, 4102444800).examined, 0);
  EXPECT_EQ(by_connector(), std::vector<std::string>{"0|(none)|1"});
}

TEST_F(PostfixImport, GrowingLogReimportAddsOnlyTheNewRecords) {
  std::string all = capture();
  // Cut the log in the middle of the outbound section, inside a message.
  size_t cut = all.find("to=<tom@tailspin.example>, relay=mx.tailspin.example");
  ASSERT_NE(cut, std::string::npos);
  cut = all.rfind('\n', cut) + 1;
  std::string file = write_file("mx1.log", all.substr(0, cut));
  ImportSummary first = import_trace_file(*store_, file, options());
  write_file("mx1.log", all);  // the log grew
  ImportSummary second = import_trace_file(*store_, file, options());
  // The cut message was in flight at the end of the shorter file: left to
  // the next import (which has all its lines), not flushed incomplete; in
  // the whole log only the message still deferred at its end is.
  EXPECT_EQ(first.incomplete, 0);
  EXPECT_EQ(second.incomplete, 1);
  EXPECT_EQ(first.imported + second.imported, 19);
  EXPECT_EQ(second.duplicates, first.imported);
  EXPECT_EQ(scalar("SELECT count(*) FROM traces"), 19);
  EXPECT_EQ(scalar("SELECT count(*) FROM refused_connections"), 2);
  expect_rollup_matches_traces();
}

}  // namespace
}  // namespace mailflow
