#include "ingest/postfix_joiner.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "core/error.h"
#include "core/text.h"

namespace mailflow {

namespace postfix {

TlsVersion tls_from_log(std::string_view v) {
  // Postfix writes OpenSSL's names: TLSv1, TLSv1.1, TLSv1.2, TLSv1.3.
  return parse_tls(v).value_or(TlsVersion::None);
}

// "Anonymous", "Untrusted", "Trusted", "Verified": what Postfix says of the
// peer certificate; anything else is not kept.
std::optional<std::string> trust_from_log(std::string_view v) {
  for (std::string_view t : {"Anonymous", "Untrusted", "Trusted", "Verified"})
    if (v == t) return std::string(t);
  return std::nullopt;
}

std::optional<std::string> host_or_null(std::string_view host) {
  if (host.empty() || host == "unknown") return std::nullopt;
  return std::string(host);
}

// A peer address is kept as RemoteIP only when it is an IPv4 or IPv6
// address ("130.194.11.1.123" or a socket path is not).
std::optional<std::string> ip_or_null(std::string_view ip) {
  if (ip.empty() || !parse_ip(ip)) return std::nullopt;
  return std::string(ip);
}

// The value after `key` up to `end` in `text` ("from=<" ... ">").
std::optional<std::string_view> between(std::string_view text, std::string_view key, char end) {
  size_t at = text.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  at += key.size();
  size_t close = text.find(end, at);
  if (close == std::string_view::npos) return std::nullopt;
  return text.substr(at, close - at);
}

// "host[ip]:port" or "host[ip]" -> host, ip.
bool split_relay(std::string_view relay, std::string_view& host, std::string_view& ip) {
  size_t open = relay.find('[');
  size_t close = relay.find(']', open == std::string_view::npos ? 0 : open);
  if (open == std::string_view::npos || close == std::string_view::npos) return false;
  host = relay.substr(0, open);
  ip = relay.substr(open + 1, close - open - 1);
  return true;
}

std::string status_name(std::string_view postfix_status) {
  if (postfix_status == "sent") return "Delivered";
  if (postfix_status == "bounced" || postfix_status == "expired") return "Failed";
  if (postfix_status == "deferred") return "Pending";
  return {};
}

// A deferral or bounce for a TLS reason: the TLS session, if one was set
// up, carried no mail. The messages are smtp(8)'s (Postfix 3.7
// src/smtp/smtp_proto.c and smtp_connect.c), most specific first.
std::string_view tls_refusal_reason(std::string_view detail) {
  static constexpr std::pair<std::string_view, std::string_view> kReasons[] = {
      {"(TLS is required, but was not offered", "NotOffered"},
      {"(TLS is required, but host", "StartTlsRefused"},  // "... refused to start TLS: 454 ..."
      {"(TLS is required", "TlsRequired"},                // "... our TLS engine is unavailable"
      {"(Cannot start TLS", "HandshakeFailed"},
      {"(TLS handshake", "HandshakeFailed"},
      {"(Server certificate not verified", "CertificateNotVerified"},
      {"(Server certificate not trusted", "CertificateNotTrusted"},
  };
  for (const auto& [prefix, reason] : kReasons)
    if (detail.starts_with(prefix)) return reason;
  return {};
}

bool inside(const std::vector<IpRange>& networks, const IpAddress& ip) {
  return std::any_of(networks.begin(), networks.end(), [&](const IpRange& r) { return r.contains(ip); });
}

void Networks::add(const IpRange& r) {
  // The bits IpRange::contains compares: the prefix, counted from the v4
  // part (the last 32 bits) for a v4 range.
  std::uint8_t mask[16] = {};
  int bits = r.base.v4 ? r.prefix + 96 : r.prefix;
  for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8)
    mask[i] = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
  Masked m{};
  std::memcpy(m.mask, mask, 16);
  std::memcpy(m.base, r.base.bytes.data(), 16);
  m.base[0] &= m.mask[0];
  m.base[1] &= m.mask[1];
  m.v4 = r.base.v4;
  ranges_.push_back(m);
}

bool Networks::contains(const IpAddress& ip) const {
  std::uint64_t a[2];
  std::memcpy(a, ip.bytes.data(), 16);
  for (const Masked& m : ranges_) {
    if (m.v4 && !ip.v4) continue;
    if ((a[0] & m.mask[0]) == m.base[0] && (a[1] & m.mask[1]) == m.base[1]) return true;
  }
  return false;
}

}  // namespace postfix

using namespace postfix;

namespace {

// True when every byte of `s` is ASCII (then it is valid UTF-8): eight
// bytes at a time, the high bits of all words gathered before one test.
bool ascii(std::string_view s) {
  const char* p = s.data();
  std::size_t n = s.size();
  std::uint64_t high = 0, word;
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 <= n; i += 8) {
      std::memcpy(&word, p + i, 8);
      high |= word;
    }
    std::memcpy(&word, p + n - 8, 8);  // the tail, overlapping the last full word
    high |= word;
  } else {
    for (std::size_t i = 0; i < n; ++i) high |= static_cast<unsigned char>(p[i]);
  }
  return (high & 0x8080808080808080ULL) == 0;
}

// `to` = `from`, in the memory `to` holds already (the joiner's scratch
// trace is reused record after record).
void assign_text(std::optional<std::string>& to, std::string_view from) {
  if (to) to->assign(from);
  else to.emplace(from);
}
void assign(std::optional<std::string>& to, const std::optional<std::string>& from) {
  if (!from) to.reset();
  else assign_text(to, *from);
}

// join(parts, ";") into `out`.
void join_into(std::string& out, const std::vector<std::string>& parts) {
  out.clear();
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out.push_back(';');
    out.append(parts[i]);
  }
}

}  // namespace

PostfixJoiner::PostfixJoiner(const ReaderOptions& options, UnixSeconds window)
    : options_(options),
      window_(window),
      clock_(options.year, options.file_mtime.value_or(start_of_day(options.today) + 86399),
             LocalTimeZone(options.time_zone.value_or(""))) {
  std::vector<std::string> networks = options.internal_networks;
  if (networks.empty()) networks = {"127.0.0.0/8", "::1/128"};  // the host itself is always inside
  for (const std::string& n : networks) {
    std::string why;
    auto r = parse_ip_range(n, &why);
    if (!r) throw Error("InvalidConfig", "InternalNetworks: " + why);
    internal_.add(*r);
  }
  for (const std::string& d : options.organization_domains) {
    std::string why;
    auto p = parse_domain_pattern(d, &why);
    if (!p) throw Error("InvalidConfig", "OrganizationDomains: " + why);
    org_domains_.push_back(*p);
  }
  postfix_patterns();  // check the pattern table before the first line
}

// "host program[pid]", built in place (once key_ has grown to the longest
// key, without an allocation or a capacity check per piece).
const std::string& PostfixJoiner::process_key(const SyslogHeader& h) {
  key_.resize(h.host.size() + h.program.size() + h.pid.size() + 3);
  char* out = key_.data();
  auto put = [&out](std::string_view part) {
    if (part.empty()) return;  // a line without a pid: no pointer to copy from
    std::memcpy(out, part.data(), part.size());
    out += part.size();
  };
  put(h.host);
  *out++ = ' ';
  put(h.program);
  *out++ = '[';
  put(h.pid);
  *out = ']';
  return key_;
}

std::string PostfixJoiner::lifecycle_key(const SyslogHeader& h, std::string_view qid, std::string_view rcpt) const {
  std::string k(h.host);
  k.push_back('/');
  k.append(qid);
  k.push_back('/');
  k.append(rcpt);
  return k;
}

bool PostfixJoiner::org_domain(std::string_view address) const {
  std::string domain = address_domain(address);
  return std::any_of(org_domains_.begin(), org_domains_.end(), [&](const DomainPattern& p) { return p.matches(domain); });
}

QueueEntry& PostfixJoiner::entry(const Event& e, std::string_view qid) {
  auto [it, fresh] = queue_.try_emplace(qid);
  if (fresh) {
    it->second.host = e.h.host;
    it->second.first_seen = e.time;
    it->second.line = e.number;
  }
  it->second.last_seen = e.time;
  return it->second;
}

bool PostfixJoiner::too_long(const Event& e, std::string_view v) {
  if (v.size() <= kMaxFieldBytes) return false;
  e.sink.reject(e.number, "Postfix line has a field longer than " + std::to_string(kMaxFieldBytes) + " bytes",
                e.text);
  return true;
}

void PostfixJoiner::message(const SyslogHeader& h, std::string_view text, std::int64_t number, ReaderSink& sink) {
  // "postfix/smtpd", "postfix/submission/smtpd", "postfix-out/smtp"; RFC 5424
  // from rsyslog says only "postfix": the daemon is unknown.
  size_t slash = h.program.rfind('/');
  PostfixDaemon daemon =
      slash == std::string_view::npos ? PostfixDaemon::Unknown : postfix_daemon(h.program.substr(slash + 1));
  if (daemon == PostfixDaemon::Other) {
    sink.ignored(h.program);
    return;
  }
  if (host_.empty()) host_ = h.host;

  const PostfixPatternSet& set = postfix_patterns();
  PatternMatch& m = match_;
  const int run = queue_id_run(h.message);
  for (std::uint8_t i : set.by_daemon[static_cast<size_t>(daemon)]) {
    const PostfixPattern& p = set.patterns[i];
    if (!set.compiled[i].match(h.message, m, run)) continue;
    if (!ascii(h.message) && !valid_utf8(h.message)) {
      sink.reject(number, "Postfix line is not valid UTF-8", text);
      return;
    }
    auto time = clock_.to_utc(h);
    if (!time) {
      sink.reject(number, "Postfix line dated a day that does not exist in the inferred year (use -Year)", text);
      return;
    }
    if (resumable_) note_time(h.host, *time, text);
    if (*time >= next_sweep_) {
      sweep(*time, sink);
      next_sweep_ = *time + 60;
    }
    Event e{m, h, *time, text, number, sink};
    switch (p.event) {
      case PostfixEvent::Connect: return on_connect(e);
      case PostfixEvent::Disconnect: return on_disconnect(e);
      case PostfixEvent::TlsFrom: return on_tls_from(e);
      case PostfixEvent::Client: return on_client(e);
      case PostfixEvent::NoqueueReject:
      case PostfixEvent::QueueReject: return on_reject(e, false);
      case PostfixEvent::PostscreenReject: return on_reject(e, true);
      case PostfixEvent::MessageId: return on_message_id(e);
      case PostfixEvent::QueuedFrom: return on_queued_from(e);
      case PostfixEvent::Expired: return on_expired(e);
      case PostfixEvent::Removed: return on_removed(e);
      case PostfixEvent::Pickup: return on_pickup(e);
      case PostfixEvent::TlsTo: return on_tls_to(e);
      case PostfixEvent::Delivery: return on_delivery(e);
      case PostfixEvent::SslAcceptError: return on_ssl_accept_error(e);
      case PostfixEvent::LostAfterStartTls: return on_lost_after_starttls(e);
      case PostfixEvent::SslConnectError: return on_ssl_connect_error(e);
      case PostfixEvent::TlsLibraryProblem: return on_tls_library_problem(e);
    }
    return;
  }
  // A queue id followed by a keyword we read, in a form we do not: a
  // Postfix line that does not parse (SPEC 8), not an unrelated one.
  size_t colon = h.message.find(": ");
  if (colon != std::string_view::npos && is_queue_id(h.message.substr(0, colon))) {
    std::string_view rest = h.message.substr(colon + 2);
    for (std::string_view kw : {"to=", "from=", "client=", "message-id="})
      if (rest.starts_with(kw)) {
        sink.reject(number, "Postfix " + std::string(kw.substr(0, kw.size() - 1)) + " line does not parse", text);
        return;
      }
  }
}

// A queue id is complete (removed, flushed or at the end of the input): its
// inbound record, if it came from outside, and its outbound records.
void PostfixJoiner::emit(const std::string& qid, const QueueEntry& q, ReaderSink& sink) {
  // Inbound: queued from a client outside the organisation that did not
  // authenticate (submission from a roaming user is not inbound).
  if (q.from_smtpd && q.queued && !q.authenticated) {
    auto ip = parse_ip(q.client_ip);
    if (!ip || !internal_.contains(*ip)) {
      // Every field is set: trace_ carries the last record's values.
      Trace& t = trace_;
      t.received = q.first_seen;
      t.direction = Direction::Inbound;
      t.connector.reset();
      t.tls = q.client_tls;
      t.tls_trust.reset();
      if (q.client_tls != TlsVersion::None) {
        assign(t.cipher, q.client_cipher);
        if (q.client_trust) t.tls_trust = parse_tls_trust(*q.client_trust);
      } else {
        t.cipher.reset();
      }
      t.sender.assign(q.sender);
      join_into(t.recipient, q.recipients);
      if (q.client_host.empty() || q.client_host == "unknown") t.remote_host.reset();
      else assign_text(t.remote_host, q.client_host);
      if (ip) assign_text(t.remote_ip, q.client_ip);  // ip_or_null: only an address is a RemoteIP
      else t.remote_ip.reset();
      t.size = q.size;
      t.status.assign("Delivered");
      assign(t.message_id, q.message_id);
      sink.trace(t, q.line);
    }
  }
  // An authenticated submission ("client=..., sasl_username=U"), queued:
  // counted per user and the session's TLS (Get-SmtpAuthClientReport).
  if (q.from_smtpd && q.queued && q.sasl_username && !q.sasl_username->empty()) {
    AuthSubmission a;
    a.time = q.first_seen;
    a.user = *q.sasl_username;
    a.tls = q.client_tls;
    a.client_host = host_or_null(q.client_host);
    a.client_ip = ip_or_null(q.client_ip);
    a.key = host_ + "/" + qid;
    sink.auth_submission(a, q.line);
  }
  for (const OutGroup& g : q.groups) {
    if (g.recipients.empty()) continue;  // every deferral was superseded
    Trace& t = trace_;  // every field set, as above
    t.received = g.time;
    t.direction = Direction::Outbound;
    t.connector.reset();
    t.tls = g.tls;
    t.tls_trust.reset();
    if (g.trust) t.tls_trust = parse_tls_trust(*g.trust);
    assign(t.cipher, g.cipher);
    t.sender.assign(q.sender);
    join_into(t.recipient, g.recipients);
    assign(t.remote_host, g.host);
    assign(t.remote_ip, g.ip);
    t.size = q.size;
    t.status.assign(g.status);
    assign(t.message_id, q.message_id);
    // Lifecycle keys where a record may replace, or be replaced by, one of
    // other lines: a deferral, and any outcome of a queue id whose start
    // these lines did not see (qmgr logs from= again at every retry: only
    // smtpd's client=, pickup or cleanup's message-id tell a new message).
    bool keyed = g.status == "Pending" || !q.queued || !q.started ||
                 std::any_of(g.recipients.begin(), g.recipients.end(), [&](const std::string& r) {
                   return std::find(q.deferred.begin(), q.deferred.end(), r) != q.deferred.end();
                 });
    if (!keyed) {
      sink.trace(t, g.line);
      continue;
    }
    std::vector<std::string> keys;
    for (const std::string& r : g.recipients) keys.push_back(host_ + "/" + qid + "/" + r);
    sink.lifecycle_trace(t, g.line, keys);
  }
}

// Bounded memory: queue ids, sessions and connections not seen for a whole
// window of log time are closed. A queue id is emitted with what is known
// (a message still deferred is Pending); sessions and connections are
// dropped (their process died or the log lost lines).
void PostfixJoiner::sweep(UnixSeconds now, ReaderSink& sink) {
  UnixSeconds limit = now - window_;
  std::vector<std::pair<std::int64_t, std::string>> stale;
  for (const auto& [qid, q] : queue_)
    if (q.last_seen < limit) stale.emplace_back(q.line, qid);
  std::sort(stale.begin(), stale.end());  // emit in log order, whatever the hash order
  for (const auto& [line, qid] : stale) {
    auto it = queue_.find(qid);
    emit(it->first, it->second, sink);
    queue_.erase(it);
    ++incomplete_;
  }
  flush_failures(limit, sink);
  sessions_.erase_if([&](const auto& kv) { return kv.second.last < limit; });
  connections_.erase_if([&](const auto& kv) { return kv.second.last < limit; });
  client_tls_.erase_if([&](const auto& kv) { return kv.second.last < limit; });
}

// TLS failures still being put together by sessions and smtp processes
// not heard of since `limit`, reported in log order.
void PostfixJoiner::flush_failures(UnixSeconds limit, ReaderSink& sink) {
  std::vector<std::pair<std::int64_t, TlsHandshakeFailure*>> held;
  for (auto& [key, s] : sessions_)
    if (s.failure && s.last < limit) held.emplace_back(s.failure_line, &*s.failure);
  for (auto& [key, c] : client_tls_)
    if (c.pending && c.last < limit) held.emplace_back(c.pending_line, &*c.pending);
  std::sort(held.begin(), held.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [line, f] : held) sink.tls_failure(*f, line);
  for (auto& [key, s] : sessions_)
    if (s.last < limit) s.failure.reset();
  for (auto& [key, c] : client_tls_)
    if (c.last < limit) c.pending.reset();
}

// Emits the open queue ids `qids` (incomplete), in log order.
void PostfixJoiner::emit_open(ReaderSink& sink, const std::vector<std::string>& qids) {
  std::vector<std::pair<std::int64_t, std::string>> open;
  for (const std::string& qid : qids) open.emplace_back(queue_.at(qid).line, qid);
  std::sort(open.begin(), open.end());
  for (const auto& [line, qid] : open) {
    emit(qid, queue_.at(qid), sink);
    ++incomplete_;
  }
}

void PostfixJoiner::finish(ReaderSink& sink) {
  std::vector<std::string> all;
  for (const auto& [qid, q] : queue_) all.push_back(qid);
  emit_open(sink, all);
  flush_failures(std::numeric_limits<UnixSeconds>::max(), sink);
  queue_.clear();
  sessions_.clear();
  connections_.clear();
  client_tls_.clear();
}

}  // namespace mailflow
