#include "store/tls_rollups.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/hash.h"
#include "core/registered_domain.h"
#include "core/text.h"

namespace mailflow {

namespace {

bool counted(const Trace& t) { return iequals(t.status, "Delivered"); }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string peer_domain(int direction, std::string_view recipient, const std::optional<std::string>& host,
                        const std::optional<std::string>& ip) {
  if (direction == static_cast<int>(Direction::Outbound)) {
    std::size_t at = recipient.rfind('@');
    if (at != std::string_view::npos && at + 1 < recipient.size()) return lower(recipient.substr(at + 1));
  }
  return peer_names(host, ip).domain;
}

std::optional<std::string> arg_text(sqlite3_value* v) {
  if (sqlite3_value_type(v) == SQLITE_NULL) return std::nullopt;
  const unsigned char* p = sqlite3_value_text(v);
  return std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_value_bytes(v)));
}

void result_text(sqlite3_context* ctx, const std::string& s) {
  sqlite3_result_text(ctx, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
}

void sql_peer_domain(sqlite3_context* ctx, int, sqlite3_value** argv) {
  int direction = sqlite3_value_int(argv[0]);
  std::string recipient = arg_text(argv[1]).value_or("");
  result_text(ctx, peer_domain(direction, recipient, arg_text(argv[2]), arg_text(argv[3])));
}

void sql_peer_host(sqlite3_context* ctx, int, sqlite3_value** argv) {
  result_text(ctx, peer_names(arg_text(argv[0]), std::nullopt).host);
}

}  // namespace

void register_tls_rollup_functions(Database& db) {
  int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
  sqlite3_create_function(db.handle(), "mailflow_peer_domain", 4, flags, nullptr, sql_peer_domain, nullptr, nullptr);
  sqlite3_create_function(db.handle(), "mailflow_peer_host", 1, flags, nullptr, sql_peer_host, nullptr, nullptr);
}

namespace {

[[noreturn]] void corrupt(const std::string& store, const std::string& why) {
  throw Error("StoreCorrupt", "store '" + store + "': a row of tls_peer_blocks " + why +
                                  "; the file is damaged");
}

}  // namespace

std::vector<TlsPeerDay> decode_tls_peer_days(std::string_view text, const std::string& store) {
  // [[offset,tls,messages,first,last],...]: integers only, as encoded below.
  std::vector<TlsPeerDay> out;
  std::size_t i = 0;
  auto expect = [&](char c) {
    if (i >= text.size() || text[i] != c) corrupt(store, std::string("lacks '") + c + "' at byte " + std::to_string(i));
    ++i;
  };
  auto number = [&]() -> std::int64_t {
    bool negative = i < text.size() && text[i] == '-';
    if (negative) ++i;
    std::size_t start = i;
    std::int64_t v = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (i - start >= 18) corrupt(store, "holds a number too long");
      v = v * 10 + (text[i] - '0');
      ++i;
    }
    if (i == start) corrupt(store, "lacks a number at byte " + std::to_string(i));
    return negative ? -v : v;
  };
  expect('[');
  if (i < text.size() && text[i] == ']') return out;
  for (;;) {
    expect('[');
    TlsPeerDay d;
    d.offset = static_cast<int>(number());
    expect(',');
    d.tls = static_cast<int>(number());
    expect(',');
    d.messages = number();
    expect(',');
    d.first = static_cast<std::int32_t>(number());
    expect(',');
    d.last = static_cast<std::int32_t>(number());
    expect(']');
    if (d.offset < 0 || d.offset >= kTlsPeerBlockDays || d.messages <= 0 || d.first < 0 || d.last < d.first ||
        d.last >= 86400)
      corrupt(store, "holds an impossible entry");
    out.push_back(d);
    if (i < text.size() && text[i] == ',') {
      ++i;
      continue;
    }
    expect(']');
    break;
  }
  if (i != text.size()) corrupt(store, "has bytes after its end");
  return out;
}

std::string encode_tls_peer_days(const std::vector<TlsPeerDay>& days) {
  std::string out = "[";
  for (const TlsPeerDay& d : days) {
    if (out.size() > 1) out += ',';
    out += '[' + std::to_string(d.offset) + ',' + std::to_string(d.tls) + ',' + std::to_string(d.messages) + ',' +
           std::to_string(d.first) + ',' + std::to_string(d.last) + ']';
  }
  return out + "]";
}

void TlsRollupDeltas::PeerDelta::merge(const PeerDelta& o) {
  messages += o.messages;
  auto widen = [](std::optional<UnixSeconds>& first, std::optional<UnixSeconds>& last,
                  const std::optional<UnixSeconds>& of, const std::optional<UnixSeconds>& ol) {
    if (of) first = first ? std::min(*first, *of) : *of;
    if (ol) last = last ? std::max(*last, *ol) : *ol;
  };
  widen(first_added, last_added, o.first_added, o.last_added);
  widen(first_removed, last_removed, o.first_removed, o.last_removed);
}

std::size_t TlsRollupDeltas::RawGroups::hash(const RawKey& k) {
  ContentHash h;
  h.num(k.day);
  h.num((static_cast<std::int64_t>(k.direction) << 40) ^ (static_cast<std::int64_t>(k.tls) << 20) ^ k.trust);
  h.num((static_cast<std::int64_t>(k.connector) << 32) ^ k.host);
  h.num((static_cast<std::int64_t>(k.ip) << 32) ^ k.recipient_domain);
  return static_cast<std::size_t>(h.value());
}

TlsRollupDeltas::RawGroup& TlsRollupDeltas::RawGroups::at(const RawKey& key) {
  if ((used_ + 1) * 2 > slots_.size()) grow();
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash(key) & mask;; i = (i + 1) & mask) {
    RawGroup& g = slots_[i];
    if (!g.used) {
      g.used = true;
      g.key = key;
      ++used_;
      return g;
    }
    if (g.key == key) return g;
  }
}

void TlsRollupDeltas::RawGroups::grow() {
  std::vector<RawGroup> old = std::exchange(slots_, std::vector<RawGroup>(slots_.empty() ? 1024 : slots_.size() * 2));
  const std::size_t mask = slots_.size() - 1;
  for (const RawGroup& g : old) {
    if (!g.used) continue;
    std::size_t i = hash(g.key) & mask;
    while (slots_[i].used) i = (i + 1) & mask;
    slots_[i] = g;
  }
}

TlsRollupDeltas::PeerDelta TlsRollupDeltas::RawGroup::delta() const {
  PeerDelta d;
  d.messages = messages;
  if (first_added != kNoFirst) d.first_added = first_added, d.last_added = last_added;
  if (first_removed != kNoFirst) d.first_removed = first_removed, d.last_removed = last_removed;
  return d;
}

std::uint32_t TlsRollupDeltas::Names::id(std::string_view s) {
  if (s.empty()) return 0;
  std::uint64_t h = StringTable::hash(s);
  if (std::int64_t id = ids_.find(s, h)) return static_cast<std::uint32_t>(id);
  text_.emplace_back(s);
  ids_.add(s, h, static_cast<std::int64_t>(text_.size() - 1));
  return static_cast<std::uint32_t>(text_.size() - 1);
}

// peer_names of a host alone (no IP), once per host.
const PeerNames& TlsRollupDeltas::host_names(std::uint32_t host) {
  if (names_.host_names_.size() <= host) names_.host_names_.resize(host + 1);
  std::optional<PeerNames>& n = names_.host_names_[host];
  if (!n) n = peer_names(names_.text(host), std::nullopt);
  return *n;
}

void TlsRollupDeltas::account(const Trace& t, int sign) {
  if (!counted(t)) return;
  RawKey key;
  key.day = day_of(t.received);
  key.direction = static_cast<int>(t.direction);
  key.tls = static_cast<int>(t.tls);
  key.trust = t.tls_trust ? static_cast<int>(*t.tls_trust) + 1 : 0;
  if (t.connector) key.connector = names_.id(*t.connector);
  if (t.remote_host) key.host = names_.id(*t.remote_host);
  if (t.remote_ip) key.ip = names_.id(*t.remote_ip);
  if (t.direction == Direction::Outbound) {
    std::size_t at = t.recipient.rfind('@');
    if (at != std::string::npos && at + 1 < t.recipient.size())
      key.recipient_domain = names_.id(std::string_view(t.recipient).substr(at + 1));
  }
  RawGroup& g = raw_.at(key);
  g.messages += sign;
  UnixSeconds& first = sign > 0 ? g.first_added : g.first_removed;
  UnixSeconds& last = sign > 0 ? g.last_added : g.last_removed;
  first = std::min(first, t.received);
  last = std::max(last, t.received);
}

// Each raw group once: its peer names (as mailflow_peer_domain and
// mailflow_peer_host give them) and trust
// name, merged into the groups apply() writes.
void TlsRollupDeltas::fold_raw() {
  for (const RawGroup& g : raw_.slots()) {
    if (!g.used) continue;
    const RawKey& key = g.key;
    const PeerDelta d = g.delta();
    const PeerNames& host = host_names(key.host);
    const std::string& ip = names_.text(key.ip);
    std::string domain = key.recipient_domain ? lower(names_.text(key.recipient_domain))
                         : host.host.empty() ? ip
                                             : host.domain;
    const std::string& connector = names_.text(key.connector);
    peers_[{key.day, key.direction, connector, std::move(domain), host.host, ip, key.tls}].merge(d);
    std::string trust = key.trust ? std::string(tls_trust_name(static_cast<TlsTrust>(key.trust - 1))) : std::string();
    trust_[{key.day, key.direction, connector, std::move(trust)}] += d.messages;
  }
  raw_.clear();
  // Bounded memory however many peers a log names: the strings start again.
  if (names_.text_.size() > kMaxNames) names_ = Names();
}

void TlsRollupDeltas::add_group(const PeerKey& key, std::int64_t messages, UnixSeconds first, UnixSeconds last) {
  PeerDelta& d = peers_[key];
  d.messages += messages;
  d.first_added = d.first_added ? std::min(*d.first_added, first) : first;
  d.last_added = d.last_added ? std::max(*d.last_added, last) : last;
}

void TlsRollupDeltas::add_trust(DayNumber day, int direction, const std::string& connector, const std::string& trust,
                                std::int64_t messages) {
  trust_[{day, direction, connector, trust}] += messages;
}

void TlsRollupDeltas::clear() {
  raw_.clear();
  peers_.clear();
  trust_.clear();
}

void TlsRollupDeltas::apply(Database& db) {
  fold_raw();
  apply_peers(db);

  Statement& trust = db.cached(
      "tls_trust_daily.upsert",
      "INSERT INTO tls_trust_daily(day, direction, connector, trust, messages) VALUES(?1, ?2, ?3, ?4, ?5)"
      " ON CONFLICT(day, direction, connector, trust) DO UPDATE SET messages = messages + excluded.messages"
      " RETURNING messages");
  Statement& trust_remove = db.cached(
      "tls_trust_daily.delete",
      "DELETE FROM tls_trust_daily WHERE day = ?1 AND direction = ?2 AND connector = ?3 AND trust = ?4");
  for (const auto& [key, n] : trust_) {
    if (n == 0) continue;
    const auto& [day, direction, connector, level] = key;
    std::int64_t now = 0;
    {
      StatementUse u(trust);
      u->bind(1, static_cast<std::int64_t>(day)).bind(2, direction).bind(3, connector).bind(4, level).bind(5, n);
      if (u->step()) now = u->column_int(0);
    }
    if (now <= 0) {
      StatementUse r(trust_remove);
      r->bind(1, static_cast<std::int64_t>(day)).bind(2, direction).bind(3, connector).bind(4, level);
      r->run();
    }
  }
  trust_.clear();
}

void TlsRollupDeltas::apply_peers(Database& db) {
  // One block row per (block, direction, connector, domain, host, IP): read,
  // changed in memory, written back. peers_ is ordered by day first, so the
  // deltas are regrouped by row here.
  using RowKey = std::tuple<std::int64_t, int, std::string, std::string, std::string, std::string>;
  std::map<RowKey, std::vector<std::pair<const PeerKey*, const PeerDelta*>>> rows;
  for (const auto& [key, d] : peers_) {
    if (d.messages == 0 && !d.first_removed) continue;
    const auto& [day, direction, connector, domain, host, ip, tls] = key;
    rows[{tls_peer_block_of(day), direction, connector, domain, host, ip}].push_back({&key, &d});
  }
  Statement& read = db.cached(
      "tls_peer_blocks.read",
      "SELECT days FROM tls_peer_blocks WHERE block = ?1 AND direction = ?2 AND connector = ?3"
      " AND peer_domain = ?4 AND peer_host = ?5 AND peer_ip = ?6");
  Statement& write = db.cached(
      "tls_peer_blocks.write",
      "INSERT INTO tls_peer_blocks(block, direction, connector, peer_domain, peer_host, peer_ip, days)"
      " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"
      " ON CONFLICT(block, direction, connector, peer_domain, peer_host, peer_ip) DO UPDATE SET days = excluded.days");
  Statement& remove = db.cached(
      "tls_peer_blocks.delete",
      "DELETE FROM tls_peer_blocks WHERE block = ?1 AND direction = ?2 AND connector = ?3 AND peer_domain = ?4"
      " AND peer_host = ?5 AND peer_ip = ?6");
  // A day's traces of one peer and version, through the index on received:
  // the first and last seen after a removal took one of them.
  Statement& extremes = db.cached(
      "tls_peer_blocks.extremes",
      "SELECT min(received), max(received) FROM traces"
      " WHERE received >= ?1 * 86400 AND received < (?1 + 1) * 86400 AND direction = ?2"
      " AND coalesce(connector, '') = ?3 AND tls = ?7 AND status = 'Delivered' COLLATE NOCASE"
      " AND coalesce(remote_ip, '') = ?6 AND mailflow_peer_host(remote_host) = ?5"
      " AND mailflow_peer_domain(direction, recipient, remote_host, remote_ip) = ?4");
  auto bind_row = [](Statement& s, const RowKey& k) {
    const auto& [block, direction, connector, domain, host, ip] = k;
    s.bind(1, block).bind(2, direction).bind(3, connector).bind(4, domain).bind(5, host).bind(6, ip);
  };
  for (const auto& [row, deltas] : rows) {
    std::vector<TlsPeerDay> days;
    {
      StatementUse r(read);
      bind_row(*r, row);
      if (r->step()) days = decode_tls_peer_days(r->column_text(0), db.path());
    }
    const std::int64_t block_start = std::get<0>(row) * kTlsPeerBlockDays;
    for (const auto& [key, d] : deltas) {
      const DayNumber day = std::get<0>(*key);
      const int tls = std::get<6>(*key);
      const int offset = static_cast<int>(day - block_start);
      const UnixSeconds day_start = start_of_day(day);
      auto it = std::find_if(days.begin(), days.end(),
                             [&](const TlsPeerDay& e) { return e.offset == offset && e.tls == tls; });
      if (it == days.end()) {
        TlsPeerDay e;
        e.offset = offset;
        e.tls = tls;
        e.first = 86399;
        e.last = 0;
        it = days.insert(std::upper_bound(days.begin(), days.end(), e,
                                          [](const TlsPeerDay& a, const TlsPeerDay& b) {
                                            return std::tie(a.offset, a.tls) < std::tie(b.offset, b.tls);
                                          }),
                         e);
      }
      it->messages += d->messages;
      if (d->first_added) it->first = std::min(it->first, static_cast<std::int32_t>(*d->first_added - day_start));
      if (d->last_added) it->last = std::max(it->last, static_cast<std::int32_t>(*d->last_added - day_start));
      if (it->messages <= 0) {
        days.erase(it);
        continue;
      }
      if (d->first_removed && (*d->first_removed - day_start <= it->first || *d->last_removed - day_start >= it->last)) {
        StatementUse e(extremes);
        const auto& [kday, direction, connector, domain, host, ip, ktls] = *key;
        e->bind(1, static_cast<std::int64_t>(kday)).bind(2, direction).bind(3, connector).bind(4, domain);
        e->bind(5, host).bind(6, ip).bind(7, ktls);
        if (e->step() && !e->column_is_null(0)) {
          it->first = static_cast<std::int32_t>(e->column_int(0) - day_start);
          it->last = static_cast<std::int32_t>(e->column_int(1) - day_start);
        }
      }
    }
    if (days.empty()) {
      StatementUse r(remove);
      bind_row(*r, row);
      r->run();
    } else {
      StatementUse w(write);
      bind_row(*w, row);
      w->bind(7, encode_tls_peer_days(days));
      w->run();
    }
  }
  peers_.clear();
}

void backfill_tls_rollups(Database& db) {
  TlsRollupDeltas deltas;
  {
    auto s = db.prepare(tls_rollup_fresh_sql(true));
    while (s->step())
      deltas.add_group({static_cast<DayNumber>(s->column_int(0)), static_cast<int>(s->column_int(1)),
                        s->column_text(2), s->column_text(3), s->column_text(4), s->column_text(5),
                        static_cast<int>(s->column_int(6))},
                       s->column_int(7), s->column_int(8), s->column_int(9));
  }
  {
    auto s = db.prepare(tls_rollup_fresh_sql(false));
    while (s->step())
      deltas.add_trust(static_cast<DayNumber>(s->column_int(0)), static_cast<int>(s->column_int(1)),
                       s->column_text(2), s->column_text(3), s->column_int(4));
  }
  deltas.apply(db);
}

void rebuild_tls_rollups(Database& db) {
  db.exec("DELETE FROM tls_peer_blocks");
  db.exec("DELETE FROM tls_trust_daily");
  backfill_tls_rollups(db);
}

std::string tls_rollup_fresh_sql(bool peer) {
  if (peer)
    return "SELECT received / 86400 - (received < 0 AND received % 86400 != 0), direction,"
           " coalesce(connector, ''), mailflow_peer_domain(direction, recipient, remote_host, remote_ip),"
           " mailflow_peer_host(remote_host), coalesce(remote_ip, ''), tls, count(*), min(received),"
           " max(received) FROM traces WHERE status = 'Delivered' COLLATE NOCASE"
           " GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7";
  return "SELECT received / 86400 - (received < 0 AND received % 86400 != 0), direction,"
         " coalesce(connector, ''), coalesce(tls_trust, ''), count(*) FROM traces"
         " WHERE status = 'Delivered' COLLATE NOCASE GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4";
}

}  // namespace mailflow
