#include "core/trace.h"

#include "core/text.h"

namespace mailflow {

std::string_view direction_name(Direction d) {
  return d == Direction::Inbound ? "Inbound" : "Outbound";
}

std::optional<Direction> parse_direction(std::string_view text) {
  if (iequals(text, "Inbound")) return Direction::Inbound;
  if (iequals(text, "Outbound")) return Direction::Outbound;
  return std::nullopt;
}

std::string_view tls_name(TlsVersion v) {
  switch (v) {
    case TlsVersion::None: return "None";
    case TlsVersion::Tls10: return "TLS1.0";
    case TlsVersion::Tls11: return "TLS1.1";
    case TlsVersion::Tls12: return "TLS1.2";
    case TlsVersion::Tls13: return "TLS1.3";
    case TlsVersion::Unknown: return "Unknown";
  }
  return "None";
}

std::vector<std::string> tls_version_names() {
  std::vector<std::string> out;
  for (TlsVersion v : kTlsValues) out.emplace_back(tls_name(v));
  return out;
}

std::optional<TlsVersion> parse_tls(std::string_view text) {
  std::string t = to_lower(trim(text));
  if (t.empty() || t == "none") return TlsVersion::None;
  if (t == "unknown") return TlsVersion::Unknown;
  std::string_view v = t;
  if (v.starts_with("tlsv")) v.remove_prefix(4);
  else if (v.starts_with("tls")) v.remove_prefix(3);
  if (v == "1" || v == "1.0") return TlsVersion::Tls10;
  if (v == "1.1") return TlsVersion::Tls11;
  if (v == "1.2") return TlsVersion::Tls12;
  if (v == "1.3") return TlsVersion::Tls13;
  return std::nullopt;
}

std::string_view tls_trust_name(TlsTrust t) {
  switch (t) {
    case TlsTrust::Anonymous: return "Anonymous";
    case TlsTrust::Untrusted: return "Untrusted";
    case TlsTrust::Trusted: return "Trusted";
    case TlsTrust::Verified: return "Verified";
  }
  return "Anonymous";
}

std::optional<TlsTrust> parse_tls_trust(std::string_view text) {
  for (TlsTrust t : {TlsTrust::Anonymous, TlsTrust::Untrusted, TlsTrust::Trusted, TlsTrust::Verified})
    if (iequals(trim(text), tls_trust_name(t))) return t;
  return std::nullopt;
}

}  // namespace mailflow
