// The Postfix log lines mailflow understands, as data: each pattern sits
// beside real sample lines that must match it (STYLE.md "Formats are data").
// postfix_patterns() checks the table once when first used: a sample that
// matches nothing (or an earlier pattern) or a pattern with no sample is a
// programming error and throws.
//
// Pattern syntax: literal text and captures. `{name}` captures up to the next
// literal (its first occurrence) or to the end of the message when last;
// `{*}` is an unnamed capture. `{qid}` only matches a Postfix queue id.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace mailflow {

// What a matched line means to the joiner (postfix_reader.cpp).
enum class PostfixEvent {
  Connect,           // smtpd: a client session begins
  Disconnect,        // smtpd: it ends
  TlsFrom,           // smtpd: the session's TLS and the client certificate's trust
  Client,            // smtpd: a queue id opened in this session (with sasl_username=)
  NoqueueReject,     // smtpd: a refused recipient/sender/client
  QueueReject,       // smtpd: a refusal after the queue id was assigned
  PostscreenReject,  // postscreen: a refused client ("from [ip]:port")
  MessageId,         // cleanup
  QueuedFrom,        // qmgr: sender and size; the message is queued
  Expired,           // qmgr: gave up on deferred recipients
  Removed,           // qmgr: the queue id is done
  Pickup,            // pickup: local submission (sendmail)
  Delivery,          // smtp/lmtp/virtual/local/pipe/error/discard: one recipient's outcome
  TlsTo,             // smtp/lmtp: the TLS of the connection the next deliveries use
                     // ("established" or "reused" through tlsproxy)
  SslAcceptError,    // smtpd: a client's TLS handshake failed
  LostAfterStartTls, // smtpd: the client went away after STARTTLS
  SslConnectError,   // smtp/lmtp: the TLS handshake with a server failed
  TlsLibraryProblem, // smtpd, smtp/lmtp: OpenSSL's reason, after one of the two above
};
// Which daemons a pattern applies to (the last part of the syslog tag,
// "postfix/submission/smtpd" -> "smtpd"). Unknown: the log does not say
// (rsyslog's RFC 5424 template cuts the APP-NAME "postfix/smtpd" to
// "postfix"): every pattern is tried, in table order.
enum class PostfixDaemon { Smtpd, Postscreen, Cleanup, Qmgr, Pickup, SmtpClient, LocalDelivery, Unknown, Other };
PostfixDaemon postfix_daemon(std::string_view name);

struct PostfixPattern {
  PostfixEvent event;
  PostfixDaemon daemon;  // SmtpClient patterns also apply to LocalDelivery for Delivery
  std::string pattern;
  std::vector<std::string> samples;  // whole log lines, as Postfix wrote them
};

// Up to this many captures per pattern. Handlers read them by name
// (m["host"]), never by position.
inline constexpr int kMaxCaptures = 8;
struct PatternMatch {
  std::array<std::string_view, kMaxCaptures> captures{};
  std::array<std::string_view, kMaxCaptures> names{};
  int count = 0;
  // The capture called `name`; throws std::logic_error when the pattern has
  // none (a handler asking for a capture its pattern lacks is a bug).
  std::string_view operator[](std::string_view name) const;
};

// A parsed pattern: literals and captures, matched without regular
// expressions (a few string_view searches per line).
class CompiledPattern {
 public:
  explicit CompiledPattern(const std::string& pattern);
  bool match(std::string_view message, PatternMatch& out) const;

 private:
  struct Part {
    bool capture;
    bool named;
    bool qid;
    std::string literal;  // the literal text, or the capture's name
  };
  std::vector<Part> parts_;
};

struct PostfixPatternSet {
  std::vector<PostfixPattern> patterns;
  std::vector<CompiledPattern> compiled;  // same order
};

// The checked table (built on first use; throws std::logic_error when a
// sample and its pattern disagree).
const PostfixPatternSet& postfix_patterns();

// True for a Postfix queue id: 5 or more characters of [0-9A-Za-z]
// (short hex ids and long ids alike), other than the word NOQUEUE.
bool is_queue_id(std::string_view s);

}  // namespace mailflow
