// Records of ReportFixture::add_example_traffic in the default range
// 2026-11-16 .. 2026-11-22, newest first (all statuses):
//   1 11-22 23:59:59 In  -            TLS1.2 news@mail.fabrikam.com
//   2 11-21 07:30:00 Out -            TLS1.3 sales@ -> y@woodgrove
//   3 11-21 07:00:00 Out -            TLS1.3 sales@ -> x@woodgrove
//   4 11-20 10:00:00 In  -            TLS1.3 news@fabrikam.com
//   5 11-19 09:00:00 Out OnPrem-Relay TLS1.2 -> d@northwind
//   6 11-19 08:00:02 Out OnPrem-Relay TLS1.0 -> c@northwind
//   7 11-19 08:00:01 Out OnPrem-Relay TLS1.0 -> b@northwind
//   8 11-19 08:00:00 Out OnPrem-Relay TLS1.0 -> a@northwind
//   9 11-18 12:00:01 In  Contoso      TLS1.2 ann.lee@contoso.com  Failed
//  10 11-18 12:00:00 In  Contoso      TLS1.0 ann.lee@contoso.com
//  11 11-17 00:00:00 In  Contoso      None   firstXlast@contoso.com
//  12 11-16 23:59:59 In  Contoso      None   first_last@contoso.com
//  13 11-16 00:00:00 In  Contoso      TLS1.2 Ann.Lee@Contoso.com
#include <sqlite3.h>
#include <string_view>

#include "reports/report_fixture.h"

namespace mailflow::testing {

using MessageTrace = ReportFixture;

namespace {

std::vector<std::string> received_of(const std::vector<Value>& records) {
  std::vector<std::string> out;
  for (const Value& v : records) out.push_back(v.as_record().get("Received")->to_display().substr(5, 14));
  return out;
}

}  // namespace

TEST_F(MessageTrace, DefaultRangeNewestFirstEveryStatus) {
  add_example_traffic();
  auto out = run("Get-MessageTrace");
  ASSERT_EQ(out.size(), 13u);
  EXPECT_EQ(names(out[0]), (std::vector<std::string>{
      "Received", "Direction", "Connector", "TlsVersion", "TlsTrust", "Cipher", "SenderAddress",
      "RecipientAddress", "RemoteHost", "RemoteIP", "Size", "Status", "MessageId"}));
  EXPECT_TRUE(out[0].as_record().value(0).is_datetime());
  EXPECT_EQ(rows({out[0]})[0], "2026-11-22T23:59:59Z|Inbound|(null)|TLS1.2|(null)|TLS_AES_256_GCM_SHA384|"
                               "news@mail.fabrikam.com|it@tailspin.example|mail.fabrikam.com|"
                               "203.0.113.25|2048|Delivered|<" + std::to_string(at("2026-11-22T23:59:59Z")) +
                               "@fabrikam.com>");
  EXPECT_TRUE(rows({out[12]})[0].starts_with(
      "2026-11-16T00:00:00Z|Inbound|Contoso-Partner|TLS1.2|(null)|TLS_AES_256_GCM_SHA384|Ann.Lee@Contoso.com|"))
      << rows({out[12]})[0];
  EXPECT_TRUE(rows({out[11]})[0].starts_with("2026-11-16T23:59:59Z|Inbound|Contoso-Partner|None|(null)|(null)|first_last@"))
      << rows({out[11]})[0];
}

TEST_F(MessageTrace, Filters) {
  add_example_traffic();
  EXPECT_EQ(run("Get-MessageTrace", params({{"Direction", "Outbound"}})).size(), 6u);
  EXPECT_EQ(run("Get-MessageTrace", params({{"Connector", "contoso-PARTNER"}})).size(), 5u);
  EXPECT_EQ(received_of(run("Get-MessageTrace", params({{"NoConnector", true}}))),
            (std::vector<std::string>{"11-22T23:59:59", "11-21T07:30:00", "11-21T07:00:00", "11-20T10:00:00"}));
  EXPECT_EQ(received_of(run("Get-MessageTrace", params({{"TlsVersion", "None"}}))),
            (std::vector<std::string>{"11-17T00:00:00", "11-16T23:59:59"}));
  EXPECT_EQ(run("Get-MessageTrace", params({{"TlsVersion", "tlsv1.0"}})).size(), 4u);
  EXPECT_EQ(received_of(run("Get-MessageTrace", params({{"Status", "failed"}}))),
            (std::vector<std::string>{"11-18T12:00:01"}));
  EXPECT_EQ(run("Get-MessageTrace", params({{"Connector", "OnPrem-Relay"}, {"TlsVersion", "TLS1.0"},
                                            {"Direction", "Outbound"}})).size(), 3u);
}

TEST_F(MessageTrace, AddressesMatchCaseInsensitivelyWithWildcards) {
  add_example_traffic();
  auto count = [&](const char* param, const char* value) {
    return run("Get-MessageTrace", params({{param, value}})).size();
  };
  EXPECT_EQ(count("SenderAddress", "ann.lee@contoso.com"), 3u);  // 9, 10, 13 (Ann.Lee@Contoso.com)
  EXPECT_EQ(count("SenderAddress", "*@CONTOSO.com"), 5u);
  EXPECT_EQ(count("SenderAddress", "first_last@*"), 1u);         // _ is literal, unlike in LIKE
  EXPECT_EQ(count("SenderAddress", "first?last@contoso.com"), 2u);
  EXPECT_EQ(count("SenderAddress", "first%last@contoso.com"), 0u);
  EXPECT_EQ(count("SenderAddress", "first`?last@contoso.com"), 0u);
  EXPECT_EQ(count("RecipientAddress", "[a-b]@northwind.example"), 2u);
  EXPECT_EQ(count("SenderDomain", "fabrikam.com"), 1u);           // not mail.fabrikam.com
  EXPECT_EQ(count("SenderDomain", "@Mail.Fabrikam.com"), 1u);
  EXPECT_EQ(count("RecipientDomain", "northwind.example"), 4u);
}

TEST_F(MessageTrace, Pages) {
  add_example_traffic();
  EXPECT_EQ(received_of(run("Get-MessageTrace", params({{"PageSize", 5}, {"Page", 2}}))),
            (std::vector<std::string>{"11-19T08:00:02", "11-19T08:00:01", "11-19T08:00:00",
                                      "11-18T12:00:01", "11-18T12:00:00"}));
  EXPECT_EQ(received_of(run("Get-MessageTrace", params({{"PageSize", 5}, {"Page", 3}}))),
            (std::vector<std::string>{"11-17T00:00:00", "11-16T23:59:59", "11-16T00:00:00"}));
  EXPECT_TRUE(run("Get-MessageTrace", params({{"PageSize", 5}, {"Page", 4}})).empty());
}

TEST_F(MessageTrace, DefaultPageSizeIsOneThousand) {
  std::vector<Trace> t;
  for (int i = 0; i < 1001; ++i)
    t.push_back(trace("2026-11-20T10:00:00Z", Direction::Inbound, std::nullopt, TlsVersion::Tls12,
                      "s" + std::to_string(i) + "@x.example"));
  add(t);
  EXPECT_EQ(run("Get-MessageTrace").size(), 1000u);
  EXPECT_EQ(run("Get-MessageTrace", params({{"Page", 2}})).size(), 1u);
}

TEST_F(MessageTrace, ReceivedBoundsStrictAndInclusive) {
  add_example_traffic();
  auto count = [&](const char* param, const char* iso) {
    return run("Get-MessageTrace", params({{param, date(iso)}})).size();
  };
  EXPECT_EQ(count("ReceivedAfter", "2026-11-16T23:59:59Z"), 11u);
  EXPECT_EQ(count("ReceivedOnOrAfter", "2026-11-16T23:59:59Z"), 12u);
  EXPECT_EQ(count("ReceivedBefore", "2026-11-17T00:00:00Z"), 2u);
  EXPECT_EQ(count("ReceivedOnOrBefore", "2026-11-17T00:00:00Z"), 3u);
  // The bounds narrow the date range; they never widen it.
  EXPECT_EQ(count("ReceivedAfter", "2026-01-01T00:00:00Z"), 13u);
  // A time-zone offset is an instant: 01:00 at +01:00 is 00:00 UTC.
  EXPECT_EQ(count("ReceivedOnOrBefore", "2026-11-17T01:00:00+01:00"), 3u);
}

TEST_F(MessageTrace, DayBoundariesAndEmptyRanges) {
  add_example_traffic();
  EXPECT_EQ(received_of(run("Get-MessageTrace", params({{"StartDate", date("2026-11-23")}, {"Days", 1}}))),
            (std::vector<std::string>{"11-23T00:00:00"}));
  EXPECT_EQ(received_of(run("Get-MessageTrace", params({{"EndDate", date("2026-11-15")}, {"Days", 1}}))),
            (std::vector<std::string>{"11-15T23:59:59"}));
  EXPECT_TRUE(run("Get-MessageTrace", params({{"EndDate", date("2026-11-10")}})).empty());
}

TEST_F(MessageTrace, StreamsRowsAsTheyAreAskedFor) {
  add_example_traffic();
  int rows_stepped = 0;
  sqlite3_trace_v2(
      store_->db().handle(), SQLITE_TRACE_ROW,
      [](unsigned, void* counter, void* stmt, void*) {
        // Rows of the trace query itself; the cursor also looks up each
        // distinct dictionary value once, in statements of their own or
        // through a blob handle (whose statement has no SQL text).
        const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(stmt));
        if (sql && std::string_view(sql).find("trace_rows") != std::string_view::npos) ++*static_cast<int*>(counter);
        return 0;
      },
      &rows_stepped);
  auto stream = registry_.find("Get-MessageTrace")
                    ->run(session_, params({{"PageSize", 5000}}),
                          std::make_unique<VectorStream>(std::vector<Value>{}));
  int before = rows_stepped;  // connector lookups and config reads happen while binding
  ASSERT_TRUE(stream->next());
  ASSERT_TRUE(stream->next());
  EXPECT_EQ(rows_stepped - before, 2);  // two records asked for, two rows read of 13
  sqlite3_trace_v2(store_->db().handle(), 0, nullptr, nullptr);
}

TEST_F(MessageTrace, Errors) {
  add_example_traffic();
  EXPECT_EQ(error_of("Get-MessageTrace", params({{"PageSize", 0}})), "-PageSize 0 is out of range: give 1 to 5000");
  EXPECT_EQ(error_of("Get-MessageTrace", params({{"PageSize", 5001}})),
            "-PageSize 5001 is out of range: give 1 to 5000");
  EXPECT_EQ(error_of("Get-MessageTrace", params({{"Page", 0}})).substr(0, 34), "-Page 0 is out of range: give 1 to");
  EXPECT_EQ(error_of("Get-MessageTrace", params({{"TlsVersion", "SSL3"}})),
            "-TlsVersion 'SSL3' is not one of None, TLS1.0, TLS1.1, TLS1.2, TLS1.3");
  EXPECT_EQ(error_of("Get-MessageTrace", params({{"SenderDomain", "a@b.com"}})),
            "-SenderDomain 'a@b.com' is not a domain (e.g. contoso.com)");
  EXPECT_EQ(error_of("Get-MessageTrace", params({{"RecipientAddress", " "}})),
            "-RecipientAddress needs an address or a pattern");
  EXPECT_EQ(error_of("Get-MessageTrace", params({{"ReceivedAfter", "soon"}})),
            "-ReceivedAfter 'soon' is not a date and time (expected ISO-8601, e.g. 2026-11-16T08:15:02Z)");
  EXPECT_EQ(error_of("Get-MessageTrace", params({{"Connector", "Nope"}})),
            "-Connector 'Nope' is not a known connector; known: Contoso-Partner, OnPrem-Relay, "
            "Unused-Connector");
  EXPECT_EQ(error_of("Get-MessageTrace", params({{"NoConnector", true}, {"Connector", "OnPrem-Relay"}})),
            "-Connector and -NoConnector exclude each other; give one of them");
  EXPECT_EQ(error_of("Get-MessageTrace", params({{"Direction", "Up"}})), "-Direction 'Up' is not Inbound or Outbound");
  EXPECT_EQ(error_of("Get-MessageTrace", params({{"Days", 31}})).substr(0, 44),
            "-Days 31 is longer than the 30-day maximum (");
}

TEST_F(MessageTrace, PushedDownFiltersApplyWithinThePage) {
  add_example_traffic();
  // As parameters, the filters choose the rows before paging: the 6 newest
  // TLS1.0 ... of all 13; pushed down from a Where-Object they keep of the
  // page (the 7 newest records) only what the Where-Object would keep.
  BoundParameters p = params({{"PageSize", 7}});
  p.set_pushed("TlsVersion", Value("TLS1.0"));
  EXPECT_EQ(received_of(run("Get-MessageTrace", p)),
            (std::vector<std::string>{"11-19T08:00:02", "11-19T08:00:01"}));
  EXPECT_EQ(run("Get-MessageTrace", params({{"PageSize", 7}, {"TlsVersion", "TLS1.0"}})).size(), 4u);
  BoundParameters q = params({{"PageSize", 5}, {"Direction", "Outbound"}});
  q.set_pushed("RecipientAddress", Value("*@NORTHWIND*"));
  q.set_pushed("ReceivedOnOrBefore", Value(DateTime{at("2026-11-19T08:00:01Z")}));
  EXPECT_EQ(received_of(run("Get-MessageTrace", q)), (std::vector<std::string>{"11-19T08:00:01"}));
  BoundParameters r = params({{"PageSize", 5}});
  r.set_pushed("Connector", Value("onprem-relay"));
  r.set_pushed("Status", Value("delivered"));
  EXPECT_EQ(received_of(run("Get-MessageTrace", r)), (std::vector<std::string>{"11-19T09:00:00"}));
}

// `Get-MessageTrace | Where-Object Connector -eq 'Nope'` raised
// UnknownConnector while the same filter after a Sort-Object returned
// nothing: a pushed condition no record meets now gives no rows.
TEST_F(MessageTrace, PushedDownConditionNoRecordMeetsGivesNoRows) {
  add_example_traffic();
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"Connector", "Nope"}, {"TlsVersion", "SSL3"}, {"Direction", "Sideways"}}) {
    BoundParameters p = params({});
    p.set_pushed(name, Value(value));
    EXPECT_TRUE(run("Get-MessageTrace", p).empty()) << name;
  }
  // Typed by the user, the same values are still errors.
  EXPECT_EQ(error_of("Get-MessageTrace", params({{"Direction", "Sideways"}})),
            "-Direction 'Sideways' is not Inbound or Outbound");
  EXPECT_NE(error_of("Get-MessageTrace", params({{"Connector", "Nope"}})), "");
}

TEST_F(MessageTrace, PushdownDeclaresStrictAndInclusiveBoundsSeparately) {
  const CmdletSpec* spec = registry_.find("Get-MessageTrace");
  auto target = [&](const std::string& property, const std::string& op) {
    for (const PushdownRule& r : spec->pushdown)
      if (r.property == property && r.op == op) return r.parameter;
    return std::string();
  };
  EXPECT_EQ(target("Received", "gt"), "ReceivedAfter");
  EXPECT_EQ(target("Received", "ge"), "ReceivedOnOrAfter");
  EXPECT_EQ(target("Received", "lt"), "ReceivedBefore");
  EXPECT_EQ(target("Received", "le"), "ReceivedOnOrBefore");
  EXPECT_EQ(target("SenderAddress", "like"), "SenderAddress");
  EXPECT_EQ(target("RecipientAddress", "eq"), "RecipientAddress");
  EXPECT_EQ(target("Connector", "eq"), "Connector");
  for (const PushdownRule& r : spec->pushdown) EXPECT_NE(spec->parameter(r.parameter), nullptr) << r.parameter;
}

}  // namespace mailflow::testing

namespace mailflow::testing {

TEST_F(MessageTrace, ShowsTlsTrust) {
  Trace t = trace("2026-11-20T10:00:00Z", Direction::Inbound, "Contoso-Partner", TlsVersion::Tls13);
  t.tls_trust = TlsTrust::Trusted;
  add({t});
  auto out = run("Get-MessageTrace");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].as_record().get("TlsTrust")->to_display(), "Trusted");
}

}  // namespace mailflow::testing
