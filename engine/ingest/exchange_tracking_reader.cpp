#include "ingest/exchange_tracking_reader.h"

#include <charconv>

#include "core/error.h"
#include "core/text.h"
#include "ingest/exchange_fields.h"

namespace mailflow {

namespace {

using Column = ExchangeTrackingReader::Column;

// Header names (header_key form) of each column, in log and export spelling.
std::optional<Column> column_of(std::string_view key) {
  static const std::pair<const char*, Column> names[] = {
      {"datetime", Column::Time},           {"timestamp", Column::Time},
      {"datetimeutc", Column::Time},        {"clientip", Column::ClientIp},
      {"clienthostname", Column::ClientHost}, {"serverip", Column::ServerIp},
      {"serverhostname", Column::ServerHost}, {"sourcecontext", Column::SourceContext},
      {"connectorid", Column::ConnectorId}, {"source", Column::Source},
      {"eventid", Column::EventId},         {"messageid", Column::MessageId},
      {"networkmessageid", Column::NetworkMessageId}, {"recipientaddress", Column::Recipients},
      {"recipients", Column::Recipients},   {"recipientstatus", Column::RecipientStatus},
      {"totalbytes", Column::TotalBytes},   {"senderaddress", Column::Sender},
      {"sender", Column::Sender},           {"returnpath", Column::ReturnPath},
      {"directionality", Column::Directionality}, {"customdata", Column::CustomData},
      {"eventdata", Column::CustomData},  // Get-MessageTrackingLog's name for it
  };
  for (const auto& [name, c] : names)
    if (key == name) return c;
  return std::nullopt;
}

const std::string kEmpty;

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

std::optional<std::string> non_empty(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  return std::string(s);
}

std::string fields_line_text(std::string_view text) {
  std::string_view rest = trim(text.substr(std::string_view("#Fields:").size()));
  return std::string(rest);
}

bool is_intra_org(std::string_view connector) {
  return iequals(trim(connector), "Intra-Organization SMTP Send Connector");
}

}  // namespace

ExchangeTrackingReader::ExchangeTrackingReader(const ReaderOptions& options, bool online)
    : options_(options), online_(online) {
  for (const std::string& n : options.internal_networks) {
    std::string error;
    auto r = parse_ip_range(n, &error);
    if (!r) throw Error("InvalidConfig", "InternalNetworks '" + n + "': " + error);
    internal_.push_back(*r);
  }
  index_.fill(-1);
}

bool ExchangeTrackingReader::looks_like(const std::vector<std::string>& head) {
  for (const std::string& l : head) {
    if (istarts_with(l, "#Log-type:")) return iequals(trim(std::string_view(l).substr(10)), "Message Tracking Log");
    if (istarts_with(l, "#TYPE ")) return l.find("TransportLogSearchTasks.MessageTrackingEvent") != std::string::npos;
    if (l.empty() || l[0] == '#') continue;
    // An Export-Csv header without the #TYPE line.
    DelimitedRecord r;
    if (r.add(l, 1) != DelimitedRecord::Status::Complete) return false;
    bool timestamp = false, event = false, recipients = false, source = false;
    for (std::size_t i = 0; i < r.size(); ++i) {
      std::string k = header_key(r.field(i));
      timestamp |= k == "timestamp";
      event |= k == "eventid";
      recipients |= k == "recipients";
      source |= k == "source";
    }
    return timestamp && event && recipients && source;
  }
  return false;
}

void ExchangeTrackingReader::set_columns(const std::vector<std::string>& names, std::int64_t number) {
  index_.fill(-1);
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (auto c = column_of(header_key(names[i])); c && index_[*c] < 0) {
      index_[*c] = static_cast<int>(i);
      names_[*c] = std::string(trim(names[i]));
    }
  }
  for (Column required : {Column::Time, Column::Source, Column::EventId, Column::Recipients})
    if (index_[required] < 0)
      throw Error("ImportFormat", "line " + std::to_string(number) +
                                      ": the header names no " +
                                      std::string(required == Column::Time        ? "date-time"
                                                  : required == Column::Source    ? "source"
                                                  : required == Column::EventId   ? "event-id"
                                                                                  : "recipient-address") +
                                      " field");
  width_ = names.size();
  have_columns_ = true;
}

const std::string& ExchangeTrackingReader::col(Column c) const {
  int i = index_[c];
  if (i < 0 || static_cast<std::size_t>(i) >= record_.size()) return kEmpty;
  return record_.field(static_cast<std::size_t>(i));
}

bool ExchangeTrackingReader::outside(const std::string& ip) const {
  auto a = parse_ip(trim(ip));
  if (!a) return false;  // empty, or a link-local "fe80::…%4": our own machine
  for (const IpRange& r : internal_)
    if (r.contains(*a)) return false;
  return true;
}

void ExchangeTrackingReader::line(std::string_view text, std::int64_t number, ReaderSink& sink) {
  if (!record_.open()) {
    if (text.empty()) return;
    if (text[0] == '#') {
      // #Software, #Version, #Log-type, #Date, #Fields; #TYPE of Export-Csv.
      if (istarts_with(text, "#Fields:")) {
        DelimitedRecord names;
        names.add(fields_line_text(text), number);
        set_columns(names.values(), number);
      }
      return;
    }
  }
  if (!record_.take(text, number, sink)) return;
  if (!have_columns_) {
    // Export-Csv: the first record is the header.
    std::vector<std::string> names = record_.values();
    bool export_header = false;
    for (const std::string& n : names) export_header |= header_key(n) == "eventid";
    if (!export_header)
      throw Error("ImportFormat", "line " + std::to_string(number) +
                                      ": a data line before the '#Fields:' header line (a message tracking "
                                      "log starts with #Software, #Version, #Log-type, #Date and #Fields)");
    set_columns(names, number);
    return;
  }
  row(record_.first_line(), sink);
}

void ExchangeTrackingReader::emit(const Trace& t, std::int64_t line, const std::string& key, ReaderSink& sink) {
  if (key.empty()) sink.trace(t, line);
  else sink.session_trace(t, line, key);
}

std::string ExchangeTrackingReader::lifecycle_key(std::string_view message_id, std::string_view recipient) {
  return "msgtrk/" + std::string(trim(message_id)) + "/" + to_lower(trim(recipient)) + ";";
}

void ExchangeTrackingReader::emit_outcome(const Trace& t, std::int64_t line, const std::string& key,
                                          const std::string& message_id, const std::vector<std::string>& recipients,
                                          ReaderSink& sink) {
  if (trim(message_id).empty()) {
    emit(t, line, key, sink);
    return;
  }
  std::vector<std::string> keys;
  keys.reserve(recipients.size());
  for (const std::string& r : recipients) keys.push_back(lifecycle_key(message_id, r));
  if (key.empty()) sink.lifecycle_trace(t, line, keys);
  else sink.session_lifecycle_trace(t, line, keys, key);
}

void ExchangeTrackingReader::row(std::int64_t number, ReaderSink& sink) {
  if (record_.size() != width_) {
    sink.reject(number, std::to_string(record_.size()) + " fields where the header names " + std::to_string(width_),
                record_.raw());
    return;
  }
  const std::string event = upper(trim(col(Column::EventId)));
  const std::string source = upper(trim(col(Column::Source)));
  // Only these events can cross the boundary; the rest is skipped unparsed.
  enum class Kind { Receive, Send, Fail, Defer } kind;
  if (event == "RECEIVE" && source == "SMTP") kind = Kind::Receive;
  else if ((event == "SEND" || event == "SENDEXTERNAL") && source == "SMTP") kind = Kind::Send;
  else if (event == "FAIL" && source == "SMTP") kind = Kind::Fail;
  else if (event == "DEFER") kind = Kind::Defer;
  else if (event == "FAIL") kind = Kind::Fail;  // e.g. the queue expiring a deferred message
  else return;

  const std::string& client_ip = col(Column::ClientIp);
  const std::string& server_ip = col(Column::ServerIp);
  const std::string& connector_id = col(Column::ConnectorId);
  std::string_view directionality = trim(col(Column::Directionality));
  // A send proxied through the Front End Transport service: server-ip is the
  // front end (inside); custom-data names the target it connected to, e.g.
  //   S:OutboundProxyTargetIPAddress=192.0.2.70;S:OutboundProxyTargetHostName=mx.adatum.example;
  //   S:OutboundProxyFrontendName=EXMBX13.contoso.com
  std::string_view proxy_target;
  if (kind != Kind::Receive && !online_)
    proxy_target = custom_data_value(col(Column::CustomData), "OutboundProxyTargetIPAddress");
  bool proxied = !proxy_target.empty() && outside(std::string(proxy_target)) && !is_intra_org(connector_id);
  bool crosses = false;
  switch (kind) {
    case Kind::Receive:
      crosses = online_ ? iequals(directionality, "Incoming") && non_empty(client_ip).has_value()
                        : outside(client_ip);
      break;
    case Kind::Send:
    case Kind::Fail:
      crosses = online_ ? event == "SENDEXTERNAL" || (event == "FAIL" && outside(server_ip))
                        : proxied || (outside(server_ip) && !is_intra_org(connector_id));
      // FAIL from another source (the queue, routing) crosses nothing itself.
      if (kind == Kind::Fail && source != "SMTP") crosses = false;
      break;
    case Kind::Defer:
      crosses = proxied || outside(server_ip) ||
                (trim(server_ip).empty() && !trim(connector_id).empty() && !is_intra_org(connector_id));
      break;
  }
  const std::string& message_id = col(Column::MessageId);
  if (!crosses && kind != Kind::Fail) return;

  // The row crosses the boundary (or may end a deferred one): its values must be good.
  const std::string& recipients_text = col(Column::Recipients);
  if (is_exported_array_type(recipients_text)) {
    if (!crosses) return;  // a FAIL inside: nothing to say about it
    sink.reject(number,
                names_[Column::Recipients] +
                    " is 'System.String[]': Export-Csv wrote the array's type instead of the addresses; export "
                    "with @{n='Recipients';e={$_.Recipients -join ';'}}",
                record_.raw());
    return;
  }
  std::vector<std::string> recipients = split_recipients(recipients_text);
  auto time = parse_exchange_time(col(Column::Time), options_.utc_offset_seconds);
  if (!crosses) {  // FAIL not to an outside server: only ends a deferred message
    bool any = false;
    for (const std::string& r : recipients) any |= pending_.count(message_id + "\n" + to_lower(r)) > 0;
    if (!any) {
      // Deferred in an earlier file or import, if at all: the store fails
      // those recipients' Pending records (and knows no others).
      if (time && !trim(message_id).empty())
        for (const std::string& r : recipients) sink.expire_queue(lifecycle_key(message_id, r), *time);
      return;
    }
  }
  if (!time) {
    sink.reject(number, "bad " + names_[Column::Time] + " '" + std::string(trim(col(Column::Time))).substr(0, 40) + "'",
                record_.raw());
    return;
  }
  if (recipients.empty()) {
    sink.reject(number, "no " + names_[Column::Recipients], record_.raw());
    return;
  }
  std::int64_t size = 0;
  std::string_view bytes = trim(col(Column::TotalBytes));
  if (!bytes.empty()) {
    auto [p, ec] = std::from_chars(bytes.data(), bytes.data() + bytes.size(), size);
    if (ec != std::errc() || p != bytes.data() + bytes.size() || size < 0 || size > kMaxMessageSize) {
      sink.reject(number, "bad " + (names_[Column::TotalBytes].empty() ? std::string("total-bytes")
                                                                         : names_[Column::TotalBytes]) +
                              " '" + std::string(bytes.substr(0, 20)) + "'",
                  record_.raw());
      return;
    }
  }

  Trace t;
  t.received = *time;
  t.tls = TlsVersion::Unknown;
  std::string_view return_path = trim(col(Column::ReturnPath));
  t.sender = !return_path.empty() && return_path != "<>" ? std::string(return_path)
                                                          : std::string(trim(col(Column::Sender)));
  t.size = size;
  t.message_id = non_empty(message_id);
  if (auto c = non_empty(connector_name(connector_id))) t.connector = c;
  std::string key;
  if (std::string_view sid = session_id_of(col(Column::SourceContext)); !sid.empty() && !trim(connector_id).empty())
    key = proxied ? outbound_proxy_key(sid) : session_key(connector_id, sid);

  if (kind == Kind::Receive) {
    t.direction = Direction::Inbound;
    t.remote_host = non_empty(col(Column::ClientHost));
    t.remote_ip = non_empty(client_ip);
    if (online_) {  // one record per message and recipient, however many hops the service logs
      std::string k = col(Column::NetworkMessageId) + "\n" + to_lower(recipients_text);
      if (!seen_inbound_.emplace(k, true).second) return;
    }
    t.recipient = join(recipients, ";");
    emit(t, number, key, sink);
    return;
  }

  t.direction = Direction::Outbound;
  if (proxied) {  // the peer is the target the front end connected to
    t.remote_host = non_empty(custom_data_value(col(Column::CustomData), "OutboundProxyTargetHostName"));
    t.remote_ip = std::string(proxy_target);
  } else {
    t.remote_host = non_empty(col(Column::ServerHost));
    t.remote_ip = non_empty(server_ip);
  }
  if (kind == Kind::Defer) {
    std::int64_t group = ++next_group_;
    for (const std::string& r : recipients) {
      Pending p{t, group, number, key, message_id};
      p.trace.recipient = r;
      p.trace.status = "Pending";
      pending_.try_emplace(message_id + "\n" + to_lower(r), std::move(p));
    }
    return;
  }
  t.status = kind == Kind::Fail ? "Failed" : "Delivered";
  if (!crosses) {  // a FAIL that ends deferred recipients: keep the known peer
    std::vector<std::string> ended;
    for (const std::string& r : recipients) {
      auto it = pending_.find(message_id + "\n" + to_lower(r));
      if (it == pending_.end()) continue;
      Trace f = it->second.trace;
      f.status = "Failed";
      f.received = *time;
      std::string k = it->second.key;
      pending_.erase(it);
      emit_outcome(f, number, k, message_id, {f.recipient}, sink);
    }
    return;
  }
  for (const std::string& r : recipients) pending_.erase(message_id + "\n" + to_lower(r));
  t.recipient = join(recipients, ";");
  emit_outcome(t, number, key, message_id, recipients, sink);
}

void ExchangeTrackingReader::finish(ReaderSink& sink) {
  record_.finish(sink);
  // Still deferred: Pending, the recipients of one DEFER row together.
  std::map<std::int64_t, std::vector<Pending*>> groups;
  for (auto& [k, p] : pending_) groups[p.group].push_back(&p);
  for (auto& [g, list] : groups) {
    Trace t = list.front()->trace;
    std::vector<std::string> rcpts;
    for (Pending* p : list) rcpts.push_back(p->trace.recipient);
    t.recipient = join(rcpts, ";");
    emit_outcome(t, list.front()->line, list.front()->key, list.front()->message_id, rcpts, sink);
    ++incomplete_;
  }
  pending_.clear();
}

}  // namespace mailflow
