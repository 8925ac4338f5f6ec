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
#include <cstdint>
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
inline constexpr std::size_t kPostfixDaemons = 9;
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
  std::string_view operator[](std::string_view name) const {
    for (int i = 0; i < count; ++i)
      if (names[i] == name) return captures[i];
    missing(name);
  }

 private:
  [[noreturn]] static void missing(std::string_view name);
};

// A parsed pattern: literals and captures, matched without regular
// expressions (a few string_view searches per line).
//
// Most lines are tried against several patterns before one matches, so a
// miss must be cheap: a pattern that begins with a literal is refused on
// its first byte; a capture is ended by searching for the next literal
// through the literal's rarest byte (memchr over the line, then one compare
// per hit), not through its first byte (a space, found at every word); and
// {qid} followed by a literal that cannot be part of a queue id is the run
// of letters and digits, checked in place. Each finds what a plain
// first-occurrence search would (postfix_patterns.cpp says why).
class CompiledPattern {
 public:
  explicit CompiledPattern(const std::string& pattern);
  // `leading_run`: when the caller knows it (it tries many patterns on one
  // message), the length of the run of queue id characters the message
  // begins with, counted up to 21 (queue_id_run()); -1 when not known.
  bool match(std::string_view message, PatternMatch& out, int leading_run = -1) const {
    // The first literal's first byte: most patterns a line is tried
    // against fail here.
    if (first_ >= 0 && (message.empty() || static_cast<unsigned char>(message[0]) != first_)) return false;
    return match_parts(message, out, leading_run);
  }

 private:
  struct Part {
    bool capture;
    bool named;
    bool qid;             // {qid}: the value must be a queue id
    std::string literal;  // the literal text, or the capture's name
    std::uint32_t rare = 0;  // a literal's rarest byte (its index), for searching
    bool run = false;        // {qid} ended by a literal that begins with a byte no queue id has
  };
  bool match_parts(std::string_view message, PatternMatch& out, int leading_run) const;
  static std::size_t find_literal(std::string_view m, std::size_t pos, const Part& p);
  std::vector<Part> parts_;
  int first_ = -1;  // the byte a message must begin with, or -1
};

struct PostfixPatternSet {
  std::vector<PostfixPattern> patterns;
  std::vector<CompiledPattern> compiled;  // same order
  // For each PostfixDaemon, the patterns that apply to its lines, in table
  // order (Unknown: all of them).
  std::array<std::vector<std::uint8_t>, kPostfixDaemons> by_daemon;
};

// Whether `p` is tried for a line of `daemon`: its own daemon's patterns,
// every pattern when the daemon is unknown, deliveries for the local
// delivery agents, and OpenSSL's reason for smtp/lmtp too.
bool postfix_pattern_applies(PostfixDaemon daemon, const PostfixPattern& p);

// The checked table (built on first use; throws std::logic_error when a
// sample and its pattern disagree).
const PostfixPatternSet& postfix_patterns();

// True for a Postfix queue id: 5 or more characters of [0-9A-Za-z]
// (short hex ids and long ids alike), other than the word NOQUEUE.
bool is_queue_id(std::string_view s);
// The length of the run of queue id characters ([0-9A-Za-z]) at `pos` of
// `s`, counted up to 21 (a longer run is no queue id).
int queue_id_run(std::string_view s, std::size_t pos = 0);

}  // namespace mailflow
