#include "ingest/postfix_reader.h"

#include <algorithm>

#include "core/error.h"
#include "core/text.h"

namespace mailflow {

namespace {

// One outbound record in the making: the recipients of one queue id that
// went to one relay over one TLS state with one outcome.
struct OutGroup {
  std::string relay_key;  // "host[ip]:port", or "none:host[ip]" for a failed connect
  std::optional<std::string> host, ip;
  TlsVersion tls = TlsVersion::None;
  std::optional<std::string> cipher;
  std::string status;
  UnixSeconds time = 0;
  std::int64_t line = 0;
  std::vector<std::string> recipients;
};

struct QueueEntry {
  UnixSeconds first_seen = 0, last_seen = 0;
  std::int64_t line = 0;
  bool from_smtpd = false, authenticated = false, rejected = false, queued = false;
  std::string client_host, client_ip;
  TlsVersion client_tls = TlsVersion::None;
  std::optional<std::string> client_cipher;
  std::optional<std::string> message_id;
  std::string sender;
  std::int64_t size = 0;
  std::vector<std::string> recipients;  // every recipient a delivery line named (inbound record)
  std::vector<OutGroup> groups;
};

// An smtpd process serves one client session at a time, many in turn:
// everything here is reset by "connect from".
struct SmtpdSession {
  std::string host, ip;
  TlsVersion tls = TlsVersion::None;
  std::optional<std::string> cipher;
  UnixSeconds last = 0;
};

// The TLS line an smtp process logged for its current connection. It
// applies to the deliveries of the one queue id that follows it; a delivery
// of another queue id by the same process is a new connection, and without
// a TLS line of its own that connection was plain text.
struct SmtpConnection {
  std::string relay_key;
  TlsVersion tls = TlsVersion::None;
  std::string cipher;
  std::string queue_id;  // bound at the first delivery after the TLS line
  UnixSeconds last = 0;
};

TlsVersion tls_from_log(std::string_view v) {
  // Postfix writes OpenSSL's names: TLSv1, TLSv1.1, TLSv1.2, TLSv1.3.
  auto t = parse_tls(v);
  return t.value_or(TlsVersion::None);
}

std::optional<std::string> host_or_null(std::string_view host) {
  if (host.empty() || host == "unknown") return std::nullopt;
  return std::string(host);
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


bool inside(const std::vector<IpRange>& networks, const IpAddress& ip) {
  return std::any_of(networks.begin(), networks.end(), [&](const IpRange& r) { return r.contains(ip); });
}

// A queue id is complete (removed, flushed or at the end of the file):
// its inbound record, if it came from outside, and its outbound records.
void emit(const QueueEntry& q, const std::vector<IpRange>& internal, ReaderSink& sink) {
  if (q.rejected) return;
  // Inbound: queued from a client outside the organisation that did not
  // authenticate (submission from a roaming user is not inbound).
  if (q.from_smtpd && q.queued && !q.authenticated) {
    auto ip = parse_ip(q.client_ip);
    if (!ip || !inside(internal, *ip)) {
      Trace t;
      t.received = q.first_seen;
      t.direction = Direction::Inbound;
      t.tls = q.client_tls;
      if (q.client_tls != TlsVersion::None) t.cipher = q.client_cipher;
      t.sender = q.sender;
      t.recipient = join(q.recipients, ";");
      t.remote_host = host_or_null(q.client_host);
      t.remote_ip = q.client_ip;
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
    t.cipher = g.cipher;
    t.sender = q.sender;
    t.recipient = join(g.recipients, ";");
    t.remote_host = g.host;
    t.remote_ip = g.ip;
    t.size = q.size;
    t.status = g.status;
    t.message_id = q.message_id;
    sink.trace(t, g.line);
  }
}

}  // namespace

struct PostfixReader::State {
  std::unordered_map<std::string, QueueEntry> queue;
  std::unordered_map<std::string, SmtpdSession> sessions;       // by host + tag
  std::unordered_map<std::string, SmtpConnection> connections;  // by host + tag
  std::string key;  // scratch for map keys

  const std::string& process_key(const SyslogHeader& h) {
    key.assign(h.host);
    key.push_back(' ');
    key.append(h.tag);
    return key;
  }
};

PostfixReader::PostfixReader(const ReaderOptions& options, UnixSeconds window)
    : options_(options),
      window_(window),
      clock_(options.year, options.file_mtime.value_or(start_of_day(options.today) + 86399),
             LocalTimeZone(options.time_zone.value_or(""))),
      state_(std::make_unique<State>()) {
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

PostfixReader::~PostfixReader() = default;

std::size_t PostfixReader::open_queue_ids() const { return state_->queue.size(); }

bool PostfixReader::looks_like(const std::vector<std::string>& head) {
  for (const std::string& line : head) {
    auto h = parse_syslog_header(line);
    if (h && h->program.starts_with("postfix") && h->program.find('/') != std::string_view::npos) return true;
  }
  return false;
}

void PostfixReader::line(std::string_view text, std::int64_t number, ReaderSink& sink) {
  auto h = parse_syslog_header(text);
  if (!h) {
    // Not a syslog line: another program's output, skipped - unless it
    // names a Postfix daemon, then it is a Postfix line we cannot read.
    if (text.find(" postfix/") != std::string_view::npos && text.find("]: ") != std::string_view::npos)
      sink.reject(number, "Postfix line with an unreadable timestamp or header", text);
    return;
  }
  // "postfix/smtpd", "postfix/submission/smtpd", "postfix-out/smtp".
  if (!h->program.starts_with("postfix")) return;
  size_t slash = h->program.rfind('/');
  if (slash == std::string_view::npos) return;
  PostfixDaemon daemon = postfix_daemon(h->program.substr(slash + 1));
  if (daemon == PostfixDaemon::Other) return;

  const PostfixPatternSet& set = postfix_patterns();
  PatternMatch m;
  for (size_t i = 0; i < set.patterns.size(); ++i) {
    const PostfixPattern& p = set.patterns[i];
    bool applies = p.daemon == daemon ||
                   (daemon == PostfixDaemon::LocalDelivery && p.event == PostfixEvent::Delivery);
    if (!applies || !set.compiled[i].match(h->message, m)) continue;
    if (!valid_utf8(h->message)) {
      sink.reject(number, "Postfix line is not valid UTF-8", text);
      return;
    }
    auto time = clock_.to_utc(*h);
    if (!time) {
      sink.reject(number, "Postfix line dated a day that does not exist in the inferred year (use -Year)", text);
      return;
    }
    if (*time >= next_sweep_) {
      sweep(*time, sink);
      next_sweep_ = *time + 60;
    }
    handle(p.event, m, *h, *time, text, number, sink);
    return;
  }
  // A queue id followed by a keyword we read, in a form we do not: a
  // Postfix line that does not parse (SPEC 8), not an unrelated one.
  size_t colon = h->message.find(": ");
  if (colon != std::string_view::npos && is_queue_id(h->message.substr(0, colon))) {
    std::string_view rest = h->message.substr(colon + 2);
    for (std::string_view kw : {"to=", "from=", "client=", "message-id="})
      if (rest.starts_with(kw)) {
        sink.reject(number, "Postfix " + std::string(kw.substr(0, kw.size() - 1)) + " line does not parse", text);
        return;
      }
  }
}

void PostfixReader::handle(PostfixEvent event, const PatternMatch& m, const SyslogHeader& h, UnixSeconds time,
                           std::string_view text, std::int64_t number, ReaderSink& sink) {
  State& s = *state_;
  auto entry = [&](std::string_view qid) -> QueueEntry& {
    auto [it, fresh] = s.queue.try_emplace(std::string(qid));
    if (fresh) {
      it->second.first_seen = time;
      it->second.line = number;
    }
    it->second.last_seen = time;
    return it->second;
  };
  auto too_long = [&](std::string_view v) {
    if (v.size() <= kMaxFieldBytes) return false;
    sink.reject(number, "Postfix line has a field longer than " + std::to_string(kMaxFieldBytes) + " bytes", text);
    return true;
  };

  switch (event) {
    case PostfixEvent::Connect: {
      SmtpdSession& session = s.sessions[s.process_key(h)];
      session = SmtpdSession{std::string(m.captures[0]), std::string(m.captures[1]), TlsVersion::None, {}, time};
      return;
    }
    case PostfixEvent::Disconnect:
      s.sessions.erase(s.process_key(h));
      return;
    case PostfixEvent::TlsFrom: {
      SmtpdSession& session = s.sessions[s.process_key(h)];
      session.host = m.captures[0];
      session.ip = m.captures[1];
      session.tls = tls_from_log(m.captures[2]);
      session.cipher = std::string(m.captures[3]);
      session.last = time;
      return;
    }
    case PostfixEvent::Client: {
      if (too_long(m.captures[1])) return;
      QueueEntry& q = entry(m.captures[0]);
      q.from_smtpd = true;
      q.client_host = m.captures[1];
      q.client_ip = m.captures[2];
      q.authenticated = text.find(", sasl_username=") != std::string_view::npos;
      auto it = s.sessions.find(s.process_key(h));
      // The session's TLS, if this process's current session is this client.
      if (it != s.sessions.end() && it->second.ip == q.client_ip) {
        q.client_tls = it->second.tls;
        q.client_cipher = it->second.cipher;
      }
      return;
    }
    case PostfixEvent::NoqueueReject:
    case PostfixEvent::QueueReject: {
      int base = event == PostfixEvent::QueueReject ? 1 : 0;
      std::string_view detail = m.captures[base + 3];
      if (too_long(detail)) return;
      RefusedConnection r;
      r.time = time;
      r.client_host = host_or_null(m.captures[base + 1]);
      r.client_ip = std::string(m.captures[base + 2]);
      size_t cut = detail.find("; from=<");
      r.reason = std::string(detail.substr(0, cut));
      if (cut != std::string_view::npos) {
        std::string_view tail = detail.substr(cut);
        if (auto from = between(tail, "from=<", '>')) r.sender = std::string(*from);
        if (auto to = between(tail, " to=<", '>')) r.recipient = std::string(*to);
      }
      if (event == PostfixEvent::QueueReject) entry(m.captures[0]).rejected = true;
      sink.refused(r, number);
      return;
    }
    case PostfixEvent::MessageId:
      if (too_long(m.captures[1])) return;
      entry(m.captures[0]).message_id = m.captures[1].empty() ? std::nullopt
                                                              : std::optional<std::string>(m.captures[1]);
      return;
    case PostfixEvent::QueuedFrom: {
      if (too_long(m.captures[1])) return;
      std::int64_t size = 0;
      for (char c : m.captures[2]) {
        if (c < '0' || c > '9') {
          sink.reject(number, "Postfix qmgr line has a bad size", text);
          return;
        }
        size = size * 10 + (c - '0');
        // size=99999999999999999999999 once wrapped to garbage.
        if (size > kMaxMessageSize) {
          sink.reject(number, "Postfix qmgr line has a size out of range (over 1 TiB)", text);
          return;
        }
      }
      QueueEntry& q = entry(m.captures[0]);
      q.sender = m.captures[1];
      q.size = size;
      q.queued = true;
      return;
    }
    case PostfixEvent::Expired:
      // The recipients still deferred are returned to the sender: failed.
      for (OutGroup& g : entry(m.captures[0]).groups)
        if (g.status == "Pending") g.status = "Failed";
      return;
    case PostfixEvent::Removed: {
      auto it = s.queue.find(std::string(m.captures[0]));
      if (it == s.queue.end()) return;
      emit(it->second, internal_, sink);
      s.queue.erase(it);
      return;
    }
    case PostfixEvent::Pickup:
      entry(m.captures[0]);
      return;
    case PostfixEvent::TlsTo: {
      SmtpConnection& c = s.connections[s.process_key(h)];
      c.relay_key.assign(m.captures[0]);
      c.relay_key.push_back('[');
      c.relay_key.append(m.captures[1]);
      c.relay_key.append("]:");
      c.relay_key.append(m.captures[2]);
      c.tls = tls_from_log(m.captures[3]);
      c.cipher = m.captures[4];
      c.queue_id.clear();
      c.last = time;
      return;
    }
    case PostfixEvent::Delivery:
      break;
  }

  // "QID: to=<rcpt>, [orig_to=<...>, ]relay=R, delay=..., delays=..., dsn=X.Y.Z, status=S (detail)"
  std::string_view qid = m.captures[0], rcpt = m.captures[1], fields = m.captures[2];
  if (too_long(rcpt)) return;
  auto relay = between(fields, "relay=", ',');
  size_t st = fields.find("status=");
  if (!relay || st == std::string_view::npos) {
    sink.reject(number, "Postfix delivery line without relay= or status=", text);
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
    sink.reject(number, "Postfix delivery line with an unknown status '" + std::string(status_word) + "'", text);
    return;
  }
  QueueEntry& q = entry(qid);
  if (std::find(q.recipients.begin(), q.recipients.end(), rcpt) == q.recipients.end())
    q.recipients.emplace_back(rcpt);

  // A final outcome supersedes an earlier deferral of the same recipient.
  if (status != "Pending")
    for (OutGroup& g : q.groups) {
      if (g.status != "Pending") continue;
      auto r = std::find(g.recipients.begin(), g.recipients.end(), rcpt);
      if (r != g.recipients.end()) g.recipients.erase(r);
    }

  // Outbound: only the smtp client hands mail to other servers.
  size_t slash = h.program.rfind('/');
  if (postfix_daemon(h.program.substr(slash + 1)) != PostfixDaemon::SmtpClient) return;
  std::string_view host, ip, relay_key = *relay;
  if (*relay == "none") {
    // The connection failed: the detail names the server we tried,
    // "(connect to mx.adatum.example[127.0.0.11]:25: Connection refused)".
    auto tried = between(detail, "connect to ", ':');
    if (tried && split_relay(*tried, host, ip)) relay_key = *tried;
    else host = ip = {};
  } else if (!split_relay(*relay, host, ip)) {
    return;  // relay=local-transport style: not a remote server
  }
  if (!ip.empty()) {
    auto addr = parse_ip(ip);
    if (addr && inside(internal_, *addr)) return;  // an internal hop (content filter, internal relay)
  } else {
    std::string domain = address_domain(rcpt);
    if (std::any_of(org_domains_.begin(), org_domains_.end(), [&](const DomainPattern& p) { return p.matches(domain); }))
      return;
  }

  TlsVersion tls = TlsVersion::None;
  std::optional<std::string> cipher;
  auto c = s.connections.find(s.process_key(h));
  if (c != s.connections.end()) {
    if (c->second.relay_key == relay_key && (c->second.queue_id.empty() || c->second.queue_id == qid)) {
      c->second.queue_id = qid;
      c->second.last = time;
      tls = c->second.tls;
      cipher = c->second.cipher;
    } else {
      s.connections.erase(c);  // a later connection of this process, without TLS
    }
  }
  if (status == "Pending")
    for (const OutGroup& g : q.groups)
      if (g.status == "Pending" && std::find(g.recipients.begin(), g.recipients.end(), rcpt) != g.recipients.end())
        return;  // deferred again: the first deferral stands
  for (OutGroup& g : q.groups)
    if (g.relay_key == relay_key && g.status == status && g.tls == tls && g.cipher == cipher) {
      g.recipients.emplace_back(rcpt);
      return;
    }
  OutGroup g;
  g.relay_key = relay_key;
  g.host = host_or_null(host);
  if (!ip.empty()) g.ip = std::string(ip);
  g.tls = tls;
  g.cipher = cipher;
  g.status = status;
  g.time = time;
  g.line = number;
  g.recipients.emplace_back(rcpt);
  q.groups.push_back(std::move(g));
}

// Bounded memory: queue ids, sessions and connections not seen for a whole
// window of log time are closed. A queue id is emitted with what is known
// (a message still deferred is Pending); sessions and connections are
// dropped (their process died or the log lost lines).
void PostfixReader::sweep(UnixSeconds now, ReaderSink& sink) {
  State& s = *state_;
  UnixSeconds limit = now - window_;
  std::vector<std::pair<std::int64_t, std::string>> stale;
  for (const auto& [qid, q] : s.queue)
    if (q.last_seen < limit) stale.emplace_back(q.line, qid);
  std::sort(stale.begin(), stale.end());  // emit in log order, whatever the hash order
  for (const auto& [line, qid] : stale) {
    auto it = s.queue.find(qid);
    emit(it->second, internal_, sink);
    s.queue.erase(it);
    ++incomplete_;
  }
  std::erase_if(s.sessions, [&](const auto& kv) { return kv.second.last < limit; });
  std::erase_if(s.connections, [&](const auto& kv) { return kv.second.last < limit; });
}

void PostfixReader::finish(ReaderSink& sink) {
  State& s = *state_;
  std::vector<std::pair<std::int64_t, std::string>> open;
  for (const auto& [qid, q] : s.queue) open.emplace_back(q.line, qid);
  std::sort(open.begin(), open.end());
  for (const auto& [line, qid] : open) {
    emit(s.queue.at(qid), internal_, sink);
    ++incomplete_;
  }
  s.queue.clear();
  s.sessions.clear();
  s.connections.clear();
}

}  // namespace mailflow
