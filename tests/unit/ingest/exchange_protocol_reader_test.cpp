#include "ingest/exchange_protocol_reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/error.h"
#include "reader_harness.h"

namespace mailflow {
namespace {

using testing::CollectingSink;
using testing::feed;

struct ProtocolSink : CollectingSink {
  void session_tls(const SessionTls& s, std::int64_t) override { sessions.push_back(s); }
  void tls_failure(const TlsHandshakeFailure& f, std::int64_t) override { failures.push_back(f); }
  std::vector<SessionTls> sessions;
  std::vector<TlsHandshakeFailure> failures;
};

std::string slurp(const std::string& rel) {
  std::ifstream in(std::string(MAILFLOW_TEST_DATA) + "/exchange/" + rel, std::ios::binary);
  EXPECT_TRUE(in) << rel;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

ProtocolSink read(const std::string& text) {
  ReaderOptions o;
  o.internal_networks = {"10.0.0.0/16"};
  ExchangeProtocolReader reader(o);
  ProtocolSink sink;
  feed(reader, text, sink);
  return sink;
}

const SessionTls* find(const ProtocolSink& s, std::string_view session) {
  for (const SessionTls& t : s.sessions)
    if (t.key.ends_with(session)) return &t;
  return nullptr;
}

TEST(ExchangeTlsLine, EveryVersionOnBothSides) {
  struct Case {
    const char* text;
    TlsVersion version;
  } cases[] = {
      {"TLS protocol SP_PROT_TLS1_0_SERVER negotiation succeeded using bulk encryption algorithm CALG_AES_128 "
       "with strength 128 bits, MAC hash algorithm CALG_SHA1 with strength 160 bits and key exchange algorithm "
       "CALG_ECDH_EPHEM with strength 256 bits",
       TlsVersion::Tls10},
      {"TLS protocol SP_PROT_TLS1_1_SERVER negotiation succeeded using bulk encryption algorithm CALG_AES_256 "
       "with strength 256 bits, MAC hash algorithm CALG_SHA1 with strength 160 bits and key exchange algorithm "
       "CALG_ECDH_EPHEM with strength 256 bits",
       TlsVersion::Tls11},
      {"TLS protocol SP_PROT-TLS1_2_CLIENT negotiation succeeded using bulk encryption algorithm CALG_AES_256 "
       "with strength 256 bits, MAC hash algorithm CALG_SHA_384 with strength 0 bits and key exchange algorithm "
       "CALG_ECDH_EPHEM with strength 384 bits",
       TlsVersion::Tls12},
      {"TLS protocol SP_PROT_TLS1_2_CLIENT negotiation succeeded using bulk encryption algorithm CALG_AES_128 "
       "with strength 128 bits, MAC hash algorithm CALG_SHA_256 with strength 0 bits and key exchange algorithm "
       "CALG_ECDH_EPHEM with strength 256 bits",
       TlsVersion::Tls12},
      {"TLS protocol SP_PROT_TLS1_3_SERVER negotiation succeeded using bulk encryption algorithm CALG_AES_256 "
       "with strength 256 bits, MAC hash algorithm CALG_SHA_384 with strength 0 bits and key exchange algorithm "
       "CALG_ECDH_EPHEM with strength 384 bits",
       TlsVersion::Tls13},
  };
  for (const Case& c : cases) {
    auto got = parse_exchange_tls_line(c.text);
    ASSERT_TRUE(got) << c.text;
    EXPECT_EQ(got->tls, c.version) << c.text;
  }
  auto t = parse_exchange_tls_line(cases[2].text);
  EXPECT_EQ(t->cipher, "CALG_AES_256/CALG_SHA_384/CALG_ECDH_EPHEM");
  EXPECT_FALSE(parse_exchange_tls_line("TLS protocol SP_PROT_SSL3_SERVER negotiation succeeded using x"));
  EXPECT_FALSE(parse_exchange_tls_line("Sending certificate"));
}

TEST(ExchangeProtocolReader, ReceiveLogSessions) {
  ProtocolSink s = read(slurp("multiserver/EXEDGE01/RECV2026111809-1.LOG"));
  EXPECT_TRUE(s.rejects.empty());
  EXPECT_TRUE(s.traces.empty());
  const SessionTls* partner = find(s, "|08DE2D1A3F5B7C21");
  ASSERT_TRUE(partner);
  EXPECT_EQ(partner->key, "exedge01\\default internal receive connector exedge01|08DE2D1A3F5B7C21");
  EXPECT_EQ(partner->tls, TlsVersion::Tls12);
  EXPECT_EQ(partner->cipher, "CALG_AES_256/CALG_SHA_384/CALG_ECDH_EPHEM");
  const SessionTls* plain = find(s, "|08DE2D1A3F5B7C23");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->tls, TlsVersion::None);
  EXPECT_FALSE(plain->cipher);
  ASSERT_EQ(s.failures.size(), 1u);
  EXPECT_EQ(s.failures[0].direction, Direction::Inbound);
  EXPECT_EQ(s.failures[0].peer_ip, "203.0.113.201");
  EXPECT_EQ(s.failures[0].reason, "SocketError");
  EXPECT_FALSE(find(s, "|08DE2D1A3F5B7C25"));  // the failed handshake carried no message
}

TEST(ExchangeProtocolReader, SendLogSessionWithTheHyphenatedClientString) {
  ProtocolSink s = read(slurp("multiserver/EXEDGE01/SEND2026111809-1.LOG"));
  ASSERT_EQ(s.sessions.size(), 1u);
  EXPECT_EQ(s.sessions[0].key, "edgesync - default-first-site-name to internet|08DE2D1A3F5B7C07");
  EXPECT_EQ(s.sessions[0].tls, TlsVersion::Tls12);
}

TEST(ExchangeProtocolReader, SendSideFailureFromTheSupportArticle) {
  std::string text =
      "#Software: Microsoft Exchange Server\r\n#Version: 15.0.0.0\r\n#Log-type: SMTP Send Protocol Log\r\n"
      "#Date: 2026-11-18T09:00:00.000Z\r\n"
      "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\r\n"
      "2026-11-18T09:00:00.000Z,Outbound to Office 365,08DE000000000001,16,192.168.0.78:28252,172.16.38.36:25,*,,"
      "Sending certificate\r\n"
      "2026-11-18T09:00:00.100Z,Outbound to Office 365,08DE000000000001,22,192.168.0.78:28252,172.16.38.36:25,*,,"
      "TLS negotiation failed with error NoCredentials\r\n"
      "2026-11-18T09:00:00.100Z,Outbound to Office 365,08DE000000000001,23,192.168.0.78:28252,172.16.38.36:25,-,,"
      "Local\r\n";
  ProtocolSink s = read(text);
  ASSERT_EQ(s.failures.size(), 1u);
  EXPECT_EQ(s.failures[0].direction, Direction::Outbound);
  EXPECT_EQ(s.failures[0].reason, "NoCredentials");
  EXPECT_EQ(s.failures[0].peer_ip, "172.16.38.36");
}

// A session still open when the file ends may go on in the next file (logs
// roll over by size): with its TLS line seen it is reported, without it is not
// called plain text.
TEST(ExchangeProtocolReader, SessionsOpenAtTheEndOfTheFile) {
  std::string text =
      "#Software: Microsoft Exchange Server\r\n#Log-type: SMTP Receive Protocol Log\r\n"
      "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\r\n"
      "2026-11-18T23:59:59.000Z,E\\R,08DE000000000009,0,10.0.2.21:25,198.51.100.9:5000,+,,\r\n"
      "2026-11-18T23:59:59.100Z,E\\R,08DE000000000009,1,10.0.2.21:25,198.51.100.9:5000,<,EHLO x,\r\n"
      "2026-11-18T23:59:58.000Z,E\\R,08DE00000000000A,0,10.0.2.21:25,198.51.100.8:5000,+,,\r\n"
      "2026-11-18T23:59:58.500Z,E\\R,08DE00000000000A,5,10.0.2.21:25,198.51.100.8:5000,*,,\"TLS protocol "
      "SP_PROT_TLS1_2_SERVER negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 "
      "bits, MAC hash algorithm CALG_SHA_384 with strength 0 bits and key exchange algorithm CALG_ECDH_EPHEM with "
      "strength 384 bits\"\r\n";
  ProtocolSink s = read(text);
  ASSERT_EQ(s.sessions.size(), 1u);
  EXPECT_EQ(s.sessions[0].key, "e\\r|08DE00000000000A");
  EXPECT_EQ(s.sessions[0].tls, TlsVersion::Tls12);
}

}  // namespace
}  // namespace mailflow
