#include "ingest/exchange_protocol_reader.h"

#include "core/error.h"
#include "core/text.h"
#include "ingest/exchange_fields.h"

namespace mailflow {

namespace {

const std::string kEmpty;

// "CALG_AES_256" after `label` up to the next space.
std::string_view word_after(std::string_view text, std::string_view label) {
  std::size_t p = text.find(label);
  if (p == std::string_view::npos) return {};
  std::string_view rest = text.substr(p + label.size());
  return rest.substr(0, rest.find(' '));
}

// "1.2.3.4:25" / "[2001:db8::1]:25" / "2001:db8::1:25" -> the address.
std::string endpoint_ip(std::string_view ep) {
  ep = trim(ep);
  if (ep.starts_with('[')) {
    std::size_t close = ep.find(']');
    return std::string(ep.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1));
  }
  std::size_t colon = ep.rfind(':');
  if (colon == std::string_view::npos) return std::string(ep);
  return std::string(ep.substr(0, colon));
}

}  // namespace

std::optional<ExchangeTls> parse_exchange_tls_line(std::string_view text) {
  text = trim(text);
  constexpr std::string_view kPrefix = "TLS protocol SP_PROT";
  if (!text.starts_with(kPrefix)) return std::nullopt;
  std::string_view rest = text.substr(kPrefix.size());
  if (rest.empty() || (rest[0] != '_' && rest[0] != '-')) return std::nullopt;
  rest.remove_prefix(1);
  if (!rest.starts_with("TLS1_")) return std::nullopt;
  rest.remove_prefix(5);
  ExchangeTls out;
  if (rest.starts_with("0_")) out.tls = TlsVersion::Tls10;
  else if (rest.starts_with("1_")) out.tls = TlsVersion::Tls11;
  else if (rest.starts_with("2_")) out.tls = TlsVersion::Tls12;
  else if (rest.starts_with("3_")) out.tls = TlsVersion::Tls13;
  else return std::nullopt;
  rest.remove_prefix(2);
  if (!rest.starts_with("SERVER") && !rest.starts_with("CLIENT")) return std::nullopt;
  if (rest.find(" negotiation succeeded") == std::string_view::npos) return std::nullopt;
  std::string_view bulk = word_after(rest, "bulk encryption algorithm ");
  std::string_view mac = word_after(rest, "MAC hash algorithm ");
  std::string_view kex = word_after(rest, "key exchange algorithm ");
  for (std::string_view part : {bulk, mac, kex}) {
    if (part.empty()) continue;
    if (!out.cipher.empty()) out.cipher += '/';
    out.cipher += part;
  }
  return out;
}

ExchangeProtocolReader::ExchangeProtocolReader(const ReaderOptions& options) : options_(options) {
  for (int& i : index_) i = -1;
}

bool ExchangeProtocolReader::looks_like(const std::vector<std::string>& head) {
  for (const std::string& l : head)
    if (istarts_with(l, "#Log-type:")) {
      std::string_view type = trim(std::string_view(l).substr(10));
      return iequals(type, "SMTP Receive Protocol Log") || iequals(type, "SMTP Send Protocol Log");
    }
  return false;
}

const std::string& ExchangeProtocolReader::col(Column c) const {
  int i = index_[c];
  if (i < 0 || static_cast<std::size_t>(i) >= record_.size()) return kEmpty;
  return record_.field(static_cast<std::size_t>(i));
}

void ExchangeProtocolReader::line(std::string_view text, std::int64_t number, ReaderSink& sink) {
  if (!record_.open()) {
    if (text.empty()) return;
    if (text[0] == '#') {
      if (istarts_with(text, "#Log-type:"))
        direction_ = istarts_with(trim(text.substr(10)), "SMTP Send") ? Direction::Outbound : Direction::Inbound;
      if (istarts_with(text, "#Fields:")) {
        DelimitedRecord names;
        names.add(trim(text.substr(8)), number);
        for (int& i : index_) i = -1;
        static const std::pair<const char*, Column> known[] = {
            {"datetime", Time},  {"connectorid", ConnectorId}, {"sessionid", SessionId},
            {"remoteendpoint", RemoteEndpoint}, {"event", Event}, {"data", Data}, {"context", Context}};
        for (std::size_t i = 0; i < names.size(); ++i)
          for (const auto& [name, c] : known)
            if (header_key(names.field(i)) == name) index_[c] = static_cast<int>(i);
        for (Column c : {Time, ConnectorId, SessionId, Event})
          if (index_[c] < 0)
            throw Error("ImportFormat", "line " + std::to_string(number) +
                                            ": the '#Fields:' line lacks date-time, connector-id, session-id "
                                            "or event");
        width_ = names.size();
        have_columns_ = true;
      }
      return;
    }
  }
  if (!record_.take(text, number, sink)) return;
  if (!have_columns_)
    throw Error("ImportFormat", "line " + std::to_string(number) +
                                    ": a data line before the '#Fields:' header line (a protocol log starts "
                                    "with #Software, #Version, #Log-type, #Date and #Fields)");
  record(record_.first_line(), sink);
}

void ExchangeProtocolReader::record(std::int64_t number, ReaderSink& sink) {
  if (record_.size() != width_) {
    sink.reject(number, std::to_string(record_.size()) + " fields where the header names " + std::to_string(width_),
                record_.raw());
    return;
  }
  std::string_view session_id = trim(col(SessionId));
  if (session_id.empty()) {
    sink.reject(number, "no session-id", record_.raw());
    return;
  }
  std::string key = session_key(col(ConnectorId), session_id);
  std::string_view event = trim(col(Event));
  std::string_view data = trim(col(Data));
  std::string_view context = trim(col(Context));
  if (event == "-") {
    auto it = open_.find(key);
    if (it != open_.end()) {
      if (it->second.mail) report(key, it->second, sink);  // no message: nothing to join
      open_.erase(it);
    }
    return;
  }
  Session& s = open_[key];
  if (s.line == 0) s.line = number;
  // MAIL FROM is received ("<") on a receive connector, sent (">") on a send connector.
  if ((event == "<" || event == ">") && istarts_with(data, "MAIL FROM:")) s.mail = true;
  // The Transport service hands the session to our front end (outbound proxy).
  if (event == ">" && istarts_with(data, "XPROXYTO ")) s.proxied = true;
  // Inbound proxy: our front end relays a client's session to the Transport
  // service ("XPROXYFROM SID=<front-end session> IP=<client> ..."); this hop's
  // TLS is inside too. Not reported: such records keep TLS Unknown rather
  // than take the hop's (the join to the front end's session is not built).
  if (event == "<" && istarts_with(data, "XPROXYFROM ")) s.proxied = true;
  if (event != "*") return;
  constexpr std::string_view kProxiedHere = "This session is now being proxied through the next hop.";
  constexpr std::string_view kFrontEndFor = "attempting to connect. Outbound proxy from ";
  constexpr std::string_view kProxyReady = "Proxy session successfully set up for outbound proxy";
  if (context.starts_with(kProxiedHere)) {
    s.proxied = true;
    return;
  }
  if (context.starts_with(kFrontEndFor)) {
    // "... from EXMBX13.contoso.com with session id 08D9F1A2B3C4D530. Proxied session id 08D9F1A2B3C4D531"
    constexpr std::string_view kWith = " with session id ";
    std::size_t at = context.find(kWith);
    if (at != std::string_view::npos) {
      std::string_view id = context.substr(at + kWith.size());
      id = id.substr(0, id.find_first_of(". "));
      if (!id.empty()) s.proxy_for = std::string(id);
    }
    return;
  }
  if (context.starts_with(kProxyReady) && !s.proxy_for.empty()) {
    s.mail = true;  // the hub's messages follow: the TLS of this connection is what it is
    return;
  }
  for (std::string_view text : {context, data}) {
    if (auto tls = parse_exchange_tls_line(text)) {
      s.tls = *tls;
      return;
    }
    constexpr std::string_view kFailed = "TLS negotiation failed with error ";
    if (text.starts_with(kFailed)) {
      auto time = parse_exchange_time(col(Time), 0);
      if (!time) {
        sink.reject(number, "bad date-time '" + std::string(trim(col(Time))).substr(0, 40) + "'", record_.raw());
        return;
      }
      TlsHandshakeFailure f;
      f.time = *time;
      f.direction = direction_;
      std::string ip = endpoint_ip(col(RemoteEndpoint));
      if (!ip.empty()) f.peer_ip = ip;
      f.reason = std::string(trim(text.substr(kFailed.size())));
      f.text = std::string(text);
      sink.tls_failure(f, number);
      return;
    }
  }
}

void ExchangeProtocolReader::report(const std::string& key, const Session& s, ReaderSink& sink) {
  if (s.proxied) return;  // its TLS is the hop to our front end: the front end's session says the boundary's
  SessionTls out;
  out.key = s.proxy_for.empty() ? key : outbound_proxy_key(s.proxy_for);
  if (s.tls) {
    out.tls = s.tls->tls;
    if (!s.tls->cipher.empty()) out.cipher = s.tls->cipher;
  } else {
    out.tls = TlsVersion::None;
  }
  sink.session_tls(out, s.line);
}

void ExchangeProtocolReader::finish(ReaderSink& sink) {
  record_.finish(sink);
  // Still open: the session may go on in the next file (logs roll over by
  // size). Its TLS is known once negotiated, or once a message went through
  // without it; the store never lets a later "None" for the same session
  // replace a negotiated version (store/session_tls.h).
  for (const auto& [key, s] : open_)
    if (s.tls || s.mail) report(key, s, sink);
  open_.clear();
}

}  // namespace mailflow
