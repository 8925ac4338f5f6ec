// The TLS readiness cmdlets (issue #15) over a hand-made store; every number
// is worked out beside the traffic. Today 2026-11-22, default range
// 2026-11-16 .. 2026-11-22.
#include <gtest/gtest.h>

#include "lua/lua_runtime.h"
#include "reports/report_fixture.h"
#include "store/auth_submission_store.h"
#include "store/tls_failure_store.h"

namespace mailflow::testing {

namespace {

class TlsReadiness : public ReportFixture {
 protected:
  void SetUp() override {
    ReportFixture::SetUp();
    const auto In = Direction::Inbound;
    const auto Out = Direction::Outbound;
    auto peer = [](Trace t, const char* host, const char* ip, std::optional<TlsTrust> trust = std::nullopt) {
      t.remote_host = host;
      t.remote_ip = ip;
      t.tls_trust = trust;
      return t;
    };
    add({
        // Inbound fabrikam.com: 3 x TLS1.0 from mx1, 2 x TLS1.2 (Verified) from mx2.
        peer(trace("2026-11-16T08:00:00Z", In, std::nullopt, TlsVersion::Tls10), "mx1.mail.fabrikam.com", "203.0.113.1"),
        peer(trace("2026-11-17T08:00:00Z", In, std::nullopt, TlsVersion::Tls10), "mx1.mail.fabrikam.com", "203.0.113.1"),
        peer(trace("2026-11-18T08:00:00Z", In, std::nullopt, TlsVersion::Tls10), "mx1.mail.fabrikam.com", "203.0.113.1"),
        peer(trace("2026-11-18T09:00:00Z", In, std::nullopt, TlsVersion::Tls12), "mx2.fabrikam.com", "203.0.113.2",
             TlsTrust::Verified),
        peer(trace("2026-11-19T09:00:00Z", In, std::nullopt, TlsVersion::Tls12), "mx2.fabrikam.com", "203.0.113.2",
             TlsTrust::Verified),
        // A host without reverse DNS, plain text.
        peer(trace("2026-11-19T10:00:00Z", In, std::nullopt, TlsVersion::None), "unknown", "198.51.100.7"),
        // Inbound example.co.uk: 2 x TLS1.3 and 1 x TLS1.1.
        peer(trace("2026-11-20T10:00:00Z", In, std::nullopt, TlsVersion::Tls13), "mail.example.co.uk", "192.0.2.5"),
        peer(trace("2026-11-20T11:00:00Z", In, std::nullopt, TlsVersion::Tls13), "mail.example.co.uk", "192.0.2.5"),
        peer(trace("2026-11-21T11:00:00Z", In, std::nullopt, TlsVersion::Tls11), "mail.example.co.uk", "192.0.2.5"),
        // Outbound: the recipient's domain is the peer.
        peer(trace("2026-11-21T12:00:00Z", Out, std::nullopt, TlsVersion::Tls12, "bob@contoso.com", "al@example.co.uk"),
             "mx.example.co.uk", "192.0.2.9", TlsTrust::Trusted),
        peer(trace("2026-11-22T12:00:00Z", Out, std::nullopt, TlsVersion::Tls10, "bob@contoso.com", "kim@tailspin.com.au"),
             "mx.tailspin.com.au", "192.0.2.10"),
        // Outside the range, and not Delivered: not counted.
        peer(trace("2026-11-10T12:00:00Z", In, std::nullopt, TlsVersion::Tls10), "old.fabrikam.com", "203.0.113.9"),
        peer(trace("2026-11-20T12:00:00Z", In, std::nullopt, TlsVersion::None, "a@b.c", "d@contoso.com", "Failed"),
             "mx1.mail.fabrikam.com", "203.0.113.1"),
    });
  }

  // The columns before FirstSeen/LastSeen.
  static std::vector<std::string> counts_only(const std::vector<Value>& records) {
    std::vector<std::string> out;
    for (std::string line : rows(records)) {
      for (int i = 0; i < 2; ++i) line = line.substr(0, line.rfind('|'));
      out.push_back(line);
    }
    return out;
  }

  void add_failure(const char* time, Direction d, const char* host, const char* ip, std::optional<std::string> connector,
                   const char* reason) {
    TraceWriter w(*store_);
    add_tls_failure(*store_, {at(time), d, std::string(host), std::string(ip), connector, reason, reason}, ++failure_,
                    std::nullopt);
    w.commit();
  }
  std::int64_t failure_ = 0;

  // The shipped rules (stdlib/rules, TlsFailures among them) instead of the
  // fixture's stand-ins, as mailflow loads them.
  void use_stdlib_rules() {
    session_.rules = &stdlib_rules_;
    session_.interrupted = &interrupted_;
    lua_ = std::make_unique<LuaRuntime>(session_, LuaLimits{});
    lua_->load_stdlib(MAILFLOW_SOURCE_STDLIB);
  }
  void TearDown() override {
    lua_.reset();
    ReportFixture::TearDown();
  }
  InsightRuleSet stdlib_rules_;
  std::atomic<bool> interrupted_{false};
  std::unique_ptr<LuaRuntime> lua_;
};

}  // namespace

TEST_F(TlsReadiness, PeerReportByRegisteredDomainSortedByMessagesAtRisk) {
  auto out = run("Get-TlsPeerReport", params({{"By", Value("Domain")}}));
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(names(out[0]), (std::vector<std::string>{"Direction", "Peer", "Messages", "Tls13", "Tls12", "Tls11",
                                                     "Tls10", "NoTls", "Unknown", "LowestVersion", "FirstSeen",
                                                     "LastSeen"}));
  EXPECT_EQ(counts_only(out), (std::vector<std::string>{
                                  "Inbound|fabrikam.com|5|0|2|0|3|0|0|TLS1.0",
                                  "Inbound|example.co.uk|3|2|0|1|0|0|0|TLS1.1",
                                  "Inbound|198.51.100.7|1|0|0|0|0|1|0|None",
                                  "Outbound|tailspin.com.au|1|0|0|0|1|0|0|TLS1.0",
                                  "Outbound|example.co.uk|1|0|1|0|0|0|0|TLS1.2",
                              }));
  const Record& fabrikam = out[0].as_record();
  EXPECT_EQ(fabrikam.value(10).to_display(), Value(DateTime{at("2026-11-16T08:00:00Z")}).to_display());
  EXPECT_EQ(fabrikam.value(11).to_display(), Value(DateTime{at("2026-11-19T09:00:00Z")}).to_display());
}

TEST_F(TlsReadiness, PeerReportMaximumVersionHostAndFirst) {
  EXPECT_EQ(counts_only(run("Get-TlsPeerReport", params({{"MaximumVersion", Value("TLS1.0")}}))),
            (std::vector<std::string>{
                "Inbound|fabrikam.com|5|0|2|0|3|0|0|TLS1.0",
                "Inbound|198.51.100.7|1|0|0|0|0|1|0|None",
                "Outbound|tailspin.com.au|1|0|0|0|1|0|0|TLS1.0",
            }));
  EXPECT_EQ(counts_only(run("Get-TlsPeerReport",
                            params({{"By", Value("Host")}, {"Direction", Value("Inbound")}, {"First", Value(3)}}))),
            (std::vector<std::string>{
                "Inbound|mx1.mail.fabrikam.com|3|0|0|0|3|0|0|TLS1.0",
                "Inbound|mail.example.co.uk|3|2|0|1|0|0|0|TLS1.1",
                "Inbound|198.51.100.7|1|0|0|0|0|1|0|None",
            }));
  EXPECT_EQ(counts_only(run("Get-TlsPeerReport", params({{"By", Value("IP")}, {"Direction", Value("Outbound")}}))),
            (std::vector<std::string>{"Outbound|192.0.2.10|1|0|0|0|1|0|0|TLS1.0",
                                      "Outbound|192.0.2.9|1|0|1|0|0|0|0|TLS1.2"}));
  EXPECT_EQ(error_of("Get-TlsPeerReport", params({{"MaximumVersion", Value("TLS9")}})),
            "-MaximumVersion 'TLS9' is not one of None, TLS1.0, TLS1.1, TLS1.2, TLS1.3");
  EXPECT_EQ(error_of("Get-TlsPeerReport", params({{"First", Value(0)}})), "-First 0 is not 1 or more");
}

TEST_F(TlsReadiness, PolicyWhatIfCountsMessagesAndPeersBelowTheMinimum) {
  auto out = run("Test-TlsPolicy", params({{"MinimumVersion", Value("TLS1.2")}}));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(names(out[0]), (std::vector<std::string>{"Direction", "Connector", "Messages", "AtRisk", "Percent", "Peers"}));
  // Inbound: 9 messages, TLS1.0 x3 (fabrikam.com) + TLS1.1 x1 (example.co.uk); plain text is not at risk.
  EXPECT_EQ(rows(out), (std::vector<std::string>{"Inbound|(null)|9|4|44.44|{fabrikam.com, example.co.uk}",
                                                 "Outbound|(null)|2|1|50|{tailspin.com.au}"}));
  auto required = run("Test-TlsPolicy", params({{"MinimumVersion", Value("TLS1.2")}, {"RequireTls", Value(true)}}));
  EXPECT_EQ(rows(required)[0], "Inbound|(null)|9|5|55.56|{fabrikam.com, 198.51.100.7, example.co.uk}");
  auto tls11 = run("Test-TlsPolicy", params({{"MinimumVersion", Value("TLS1.1")}, {"Direction", Value("Inbound")}}));
  EXPECT_EQ(rows(tls11), (std::vector<std::string>{"Inbound|(null)|9|3|33.33|{fabrikam.com}"}));
  auto insight = run("Test-TlsPolicy", params({{"MinimumVersion", Value("TLS1.2")}, {"AsInsight", Value(true)}}));
  ASSERT_EQ(insight.size(), 2u);
  EXPECT_EQ(insight[0].as_record().value(0).to_display(), "TlsPolicy");
  EXPECT_EQ(insight[0].as_record().value(6).to_display(), "4");
  auto safe = run("Test-TlsPolicy", params({{"MinimumVersion", Value("TLS1.0")}, {"AsInsight", Value(true)}}));
  EXPECT_TRUE(safe.empty());
  EXPECT_EQ(error_of("Test-TlsPolicy", params({{"MinimumVersion", Value("None")}})),
            "-MinimumVersion 'None' is not one of TLS1.0, TLS1.1, TLS1.2, TLS1.3");
}

TEST_F(TlsReadiness, TlsUsageByTrust) {
  EXPECT_EQ(rows(run("Get-TlsUsage", params({{"ByTrust", Value(true)}}))),
            (std::vector<std::string>{"Inbound|Verified|2|100", "Inbound|Unknown|7|(null)", "Outbound|Trusted|1|100",
                                      "Outbound|Unknown|1|(null)"}));
  auto by_connector = run("Get-TlsUsage", params({{"ByTrust", Value(true)}, {"ByConnector", Value(true)},
                                                  {"Direction", Value("Outbound")}}));
  EXPECT_EQ(rows(by_connector), (std::vector<std::string>{"Outbound|(null)|Trusted|1|100", "Outbound|(null)|Unknown|1|(null)"}));
}

TEST_F(TlsReadiness, FailuresListedCountedAndJudged) {
  add_failure("2026-11-12T05:00:00Z", Direction::Inbound, "mx1.mail.fabrikam.com", "203.0.113.1", std::nullopt, "SSL_accept");
  for (int i = 0; i < 3; ++i)
    add_failure("2026-11-17T05:00:00Z", Direction::Inbound, "mx1.mail.fabrikam.com", "203.0.113.1", std::nullopt,
                "SSL_accept");
  add_failure("2026-11-18T06:00:00Z", Direction::Outbound, "mx.tailspin.com.au", "192.0.2.10", std::nullopt, "handshake");
  for (int i = 0; i < 11; ++i)
    add_failure("2026-11-20T07:00:00Z", Direction::Inbound, "unknown", "192.0.2.77", std::string("Contoso-Partner"),
                "certificate");

  auto list = run("Get-TlsFailure");
  ASSERT_EQ(list.size(), 15u);
  EXPECT_EQ(names(list[0]), (std::vector<std::string>{"Time", "Direction", "Peer", "PeerIP", "Reason", "Text"}));
  EXPECT_EQ(rows({list[0]})[0].substr(rows({list[0]})[0].find('|')),
            "|Inbound|mx1.mail.fabrikam.com|203.0.113.1|SSL_accept|SSL_accept");
  EXPECT_EQ(list.back().as_record().value(2).to_display(), "192.0.2.77");  // no name: the IP

  EXPECT_EQ(rows(run("Get-TlsFailure", params({{"By", Value("Reason")}}))),
            (std::vector<std::string>{"Inbound|certificate|11", "Inbound|SSL_accept|3", "Outbound|handshake|1"}));
  EXPECT_EQ(rows(run("Get-TlsFailure", params({{"By", Value("Day")}}))),
            (std::vector<std::string>{"Inbound|2026-11-17|3", "Outbound|2026-11-18|1", "Inbound|2026-11-20|11"}));
  EXPECT_EQ(rows(run("Get-TlsFailure", params({{"By", Value("Peer")}, {"Direction", Value("Outbound")}}))),
            (std::vector<std::string>{"Outbound|mx.tailspin.com.au|1"}));

  // TlsFailures, the built-in rule (stdlib/rules/tls_failures.lua): Contoso-Partner and its peer
  // (no name: its IP) over 10; fabrikam.com doubled (1 the week before, 3 now); tailspin.com.au's
  // one failure neither.
  use_stdlib_rules();
  auto fired = [](const std::vector<Value>& insight) {
    std::vector<std::string> out;
    for (const Value& v : insight)
      out.push_back(v.as_record().value(0).to_display() + "|" + v.as_record().value(2).to_display() + "|" +
                    v.as_record().value(3).to_display() + "|" + v.as_record().value(6).to_display());
    return out;
  };
  auto insight = run("Get-TlsFailure", params({{"AsInsight", Value(true)}, {"Threshold", Value(10.0)}}));
  EXPECT_EQ(fired(insight), (std::vector<std::string>{"TlsFailures|Inbound|Contoso-Partner|11",
                                                      "TlsFailures|Inbound||11", "TlsFailures|Inbound||3"}));
  EXPECT_EQ(insight[1].as_record().value(1).to_display(), "TLS handshake failures over 10 or doubled");
  EXPECT_NE(insight[1].as_record().value(7).to_display().find("with 192.0.2.77 (0 in the period before)"),
            std::string::npos);
  EXPECT_NE(insight[2].as_record().value(7).to_display().find("with fabrikam.com (1 in the period before)"),
            std::string::npos);
  // Get-MailFlowInsights gives the same rows from the same rule and statistics.
  EXPECT_EQ(rows(run("Get-MailFlowInsights", params({{"Rule", Value(Array{Value("TlsFailures")})}}))), rows(insight));
  // The threshold in force: the parameter, else the stored setting, else 10. 11 is not over 11.
  EXPECT_EQ(fired(run("Get-TlsFailure", params({{"AsInsight", Value(true)}, {"Threshold", Value(11.0)}}))),
            (std::vector<std::string>{"TlsFailures|Inbound||3"}));
  EXPECT_EQ(fired(run("Get-MailFlowInsights",
                      params({{"Rule", Value(Array{Value("TlsFailures")})}, {"TlsFailuresThreshold", Value(11.0)}}))),
            (std::vector<std::string>{"TlsFailures|Inbound||3"}));
  run("Set-MailFlowConfig", params({{"TlsFailuresThreshold", Value(11.0)}}));
  EXPECT_EQ(fired(run("Get-TlsFailure", params({{"AsInsight", Value(true)}}))),
            (std::vector<std::string>{"TlsFailures|Inbound||3"}));
  EXPECT_EQ(rows(run("Get-MailFlowInsights", params({{"Rule", Value(Array{Value("TlsFailures")})}}))),
            rows(run("Get-TlsFailure", params({{"AsInsight", Value(true)}}))));
  // -Direction narrows the statistics: nothing outbound fires.
  EXPECT_TRUE(run("Get-TlsFailure", params({{"AsInsight", Value(true)}, {"Direction", Value("Outbound")}})).empty());
  EXPECT_EQ(error_of("Get-TlsFailure", params({{"AsInsight", Value(true)}, {"By", Value("Day")}})),
            "-By and -AsInsight exclude each other; give one of them");
}

TEST_F(TlsReadiness, SmtpAuthClientsWeakestFirst) {
  TraceWriter w(*store_);
  int n = 0;
  auto submit = [&](const char* time, const char* user, TlsVersion tls) {
    add_auth_submission(*store_, {at(time), user, tls, std::nullopt, "10.0.0.5", "mail/Q" + std::to_string(++n)},
                        std::nullopt);
  };
  submit("2026-11-17T01:00:00Z", "scanner@contoso.com", TlsVersion::Tls10);
  submit("2026-11-17T02:00:00Z", "scanner@contoso.com", TlsVersion::Tls12);
  submit("2026-11-18T01:00:00Z", "ann@contoso.com", TlsVersion::Tls13);
  submit("2026-11-18T02:00:00Z", "ann@contoso.com", TlsVersion::Tls13);
  submit("2026-11-01T02:00:00Z", "old@contoso.com", TlsVersion::None);  // outside the range
  w.commit();
  auto out = run("Get-SmtpAuthClientReport");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(names(out[0]),
            (std::vector<std::string>{"User", "Messages", "Tls13", "Tls12", "Tls11", "Tls10", "NoTls", "LowestVersion"}));
  EXPECT_EQ(rows(out), (std::vector<std::string>{"scanner@contoso.com|2|0|1|0|1|0|TLS1.0",
                                                 "ann@contoso.com|2|2|0|0|0|0|TLS1.3"}));
}

}  // namespace mailflow::testing
