#include "core/trace_fields.h"

#include "core/text.h"

namespace mailflow {

std::optional<std::size_t> find_trace_field_key(std::string_view key) {
  key = trim(key);
  for (std::size_t i = 0; i < kTraceFieldCount; ++i)
    if (iequals(key, kTraceFields[i].key)) return i;
  return std::nullopt;
}

Value trace_field_value(const TraceField& field, const Trace& trace) {
  FieldRef v = field.get(trace);
  if (std::holds_alternative<std::monostate>(v)) return Value();
  switch (field.kind) {
    case FieldKind::Timestamp: return Value(DateTime{std::get<std::int64_t>(v)});
    case FieldKind::Direction: return Value(direction_name(trace.direction));
    case FieldKind::TlsVersion: return Value(tls_name(trace.tls));
    case FieldKind::Count: return Value(std::get<std::int64_t>(v));
    case FieldKind::TlsTrust:
    case FieldKind::Status:
    case FieldKind::Text: return Value(std::string(std::get<std::string_view>(v)));
  }
  return Value();
}

const std::vector<std::string>& trace_property_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const TraceField& f : kTraceFields) out.emplace_back(f.property);
    return out;
  }();
  return names;
}

}  // namespace mailflow
