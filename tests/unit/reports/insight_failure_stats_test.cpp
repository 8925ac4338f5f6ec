// The failure counts of the insight statistics (TLS readiness, issue #15)
// are read only when a selected rule reads them (InsightRule::reads_failures):
// the counts when they are, and the same traffic statistics either way.
// Today 2026-11-22; range 2026-11-16 .. 2026-11-22, the period before
// 2026-11-09 .. 2026-11-15.
#include <gtest/gtest.h>

#include "core/error.h"
#include "reports/insights.h"
#include "reports/report_fixture.h"
#include "store/tls_failure_store.h"

namespace mailflow::testing {

namespace {

// Reads the failure counts of connectors' traffic without judging failures
// (ReadsFailures = true in Lua); remembers what it was handed.
class FailureReader : public InsightRule {
 public:
  const std::string& name() const override { return name_; }
  std::string title(const std::map<std::string, double>&) const override { return "Failures on traffic"; }
  const std::vector<RuleParameter>& parameters() const override { return params_; }
  const std::string& source() const override { return name_; }
  bool reads_failures() const override { return true; }
  RuleVerdict evaluate(const InsightStats& stats, const std::map<std::string, double>&) override {
    seen.push_back(stats);
    RuleVerdict v;
    v.fires = stats.tls_failures > 0;
    v.value = static_cast<double>(stats.tls_failures);
    return v;
  }
  std::vector<InsightStats> seen;

 private:
  std::string name_ = "FailureReader";
  std::vector<RuleParameter> params_;
};

class InsightFailureStats : public ReportFixture {
 protected:
  void SetUp() override {
    ReportFixture::SetUp();
    const auto In = Direction::Inbound;
    const auto Out = Direction::Outbound;
    add({
        trace("2026-11-17T08:00:00Z", In, "Contoso-Partner", TlsVersion::Tls12),
        trace("2026-11-17T09:00:00Z", In, "Contoso-Partner", TlsVersion::None),
        trace("2026-11-19T08:00:00Z", Out, "OnPrem-Relay", TlsVersion::Tls10),
    });
    // Contoso-Partner and its peer fabrikam.com: 3 in the range, 1 before.
    fail("2026-11-12T08:00:00Z", In, "mx.fabrikam.com", "203.0.113.1", "Contoso-Partner");
    fail("2026-11-17T08:00:00Z", In, "mx.fabrikam.com", "203.0.113.1", "Contoso-Partner");
    fail("2026-11-18T08:00:00Z", In, "mx.fabrikam.com", "203.0.113.1", "Contoso-Partner");
    fail("2026-11-20T08:00:00Z", In, "mx.fabrikam.com", "203.0.113.1", "Contoso-Partner");
    // A connector with failures and no traffic: 2 in the range.
    fail("2026-11-21T08:00:00Z", In, "mx.tailspin.com.au", "192.0.2.10", "Failing-Only");
    fail("2026-11-22T08:00:00Z", In, "mx.tailspin.com.au", "192.0.2.10", "Failing-Only");
    // Outbound without a connector: counted for the peer only.
    fail("2026-11-19T08:00:00Z", Out, "mx.example.co.uk", "192.0.2.9", std::nullopt);
    // Before the period before: not counted.
    fail("2026-11-01T08:00:00Z", In, "mx.fabrikam.com", "203.0.113.1", "Contoso-Partner");
    filter_.range = {*parse_date("2026-11-16"), *parse_date("2026-11-22")};
  }

  void fail(const char* time, Direction d, const char* host, const char* ip, std::optional<std::string> connector) {
    TraceWriter w(*store_);
    add_tls_failure(*store_, {at(time), d, std::string(host), std::string(ip), connector, "SSL_accept", "SSL_accept"},
                    ++failures_, std::nullopt);
    w.commit();
  }

  // direction|connector|peer|messages|failures|before
  static std::vector<std::string> lines(const std::vector<InsightStats>& stats) {
    std::vector<std::string> out;
    for (const InsightStats& s : stats)
      out.push_back(std::string(direction_name(s.direction)) + "|" + s.connector + "|" + s.peer + "|" +
                    std::to_string(s.messages) + "|" + std::to_string(s.tls_failures) + "|" +
                    std::to_string(s.tls_failures_before));
    return out;
  }

  ReportFilter filter_;
  std::int64_t failures_ = 0;
};

}  // namespace

TEST_F(InsightFailureStats, CountedFailuresAreThoseOfTheRangeAndThePeriodBefore) {
  auto stats = insight_stats(*store_, filter_, true);
  EXPECT_EQ(lines(stats), (std::vector<std::string>{
                              "Inbound|Contoso-Partner||2|3|1",
                              "Inbound|Failing-Only||0|2|0",
                              "Outbound|OnPrem-Relay||1|0|0",
                              "Inbound||fabrikam.com|0|3|1",
                              "Inbound||tailspin.com.au|0|2|0",
                              "Outbound||example.co.uk|0|1|0",
                          }));
  for (const InsightStats& s : stats) EXPECT_TRUE(s.failures_counted);
  // The two-argument form counts them, as before.
  EXPECT_EQ(lines(insight_stats(*store_, filter_)), lines(stats));
}

TEST_F(InsightFailureStats, WithoutFailuresTheTrafficStatisticsAreTheSame) {
  auto with = insight_stats(*store_, filter_, true);
  auto without = insight_stats(*store_, filter_, false);
  EXPECT_EQ(lines(without), (std::vector<std::string>{"Inbound|Contoso-Partner||2|0|0", "Outbound|OnPrem-Relay||1|0|0"}));
  ASSERT_EQ(without.size(), 2u);
  for (const InsightStats& s : without) EXPECT_FALSE(s.failures_counted);
  // Everything but the failure counts equals the traffic statistics counted with them.
  for (size_t i = 0, j = 0; i < without.size(); ++i, ++j) {
    while (with[j].messages == 0) ++j;
    EXPECT_EQ(without[i].connector, with[j].connector);
    EXPECT_EQ(without[i].direction, with[j].direction);
    EXPECT_EQ(without[i].count, with[j].count);
    EXPECT_EQ(without[i].percent, with[j].percent);
    EXPECT_EQ(without[i].start_date, with[j].start_date);
  }
}

TEST_F(InsightFailureStats, NeededExactlyWhenARuleReadsThem) {
  FailureReader reader;
  InsightRule* no_tls = rules_.find("NoTls");
  EXPECT_FALSE(needs_failure_counts({}));
  EXPECT_FALSE(needs_failure_counts({no_tls, rules_.find("Tls10")}));
  EXPECT_TRUE(needs_failure_counts({no_tls, &reader}));
}

TEST_F(InsightFailureStats, ARuleThatReadsFailuresRefusesStatisticsWithoutThem) {
  FailureReader reader;
  InsightRequest request;
  request.rules = {&reader};
  try {
    evaluate_insights(insight_stats(*store_, filter_, false), request);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.id(), "FailuresNotCounted");
    EXPECT_NE(std::string(e.what()).find("FailureReader"), std::string::npos);
  }
  // A rule that does not read them is content.
  request.rules = {rules_.find("NoTls")};
  EXPECT_NO_THROW(evaluate_insights(insight_stats(*store_, filter_, false), request));
}

// Get-MailFlowInsights counts the failures when a selected rule reads them,
// and hands that rule the right counts; not otherwise.
TEST_F(InsightFailureStats, GetMailFlowInsightsCountsThemOnlyForARuleThatReadsThem) {
  auto owned = std::make_unique<FailureReader>();
  FailureReader* reader = owned.get();
  rules_.add(std::move(owned));
  auto* no_tls = dynamic_cast<TlsShareRule*>(rules_.find("NoTls"));
  ASSERT_NE(no_tls, nullptr);

  run("Get-MailFlowInsights", params({{"Rule", Value(Array{Value("NoTls")})}}));
  EXPECT_EQ(no_tls->evaluations, 2);
  EXPECT_FALSE(no_tls->last_stats.failures_counted);
  EXPECT_TRUE(reader->seen.empty());

  auto rows_of = run("Get-MailFlowInsights", params({{"Rule", Value(Array{Value("FailureReader")})}}));
  // Traffic rule: the connectors with traffic only, with their counts.
  EXPECT_EQ(lines(reader->seen), (std::vector<std::string>{"Inbound|Contoso-Partner||2|3|1", "Outbound|OnPrem-Relay||1|0|0"}));
  ASSERT_EQ(rows_of.size(), 1u);  // Contoso-Partner's 3
  EXPECT_EQ(no_tls->evaluations, 2);  // not selected

  // All rules: the share rules get the same traffic statistics, now with counts.
  reader->seen.clear();
  run("Get-MailFlowInsights");
  EXPECT_EQ(reader->seen.size(), 2u);
  EXPECT_TRUE(no_tls->last_stats.failures_counted);
  EXPECT_EQ(no_tls->evaluations, 4);
}

}  // namespace mailflow::testing
