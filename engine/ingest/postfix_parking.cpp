// Separate imports that continue each other (issue #13): a message whose
// smtpd and cleanup lines are in one import and its delivery lines in the
// next makes the records one import of both makes. At the end of an import
// the joiner parks what is still in flight - queue ids not yet removed
// (unless a deferral holds them: its Pending record goes out now and the
// lifecycle settles it later), open smtpd sessions (their TLS), smtp
// connections - as text that the importer keeps with the import's last
// batch; the next import whose lines follow takes it up.
//
// The text, one record a line, fields split by tabs (escaped "\t", "\n",
// "\\"); an optional field is "~" when absent and "=value" when present:
//   postfix-open 1
//   H host first last first-line-hash        one section per log host
//   S process host ip tls trust? cipher? last
//   C process relay tls trust cipher queue-id last
//   Q qid first last flags client-host client-ip tls trust? cipher? sasl? message-id? sender size
//   R qid recipient / D qid recipient        a queue id's recipients, deferred recipients
//   G qid relay host? ip? tls trust? cipher? status time recipient...
#include <algorithm>
#include <charconv>
#include <limits>
#include <set>

#include "ingest/postfix_joiner.h"

namespace mailflow {

using namespace postfix;

namespace {

constexpr std::string_view kMagic = "postfix-open 1";

void escape_into(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else out.push_back(c);
  }
}
void put(std::string& out, std::string_view v) {
  out.push_back('\t');
  escape_into(out, v);
}
void put_opt(std::string& out, const std::optional<std::string>& v) {
  if (!v) {
    out += "\t~";
    return;
  }
  out += "\t=";
  escape_into(out, *v);
}
void put_num(std::string& out, std::int64_t n) { put(out, std::to_string(n)); }

// One record's fields, unescaped. Throws nothing: a field that is not what
// it should be makes the whole section unreadable (ok = false).
struct Fields {
  std::vector<std::string> v;
  std::size_t next = 0;
  bool ok = true;

  explicit Fields(std::string_view line) {
    std::string cur;
    for (std::size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      if (c == '\t') {
        v.push_back(std::move(cur));
        cur.clear();
      } else if (c == '\\' && i + 1 < line.size()) {
        char n = line[++i];
        cur.push_back(n == 't' ? '\t' : n == 'n' ? '\n' : n);
      } else {
        cur.push_back(c);
      }
    }
    v.push_back(std::move(cur));
  }
  std::string text() {
    if (next >= v.size()) {
      ok = false;
      return {};
    }
    return v[next++];
  }
  std::optional<std::string> opt() {
    std::string t = text();
    if (t == "~") return std::nullopt;
    if (t.empty() || t[0] != '=') ok = false;
    return t.empty() ? t : t.substr(1);
  }
  std::int64_t number() {
    std::string t = text();
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    if (ec != std::errc() || end != t.data() + t.size()) ok = false;
    return n;
  }
  TlsVersion tls() {
    std::int64_t n = number();
    for (TlsVersion t : {TlsVersion::None, TlsVersion::Tls10, TlsVersion::Tls11, TlsVersion::Tls12, TlsVersion::Tls13})
      if (n == static_cast<int>(t)) return t;
    ok = false;
    return TlsVersion::None;
  }
  bool done() const { return next == v.size(); }
};

std::int64_t line_hash(std::string_view text) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return static_cast<std::int64_t>(h);
}

bool has_deferral(const QueueEntry& q) {
  return std::any_of(q.groups.begin(), q.groups.end(),
                     [](const OutGroup& g) { return g.status == "Pending" && !g.recipients.empty(); });
}

}  // namespace

void PostfixJoiner::resume(std::string_view state) {
  resumable_ = true;
  parked_.clear();
  if (!state.starts_with(kMagic)) return;  // nothing kept, or an unknown version: start afresh
  std::string_view rest = state.substr(kMagic.size());
  std::map<std::string, ParkedHost>::iterator section = parked_.end();
  while (!rest.empty()) {
    std::size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (line.empty()) continue;
    if (line.starts_with("H\t")) {
      Fields f(line.substr(2));
      std::string host = f.text();
      ParkedHost p;
      p.first = f.number();
      p.last = f.number();
      p.first_line_hash = f.number();
      section = f.ok && f.done() ? parked_.insert_or_assign(host, p).first : parked_.end();
    } else if (section != parked_.end()) {
      section->second.body.append(line).push_back('\n');
    }
  }
}

// This input's log time, by host: the first line of a host decides whether
// the state the previous import left for it is taken up.
void PostfixJoiner::note_time(std::string_view host, UnixSeconds time, std::string_view text) {
  if (!span_ || host != span_host_) {
    span_host_.assign(host);
    auto [it, fresh] = spans_.try_emplace(span_host_);
    span_ = &it->second;
    if (fresh) {
      span_->first = span_->last = time;
      span_->first_line_hash = line_hash(text);
      take_up(span_host_, time, span_->first_line_hash);
    }
  }
  span_->last = std::max(span_->last, time);
}

// The lines that follow the parked ones come at or after its last line. A
// re-import of the same file (or of a longer one: the log grew) starts with
// the same first line, an older file before the last line: they leave it
// alone.
void PostfixJoiner::take_up(const std::string& host, UnixSeconds time, std::int64_t first_line_hash) {
  auto p = parked_.find(host);
  if (p == parked_.end() || p->second.decided) return;
  p->second.decided = true;
  if (time < p->second.last || first_line_hash == p->second.first_line_hash) return;
  if (load_section(p->second.body)) p->second.continued = true;
}

bool PostfixJoiner::load_section(std::string_view body) {
  std::unordered_map<std::string, QueueEntry> queue;
  std::unordered_map<std::string, SmtpdSession> sessions;
  std::unordered_map<std::string, SmtpConnection> connections;
  while (!body.empty()) {
    std::size_t nl = body.find('\n');
    Fields f(body.substr(0, nl));
    body = nl == std::string_view::npos ? std::string_view() : body.substr(nl + 1);
    std::string kind = f.text();
    if (kind == "S") {
      std::string key = f.text();
      SmtpdSession s;
      s.host = f.text();
      s.ip = f.text();
      s.tls = f.tls();
      s.trust = f.opt();
      s.cipher = f.opt();
      s.last = f.number();
      sessions[key] = std::move(s);
    } else if (kind == "C") {
      std::string key = f.text();
      SmtpConnection c;
      c.relay_key = f.text();
      c.tls = f.tls();
      c.trust = f.text();
      c.cipher = f.text();
      c.queue_id = f.text();
      c.last = f.number();
      connections[key] = std::move(c);
    } else if (kind == "Q") {
      QueueEntry& q = queue[f.text()];
      q.host = span_host_;
      q.first_seen = f.number();
      q.last_seen = f.number();
      std::string flags = f.text();
      q.from_smtpd = flags.find('s') != std::string::npos;
      q.authenticated = flags.find('a') != std::string::npos;
      q.queued = flags.find('q') != std::string::npos;
      q.started = flags.find('o') != std::string::npos;
      q.client_host = f.text();
      q.client_ip = f.text();
      q.client_tls = f.tls();
      q.client_trust = f.opt();
      q.client_cipher = f.opt();
      q.sasl_username = f.opt();
      q.message_id = f.opt();
      q.sender = f.text();
      q.size = f.number();
    } else if (kind == "R" || kind == "D") {
      auto it = queue.find(f.text());
      if (it == queue.end()) return false;
      (kind == "R" ? it->second.recipients : it->second.deferred).push_back(f.text());
    } else if (kind == "G") {
      auto it = queue.find(f.text());
      if (it == queue.end()) return false;
      OutGroup g;
      g.relay_key = f.text();
      g.host = f.opt();
      g.ip = f.opt();
      g.tls = f.tls();
      g.trust = f.opt();
      g.cipher = f.opt();
      g.status = f.text();
      g.time = f.number();
      while (f.ok && !f.done()) g.recipients.push_back(f.text());
      if (!f.ok) return false;
      it->second.groups.push_back(std::move(g));
      continue;
    } else {
      return false;
    }
    if (!f.ok || !f.done()) return false;
  }
  for (auto& [k, v] : queue) queue_.insert_or_assign(k, std::move(v));
  for (auto& [k, v] : sessions) sessions_.insert_or_assign(k, std::move(v));
  for (auto& [k, v] : connections) connections_.insert_or_assign(k, std::move(v));
  return true;
}

std::string PostfixJoiner::park(ReaderSink& sink) {
  flush_failures(std::numeric_limits<UnixSeconds>::max(), sink);
  // The hosts whose state this import writes: every host it read, unless
  // the state kept for it is newer than these lines (an older file
  // imported after a newer one) and was not taken up.
  std::set<std::string> parking;
  for (const auto& [host, span] : spans_) {
    auto p = parked_.find(host);
    if (p == parked_.end() || p->second.continued || span.last >= p->second.last) parking.insert(host);
  }
  std::string out(kMagic);
  out.push_back('\n');
  for (const auto& [host, p] : parked_)
    if (!parking.count(host) && !p.continued) {
      out += "H";
      put(out, host);
      put_num(out, p.first);
      put_num(out, p.last);
      put_num(out, p.first_line_hash);
      out.push_back('\n');
      out += p.body;
    }

  std::vector<std::string> emit_now;
  for (const auto& [qid, q] : queue_)
    if (!parking.count(q.host) || has_deferral(q)) emit_now.push_back(qid);
  emit_open(sink, emit_now);

  for (const std::string& host : parking) {
    const HostSpan& span = spans_.at(host);
    out += "H";
    put(out, host);
    put_num(out, span.first);
    put_num(out, span.last);
    put_num(out, span.first_line_hash);
    out.push_back('\n');
    std::string prefix = host + " ";
    for (const auto& [key, s] : sessions_) {
      if (!key.starts_with(prefix)) continue;
      out += "S";
      put(out, key);
      put(out, s.host);
      put(out, s.ip);
      put_num(out, static_cast<std::int64_t>(s.tls));
      put_opt(out, s.trust);
      put_opt(out, s.cipher);
      put_num(out, s.last);
      out.push_back('\n');
    }
    for (const auto& [key, c] : connections_) {
      if (!key.starts_with(prefix)) continue;
      out += "C";
      put(out, key);
      put(out, c.relay_key);
      put_num(out, static_cast<std::int64_t>(c.tls));
      put(out, c.trust);
      put(out, c.cipher);
      put(out, c.queue_id);
      put_num(out, c.last);
      out.push_back('\n');
    }
    for (const auto& [qid, q] : queue_) {
      if (q.host != host || has_deferral(q)) continue;
      out += "Q";
      put(out, qid);
      put_num(out, q.first_seen);
      put_num(out, q.last_seen);
      put(out, std::string(q.from_smtpd ? "s" : "") + (q.authenticated ? "a" : "") + (q.queued ? "q" : "") + (q.started ? "o" : "") + "-");
      put(out, q.client_host);
      put(out, q.client_ip);
      put_num(out, static_cast<std::int64_t>(q.client_tls));
      put_opt(out, q.client_trust);
      put_opt(out, q.client_cipher);
      put_opt(out, q.sasl_username);
      put_opt(out, q.message_id);
      put(out, q.sender);
      put_num(out, q.size);
      out.push_back('\n');
      for (const std::string& r : q.recipients) {
        out += "R";
        put(out, qid);
        put(out, r);
        out.push_back('\n');
      }
      for (const std::string& r : q.deferred) {
        out += "D";
        put(out, qid);
        put(out, r);
        out.push_back('\n');
      }
      for (const OutGroup& g : q.groups) {
        out += "G";
        put(out, qid);
        put(out, g.relay_key);
        put_opt(out, g.host);
        put_opt(out, g.ip);
        put_num(out, static_cast<std::int64_t>(g.tls));
        put_opt(out, g.trust);
        put_opt(out, g.cipher);
        put(out, g.status);
        put_num(out, g.time);
        for (const std::string& r : g.recipients) put(out, r);
        out.push_back('\n');
      }
    }
  }
  queue_.clear();
  sessions_.clear();
  connections_.clear();
  client_tls_.clear();
  return out;
}

}  // namespace mailflow
