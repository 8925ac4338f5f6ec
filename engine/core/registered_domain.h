// The registered domain of a host name ("mx1.mail.fabrikam.com" ->
// "fabrikam.com", "mx.example.co.uk" -> "example.co.uk"): the public suffix
// plus one label, from the Public Suffix List through libpsl (Debian's
// publicsuffix package, never a hand-written table). The TLS peer reports
// group a peer's hosts under it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mailflow {

// Lower-cased registered domain of `host` (a trailing dot is ignored).
// nullopt when `host` is not a host name: empty, an IP address, Postfix's
// "unknown" (no reverse DNS), or a name that is itself a public suffix.
std::optional<std::string> registered_domain(std::string_view host);

// The peer names a trace or a failed handshake is grouped by. `host` is
// nullopt when the log gave no name (or Postfix's "unknown"); `domain` falls
// back to the IP when there is no name (hosts without a name are grouped by
// IP), and to the host itself when it has no registered domain.
struct PeerNames {
  std::string domain;  // "" only when neither a name nor an IP is known
  std::string host;    // lower case, "" when no name
  std::string ip;      // "" when not known
};
PeerNames peer_names(const std::optional<std::string>& host, const std::optional<std::string>& ip);

}  // namespace mailflow
