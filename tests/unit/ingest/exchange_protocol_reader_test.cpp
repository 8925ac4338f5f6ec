#include "ingest/exchange_protocol_reader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "core/error.h"
#include "ingest/exchange_fields.h"
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

// Outbound proxy: the Transport service's session to its own front end
// (XPROXYTO, "This session is now being proxied through the next hop") used
// TLS 1.2 with the Exchange certificate; that hop is inside and is never
// reported as the message's TLS.
TEST(ExchangeProtocolReader, TransportSessionProxiedThroughTheFrontEndIsNotReported) {
  ProtocolSink s = read(slurp("proxy/EXMBX03/Hub/SEND2026112010-1.LOG"));
  EXPECT_TRUE(s.rejects.empty());
  EXPECT_TRUE(s.sessions.empty());
}

// The front end's session to the target names the Transport service's
// session id; its TLS (or none) is reported under that session.
TEST(ExchangeProtocolReader, FrontEndProxySessionReportsForTheTransportSession) {
  ProtocolSink s = read(slurp("proxy/EXMBX03/FrontEnd/SEND2026112010-1.LOG"));
  EXPECT_TRUE(s.rejects.empty());
  ASSERT_EQ(s.sessions.size(), 4u);
  std::map<std::string, SessionTls> by_key;
  for (const SessionTls& t : s.sessions) by_key[t.key] = t;
  ASSERT_EQ(by_key.count(outbound_proxy_key("08DE2F3A4B5C6D12")), 1u);
  const SessionTls& q1 = by_key[outbound_proxy_key("08DE2F3A4B5C6D12")];
  EXPECT_EQ(q1.key, "outbound proxy|08DE2F3A4B5C6D12");
  EXPECT_EQ(q1.tls, TlsVersion::Tls12);
  EXPECT_EQ(q1.cipher, "CALG_AES_128/CALG_SHA_256/CALG_ECDH_EPHEM");
  const SessionTls& q2 = by_key[outbound_proxy_key("08DE2F3A4B5C6D07")];
  EXPECT_EQ(q2.tls, TlsVersion::None);  // the peer offered no STARTTLS
  EXPECT_FALSE(q2.cipher.has_value());
}

// A front-end proxy session still open at the end of the file is reported
// once the proxy is set up (its TLS phase is over); before that it is not.
TEST(ExchangeProtocolReader, FrontEndProxySessionOpenAtTheEndOfTheFile) {
  std::string all = slurp("proxy/EXMBX03/FrontEnd/SEND2026112010-1.LOG");
  std::string ready, early;
  std::size_t start = 0;
  while (start < all.size()) {
    std::size_t end = all.find('\n', start);
    std::string line = all.substr(start, end - start + 1);
    start = end + 1;
    bool p2 = line.find(",08DE2F3A4B5C6F07,") != std::string::npos;
    if (line[0] == '#' || (p2 && line.find(",-,") == std::string::npos)) ready += line;
    if (line[0] == '#' || (p2 && line.find(",+,") != std::string::npos) ||
        (p2 && line.find("attempting to connect") != std::string::npos))
      early += line;
  }
  ProtocolSink s = read(ready);
  ASSERT_EQ(s.sessions.size(), 1u);
  EXPECT_EQ(s.sessions[0].key, "outbound proxy|08DE2F3A4B5C6D07");
  EXPECT_EQ(s.sessions[0].tls, TlsVersion::None);
  EXPECT_TRUE(read(early).sessions.empty());
}

// Inbound proxy: the front end relays an internet client's session to the
// Transport service with XPROXYFROM; the TLS of that hop is ours, inside.
TEST(ExchangeProtocolReader, InboundProxyHopFromTheFrontEndIsNotReported) {
  const char* hop = "2026-11-20T09:00:00.%03dZ,EXMBX03\\Default EXMBX03,08DE2F3A4B5C7001,%d,10.0.1.13:2525,"
                    "10.0.1.13:41022,%s\r\n";
  std::string text =
      "#Software: Microsoft Exchange Server\r\n#Log-type: SMTP Receive Protocol Log\r\n"
      "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\r\n";
  const char* events[] = {
      "+,,", "<,EHLO EXMBX03.contoso.com,", "<,STARTTLS,",
      "*,,\"" "TLS protocol SP_PROT_TLS1_2_SERVER negotiation succeeded using bulk encryption algorithm CALG_AES_256 "
      "with strength 256 bits, MAC hash algorithm CALG_SHA_384 with strength 0 bits and key exchange algorithm "
      "CALG_ECDH_EPHEM with strength 384 bits\"",
      "<,XPROXYFROM SID=08DE2F3A4B5C7101 IP=40.107.22.93 PORT=50312 DOMAIN=mail-db8eur05on2093.outbound.protection.outlook.com SEQNUM=1,",
      "<,MAIL FROM:<kim@tailspintoys.example> SIZE=40951,", "-,,Local"};
  int n = 0;
  for (const char* e : events) {
    char line[1024];
    std::snprintf(line, sizeof line, hop, n * 3, n, e);
    text += line;
    ++n;
  }
  ProtocolSink s = read(text);
  EXPECT_TRUE(s.rejects.empty());
  EXPECT_TRUE(s.sessions.empty());
  // The same session without XPROXYFROM is an ordinary one: reported.
  std::string plain;
  for (std::size_t at = 0, end; at < text.size(); at = end + 1) {
    end = text.find('\n', at);
    std::string line = text.substr(at, end - at + 1);
    if (line.find("XPROXYFROM") == std::string::npos) plain += line;
  }
  EXPECT_EQ(read(plain).sessions.size(), 1u);
}

}  // namespace
}  // namespace mailflow
