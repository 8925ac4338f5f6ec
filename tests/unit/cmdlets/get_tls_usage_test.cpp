// Expected numbers worked out by hand from ReportFixture::add_example_traffic.
#include "reports/report_fixture.h"

namespace mailflow::testing {

using TlsUsage = ReportFixture;

TEST_F(TlsUsage, ProtectedInTransitSummaryPerDirection) {
  add_example_traffic();
  auto out = run("Get-TlsUsage");
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(names(out[0]), (std::vector<std::string>{"Direction", "TlsVersion", "Messages", "Percent"}));
  EXPECT_TRUE(out[0].as_record().value(3).is_double());
  // Inbound 6 delivered: TLS1.3 1 (news 11-20), TLS1.2 2 (Contoso 11-16, news 11-22 23:59:59),
  // TLS1.0 1, None 2.  Outbound 6: TLS1.3 2, TLS1.2 1, TLS1.0 3.
  EXPECT_EQ(rows(out), (std::vector<std::string>{
      "Inbound|TLS1.3|1|16.67", "Inbound|TLS1.2|2|33.33", "Inbound|TLS1.0|1|16.67",
      "Inbound|None|2|33.33", "Outbound|TLS1.3|2|33.33", "Outbound|TLS1.2|1|16.67",
      "Outbound|TLS1.0|3|50"}));
}

TEST_F(TlsUsage, ByConnectorGroupsEachConnectorAndDirection) {
  add_example_traffic();
  auto out = run("Get-TlsUsage", params({{"ByConnector", true}}));
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(names(out[0]),
            (std::vector<std::string>{"Direction", "Connector", "TlsVersion", "Messages", "Percent"}));
  EXPECT_EQ(rows(out), (std::vector<std::string>{
      "Inbound|(null)|TLS1.3|1|50", "Inbound|(null)|TLS1.2|1|50",
      "Inbound|Contoso-Partner|TLS1.2|1|25", "Inbound|Contoso-Partner|TLS1.0|1|25",
      "Inbound|Contoso-Partner|None|2|50",
      "Outbound|(null)|TLS1.3|2|100",
      "Outbound|OnPrem-Relay|TLS1.2|1|25", "Outbound|OnPrem-Relay|TLS1.0|3|75"}));
}

TEST_F(TlsUsage, ConnectorFiltersWithoutByConnectorKeepTheSummaryShape) {
  add_example_traffic();
  auto out = run("Get-TlsUsage", params({{"Connector", "ONPREM-RELAY"}}));
  EXPECT_EQ(rows(out), (std::vector<std::string>{"Outbound|TLS1.2|1|25", "Outbound|TLS1.0|3|75"}));
  out = run("Get-TlsUsage", params({{"NoConnector", true}, {"Direction", "Inbound"}}));
  EXPECT_EQ(rows(out), (std::vector<std::string>{"Inbound|TLS1.3|1|50", "Inbound|TLS1.2|1|50"}));
}

TEST_F(TlsUsage, OneDayAtTheBoundaries) {
  add_example_traffic();
  // 2026-11-16: Contoso TLS1.2 at 00:00:00 and None at 23:59:59.
  auto out = run("Get-TlsUsage", params({{"StartDate", date("2026-11-16")}, {"EndDate", date("2026-11-16")}}));
  EXPECT_EQ(rows(out), (std::vector<std::string>{"Inbound|TLS1.2|1|50", "Inbound|None|1|50"}));
  // 2026-11-23 (past --now, asked explicitly): only the 00:00:00 message.
  out = run("Get-TlsUsage", params({{"StartDate", date("2026-11-23")}, {"Days", 1}}));
  EXPECT_EQ(rows(out), (std::vector<std::string>{"Inbound|TLS1.2|1|100"}));
}

TEST_F(TlsUsage, RoundsToTwoDecimalsHalfAwayFromZero) {
  // 1 of 8 None = 12.5; 7 of 8 TLS1.2 = 87.5; 1 of 3 = 33.33; 2 of 3 = 66.67.
  std::vector<Trace> t;
  for (int i = 0; i < 7; ++i)
    t.push_back(trace("2026-11-20T10:00:00Z", Direction::Inbound, "A", TlsVersion::Tls12,
                      "s" + std::to_string(i) + "@x.example"));
  t.push_back(trace("2026-11-20T11:00:00Z", Direction::Inbound, "A", TlsVersion::None));
  t.push_back(trace("2026-11-20T11:00:00Z", Direction::Outbound, "A", TlsVersion::Tls11));
  t.push_back(trace("2026-11-20T11:00:00Z", Direction::Outbound, "A", TlsVersion::Tls13, "p@x.example"));
  t.push_back(trace("2026-11-20T11:00:00Z", Direction::Outbound, "A", TlsVersion::Tls13, "q@x.example"));
  add(t);
  EXPECT_EQ(rows(run("Get-TlsUsage")), (std::vector<std::string>{
      "Inbound|TLS1.2|7|87.5", "Inbound|None|1|12.5",
      "Outbound|TLS1.3|2|66.67", "Outbound|TLS1.1|1|33.33"}));
}

TEST_F(TlsUsage, EmptyStoreAndEmptyRangeGiveNoRows) {
  EXPECT_TRUE(run("Get-TlsUsage").empty());
  add_example_traffic();
  EXPECT_TRUE(run("Get-TlsUsage", params({{"EndDate", date("2026-11-01")}, {"ByConnector", true}})).empty());
}

TEST_F(TlsUsage, Errors) {
  add_example_traffic();
  EXPECT_EQ(error_of("Get-TlsUsage", params({{"Connector", "Fabrikam"}})),
            "-Connector 'Fabrikam' is not a known connector; known: Contoso-Partner, OnPrem-Relay, "
            "Unused-Connector");
  EXPECT_EQ(error_of("Get-TlsUsage", params({{"EndDate", "yesterday"}})),
            "-EndDate 'yesterday' is not a date (expected YYYY-MM-DD or ISO-8601, e.g. "
            "2026-11-16T08:15:02Z)");
  EXPECT_EQ(error_of("Get-TlsUsage", params({{"StartDate", date("2026-09-01")}})),
            "the range 2026-09-01 to 2026-11-22 is 83 days, longer than the 30-day maximum "
            "(MaxReportDays; change it with Set-MailFlowConfig -MaxReportDays N)");
}

}  // namespace mailflow::testing
