#include "ingest/exchange_tracking_reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/time.h"
#include "reader_harness.h"

namespace mailflow {
namespace {

using testing::CollectingSink;
using testing::feed;

const std::string kData = std::string(MAILFLOW_TEST_DATA) + "/exchange/";

struct SessionSink : CollectingSink {
  void session_trace(const Trace& t, std::int64_t line, std::string_view key) override {
    trace(t, line);
    keys.emplace_back(key);
    lifecycle.emplace_back();
  }
  void lifecycle_trace(const Trace& t, std::int64_t line, const std::vector<std::string>& k) override {
    trace(t, line);
    lifecycle.push_back(k);
  }
  void session_lifecycle_trace(const Trace& t, std::int64_t line, const std::vector<std::string>& k,
                               std::string_view key) override {
    trace(t, line);
    keys.emplace_back(key);
    lifecycle.push_back(k);
  }
  void expire_queue(std::string_view key, UnixSeconds time) override { expired.emplace_back(key, time); }
  std::vector<std::string> keys;                     // SMTP session keys, in order
  std::vector<std::vector<std::string>> lifecycle;   // lifecycle keys per trace ({} for none)
  std::vector<std::pair<std::string, UnixSeconds>> expired;
};

ReaderOptions contoso() {
  ReaderOptions o;
  o.organization_domains = {"contoso.com"};
  o.internal_networks = {"10.0.0.0/16"};
  return o;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

SessionSink read(const std::string& text, ReaderOptions o = contoso(), std::int64_t* incomplete = nullptr) {
  ExchangeTrackingReader reader(o);
  SessionSink sink;
  feed(reader, text, sink);
  if (incomplete) *incomplete = reader.incomplete();
  return sink;
}

SessionSink read_file(const std::string& rel, ReaderOptions o = contoso()) { return read(slurp(kData + rel), o); }

UnixSeconds at(const char* iso) { return *parse_instant(iso); }

const char* kHeader2016 =
    "#Software: Microsoft Exchange Server\r\n#Version: 15.02.1544.004\r\n#Log-type: Message Tracking Log\r\n"
    "#Date: 2026-11-18T09:00:00.512Z\r\n"
    "#Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,"
    "event-id,internal-message-id,message-id,network-message-id,recipient-address,recipient-status,total-bytes,"
    "recipient-count,related-recipient-address,reference,message-subject,sender-address,return-path,message-info,"
    "directionality,tenant-id,original-client-ip,original-server-ip,custom-data,transport-traffic-type,log-id,"
    "schema-version\r\n";

// One 2016-layout row: the fields that matter, the rest empty.
std::string row(const std::string& time, const std::string& client_ip, const std::string& server_ip,
                const std::string& context, const std::string& connector, const std::string& source,
                const std::string& event, const std::string& recipients, const std::string& subject = "s") {
  return time + "," + client_ip + ",client.example," + server_ip + ",server.example," + context + "," + connector +
         "," + source + "," + event + ",1,<m1@contoso.com>,net-1," + recipients + ",," + "1234,1,,," + subject +
         ",alice@contoso.com,alice@contoso.com,,Originating,,,,,Email,log-1,15.02.1544.004\r\n";
}

TEST(ExchangeTrackingReader, DetectsTrackingLogsAndExportsButNotOtherCsv) {
  EXPECT_TRUE(ExchangeTrackingReader::looks_like(
      {"#Software: Microsoft Exchange Server", "#Version: 14.0.0.0", "#Log-type: Message Tracking Log"}));
  EXPECT_TRUE(ExchangeTrackingReader::looks_like(
      {"#TYPE Deserialized.Microsoft.Exchange.Management.TransportLogSearchTasks.MessageTrackingEvent",
       "\"PSComputerName\",\"RunspaceId\",\"PSShowComputerName\",\"Timestamp\",\"ClientIp\",\"EventId\""}));
  EXPECT_TRUE(ExchangeTrackingReader::looks_like({"\"Timestamp\",\"ClientIp\",\"Source\",\"EventId\",\"Recipients\""}));
  EXPECT_FALSE(ExchangeTrackingReader::looks_like({"#Log-type: SMTP Receive Protocol Log"}));
  EXPECT_FALSE(ExchangeTrackingReader::looks_like({"received,direction,sender,recipient"}));
}

TEST(ExchangeTrackingReader, Exchange2010FileByItsOwnFieldsLine) {
  SessionSink s = read_file("ex2010/MSGTRK20261116-1.LOG");
  ASSERT_EQ(s.traces.size(), 3u);
  ASSERT_TRUE(s.rejects.empty()) << s.rejects[0].reason;
  const Trace& in = s.traces[0];
  EXPECT_EQ(in.received, at("2026-11-16T08:41:17Z"));
  EXPECT_EQ(in.direction, Direction::Inbound);
  EXPECT_EQ(in.connector, "Default EXHUB10");  // "EXHUB10\" removed
  EXPECT_EQ(in.tls, TlsVersion::Unknown);
  EXPECT_EQ(in.sender, "frank.miller@gmail.com");
  EXPECT_EQ(in.recipient, "dave@contoso.com;erin@contoso.com");
  EXPECT_EQ(in.remote_host, "mail-sor-f41.google.com");
  EXPECT_EQ(in.remote_ip, "209.85.220.41");
  EXPECT_EQ(in.size, 6120);
  EXPECT_EQ(in.message_id, "<CAF=Kx7u0p2Q1m9vX3@mail.gmail.com>");
  EXPECT_EQ(s.keys[0], "exhub10\\default exhub10|08CD4A7F1E2B3C41");
  const Trace& out = s.traces[1];
  EXPECT_EQ(out.direction, Direction::Outbound);
  EXPECT_EQ(out.connector, "Internet Send Connector");
  EXPECT_EQ(out.recipient, "gina@northwind.example;hank@northwind.example;ivy@northwind.example");
  EXPECT_EQ(out.remote_ip, "192.0.2.80");
  EXPECT_EQ(out.status, "Delivered");
  EXPECT_EQ(s.keys[1], "internet send connector|08CD4A7F1E2B3C52");
}

TEST(ExchangeTrackingReader, DeferThenSendIsOneDeliveredRecordAtTheFinalTime) {
  SessionSink s = read_file("ex2010/MSGTRK20261116-1.LOG");
  ASSERT_EQ(s.traces.size(), 3u);
  EXPECT_EQ(s.traces[2].recipient, "orders@litware.example");
  EXPECT_EQ(s.traces[2].status, "Delivered");
  EXPECT_EQ(s.traces[2].received, at("2026-11-16T14:30:41Z"));
}

TEST(ExchangeTrackingReader, DeferAloneIsPendingAndIncomplete) {
  std::string text = std::string(kHeader2016) +
                     row("2026-11-17T11:04:40.271Z", "10.0.4.41", "192.0.2.80", "08D9F1A2B3C4D510;",
                         "Outbound to Internet", "SMTP", "DEFER", "gina@northwind.example");
  std::int64_t incomplete = 0;
  SessionSink s = read(text, contoso(), &incomplete);
  ASSERT_EQ(s.traces.size(), 1u);
  EXPECT_EQ(s.traces[0].status, "Pending");
  EXPECT_EQ(s.traces[0].direction, Direction::Outbound);
  EXPECT_EQ(incomplete, 1);
}

TEST(ExchangeTrackingReader, FailToAnOutsideServerIsFailedAndTheDsnMakesNoRecord) {
  SessionSink s = read_file("ex2013/MSGTRK2026111707-1.LOG");
  ASSERT_EQ(s.traces.size(), 3u);
  EXPECT_EQ(s.traces[2].status, "Failed");
  EXPECT_EQ(s.traces[2].recipient, "nobody@litware.example");
  EXPECT_EQ(s.traces[1].status, "Delivered");  // DEFER then SEND
}

TEST(ExchangeTrackingReader, InternalHopsMakeNoRecord) {
  std::string text = std::string(kHeader2016) +
                     row("2026-11-18T09:00:02.184Z", "10.0.1.11", "10.0.1.11", "S1;2026-11-18T09:00:02.112Z;0",
                         "EXMBX01\\Default EXMBX01", "SMTP", "RECEIVE", "bob@fabrikam.com") +
                     row("2026-11-18T09:00:02.151Z", "10.0.1.11", "10.0.1.12", "S2;250 2.0.0 OK", "", "SMTP",
                         "HAREDIRECT", "bob@fabrikam.com") +
                     row("2026-11-18T09:00:02.163Z", "10.0.1.11", "10.0.1.12", "S2;t;0", "EXMBX02\\Default EXMBX02",
                         "SMTP", "HARECEIVE", "bob@fabrikam.com") +
                     row("2026-11-18T09:00:02.455Z", "10.0.1.11", "10.0.1.12", "S3;250 2.6.0 queued",
                         "Intra-Organization SMTP Send Connector", "SMTP", "SEND", "bob@fabrikam.com") +
                     row("2026-11-18T09:00:02.500Z", "", "", "Transport Rule Agent", "", "AGENT", "AGENTINFO",
                         "bob@fabrikam.com") +
                     row("2026-11-18T09:00:02.431Z", "10.0.1.11", "", "MDB:x", "", "STOREDRIVER", "DELIVER",
                         "carol@contoso.com") +
                     row("2026-11-18T09:00:02.033Z", "fe80::1%4", "fe80::1%4", "MDB:x", "", "STOREDRIVER", "RECEIVE",
                         "bob@fabrikam.com");
  SessionSink s = read(text);
  EXPECT_TRUE(s.traces.empty());
  EXPECT_TRUE(s.rejects.empty());
}

TEST(ExchangeTrackingReader, MultiServerFlowMakesExactlyOneOutboundRecord) {
  std::vector<Trace> all;
  for (const char* f : {"multiserver/EXMBX01/MSGTRKMS2026111809-1.LOG", "multiserver/EXMBX01/MSGTRK2026111809-1.LOG",
                        "multiserver/EXMBX01/MSGTRKMD2026111809-1.LOG", "multiserver/EXMBX02/MSGTRK2026111809-1.LOG",
                        "multiserver/EXEDGE01/MSGTRK2026111809-1.LOG"}) {
    SessionSink s = read_file(f);
    EXPECT_TRUE(s.rejects.empty()) << f;
    all.insert(all.end(), s.traces.begin(), s.traces.end());
  }
  int outbound = 0;
  for (const Trace& t : all)
    if (t.direction == Direction::Outbound) {
      ++outbound;
      EXPECT_EQ(t.recipient, "bob@fabrikam.com");
      EXPECT_EQ(t.connector, "EdgeSync - Default-First-Site-Name to Internet");
      EXPECT_EQ(t.remote_host, "mail.fabrikam.com");
      EXPECT_EQ(t.sender, "alice@contoso.com");
    }
  EXPECT_EQ(outbound, 1);
  EXPECT_EQ(all.size(), 3u);
}

TEST(ExchangeTrackingReader, QuotedFieldsWithDoubledQuotesAndCommas) {
  SessionSink s = read_file("multiserver/EXEDGE01/MSGTRK2026111809-1.LOG");
  ASSERT_EQ(s.traces.size(), 3u);
  EXPECT_EQ(s.traces[0].size, 8512);  // the field after the quoted subject is in its place
  EXPECT_EQ(s.keys[0], "edgesync - default-first-site-name to internet|08DE2D1A3F5B7C07");
}

TEST(ExchangeTrackingReader, BadDateTimeIsRejectedNamingTheField) {
  std::string text = std::string(kHeader2016) +
                     row("2026-13-40T09:00:00.000Z", "198.51.100.7", "203.0.113.25", "S1;t;0", "E\\Default",
                         "SMTP", "RECEIVE", "alice@contoso.com");
  SessionSink s = read(text);
  ASSERT_EQ(s.rejects.size(), 1u);
  EXPECT_EQ(s.rejects[0].line, 6);
  EXPECT_NE(s.rejects[0].reason.find("date-time"), std::string::npos) << s.rejects[0].reason;
}

TEST(ExchangeTrackingReader, BadTotalBytesIsRejectedNamingTheField) {
  std::string text = std::string(kHeader2016) +
                     row("2026-11-18T10:00:00.000Z", "198.51.100.7", "203.0.113.25", "S1;t;0", "E\\Default",
                         "SMTP", "RECEIVE", "alice@contoso.com");
  std::string bad = text;
  bad.replace(bad.find(",1234,"), 6, ",12x4,");
  SessionSink s = read(bad);
  ASSERT_EQ(s.rejects.size(), 1u);
  EXPECT_NE(s.rejects[0].reason.find("total-bytes"), std::string::npos) << s.rejects[0].reason;
}

// A size over 1 TiB is a reject, as in the other readers (issue 16, item 6;
// the same gap was found in the Exchange Online reader by its fuzz target).
TEST(ExchangeTrackingReader, TotalBytesOver1TiBIsRejected) {
  std::string text = std::string(kHeader2016) +
                     row("2026-11-18T10:00:00.000Z", "198.51.100.7", "203.0.113.25", "S1;t;0", "E\\Default",
                         "SMTP", "RECEIVE", "alice@contoso.com");
  std::string over = text, limit = text;
  over.replace(over.find(",1234,"), 6, ",1099511627777,");
  limit.replace(limit.find(",1234,"), 6, ",1099511627776,");
  SessionSink s = read(over);
  ASSERT_EQ(s.rejects.size(), 1u);
  EXPECT_NE(s.rejects[0].reason.find("total-bytes '1099511627777'"), std::string::npos) << s.rejects[0].reason;
  EXPECT_TRUE(read(limit).rejects.empty());
}

TEST(ExchangeTrackingReader, DataBeforeTheFieldsLineIsATerminatingErrorNamingTheLine) {
  ExchangeTrackingReader reader(contoso());
  SessionSink sink;
  reader.line("#Software: Microsoft Exchange Server", 1, sink);
  try {
    reader.line("2026-11-18T09:00:00.000Z,10.0.0.1", 2, sink);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("#Fields"), std::string::npos) << e.what();
  }
}

TEST(ExchangeTrackingReader, ASecondHeaderBlockResetsTheColumns) {
  std::string text = std::string(kHeader2016) +
                     "#Software: Microsoft Exchange Server\r\n#Version: 14.0.0.0\r\n"
                     "#Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,"
                     "connector-id,source,event-id,internal-message-id,message-id,recipient-address,recipient-status,"
                     "total-bytes,recipient-count,related-recipient-address,reference,message-subject,sender-address,"
                     "return-path,message-info,directionality,tenant-id,original-client-ip,original-server-ip,"
                     "custom-data\r\n"
                     "2026-11-16T08:41:17.340Z,209.85.220.41,mail-sor-f41.google.com,10.0.3.31,EXHUB10,S9;t;0,"
                     "EXHUB10\\Default EXHUB10,SMTP,RECEIVE,1187,<x@gmail.com>,dave@contoso.com,,6120,1,,,s,"
                     "f@gmail.com,f@gmail.com,0cI:,,,,,\r\n";
  SessionSink s = read(text);
  ASSERT_EQ(s.traces.size(), 1u);
  EXPECT_EQ(s.traces[0].size, 6120);
}

TEST(ExchangeTrackingReader, ExportCsvWithJoinedArraysInTheGivenTimeZone) {
  ReaderOptions o = contoso();
  o.time_zone = "-05:00";
  o.utc_offset_seconds = -5 * 3600;
  SessionSink s = read_file("gmtl-export/joined-notype.csv", o);
  ASSERT_EQ(s.traces.size(), 3u);
  EXPECT_EQ(s.traces[0].received, at("2026-11-17T07:55:12Z"));
  EXPECT_EQ(s.traces[0].connector, "Default EXMBX13");
  EXPECT_EQ(s.traces[0].recipient, "dave@contoso.com;erin@contoso.com");
  EXPECT_EQ(s.keys[0], "exmbx13\\default exmbx13|08D9F1A2B3C4D501");
}

TEST(ExchangeTrackingReader, ExportCsvWithStringArraysIsRejectedNamingRecipients) {
  SessionSink s = read_file("gmtl-export/raw-export.csv");
  EXPECT_TRUE(s.traces.empty());
  ASSERT_EQ(s.rejects.size(), 4u);
  EXPECT_EQ(s.rejects[0].line, 3);
  EXPECT_NE(s.rejects[0].reason.find("Recipients"), std::string::npos) << s.rejects[0].reason;
  EXPECT_NE(s.rejects[0].reason.find("System.String[]"), std::string::npos) << s.rejects[0].reason;
}

// Outbound proxy: server-ip is the front end (inside), custom-data names the
// target; the send crosses the boundary to that target and its session key
// is the one the front end's protocol log reports under.
TEST(ExchangeTrackingReader, SendThroughTheFrontEndProxyIsOneOutboundRecordToTheTarget) {
  SessionSink s = read_file("proxy/EXMBX03/MSGTRK2026112010-1.LOG");
  ASSERT_TRUE(s.rejects.empty()) << s.rejects[0].reason;
  ASSERT_EQ(s.traces.size(), 3u);  // the STOREDRIVER submission makes none
  const Trace& q2 = s.traces[0];
  EXPECT_EQ(q2.direction, Direction::Outbound);
  EXPECT_EQ(q2.connector, "Outbound via Frontend");
  EXPECT_EQ(q2.recipient, "ivan@litware.example");
  EXPECT_EQ(q2.remote_host, "mail.litware.example");
  EXPECT_EQ(q2.remote_ip, "192.0.2.91");
  EXPECT_EQ(q2.status, "Delivered");
  EXPECT_EQ(q2.tls, TlsVersion::Unknown);
  EXPECT_EQ(s.keys[0], "outbound proxy|08DE2F3A4B5C6D07");
  // The deferral, still open at the end of the file, comes last: Pending.
  EXPECT_EQ(s.traces[2].status, "Pending");
  EXPECT_EQ(s.traces[2].remote_ip, "192.0.2.80");
  EXPECT_EQ(s.keys[2], "outbound proxy|08DE2F3A4B5C6D01");
}

TEST(ExchangeTrackingReader, WithoutTheProxyTargetTheFrontEndHopIsInside) {
  std::string text = slurp(kData + "proxy/EXMBX03/MSGTRK2026112010-1.LOG");
  for (std::size_t at = text.find("S:OutboundProxyTargetIPAddress="); at != std::string::npos;
       at = text.find("S:OutboundProxyTargetIPAddress=", at))
    text.replace(at, 2, "S:X");  // another key: not the target
  SessionSink s = read(text);
  EXPECT_TRUE(s.traces.empty());
}

// Record lifecycle (SPEC section 4): an outbound outcome carries one key per
// recipient, message id and address; a DEFER in one file and its SEND in the
// next carry the same key, so the store turns the Pending record into the
// Delivered one.
TEST(ExchangeTrackingReader, DeferAndSendInTwoFilesCarryTheSameLifecycleKey) {
  SessionSink first = read_file("proxy/EXMBX03/MSGTRK2026112010-1.LOG");
  SessionSink second = read_file("proxy/EXMBX03/MSGTRK2026112011-1.LOG");
  const std::vector<std::string> key = {"msgtrk/<AM0PR02MB5634C1D2E3F4A5B6@EXMBX03.contoso.com>/gina@northwind.example;"};
  ASSERT_EQ(first.lifecycle.size(), 3u);
  EXPECT_EQ(first.traces[2].status, "Pending");
  EXPECT_EQ(first.lifecycle[2], key);
  ASSERT_EQ(second.lifecycle.size(), 1u);
  EXPECT_EQ(second.traces[0].status, "Delivered");
  EXPECT_EQ(second.lifecycle[0], key);
  EXPECT_EQ(ExchangeTrackingReader::lifecycle_key(" <M@x> ", "Gina@Northwind.Example"), "msgtrk/<M@x>/gina@northwind.example;");
}

TEST(ExchangeTrackingReader, RecipientsOfOneOutcomeEachHaveAKeyAndInboundHasNone) {
  SessionSink s = read_file("ex2010/MSGTRK20261116-1.LOG");
  ASSERT_EQ(s.traces.size(), 3u);
  EXPECT_TRUE(s.lifecycle[0].empty());  // inbound: never deferred here
  EXPECT_EQ(s.lifecycle[1].size(), 3u);  // gina, hank, ivy
  EXPECT_EQ(s.lifecycle[1][1], "msgtrk/" + s.traces[1].message_id.value() + "/hank@northwind.example;");
}

// A FAIL that crosses nothing (the queue gave up on a deferred recipient)
// fails the Pending record an earlier import kept; the reader cannot know
// whether there is one, so it asks the store for exactly that key.
TEST(ExchangeTrackingReader, QueueFailEndsADeferralOfAnEarlierImport) {
  std::string text = std::string(kHeader2016) +
                     row("2026-11-19T11:04:40.271Z", "", "", "", "", "QUEUE", "FAIL", "gina@northwind.example") +
                     row("2026-11-19T11:04:41.000Z", "", "", "", "", "ROUTING", "FAIL", "System.String[]");
  SessionSink s = read(text);
  EXPECT_TRUE(s.traces.empty());
  EXPECT_TRUE(s.rejects.empty());
  ASSERT_EQ(s.expired.size(), 1u);
  EXPECT_EQ(s.expired[0].first, "msgtrk/<m1@contoso.com>/gina@northwind.example;");
  EXPECT_EQ(s.expired[0].second, at("2026-11-19T11:04:40Z"));
}

}  // namespace
}  // namespace mailflow
