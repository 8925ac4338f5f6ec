#include "ingest/exchange_online_reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/time.h"
#include "reader_harness.h"

namespace mailflow {
namespace {

using testing::CollectingSink;
using testing::feed;

std::string slurp(const std::string& rel) {
  std::ifstream in(std::string(MAILFLOW_TEST_DATA) + "/exchange/" + rel, std::ios::binary);
  EXPECT_TRUE(in) << rel;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

CollectingSink read(const std::string& text) {
  ReaderOptions o;
  o.organization_domains = {"contoso.com"};
  ExchangeOnlineReader reader(o);
  CollectingSink sink;
  feed(reader, text, sink);
  return sink;
}

UnixSeconds at(const char* iso) { return *parse_instant(iso); }

// The nine traced messages of 2026-11-19 in every export shape: eight records
// (alice -> dave stays inside the organisation).
class EveryShape : public ::testing::TestWithParam<const char*> {};

TEST_P(EveryShape, SameRecords) {
  CollectingSink s = read(slurp(std::string("exo/") + GetParam()));
  ASSERT_TRUE(s.rejects.empty()) << s.rejects[0].line << ": " << s.rejects[0].reason;
  ASSERT_EQ(s.traces.size(), 8u);
  const Trace& in = s.traces[0];
  EXPECT_EQ(in.received, at("2026-11-19T08:02:11Z"));
  EXPECT_EQ(in.direction, Direction::Inbound);
  EXPECT_EQ(in.tls, TlsVersion::Unknown);
  EXPECT_FALSE(in.connector);
  EXPECT_EQ(in.remote_ip, "198.51.100.7");
  EXPECT_EQ(in.size, 18022);
  EXPECT_EQ(in.message_id, "<AM9PR08MB6100A1B2C3D4E5F6@AM9PR08MB6100.eurprd08.prod.outlook.com>");
  const Trace& out = s.traces[1];
  EXPECT_EQ(out.direction, Direction::Outbound);
  EXPECT_EQ(out.remote_ip, "192.0.2.25");  // ToIP for outbound
  EXPECT_EQ(s.traces[2].status, "Pending");
  EXPECT_EQ(s.traces[3].status, "Failed");
  EXPECT_EQ(s.traces[4].status, "FilteredAsSpam");
  EXPECT_EQ(s.traces[5].status, "Expanded");
  EXPECT_EQ(s.traces[6].status, "Quarantined");
  EXPECT_EQ(s.traces[7].status, "GettingStatus");
  EXPECT_FALSE(s.traces[7].remote_ip);  // no ToIP yet
}

INSTANTIATE_TEST_SUITE_P(ExchangeOnlineReader, EveryShape,
                         ::testing::Values("messagetrace-remote-session.csv", "messagetracev2.csv",
                                           "messagetrace-ps51.json", "messagetracev2-ps7.jsonl",
                                           "reportingwebservice-verbose.json", "reportingwebservice-light.json"));

TEST(ExchangeOnlineReader, HistoricalSummaryOneRecordPerRecipientOutcome) {
  CollectingSink s = read(slurp("historical/summary-utf8.csv"));
  ASSERT_TRUE(s.rejects.empty()) << s.rejects[0].reason;
  ASSERT_EQ(s.traces.size(), 5u);
  EXPECT_EQ(s.traces[1].recipient, "bob@fabrikam.com;carol@fabrikam.com");
  EXPECT_EQ(s.traces[1].connector, "Outbound to Fabrikam");
  EXPECT_EQ(s.traces[1].direction, Direction::Outbound);
  EXPECT_EQ(s.traces[2].recipient, "nobody@litware.example");
  EXPECT_EQ(s.traces[2].status, "Failed");
  EXPECT_EQ(s.traces[3].recipient, "ok@litware.example");
  EXPECT_EQ(s.traces[3].status, "Delivered");
  EXPECT_EQ(s.traces[4].direction, Direction::Inbound);
  EXPECT_EQ(s.traces[4].remote_ip, "192.0.2.40");
}

TEST(ExchangeOnlineReader, DirectionalityAsNumbers) {
  std::string text =
      "\"origin_timestamp_utc\",\"sender_address\",\"recipient_status\",\"message_subject\",\"total_bytes\","
      "\"message_id\",\"network_message_id\",\"original_client_ip\",\"directionality\",\"connector_id\","
      "\"delivery_priority\"\n"
      "\"2026-11-12T08:00:00.0000000Z\",\"x@fabrikam.com\",\"a@contoso.com##Receive, Deliver\",\"s\",\"10\","
      "\"<1@x>\",\"n1\",\"198.51.100.1\",\"1\",\"\",\"Normal\"\n"
      "\"2026-11-12T08:00:01.0000000Z\",\"a@contoso.com\",\"x@fabrikam.com##Receive, Send\",\"s\",\"10\","
      "\"<2@x>\",\"n2\",\"10.80.1.1\",\"2\",\"\",\"Normal\"\n";
  CollectingSink s = read(text);
  ASSERT_EQ(s.traces.size(), 2u);
  EXPECT_EQ(s.traces[0].direction, Direction::Inbound);
  EXPECT_EQ(s.traces[1].direction, Direction::Outbound);
}

TEST(ExchangeOnlineReader, HistoricalExtendedBoundaryEvents) {
  // The service delivers UTF-16LE; the importer hands readers UTF-8 (tested in importer_test).
  std::string raw = slurp("historical/extended-utf16.csv");
  std::string utf8;
  for (std::size_t i = 2; i + 1 < raw.size(); i += 2) utf8.push_back(raw[i]);  // ASCII content
  CollectingSink s = read(utf8);
  ASSERT_TRUE(s.rejects.empty()) << s.rejects[0].reason;
  ASSERT_EQ(s.traces.size(), 2u);
  EXPECT_EQ(s.traces[0].direction, Direction::Inbound);
  EXPECT_EQ(s.traces[0].remote_host, "mail.fabrikam.com");
  EXPECT_EQ(s.traces[1].direction, Direction::Outbound);
  EXPECT_EQ(s.traces[1].connector, "Outbound to Fabrikam");
  EXPECT_EQ(s.traces[1].remote_ip, "192.0.2.25");
}

TEST(ExchangeOnlineReader, BadReceivedIsRejectedNamingTheField) {
  std::string text =
      "\"Received\",\"SenderAddress\",\"RecipientAddress\",\"Subject\",\"Status\",\"ToIP\",\"FromIP\",\"Size\","
      "\"MessageId\",\"MessageTraceId\"\n"
      "\"not a date\",\"x@fabrikam.com\",\"a@contoso.com\",\"s\",\"Delivered\",\"\",\"198.51.100.1\",\"10\",\"<1@x>\","
      "\"t\"\n";
  CollectingSink s = read(text);
  ASSERT_EQ(s.rejects.size(), 1u);
  EXPECT_EQ(s.rejects[0].line, 2);
  EXPECT_NE(s.rejects[0].reason.find("Received"), std::string::npos) << s.rejects[0].reason;
}

// Found by fuzz_exchange_online_reader: a Size over 1 TiB (here in the
// reporting web service's JSON) became a trace; it is a reject, as in the
// other readers (issue 16, item 6).
TEST(ExchangeOnlineReader, SizeOver1TiBIsRejected) {
  auto object = [](const char* size) {
    return std::string("{\"Received\": \"2026-11-19T09:47:03Z\", \"SenderAddress\": \"x@fabrikam.com\", "
                       "\"RecipientAddress\": \"a@contoso.com\", \"Status\": \"Delivered\", \"Size\": ") +
           size + "}";
  };
  CollectingSink s = read("[" + object("1099511627777") + ",\n" + object("1099511627776") + "]\n");
  ASSERT_EQ(s.rejects.size(), 1u);
  EXPECT_NE(s.rejects[0].reason.find("Size '1099511627777'"), std::string::npos) << s.rejects[0].reason;
  ASSERT_EQ(s.traces.size(), 1u);
  EXPECT_EQ(s.traces[0].size, std::int64_t{1} << 40);
}

TEST(ExchangeOnlineReader, DetectsItsShapesOnly) {
  EXPECT_TRUE(ExchangeOnlineReader::looks_like({"\"Received\",\"SenderAddress\",\"RecipientAddress\",\"Status\""}));
  EXPECT_TRUE(ExchangeOnlineReader::looks_like({"#TYPE Deserialized.Microsoft.Exchange.Management.FfoReporting.MessageTrace",
                                                "\"PSComputerName\",\"Received\",\"SenderAddress\",\"RecipientAddress\""}));
  EXPECT_TRUE(ExchangeOnlineReader::looks_like({"\"origin_timestamp_utc\",\"sender_address\",\"recipient_status\""}));
  EXPECT_TRUE(ExchangeOnlineReader::looks_like({"[", "    {", "        \"Organization\":  \"contoso.onmicrosoft.com\",",
                                                "        \"MessageId\":  \"\\u003c1@x\\u003e\",",
                                                "        \"Received\":  \"\\/Date(1795075331483)\\/\",",
                                                "        \"SenderAddress\":  \"sam@fabrikam.com\","}));
  EXPECT_TRUE(ExchangeOnlineReader::looks_like({"{\"Received\":\"2026-11-19T08:02:11.4830000Z\",\"SenderAddress\":\"a\"}"}));
  EXPECT_TRUE(ExchangeOnlineReader::looks_like(
      {"{\"d\":{\"results\":[{\"__metadata\":{},\"Received\":\"\\/Date(1)\\/\",\"SenderAddress\":\"a@b\"}]}}"}));
  EXPECT_FALSE(ExchangeOnlineReader::looks_like({"[", "    {", "        \"Organization\":  \"contoso.onmicrosoft.com\","}));
  EXPECT_FALSE(ExchangeOnlineReader::looks_like({"received,direction,sender,recipient"}));
  EXPECT_FALSE(ExchangeOnlineReader::looks_like({"{\"received\":\"2026-11-16T08:15:02Z\",\"direction\":\"inbound\"}"}));
}

}  // namespace
}  // namespace mailflow
