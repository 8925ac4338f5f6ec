#include "ingest/canonical_record.h"

#include <charconv>

#include "core/text.h"

namespace mailflow {

namespace {

constexpr std::string_view kKeyNames[kCanonicalKeyCount] = {
    "received", "direction", "connector", "tls",    "cipher", "sender",
    "recipient", "remote_host", "remote_ip", "size", "status", "message_id"};

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

std::optional<std::string> optional_text(const std::optional<std::string_view>& v) {
  if (!v) return std::nullopt;
  std::string_view t = trim(*v);
  if (t.empty()) return std::nullopt;
  return std::string(t);
}

}  // namespace

std::string_view canonical_key_name(CanonicalKey key) { return kKeyNames[static_cast<int>(key)]; }

std::optional<CanonicalKey> find_canonical_key(std::string_view name) {
  name = trim(name);
  for (int i = 0; i < kCanonicalKeyCount; ++i)
    if (iequals(name, kKeyNames[i])) return static_cast<CanonicalKey>(i);
  return std::nullopt;
}

bool canonical_key_required(CanonicalKey key) {
  return key == CanonicalKey::Received || key == CanonicalKey::Direction ||
         key == CanonicalKey::Sender || key == CanonicalKey::Recipient;
}

bool make_canonical_trace(const CanonicalFields& f, const ReaderOptions& options, Trace& t,
                          std::string& reason) {
  for (int i = 0; i < kCanonicalKeyCount; ++i) {
    const auto& v = f[i];
    auto key = static_cast<CanonicalKey>(i);
    if (!v) {
      if (canonical_key_required(key)) {
        reason = "missing " + std::string(kKeyNames[i]);
        return false;
      }
      continue;
    }
    if (v->size() > kMaxFieldBytes) {
      reason = "field " + std::string(kKeyNames[i]) + " longer than " +
               std::to_string(kMaxFieldBytes) + " bytes";
      return false;
    }
    if (!valid_utf8(*v)) {
      reason = "invalid UTF-8 in " + std::string(kKeyNames[i]);
      return false;
    }
  }

  auto get = [&](CanonicalKey k) -> std::string_view {
    const auto& v = f[static_cast<int>(k)];
    return v ? trim(*v) : std::string_view{};
  };

  std::string_view received = get(CanonicalKey::Received);
  auto instant = parse_instant(received);
  if (!instant) {
    reason = "bad timestamp in received: " + quoted_excerpt(received);
    return false;
  }
  t.received = *instant;
  if (!has_utc_offset(received)) t.received -= options.utc_offset_seconds;

  std::string_view direction = get(CanonicalKey::Direction);
  auto dir = parse_direction(direction);
  if (!dir) {
    reason = "unknown direction: " + quoted_excerpt(direction);
    return false;
  }
  t.direction = *dir;

  std::string_view tls = get(CanonicalKey::Tls);
  auto version = parse_tls(tls);
  if (!version) {
    reason = "bad TLS value: " + quoted_excerpt(tls);
    return false;
  }
  t.tls = *version;

  std::string_view size = get(CanonicalKey::Size);
  t.size = 0;
  if (!size.empty()) {
    auto [end, ec] = std::from_chars(size.data(), size.data() + size.size(), t.size);
    if (ec != std::errc() || end != size.data() + size.size() || t.size < 0) {
      reason = ec == std::errc::result_out_of_range ? "size out of range (over 1 TiB): " + quoted_excerpt(size)
                                                    : "bad size: " + quoted_excerpt(size);
      return false;
    }
    if (t.size > kMaxMessageSize) {
      reason = "size out of range (over 1 TiB): " + quoted_excerpt(size);
      return false;
    }
  }

  std::string_view status = get(CanonicalKey::Status);
  if (status.empty()) {
    t.status = "Delivered";
  } else {
    t.status.assign(status);
    for (std::string_view known : kKnownStatuses)
      if (iequals(status, known)) t.status.assign(known);
  }

  t.connector = optional_text(f[static_cast<int>(CanonicalKey::Connector)]);
  t.cipher = optional_text(f[static_cast<int>(CanonicalKey::Cipher)]);
  t.sender.assign(get(CanonicalKey::Sender));
  t.recipient.assign(get(CanonicalKey::Recipient));
  t.remote_host = optional_text(f[static_cast<int>(CanonicalKey::RemoteHost)]);
  t.remote_ip = optional_text(f[static_cast<int>(CanonicalKey::RemoteIp)]);
  t.message_id = optional_text(f[static_cast<int>(CanonicalKey::MessageId)]);
  return true;
}

}  // namespace mailflow
