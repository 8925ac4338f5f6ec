#include "ingest/exchange_fields.h"

#include <gtest/gtest.h>

#include "ingest/delimited_record.h"
#include "ingest/trace_reader.h"
#include "ingest/utf16_lines.h"

namespace mailflow {
namespace {

UnixSeconds at(const char* iso) { return *parse_instant(iso); }

TEST(ExchangeTime, EveryFormExchangeWrites) {
  EXPECT_EQ(parse_exchange_time("2026-11-18T09:00:02.151Z", 0), at("2026-11-18T09:00:02Z"));
  EXPECT_EQ(parse_exchange_time("2026-11-19T08:02:11.4830000Z", 3600), at("2026-11-19T08:02:11Z"));
  EXPECT_EQ(parse_exchange_time("11/17/2026 2:55:12 AM", -5 * 3600), at("2026-11-17T07:55:12Z"));
  EXPECT_EQ(parse_exchange_time("11/17/2026 12:05:00 PM", 0), at("2026-11-17T12:05:00Z"));
  EXPECT_EQ(parse_exchange_time("11/17/2026 12:05:00 AM", 0), at("2026-11-17T00:05:00Z"));
  EXPECT_EQ(parse_exchange_time("11/17/2026 14:05:00", 0), at("2026-11-17T14:05:00Z"));
  EXPECT_EQ(parse_exchange_time("/Date(1795075331483)/", 0), at("2026-11-19T08:02:11Z"));
  EXPECT_EQ(parse_exchange_time("\\/Date(1795075331483)\\/", 0), at("2026-11-19T08:02:11Z"));
  EXPECT_FALSE(parse_exchange_time("", 0));
  EXPECT_FALSE(parse_exchange_time("2026-13-40T09:00:00.000Z", 0));
  EXPECT_FALSE(parse_exchange_time("13/17/2026 2:55:12 AM", 0));
  EXPECT_FALSE(parse_exchange_time("11/17/2026 13:55:12 PM", 0));
  EXPECT_FALSE(parse_exchange_time("/Date(abc)/", 0));
}

TEST(ExchangeFields, NamesRecipientsConnectorsSessions) {
  EXPECT_EQ(header_key("recipient-address"), "recipientaddress");
  EXPECT_EQ(header_key("Recipient_Address"), "recipientaddress");
  EXPECT_EQ(split_recipients("a@x; b@y;;"), (std::vector<std::string>{"a@x", "b@y"}));
  EXPECT_EQ(connector_name("EXEDGE01\\Default internal receive connector EXEDGE01"),
            "Default internal receive connector EXEDGE01");
  EXPECT_EQ(connector_name("Internet Send Connector"), "Internet Send Connector");
  EXPECT_EQ(session_id_of("08DE2D1A3F5B7C21;2026-11-18T10:15:02.500Z;0"), "08DE2D1A3F5B7C21");
  EXPECT_EQ(session_id_of("08DE2D1A3F5B7C07;250 2.0.0 Ok: queued as 4Dk1vX0bYcz9sWJ"), "08DE2D1A3F5B7C07");
  EXPECT_EQ(session_id_of("Transport Rule Agent"), "");
  EXPECT_EQ(session_id_of("MDB:61914740-3f1b-4ddb-94e0-557196870cfa, Mailbox:x"), "");
  EXPECT_EQ(session_key("EXEDGE01\\Default EXEDGE01", "08DE2D1A3F5B7C21"), "exedge01\\default exedge01|08DE2D1A3F5B7C21");
}

TEST(DelimitedRecord, QuotingAsRfc4180) {
  DelimitedRecord r;
  ASSERT_EQ(r.add("a,\"b, \"\"c\"\"\",,\"\"", 1), DelimitedRecord::Status::Complete);
  EXPECT_EQ(r.values(), (std::vector<std::string>{"a", "b, \"c\"", "", ""}));
  ASSERT_EQ(r.add("x,\"first", 2), DelimitedRecord::Status::Open);
  ASSERT_EQ(r.add("second\",y", 3), DelimitedRecord::Status::Complete);
  EXPECT_EQ(r.first_line(), 2);
  EXPECT_EQ(r.values(), (std::vector<std::string>{"x", "first\nsecond", "y"}));
  EXPECT_EQ(r.raw(), "x,\"first\nsecond\",y");
  EXPECT_EQ(r.add("\"a\"b,c", 4), DelimitedRecord::Status::BadQuoting);
  EXPECT_EQ(r.add(std::string(kMaxRecordBytes + 1, 'x'), 5), DelimitedRecord::Status::TooLong);
}

// The line source cuts at 0x0A bytes: "\n" of UTF-16LE (0A 00) leaves its
// 00 at the start of the next piece; U+010A (0A 01) is cut in two as well.
TEST(Utf16LeLines, PutsTheLineSourcesPiecesBackTogether) {
  std::u16string text = u"\"a\",\"b\"\r\n\"\u010Ax\",\"\U0001F600\"\r\n";
  std::string bytes = "\xFF\xFE";
  for (char16_t c : text) {
    bytes.push_back(static_cast<char>(c & 0xFF));
    bytes.push_back(static_cast<char>(c >> 8));
  }
  std::vector<std::string> pieces;
  std::size_t start = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i)
    if (bytes[i] == '\x0A') {
      pieces.push_back(bytes.substr(start, i - start));
      start = i + 1;
    }
  pieces.push_back(bytes.substr(start));
  std::vector<std::string> lines;
  Utf16LeLines d;
  for (const std::string& p : pieces) d.feed(p, [&](std::string_view l) { lines.emplace_back(l); });
  d.finish([&](std::string_view l) { lines.emplace_back(l); });
  EXPECT_EQ(lines, (std::vector<std::string>{"\"a\",\"b\"", "\"\xC4\x8Ax\",\"\xF0\x9F\x98\x80\""}));
}

TEST(ExchangeFields, CustomDataValuesByKey) {
  const char* data =
      "S:OutboundProxyTargetIPAddress=192.0.2.70;S:OutboundProxyTargetHostName=mx.adatum.example; "
      "S:OutboundProxyFrontendName=EXMBX13.contoso.com;I:Count=3";
  EXPECT_EQ(custom_data_value(data, "OutboundProxyTargetIPAddress"), "192.0.2.70");
  EXPECT_EQ(custom_data_value(data, "outboundproxytargethostname"), "mx.adatum.example");
  EXPECT_EQ(custom_data_value(data, "OutboundProxyFrontendName"), "EXMBX13.contoso.com");
  EXPECT_EQ(custom_data_value(data, "Count"), "3");
  EXPECT_EQ(custom_data_value(data, "OutboundProxyTarget"), "");  // whole keys only
  EXPECT_EQ(custom_data_value("", "Count"), "");
}

TEST(ExchangeFields, OutboundProxyKeyNamesTheTransportSession) {
  EXPECT_EQ(outbound_proxy_key("08DE2F3A4B5C6D12"), "outbound proxy|08DE2F3A4B5C6D12");
  EXPECT_EQ(outbound_proxy_key(" 08DE2F3A4B5C6D12 "), outbound_proxy_key("08DE2F3A4B5C6D12"));
  // Never the key of an ordinary session of a connector with another name.
  EXPECT_NE(outbound_proxy_key("08DE2F3A4B5C6D12"), session_key("Outbound via Frontend", "08DE2F3A4B5C6D12"));
}

}  // namespace
}  // namespace mailflow
