// Issue #15, the Postfix side: failed TLS handshakes (tls_failure) and
// authenticated submissions (auth_submission) as the reader reports them,
// line by line, and over every transport of the real capture against the
// lists capture.sh wrote as it sent (tests/data/postfix-world/expected.csv).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/text.h"
#include "ingest/postfix_patterns.h"
#include "ingest/postfix_reader.h"
#include "reader_harness.h"

namespace mailflow {
namespace {

struct TlsSink : testing::CollectingSink {
  std::vector<TlsHandshakeFailure> failures;
  std::vector<std::int64_t> failure_lines;
  std::vector<AuthSubmission> submissions;
  void tls_failure(const TlsHandshakeFailure& f, std::int64_t line) override {
    failures.push_back(f);
    failure_lines.push_back(line);
  }
  void auth_submission(const AuthSubmission& a, std::int64_t) override { submissions.push_back(a); }
};

ReaderOptions options() {
  ReaderOptions o;
  o.year = 2026;
  o.time_zone = "UTC";
  o.internal_networks = {"127.0.0.1/32", "::1/128"};
  o.organization_domains = {"contoso.com"};
  return o;
}

TlsSink read(std::initializer_list<const char*> lines) {
  std::string text;
  for (const char* l : lines) (text += l) += "\n";
  PostfixReader reader(options());
  TlsSink sink;
  testing::feed(reader, text, sink);
  return sink;
}

bool has(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

// --- smtpd: inbound ----------------------------------------------------------

TEST(PostfixTlsFailure, AFailedServerHandshakeIsOneFailureWithOpenSslsReason) {
  TlsSink got = read({
      "Dec  1 18:35:31 vm postfix/smtpd[29908]: connect from mail.relecloud.example[127.0.0.7]",
      "Dec  1 18:35:32 vm postfix/smtpd[29908]: SSL_accept error from mail.relecloud.example[127.0.0.7]: -1",
      "Dec  1 18:35:32 vm postfix/smtpd[29908]: warning: TLS library problem: error:0A0000C1:SSL routines::no "
      "shared cipher:../ssl/statem/statem_srvr.c:2226:",
      "Dec  1 18:35:32 vm postfix/smtpd[29908]: lost connection after STARTTLS from mail.relecloud.example[127.0.0.7]",
      "Dec  1 18:35:32 vm postfix/smtpd[29908]: disconnect from mail.relecloud.example[127.0.0.7] ehlo=1 "
      "starttls=0/1 commands=1/2",
  });
  ASSERT_EQ(got.failures.size(), 1u);
  const TlsHandshakeFailure& f = got.failures[0];
  EXPECT_EQ(f.direction, Direction::Inbound);
  EXPECT_EQ(f.peer, "mail.relecloud.example");
  EXPECT_EQ(f.peer_ip, "127.0.0.7");
  EXPECT_EQ(f.reason, "HandshakeFailed");
  EXPECT_EQ(format_instant(f.time), "2026-12-01T18:35:32Z");
  EXPECT_FALSE(f.connector);
  EXPECT_EQ(f.text,
            "SSL_accept error from mail.relecloud.example[127.0.0.7]: -1; TLS library problem: error:0A0000C1:SSL "
            "routines::no shared cipher:../ssl/statem/statem_srvr.c:2226:; lost connection after STARTTLS from "
            "mail.relecloud.example[127.0.0.7]");
  EXPECT_EQ(got.failure_lines[0], 2);  // where the failure begins
  EXPECT_TRUE(got.traces.empty());
  EXPECT_TRUE(got.rejects.empty());
}

TEST(PostfixTlsFailure, LostAfterStartTlsAloneIsAFailureOfItsOwn) {
  TlsSink got = read({
      "Dec  1 18:00:00 vm postfix/smtpd[7]: connect from unknown[203.0.113.5]",
      "Dec  1 18:00:01 vm postfix/smtpd[7]: lost connection after STARTTLS from unknown[203.0.113.5]",
      "Dec  1 18:00:01 vm postfix/smtpd[7]: disconnect from unknown[203.0.113.5] ehlo=1 starttls=1 commands=2",
  });
  ASSERT_EQ(got.failures.size(), 1u);
  EXPECT_EQ(got.failures[0].reason, "LostAfterStartTls");
  EXPECT_FALSE(got.failures[0].peer);  // "unknown" is no host name
  EXPECT_EQ(got.failures[0].peer_ip, "203.0.113.5");
}

TEST(PostfixTlsFailure, ALibraryProblemTakesItsSessionsPeerButNotAfterAHandshakeThatWorked) {
  // Before any TLS: a failure of its own, reported when the session ends.
  TlsSink got = read({
      "Dec  1 18:00:00 vm postfix/smtpd[7]: connect from mail.example.net[198.51.100.4]",
      "Dec  1 18:00:01 vm postfix/smtpd[7]: warning: TLS library problem: error:0A000102:SSL routines::unsupported "
      "protocol:../ssl/statem/statem_srvr.c:1657:",
      "Dec  1 18:00:01 vm postfix/smtpd[7]: disconnect from mail.example.net[198.51.100.4] ehlo=1 starttls=0/1",
  });
  ASSERT_EQ(got.failures.size(), 1u);
  EXPECT_EQ(got.failures[0].reason, "TlsLibrary");
  EXPECT_EQ(got.failures[0].peer, "mail.example.net");
  EXPECT_EQ(got.failures[0].peer_ip, "198.51.100.4");
  EXPECT_TRUE(has(got.failures[0].text, "unsupported protocol"));
  // In an established TLS session (the client dropped the connection): no handshake failure.
  got = read({
      "Dec  1 18:00:00 vm postfix/smtpd[7]: connect from mail.example.net[198.51.100.4]",
      "Dec  1 18:00:00 vm postfix/smtpd[7]: Anonymous TLS connection established from mail.example.net"
      "[198.51.100.4]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)",
      "Dec  1 18:00:02 vm postfix/smtpd[7]: warning: TLS library problem: error:0A000126:SSL routines::unexpected "
      "eof while reading:../ssl/record/rec_layer_s3.c:308:",
      "Dec  1 18:00:02 vm postfix/smtpd[7]: disconnect from mail.example.net[198.51.100.4] ehlo=2 starttls=1",
  });
  EXPECT_TRUE(got.failures.empty());
  // A line no session can be joined to (the log began after "connect from"): not kept.
  got = read({"Dec  1 18:00:02 vm postfix/smtpd[8]: warning: TLS library problem: error:0A000126:x"});
  EXPECT_TRUE(got.failures.empty());
}

TEST(PostfixTlsFailure, AFailureStillOpenAtTheEndOfTheInputIsReported) {
  TlsSink got = read({
      "Dec  1 18:00:00 vm postfix/smtpd[7]: connect from mail.example.net[198.51.100.4]",
      "Dec  1 18:00:01 vm postfix/smtpd[7]: SSL_accept error from mail.example.net[198.51.100.4]: lost connection",
  });
  ASSERT_EQ(got.failures.size(), 1u);
  EXPECT_EQ(got.failures[0].reason, "HandshakeFailed");
}

// --- smtp: outbound -----------------------------------------------------------

TEST(PostfixTlsFailure, TlsRequiredButNotOfferedIsOneFailurePerAttempt) {
  TlsSink got = read({
      "Dec  1 18:35:44 vm postfix/qmgr[4]: 9F420114184: from=<alice@contoso.com>, size=10, nrcpt=2 (queue active)",
      "Dec  1 18:35:44 vm postfix/smtp[30057]: 9F420114184: to=<ann@lucerne.example>, relay=mx.lucerne.example"
      "[127.0.0.15]:25, delay=0.12, delays=0.01/0/0.12/0, dsn=4.7.4, status=deferred (TLS is required, but was "
      "not offered by host mx.lucerne.example[127.0.0.15])",
      "Dec  1 18:35:44 vm postfix/smtp[30057]: 9F420114184: to=<bo@lucerne.example>, relay=mx.lucerne.example"
      "[127.0.0.15]:25, delay=0.12, delays=0.01/0/0.12/0, dsn=4.7.4, status=deferred (TLS is required, but was "
      "not offered by host mx.lucerne.example[127.0.0.15])",
      "Dec  1 18:35:57 vm postfix/smtp[30057]: 9F420114184: to=<ann@lucerne.example>, relay=mx.lucerne.example"
      "[127.0.0.15]:25, delay=13, delays=13/0.19/0.05/0, dsn=4.7.4, status=deferred (TLS is required, but was "
      "not offered by host mx.lucerne.example[127.0.0.15])",
  });
  ASSERT_EQ(got.failures.size(), 2u);  // two recipients in one attempt, then a retry
  for (const TlsHandshakeFailure& f : got.failures) {
    EXPECT_EQ(f.direction, Direction::Outbound);
    EXPECT_EQ(f.peer, "mx.lucerne.example");
    EXPECT_EQ(f.peer_ip, "127.0.0.15");
    EXPECT_EQ(f.reason, "NotOffered");
    EXPECT_EQ(f.text, "TLS is required, but was not offered by host mx.lucerne.example[127.0.0.15]");
  }
  EXPECT_EQ(format_instant(got.failures[1].time), "2026-12-01T18:35:57Z");
}

TEST(PostfixTlsFailure, AClientHandshakeErrorJoinsTheDeliveryThatItStopped) {
  TlsSink got = read({
      "Dec  1 18:35:45 vm postfix/smtp[30057]: SSL_connect error to mx.coho.example[127.0.0.13]:25: -1",
      "Dec  1 18:35:45 vm postfix/smtp[30057]: warning: TLS library problem: error:0A00042E:SSL routines::tlsv1 "
      "alert protocol version:../ssl/record/rec_layer_s3.c:1602:SSL alert number 70:",
      "Dec  1 18:35:45 vm postfix/smtp[30057]: 282B7114187: to=<joe@coho.example>, relay=mx.coho.example"
      "[127.0.0.13]:25, delay=0.01, delays=0/0/0.01/0, dsn=4.7.5, status=deferred (Cannot start TLS: handshake "
      "failure)",
  });
  ASSERT_EQ(got.failures.size(), 1u);
  const TlsHandshakeFailure& f = got.failures[0];
  EXPECT_EQ(f.reason, "HandshakeFailed");
  EXPECT_EQ(f.peer, "mx.coho.example");
  EXPECT_TRUE(has(f.text, "SSL_connect error to mx.coho.example[127.0.0.13]:25"));
  EXPECT_TRUE(has(f.text, "tlsv1 alert protocol version"));
  EXPECT_TRUE(f.text.ends_with("; Cannot start TLS: handshake failure"));
  EXPECT_EQ(got.failure_lines[0], 1);
}

TEST(PostfixTlsFailure, AHandshakeErrorBeforeAPlainTextDeliveryIsStillAFailure) {
  // Opportunistic TLS: the handshake failed, the mail went on in plain text.
  TlsSink got = read({
      "Dec  1 18:00:00 vm postfix/smtp[5]: SSL_connect error to mx.example.net[198.51.100.9]:25: lost connection",
      "Dec  1 18:00:01 vm postfix/smtp[5]: AAAA9: to=<x@example.net>, relay=mx.example.net[198.51.100.9]:25, "
      "delay=1, delays=0/0/1/0, dsn=2.0.0, status=sent (250 ok)",
  });
  ASSERT_EQ(got.failures.size(), 1u);
  EXPECT_EQ(got.failures[0].reason, "HandshakeFailed");
  EXPECT_EQ(got.failures[0].text, "SSL_connect error to mx.example.net[198.51.100.9]:25: lost connection");
}

TEST(PostfixTlsFailure, CertificateRefusalsHaveTheirClasses) {
  TlsSink got = read({
      "Dec  1 18:35:45 vm postfix/smtp[30057]: 8F95B114190: to=<liz@fourthcoffee.example>, "
      "relay=mx.fourthcoffee.example[127.0.0.12]:25, delay=0.24, delays=0.01/0/0.23/0, dsn=4.7.5, status=deferred "
      "(Server certificate not verified)",
      "Dec  1 18:35:46 vm postfix/smtp[30058]: 8F95B114191: to=<x@example.net>, relay=mx.example.net"
      "[198.51.100.9]:25, delay=0.2, delays=0/0/0.2/0, dsn=4.7.5, status=deferred (Server certificate not trusted)",
      "Dec  1 18:35:47 vm postfix/smtp[30059]: 8F95B114192: to=<y@example.org>, relay=mx.example.org"
      "[198.51.100.10]:25, delay=0.2, delays=0/0/0.2/0, dsn=4.7.4, status=deferred (TLS is required, but host "
      "mx.example.org[198.51.100.10] refused to start TLS: 454 4.7.0 TLS not available due to local problem)",
      // Not a TLS reason: no failure.
      "Dec  1 18:35:48 vm postfix/smtp[30060]: 8F95B114193: to=<z@example.org>, relay=none, delay=0.2, "
      "delays=0/0/0.2/0, dsn=4.4.1, status=deferred (connect to mx.example.org[198.51.100.10]:25: Connection "
      "refused)",
  });
  ASSERT_EQ(got.failures.size(), 3u);
  EXPECT_EQ(got.failures[0].reason, "CertificateNotVerified");
  EXPECT_EQ(got.failures[0].text, "Server certificate not verified");
  EXPECT_EQ(got.failures[1].reason, "CertificateNotTrusted");
  EXPECT_EQ(got.failures[2].reason, "StartTlsRefused");
}

TEST(PostfixTlsFailure, Rfc5424LinesWithoutTheDaemonNameAreReadToo) {
  // rsyslog's RFC 5424 template cuts the APP-NAME to "postfix".
  TlsSink got = read({
      "<22>1 2026-12-01T18:35:31.9+00:00 vm postfix 29908 - -  connect from mail.relecloud.example[127.0.0.7]",
      "<22>1 2026-12-01T18:35:32.1+00:00 vm postfix 29908 - -  SSL_accept error from mail.relecloud.example"
      "[127.0.0.7]: -1",
      "<20>1 2026-12-01T18:35:32.1+00:00 vm postfix 29908 - -  warning: TLS library problem: error:0A0000C1:SSL "
      "routines::no shared cipher:../ssl/statem/statem_srvr.c:2226:",
      "<22>1 2026-12-01T18:35:32.1+00:00 vm postfix 29908 - -  lost connection after STARTTLS from "
      "mail.relecloud.example[127.0.0.7]",
  });
  ASSERT_EQ(got.failures.size(), 1u);
  EXPECT_EQ(got.failures[0].reason, "HandshakeFailed");
  EXPECT_TRUE(has(got.failures[0].text, "no shared cipher"));
}

// --- authenticated submissions ------------------------------------------------

TEST(PostfixAuthSubmission, EverySaslMessageWithItsSessionsTls) {
  TlsSink got = read({
      "Dec  1 18:35:55 vm postfix/submission/smtpd[30247]: connect from scanner.contoso-branch.example[127.0.0.6]",
      "Dec  1 18:35:55 vm postfix/submission/smtpd[30247]: Anonymous TLS connection established from "
      "scanner.contoso-branch.example[127.0.0.6]: TLSv1 with cipher ECDHE-RSA-AES256-SHA (256/256 bits)",
      "Dec  1 18:35:55 vm postfix/submission/smtpd[30247]: BC6EE1141DE: client=scanner.contoso-branch.example"
      "[127.0.0.6], sasl_method=LOGIN, sasl_username=scanner@contoso.com",
      "Dec  1 18:35:55 vm postfix/cleanup[30250]: BC6EE1141DE: message-id=<1@scanner>",
      "Dec  1 18:35:55 vm postfix/qmgr[29797]: BC6EE1141DE: from=<scanner@contoso.com>, size=600, nrcpt=1 "
      "(queue active)",
      // A second session: authenticated, but the client quit before the message was queued.
      "Dec  1 18:35:56 vm postfix/submission/smtpd[30247]: connect from roaming.contoso-users.example[127.0.0.5]",
      "Dec  1 18:35:56 vm postfix/submission/smtpd[30247]: C0FFE1141DF: client=roaming.contoso-users.example"
      "[127.0.0.5], sasl_method=PLAIN, sasl_username=alice@contoso.com",
      "Dec  1 18:35:56 vm postfix/submission/smtpd[30247]: disconnect from roaming.contoso-users.example[127.0.0.5]",
      // Not authenticated: inbound, no submission.
      "Dec  1 18:35:57 vm postfix/smtpd[30248]: connect from mail.fabrikam.example[198.51.100.2]",
      "Dec  1 18:35:57 vm postfix/smtpd[30248]: DEAD11141E0: client=mail.fabrikam.example[198.51.100.2]",
      "Dec  1 18:35:57 vm postfix/qmgr[29797]: DEAD11141E0: from=<sam@fabrikam.example>, size=10, nrcpt=1 "
      "(queue active)",
      "Dec  1 18:35:58 vm postfix/qmgr[29797]: BC6EE1141DE: removed",
      "Dec  1 18:35:58 vm postfix/qmgr[29797]: DEAD11141E0: removed",
  });
  ASSERT_EQ(got.submissions.size(), 1u);
  const AuthSubmission& a = got.submissions[0];
  EXPECT_EQ(a.user, "scanner@contoso.com");
  EXPECT_EQ(a.tls, TlsVersion::Tls10);
  EXPECT_EQ(a.client_host, "scanner.contoso-branch.example");
  EXPECT_EQ(a.client_ip, "127.0.0.6");
  EXPECT_EQ(a.key, "vm/BC6EE1141DE");
  EXPECT_EQ(format_instant(a.time), "2026-12-01T18:35:55Z");
  ASSERT_EQ(got.traces.size(), 1u);  // the inbound one; the submission is no trace
  EXPECT_EQ(got.traces[0].direction, Direction::Inbound);
}

// --- the capture, every transport, against what capture.sh sent ---------------

std::vector<std::map<std::string, std::string>> expected_rows() {
  std::ifstream in(std::string(MAILFLOW_TEST_DATA) + "/postfix-world/expected.csv");
  std::vector<std::string> header;
  std::vector<std::map<std::string, std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (char c : line) {
      if (c == '"') quoted = !quoted;
      else if (c == ',' && !quoted) fields.emplace_back();
      else fields.back() += c;
    }
    if (header.empty()) {
      header = fields;
      continue;
    }
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size() && i < fields.size(); ++i)
      row[header[i]] = fields[i] == "-" ? "" : fields[i];
    rows.push_back(row);
  }
  return rows;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(PostfixTlsCapture, FailuresAndSubmissionsInEveryTransportAreWhatWasSent) {
  auto rows = expected_rows();
  std::vector<std::map<std::string, std::string>> failures, auths;
  for (const auto& r : rows) {
    if (r.at("kind") == "tls-failure") failures.push_back(r);
    if (r.at("kind") == "auth") auths.push_back(r);
  }
  ASSERT_EQ(failures.size(), 5u);
  ASSERT_EQ(auths.size(), 3u);
  for (const char* file : {"syslog-traditional.log", "syslog-precise.log", "syslog-rfc5424.log", "maillog.log",
                           "journal/short.log", "journal/short-precise.log", "journal/short-iso.log",
                           "journal/short-iso-precise.log", "journal/short-full.log", "journal/json.log",
                           "journal/export.log"}) {
    SCOPED_TRACE(file);
    PostfixReader reader(options());
    TlsSink got;
    testing::feed(reader, slurp(std::string(MAILFLOW_TEST_DATA) + "/postfix-world/" + file), got);
    // Every failure belongs to a case that was sent; each case failed at
    // least once (an inbound client tried once; outbound mail is retried
    // until it expires, each attempt a failure).
    std::map<std::string, int> per_case;
    for (const TlsHandshakeFailure& f : got.failures) {
      const std::map<std::string, std::string>* match = nullptr;
      for (const auto& r : failures)
        if (r.at("direction") == (f.direction == Direction::Inbound ? "Inbound" : "Outbound") &&
            f.peer.value_or("") == r.at("remote_host") && f.peer_ip.value_or("") == r.at("remote_ip") &&
            has(f.text, r.at("detail")))
          match = &r;
      ASSERT_TRUE(match) << "a failure nobody caused: " << f.reason << " " << f.text;
      ++per_case[match->at("case")];
    }
    for (const auto& r : failures) {
      EXPECT_GE(per_case[r.at("case")], 1) << r.at("case");
      if (r.at("direction") == "Inbound") {
        EXPECT_EQ(per_case[r.at("case")], 1) << r.at("case");
      }
    }
    // The submissions: exactly the ones sent, with the session's TLS.
    std::multiset<std::string> want, have;
    std::set<std::string> keys;
    for (const auto& r : auths)
      want.insert(r.at("user") + "|" + r.at("tls") + "|" + r.at("remote_host") + "|" + r.at("remote_ip"));
    for (const AuthSubmission& a : got.submissions) {
      have.insert(a.user + "|" + std::string(tls_name(a.tls)) + "|" + a.client_host.value_or("") + "|" +
                  a.client_ip.value_or(""));
      keys.insert(a.key);
      std::size_t slash = a.key.find('/');
      ASSERT_NE(slash, std::string::npos) << a.key;
      EXPECT_TRUE(is_queue_id(a.key.substr(slash + 1))) << a.key;
    }
    EXPECT_EQ(have, want);
    EXPECT_EQ(keys.size(), got.submissions.size());  // one key per message
  }
}

}  // namespace
}  // namespace mailflow
