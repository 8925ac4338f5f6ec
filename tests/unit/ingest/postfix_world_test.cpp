// Issue #13, one test per rule: the boundary (LMTP to a socket, local
// agents, content filter hops, discard, error/retry), refused attempts
// (postscreen, a recipient refused after another was accepted), TLS reuse
// and trust, the sender of an expired message, RemoteIP validity, every
// timestamp form and journald's json/export records, gzip and rotation
// order, and the lifecycle of a deferral across files and imports.
#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/text.h"
#include "import_fixture.h"
#include "ingest/importer.h"
#include "ingest/line_source.h"
#include "ingest/postfix_reader.h"
#include "ingest/syslog_header.h"
#include "reader_harness.h"

namespace mailflow {
namespace {

using testing::CollectingSink;

ReaderOptions world_options() {
  ReaderOptions o;
  o.year = 2026;
  o.time_zone = "UTC";
  o.internal_networks = {"127.0.0.1/32", "::1/128"};
  o.organization_domains = {"contoso.com"};
  return o;
}

CollectingSink read(const std::string& text, ReaderOptions o = world_options()) {
  PostfixReader reader(o);
  CollectingSink sink;
  testing::feed(reader, text, sink);
  return sink;
}

std::string lines(std::initializer_list<const char*> l) {
  std::string out;
  for (const char* s : l) (out += s) += "\n";
  return out;
}

// --- timestamps --------------------------------------------------------

TEST(SyslogHeader, EveryTimestampFormAdministratorsHave) {
  struct Case {
    const char* line;
    const char* utc;  // with -Year 2026 -TimeZone UTC
  } cases[] = {
      {"Dec 01 18:35:16 mx1 postfix/smtpd[1]: x", "2026-12-01T18:35:16Z"},          // maillog_file, journalctl short
      {"Dec  1 18:35:16 vm postfix/smtpd[1]: x", "2026-12-01T18:35:16Z"},           // rsyslog traditional
      {"Oct 7 06:20:07 vm postfix/smtpd[1]: x", "2026-10-07T06:20:07Z"},            // single-space day
      {"Dec 01 18:35:16.708433 vm postfix/smtpd[1]: x", "2026-12-01T18:35:16Z"},    // short-precise
      {"2026-12-01T18:35:16.708433+00:00 vm postfix/smtpd[1]: x", "2026-12-01T18:35:16Z"},  // RFC 3339
      {"2026-12-01T19:35:16+0100 vm postfix/smtpd[1]: x", "2026-12-01T18:35:16Z"},  // short-iso (systemd 252)
      {"2026-12-01T19:35:16.5+01:00 vm postfix/smtpd[1]: x", "2026-12-01T18:35:16Z"},  // short-iso-precise, 255+
      {"Tue 2026-12-01 18:35:16 UTC vm postfix/smtpd[1]: x", "2026-12-01T18:35:16Z"},  // short-full
      {"<22>1 2026-12-01T18:35:16.708433+00:00 vm postfix 1 - -  x", "2026-12-01T18:35:16Z"},  // RFC 5424
  };
  for (const Case& c : cases) {
    auto h = parse_syslog_header(c.line);
    ASSERT_TRUE(h) << c.line;
    SyslogClock clock(2026, 0, LocalTimeZone("UTC"));
    auto t = clock.to_utc(*h);
    ASSERT_TRUE(t) << c.line;
    EXPECT_EQ(format_instant(*t), c.utc) << c.line;
    EXPECT_EQ(h->message, "x") << c.line;
    EXPECT_EQ(h->pid, "1") << c.line;
  }
  // short-full with a zone abbreviation: the civil time in -TimeZone.
  auto h = parse_syslog_header("Tue 2023-03-14 00:00:31 CET host postfix/smtpd[7]: x");
  ASSERT_TRUE(h);
  SyslogClock paris(std::nullopt, 0, LocalTimeZone("+01:00"));
  EXPECT_EQ(format_instant(*paris.to_utc(*h)), "2023-03-13T23:00:31Z");
}

TEST(SyslogHeader, Rfc5424FieldsAndStructuredData) {
  auto h = parse_syslog_header(
      "<22>1 2023-03-14T00:00:31.185246+01:00 host postfix/smtpd 1234 - [meta seq=\"1\" x=\"a\\]b\"] connect from x");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->host, "host");
  EXPECT_EQ(h->program, "postfix/smtpd");
  EXPECT_EQ(h->pid, "1234");
  EXPECT_EQ(h->message, "connect from x");
  EXPECT_EQ(format_instant(h->instant), "2023-03-13T23:00:31Z");
  EXPECT_FALSE(parse_syslog_header("<22>2 2023-03-14T00:00:31Z host app 1 - - x"));   // not version 1
  EXPECT_FALSE(parse_syslog_header("<22>1 yesterday host app 1 - - x"));              // no timestamp
  EXPECT_FALSE(parse_syslog_header("Dec 32 18:35:16 vm postfix/smtpd[1]: x"));        // no such day
  EXPECT_FALSE(parse_syslog_header("2026-12-01T18:35:16+25:00 vm postfix/smtpd[1]: x"));  // bad offset
}

// --- the boundary --------------------------------------------------------

// An inbound message through the content filter into Dovecot over LMTP,
// as tests/data/postfix-world has it: one Inbound record, nothing Outbound.
const char* kFilteredInbound[] = {
    "Dec  1 18:35:24 vm postfix/smtpd[2]: connect from mail.fabrikam.example[127.0.0.2]",
    "Dec  1 18:35:24 vm postfix/smtpd[2]: Anonymous TLS connection established from mail.fabrikam.example[127.0.0.2]: "
    "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)",
    "Dec  1 18:35:24 vm postfix/smtpd[2]: 8681E114107: client=mail.fabrikam.example[127.0.0.2]",
    "Dec  1 18:35:24 vm postfix/cleanup[3]: 8681E114107: message-id=<m1@fabrikam.example>",
    "Dec  1 18:35:24 vm postfix/qmgr[4]: 8681E114107: from=<sam@fabrikam.example>, size=434, nrcpt=1 (queue active)",
    "Dec  1 18:35:24 vm postfix/reinject/smtpd[5]: D2BF011410B: client=localhost[127.0.0.1], "
    "orig_queue_id=8681E114107, orig_client=mail.fabrikam.example[127.0.0.2]",
    "Dec  1 18:35:24 vm postfix/amavis/smtp[6]: 8681E114107: to=<alice@contoso.com>, relay=127.0.0.1[127.0.0.1]:10025, "
    "delay=0.1, delays=0/0/0/0, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as D2BF011410B)",
    "Dec  1 18:35:24 vm postfix/qmgr[4]: 8681E114107: removed",
    "Dec  1 18:35:24 vm postfix/qmgr[4]: D2BF011410B: from=<sam@fabrikam.example>, size=600, nrcpt=1 (queue active)",
    "Dec  1 18:35:25 vm postfix/lmtp[7]: D2BF011410B: to=<alice@contoso.com>, relay=mx1.contoso.com[private/dovecot-lmtp], "
    "delay=0.56, delays=0.02/0.14/0.19/0.21, dsn=2.0.0, status=sent (250 2.0.0 <alice@contoso.com> x Saved)",
    "Dec  1 18:35:25 vm postfix/qmgr[4]: D2BF011410B: removed",
};

TEST(PostfixBoundary, LmtpToASocketAndTheContentFilterHopStayInside) {
  std::string text;
  for (const char* l : kFilteredInbound) (text += l) += "\n";
  CollectingSink got = read(text);
  ASSERT_EQ(got.traces.size(), 1u);
  EXPECT_EQ(got.traces[0].direction, Direction::Inbound);
  EXPECT_EQ(got.traces[0].recipient, "alice@contoso.com");
  EXPECT_EQ(got.traces[0].tls_trust, TlsTrust::Anonymous);
  // The same LMTP delivery over a socket path as Mail-in-a-Box writes it.
  got = read(lines({"Dec  1 18:00:00 vm postfix/qmgr[4]: AAAA1: from=<a@fabrikam.example>, size=1, nrcpt=1 (queue active)",
                    "Dec  1 18:00:00 vm postfix/lmtp[7]: AAAA1: to=<u@example.org>, relay=mail.example.org"
                    "[/var/run/dovecot/lmtp], delay=0, delays=0/0/0/0, dsn=2.0.0, status=sent (250 Saved)",
                    "Dec  1 18:00:00 vm postfix/qmgr[4]: AAAA1: removed"}));
  EXPECT_TRUE(got.traces.empty());
}

TEST(PostfixBoundary, LocalVirtualPipeAndDiscardAreNoOutboundDelivery) {
  CollectingSink got = read(lines(
      {"Dec  1 18:00:00 vm postfix/pickup[1]: BBBB1: uid=0 from=<bob@contoso.com>",
       "Dec  1 18:00:00 vm postfix/qmgr[4]: BBBB1: from=<bob@contoso.com>, size=10, nrcpt=4 (queue active)",
       "Dec  1 18:00:00 vm postfix/local[5]: BBBB1: to=<postmaster@mx1.contoso.com>, relay=local, delay=0, "
       "delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to file: /var/mail/x)",
       "Dec  1 18:00:00 vm postfix/virtual[6]: BBBB1: to=<info@legacy.contoso.com>, relay=virtual, delay=0, "
       "delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to maildir)",
       "Dec  1 18:00:00 vm postfix/pipe[7]: BBBB1: to=<journal@archive.contoso.com>, relay=archive, delay=0, "
       "delays=0/0/0/0, dsn=2.0.0, status=sent (delivered via archive service)",
       "Dec  1 18:00:00 vm postfix/discard[8]: BBBB1: to=<sink@blackhole.example>, relay=none, delay=0, "
       "delays=0/0/0/0, dsn=2.0.0, status=sent (dropped by policy)",
       "Dec  1 18:00:00 vm postfix/qmgr[4]: BBBB1: removed"}));
  EXPECT_TRUE(got.traces.empty());
}

TEST(PostfixBoundary, ErrorAndRetryTransportsAreOutcomes) {
  CollectingSink got = read(lines(
      {"Dec  1 18:00:00 vm postfix/qmgr[4]: CCCC1: from=<bob@contoso.com>, size=10, nrcpt=1 (queue active)",
       "Dec  1 18:00:00 vm postfix/error[5]: CCCC1: to=<info@closed.example>, relay=none, delay=0, delays=0/0/0/0, "
       "dsn=5.1.2, status=bounced (this domain no longer accepts mail)",
       "Dec  1 18:00:00 vm postfix/qmgr[4]: CCCC1: removed",
       "Dec  1 18:00:00 vm postfix/qmgr[4]: CCCC2: from=<carol@contoso.com>, size=10, nrcpt=1 (queue active)",
       "Dec  1 18:00:00 vm postfix/error[5]: CCCC2: to=<ops@paused.example>, relay=none, delay=0, delays=0/0/0/0, "
       "dsn=4.3.2, status=deferred (deliveries paused for maintenance)",
       "Dec  1 18:00:20 vm postfix/error[5]: CCCC2: to=<ops@paused.example>, relay=none, delay=20, delays=0/0/0/0, "
       "dsn=4.3.2, status=deferred (deliveries paused for maintenance)",
       "Dec  1 18:01:40 vm postfix/qmgr[4]: CCCC2: from=<carol@contoso.com>, status=expired, returned to sender",
       "Dec  1 18:01:40 vm postfix/qmgr[4]: CCCC2: removed"}));
  ASSERT_EQ(got.traces.size(), 2u);
  EXPECT_EQ(got.traces[0].recipient, "info@closed.example");
  EXPECT_EQ(got.traces[0].status, "Failed");
  EXPECT_EQ(got.traces[0].direction, Direction::Outbound);
  EXPECT_FALSE(got.traces[0].remote_host);
  EXPECT_EQ(got.traces[1].recipient, "ops@paused.example");
  EXPECT_EQ(got.traces[1].status, "Failed");  // deferred twice, then expired: one record
  EXPECT_EQ(format_instant(got.traces[1].received), "2026-12-01T18:01:40Z");
}

// --- refused attempts --------------------------------------------------

TEST(PostfixRefused, PostscreenRejectNamesTheProgram) {
  CollectingSink got = read(lines(
      {"Dec  1 18:35:31 vm postfix/postscreen[9]: NOQUEUE: reject: RCPT from [127.0.0.66]:56227: 550 5.3.2 Service "
       "currently unavailable; from=<promo@bulk-sender.example>, to=<bob@contoso.com>, proto=ESMTP, "
       "helo=<spam.bulk-sender.example>"}));
  ASSERT_EQ(got.refusals.size(), 1u);
  const RefusedConnection& r = got.refusals[0];
  EXPECT_EQ(r.client_ip, "127.0.0.66");
  EXPECT_FALSE(r.client_host);
  EXPECT_EQ(r.sender, "promo@bulk-sender.example");
  EXPECT_EQ(r.recipient, "bob@contoso.com");
  EXPECT_EQ(r.reason, "postscreen: 550 5.3.2 Service currently unavailable");
}

TEST(PostfixRefused, ARefusedRecipientKeepsTheAcceptedOnes) {
  CollectingSink got = read(lines(
      {"Dec  1 18:35:27 vm postfix/smtpd[2]: connect from mail.fabrikam.example[198.51.100.2]",
       "Dec  1 18:35:27 vm postfix/smtpd[2]: C1011: client=mail.fabrikam.example[198.51.100.2]",
       "Dec  1 18:35:27 vm postfix/smtpd[2]: C1011: reject: RCPT from mail.fabrikam.example[198.51.100.2]: 550 5.1.1 "
       "<nosuch@contoso.com>: Recipient address rejected: User unknown in virtual mailbox table; "
       "from=<pat@fabrikam.example> to=<nosuch@contoso.com> proto=ESMTP helo=<mail.fabrikam.example>",
       "Dec  1 18:35:27 vm postfix/qmgr[4]: C1011: from=<pat@fabrikam.example>, size=10, nrcpt=1 (queue active)",
       "Dec  1 18:35:27 vm postfix/lmtp[7]: C1011: to=<carol@contoso.com>, relay=mx1[private/dovecot-lmtp], delay=0, "
       "delays=0/0/0/0, dsn=2.0.0, status=sent (250 Saved)",
       "Dec  1 18:35:27 vm postfix/qmgr[4]: C1011: removed"}));
  ASSERT_EQ(got.refusals.size(), 1u);
  EXPECT_EQ(got.refusals[0].recipient, "nosuch@contoso.com");
  ASSERT_EQ(got.traces.size(), 1u);
  EXPECT_EQ(got.traces[0].recipient, "carol@contoso.com");
  EXPECT_EQ(got.traces[0].direction, Direction::Inbound);
}

// --- TLS -----------------------------------------------------------------

TEST(PostfixTls, ReusedConnectionsCountLikeEstablishedOnesWithTheirTrust) {
  CollectingSink got = read(lines(
      {"Dec  1 18:00:00 vm postfix/qmgr[4]: DDDD1: from=<bob@contoso.com>, size=10, nrcpt=1 (queue active)",
       "Dec  1 18:00:00 vm postfix/smtp[5]: Verified TLS connection reused to mx.fabrikam.example[198.51.100.9]:25: "
       "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)",
       "Dec  1 18:00:00 vm postfix/smtp[5]: DDDD1: to=<pat@fabrikam.example>, relay=mx.fabrikam.example"
       "[198.51.100.9]:25, delay=0, delays=0/0/0/0, dsn=2.0.0, status=sent (250 ok)",
       "Dec  1 18:00:00 vm postfix/qmgr[4]: DDDD1: removed"}));
  ASSERT_EQ(got.traces.size(), 1u);
  EXPECT_EQ(got.traces[0].tls, TlsVersion::Tls13);
  EXPECT_EQ(got.traces[0].tls_trust, TlsTrust::Verified);
  EXPECT_EQ(got.traces[0].cipher, "TLS_AES_256_GCM_SHA384");
}

TEST(PostfixTls, ACertificateRefusalCarriedNoMailOverTls) {
  CollectingSink got = read(lines(
      {"Dec  1 18:00:00 vm postfix/qmgr[4]: EEEE1: from=<carol@contoso.com>, size=10, nrcpt=1 (queue active)",
       "Dec  1 18:00:00 vm postfix/smtp[5]: Untrusted TLS connection established to mx.fourthcoffee.example"
       "[198.51.100.12]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)",
       "Dec  1 18:00:00 vm postfix/smtp[5]: EEEE1: to=<liz@fourthcoffee.example>, relay=mx.fourthcoffee.example"
       "[198.51.100.12]:25, delay=0, delays=0/0/0/0, dsn=4.7.5, status=deferred (Server certificate not verified)"}));
  ASSERT_EQ(got.traces.size(), 1u);
  EXPECT_EQ(got.traces[0].status, "Pending");
  EXPECT_EQ(got.traces[0].tls, TlsVersion::None);
  EXPECT_FALSE(got.traces[0].tls_trust);
}

// --- lifecycle keys ----------------------------------------------------------

struct KeyedSink : CollectingSink {
  std::vector<std::pair<std::string, std::vector<std::string>>> keyed;  // status, keys
  void lifecycle_trace(const Trace& t, std::int64_t line, const std::vector<std::string>& keys) override {
    keyed.emplace_back(t.status, keys);
    trace(t, line);
  }
};

TEST(PostfixLifecycle, ADeferralFlushedByTheWindowAndItsOutcomeShareTheirKey) {
  PostfixReader reader(world_options(), /*window=*/60);
  KeyedSink sink;
  testing::feed(reader, lines(
      {"Dec  1 18:00:00 vm postfix/qmgr[4]: JJJJ1: from=<carol@contoso.com>, size=10, nrcpt=1 (queue active)",
       "Dec  1 18:00:00 vm postfix/smtp[5]: JJJJ1: to=<lee@litware.example>, relay=none, delay=0, delays=0/0/0/0, "
       "dsn=4.4.1, status=deferred (connect to mx.litware.example[198.51.100.10]:25: Connection refused)",
       // An hour of other traffic: the deferral is flushed as Pending.
       "Dec  1 19:00:00 vm postfix/qmgr[4]: KKKK1: removed",
       "Dec  1 19:05:00 vm postfix/smtp[6]: JJJJ1: to=<lee@litware.example>, relay=mx.litware.example"
       "[198.51.100.10]:25, delay=3900, delays=0/0/0/0, dsn=2.0.0, status=sent (250 ok)",
       "Dec  1 19:05:00 vm postfix/qmgr[4]: JJJJ1: removed"}),
      sink);
  ASSERT_EQ(sink.keyed.size(), 2u);
  EXPECT_EQ(sink.keyed[0].first, "Pending");
  EXPECT_EQ(sink.keyed[1].first, "Delivered");
  EXPECT_EQ(sink.keyed[0].second, (std::vector<std::string>{"vm/JJJJ1/lee@litware.example"}));
  EXPECT_EQ(sink.keyed[1].second, sink.keyed[0].second);
  EXPECT_EQ(reader.incomplete(), 1);
}

// --- item 6 ----------------------------------------------------------------

TEST(PostfixRecords, ExpiredSenderAndOnlyRealAddressesAsRemoteIp) {
  // The from= line came before this file began: the expired line names the sender.
  CollectingSink got = read(lines(
      {"Dec  1 18:00:00 vm postfix/smtp[5]: FFFF1: to=<x@adatum.example>, relay=none, delay=0, delays=0/0/0/0, "
       "dsn=4.4.1, status=deferred (connect to mx.adatum.example[130.194.11.1.123]:25: Connection refused)",
       "Dec  1 18:01:40 vm postfix/qmgr[4]: FFFF1: from=<bob@contoso.com>, status=expired, returned to sender",
       "Dec  1 18:01:40 vm postfix/qmgr[4]: FFFF1: removed"}));
  ASSERT_EQ(got.traces.size(), 1u);
  EXPECT_EQ(got.traces[0].sender, "bob@contoso.com");
  EXPECT_EQ(got.traces[0].status, "Failed");
  EXPECT_EQ(got.traces[0].remote_host, "mx.adatum.example");
  EXPECT_FALSE(got.traces[0].remote_ip);  // 130.194.11.1.123 is no address
}

// --- journald records --------------------------------------------------------

TEST(PostfixJournal, JsonAndExportRecordsAreRead) {
  std::string json =
      "{\"__REALTIME_TIMESTAMP\":\"1796149699376876\",\"_HOSTNAME\":\"vm\",\"SYSLOG_IDENTIFIER\":\"postfix/postscreen\","
      "\"SYSLOG_PID\":\"9\",\"MESSAGE\":\"NOQUEUE: reject: RCPT from [127.0.0.66]:56227: 550 5.3.2 Service currently "
      "unavailable; from=<promo@bulk-sender.example>, to=<bob@contoso.com>, proto=ESMTP, helo=<x>\"}\n"
      "{\"__REALTIME_TIMESTAMP\":\"1796149699376877\",\"SYSLOG_IDENTIFIER\":\"dovecot\",\"MESSAGE\":\"lmtp: ok\"}\n";
  ASSERT_TRUE(PostfixReader::looks_like({json.substr(0, json.find('\n'))}));
  CollectingSink got = read(json);
  ASSERT_EQ(got.refusals.size(), 1u);
  EXPECT_EQ(format_instant(got.refusals[0].time), "2026-12-01T18:28:19Z");
  EXPECT_EQ(got.refusals[0].recipient, "bob@contoso.com");

  std::string exported =
      "__CURSOR=s=1;i=1\n__REALTIME_TIMESTAMP=1796149699376876\n_HOSTNAME=vm\nSYSLOG_IDENTIFIER=postfix/postscreen\n"
      "SYSLOG_PID=9\nMESSAGE=NOQUEUE: reject: RCPT from [127.0.0.66]:56227: 550 5.3.2 Service currently "
      "unavailable; from=<promo@bulk-sender.example>, to=<bob@contoso.com>, proto=ESMTP, helo=<x>\n\n"
      "__CURSOR=s=1;i=2\n__REALTIME_TIMESTAMP=x\nSYSLOG_IDENTIFIER=postfix/smtpd\nMESSAGE=connect from a[192.0.2.1]\n";
  got = read(exported);
  ASSERT_EQ(got.refusals.size(), 1u);
  ASSERT_EQ(got.rejects.size(), 1u);  // the second entry's timestamp is no number
  EXPECT_EQ(got.rejects[0].line, 8);
  EXPECT_NE(got.rejects[0].reason.find("__REALTIME_TIMESTAMP"), std::string::npos);
}

// --- files: gzip, rotation order, one call equals the concatenation -------

class PostfixFiles : public testing::ImportFixture {
 protected:
  std::string gzip_file(const std::string& name, const std::string& text) {
    std::string p = path(name);
    gzFile gz = gzopen(p.c_str(), "wb");
    gzwrite(gz, text.data(), static_cast<unsigned>(text.size()));
    gzclose(gz);
    return p;
  }
  ImportOptions options() {
    ImportOptions o;
    o.reader = world_options();
    return o;
  }
  static std::string capture(const std::string& name) {
    std::ifstream in(std::string(MAILFLOW_TEST_DATA) + "/postfix-world/" + name);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::vector<std::string> traces() {
    return rows("SELECT received, direction, sender, recipient, coalesce(remote_host, ''), tls, status, size"
                " FROM traces ORDER BY 1, 2, 3, 4, 7");
  }
};

// The capture's failed handshakes (SSL_accept errors, lost connection after
// STARTTLS, TLS required but not offered) are counted in the daily failure
// rollup exactly as a GROUP BY over tls_failures counts them, also after
// the same file is imported again.
TEST_F(PostfixFiles, TheFailureRollupEqualsAGroupByOverTheCapturesFailures) {
  const std::string rollup =
      "SELECT day, direction, connector, peer_domain, failures FROM tls_failure_daily ORDER BY 1, 2, 3, 4";
  const std::string group_by =
      "SELECT time / 86400 - (time < 0 AND time % 86400 != 0), direction, coalesce(connector, ''),"
      " mailflow_peer_domain(0, '', peer_host, peer_ip), count(*) FROM tls_failures GROUP BY 1, 2, 3, 4"
      " ORDER BY 1, 2, 3, 4";
  std::string log = write_file("maillog.log", capture("maillog.log"));
  import_trace_file(*store_, log, options());
  EXPECT_GT(scalar("SELECT count(*) FROM tls_failures"), 0);
  EXPECT_FALSE(rows(rollup).empty());
  EXPECT_EQ(rows(rollup), rows(group_by));
  import_trace_file(*store_, log, options());
  EXPECT_EQ(rows(rollup), rows(group_by));
}

TEST_F(PostfixFiles, GzipIsReadAsItsTextAndDamageIsAnError) {
  std::string text = "line one\nline two\n";
  std::string gz = gzip_file("mail.log.2.gz", text);
  LineSource source(gz);
  LineSource::Line line;
  std::vector<std::string> got;
  while (source.next(line)) got.emplace_back(line.text);
  EXPECT_EQ(got, (std::vector<std::string>{"line one", "line two"}));
  // A truncated gzip file: a clear error naming the file.
  std::ifstream in(gz, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  std::string cut = write_file("cut.gz", bytes.substr(0, bytes.size() - 8));
  try {
    LineSource damaged(cut);
    while (damaged.next(line)) {
    }
    FAIL() << "a truncated gzip file read without an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cut.gz"), std::string::npos) << e.what();
  }
}

TEST(RotationOrder, OldestFirstInTheirPlaces) {
  EXPECT_EQ(rotation_order({"mail.log", "mail.log.1", "mail.log.2.gz", "other.csv", "mail.log.10.gz"}),
            (std::vector<std::string>{"mail.log.10.gz", "mail.log.2.gz", "mail.log.1", "other.csv", "mail.log"}));
  EXPECT_EQ(rotation_order({"mail.log", "mail.log-20261130.gz", "mail.log-20261201"}),
            (std::vector<std::string>{"mail.log-20261130.gz", "mail.log-20261201", "mail.log"}));
}

TEST_F(PostfixFiles, OneCallWithRotatedFilesEqualsTheirConcatenation) {
  std::string log = capture("syslog-traditional.log");
  std::vector<std::string> all = split(log, '\n');
  // Three parts, cut in the middle of open queue ids.
  std::size_t a = all.size() / 3, b = 2 * all.size() / 3;
  auto part = [&](std::size_t from, std::size_t to) {
    std::string s;
    for (std::size_t i = from; i < to && i < all.size(); ++i)
      if (!all[i].empty()) (s += all[i]) += "\n";
    return s;
  };
  std::vector<std::string> files = {gzip_file("mail.log.2.gz", part(0, a)), write_file("mail.log.1", part(a, b)),
                                    write_file("mail.log", part(b, all.size()))};
  MultiFileImport several(*store_, rotation_order({files[2], files[0], files[1]}), options());
  std::int64_t imported = 0;
  while (auto s = several.next()) imported += s->imported;
  std::vector<std::string> together = traces();
  expect_rollup_matches_traces();

  store_ = std::make_unique<TraceStore>(path("concat.db"));
  ImportSummary one = import_trace_file(*store_, write_file("all.log", part(0, all.size())), options());
  EXPECT_EQ(traces(), together);
  EXPECT_EQ(one.imported, imported);
}

TEST_F(PostfixFiles, ADeferralSettledByALaterImportIsOneRecord) {
  std::string first = lines(
      {"Dec  1 18:00:00 vm postfix/qmgr[4]: GGGG1: from=<carol@contoso.com>, size=700, nrcpt=1 (queue active)",
       "Dec  1 18:00:00 vm postfix/smtp[5]: GGGG1: to=<lee@litware.example>, relay=none, delay=0, delays=0/0/0/0, "
       "dsn=4.4.1, status=deferred (connect to mx.litware.example[198.51.100.10]:25: Connection refused)"});
  std::string second = lines(
      {"Dec  1 18:05:00 vm postfix/smtp[6]: Trusted TLS connection established to mx.litware.example"
       "[198.51.100.10]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)",
       "Dec  1 18:05:00 vm postfix/smtp[6]: GGGG1: to=<lee@litware.example>, relay=mx.litware.example"
       "[198.51.100.10]:25, delay=300, delays=0/0/0/0, dsn=2.0.0, status=sent (250 ok)",
       "Dec  1 18:05:00 vm postfix/qmgr[4]: GGGG1: removed"});
  std::string f1 = write_file("mail.log.1", first), f2 = write_file("mail.log", second);
  ImportSummary s1 = import_trace_file(*store_, f1, options());
  EXPECT_EQ(s1.imported, 1);
  EXPECT_EQ(rows("SELECT status FROM traces"), std::vector<std::string>{"Pending"});
  ImportSummary s2 = import_trace_file(*store_, f2, options());
  EXPECT_EQ(s2.imported, 1);
  // One record, Delivered, with the sender and size the first file knew.
  EXPECT_EQ(rows("SELECT status, sender, size, tls FROM traces"),
            std::vector<std::string>{"Delivered|carol@contoso.com|700|13"});
  expect_rollup_matches_traces();
  // Importing either file again adds nothing.
  EXPECT_EQ(import_trace_file(*store_, f1, options()).imported, 0);
  EXPECT_EQ(import_trace_file(*store_, f2, options()).imported, 0);
  EXPECT_EQ(scalar("SELECT count(*) FROM traces"), 1);
}

TEST_F(PostfixFiles, AnExpiryInALaterImportFailsTheStoredDeferral) {
  std::string f1 = write_file("mail.log.1", lines(
      {"Dec  1 18:00:00 vm postfix/qmgr[4]: HHHH1: from=<bob@contoso.com>, size=10, nrcpt=1 (queue active)",
       "Dec  1 18:00:00 vm postfix/smtp[5]: HHHH1: to=<x@adatum.example>, relay=none, delay=0, delays=0/0/0/0, "
       "dsn=4.4.1, status=deferred (connect to mx.adatum.example[198.51.100.11]:25: Connection refused)"}));
  std::string f2 = write_file("mail.log", lines(
      {"Dec  2 18:00:00 vm postfix/qmgr[4]: HHHH1: from=<bob@contoso.com>, status=expired, returned to sender",
       "Dec  2 18:00:00 vm postfix/qmgr[4]: HHHH1: removed"}));
  import_trace_file(*store_, f1, options());
  import_trace_file(*store_, f2, options());
  EXPECT_EQ(rows("SELECT status, received FROM traces"),
            std::vector<std::string>{"Failed|" + std::to_string(*parse_instant("2026-12-02T18:00:00Z"))});
  expect_rollup_matches_traces();
}

TEST_F(PostfixFiles, TheSummaryCountsIgnoredLinesAndOnlyNewRefusals) {
  std::string f = write_file("mail.log", lines(
      {"Dec  1 18:35:12 vm dovecot: master: Dovecot v2.3.19.1 starting up for lmtp",
       "Dec  1 18:35:13 vm postfix/tlsproxy[3]: CONNECT to [127.0.0.9]:25",
       "Dec  1 18:35:31 vm postfix/postscreen[9]: NOQUEUE: reject: RCPT from [127.0.0.66]:56227: 550 5.3.2 Service "
       "currently unavailable; from=<a@b.example>, to=<bob@contoso.com>, proto=ESMTP, helo=<x>"}));
  ImportSummary s = import_trace_file(*store_, f, options());
  EXPECT_EQ(s.refused, 1);
  EXPECT_EQ(s.ignored, 2);
  ASSERT_EQ(s.ignored_by_program.size(), 2u);
  EXPECT_EQ(s.ignored_by_program[0].first, "dovecot");
  EXPECT_EQ(import_trace_file(*store_, f, options()).refused, 0);
}

}  // namespace
}  // namespace mailflow
