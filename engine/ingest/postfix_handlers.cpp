// The joiner's handlers: one per event of postfix_patterns.h, each reading
// its line's named captures (m["host"]), never positions.
#include <algorithm>

#include "core/text.h"
#include "ingest/postfix_joiner.h"

namespace mailflow {

using namespace postfix;

void PostfixJoiner::on_connect(const Event& e) {
  if (auto it = sessions_.find(process_key(e.h)); it != sessions_.end()) flush_failure(it->second, e.sink);
  SmtpdSession& session = sessions_[process_key(e.h)];
  session = SmtpdSession{};
  session.host = e.m["host"];
  session.ip = e.m["ip"];
  session.last = e.time;
}

void PostfixJoiner::on_disconnect(const Event& e) {
  auto it = sessions_.find(process_key(e.h));
  if (it == sessions_.end()) return;
  flush_failure(it->second, e.sink);
  sessions_.erase(it);
}

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
  q.started = true;
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
  QueueEntry& q = entry(e, e.m["qid"]);
  q.message_id = id.empty() ? std::nullopt : std::optional<std::string>(id);
  q.started = true;
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
  auto it = queue_.find(e.m["qid"]);
  if (it == queue_.end()) return;
  emit(it->first, it->second, e.sink);
  queue_.erase(it);
}

void PostfixJoiner::on_pickup(const Event& e) { entry(e, e.m["qid"]).started = true; }

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
  delivery_tls_failure(e, qid, relay_key, host, ip, detail);
  if (!ip.empty()) {
    auto addr = parse_ip(ip);
    if (!addr && ip.find('/') != std::string_view::npos) return;  // a unix socket ([private/dovecot-lmtp]): inside
    if (addr && internal_.contains(*addr)) return;  // an internal hop (content filter, internal relay)
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

// --- failed TLS handshakes (issue #15) -----------------------------------
//
// One failure per failed attempt, put together from the lines that tell of
// it, with the peer and a short reason class; the text keeps Postfix's own
// sentences. smtpd, one client session at a time per process:
//   SSL_accept error from mail.relecloud.example[127.0.0.7]: -1
//   warning: TLS library problem: error:0A0000C1:SSL routines::no shared cipher:...
//   lost connection after STARTTLS from mail.relecloud.example[127.0.0.7]
// smtp, one connection at a time per process (through tlsproxy, the
// tlsproxy lines are not joined: one tlsproxy serves many connections at
// once; the delivery line says it all):
//   SSL_connect error to mx.coho.example[127.0.0.13]:25: -1
//   warning: TLS library problem: error:0A00042E:SSL routines::tlsv1 alert protocol version:...
//   282B7114187: to=<joe@coho.example>, relay=mx.coho.example[127.0.0.13]:25, ..., status=deferred
//     (Cannot start TLS: handshake failure)
// and the delivery lines of smtp_tls_security_level encrypt/verify/secure:
//   (TLS is required, but was not offered by host mx.lucerne.example[127.0.0.15])
//   (Server certificate not verified)

namespace {

void append_text(TlsHandshakeFailure& f, std::string_view more) {
  if (more.starts_with("warning: ")) more.remove_prefix(9);
  if (f.text.size() + more.size() + 2 > kMaxFieldBytes) return;  // enough said
  if (!f.text.empty()) f.text += "; ";
  f.text += more;
}

TlsHandshakeFailure failure_of(UnixSeconds time, Direction direction, std::string_view host, std::string_view ip,
                               std::string_view reason) {
  TlsHandshakeFailure f;
  f.time = time;
  f.direction = direction;
  f.peer = host_or_null(host);
  f.peer_ip = ip_or_null(ip);
  f.reason = reason;
  return f;
}

}  // namespace

void PostfixJoiner::flush_failure(SmtpdSession& session, ReaderSink& sink) {
  if (!session.failure) return;
  sink.tls_failure(*session.failure, session.failure_line);
  session.failure.reset();
}

void PostfixJoiner::flush_failure(SmtpClientTls& client, ReaderSink& sink) {
  if (!client.pending) return;
  sink.tls_failure(*client.pending, client.pending_line);
  client.pending.reset();
}

// "SSL_accept error from host[ip]: -1" (or ": lost connection", ": Connection reset by peer").
void PostfixJoiner::on_ssl_accept_error(const Event& e) {
  SmtpdSession& session = sessions_[process_key(e.h)];
  flush_failure(session, e.sink);
  session.host = e.m["host"];
  session.ip = e.m["ip"];
  session.last = e.time;
  session.failure = failure_of(e.time, Direction::Inbound, e.m["host"], e.m["ip"], "HandshakeFailed");
  session.failure_line = e.number;
  append_text(*session.failure, e.h.message);
}

// The client said STARTTLS and went away: the end of a failure already
// begun, or a failure of its own (the client gave up before any handshake
// error was logged, e.g. it did not like our certificate).
void PostfixJoiner::on_lost_after_starttls(const Event& e) {
  SmtpdSession& session = sessions_[process_key(e.h)];
  session.last = e.time;
  if (!session.failure) {
    session.failure = failure_of(e.time, Direction::Inbound, e.m["host"], e.m["ip"], "LostAfterStartTls");
    session.failure_line = e.number;
  }
  append_text(*session.failure, e.h.message);
  flush_failure(session, e.sink);
}

// "SSL_connect error to host[ip]:port: -1": held until the delivery line
// (or the process's next connection) tells what followed.
void PostfixJoiner::on_ssl_connect_error(const Event& e) {
  SmtpClientTls& client = client_tls_[process_key(e.h)];
  flush_failure(client, e.sink);
  client.pending = failure_of(e.time, Direction::Outbound, e.m["host"], e.m["ip"], "HandshakeFailed");
  client.pending_line = e.number;
  client.last = e.time;
  append_text(*client.pending, e.h.message);
}

// OpenSSL's reason, joined to the failure its process is putting together.
// In an smtpd session without one and without TLS yet, it is a failure of
// its own (TlsLibrary) with the session's peer. After a handshake that
// worked (a read error in an established session) it is no handshake
// failure and is not kept; nor is a line whose process has no peer to
// join it to.
void PostfixJoiner::on_tls_library_problem(const Event& e) {
  const std::string& key = process_key(e.h);
  if (auto c = client_tls_.find(key); c != client_tls_.end() && c->second.pending) {
    append_text(*c->second.pending, e.h.message);
    c->second.last = e.time;
    return;
  }
  auto s = sessions_.find(key);
  if (s == sessions_.end()) return;
  SmtpdSession& session = s->second;
  session.last = e.time;
  if (!session.failure) {
    if (session.tls != TlsVersion::None) return;
    session.failure = failure_of(e.time, Direction::Inbound, session.host, session.ip, "TlsLibrary");
    session.failure_line = e.number;
  }
  append_text(*session.failure, e.h.message);
}

// A delivery line of an smtp/lmtp process: a TLS refusal is a failure (one
// per attempt, however many recipients the attempt had); a handshake error
// the process logged before it joins it. Any other outcome ends a failure
// still held (opportunistic TLS that went on in plain text).
void PostfixJoiner::delivery_tls_failure(const Event& e, std::string_view qid, std::string_view relay_key,
                                         std::string_view host, std::string_view ip, std::string_view detail) {
  std::string_view reason = tls_refusal_reason(detail);
  auto c = client_tls_.find(process_key(e.h));
  if (reason.empty()) {
    if (c != client_tls_.end()) flush_failure(c->second, e.sink);
    return;
  }
  SmtpClientTls& client = c != client_tls_.end() ? c->second : client_tls_[process_key(e.h)];
  std::string attempt;
  attempt.append(qid).append(" ").append(relay_key).append(" ").append(detail);
  if (attempt == client.last_attempt && client.last == e.time) return;  // another recipient of the same attempt
  client.last_attempt = std::move(attempt);
  client.last = e.time;
  TlsHandshakeFailure f = failure_of(e.time, Direction::Outbound, host, ip, reason);
  std::int64_t line = e.number;
  if (client.pending && client.pending->peer_ip == f.peer_ip) {
    f.text = std::move(client.pending->text);
    line = client.pending_line;
    client.pending.reset();
  } else {
    flush_failure(client, e.sink);
  }
  std::string_view sentence = detail;
  if (sentence.starts_with("(") && sentence.ends_with(")")) sentence = sentence.substr(1, sentence.size() - 2);
  append_text(f, sentence);
  e.sink.tls_failure(f, line);
}

}  // namespace mailflow
