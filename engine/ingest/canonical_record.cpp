#include "ingest/canonical_record.h"

#include <charconv>

#include "core/text.h"

namespace mailflow {

namespace {

// Statuses admins see in Exchange message traces; matched case-insensitively
// and stored in this spelling so that reports can compare exactly.
constexpr std::string_view kKnownStatuses[] = {"Delivered", "Failed",   "Pending",  "Expanded",
                                               "Quarantined", "FilteredAsSpam", "GettingStatus",
                                               "Deferred",  "Bounced",  "Rejected"};

// Shown in reject reasons: enough of the bad value to find it, never the
// whole of a 4 KiB field.
std::string quoted_excerpt(std::string_view v) {
  constexpr std::size_t kMax = 60;
  std::string out = "'";
  if (v.size() <= kMax) out += v;
  else {
    out += v.substr(0, kMax);
    out += "...";
  }
  out += "'";
  return out;
}

// True when an ISO-8601 text carries its own offset (Z, +HH:MM, -HHMM)
// after the date part.
bool has_utc_offset(std::string_view s) {
  if (s.size() <= 10) return false;
  char last = s.back();
  if (last == 'Z' || last == 'z') return true;
  return s.find_first_of("+-", 11) != std::string_view::npos;
}

}  // namespace

std::string_view canonical_key_name(CanonicalKey key) { return kTraceFields[key].key; }

std::optional<CanonicalKey> find_canonical_key(std::string_view name) { return find_trace_field_key(name); }

bool canonical_key_required(CanonicalKey key) { return kTraceFields[key].required; }

namespace {

// Turns one field's trimmed text into its stored value, or returns false
// with the reject reason. Empty text is a missing value.
bool parse_field(const TraceField& field, std::string_view text, const ReaderOptions& options, FieldValue& out,
                 std::string& reason) {
  const std::string key(field.key);
  switch (field.kind) {
    case FieldKind::Timestamp: {
      auto instant = parse_instant(text);
      if (!instant) {
        reason = "bad timestamp in " + key + ": " + quoted_excerpt(text);
        return false;
      }
      out = *instant - (has_utc_offset(text) ? 0 : options.utc_offset_seconds);
      return true;
    }
    case FieldKind::Direction: {
      auto dir = parse_direction(text);
      if (!dir) {
        reason = "unknown " + key + ": " + quoted_excerpt(text);
        return false;
      }
      out = std::int64_t{static_cast<int>(*dir)};
      return true;
    }
    case FieldKind::TlsVersion: {
      auto version = parse_tls(text);
      if (!version) {
        reason = "bad TLS value: " + quoted_excerpt(text);
        return false;
      }
      out = std::int64_t{static_cast<int>(*version)};
      return true;
    }
    case FieldKind::TlsTrust: {
      if (text.empty()) {
        out = FieldValue();
        return true;
      }
      auto trust = parse_tls_trust(text);
      if (!trust) {
        reason = "bad TLS trust value in " + key + ": " + quoted_excerpt(text) +
                 " (Anonymous, Untrusted, Trusted or Verified)";
        return false;
      }
      out = std::string(tls_trust_name(*trust));
      return true;
    }
    case FieldKind::Count: {
      std::int64_t n = 0;
      if (!text.empty()) {
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
        if (ec != std::errc() || end != text.data() + text.size() || n < 0) {
          reason = ec == std::errc::result_out_of_range
                       ? key + " out of range (over 1 TiB): " + quoted_excerpt(text)
                       : "bad " + key + ": " + quoted_excerpt(text);
          return false;
        }
        if (n > kMaxMessageSize) {
          reason = key + " out of range (over 1 TiB): " + quoted_excerpt(text);
          return false;
        }
      }
      out = n;
      return true;
    }
    case FieldKind::Status: {
      if (text.empty()) {
        out = std::string("Delivered");
        return true;
      }
      std::string status(text);
      for (std::string_view known : kKnownStatuses)
        if (iequals(text, known)) status.assign(known);
      out = std::move(status);
      return true;
    }
    case FieldKind::Text:
      if (field.nullable && text.empty()) out = FieldValue();
      else out = std::string(text);
      return true;
  }
  return true;
}

}  // namespace

bool make_canonical_trace(const CanonicalFields& f, const ReaderOptions& options, Trace& t,
                          std::string& reason) {
  for (std::size_t i = 0; i < kTraceFieldCount; ++i) {
    const auto& v = f[i];
    if (!v) {
      if (kTraceFields[i].required) {
        reason = "missing " + std::string(kTraceFields[i].key);
        return false;
      }
      continue;
    }
    if (v->size() > kMaxFieldBytes) {
      reason = "field " + std::string(kTraceFields[i].key) + " longer than " +
               std::to_string(kMaxFieldBytes) + " bytes";
      return false;
    }
    if (!valid_utf8(*v)) {
      reason = "invalid UTF-8 in " + std::string(kTraceFields[i].key);
      return false;
    }
  }
  for (std::size_t i = 0; i < kTraceFieldCount; ++i) {
    FieldValue value;
    if (!parse_field(kTraceFields[i], f[i] ? trim(*f[i]) : std::string_view{}, options, value, reason))
      return false;
    kTraceFields[i].set(t, std::move(value));
  }
  return true;
}

}  // namespace mailflow
