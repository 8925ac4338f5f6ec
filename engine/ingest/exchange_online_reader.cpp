#include "ingest/exchange_online_reader.h"

#include <charconv>
#include <algorithm>
#include <map>

#include "core/error.h"
#include "core/text.h"
#include "ingest/exchange_fields.h"
#include "ingest/jsonl_reader.h"

namespace mailflow {

struct ExchangeOnlineReader::Fields {
  std::map<std::string, std::string> values;  // header_key -> value
  std::map<std::string, std::string> names;   // header_key -> name as written
  const std::string& get(const std::string& key) const {
    static const std::string empty;
    auto it = values.find(key);
    return it == values.end() ? empty : it->second;
  }
  bool has(const std::string& key) const { return values.count(key) > 0; }
  std::string name(const std::string& key, const char* fallback) const {
    auto it = names.find(key);
    return it == names.end() ? fallback : it->second;
  }
};

namespace {

std::optional<std::string> non_empty(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  return std::string(s);
}

std::string_view domain_of(std::string_view address) {
  std::size_t at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view() : address.substr(at + 1);
}

// "Incoming" / 1 -> Inbound, "Originating" / 2 -> Outbound.
std::optional<Direction> directionality(std::string_view d) {
  d = trim(d);
  if (iequals(d, "Incoming") || d == "1") return Direction::Inbound;
  if (iequals(d, "Originating") || d == "2") return Direction::Outbound;
  return std::nullopt;
}

// The outcome of one recipient in a historical search summary:
// "Receive, Deliver" -> Delivered; the last event decides.
std::string recipient_outcome(std::string_view events) {
  std::string_view last = trim(events.substr(events.rfind(',') == std::string_view::npos ? 0 : events.rfind(',') + 1));
  if (iequals(last, "Deliver") || iequals(last, "Send")) return "Delivered";
  if (iequals(last, "Fail") || iequals(last, "Drop")) return "Failed";
  if (iequals(last, "Expand")) return "Expanded";
  if (iequals(last, "Defer") || iequals(last, "Receive") || iequals(last, "Submit")) return "Pending";
  return std::string(last);
}

// A size over kMaxMessageSize (1 TiB) is garbage, as in the other readers
// (found by fuzz_exchange_online_reader: such a size reached the store).
bool parse_size(std::string_view text, std::int64_t& out) {
  text = trim(text);
  out = 0;
  if (text.empty()) return true;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && p == text.data() + text.size() && out >= 0 && out <= kMaxMessageSize;
}

}  // namespace

ExchangeOnlineReader::ExchangeOnlineReader(const ReaderOptions& options) : options_(options) {
  for (const std::string& d : options.organization_domains) {
    std::string error;
    auto p = parse_domain_pattern(d, &error);
    if (!p) throw Error("InvalidConfig", "OrganizationDomains '" + d + "': " + error);
    org_.push_back(*p);
  }
}

bool ExchangeOnlineReader::inside(std::string_view address) const {
  std::string_view domain = domain_of(address);
  for (const DomainPattern& p : org_)
    if (p.matches(domain)) return true;
  return false;
}

bool ExchangeOnlineReader::looks_like(const std::vector<std::string>& head) {
  if (!head.empty() && Utf16LeLines::starts(head.front())) {
    std::vector<std::string> lines;
    Utf16LeLines decoder;
    for (const std::string& piece : head) decoder.feed(piece, [&](std::string_view l) { lines.emplace_back(l); });
    decoder.finish([&](std::string_view l) { lines.emplace_back(l); });
    return !lines.empty() && !Utf16LeLines::starts(lines.front()) && looks_like(lines);
  }
  std::string joined;
  for (const std::string& l : head) {
    std::string_view t = trim(l);
    if (t.empty()) continue;
    if (istarts_with(t, "#TYPE ")) return t.find("FfoReporting.MessageTrace") != std::string_view::npos;
    if (t[0] == '[' || t[0] == '{') {
      for (const std::string& x : head) joined += x;
      // A message trace object: Received/SenderAddress/RecipientAddress
      // (any case, any JSON shape), not the canonical lower-case keys.
      return joined.find("\"Received\"") != std::string::npos &&
             joined.find("\"SenderAddress\"") != std::string::npos;
    }
    DelimitedRecord r;
    if (r.add(t, 1) != DelimitedRecord::Status::Complete) return false;
    bool received = false, sender = false, recipient = false, summary = false, extended = false, event = false;
    for (std::size_t i = 0; i < r.size(); ++i) {
      std::string k = header_key(r.field(i));
      received |= r.field(i) == "Received";
      sender |= k == "senderaddress";
      recipient |= k == "recipientaddress" || k == "recipientstatus";
      summary |= k == "origintimestamputc";
      extended |= k == "datetimeutc";
      event |= k == "eventid";
    }
    return (received && sender && recipient) || (summary && sender) || (extended && event);
  }
  return false;
}

void ExchangeOnlineReader::line(std::string_view text, std::int64_t number, ReaderSink& sink) {
  if (first_line_) {
    first_line_ = false;
    if (Utf16LeLines::starts(text)) utf16_.emplace();
  }
  last_number_ = number;
  if (utf16_) {
    utf16_->feed(text, [&](std::string_view l) { text_line(l, number, sink); });
    return;
  }
  text_line(text, number, sink);
}

void ExchangeOnlineReader::text_line(std::string_view text, std::int64_t number, ReaderSink& sink) {
  if (mode_ == Mode::Extended) {
    extended_->line(text, number, sink);
    return;
  }
  if (mode_ == Mode::Unknown) {
    std::string_view t = trim(text);
    if (t.empty() || istarts_with(t, "#TYPE ")) return;
    if (t[0] == '[' || t[0] == '{') mode_ = Mode::Json;
    else mode_ = Mode::Csv;
  }
  if (mode_ == Mode::Json) json_line(text, number, sink);
  else csv_line(text, number, sink);
}

void ExchangeOnlineReader::csv_line(std::string_view text, std::int64_t number, ReaderSink& sink) {
  if (!record_.open() && trim(text).empty()) return;
  if (!record_.take(text, number, sink)) return;
  if (header_.empty()) {
    header_names_ = record_.values();
    for (const std::string& n : header_names_) header_.push_back(header_key(n));
    bool extended = false, summary = false, received = false;
    for (const std::string& k : header_) {
      extended |= k == "datetimeutc";
      summary |= k == "origintimestamputc";
      received |= k == "received";
    }
    if (extended) {
      // The extended report holds message tracking events: the tracking rules read it.
      mode_ = Mode::Extended;
      extended_ = std::make_unique<ExchangeTrackingReader>(options_, true);
      extended_->line("#Fields: " + std::string(record_.raw()), number, sink);
      return;
    }
    if (summary) mode_ = Mode::Summary;
    else if (!received)
      throw Error("ImportFormat", "line " + std::to_string(number) +
                                      ": the header names no Received (Get-MessageTrace) or "
                                      "origin_timestamp_utc (historical search) column");
    return;
  }
  if (record_.size() != header_.size()) {
    sink.reject(number, std::to_string(record_.size()) + " fields where the header names " +
                            std::to_string(header_.size()),
                record_.raw());
    return;
  }
  Fields f;
  for (std::size_t i = 0; i < header_.size(); ++i) {
    f.values[header_[i]] = record_.field(i);
    f.names[header_[i]] = header_names_[i];
  }
  if (mode_ == Mode::Summary) summary_record(f, record_.first_line(), record_.raw(), sink);
  else trace_record(f, record_.first_line(), record_.raw(), sink);
}

void ExchangeOnlineReader::json_line(std::string_view text, std::int64_t number, ReaderSink& sink) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (collect_depth_ >= 0) object_.push_back(c);
    if (in_string_) {
      if (escape_) escape_ = false;
      else if (c == '\\') escape_ = true;
      else if (c == '"') in_string_ = false;
      continue;
    }
    if (c == '"') {
      in_string_ = true;
    } else if (c == '{') {
      bool record_start = collect_depth_ < 0 && (record_depth_ < 0 ? depth_ == 0 : depth_ == record_depth_);
      if (record_start) {
        collect_depth_ = depth_;
        object_.assign(1, '{');
        object_line_ = number;
      }
      ++depth_;
    } else if (c == '[') {
      if (record_depth_ < 0) {
        // The first array holds the records; an object around it ({"d":{"results":[...]}},
        // {"value":[...]}) is a wrapper, not a record.
        record_depth_ = depth_ + 1;
        collect_depth_ = -1;
        object_.clear();
      }
      ++depth_;
    } else if (c == '}' || c == ']') {
      --depth_;
      if (c == '}' && collect_depth_ >= 0 && depth_ == collect_depth_) {
        collect_depth_ = -1;
        json_object(object_line_, sink);
      }
      if (depth_ < 0) depth_ = 0;
    }
  }
  if (collect_depth_ >= 0) {
    object_.push_back('\n');
    if (object_.size() > kMaxRecordBytes) {
      sink.reject(object_line_, "record longer than " + std::to_string(kMaxRecordBytes) + " bytes", object_.substr(0, 200));
      collect_depth_ = -1;
      object_.clear();
    }
  }
}

void ExchangeOnlineReader::json_object(std::int64_t number, ReaderSink& sink) {
  Fields f;
  JsonObjectParser parser;
  std::string error;
  bool ok = parser.parse(
      object_,
      [&](const std::string& key, const JsonScalar& v, std::string&) {
        std::string k = header_key(key);
        if (v.kind == JsonScalar::Kind::String || v.kind == JsonScalar::Kind::Number ||
            v.kind == JsonScalar::Kind::Bool)
          f.values[k] = v.text;
        else if (v.kind == JsonScalar::Kind::Null)
          f.values[k] = "";
        f.names[k] = key;
        return true;
      },
      error);
  if (!ok) {
    sink.reject(number, "not a JSON object: " + error, object_);
    return;
  }
  if (f.has("origintimestamputc")) summary_record(f, number, object_, sink);
  else trace_record(f, number, object_, sink);
}

void ExchangeOnlineReader::trace_record(const Fields& f, std::int64_t number, std::string_view raw, ReaderSink& sink) {
  auto time = parse_exchange_time(f.get("received"), options_.utc_offset_seconds);
  if (!time) {
    sink.reject(number, "bad " + f.name("received", "Received") + " '" + f.get("received").substr(0, 40) + "'", raw);
    return;
  }
  std::string sender(trim(f.get("senderaddress")));
  std::string recipient(trim(f.get("recipientaddress")));
  if (recipient.empty()) {
    sink.reject(number, "no " + f.name("recipientaddress", "RecipientAddress"), raw);
    return;
  }
  std::int64_t size = 0;
  if (!parse_size(f.get("size"), size)) {
    sink.reject(number, "bad " + f.name("size", "Size") + " '" + f.get("size").substr(0, 20) + "'", raw);
    return;
  }
  Trace t;
  if (auto d = directionality(f.get("directionality"))) {
    t.direction = *d;
  } else {
    bool from_inside = inside(sender), to_inside = inside(recipient);
    if (from_inside == to_inside) return;  // internal, or relayed between two outside parties
    t.direction = to_inside ? Direction::Inbound : Direction::Outbound;
  }
  t.received = *time;
  t.tls = TlsVersion::Unknown;
  t.sender = sender;
  t.recipient = recipient;
  t.size = size;
  t.remote_ip = non_empty(t.direction == Direction::Inbound ? f.get("fromip") : f.get("toip"));
  t.message_id = non_empty(f.get("messageid"));
  std::string status(trim(f.get("status")));
  if (!status.empty()) t.status = status;
  sink.trace(t, number);
}

void ExchangeOnlineReader::summary_record(const Fields& f, std::int64_t number, std::string_view raw,
                                          ReaderSink& sink) {
  auto time = parse_exchange_time(f.get("origintimestamputc"), 0);
  if (!time) {
    sink.reject(number,
                "bad " + f.name("origintimestamputc", "origin_timestamp_utc") + " '" +
                    f.get("origintimestamputc").substr(0, 40) + "'",
                raw);
    return;
  }
  std::int64_t size = 0;
  if (!parse_size(f.get("totalbytes"), size)) {
    sink.reject(number, "bad " + f.name("totalbytes", "total_bytes") + " '" + f.get("totalbytes").substr(0, 20) + "'",
                raw);
    return;
  }
  std::string sender(trim(f.get("senderaddress")));
  std::optional<Direction> dir = directionality(f.get("directionality"));
  // "addr##Receive, Deliver;addr2##Receive, Fail": one record per outcome, in order.
  std::vector<std::pair<std::string, std::vector<std::string>>> outcomes;
  for (const std::string& entry : split(f.get("recipientstatus"), ';')) {
    std::string_view e = trim(entry);
    if (e.empty()) continue;
    std::size_t sep = e.find("##");
    if (sep == std::string_view::npos) {
      sink.reject(number, "bad " + f.name("recipientstatus", "recipient_status") + " entry '" +
                              std::string(e.substr(0, 60)) + "' (expected address##events)",
                  raw);
      return;
    }
    std::string address(trim(e.substr(0, sep)));
    Direction d = dir ? *dir : (inside(address) ? Direction::Inbound : Direction::Outbound);
    if (!org_.empty() && inside(address) != (d == Direction::Inbound)) continue;  // not across the boundary
    if (!dir && !org_.empty() && inside(sender) == inside(address)) continue;
    std::string outcome = recipient_outcome(e.substr(sep + 2));
    auto it = std::find_if(outcomes.begin(), outcomes.end(), [&](const auto& o) { return o.first == outcome; });
    if (it == outcomes.end()) outcomes.push_back({outcome, {address}});
    else it->second.push_back(address);
  }
  if (outcomes.empty() && trim(f.get("recipientstatus")).empty()) {
    sink.reject(number, "no " + f.name("recipientstatus", "recipient_status"), raw);
    return;
  }
  for (const auto& [outcome, addresses] : outcomes) {
    Trace t;
    t.received = *time;
    t.tls = TlsVersion::Unknown;
    t.sender = sender;
    t.recipient = join(addresses, ";");
    t.direction = dir ? *dir : (inside(addresses.front()) ? Direction::Inbound : Direction::Outbound);
    t.size = size;
    t.status = outcome;
    t.message_id = non_empty(f.get("messageid"));
    t.connector = non_empty(f.get("connectorid"));
    if (t.direction == Direction::Inbound) t.remote_ip = non_empty(f.get("originalclientip"));
    sink.trace(t, number);
  }
}

void ExchangeOnlineReader::finish(ReaderSink& sink) {
  if (utf16_) utf16_->finish([&](std::string_view l) { text_line(l, last_number_, sink); });
  if (extended_) {
    extended_->finish(sink);
    return;
  }
  record_.finish(sink);
  if (collect_depth_ >= 0) sink.reject(object_line_, "the file ends inside a JSON object", object_.substr(0, 200));
}

}  // namespace mailflow
