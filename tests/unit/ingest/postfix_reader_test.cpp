#include "ingest/postfix_reader.h"
#include "ingest/postfix_patterns.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "core/error.h"
#include "core/text.h"

namespace mailflow {
namespace {

struct Collect : ReaderSink {
  std::vector<Trace> traces;
  std::vector<std::pair<std::int64_t, std::string>> rejects;
  std::vector<RefusedConnection> refused_list;
  void trace(const Trace& t, std::int64_t) override { traces.push_back(t); }
  void reject(std::int64_t line, std::string_view reason, std::string_view) override {
    rejects.emplace_back(line, std::string(reason));
  }
  void refused(const RefusedConnection& r, std::int64_t) override { refused_list.push_back(r); }
};

ReaderOptions capture_options() {
  ReaderOptions o;
  o.year = 2026;
  o.time_zone = "UTC";
  o.internal_networks = {"127.0.0.1/32", "::1/128"};
  o.organization_domains = {"contoso.com"};
  return o;
}

Collect read_lines(PostfixReader& reader, const std::vector<std::string>& lines) {
  Collect sink;
  std::int64_t n = 0;
  for (const std::string& l : lines) reader.line(l, ++n, sink);
  reader.finish(sink);
  return sink;
}

Collect read_file(const std::string& path, ReaderOptions options = capture_options()) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  PostfixReader reader(options);
  return read_lines(reader, lines);
}

// Recipients of one record in a stable order (Postfix logs them in queue
// file order, sent.csv lists them as swaks was given them).
std::string sorted_recipients(const std::string& joined) {
  auto r = split(joined, ';');
  std::sort(r.begin(), r.end());
  return join(r, ";");
}

// "Inbound|sender|rcpts|host|TLS1.3|Delivered" for comparison with sent.csv.
std::string key(const Trace& t) {
  return std::string(direction_name(t.direction)) + "|" + t.sender + "|" + sorted_recipients(t.recipient) + "|" +
         t.remote_host.value_or("") + "|" + std::string(tls_name(t.tls)) + "|" + t.status;
}

struct Expected {
  std::vector<std::string> traces;
  std::vector<std::string> refused;  // "sender|recipient|client host"
};

Expected read_sent_csv() {
  std::ifstream in(std::string(MAILFLOW_TEST_DATA) + "/postfix/sent.csv");
  Expected e;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    auto f = split(line, ',');
    if (f.size() != 7) continue;
    if (f[1] == "Inbound" || f[1] == "Outbound")
      e.traces.push_back(f[1] + "|" + f[2] + "|" + sorted_recipients(f[3]) + "|" + f[4] + "|" + f[5] + "|" + f[6]);
    else if (f[1] == "refused")
      e.refused.push_back(f[2] + "|" + f[3] + "|" + f[4]);
  }
  std::sort(e.traces.begin(), e.traces.end());
  std::sort(e.refused.begin(), e.refused.end());
  return e;
}

void expect_matches_sent_list(const std::string& file) {
  Collect got = read_file(std::string(MAILFLOW_TEST_DATA) + "/postfix/" + file);
  Expected want = read_sent_csv();
  ASSERT_FALSE(want.traces.empty());
  std::vector<std::string> keys;
  for (const Trace& t : got.traces) keys.push_back(key(t));
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, want.traces) << file;
  std::vector<std::string> refused;
  for (const auto& r : got.refused_list)
    refused.push_back(r.sender.value_or("") + "|" + r.recipient.value_or("") + "|" + r.client_host.value_or(""));
  std::sort(refused.begin(), refused.end());
  EXPECT_EQ(refused, want.refused) << file;
  EXPECT_TRUE(got.rejects.empty()) << file << ": first reject at line " << got.rejects.front().first << ": "
                                   << got.rejects.front().second;
}

TEST(PostfixReader, MaillogFileCaptureGivesWhatWasSent) { expect_matches_sent_list("mx1-maillog.log"); }
TEST(PostfixReader, ClassicSyslogCaptureGivesWhatWasSent) { expect_matches_sent_list("syslog-classic.log"); }
TEST(PostfixReader, Rfc3339SyslogCaptureGivesWhatWasSent) { expect_matches_sent_list("syslog-rfc3339.log"); }

TEST(PostfixReader, CaptureDetailsCipherSizeMessageIdAndTime) {
  Collect got = read_file(std::string(MAILFLOW_TEST_DATA) + "/postfix/mx1-maillog.log");
  auto in = std::find_if(got.traces.begin(), got.traces.end(), [](const Trace& t) {
    return t.direction == Direction::Inbound && t.sender == "tom@tailspin.example" && t.tls == TlsVersion::Tls12;
  });
  ASSERT_NE(in, got.traces.end());
  EXPECT_EQ(in->cipher, "ECDHE-RSA-AES256-GCM-SHA384");
  EXPECT_EQ(in->remote_ip, "127.0.0.3");
  EXPECT_GT(in->size, 300);
  ASSERT_TRUE(in->message_id);
  EXPECT_TRUE(in->message_id->starts_with("<")) << *in->message_id;
  EXPECT_EQ(format_instant(in->received).substr(0, 11), "2026-11-23T");
  for (const Trace& t : got.traces)
    if (t.tls == TlsVersion::None) {
      EXPECT_FALSE(t.cipher) << key(t);
    }
}

TEST(PostfixReader, PatternTableChecksItsSamples) {
  const PostfixPatternSet& set = postfix_patterns();
  EXPECT_EQ(set.patterns.size(), set.compiled.size());
  CompiledPattern p("{qid}: client={host}[{ip}]{*}");
  PatternMatch m;
  EXPECT_TRUE(p.match("5AAA410E884: client=mail.example[192.0.2.1]", m));
  ASSERT_EQ(m.count, 3);
  EXPECT_EQ(m["host"], "mail.example");
  EXPECT_EQ(m["ip"], "192.0.2.1");
  EXPECT_THROW(m["sender"], std::logic_error);  // a capture the pattern lacks
  EXPECT_FALSE(p.match("NOQUEUE: client=mail.example[192.0.2.1]", m));  // not a queue id
  EXPECT_FALSE(p.match("5AAA410E884: client=mail.example", m));
}

const char* kHost = "Nov 23 10:00:00 mx1 ";

std::string at(const char* time, const std::string& rest) { return std::string("Nov 23 ") + time + " mx1 " + rest; }

TEST(PostfixReader, PlainSessionNeverInheritsTlsOfTheSameSmtpdProcess) {
  (void)kHost;
  PostfixReader reader(capture_options());
  Collect got = read_lines(
      reader,
      {at("10:00:00", "postfix/smtpd[100]: connect from a.example[192.0.2.1]"),
       at("10:00:00", "postfix/smtpd[100]: Anonymous TLS connection established from a.example[192.0.2.1]: "
                      "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)"),
       at("10:00:01", "postfix/smtpd[100]: AAAA1: client=a.example[192.0.2.1]"),
       at("10:00:01", "postfix/qmgr[9]: AAAA1: from=<x@a.example>, size=100, nrcpt=1 (queue active)"),
       at("10:00:01", "postfix/smtpd[100]: disconnect from a.example[192.0.2.1] ehlo=2 starttls=1 commands=7"),
       // The same process, next session, plain text; the disconnect of the
       // first session is even missing from this log.
       at("10:00:02", "postfix/smtpd[100]: connect from b.example[192.0.2.2]"),
       at("10:00:02", "postfix/smtpd[100]: BBBB2: client=b.example[192.0.2.2]"),
       at("10:00:02", "postfix/qmgr[9]: BBBB2: from=<y@b.example>, size=100, nrcpt=1 (queue active)"),
       at("10:00:03", "postfix/smtpd[100]: connect from a.example[192.0.2.1]"),
       at("10:00:03", "postfix/smtpd[100]: CCCC3: client=a.example[192.0.2.1]"),
       at("10:00:03", "postfix/qmgr[9]: CCCC3: from=<x@a.example>, size=100, nrcpt=1 (queue active)"),
       at("10:00:04", "postfix/qmgr[9]: AAAA1: removed"), at("10:00:04", "postfix/qmgr[9]: BBBB2: removed"),
       at("10:00:04", "postfix/qmgr[9]: CCCC3: removed")});
  ASSERT_EQ(got.traces.size(), 3u);
  EXPECT_EQ(got.traces[0].tls, TlsVersion::Tls13);
  EXPECT_EQ(got.traces[1].tls, TlsVersion::None);
  EXPECT_EQ(got.traces[2].tls, TlsVersion::None);  // same client as the TLS session, new plain session
}

TEST(PostfixReader, PlainDeliveryNeverInheritsTlsOfTheSameSmtpProcess) {
  PostfixReader reader(capture_options());
  std::string tls = "postfix/smtp[200]: Untrusted TLS connection established to mx.p.example[192.0.2.9]:25: "
                    "TLSv1 with cipher ECDHE-RSA-AES256-SHA (256/256 bits)";
  auto to = [](const char* qid, const char* rcpt) {
    return std::string("postfix/smtp[200]: ") + qid + ": to=<" + rcpt +
           ">, relay=mx.p.example[192.0.2.9]:25, delay=0.1, delays=0/0/0/0, dsn=2.0.0, status=sent (250 ok)";
  };
  Collect got = read_lines(
      reader, {at("10:00:00", "postfix/qmgr[9]: AAAA1: from=<a@contoso.com>, size=10, nrcpt=2 (queue active)"),
               at("10:00:00", tls), at("10:00:01", to("AAAA1", "u1@p.example")),
               at("10:00:01", to("AAAA1", "u2@p.example")),
               at("10:00:02", "postfix/qmgr[9]: BBBB2: from=<a@contoso.com>, size=10, nrcpt=1 (queue active)"),
               at("10:00:02", to("BBBB2", "u3@p.example")),  // next connection: no TLS line
               at("10:00:03", "postfix/qmgr[9]: AAAA1: removed"), at("10:00:03", "postfix/qmgr[9]: BBBB2: removed")});
  ASSERT_EQ(got.traces.size(), 2u);
  EXPECT_EQ(got.traces[0].recipient, "u1@p.example;u2@p.example");  // one connection, one record
  EXPECT_EQ(got.traces[0].tls, TlsVersion::Tls10);                   // "TLSv1" is TLS 1.0
  EXPECT_EQ(got.traces[0].cipher, "ECDHE-RSA-AES256-SHA");
  EXPECT_EQ(got.traces[1].tls, TlsVersion::None);
  EXPECT_FALSE(got.traces[1].cipher);
}

TEST(PostfixReader, BoundaryInternalMailDsnAndSubmissionMakeNoInboundRecord) {
  PostfixReader reader(capture_options());
  Collect got = read_lines(
      reader,
      {// Internal client to internal mailbox.
       at("10:00:00", "postfix/smtpd[1]: connect from localhost[127.0.0.1]"),
       at("10:00:00", "postfix/smtpd[1]: AAAA1: client=localhost[127.0.0.1]"),
       at("10:00:00", "postfix/qmgr[9]: AAAA1: from=<a@contoso.com>, size=10, nrcpt=1 (queue active)"),
       at("10:00:00", "postfix/virtual[5]: AAAA1: to=<b@contoso.com>, relay=virtual, delay=0, delays=0/0/0/0, "
                      "dsn=2.0.0, status=sent (delivered to maildir)"),
       at("10:00:00", "postfix/qmgr[9]: AAAA1: removed"),
       // A bounce notice generated here and delivered locally.
       at("10:00:01", "postfix/cleanup[3]: BBBB2: message-id=<x@mx1.contoso.com>"),
       at("10:00:01", "postfix/qmgr[9]: BBBB2: from=<>, size=2000, nrcpt=1 (queue active)"),
       at("10:00:01", "postfix/virtual[5]: BBBB2: to=<a@contoso.com>, relay=virtual, delay=0, delays=0/0/0/0, "
                      "dsn=2.0.0, status=sent (delivered to maildir)"),
       at("10:00:01", "postfix/qmgr[9]: BBBB2: removed"),
       // Authenticated submission from outside: not inbound, its relay is outbound.
       at("10:00:02", "postfix/submission/smtpd[7]: connect from roaming.example[203.0.113.5]"),
       at("10:00:02", "postfix/submission/smtpd[7]: CCCC3: client=roaming.example[203.0.113.5], "
                      "sasl_method=PLAIN, sasl_username=a@contoso.com"),
       at("10:00:02", "postfix/qmgr[9]: CCCC3: from=<a@contoso.com>, size=10, nrcpt=1 (queue active)"),
       at("10:00:02", "postfix/smtp[8]: CCCC3: to=<z@p.example>, relay=mx.p.example[192.0.2.9]:25, delay=0, "
                      "delays=0/0/0/0, dsn=2.0.0, status=sent (250 ok)"),
       at("10:00:02", "postfix/qmgr[9]: CCCC3: removed"),
       // Relay to an internal server (content filter on loopback): no record.
       at("10:00:03", "postfix/qmgr[9]: DDDD4: from=<a@contoso.com>, size=10, nrcpt=1 (queue active)"),
       at("10:00:03", "postfix/smtp[8]: DDDD4: to=<z@p.example>, relay=127.0.0.1[127.0.0.1]:10024, delay=0, "
                      "delays=0/0/0/0, dsn=2.0.0, status=sent (250 ok)"),
       at("10:00:03", "postfix/qmgr[9]: DDDD4: removed")});
  ASSERT_EQ(got.traces.size(), 1u);
  EXPECT_EQ(got.traces[0].direction, Direction::Outbound);
  EXPECT_EQ(got.traces[0].remote_host, "mx.p.example");
}

TEST(PostfixReader, LaterSentSupersedesDeferralAndBouncesFail) {
  PostfixReader reader(capture_options());
  auto line = [](const char* t, const char* rcpt, const char* status) {
    return at(t, std::string("postfix/smtp[8]: AAAA1: to=<") + rcpt +
                     ">, relay=mx.p.example[192.0.2.9]:25, delay=1, delays=0/0/0/0, dsn=4.0.0, status=" + status +
                     " (text)");
  };
  Collect got = read_lines(
      reader, {at("10:00:00", "postfix/qmgr[9]: AAAA1: from=<a@contoso.com>, size=10, nrcpt=3 (queue active)"),
               line("10:00:00", "u1@p.example", "deferred"), line("10:00:00", "u2@p.example", "deferred"),
               line("10:00:00", "u3@p.example", "bounced"), line("10:10:00", "u1@p.example", "sent"),
               at("10:10:00", "postfix/qmgr[9]: AAAA1: removed")});
  std::map<std::string, std::string> by_status;
  for (const Trace& t : got.traces) by_status[t.status] = t.recipient;
  EXPECT_EQ(by_status["Delivered"], "u1@p.example");
  EXPECT_EQ(by_status["Pending"], "u2@p.example");
  EXPECT_EQ(by_status["Failed"], "u3@p.example");
  EXPECT_EQ(got.traces.size(), 3u);
}

TEST(PostfixReader, ExpiredMessagesFail) {
  PostfixReader reader(capture_options());
  Collect got = read_lines(
      reader, {at("10:00:00", "postfix/qmgr[9]: AAAA1: from=<a@contoso.com>, size=10, nrcpt=1 (queue active)"),
               at("10:00:00", "postfix/smtp[8]: AAAA1: to=<u@p.example>, relay=none, delay=0, delays=0/0/0/0, "
                              "dsn=4.4.1, status=deferred (connect to mx.p.example[192.0.2.9]:25: Connection refused)"),
               at("10:30:00", "postfix/qmgr[9]: AAAA1: from=<a@contoso.com>, status=expired, returned to sender"),
               at("10:30:00", "postfix/qmgr[9]: AAAA1: removed")});
  ASSERT_EQ(got.traces.size(), 1u);
  EXPECT_EQ(got.traces[0].status, "Failed");
  EXPECT_EQ(got.traces[0].remote_host, "mx.p.example");
  EXPECT_EQ(got.traces[0].remote_ip, "192.0.2.9");
}

TEST(PostfixReader, IncompleteQueueIdsAtEndOfFileAreEmittedWithTheirStatusSoFar) {
  PostfixReader reader(capture_options());
  Collect got = read_lines(
      reader, {at("10:00:00", "postfix/smtpd[1]: connect from a.example[192.0.2.1]"),
               at("10:00:00", "postfix/smtpd[1]: AAAA1: client=a.example[192.0.2.1]"),
               at("10:00:00", "postfix/qmgr[9]: AAAA1: from=<x@a.example>, size=10, nrcpt=1 (queue active)"),
               at("10:00:01", "postfix/qmgr[9]: BBBB2: from=<a@contoso.com>, size=10, nrcpt=1 (queue active)"),
               at("10:00:01", "postfix/smtp[8]: BBBB2: to=<u@p.example>, relay=none, delay=0, delays=0/0/0/0, "
                              "dsn=4.4.1, status=deferred (connect to mx.p.example[192.0.2.9]:25: Connection refused)")});
  EXPECT_EQ(reader.incomplete(), 2);
  ASSERT_EQ(got.traces.size(), 2u);
  EXPECT_EQ(got.traces[0].direction, Direction::Inbound);
  EXPECT_EQ(got.traces[0].status, "Delivered");  // accepted once queued
  EXPECT_EQ(got.traces[1].status, "Pending");
}

TEST(PostfixReader, MemoryStaysBoundedByTheWindow) {
  PostfixReader reader(capture_options(), 3600);
  Collect sink;
  std::int64_t n = 0;
  // A day of messages that never get a "removed" line: a queue id every 10 s.
  for (int i = 0; i < 8640; ++i) {
    int t = i * 10;
    char time[16], qid[16];
    std::snprintf(time, sizeof time, "%02d:%02d:%02d", t / 3600, t / 60 % 60, t % 60);
    std::snprintf(qid, sizeof qid, "Q%05X", i);
    reader.line(at(time, std::string("postfix/qmgr[9]: ") + qid + ": from=<a@contoso.com>, size=1, nrcpt=1 (queue active)"),
                ++n, sink);
    reader.line(at(time, std::string("postfix/smtp[8]: ") + qid + ": to=<u@p.example>, relay=none, delay=0, "
                         "delays=0/0/0/0, dsn=4.4.1, status=deferred (connect to mx.p.example[192.0.2.9]:25: x)"),
                ++n, sink);
    EXPECT_LE(reader.open_queue_ids(), 380u);
  }
  EXPECT_GT(sink.traces.size(), 8000u);  // flushed as they aged
  reader.finish(sink);
  EXPECT_EQ(sink.traces.size(), 8640u);
  EXPECT_EQ(reader.incomplete(), 8640);
}

TEST(PostfixReader, YearRolloverInsideOneFile) {
  ReaderOptions o = capture_options();
  o.year = 2025;
  PostfixReader reader(o);
  Collect got = read_lines(
      reader,
      {"Dec 31 23:59:59 mx1 postfix/qmgr[9]: AAAA1: from=<a@contoso.com>, size=1, nrcpt=1 (queue active)",
       "Dec 31 23:59:59 mx1 postfix/smtp[8]: AAAA1: to=<u@p.example>, relay=mx.p.example[192.0.2.9]:25, delay=0, "
       "delays=0/0/0/0, dsn=2.0.0, status=sent (ok)",
       "Jan  1 00:00:01 mx1 postfix/qmgr[9]: BBBB2: from=<a@contoso.com>, size=1, nrcpt=1 (queue active)",
       "Jan  1 00:00:01 mx1 postfix/smtp[8]: BBBB2: to=<u@p.example>, relay=mx.p.example[192.0.2.9]:25, delay=0, "
       "delays=0/0/0/0, dsn=2.0.0, status=sent (ok)"});
  ASSERT_EQ(got.traces.size(), 2u);
  EXPECT_EQ(format_instant(got.traces[0].received), "2025-12-31T23:59:59Z");
  EXPECT_EQ(format_instant(got.traces[1].received), "2026-01-01T00:00:01Z");
}

TEST(PostfixReader, YearFromTheFileModificationTime) {
  ReaderOptions o = capture_options();
  o.year.reset();
  o.file_mtime = *parse_instant("2026-01-02T08:00:00Z");
  PostfixReader reader(o);
  Collect got = read_lines(
      reader, {"Dec 30 10:00:00 mx1 postfix/qmgr[9]: AAAA1: from=<a@contoso.com>, size=1, nrcpt=1 (queue active)",
               "Dec 30 10:00:00 mx1 postfix/smtp[8]: AAAA1: to=<u@p.example>, relay=mx.p.example[192.0.2.9]:25, "
               "delay=0, delays=0/0/0/0, dsn=2.0.0, status=sent (ok)",
               "Jan  2 07:00:00 mx1 postfix/qmgr[9]: BBBB2: from=<a@contoso.com>, size=1, nrcpt=1 (queue active)",
               "Jan  2 07:00:00 mx1 postfix/smtp[8]: BBBB2: to=<u@p.example>, relay=mx.p.example[192.0.2.9]:25, "
               "delay=0, delays=0/0/0/0, dsn=2.0.0, status=sent (ok)"});
  ASSERT_EQ(got.traces.size(), 2u);
  EXPECT_EQ(format_instant(got.traces[0].received), "2025-12-30T10:00:00Z");
  EXPECT_EQ(format_instant(got.traces[1].received), "2026-01-02T07:00:00Z");
}

UnixSeconds first_received(const std::string& zone, const std::string& stamp) {
  ReaderOptions o = capture_options();
  o.time_zone = zone;
  PostfixReader reader(o);
  Collect got = read_lines(
      reader, {stamp + " mx1 postfix/qmgr[9]: AAAA1: from=<a@contoso.com>, size=1, nrcpt=1 (queue active)",
               stamp + " mx1 postfix/smtp[8]: AAAA1: to=<u@p.example>, relay=mx.p.example[192.0.2.9]:25, delay=0, "
                       "delays=0/0/0/0, dsn=2.0.0, status=sent (ok)"});
  EXPECT_EQ(got.traces.size(), 1u);
  return got.traces.empty() ? 0 : got.traces[0].received;
}

TEST(PostfixReader, TimeZonesFromTheTzDatabaseAndOffsets) {
  EXPECT_EQ(format_instant(first_received("Europe/Berlin", "Jul 15 12:00:00")), "2026-07-15T10:00:00Z");
  EXPECT_EQ(format_instant(first_received("Europe/Berlin", "Nov 23 12:00:00")), "2026-11-23T11:00:00Z");
  EXPECT_EQ(format_instant(first_received("America/New_York", "Nov 23 12:00:00")), "2026-11-23T17:00:00Z");
  EXPECT_EQ(format_instant(first_received("+05:30", "Nov 23 12:00:00")), "2026-11-23T06:30:00Z");
  EXPECT_EQ(format_instant(first_received("UTC", "Nov 23 12:00:00")), "2026-11-23T12:00:00Z");
  // RFC 3339 stamps carry their own offset: -TimeZone does not apply.
  EXPECT_EQ(format_instant(first_received("Europe/Berlin", "2026-11-23T12:00:00.123456+02:00")),
            "2026-11-23T10:00:00Z");
  ReaderOptions o = capture_options();
  o.time_zone = "Mars/Olympus_Mons";
  EXPECT_THROW(PostfixReader bad(o), Error);
}

TEST(PostfixReader, RefusedSessions) {
  PostfixReader reader(capture_options());
  Collect got = read_lines(
      reader, {at("10:00:00", "postfix/smtpd[1]: NOQUEUE: reject: RCPT from unknown[2001:db8::7]: 554 5.7.1 "
                              "<v@elsewhere.example>: Relay access denied; from=<w@w.example> to=<v@elsewhere.example> "
                              "proto=ESMTP helo=<w.example>"),
               at("10:00:01", "postfix/smtpd[1]: NOQUEUE: reject: CONNECT from bad.example[192.0.2.66]: 554 5.7.1 "
                              "Service unavailable; Client host [192.0.2.66] blocked using zen.example")});
  ASSERT_EQ(got.refused_list.size(), 2u);
  EXPECT_FALSE(got.refused_list[0].client_host);
  EXPECT_EQ(got.refused_list[0].client_ip, "2001:db8::7");
  EXPECT_EQ(got.refused_list[0].sender, "w@w.example");
  EXPECT_EQ(got.refused_list[0].recipient, "v@elsewhere.example");
  EXPECT_EQ(got.refused_list[0].reason, "554 5.7.1 <v@elsewhere.example>: Relay access denied");
  EXPECT_FALSE(got.refused_list[1].sender);
  EXPECT_TRUE(got.traces.empty());
}

TEST(PostfixReader, UnrelatedLinesAreSkippedBrokenPostfixLinesRejected) {
  PostfixReader reader(capture_options());
  Collect got = read_lines(
      reader,
      {at("10:00:00", "CRON[77]: (root) CMD (run-parts /etc/cron.hourly)"),
       at("10:00:00", "postfix/master[5]: daemon started -- version 3.7.11, configuration /etc/postfix"),
       at("10:00:00", "postfix/smtpd[1]: warning: hostname x.example does not resolve to address 192.0.2.1"),
       at("10:00:00", "postfix/smtpd[1]: lost connection after EHLO from unknown[192.0.2.1]"),
       "random text that is no log line",
       at("10:00:01", "postfix/smtp[8]: AAAA1: to=<u@p.example> relay-missing"),
       at("10:00:01", "postfix/smtp[8]: AAAA1: to=<u@p.example>, relay=x[192.0.2.1]:25, dsn=2.0.0, status=weird (x)"),
       at("10:00:01", "postfix/qmgr[9]: AAAA1: from=<a@contoso.com>, size=12x, nrcpt=1 (queue active)"),
       "Nov 99 10:00:00 mx1 postfix/qmgr[9]: AAAA1: removed"});
  ASSERT_EQ(got.rejects.size(), 4u);
  EXPECT_EQ(got.rejects[0].first, 6);
  EXPECT_EQ(got.rejects[1].first, 7);
  EXPECT_EQ(got.rejects[2].first, 8);
  EXPECT_EQ(got.rejects[3].first, 9);
}

// size=99999999999999999999999 once wrapped to garbage: a size that does
// not fit is a reject with a reason, never stored.
TEST(PostfixReader, SizeThatDoesNotFitIsRejected) {
  PostfixReader reader(capture_options());
  Collect got = read_lines(
      reader,
      {at("10:00:01", "postfix/qmgr[9]: AAAA1: from=<a@contoso.com>, size=99999999999999999999999, nrcpt=1 (queue active)"),
       at("10:00:01", "postfix/qmgr[9]: AAAA2: from=<a@contoso.com>, size=1099511627777, nrcpt=1 (queue active)")});
  ASSERT_EQ(got.rejects.size(), 2u);
  EXPECT_EQ(got.rejects[0].second, "Postfix qmgr line has a size out of range (over 1 TiB)");
  EXPECT_EQ(got.rejects[1].first, 2);
  EXPECT_TRUE(got.traces.empty());
}

TEST(PostfixReader, DetectsPostfixLogs) {
  EXPECT_TRUE(PostfixReader::looks_like({"Nov 23 13:00:35 mx1 postfix/master[1]: daemon started"}));
  EXPECT_TRUE(PostfixReader::looks_like(
      {"2026-11-23T13:03:05.082436+00:00 vm kernel: x", "2026-11-23T13:03:05.082436+00:00 vm postfix-out/smtp[3]: x"}));
  EXPECT_FALSE(PostfixReader::looks_like({"received,direction,sender,recipient"}));
  EXPECT_FALSE(PostfixReader::looks_like({"Nov 23 13:00:35 mx1 sshd[1]: Accepted publickey"}));
}

}  // namespace
}  // namespace mailflow
