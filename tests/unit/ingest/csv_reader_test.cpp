#include "ingest/csv_reader.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "reader_harness.h"

namespace mailflow {

using testing::CollectingSink;
using testing::feed;

namespace {

const char* kHeader =
    "received,direction,connector,tls,cipher,sender,recipient,remote_host,remote_ip,size,status,"
    "message_id\n";

CollectingSink read_csv(const std::string& text, ReaderOptions options = {}) {
  CsvReader reader(options);
  CollectingSink sink;
  feed(reader, text, sink);
  return sink;
}

}  // namespace

TEST(CsvReader, ReadsAllCanonicalFields) {
  auto sink = read_csv(std::string(kHeader) +
                       "2026-11-16T08:15:02Z,Inbound,Fabrikam Partner Inbound,TLS1.0,"
                       "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,anna@fabrikam.com,ben@contoso.com,"
                       "mail.fabrikam.com,203.0.113.25,48213,Delivered,<a1@fabrikam.com>\n");
  ASSERT_EQ(sink.traces.size(), 1u);
  ASSERT_TRUE(sink.rejects.empty());
  const Trace& t = sink.traces[0];
  EXPECT_EQ(format_instant(t.received), "2026-11-16T08:15:02Z");
  EXPECT_EQ(t.direction, Direction::Inbound);
  EXPECT_EQ(t.connector, "Fabrikam Partner Inbound");
  EXPECT_EQ(t.tls, TlsVersion::Tls10);
  EXPECT_EQ(t.cipher, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA");
  EXPECT_EQ(t.sender, "anna@fabrikam.com");
  EXPECT_EQ(t.recipient, "ben@contoso.com");
  EXPECT_EQ(t.remote_host, "mail.fabrikam.com");
  EXPECT_EQ(t.remote_ip, "203.0.113.25");
  EXPECT_EQ(t.size, 48213);
  EXPECT_EQ(t.status, "Delivered");
  EXPECT_EQ(t.message_id, "<a1@fabrikam.com>");
  EXPECT_EQ(sink.trace_lines[0], 2);
}

TEST(CsvReader, HeaderKeysInAnyOrderAndCaseWithExtraColumns) {
  auto sink = read_csv(
      "Recipient,SENDER,Extra,Direction,Received\n"
      "ben@contoso.com,anna@fabrikam.com,ignored,outbound,2026-11-16T08:15:02Z\n");
  ASSERT_EQ(sink.traces.size(), 1u);
  const Trace& t = sink.traces[0];
  EXPECT_EQ(t.direction, Direction::Outbound);
  EXPECT_EQ(t.sender, "anna@fabrikam.com");
  EXPECT_EQ(t.recipient, "ben@contoso.com");
  EXPECT_EQ(t.tls, TlsVersion::None);
  EXPECT_EQ(t.status, "Delivered");  // missing status
  EXPECT_FALSE(t.connector.has_value());
  EXPECT_EQ(t.size, 0);
}

TEST(CsvReader, EmptyConnectorIsNilAndEmptyStatusIsDelivered) {
  auto sink = read_csv(std::string(kHeader) +
                       "2026-11-16T08:15:02Z,Inbound,,tlsv1.2,,a@b.example,c@contoso.com,,,10,,\n");
  ASSERT_EQ(sink.traces.size(), 1u);
  EXPECT_FALSE(sink.traces[0].connector.has_value());
  EXPECT_FALSE(sink.traces[0].cipher.has_value());
  EXPECT_FALSE(sink.traces[0].message_id.has_value());
  EXPECT_EQ(sink.traces[0].tls, TlsVersion::Tls12);
  EXPECT_EQ(sink.traces[0].status, "Delivered");
}

TEST(CsvReader, QuotedFieldsWithCommasQuotesAndNewlines) {
  auto sink = read_csv(std::string(kHeader) +
                       "2026-11-16T08:15:02Z,Inbound,\"Partner, Inc. \"\"EU\"\" Inbound\",1.3,,"
                       "\"a@b.example\",c@contoso.com,,,10,Failed,\"<multi\nline\r\nid>\"\n"
                       "2026-11-16T08:16:00Z,Outbound,,None,,x@contoso.com,y@b.example,,,\"\",,\n");
  ASSERT_EQ(sink.rejects.size(), 0u) << sink.rejects[0].reason;
  ASSERT_EQ(sink.traces.size(), 2u);
  EXPECT_EQ(sink.traces[0].connector, "Partner, Inc. \"EU\" Inbound");
  EXPECT_EQ(sink.traces[0].message_id, "<multi\nline\nid>");
  EXPECT_EQ(sink.traces[0].status, "Failed");
  EXPECT_EQ(sink.traces[0].tls, TlsVersion::Tls13);
  EXPECT_EQ(sink.trace_lines[0], 2);
  EXPECT_EQ(sink.trace_lines[1], 5);  // the quoted record spanned lines 2-4
}

TEST(CsvReader, CrlfAndByteOrderMark) {
  std::string text = "\xEF\xBB\xBF" + std::string(kHeader);
  text.insert(text.size() - 1, "\r");
  text += "2026-11-16T08:15:02Z,Inbound,,TLS1.2,,a@b.example,c@contoso.com,,,10,,<id@x>\r\n";
  auto sink = read_csv(text);
  ASSERT_EQ(sink.traces.size(), 1u);
  EXPECT_EQ(sink.traces[0].message_id, "<id@x>");
}

TEST(CsvReader, TimeZoneOffsetsBecomeUtc) {
  ReaderOptions options;
  options.utc_offset_seconds = 3600;  // -TimeZone +01:00 for timestamps without an offset
  auto sink = read_csv(std::string(kHeader) +
                           "2026-11-16T09:15:02+01:00,Inbound,,,,a@b,c@d,,,1,,\n"
                           "2026-11-16T03:15:02-0500,Inbound,,,,a@b,c@d,,,1,,\n"
                           "2026-11-16 09:15:02,Inbound,,,,a@b,c@d,,,1,,\n"
                           "2026-11-16T08:15:02.123Z,Inbound,,,,a@b,c@d,,,1,,\n",
                       options);
  ASSERT_EQ(sink.traces.size(), 4u);
  for (const Trace& t : sink.traces) EXPECT_EQ(format_instant(t.received), "2026-11-16T08:15:02Z");
}

TEST(CsvReader, EveryRejectReason) {
  std::string big(kMaxFieldBytes + 1, 'x');
  auto sink = read_csv(std::string(kHeader) +
                       "2026-13-16T08:15:02Z,Inbound,,,,a@b,c@d,,,1,,\n"          // 2
                       "2026-11-16T08:15:02Z,Sideways,,,,a@b,c@d,,,1,,\n"         // 3
                       "2026-11-16T08:15:02Z,Inbound,,SSL3,,a@b,c@d,,,1,,\n"      // 4
                       "2026-11-16T08:15:02Z,Inbound,,,,a@b,c@d,,,1,\n"           // 5
                       "2026-11-16T08:15:02Z,Inbound,,,,a\xff@b,c@d,,,1,,\n"      // 6
                       "2026-11-16T08:15:02Z,Inbound,,,," + big + ",c@d,,,1,,\n"  // 7
                       "2026-11-16T08:15:02Z,Inbound,,,,a@b,c@d,,,-4,,\n"         // 8
                       "2026-11-16T08:15:02Z,Inbound,\"x\"y,,,a@b,c@d,,,1,,\n"    // 9
                       "2026-11-16T08:15:02Z,Inbound,,,,a@b,c@d,,,1,,\"open\n");  // 10
  ASSERT_EQ(sink.traces.size(), 0u);
  ASSERT_EQ(sink.rejects.size(), 9u);
  EXPECT_EQ(sink.rejects[0].line, 2);
  EXPECT_EQ(sink.rejects[0].reason, "bad timestamp in received: '2026-13-16T08:15:02Z'");
  EXPECT_EQ(sink.rejects[0].text, "2026-13-16T08:15:02Z,Inbound,,,,a@b,c@d,,,1,,");
  EXPECT_EQ(sink.rejects[1].reason, "unknown direction: 'Sideways'");
  EXPECT_EQ(sink.rejects[2].reason, "bad TLS value: 'SSL3'");
  EXPECT_EQ(sink.rejects[3].reason, "wrong column count: 11 fields, header has 12");
  EXPECT_EQ(sink.rejects[4].reason, "invalid UTF-8 in sender");
  EXPECT_EQ(sink.rejects[5].reason, "field sender longer than 4096 bytes");
  EXPECT_EQ(sink.rejects[6].reason, "bad size: '-4'");
  EXPECT_EQ(sink.rejects[7].reason, "bad CSV quoting: text after a closing quote");
  EXPECT_EQ(sink.rejects[8].line, 10);
  EXPECT_EQ(sink.rejects[8].reason, "unterminated quoted field");
}

// Sizes up to INT64_MAX were accepted and the daily rollup's byte sum
// overflowed: a size over 1 TiB, or one that does not fit, is a reject.
TEST(CsvReader, SizeOutOfRangeIsRejected) {
  auto sink = read_csv(std::string(kHeader) +
                       "2026-11-16T08:15:02Z,Inbound,,,,a@b,c@d,,,9223372036854775807,,\n"
                       "2026-11-16T08:15:02Z,Inbound,,,,a@b,c@d,,,99999999999999999999999,,\n"
                       "2026-11-16T08:15:02Z,Inbound,,,,a@b,c@d,,,1099511627776,,\n");
  ASSERT_EQ(sink.rejects.size(), 2u);
  EXPECT_EQ(sink.rejects[0].reason, "size out of range (over 1 TiB): '9223372036854775807'");
  EXPECT_EQ(sink.rejects[1].reason, "size out of range (over 1 TiB): '99999999999999999999999'");
  ASSERT_EQ(sink.traces.size(), 1u);
  EXPECT_EQ(sink.traces[0].size, kMaxMessageSize);
}

TEST(CsvReader, RunawayQuoteIsCutAtTheRecordLimitAndReadingResumes) {
  std::string text = std::string(kHeader) + "2026-11-16T08:15:02Z,Inbound,\"runaway\n";
  std::string filler(1000, 'z');
  for (int i = 0; i < 70; ++i) text += filler + "\n";
  text += "2026-11-16T08:15:02Z,Inbound,,,,a@b,c@d,,,1,,\n";
  auto sink = read_csv(text);
  ASSERT_GE(sink.rejects.size(), 1u);
  EXPECT_EQ(sink.rejects[0].line, 2);
  EXPECT_EQ(sink.rejects[0].reason, "record longer than 65536 bytes");
  ASSERT_EQ(sink.traces.size(), 1u);
  EXPECT_EQ(sink.trace_lines[0], 73);
}

TEST(CsvReader, MissingRequiredHeaderColumnIsATerminatingError) {
  CsvReader reader({});
  CollectingSink sink;
  try {
    feed(reader, "received,direction,sender\n2026-11-16T08:15:02Z,Inbound,a@b\n", sink);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("lacks the column(s) recipient"), std::string::npos) << e.what();
  }
}

TEST(CsvReader, BlankLinesAreSkipped) {
  auto sink = read_csv("\n" + std::string(kHeader) + "\n\n2026-11-16T08:15:02Z,Inbound,,,,a@b,c@d,,,1,,\n\n");
  EXPECT_EQ(sink.traces.size(), 1u);
  EXPECT_EQ(sink.rejects.size(), 0u);
}

TEST(CsvReader, DetectsCanonicalHeaderOnly) {
  EXPECT_TRUE(CsvReader::looks_like({kHeader}));
  EXPECT_TRUE(CsvReader::looks_like({"\"Received\",\"Direction\",\"Sender\",\"Recipient\""}));
  EXPECT_FALSE(CsvReader::looks_like({"date,from,to"}));
  EXPECT_FALSE(CsvReader::looks_like({"{\"received\":1}"}));
}

}  // namespace mailflow

namespace mailflow {

TEST(CsvReader, TlsTrustIsOptionalCaseInsensitiveAndCheckedWithAReason) {
  auto sink = read_csv(
      "received,direction,sender,recipient,tls,TLS_Trust\n"
      "2026-11-16T08:15:02Z,Inbound,a@fabrikam.com,b@contoso.com,TLS1.2,verified\n"
      "2026-11-16T08:15:03Z,Inbound,a@fabrikam.com,b@contoso.com,TLS1.2,\n"
      "2026-11-16T08:15:04Z,Inbound,a@fabrikam.com,b@contoso.com,TLS1.2,Unknown\n");
  ASSERT_EQ(sink.traces.size(), 2u);
  EXPECT_EQ(sink.traces[0].tls_trust, TlsTrust::Verified);
  EXPECT_FALSE(sink.traces[1].tls_trust);
  ASSERT_EQ(sink.rejects.size(), 1u);
  EXPECT_EQ(sink.rejects[0].line, 4);
  EXPECT_EQ(sink.rejects[0].reason,
            "bad TLS trust value in tls_trust: 'Unknown' (Anonymous, Untrusted, Trusted or Verified)");

  auto without = read_csv(std::string(kHeader) +
                          "2026-11-16T08:15:02Z,Inbound,,TLS1.3,,a@x.com,b@contoso.com,,,1,Delivered,\n");
  ASSERT_EQ(without.traces.size(), 1u);
  EXPECT_FALSE(without.traces[0].tls_trust);
}

}  // namespace mailflow
