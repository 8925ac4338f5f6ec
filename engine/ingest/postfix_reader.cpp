#include "ingest/postfix_reader.h"

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "core/error.h"
#include "core/net_match.h"
#include "core/text.h"
#include "ingest/postfix_patterns.h"
#include "ingest/syslog_header.h"

namespace mailflow {

namespace {

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
  UnixSeconds first_seen = 0, last_seen = 0;
  std::int64_t line = 0;
  bool from_smtpd = false, authenticated = false, queued = false;
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
};

// An smtpd process serves one client session at a time, many in turn:
// everything here is reset by "connect from".
struct SmtpdSession {
  std::string host, ip;
  TlsVersion tls = TlsVersion::None;
  std::optional<std::string> trust;
  std::optional<std::string> cipher;
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
// up, carried no mail.
bool tls_refused(std::string_view detail) {
  for (std::string_view why : {"(TLS is required", "(Cannot start TLS", "(Server certificate not verified",
                               "(Server certificate not trusted", "(TLS handshake"})
    if (detail.starts_with(why)) return true;
  return false;
}

bool inside(const std::vector<IpRange>& networks, const IpAddress& ip) {
  return std::any_of(networks.begin(), networks.end(), [&](const IpRange& r) { return r.contains(ip); });
}

}  // namespace

// The joiner: one handler per event of postfix_patterns.h.
class PostfixJoiner {
 public:
  PostfixJoiner(const ReaderOptions& options, UnixSeconds window);

  // A message from a Postfix daemon, with its parsed header.
  void message(const SyslogHeader& h, std::string_view text, std::int64_t number, ReaderSink& sink);
  void finish(ReaderSink& sink);
  std::int64_t incomplete() const { return incomplete_; }
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

  QueueEntry& entry(const Event& e, std::string_view qid);
  bool too_long(const Event& e, std::string_view value);
  const std::string& process_key(const SyslogHeader& h);
  std::string lifecycle_key(const SyslogHeader& h, std::string_view qid, std::string_view rcpt) const;
  bool org_domain(std::string_view address) const;
  void emit(const std::string& qid, const QueueEntry& q, ReaderSink& sink);
  void sweep(UnixSeconds now, ReaderSink& sink);

  ReaderOptions options_;
  UnixSeconds window_;
  SyslogClock clock_;
  std::vector<IpRange> internal_;
  std::vector<DomainPattern> org_domains_;
  std::unordered_map<std::string, QueueEntry> queue_;
  std::unordered_map<std::string, SmtpdSession> sessions_;       // by process
  std::unordered_map<std::string, SmtpConnection> connections_;  // by process
  std::string key_;     // scratch for map keys
  std::string host_;    // the log's host name, for lifecycle keys
  UnixSeconds next_sweep_ = 0;
  std::int64_t incomplete_ = 0;
};

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
    internal_.push_back(*r);
  }
  for (const std::string& d : options.organization_domains) {
    std::string why;
    auto p = parse_domain_pattern(d, &why);
    if (!p) throw Error("InvalidConfig", "OrganizationDomains: " + why);
    org_domains_.push_back(*p);
  }
  postfix_patterns();  // check the pattern table before the first line
}

const std::string& PostfixJoiner::process_key(const SyslogHeader& h) {
  key_.assign(h.host);
  key_.push_back(' ');
  key_.append(h.program);
  key_.push_back('[');
  key_.append(h.pid);
  key_.push_back(']');
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
  auto [it, fresh] = queue_.try_emplace(std::string(qid));
  if (fresh) {
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
  PatternMatch m;
  for (size_t i = 0; i < set.patterns.size(); ++i) {
    const PostfixPattern& p = set.patterns[i];
    bool applies = daemon == PostfixDaemon::Unknown || p.daemon == daemon ||
                   (daemon == PostfixDaemon::LocalDelivery && p.event == PostfixEvent::Delivery);
    if (!applies || !set.compiled[i].match(h.message, m)) continue;
    if (!valid_utf8(h.message)) {
      sink.reject(number, "Postfix line is not valid UTF-8", text);
      return;
    }
    auto time = clock_.to_utc(h);
    if (!time) {
      sink.reject(number, "Postfix line dated a day that does not exist in the inferred year (use -Year)", text);
      return;
    }
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

void PostfixJoiner::on_connect(const Event& e) {
  sessions_[process_key(e.h)] =
      SmtpdSession{std::string(e.m["host"]), std::string(e.m["ip"]), TlsVersion::None, {}, {}, e.time};
}

void PostfixJoiner::on_disconnect(const Event& e) { sessions_.erase(process_key(e.h)); }

void PostfixJoiner::on_tls_from(const Event& e) {
  SmtpdSession& session = sessions_[process_key(e.h)];
  session.host = e.m["host"];
  session.ip = e.m["ip"];
  session.tls = tls_from_log(e.m["version"]);
  session.trust = trust_from_log(e.m["trust"]);
  session.cipher = std::string(e.m["cipher"]);
  session.last = e.time;
}

void PostfixJoiner::on_client(const Event& e) {
  if (too_long(e, e.m["host"]) || too_long(e, e.m["rest"])) return;
  QueueEntry& q = entry(e, e.m["qid"]);
  q.from_smtpd = true;
  q.client_host = e.m["host"];
  q.client_ip = e.m["ip"];
  // ", sasl_method=PLAIN, sasl_username=alice@contoso.com" (the last field, or before ", sasl_sender=").
  std::string rest(e.m["rest"]);
  rest.push_back(',');
  if (auto user = between(rest, ", sasl_username=", ',')) {
    q.authenticated = true;
    q.sasl_username = std::string(*user);
  }
  auto it = sessions_.find(process_key(e.h));
  // The session's TLS, if this process's current session is this client.
  if (it != sessions_.end() && it->second.ip == q.client_ip) {
    q.client_tls = it->second.tls;
    q.client_trust = it->second.trust;
    q.client_cipher = it->second.cipher;
  }
}

// smtpd "NOQUEUE: reject:" and "QID: reject:" (one recipient refused; the
// message and its accepted recipients go on), postscreen "NOQUEUE: reject:".
void PostfixJoiner::on_reject(const Event& e, bool postscreen) {
  std::string_view detail = e.m["detail"];
  if (too_long(e, detail)) return;
  RefusedConnection r;
  r.time = e.time;
  if (!postscreen) r.client_host = host_or_null(e.m["host"]);
  r.client_ip = ip_or_null(e.m["ip"]);
  size_t cut = detail.find("; from=<");
  r.reason = std::string(detail.substr(0, cut));
  if (cut != std::string_view::npos) {
    std::string_view tail = detail.substr(cut);
    if (auto from = between(tail, "from=<", '>')) r.sender = std::string(*from);
    if (auto to = between(tail, " to=<", '>')) r.recipient = std::string(*to);
  }
  // Get-RefusedConnection names the program that refused.
  size_t slash = e.h.program.rfind('/');
  std::string_view program = slash == std::string_view::npos ? e.h.program : e.h.program.substr(slash + 1);
  if (postscreen || program == "postscreen") r.reason = "postscreen: " + r.reason;
  e.sink.refused(r, e.number);
}

void PostfixJoiner::on_message_id(const Event& e) {
  std::string_view id = e.m["id"];
  if (too_long(e, id)) return;
  entry(e, e.m["qid"]).message_id = id.empty() ? std::nullopt : std::optional<std::string>(id);
}

void PostfixJoiner::on_queued_from(const Event& e) {
  if (too_long(e, e.m["sender"])) return;
  std::int64_t size = 0;
  for (char c : e.m["size"]) {
    if (c < '0' || c > '9') {
      e.sink.reject(e.number, "Postfix qmgr line has a bad size", e.text);
      return;
    }
    size = size * 10 + (c - '0');
    // size=99999999999999999999999 once wrapped to garbage.
    if (size > kMaxMessageSize) {
      e.sink.reject(e.number, "Postfix qmgr line has a size out of range (over 1 TiB)", e.text);
      return;
    }
  }
  QueueEntry& q = entry(e, e.m["qid"]);
  q.sender = e.m["sender"];
  q.size = size;
  q.queued = true;
}

// The recipients still deferred are returned to the sender: failed. When
// this input saw none of them deferred, their Pending records came from
// earlier lines (another file or import): the sink settles them.
void PostfixJoiner::on_expired(const Event& e) {
  QueueEntry& q = entry(e, e.m["qid"]);
  if (q.sender.empty()) q.sender = e.m["sender"];
  bool any = false;
  for (OutGroup& g : q.groups)
    if (g.status == "Pending") {
      g.status = "Failed";
      g.time = e.time;
      any = true;
    }
  if (!any) e.sink.expire_queue(lifecycle_key(e.h, e.m["qid"], ""), e.time);
}

void PostfixJoiner::on_removed(const Event& e) {
  auto it = queue_.find(std::string(e.m["qid"]));
  if (it == queue_.end()) return;
  emit(it->first, it->second, e.sink);
  queue_.erase(it);
}

void PostfixJoiner::on_pickup(const Event& e) { entry(e, e.m["qid"]); }

void PostfixJoiner::on_tls_to(const Event& e) {
  SmtpConnection& c = connections_[process_key(e.h)];
  c.relay_key.assign(e.m["host"]);
  c.relay_key.push_back('[');
  c.relay_key.append(e.m["ip"]);
  c.relay_key.append("]:");
  c.relay_key.append(e.m["port"]);
  c.tls = tls_from_log(e.m["version"]);
  c.trust = e.m["trust"];
  c.cipher = e.m["cipher"];
  c.queue_id.clear();
  c.last = e.time;
}

// "QID: to=<rcpt>, [orig_to=<...>, ]relay=R, delay=..., delays=..., dsn=X.Y.Z, status=S (detail)"
void PostfixJoiner::on_delivery(const Event& e) {
  std::string_view qid = e.m["qid"], rcpt = e.m["recipient"], fields = e.m["fields"];
  if (too_long(e, rcpt)) return;
  auto relay = between(fields, "relay=", ',');
  size_t st = fields.find("status=");
  if (!relay || st == std::string_view::npos) {
    e.sink.reject(e.number, "Postfix delivery line without relay= or status=", e.text);
    return;
  }
  std::string_view status_word = fields.substr(st + 7);
  std::string_view detail;
  if (size_t sp = status_word.find(' '); sp != std::string_view::npos) {
    detail = status_word.substr(sp + 1);
    status_word = status_word.substr(0, sp);
  }
  if (status_word == "deliverable" || status_word == "undeliverable") return;  // address verification probes
  std::string status = status_name(status_word);
  if (status.empty()) {
    e.sink.reject(e.number, "Postfix delivery line with an unknown status '" + std::string(status_word) + "'",
                  e.text);
    return;
  }
  QueueEntry& q = entry(e, qid);
  if (std::find(q.recipients.begin(), q.recipients.end(), rcpt) == q.recipients.end())
    q.recipients.emplace_back(rcpt);

  // A final outcome supersedes an earlier deferral of the same recipient.
  if (status != "Pending")
    for (OutGroup& g : q.groups) {
      if (g.status != "Pending") continue;
      auto r = std::find(g.recipients.begin(), g.recipients.end(), rcpt);
      if (r != g.recipients.end()) g.recipients.erase(r);
    }

  // The boundary (Get-Help about_Boundary): only a hand-off to a server
  // outside is outbound.
  std::string_view host, ip, relay_key = *relay;
  if (*relay == "none") {
    // discard(8) is the only agent that reports relay=none, status=sent: not a delivery.
    if (status == "Delivered") return;
    // smtp could not connect: the detail names the server it tried,
    // "(connect to mx.adatum.example[127.0.0.11]:25: Connection refused)";
    // the error and retry transports name none.
    auto tried = between(detail, "connect to ", ':');
    if (tried && split_relay(*tried, host, ip)) relay_key = *tried;
  } else if (!split_relay(*relay, host, ip)) {
    return;  // relay=local, virtual, a pipe service: delivered inside
  }
  if (!ip.empty()) {
    auto addr = parse_ip(ip);
    if (!addr && ip.find('/') != std::string_view::npos) return;  // a unix socket ([private/dovecot-lmtp]): inside
    if (addr && inside(internal_, *addr)) return;  // an internal hop (content filter, internal relay)
  } else if (org_domain(rcpt)) {
    return;  // an outcome for one of our own domains, not a hand-off
  }
  if (std::find(q.deferred.begin(), q.deferred.end(), rcpt) == q.deferred.end() && status == "Pending")
    q.deferred.emplace_back(rcpt);

  TlsVersion tls = TlsVersion::None;
  std::optional<std::string> cipher, trust;
  auto c = connections_.find(process_key(e.h));
  if (c != connections_.end()) {
    if (c->second.relay_key == relay_key && (c->second.queue_id.empty() || c->second.queue_id == qid)) {
      c->second.queue_id = qid;
      c->second.last = e.time;
      tls = c->second.tls;
      cipher = c->second.cipher;
      trust = trust_from_log(c->second.trust);
    } else {
      connections_.erase(c);  // a later connection of this process, without TLS
    }
  }
  if (tls_refused(detail)) {
    tls = TlsVersion::None;
    cipher.reset();
    trust.reset();
  }
  if (status == "Pending") {
    for (const OutGroup& g : q.groups)
      if (g.status == "Pending" && std::find(g.recipients.begin(), g.recipients.end(), rcpt) != g.recipients.end())
        return;  // deferred again: the first deferral stands
  } else {
    for (OutGroup& g : q.groups)
      if (g.relay_key == relay_key && g.status == status && g.tls == tls && g.cipher == cipher && g.trust == trust) {
        g.recipients.emplace_back(rcpt);
        return;
      }
  }
  OutGroup g;
  g.relay_key = relay_key;
  g.host = host_or_null(host);
  g.ip = ip_or_null(ip);
  g.tls = tls;
  g.trust = trust;
  g.cipher = cipher;
  g.status = status;
  g.time = e.time;
  g.line = e.number;
  g.recipients.emplace_back(rcpt);
  q.groups.push_back(std::move(g));
}

// A queue id is complete (removed, flushed or at the end of the input): its
// inbound record, if it came from outside, and its outbound records.
void PostfixJoiner::emit(const std::string& qid, const QueueEntry& q, ReaderSink& sink) {
  // Inbound: queued from a client outside the organisation that did not
  // authenticate (submission from a roaming user is not inbound).
  if (q.from_smtpd && q.queued && !q.authenticated) {
    auto ip = parse_ip(q.client_ip);
    if (!ip || !inside(internal_, *ip)) {
      Trace t;
      t.received = q.first_seen;
      t.direction = Direction::Inbound;
      t.tls = q.client_tls;
      if (q.client_tls != TlsVersion::None) {
        t.cipher = q.client_cipher;
        if (q.client_trust) t.tls_trust = parse_tls_trust(*q.client_trust);
      }
      t.sender = q.sender;
      t.recipient = join(q.recipients, ";");
      t.remote_host = host_or_null(q.client_host);
      t.remote_ip = ip_or_null(q.client_ip);
      t.size = q.size;
      t.status = "Delivered";
      t.message_id = q.message_id;
      sink.trace(t, q.line);
    }
  }
  for (const OutGroup& g : q.groups) {
    if (g.recipients.empty()) continue;  // every deferral was superseded
    Trace t;
    t.received = g.time;
    t.direction = Direction::Outbound;
    t.tls = g.tls;
    if (g.trust) t.tls_trust = parse_tls_trust(*g.trust);
    t.cipher = g.cipher;
    t.sender = q.sender;
    t.recipient = join(g.recipients, ";");
    t.remote_host = g.host;
    t.remote_ip = g.ip;
    t.size = q.size;
    t.status = g.status;
    t.message_id = q.message_id;
    // Lifecycle keys where a record may replace, or be replaced by, one of
    // other lines: a deferral, and any outcome of a queue id whose start
    // (qmgr's from=) these lines did not see.
    bool keyed = g.status == "Pending" || !q.queued ||
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
  std::erase_if(sessions_, [&](const auto& kv) { return kv.second.last < limit; });
  std::erase_if(connections_, [&](const auto& kv) { return kv.second.last < limit; });
}

void PostfixJoiner::finish(ReaderSink& sink) {
  std::vector<std::pair<std::int64_t, std::string>> open;
  for (const auto& [qid, q] : queue_) open.emplace_back(q.line, qid);
  std::sort(open.begin(), open.end());
  for (const auto& [line, qid] : open) {
    emit(qid, queue_.at(qid), sink);
    ++incomplete_;
  }
  queue_.clear();
  sessions_.clear();
  connections_.clear();
}

// --- the reader: lines, and journald records ---------------------------

PostfixReader::PostfixReader(const ReaderOptions& options, UnixSeconds window)
    : joiner_(std::make_unique<PostfixJoiner>(options, window)) {}

PostfixReader::~PostfixReader() = default;

std::size_t PostfixReader::open_queue_ids() const { return joiner_->open_queue_ids(); }
std::int64_t PostfixReader::incomplete() const { return joiner_->incomplete(); }

namespace {

bool postfix_program(std::string_view program) {
  return program.starts_with("postfix");
}

// The string value of `"key":` in a one-line JSON object (journalctl -o json
// writes every field as a string, or an array of bytes for binary data, or
// an array for a repeated field); nullopt when absent or not a string.
std::optional<std::string> json_string(std::string_view line, std::string_view key) {
  std::string needle = "\"" + std::string(key) + "\":";
  size_t at = line.find(needle);
  while (at != std::string_view::npos && at > 0 && line[at - 1] != '{' && line[at - 1] != ',')
    at = line.find(needle, at + 1);
  if (at == std::string_view::npos) return std::nullopt;
  size_t i = at + needle.size();
  while (i < line.size() && line[i] == ' ') ++i;
  if (i >= line.size() || line[i] != '"') return std::nullopt;
  std::string out;
  for (++i; i < line.size(); ++i) {
    char c = line[i];
    if (c == '"') return out;
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (++i >= line.size()) return std::nullopt;
    switch (line[i]) {
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case 'r': out.push_back('\r'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'u': {
        if (i + 4 >= line.size()) return std::nullopt;
        unsigned cp = 0;
        for (int k = 1; k <= 4; ++k) {
          char h = line[i + k];
          cp <<= 4;
          if (h >= '0' && h <= '9') cp |= h - '0';
          else if (h >= 'a' && h <= 'f') cp |= h - 'a' + 10;
          else if (h >= 'A' && h <= 'F') cp |= h - 'A' + 10;
          else return std::nullopt;
        }
        i += 4;
        if (cp < 0x80) {
          out.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
          out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
          out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
          out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
          out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
          out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
        break;
      }
      default: out.push_back(line[i]);
    }
  }
  return std::nullopt;
}

bool journal_export_start(std::string_view line) {
  return line.starts_with("__CURSOR=") || line.starts_with("__REALTIME_TIMESTAMP=");
}

}  // namespace

bool PostfixReader::looks_like(const std::vector<std::string>& head) {
  for (const std::string& line : head) {
    if (line.starts_with("{")) {
      auto ident = json_string(line, "SYSLOG_IDENTIFIER");
      if (ident && postfix_program(*ident) && json_string(line, "__REALTIME_TIMESTAMP")) return true;
      continue;
    }
    if (journal_export_start(line)) return true;
    auto h = parse_syslog_header(line);
    if (h && postfix_program(h->program) &&
        (h->program.find('/') != std::string_view::npos || !h->pid.empty()))
      return true;
  }
  return false;
}

void PostfixReader::line(std::string_view text, std::int64_t number, ReaderSink& sink) {
  if (mode_ == Mode::Unknown && !text.empty())
    mode_ = text.starts_with("{") ? Mode::Json : journal_export_start(text) ? Mode::Export : Mode::Syslog;
  if (mode_ == Mode::Json) return json_line(text, number, sink);
  if (mode_ == Mode::Export) return export_line(text, number, sink);
  auto h = parse_syslog_header(text);
  if (!h) {
    // Not a syslog line: another program's output, skipped - unless it
    // names a Postfix daemon, then it is a Postfix line we cannot read.
    if (text.find(" postfix/") != std::string_view::npos && text.find("]: ") != std::string_view::npos)
      sink.reject(number, "Postfix line with an unreadable timestamp or header", text);
    else if (!text.empty())
      sink.ignored("(not a syslog line)");
    return;
  }
  if (!postfix_program(h->program)) {
    sink.ignored(h->program);
    return;
  }
  joiner_->message(*h, text, number, sink);
}

void PostfixReader::json_line(std::string_view text, std::int64_t number, ReaderSink& sink) {
  if (text.empty()) return;
  entry_ = JournalEntry{};
  entry_.first_line = number;
  auto field = [&](std::string_view key, std::string& out) {
    if (auto v = json_string(text, key)) {
      out = std::move(*v);
      return true;
    }
    return false;
  };
  if (!text.starts_with("{") || !field("__REALTIME_TIMESTAMP", entry_.realtime)) {
    sink.reject(number, "journal JSON line without __REALTIME_TIMESTAMP", text);
    return;
  }
  field("_HOSTNAME", entry_.host);
  field("SYSLOG_IDENTIFIER", entry_.identifier);
  if (!field("SYSLOG_PID", entry_.pid)) field("_PID", entry_.pid);
  if (!field("MESSAGE", entry_.message)) {
    sink.ignored(entry_.identifier.empty() ? std::string_view("(journal entry)") : entry_.identifier);
    return;
  }
  journal_entry(number, text, sink);
}

void PostfixReader::export_line(std::string_view text, std::int64_t number, ReaderSink& sink) {
  if (text.empty()) {
    if (entry_.first_line != 0) journal_entry(entry_.first_line, entry_.raw, sink);
    entry_ = JournalEntry{};
    return;
  }
  if (entry_.first_line == 0) entry_.first_line = number;
  if (entry_.raw.size() < kMaxRecordBytes) {
    if (!entry_.raw.empty()) entry_.raw.push_back('\n');
    entry_.raw.append(text);
  }
  size_t eq = text.find('=');
  if (eq == std::string_view::npos) {
    // A binary field: its name alone, then a 64-bit length and raw bytes
    // that this line-based reader cannot follow. The entry is rejected.
    entry_.binary = true;
    return;
  }
  std::string_view key = text.substr(0, eq), value = text.substr(eq + 1);
  if (key == "__REALTIME_TIMESTAMP") entry_.realtime = value;
  else if (key == "_HOSTNAME") entry_.host = value;
  else if (key == "SYSLOG_IDENTIFIER") entry_.identifier = value;
  else if (key == "SYSLOG_PID") entry_.pid = value;
  else if (key == "_PID" && entry_.pid.empty()) entry_.pid = value;
  else if (key == "MESSAGE") entry_.message = value;
}

void PostfixReader::journal_entry(std::int64_t number, std::string_view raw, ReaderSink& sink) {
  if (!postfix_program(entry_.identifier)) {
    sink.ignored(entry_.identifier.empty() ? std::string_view("(journal entry)") : entry_.identifier);
    return;
  }
  if (entry_.binary) {
    sink.reject(number, "journal export entry with a binary field", raw);
    return;
  }
  std::int64_t usec = 0;
  bool ok = !entry_.realtime.empty() && entry_.realtime.size() <= 18;
  for (char c : entry_.realtime) {
    if (c < '0' || c > '9') ok = false;
    else usec = usec * 10 + (c - '0');
  }
  if (!ok) {
    sink.reject(number, "journal entry with a bad __REALTIME_TIMESTAMP '" + entry_.realtime + "'", raw);
    return;
  }
  SyslogHeader h;
  h.has_instant = true;
  h.instant = usec / 1000000;
  h.host = entry_.host;
  h.program = entry_.identifier;
  h.tag = entry_.identifier;
  h.pid = entry_.pid;
  h.message = entry_.message;
  joiner_->message(h, raw, number, sink);
}

void PostfixReader::finish(ReaderSink& sink) {
  if (mode_ == Mode::Export && entry_.first_line != 0) journal_entry(entry_.first_line, entry_.raw, sink);
  entry_ = JournalEntry{};
  joiner_->finish(sink);
}

void PostfixReader::next_file(ReaderSink& sink) {
  // A journal export entry does not continue across files; the joiner's
  // queue ids, sessions and connections do.
  if (mode_ == Mode::Export && entry_.first_line != 0) journal_entry(entry_.first_line, entry_.raw, sink);
  entry_ = JournalEntry{};
  mode_ = Mode::Unknown;
}

}  // namespace mailflow
