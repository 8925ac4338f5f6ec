// Expected findings worked out by hand from ReportFixture::add_example_traffic,
// default range 2026-11-16 .. 2026-11-22:
//   Inbound  Contoso-Partner (Partner):  4 delivered, None 2 = 50%, TLS1.0 1 = 25%
//   Outbound OnPrem-Relay (OnPremises):  4 delivered, None 0 = 0%,  TLS1.0 3 = 75%
//   traffic without a connector is never judged (Outbound none has 0% None/TLS1.0 anyway;
//   the test NoConnectorTrafficIsNotJudged makes it bad on purpose).
#include "cmdlets/mail_flow_config.h"
#include "reports/insights.h"
#include "reports/report_fixture.h"

namespace mailflow::testing {

using Insights = ReportFixture;

TEST_F(Insights, DefaultThresholdsFlagPlainTextAndTls10) {
  add_example_traffic();
  auto out = run("Get-MailFlowInsights");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(names(out[0]), (std::vector<std::string>{"Rule", "Title", "Direction", "Connector", "Value",
                                                     "Threshold", "Messages", "Recommendation"}));
  const Record& no_tls = out[0].as_record();
  EXPECT_EQ(no_tls.get("Rule")->as_string(), "NoTls");
  EXPECT_EQ(no_tls.get("Title")->as_string(), "No TLS is over 25%");
  EXPECT_EQ(no_tls.get("Direction")->as_string(), "Inbound");
  EXPECT_EQ(no_tls.get("Connector")->as_string(), "Contoso-Partner");
  EXPECT_EQ(no_tls.get("Value")->as_double(), 50.0);
  EXPECT_EQ(no_tls.get("Threshold")->as_double(), 25.0);
  EXPECT_EQ(no_tls.get("Messages")->as_int(), 4);
  EXPECT_EQ(no_tls.get("Recommendation")->as_string(),
            "No TLS is over 25% on inbound connector 'Contoso-Partner'. Contact the partner that "
            "owns connector 'Contoso-Partner' and ask them to enable TLS 1.2 or later on the "
            "servers that send to you through it; once they have, turn on -RequireTls for the "
            "connector.");
  const Record& tls10 = out[1].as_record();
  EXPECT_EQ(rows({out[1]})[0].substr(0, 59),
            "Tls10|TLS 1.0 is above 50%|Outbound|OnPrem-Relay|75|50|4|TL");
  EXPECT_NE(tls10.get("Recommendation")->as_string().find(
                "Upgrade or reconfigure your mail server behind connector 'OnPrem-Relay'"),
            std::string::npos);
}

TEST_F(Insights, ThresholdExactlyAtTheShareDoesNotFireJustBelowDoes) {
  add_example_traffic();
  EXPECT_TRUE(run("Get-MailFlowInsights", params({{"Rule", "NoTls"}, {"NoTlsThreshold", 50.0}})).empty());
  auto out = run("Get-MailFlowInsights", params({{"Rule", "NoTls"}, {"NoTlsThreshold", 49.99}}));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].as_record().get("Title")->as_string(), "No TLS is over 49.99%");
  EXPECT_TRUE(run("Get-MailFlowInsights", params({{"Rule", "Tls10"}, {"Tls10Threshold", 75}})).empty());
  EXPECT_EQ(run("Get-MailFlowInsights", params({{"Rule", "Tls10"}, {"Tls10Threshold", 74.99}})).size(), 1u);
  // Lowering Tls10Threshold below 25 also flags Contoso-Partner's 25% TLS 1.0 - but not at 25.
  EXPECT_EQ(run("Get-MailFlowInsights", params({{"Rule", "Tls10"}, {"Tls10Threshold", 25}})).size(), 1u);
  EXPECT_EQ(run("Get-MailFlowInsights", params({{"Rule", "Tls10"}, {"Tls10Threshold", 24.99}})).size(), 2u);
}

TEST_F(Insights, StoredThresholdAppliesUnlessTheParameterIsGiven) {
  add_example_traffic();
  run("Set-MailFlowConfig", params({{"NoTlsThreshold", 60.0}}));
  EXPECT_TRUE(run("Get-MailFlowInsights", params({{"Rule", "NoTls"}})).empty());
  auto out = run("Get-MailFlowInsights", params({{"Rule", "NoTls"}, {"NoTlsThreshold", 10}}));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].as_record().get("Threshold")->as_double(), 10.0);
  run("Set-MailFlowConfig", params({{"NoTlsThreshold", 40.5}}));
  out = run("Get-MailFlowInsights", params({{"Rule", "NoTls"}}));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].as_record().get("Title")->as_string(), "No TLS is over 40.5%");
}

TEST_F(Insights, MinMessagesSkipsSmallGroups) {
  add_example_traffic();
  EXPECT_EQ(run("Get-MailFlowInsights", params({{"MinMessages", 4}})).size(), 2u);
  EXPECT_TRUE(run("Get-MailFlowInsights", params({{"MinMessages", 5}})).empty());
}

TEST_F(Insights, RuleSelectsRulesCaseInsensitively) {
  add_example_traffic();
  auto out = run("Get-MailFlowInsights", params({{"Rule", Value(Array{Value("tls10")})}}));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].as_record().get("Rule")->as_string(), "Tls10");
}

TEST_F(Insights, NoConnectorTrafficIsNotJudged) {
  std::vector<Trace> t;
  for (int i = 0; i < 4; ++i)
    t.push_back(trace("2026-11-20T10:00:00Z", Direction::Inbound, std::nullopt, TlsVersion::None,
                      "s" + std::to_string(i) + "@x.example"));
  add(t);
  EXPECT_TRUE(run("Get-MailFlowInsights").empty());
}

TEST_F(Insights, ConnectorInOneDirectionOnlyIsJudgedInThatDirection) {
  add_example_traffic();
  auto* rule = static_cast<TlsShareRule*>(rules_.find("NoTls"));
  run("Get-MailFlowInsights", params({{"Rule", "NoTls"}}));
  // Groups judged: Inbound Contoso-Partner and Outbound OnPrem-Relay (no-connector traffic skipped).
  EXPECT_EQ(rule->evaluations, 2);
  EXPECT_EQ(rule->last_stats.connector, "OnPrem-Relay");
  EXPECT_EQ(rule->last_stats.direction, Direction::Outbound);
  EXPECT_EQ(rule->last_stats.connector_type, "OnPremises");
  EXPECT_TRUE(rule->last_stats.require_tls);
  EXPECT_EQ(rule->last_stats.messages, 4);
  EXPECT_EQ(rule->last_stats.count.at(TlsVersion::Tls10), 3);
  EXPECT_EQ(rule->last_stats.count.at(TlsVersion::Tls13), 0);
  EXPECT_EQ(rule->last_stats.percent.at(TlsVersion::Tls12), 25.0);
  EXPECT_EQ(rule->last_stats.start_date, "2026-11-16");
  EXPECT_EQ(rule->last_stats.end_date, "2026-11-22");
}

TEST_F(Insights, EmptyRangeGivesNoFindings) {
  add_example_traffic();
  EXPECT_TRUE(run("Get-MailFlowInsights", params({{"EndDate", date("2026-11-01")}})).empty());
}

TEST_F(Insights, RulesOwnRecommendationWins) {
  add_example_traffic();
  rules_.add(std::make_unique<TlsShareRule>("AnyTls12", TlsVersion::Tls12, "Tls12Threshold", 0,
                                            "Some TLS 1.2 (over %g%%)", "Nothing to do: TLS 1.2 is fine."));
  auto out = run("Get-MailFlowInsights", params({{"Rule", "AnyTls12"}}));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].as_record().get("Recommendation")->as_string(), "Nothing to do: TLS 1.2 is fine.");
}

TEST_F(Insights, Errors) {
  add_example_traffic();
  EXPECT_EQ(error_of("Get-MailFlowInsights", params({{"Rule", "NoSuchRule"}})),
            "-Rule 'NoSuchRule' is not a loaded insight rule; known: NoTls, Tls10");
  EXPECT_EQ(error_of("Get-MailFlowInsights", params({{"MinMessages", -1}})),
            "-MinMessages -1 is negative; give 0 or more");
  EXPECT_EQ(error_of("Get-MailFlowInsights", params({{"NoTlsThreshold", "high"}})),
            "-NoTlsThreshold needs a number, not 'high'");
  EXPECT_EQ(error_of("Get-MailFlowInsights", params({{"Days", 40}})),
            "-Days 40 is longer than the 30-day maximum (MaxReportDays; change it with "
            "Set-MailFlowConfig -MaxReportDays N)");
  store_->set_config("NoTlsThreshold", "twenty");
  EXPECT_EQ(error_of("Get-MailFlowInsights"),
            "setting NoTlsThreshold in the store has the unreadable value 'twenty'; set it again "
            "with Set-MailFlowConfig -NoTlsThreshold");
}

TEST_F(Insights, RuleParametersAreTheCmdletsDynamicParameters) {
  // The declared specs never change: the rules' parameters are asked for.
  EXPECT_EQ(registry_.find("Get-MailFlowInsights")->parameter("NoTlsThreshold"), nullptr);
  auto insights = with_dynamic_parameters(*registry_.find("Get-MailFlowInsights"), session_);
  auto config = with_dynamic_parameters(*registry_.find("Set-MailFlowConfig"), session_);
  ASSERT_NE(insights->parameter("NoTlsThreshold"), nullptr);
  EXPECT_EQ(insights->parameter("NoTlsThreshold")->type, ParamType::Double);
  EXPECT_FALSE(insights->parameter("NoTlsThreshold")->default_value.has_value());
  // Not a binder default (the stored setting comes first), but Get-Help says what is in force.
  EXPECT_EQ(insights->parameter("NoTlsThreshold")->default_help, "the stored setting (Get-MailFlowConfig), else 25");
  EXPECT_EQ(config->parameter("NoTlsThreshold")->default_help, "");
  ASSERT_NE(insights->parameter("Tls10Threshold"), nullptr);
  ASSERT_NE(config->parameter("Tls10Threshold"), nullptr);
  // A second rule sharing a parameter declares it once; without the rules they are gone.
  rules_.add(std::make_unique<TlsShareRule>("NoTlsAgain", TlsVersion::None, "NoTlsThreshold", 25, "x %g"));
  insights = with_dynamic_parameters(*registry_.find("Get-MailFlowInsights"), session_);
  int count = 0;
  for (const ParamSpec& p : insights->parameters) count += p.name == "NoTlsThreshold";
  EXPECT_EQ(count, 1);
  InsightRuleSet none;
  session_.rules = &none;
  insights = with_dynamic_parameters(*registry_.find("Get-MailFlowInsights"), session_);
  EXPECT_EQ(insights->parameter("NoTlsThreshold"), nullptr);
  EXPECT_NE(insights->parameter("MinMessages"), nullptr);
  EXPECT_NE(with_dynamic_parameters(*registry_.find("Set-MailFlowConfig"), session_)->parameter("MaxReportDays"),
            nullptr);
  session_.rules = &rules_;
}

TEST(InsightRecommendation, PartnerVersusOwnServer) {
  InsightStats s;
  s.connector = "Fabrikam";
  s.direction = Direction::Outbound;
  s.connector_type = "Partner";
  EXPECT_EQ(default_recommendation(s, "TLS 1.0 is above 50%"),
            "TLS 1.0 is above 50% on outbound connector 'Fabrikam'. Contact the partner that owns "
            "connector 'Fabrikam' and ask them to enable TLS 1.2 or later on the servers that "
            "receive your mail through it; once they have, turn on -RequireTls for the connector.");
  s.connector_type = "";
  EXPECT_EQ(default_recommendation(s, "TLS 1.0 is above 50%").find("Upgrade or reconfigure your mail server"),
            std::string("TLS 1.0 is above 50% on outbound connector 'Fabrikam'. ").size());
}

}  // namespace mailflow::testing
