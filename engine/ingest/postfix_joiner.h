// The Postfix queue-id joiner behind PostfixReader: the state it keeps
// between lines (queue ids, smtpd sessions, smtp connections), the
// dispatch of a matched line to its handler, and what a complete queue id
// emits. The handlers, one per event of postfix_patterns.h, are in
// postfix_handlers.cpp; the reader (syslog lines, journald records) in
// postfix_reader.cpp.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/net_match.h"
#include "ingest/postfix_patterns.h"
#include "ingest/postfix_state_table.h"
#include "ingest/syslog_header.h"
#include "ingest/trace_reader.h"

namespace mailflow {

namespace postfix {

// One outbound record in the making: the recipients of one queue id that
// went to one relay over one TLS state with one outcome. A deferred
// recipient has a group of its own, so that its later outcome replaces it
// one to one.
struct OutGroup {
  std::string relay_key;  // "host[ip]:port", or "none:host[ip]" for a failed connect
  std::optional<std::string> host, ip;
  TlsVersion tls = TlsVersion::None;
  std::optional<std::string> trust;
  std::optional<std::string> cipher;
  std::string status;
  UnixSeconds time = 0;
  std::int64_t line = 0;
  std::vector<std::string> recipients;
};

struct QueueEntry {
  std::string host;  // the log's host name (one store may hold several servers' logs)
  UnixSeconds first_seen = 0, last_seen = 0;
  std::int64_t line = 0;
  bool from_smtpd = false, authenticated = false, queued = false;
  bool started = false;  // these lines saw the message begin (client=, pickup, message-id)
  std::string client_host, client_ip;
  TlsVersion client_tls = TlsVersion::None;
  std::optional<std::string> client_trust;
  std::optional<std::string> client_cipher;
  std::optional<std::string> sasl_username;
  std::optional<std::string> message_id;
  std::string sender;
  std::int64_t size = 0;
  std::vector<std::string> recipients;  // every recipient a delivery line named (inbound record)
  std::vector<std::string> deferred;    // recipients deferred at least once in these lines
  std::vector<OutGroup> groups;

  // Back to a fresh entry (StateTable), keeping the memory of its strings
  // and lists for the next queue id.
  void reuse() {
    auto kept = [](auto& v) {
      auto out = std::move(v);
      out.clear();
      return out;
    };
    QueueEntry fresh;
    fresh.host = kept(host);
    fresh.client_host = kept(client_host);
    fresh.client_ip = kept(client_ip);
    fresh.sender = kept(sender);
    fresh.recipients = kept(recipients);
    fresh.deferred = kept(deferred);
    fresh.groups = kept(groups);
    *this = std::move(fresh);
  }
};

// An smtpd process serves one client session at a time, many in turn:
// everything here is reset by "connect from".
struct SmtpdSession {
  std::string host, ip;
  TlsVersion tls = TlsVersion::None;
  std::optional<std::string> trust;
  std::optional<std::string> cipher;
  UnixSeconds last = 0;
  // A failed handshake being put together from its lines ("SSL_accept
  // error from", "TLS library problem", "lost connection after STARTTLS"):
  // reported once the session says no more about it.
  std::optional<TlsHandshakeFailure> failure;
  std::int64_t failure_line = 0;
};

// An smtp/lmtp process's failed handshake ("SSL_connect error to", then
// OpenSSL's reason) waiting for the delivery line that tells what became of
// the mail; and the last attempt it reported, so that the recipients of one
// attempt make one failure.
struct SmtpClientTls {
  std::optional<TlsHandshakeFailure> pending;
  std::int64_t pending_line = 0;
  std::string last_attempt;  // "queue id relay detail" of the last failure reported
  UnixSeconds last = 0;
};

// The TLS line an smtp process logged for its current connection
// ("established", or "reused" for each delivery over a cached one). It
// applies to the deliveries of the one queue id that follows it; a delivery
// of another queue id by the same process is a new connection, and without
// a TLS line of its own that connection was plain text.
struct SmtpConnection {
  std::string relay_key;
  TlsVersion tls = TlsVersion::None;
  std::string trust;
  std::string cipher;
  std::string queue_id;  // bound at the first delivery after the TLS line
  UnixSeconds last = 0;
};

// What Postfix writes, read into what a trace keeps (postfix_joiner.cpp).
TlsVersion tls_from_log(std::string_view v);
// "Anonymous", "Untrusted", "Trusted", "Verified"; anything else is not kept.
std::optional<std::string> trust_from_log(std::string_view v);
// "unknown" or empty: no host name.
std::optional<std::string> host_or_null(std::string_view host);
// Only an IPv4 or IPv6 address is a RemoteIP ("130.194.11.1.123" or a socket path is not).
std::optional<std::string> ip_or_null(std::string_view ip);
// The value after `key` up to `end` in `text` ("from=<" ... ">").
std::optional<std::string_view> between(std::string_view text, std::string_view key, char end);
// "host[ip]:port" or "host[ip]" -> host, ip.
bool split_relay(std::string_view relay, std::string_view& host, std::string_view& ip);
// sent -> Delivered, bounced/expired -> Failed, deferred -> Pending; else empty.
std::string status_name(std::string_view postfix_status);
// The reason class of a delivery's TLS refusal, from its detail
// ("(TLS is required, but was not offered by host ...)" -> "NotOffered");
// empty when the detail is no TLS refusal.
std::string_view tls_refusal_reason(std::string_view detail);
inline bool tls_refused(std::string_view detail) { return !tls_refusal_reason(detail).empty(); }
bool inside(const std::vector<IpRange>& networks, const IpAddress& ip);

// InternalNetworks, asked about every delivery and every inbound message:
// each range as a 128-bit mask and masked base, so that a test is two
// masked compares of 64 bits, with what IpRange::contains answers (a v4
// range holds only v4 and mapped addresses).
class Networks {
 public:
  void add(const IpRange& r);
  bool contains(const IpAddress& ip) const;

 private:
  struct Masked {
    std::uint64_t mask[2], base[2];
    bool v4;
  };
  std::vector<Masked> ranges_;
};

}  // namespace postfix

// The joiner: one handler per event of postfix_patterns.h.
class PostfixJoiner {
 public:
  using QueueEntry = postfix::QueueEntry;
  PostfixJoiner(const ReaderOptions& options, UnixSeconds window);

  // A message from a Postfix daemon, with its parsed header.
  void message(const SyslogHeader& h, std::string_view text, std::int64_t number, ReaderSink& sink);
  void finish(ReaderSink& sink);
  std::int64_t incomplete() const { return incomplete_; }

  // Imports that continue each other (TraceReader::resume, postfix_parking.cpp):
  // what the previous import left open, by log host. A host's state is taken
  // up when this input's first line of that host comes at or after the
  // state's last line (the lines that follow it), and left alone otherwise.
  void resume(std::string_view state);
  // The end of an import that resumes: emits what is complete or waits on a
  // deferral (its Pending record is settled through the lifecycle anyway)
  // and returns what is still in flight (queue ids, open smtpd sessions and
  // smtp connections) for the next import, with the other hosts' states.
  std::string park(ReaderSink& sink);
  std::size_t open_queue_ids() const { return queue_.size(); }

 private:
  struct Event {
    const PatternMatch& m;
    const SyslogHeader& h;
    UnixSeconds time;
    std::string_view text;
    std::int64_t number;
    ReaderSink& sink;
  };

  void on_connect(const Event& e);
  void on_disconnect(const Event& e);
  void on_tls_from(const Event& e);
  void on_client(const Event& e);
  void on_reject(const Event& e, bool postscreen);
  void on_message_id(const Event& e);
  void on_queued_from(const Event& e);
  void on_expired(const Event& e);
  void on_removed(const Event& e);
  void on_pickup(const Event& e);
  void on_tls_to(const Event& e);
  void on_delivery(const Event& e);
  void on_ssl_accept_error(const Event& e);
  void on_lost_after_starttls(const Event& e);
  void on_ssl_connect_error(const Event& e);
  void on_tls_library_problem(const Event& e);

  // TLS failures (issue #15): a delivery refused for a TLS reason, and the
  // failures sessions and smtp processes are still putting together.
  void delivery_tls_failure(const Event& e, std::string_view qid, std::string_view relay_key,
                            std::string_view host, std::string_view ip, std::string_view detail);
  void flush_failure(postfix::SmtpdSession& session, ReaderSink& sink);
  void flush_failure(postfix::SmtpClientTls& client, ReaderSink& sink);

  QueueEntry& entry(const Event& e, std::string_view qid);
  bool too_long(const Event& e, std::string_view value);
  const std::string& process_key(const SyslogHeader& h);
  std::string lifecycle_key(const SyslogHeader& h, std::string_view qid, std::string_view rcpt) const;
  bool org_domain(std::string_view address) const;
  void emit(const std::string& qid, const QueueEntry& q, ReaderSink& sink);
  void sweep(UnixSeconds now, ReaderSink& sink);
  void note_time(std::string_view host, UnixSeconds time, std::string_view text);
  void take_up(const std::string& host, UnixSeconds time, std::int64_t first_line_hash);
  bool load_section(std::string_view body);
  void emit_open(ReaderSink& sink, const std::vector<std::string>& qids);
  void flush_failures(UnixSeconds limit, ReaderSink& sink);

  ReaderOptions options_;
  UnixSeconds window_;
  SyslogClock clock_;
  postfix::Networks internal_;
  std::vector<DomainPattern> org_domains_;
  postfix::StateTable<QueueEntry> queue_;
  postfix::StateTable<postfix::SmtpdSession> sessions_;       // by process
  postfix::StateTable<postfix::SmtpConnection> connections_;  // by process
  postfix::StateTable<postfix::SmtpClientTls> client_tls_;    // by process
  std::string key_;     // scratch for map keys
  Trace trace_;         // scratch for the records emit() hands over (its strings keep their memory)
  PatternMatch match_;  // the line's captures (a member: not 256 bytes zeroed per line)
  std::string host_;    // the log's host name, for lifecycle keys
  UnixSeconds next_sweep_ = 0;
  std::int64_t incomplete_ = 0;

  // Parking (resume/park): the states the previous import left, and the
  // span of log time this input covers, by host.
  struct ParkedHost {
    UnixSeconds first = 0, last = 0;
    std::int64_t first_line_hash = 0;  // of the first line that state's input read
    std::string body;
    bool decided = false, continued = false;
  };
  struct HostSpan {
    UnixSeconds first = 0, last = 0;
    std::int64_t first_line_hash = 0;
  };
  bool resumable_ = false;
  std::map<std::string, ParkedHost> parked_;
  std::map<std::string, HostSpan> spans_;
  std::string span_host_;     // the host of the last line, and its span
  HostSpan* span_ = nullptr;
};

}  // namespace mailflow
