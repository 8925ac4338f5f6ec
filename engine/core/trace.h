// The trace model of SPEC section 4: one message crossing the organisation's
// boundary over one SMTP connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace mailflow {

enum class Direction : int { Inbound = 0, Outbound = 1 };

// Stored as these integers; the order of the enumerators is the report order
// (strongest first) only through kTlsReportOrder below. Unknown: the source
// did not record the TLS of the connection (message tracking, Exchange Online
// traces); it is never counted as plain text, and reports keep it apart from
// the known versions.
enum class TlsVersion : int { Unknown = -1, None = 0, Tls10 = 10, Tls11 = 11, Tls12 = 12, Tls13 = 13 };

// TLS1.3, TLS1.2, TLS1.1, TLS1.0, None: the known versions in the order
// reports list them (Unknown, where a report shows it, comes last).
inline constexpr TlsVersion kTlsReportOrder[] = {TlsVersion::Tls13, TlsVersion::Tls12,
                                                 TlsVersion::Tls11, TlsVersion::Tls10,
                                                 TlsVersion::None};

std::string_view direction_name(Direction d);  // "Inbound" / "Outbound"
std::optional<Direction> parse_direction(std::string_view text);  // case-insensitive
std::string_view tls_name(TlsVersion v);        // "None", "TLS1.0" ... "TLS1.3", "Unknown"
// Every TLS value a trace may carry, by name: None, TLS1.0, TLS1.1, TLS1.2,
// TLS1.3, Unknown. The one list that -TlsVersion, completion and Lua's
// mailflow.tls_versions read.
inline constexpr TlsVersion kTlsValues[] = {TlsVersion::None,  TlsVersion::Tls10, TlsVersion::Tls11,
                                            TlsVersion::Tls12, TlsVersion::Tls13, TlsVersion::Unknown};
std::vector<std::string> tls_version_names();
// Accepts None, TLS1.0..TLS1.3, TLSv1, TLSv1.0..TLSv1.3, 1.0..1.3 and Unknown
// (case-insensitive); an empty string is None.
std::optional<TlsVersion> parse_tls(std::string_view text);

// The peer certificate's trust, where the log says it (SPEC section 4 TlsTrust).
enum class TlsTrust : int { Anonymous, Untrusted, Trusted, Verified };

std::string_view tls_trust_name(TlsTrust t);  // "Anonymous" ... "Verified"
// Anonymous, Untrusted, Trusted, Verified, case-insensitive; nullopt otherwise.
std::optional<TlsTrust> parse_tls_trust(std::string_view text);

struct Trace {
  UnixSeconds received = 0;
  Direction direction = Direction::Inbound;
  std::optional<std::string> connector;
  TlsVersion tls = TlsVersion::None;
  std::optional<TlsTrust> tls_trust;
  std::optional<std::string> cipher;
  std::string sender;
  std::string recipient;
  std::optional<std::string> remote_host;
  std::optional<std::string> remote_ip;
  std::int64_t size = 0;
  std::string status = "Delivered";
  std::optional<std::string> message_id;
};

// A session the server refused (Postfix "NOQUEUE: reject: ..."): stored in
// refused_connections and listed by Get-RefusedConnection.
struct RefusedConnection {
  UnixSeconds time = 0;
  std::optional<std::string> client_host;
  std::optional<std::string> client_ip;
  std::optional<std::string> sender;
  std::optional<std::string> recipient;
  std::string reason;
};

}  // namespace mailflow
