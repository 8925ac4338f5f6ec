#include "ingest/jsonl_reader.h"

#include <gtest/gtest.h>

#include "reader_harness.h"

namespace mailflow {

using testing::CollectingSink;
using testing::feed;

namespace {

CollectingSink read_jsonl(const std::string& text) {
  JsonlReader reader({});
  CollectingSink sink;
  feed(reader, text, sink);
  return sink;
}

}  // namespace

TEST(JsonlReader, ReadsCanonicalKeysInAnyCase) {
  auto sink = read_jsonl(
      R"({"Received":"2026-11-16T09:15:02+01:00","DIRECTION":"outbound","connector":"Contoso On-Premises Outbound",)"
      R"("tls":"TLSv1.3","cipher":"TLS_AES_256_GCM_SHA384","sender":"a@contoso.com","recipient":"b@example.org",)"
      R"("remote_host":"mx.example.org","remote_ip":"198.51.100.7","size":1234,"status":"pending","message_id":"<x@y>",)"
      R"("extra":{"nested":[1,2,{"deep":null}]}})"
      "\n");
  ASSERT_TRUE(sink.rejects.empty()) << sink.rejects[0].reason;
  ASSERT_EQ(sink.traces.size(), 1u);
  const Trace& t = sink.traces[0];
  EXPECT_EQ(format_instant(t.received), "2026-11-16T08:15:02Z");
  EXPECT_EQ(t.direction, Direction::Outbound);
  EXPECT_EQ(t.connector, "Contoso On-Premises Outbound");
  EXPECT_EQ(t.tls, TlsVersion::Tls13);
  EXPECT_EQ(t.size, 1234);
  EXPECT_EQ(t.status, "Pending");
  EXPECT_EQ(t.remote_ip, "198.51.100.7");
}

TEST(JsonlReader, NullAndEmptyMeanNil) {
  auto sink = read_jsonl(
      R"({"received":"2026-11-16T08:15:02Z","direction":"Inbound","connector":null,"tls":"","sender":"","recipient":"r@contoso.com","status":""})");
  ASSERT_EQ(sink.traces.size(), 1u);
  EXPECT_FALSE(sink.traces[0].connector.has_value());
  EXPECT_EQ(sink.traces[0].tls, TlsVersion::None);
  EXPECT_EQ(sink.traces[0].sender, "");
  EXPECT_EQ(sink.traces[0].status, "Delivered");
}

TEST(JsonlReader, StringEscapesIncludingSurrogatePairs) {
  auto sink = read_jsonl(
      R"({"received":"2026-11-16T08:15:02Z","direction":"Inbound","sender":"q\"uo\\te\/\b\f\n\r\tx",)"
      R"("recipient":"caf\u00e9 \u20ac \ud83d\ude00@contoso.com","connector":"\u0041BC"})");
  ASSERT_TRUE(sink.rejects.empty()) << sink.rejects[0].reason;
  ASSERT_EQ(sink.traces.size(), 1u);
  EXPECT_EQ(sink.traces[0].sender, "q\"uo\\te/\b\f\n\r\tx");
  EXPECT_EQ(sink.traces[0].recipient, "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80@contoso.com");
  EXPECT_EQ(sink.traces[0].connector, "ABC");
}

TEST(JsonlReader, RejectsMalformedJsonWithTheReason) {
  auto sink = read_jsonl(
      "{\"received\":\"2026-11-16T08:15:02Z\",\"direction\":\"Inbound\"\n"       // 1 missing }
      "{\"received\":\"x\\ud83d\"}\n"                                               // 2 lone surrogate
      "{\"received\":\"x\\q\"}\n"                                                   // 3 bad escape
      "{\"received\":\"2026-11-16T08:15:02Z\"} trailing\n"                         // 4
      "[1,2]\n"                                                                     // 5
      "{\"received\":\"a\",\"RECEIVED\":\"b\"}\n"                                   // 6 duplicate
      "{\"received\":[\"2026-11-16\"]}\n"                                           // 7 composite
      "{\"received\":\"2026-11-16T08:15:02Z\",\"direction\":\"Inbound\",\"recipient\":\"r\"}\n"  // 8
      "{\"size\":01}\n"                                                             // 9
      "{\"received\":\"\xff\"}\n"                                                   // 10
      "{\"received\":\"tab\there\"}\n");                                            // 11
  ASSERT_EQ(sink.traces.size(), 0u);
  ASSERT_EQ(sink.rejects.size(), 11u);
  EXPECT_EQ(sink.rejects[0].reason, "bad JSON: expected ',' or '}' at column 57");
  EXPECT_EQ(sink.rejects[1].reason, "bad JSON: unpaired surrogate in \\u escape at column 21");
  EXPECT_EQ(sink.rejects[2].reason, "bad JSON: bad escape '\\q' at column 15");
  EXPECT_EQ(sink.rejects[3].reason, "bad JSON: unexpected text after the object at column 37");
  EXPECT_EQ(sink.rejects[4].reason, "bad JSON: expected '{' at column 1");
  EXPECT_EQ(sink.rejects[5].reason, "bad JSON: duplicate key 'received'");
  EXPECT_EQ(sink.rejects[6].reason, "bad JSON: value of 'received' is not a string or number");
  EXPECT_EQ(sink.rejects[7].reason, "missing sender");
  EXPECT_EQ(sink.rejects[8].reason, "bad JSON: expected ',' or '}' at column 10");
  EXPECT_EQ(sink.rejects[9].reason, "invalid UTF-8");
  EXPECT_EQ(sink.rejects[10].reason, "bad JSON: control character in string at column 17");
  for (size_t i = 0; i < sink.rejects.size(); ++i) EXPECT_EQ(sink.rejects[i].line, static_cast<std::int64_t>(i + 1));
  EXPECT_EQ(sink.rejects[4].text, "[1,2]");
}

TEST(JsonlReader, SameValueRulesAsCsv) {
  auto sink = read_jsonl(
      R"({"received":"2026-11-16T08:15:02Z","direction":"Up","sender":"a","recipient":"b"})" "\n"
      R"({"received":"2026-11-16T08:15:02Z","direction":"Inbound","tls":"SSLv3","sender":"a","recipient":"b"})" "\n"
      R"({"received":"2026-11-16T08:15:02Z","direction":"Inbound","size":1.5,"sender":"a","recipient":"b"})" "\n"
      R"({"received":"2026-11-16T08:15:02Z","direction":"Inbound","size":"77","sender":"a","recipient":"b"})" "\n");
  ASSERT_EQ(sink.rejects.size(), 3u);
  EXPECT_EQ(sink.rejects[0].reason, "unknown direction: 'Up'");
  EXPECT_EQ(sink.rejects[1].reason, "bad TLS value: 'SSLv3'");
  EXPECT_EQ(sink.rejects[2].reason, "bad size: '1.5'");
  ASSERT_EQ(sink.traces.size(), 1u);
  EXPECT_EQ(sink.traces[0].size, 77);
}

TEST(ReaderFormats, AutoDetectionByContent) {
  auto detect = [](std::vector<std::string> head) -> std::string {
    const ReaderFormat* f = detect_reader_format(head);
    return f ? f->name : "none";
  };
  EXPECT_EQ(detect({R"({"received":"2026-11-16T08:15:02Z"})"}), "Jsonl");
  EXPECT_EQ(detect({"  {\"a\":1}"}), "Jsonl");
  EXPECT_EQ(detect({"received,direction,connector,tls,cipher,sender,recipient,remote_host,remote_ip,size,status,message_id"}), "Csv");
  EXPECT_EQ(detect({"RECIPIENT;SENDER"}), "none");
  EXPECT_EQ(detect({"Nov 16 08:15:02 mx1 postfix/smtpd[1234]: connect from unknown[203.0.113.9]"}), "Postfix");
  ASSERT_NE(find_reader_format("csv"), nullptr);
  EXPECT_EQ(find_reader_format("csv")->name, "Csv");
  EXPECT_EQ(find_reader_format("Sendmail"), nullptr);
}

}  // namespace mailflow

namespace mailflow {

TEST(JsonlReader, TlsTrustAsInCsv) {
  auto sink = read_jsonl(
      R"({"received":"2026-11-16T08:15:02Z","direction":"Inbound","sender":"a@x","recipient":"r@contoso.com","TLS_TRUST":"ANONYMOUS"})"
      "\n"
      R"({"received":"2026-11-16T08:15:03Z","direction":"Inbound","sender":"a@x","recipient":"r@contoso.com","tls_trust":null})"
      "\n"
      R"({"received":"2026-11-16T08:15:04Z","direction":"Inbound","sender":"a@x","recipient":"r@contoso.com","tls_trust":"yes"})"
      "\n");
  ASSERT_EQ(sink.traces.size(), 2u);
  EXPECT_EQ(sink.traces[0].tls_trust, TlsTrust::Anonymous);
  EXPECT_FALSE(sink.traces[1].tls_trust);
  ASSERT_EQ(sink.rejects.size(), 1u);
  EXPECT_EQ(sink.rejects[0].reason,
            "bad TLS trust value in tls_trust: 'yes' (Anonymous, Untrusted, Trusted or Verified)");
}

}  // namespace mailflow
