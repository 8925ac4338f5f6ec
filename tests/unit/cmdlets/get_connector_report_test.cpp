// Expected numbers worked out by hand from ReportFixture::add_example_traffic:
// Delivered only, UTC days, default range 2026-11-16 .. 2026-11-22.
#include "reports/report_fixture.h"

namespace mailflow::testing {

using ConnectorReport = ReportFixture;

TEST_F(ConnectorReport, AllMailFlowListsEveryDayForEachConnectorAndDirection) {
  add_example_traffic();
  auto out = run("Get-ConnectorReport");
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(names(out[0]), (std::vector<std::string>{"Date", "Direction", "Connector", "Messages"}));
  EXPECT_TRUE(out[0].as_record().value(0).is_date());
  EXPECT_TRUE(out[0].as_record().value(1 + 1).is_null());  // no connector is nil, not ""
  // Four groups with traffic in the range x seven days. 2026-11-16 has the
  // 00:00:00 and the 23:59:59 messages; 2026-11-18 has one (the other Failed);
  // 2026-11-15 23:59:59 and 2026-11-23 00:00:00 fall outside.
  EXPECT_EQ(rows(out), (std::vector<std::string>{
      "2026-11-16|Inbound|(null)|0", "2026-11-16|Inbound|Contoso-Partner|2",
      "2026-11-16|Outbound|(null)|0", "2026-11-16|Outbound|OnPrem-Relay|0",
      "2026-11-17|Inbound|(null)|0", "2026-11-17|Inbound|Contoso-Partner|1",
      "2026-11-17|Outbound|(null)|0", "2026-11-17|Outbound|OnPrem-Relay|0",
      "2026-11-18|Inbound|(null)|0", "2026-11-18|Inbound|Contoso-Partner|1",
      "2026-11-18|Outbound|(null)|0", "2026-11-18|Outbound|OnPrem-Relay|0",
      "2026-11-19|Inbound|(null)|0", "2026-11-19|Inbound|Contoso-Partner|0",
      "2026-11-19|Outbound|(null)|0", "2026-11-19|Outbound|OnPrem-Relay|4",
      "2026-11-20|Inbound|(null)|1", "2026-11-20|Inbound|Contoso-Partner|0",
      "2026-11-20|Outbound|(null)|0", "2026-11-20|Outbound|OnPrem-Relay|0",
      "2026-11-21|Inbound|(null)|0", "2026-11-21|Inbound|Contoso-Partner|0",
      "2026-11-21|Outbound|(null)|2", "2026-11-21|Outbound|OnPrem-Relay|0",
      "2026-11-22|Inbound|(null)|1", "2026-11-22|Inbound|Contoso-Partner|0",
      "2026-11-22|Outbound|(null)|0", "2026-11-22|Outbound|OnPrem-Relay|0",
  }));
}

TEST_F(ConnectorReport, OneConnectorIsMatchedIgnoringCaseAndKeepsItsOneDirection) {
  add_example_traffic();
  auto out = run("Get-ConnectorReport", params({{"Connector", "contoso-partner"},
                                                {"StartDate", date("2026-11-15")},
                                                {"EndDate", date("2026-11-18")}}));
  EXPECT_EQ(rows(out), (std::vector<std::string>{
      "2026-11-15|Inbound|Contoso-Partner|0", "2026-11-16|Inbound|Contoso-Partner|2",
      "2026-11-17|Inbound|Contoso-Partner|1", "2026-11-18|Inbound|Contoso-Partner|1"}));
}

TEST_F(ConnectorReport, NoConnectorAndDirectionFilters) {
  add_example_traffic();
  auto out = run("Get-ConnectorReport", params({{"NoConnector", true}, {"Direction", "Outbound"},
                                                {"Days", 2}, {"EndDate", date("2026-11-21")}}));
  EXPECT_EQ(rows(out), (std::vector<std::string>{"2026-11-20|Outbound|(null)|0",
                                                 "2026-11-21|Outbound|(null)|2"}));
  // Contoso-Partner carries no outbound traffic: nothing to list.
  EXPECT_TRUE(run("Get-ConnectorReport", params({{"Connector", "Contoso-Partner"},
                                                 {"Direction", "Outbound"}})).empty());
}

TEST_F(ConnectorReport, DayBoundariesFollowUtcWhateverTheOffsetGiven) {
  add_example_traffic();
  // 2026-11-17T01:00+02:00 is 2026-11-16 23:00 UTC: the range is the UTC day 2026-11-16.
  auto out = run("Get-ConnectorReport", params({{"Connector", "Contoso-Partner"},
                                                {"StartDate", date("2026-11-17T01:00:00+02:00")},
                                                {"EndDate", date("2026-11-17T01:00:00+02:00")}}));
  EXPECT_EQ(rows(out), (std::vector<std::string>{"2026-11-16|Inbound|Contoso-Partner|2"}));
  out = run("Get-ConnectorReport", params({{"NoConnector", true}, {"Direction", "Inbound"},
                                           {"StartDate", date("2026-11-15")}, {"Days", 1}}));
  EXPECT_EQ(rows(out), (std::vector<std::string>{"2026-11-15|Inbound|(null)|1"}));
}

TEST_F(ConnectorReport, EmptyRangeGivesNoRows) {
  add_example_traffic();
  EXPECT_TRUE(run("Get-ConnectorReport", params({{"EndDate", date("2026-10-31")}})).empty());
  // A defined connector with no traffic in the range is known but has no rows.
  EXPECT_TRUE(run("Get-ConnectorReport", params({{"Connector", "Unused-Connector"}})).empty());
}

TEST_F(ConnectorReport, TlsUsageViewIsGetTlsUsageByConnector) {
  add_example_traffic();
  auto view = run("Get-ConnectorReport", params({{"View", "TlsUsage"}, {"Direction", "Inbound"}}));
  auto direct = run("Get-TlsUsage", params({{"ByConnector", true}, {"Direction", "Inbound"}}));
  EXPECT_EQ(rows(view), rows(direct));
  EXPECT_EQ(rows(view), (std::vector<std::string>{
      "Inbound|(null)|TLS1.3|1|50", "Inbound|(null)|TLS1.2|1|50",
      "Inbound|Contoso-Partner|TLS1.2|1|25", "Inbound|Contoso-Partner|TLS1.0|1|25",
      "Inbound|Contoso-Partner|None|2|50"}));
}

TEST_F(ConnectorReport, Errors) {
  add_example_traffic();
  EXPECT_EQ(error_of("Get-ConnectorReport", params({{"Connector", "Nope"}})),
            "-Connector 'Nope' is not a known connector; known: Contoso-Partner, OnPrem-Relay, "
            "Unused-Connector");
  EXPECT_EQ(error_of("Get-ConnectorReport", params({{"Connector", ""}})),
            "-Connector needs a connector name; use -NoConnector for traffic without one");
  EXPECT_EQ(error_of("Get-ConnectorReport", params({{"Connector", "OnPrem-Relay"}, {"NoConnector", true}})),
            "-Connector and -NoConnector exclude each other; give one of them");
  EXPECT_EQ(error_of("Get-ConnectorReport", params({{"View", "Pie"}})),
            "-View 'Pie' is not MailFlow or TlsUsage");
  EXPECT_EQ(error_of("Get-ConnectorReport", params({{"Direction", "Sideways"}})),
            "-Direction 'Sideways' is not Inbound or Outbound");
  EXPECT_EQ(error_of("Get-ConnectorReport", params({{"StartDate", "2026-13-01"}})),
            "-StartDate '2026-13-01' is not a date (expected YYYY-MM-DD or ISO-8601, e.g. "
            "2026-11-16T08:15:02Z)");
  EXPECT_EQ(error_of("Get-ConnectorReport", params({{"Days", 31}})),
            "-Days 31 is longer than the 30-day maximum (MaxReportDays; change it with "
            "Set-MailFlowConfig -MaxReportDays N)");
  EXPECT_EQ(error_of("Get-ConnectorReport", params({{"Days", 2.5}})),
            "-Days '2.5' is not a whole number of days");
  EXPECT_EQ(error_of("Get-ConnectorReport", params({{"StartDate", date("2026-11-20")},
                                                   {"EndDate", date("2026-11-19")}})),
            "-StartDate 2026-11-20 is after -EndDate 2026-11-19");
}

TEST_F(ConnectorReport, UnknownConnectorInAnEmptyStoreSaysNoneAreKnown) {
  EXPECT_EQ(error_of("Get-ConnectorReport", params({{"Connector", "Any"}})),
            "-Connector 'Any' is not a known connector; known: (none)");
}

}  // namespace mailflow::testing
