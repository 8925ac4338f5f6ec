#include "ingest/postfix_patterns.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "core/text.h"

namespace mailflow {

namespace {

using E = PostfixEvent;
using D = PostfixDaemon;

// Sample lines come from tests/data/postfix (captured from Postfix 3.7.11,
// see capture.sh), except where noted: those follow the format string in
// the Postfix source that writes them.
std::vector<PostfixPattern> pattern_table() {
  return {
      {E::Connect, D::Smtpd, "connect from {host}[{ip}]",
       {"Nov 23 13:02:37 mx1 postfix/smtpd[19018]: connect from mail.fabrikam.example[127.0.0.2]",
        "Nov 23 13:02:44 mx1 postfix/submission/smtpd[19120]: connect from unknown[::1]"}},
      {E::Disconnect, D::Smtpd, "disconnect from {host}[{ip}]{*}",
       {"Nov 23 13:02:37 mx1 postfix/smtpd[19018]: disconnect from mail.fabrikam.example[127.0.0.2] ehlo=2 "
        "starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7"}},
      {E::TlsFrom, D::Smtpd,
       "{trust} TLS connection established from {host}[{ip}]: {version} with cipher {cipher} {*}",
       {"Nov 23 13:02:37 mx1 postfix/smtpd[19018]: Anonymous TLS connection established from "
        "mail.tailspin.example[127.0.0.3]: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)",
        "Nov 23 13:02:44 mx1 postfix/submission/smtpd[19120]: Anonymous TLS connection established from "
        "unknown[::1]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 "
        "server-signature RSA-PSS (2048 bits) server-digest SHA256",
        // tests/data/postfix-world: a client certificate from the local CA.
        "Dec  1 18:35:40 vm postfix/smtpd[30092]: Trusted TLS connection established from "
        "mx.margie.example[127.0.0.14]: TLSv1.1 with cipher ECDHE-RSA-AES256-SHA (256/256 bits)"}},
      {E::Client, D::Smtpd, "{qid}: client={host}[{ip}]{rest}",
       {"Nov 23 13:02:37 mx1 postfix/smtpd[19018]: 5AAA410E884: client=mail.fabrikam.example[127.0.0.2]",
        "Nov 23 13:02:43 mx1 postfix/submission/smtpd[19120]: 8F07510E8AC: "
        "client=roaming.contoso-users.example[127.0.0.5], sasl_method=PLAIN, sasl_username=alice@contoso.com",
        // tests/data/postfix-world: the content filter's re-injection (XFORWARD).
        "Dec  1 18:35:24 vm postfix/reinject/smtpd[29922]: D2BF011410B: client=localhost[127.0.0.1], "
        "orig_queue_id=8681E114107, orig_client=mail.fabrikam.example[127.0.0.2]"}},
      // postscreen first: its client has no name ("from [ip]:port").
      {E::PostscreenReject, D::Postscreen, "NOQUEUE: reject: {command} from [{ip}]:{port}: {detail}",
       {"Dec  1 18:35:31 vm postfix/postscreen[29907]: NOQUEUE: reject: RCPT from [127.0.0.66]:56227: 550 5.3.2 "
        "Service currently unavailable; from=<promo@bulk-sender.example>, to=<bob@contoso.com>, proto=ESMTP, "
        "helo=<spam.bulk-sender.example>"}},
      {E::NoqueueReject, D::Smtpd, "NOQUEUE: reject: {command} from {host}[{ip}]: {detail}",
       {"Nov 23 13:02:38 mx1 postfix/smtpd[19018]: NOQUEUE: reject: RCPT from smtp.woodgrove.example[127.0.0.4]: "
        "554 5.7.1 <victim@elsewhere.example>: Relay access denied; from=<wendy@woodgrove.example> "
        "to=<victim@elsewhere.example> proto=ESMTP helo=<smtp.woodgrove.example>"}},
      {E::QueueReject, D::Smtpd, "{qid}: reject: {command} from {host}[{ip}]: {detail}",
       {// smtpd_check.c log_whatsup() with a queue id (a DATA-phase restriction).
        "Nov 23 13:05:12 mx1 postfix/smtpd[19018]: 4D11C10E8A6: reject: DATA from mail.fabrikam.example[127.0.0.2]: "
        "550 5.7.1 <DATA>: Data command rejected: Multi-recipient bounce; from=<> proto=ESMTP "
        "helo=<mail.fabrikam.example>",
        // tests/data/postfix-world: a second recipient refused after the first was accepted.
        "Dec  1 18:35:27 vm postfix/smtpd[29908]: C101111415E: reject: RCPT from mail.fabrikam.example[127.0.0.2]: "
        "550 5.1.1 <nosuch@contoso.com>: Recipient address rejected: User unknown in virtual mailbox table; "
        "from=<pat@fabrikam.example> to=<nosuch@contoso.com> proto=ESMTP helo=<mail.fabrikam.example>"}},
      {E::MessageId, D::Cleanup, "{qid}: message-id={id}",
       {"Nov 23 13:00:38 mx1 postfix/cleanup[15299]: 9632710E881: message-id=<20261123130038.015293@vm>"}},
      {E::QueuedFrom, D::Qmgr, "{qid}: from=<{sender}>, size={size}, nrcpt={nrcpt} {*}",
       {"Nov 23 13:00:38 mx1 postfix/qmgr[15149]: 9632710E881: from=<wendy@woodgrove.example>, size=438, nrcpt=1 "
        "(queue active)",
        "Nov 23 13:00:40 mx1 postfix/qmgr[15149]: A1B0710E889: from=<>, size=2456, nrcpt=1 (queue active)"}},
      {E::Expired, D::Qmgr, "{qid}: from=<{sender}>, status=expired, returned to sender",
       {"Dec  1 18:37:17 vm postfix/qmgr[29797]: B8FB311417D: from=<bob@contoso.com>, status=expired, returned "
        "to sender"}},
      {E::Removed, D::Qmgr, "{qid}: removed",
       {"Nov 23 13:00:38 mx1 postfix/qmgr[15149]: 9632710E881: removed"}},
      {E::Pickup, D::Pickup, "{qid}: uid={uid} from=<{sender}>",
       {"Nov 23 13:02:45 mx1 postfix/pickup[18843]: BC1EB10E8AF: uid=0 from=<carol@contoso.com>"}},
      {E::TlsTo, D::SmtpClient,
       "{trust} TLS connection {how} to {host}[{ip}]:{port}: {version} with cipher {cipher} {*}",
       {"Nov 23 13:02:40 mx1 postfix/smtp[19032]: Anonymous TLS connection established to "
        "mx.tailspin.example[127.0.0.9]:25: TLSv1.2 with cipher ADH-AES256-GCM-SHA384 (256/256 bits)",
        "Nov 23 13:02:44 mx1 postfix-out/smtp[19147]: Untrusted TLS connection established to "
        "smarthost.relay.example[127.0.0.9]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) "
        "key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256",
        // tests/data/postfix-world: smtp_tls_connection_reuse through tlsproxy.
        "Dec  1 18:35:46 vm postfix/smtp[30057]: Verified TLS connection reused to "
        "mx.fabrikam.example[127.0.0.9]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) "
        "key-exchange X25519 server-signature RSA-PSS (2048 bits)"}},
      {E::Delivery, D::SmtpClient, "{qid}: to=<{recipient}>, {fields}",
       {"Nov 23 13:02:42 mx1 postfix/smtp[19032]: 4ED5110E8A9: to=<nobody@fabrikam.example>, "
        "relay=mx.fabrikam.example[127.0.0.9]:25, delay=0.08, delays=0.01/0/0.05/0.02, dsn=5.1.1, status=bounced "
        "(host mx.fabrikam.example[127.0.0.9] said: 550 5.1.1 <nobody@fabrikam.example>: Recipient address "
        "rejected: User unknown in virtual mailbox table (in reply to RCPT TO command))",
        "Nov 23 13:02:46 mx1 postfix/smtp[19121]: D613310E8B0: to=<someone@adatum.example>, relay=none, delay=0, "
        "delays=0/0/0/0, dsn=4.4.1, status=deferred (connect to mx.adatum.example[127.0.0.11]:25: Connection "
        "refused)",
        "Nov 23 13:02:37 mx1 postfix/virtual[19024]: DBB4F10E884: to=<alice@contoso.com>, "
        "orig_to=<team@contoso.com>, relay=virtual, delay=0.01, delays=0.01/0/0/0, dsn=2.0.0, status=sent "
        "(delivered to maildir)",
        // tests/data/postfix-world: Dovecot LMTP over a unix socket; the retry transport.
        "Dec  1 18:35:25 vm postfix/lmtp[29923]: D2BF011410B: to=<alice@contoso.com>, "
        "relay=mx1.contoso.com[private/dovecot-lmtp], delay=0.56, delays=0.02/0.14/0.19/0.21, dsn=2.0.0, "
        "status=sent (250 2.0.0 <alice@contoso.com> jxIdDG0TD2vkdAAAg+zDdQ Saved)",
        "Dec  1 18:35:44 vm postfix/error[30144]: 55DCE11417A: to=<ops@paused.example>, relay=none, delay=0.13, "
        "delays=0.02/0.1/0/0.01, dsn=4.3.2, status=deferred (deliveries paused for maintenance)"}},
      // Failed TLS handshakes (issue #15). tests/data/postfix-world: a client
      // offering only a cipher we lack, and one talking plain text after STARTTLS.
      {E::SslAcceptError, D::Smtpd, "SSL_accept error from {host}[{ip}]: {status}",
       {"Dec  1 18:35:32 vm postfix/smtpd[29908]: SSL_accept error from mail.relecloud.example[127.0.0.7]: -1"}},
      {E::LostAfterStartTls, D::Smtpd, "lost connection after STARTTLS from {host}[{ip}]",
       {"Dec  1 18:35:32 vm postfix/smtpd[29908]: lost connection after STARTTLS from "
        "mail.relecloud.example[127.0.0.7]"}},
      // tls_client.c: msg_info("SSL_connect error to %s: %d", props->namaddr, sts)
      // (an smtp client doing TLS itself, without tlsproxy).
      {E::SslConnectError, D::SmtpClient, "SSL_connect error to {host}[{ip}]:{port}: {status}",
       {"Dec  1 18:35:45 vm postfix/smtp[30057]: SSL_connect error to mx.coho.example[127.0.0.13]:25: -1"}},
      // Also logged by smtp/lmtp (the joiner tries it for them too).
      {E::TlsLibraryProblem, D::Smtpd, "warning: TLS library problem: {problem}",
       {"Dec  1 18:35:32 vm postfix/smtpd[29908]: warning: TLS library problem: error:0A0000C1:SSL "
        "routines::no shared cipher:../ssl/statem/statem_srvr.c:2226:",
        "Dec  1 18:35:35 vm postfix/smtpd[29908]: warning: TLS library problem: error:0A00010B:SSL "
        "routines::wrong version number:../ssl/record/ssl3_record.c:350:"}},
  };
}

}  // namespace

PostfixDaemon postfix_daemon(std::string_view name) {
  if (name.empty()) return D::Other;
  // One compare for the daemons that log most.
  switch (name[0]) {
    case 's':
      if (name == "smtpd") return D::Smtpd;
      if (name == "smtp") return D::SmtpClient;
      break;
    case 'q':
      if (name == "qmgr") return D::Qmgr;
      break;
    case 'c':
      if (name == "cleanup") return D::Cleanup;
      break;
    default: break;
  }
  if (name == "smtpd") return D::Smtpd;
  if (name == "postscreen") return D::Postscreen;
  if (name == "cleanup") return D::Cleanup;
  if (name == "qmgr" || name == "nqmgr") return D::Qmgr;
  if (name == "pickup") return D::Pickup;
  if (name == "smtp" || name == "lmtp") return D::SmtpClient;
  if (name == "virtual" || name == "local" || name == "pipe" || name == "error" || name == "retry" ||
      name == "discard")
    return D::LocalDelivery;
  return D::Other;
}

bool is_queue_id(std::string_view s) {
  if (s.size() < 5 || s.size() > 20 || s == "NOQUEUE") return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  return true;
}

void PatternMatch::missing(std::string_view name) {
  throw std::logic_error("Postfix pattern has no capture {" + std::string(name) + "}");
}

bool postfix_pattern_applies(PostfixDaemon daemon, const PostfixPattern& p) {
  return daemon == D::Unknown || p.daemon == daemon ||
         (daemon == D::LocalDelivery && p.event == E::Delivery) ||
         (daemon == D::SmtpClient && p.event == E::TlsLibraryProblem);
}

namespace {

constexpr bool queue_id_char(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// How often a byte turns up in Postfix log messages, roughly (lower is
// rarer): spaces and lower-case letters everywhere, digits and dots in
// addresses and times, upper-case hex in queue ids; other upper-case
// letters and punctuation seldom.
int commonness(unsigned char c) {
  if (c == ' ') return 6;
  if (c >= 'a' && c <= 'z') return 5;
  if ((c >= '0' && c <= '9') || c == '.') return 4;
  if (c >= 'A' && c <= 'F') return 3;
  if (c == '=' || c == ',' || c == ':' || c == '<' || c == '>' || c == '@' || c == '-') return 2;
  return 1;
}

}  // namespace

CompiledPattern::CompiledPattern(const std::string& pattern) {
  size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] == '{') {
      size_t close = pattern.find('}', i);
      if (close == std::string::npos) throw std::logic_error("unclosed capture in pattern: " + pattern);
      std::string name = pattern.substr(i + 1, close - i - 1);
      parts_.push_back(Part{true, name != "*", name == "qid", name});
      i = close + 1;
    } else {
      size_t next = pattern.find('{', i);
      if (next == std::string::npos) next = pattern.size();
      Part p{false, false, false, pattern.substr(i, next - i)};
      for (std::uint32_t k = 1; k < p.literal.size(); ++k)
        if (commonness(static_cast<unsigned char>(p.literal[k])) <
            commonness(static_cast<unsigned char>(p.literal[p.rare])))
          p.rare = k;
      parts_.push_back(std::move(p));
      i = next;
    }
  }
  for (size_t k = 0; k + 1 < parts_.size(); ++k)
    if (parts_[k].capture && parts_[k + 1].capture)
      throw std::logic_error("two captures in a row in pattern: " + pattern);
  if (!parts_.empty() && !parts_[0].capture) first_ = static_cast<unsigned char>(parts_[0].literal[0]);
  // {qid} is then the run of queue id characters (see match_parts).
  for (size_t k = 0; k + 1 < parts_.size(); ++k)
    parts_[k].run = parts_[k].qid && !queue_id_char(parts_[k + 1].literal[0]);
}

// The first occurrence of the literal `p` in `m` at or after `pos`, or npos.
// Every occurrence has the rarest byte at its offset `p.rare`: the hits of
// that byte are visited in order and the first one that completes the
// literal is the first occurrence.
std::size_t CompiledPattern::find_literal(std::string_view m, std::size_t pos, const Part& p) {
  const std::string& lit = p.literal;
  if (m.size() < lit.size() || pos > m.size() - lit.size()) return std::string_view::npos;
  const char* data = m.data();
  const char* last = data + (m.size() - lit.size()) + p.rare;  // the last place the rare byte can be
  const char* at = data + pos + p.rare;
  const char rare = lit[p.rare];
  while (at <= last) {
    const char* hit = static_cast<const char*>(std::memchr(at, rare, static_cast<std::size_t>(last - at) + 1));
    if (!hit) return std::string_view::npos;
    const char* start = hit - p.rare;
    if (std::memcmp(start, lit.data(), lit.size()) == 0) return static_cast<std::size_t>(start - data);
    at = hit + 1;
  }
  return std::string_view::npos;
}

int queue_id_run(std::string_view s, std::size_t pos) {
  static constexpr auto kQueueIdChar = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 256; ++c) t[static_cast<std::size_t>(c)] = queue_id_char(static_cast<char>(c));
    return t;
  }();
  if (pos >= s.size()) return 0;
  std::size_t n = std::min(s.size() - pos, std::size_t{21});
  const unsigned char* p = reinterpret_cast<const unsigned char*>(s.data()) + pos;
  std::size_t i = 0;
  while (i < n && kQueueIdChar[p[i]]) ++i;
  return static_cast<int>(i);
}

bool CompiledPattern::match_parts(std::string_view m, PatternMatch& out, int leading_run) const {
  out.count = 0;
  size_t pos = 0;
  for (size_t k = 0; k < parts_.size(); ++k) {
    const Part& p = parts_[k];
    if (!p.capture) {
      if (m.size() - pos < p.literal.size() || std::memcmp(m.data() + pos, p.literal.data(), p.literal.size()) != 0)
        return false;
      pos += p.literal.size();
      continue;
    }
    std::string_view value;
    if (k + 1 == parts_.size()) {
      value = m.substr(pos);
      pos = m.size();
    } else if (p.run) {
      // {qid} before a literal that begins with a byte no queue id has:
      // the first occurrence of that literal can only be where the run of
      // queue id characters ends, so the run is the capture (at most 21
      // bytes are looked at: a longer run is no queue id).
      size_t end = pos + static_cast<size_t>(pos == 0 && leading_run >= 0 ? leading_run : queue_id_run(m, pos));
      value = m.substr(pos, end - pos);
      if (value.size() < 5 || value.size() > 20 || value == "NOQUEUE") return false;  // is_queue_id of a run
      const std::string& next = parts_[k + 1].literal;
      if (m.size() - end < next.size() || std::memcmp(m.data() + end, next.data(), next.size()) != 0) return false;
      pos = end;
      if (p.named) {
        if (out.count == kMaxCaptures) return false;
        out.names[out.count] = p.literal;
        out.captures[out.count++] = value;
      }
      continue;
    } else {
      // Captures are always followed by a literal.
      size_t at = find_literal(m, pos, parts_[k + 1]);
      if (at == std::string_view::npos) return false;
      value = m.substr(pos, at - pos);
      pos = at;
    }
    if (p.qid && !is_queue_id(value)) return false;
    if (p.named) {
      if (out.count == kMaxCaptures) return false;
      out.names[out.count] = p.literal;
      out.captures[out.count++] = value;
    }
  }
  return pos == m.size();
}

const PostfixPatternSet& postfix_patterns() {
  static const PostfixPatternSet set = [] {
    PostfixPatternSet s;
    s.patterns = pattern_table();
    for (const PostfixPattern& p : s.patterns) s.compiled.emplace_back(p.pattern);
    for (size_t d = 0; d < kPostfixDaemons; ++d)
      for (size_t i = 0; i < s.patterns.size(); ++i)
        if (postfix_pattern_applies(static_cast<PostfixDaemon>(d), s.patterns[i]))
          s.by_daemon[d].push_back(static_cast<std::uint8_t>(i));
    // Every sample must match its own pattern and no earlier one; every
    // pattern must have a sample.
    for (size_t i = 0; i < s.patterns.size(); ++i) {
      const PostfixPattern& p = s.patterns[i];
      if (p.samples.empty()) throw std::logic_error("Postfix pattern without a sample: " + p.pattern);
      for (const std::string& sample : p.samples) {
        // The message follows the first ": " after the "tag[pid]".
        size_t tag_end = sample.find("]: ");
        if (tag_end == std::string::npos) throw std::logic_error("Postfix sample without a tag: " + sample);
        std::string_view message = std::string_view(sample).substr(tag_end + 3);
        PatternMatch m;
        // No earlier pattern of any daemon may match: a log that does not
        // name the daemon (PostfixDaemon::Unknown) tries them all in order.
        for (size_t j = 0; j < i; ++j)
          if (s.compiled[j].match(message, m))
            throw std::logic_error("Postfix sample matches an earlier pattern (" + s.patterns[j].pattern + "): " +
                                   sample);
        if (!s.compiled[i].match(message, m))
          throw std::logic_error("Postfix sample does not match its pattern (" + p.pattern + "): " + sample);
      }
    }
    return s;
  }();
  return set;
}

}  // namespace mailflow
