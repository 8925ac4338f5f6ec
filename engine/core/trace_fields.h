// The trace-field table: the one list of the properties of a trace record
// (SPEC section 4). The store's insert and select, the canonical CSV and JSON
// Lines readers and Get-MessageTrace's records all iterate it, so adding a
// property is one row here, a member of Trace, a store migration adding the
// column to trace_rows (and its dictionary table, if it names one), and the
// readers that fill it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "core/trace.h"
#include "core/value.h"

namespace mailflow {

// A field's value as the store keeps it: nil, an integer or text.
using FieldValue = std::variant<std::monostate, std::int64_t, std::string>;
// The same without a copy: text is a view into the Trace it was read from
// (or a static name), valid while that Trace is. The store's writer binds it
// in place, so a record costs no string copies on its way to the store; it
// converts to a FieldValue (a copy) where one is kept.
struct FieldRef : std::variant<std::monostate, std::int64_t, std::string_view> {
  using variant::variant;
  operator FieldValue() const {
    if (auto* i = std::get_if<std::int64_t>(this)) return FieldValue(*i);
    if (auto* s = std::get_if<std::string_view>(this)) return FieldValue(std::string(*s));
    return FieldValue();
  }
};

// What a field holds; decides how it is stored (integer or text), parsed from
// canonical text and shown in a record.
enum class FieldKind {
  Timestamp,   // integer Unix seconds; ISO-8601 in canonical files; a DateTime in records
  Direction,   // integer 0 Inbound, 1 Outbound
  TlsVersion,  // integer 0 None, 10..13 TLS1.0..TLS1.3
  TlsTrust,    // text Anonymous, Untrusted, Trusted, Verified
  Status,      // text; known statuses in their canonical spelling
  Text,        // text
  Count,       // integer >= 0
};

// True for kinds the store keeps as integers.
constexpr bool stored_as_integer(FieldKind k) {
  return k == FieldKind::Timestamp || k == FieldKind::Direction || k == FieldKind::TlsVersion ||
         k == FieldKind::Count;
}

struct TraceField {
  std::string_view property;  // as records show it: "Received"
  std::string_view key;       // canonical CSV/JSONL key, also the store column: "received"
  FieldKind kind;
  bool nullable;  // may be nil (JSON null; shown empty)
  bool required;  // a canonical record must carry it (a CSV header must name it)
  FieldRef (*get)(const Trace&);
  void (*set)(Trace&, FieldValue);
  // Text whose values repeat across traces (hosts, statuses, ciphers):
  // the store keeps each value once in this dictionary table and the trace
  // row refers to it by id. Empty: kept in the row (the addresses since
  // schema 11: a page of traces names too many distinct ones to look each
  // up, store/migrations.cpp). Fields may share one.
  std::string_view dictionary = {};
};

namespace trace_field_access {
inline FieldRef text(const std::optional<std::string>& s) {
  return s ? FieldRef(std::string_view(*s)) : FieldRef();
}
inline std::optional<std::string> optional_text(FieldValue v) {
  if (auto* s = std::get_if<std::string>(&v)) return std::move(*s);
  return std::nullopt;
}
inline std::string required_text(FieldValue v) { return optional_text(std::move(v)).value_or(""); }
inline std::int64_t integer(const FieldValue& v) {
  if (auto* i = std::get_if<std::int64_t>(&v)) return *i;
  return 0;
}
}  // namespace trace_field_access

// One row per property, in the order records show them.
inline constexpr TraceField kTraceFields[] = {
    {"Received", "received", FieldKind::Timestamp, false, true,
     [](const Trace& t) { return FieldRef(t.received); },
     [](Trace& t, FieldValue v) { t.received = trace_field_access::integer(v); }},
    {"Direction", "direction", FieldKind::Direction, false, true,
     [](const Trace& t) { return FieldRef(std::int64_t{static_cast<int>(t.direction)}); },
     [](Trace& t, FieldValue v) {
       t.direction = trace_field_access::integer(v) == 1 ? Direction::Outbound : Direction::Inbound;
     }},
    {"Connector", "connector", FieldKind::Text, true, false,
     [](const Trace& t) { return trace_field_access::text(t.connector); },
     [](Trace& t, FieldValue v) { t.connector = trace_field_access::optional_text(std::move(v)); }, "trace_connectors"},
    {"TlsVersion", "tls", FieldKind::TlsVersion, false, false,
     [](const Trace& t) { return FieldRef(std::int64_t{static_cast<int>(t.tls)}); },
     [](Trace& t, FieldValue v) { t.tls = static_cast<TlsVersion>(trace_field_access::integer(v)); }},
    {"TlsTrust", "tls_trust", FieldKind::TlsTrust, true, false,
     [](const Trace& t) {
       return t.tls_trust ? FieldRef(tls_trust_name(*t.tls_trust)) : FieldRef();
     },
     [](Trace& t, FieldValue v) {
       auto s = trace_field_access::optional_text(std::move(v));
       t.tls_trust = s ? parse_tls_trust(*s) : std::nullopt;
     }, "trust_levels"},
    {"Cipher", "cipher", FieldKind::Text, true, false,
     [](const Trace& t) { return trace_field_access::text(t.cipher); },
     [](Trace& t, FieldValue v) { t.cipher = trace_field_access::optional_text(std::move(v)); }, "ciphers"},
    {"SenderAddress", "sender", FieldKind::Text, false, true,
     [](const Trace& t) { return FieldRef(std::string_view(t.sender)); },
     [](Trace& t, FieldValue v) { t.sender = trace_field_access::required_text(std::move(v)); }},
    {"RecipientAddress", "recipient", FieldKind::Text, false, true,
     [](const Trace& t) { return FieldRef(std::string_view(t.recipient)); },
     [](Trace& t, FieldValue v) { t.recipient = trace_field_access::required_text(std::move(v)); }},
    {"RemoteHost", "remote_host", FieldKind::Text, true, false,
     [](const Trace& t) { return trace_field_access::text(t.remote_host); },
     [](Trace& t, FieldValue v) { t.remote_host = trace_field_access::optional_text(std::move(v)); }, "hosts"},
    {"RemoteIP", "remote_ip", FieldKind::Text, true, false,
     [](const Trace& t) { return trace_field_access::text(t.remote_ip); },
     [](Trace& t, FieldValue v) { t.remote_ip = trace_field_access::optional_text(std::move(v)); }, "ips"},
    {"Size", "size", FieldKind::Count, false, false,
     [](const Trace& t) { return FieldRef(t.size); },
     [](Trace& t, FieldValue v) { t.size = trace_field_access::integer(v); }},
    {"Status", "status", FieldKind::Status, false, false,
     [](const Trace& t) { return FieldRef(std::string_view(t.status)); },
     [](Trace& t, FieldValue v) { t.status = trace_field_access::required_text(std::move(v)); }, "statuses"},
    {"MessageId", "message_id", FieldKind::Text, true, false,
     [](const Trace& t) { return trace_field_access::text(t.message_id); },
     [](Trace& t, FieldValue v) { t.message_id = trace_field_access::optional_text(std::move(v)); }},
};
inline constexpr std::size_t kTraceFieldCount = std::size(kTraceFields);

// The field whose canonical key is `key` (case-insensitive, trimmed), as an
// index into kTraceFields; nullopt for other keys.
std::optional<std::size_t> find_trace_field_key(std::string_view key);

// The field's value as a record shows it: Received a DateTime, Direction and
// TlsVersion their names, Size an integer, nil fields null.
Value trace_field_value(const TraceField& field, const Trace& trace);

// The property names in table order (Get-MessageTrace's columns).
const std::vector<std::string>& trace_property_names();

}  // namespace mailflow
