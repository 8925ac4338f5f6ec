// Values as Exchange and its PowerShell cmdlets write them, shared by the
// Exchange readers: times, header names, recipient lists, connector ids.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace mailflow {

// A time as Exchange logs and exports write it:
//   2026-11-18T09:00:02.151Z            log files, historical search reports, ConvertTo-Json in PS 7
//   2026-11-19T08:02:11.4830000Z        (any number of fraction digits)
//   11/17/2026 2:55:12 AM               Export-Csv in an en-US session (also 24-hour "14:55:12")
//   \/Date(1795075331483)\/  /Date(…)/  ConvertTo-Json in Windows PowerShell 5.1, OData verbose JSON
// A time without an offset (the Export-Csv form) is local time at
// `utc_offset_seconds` east of UTC (-TimeZone).
std::optional<UnixSeconds> parse_exchange_time(std::string_view text, int utc_offset_seconds);

// A header or JSON key reduced for matching: lower case without '-', '_' and
// spaces, so "recipient-address", "recipient_address" and "RecipientAddress" meet.
std::string header_key(std::string_view name);

// "a@x;b@y" (also with spaces or commas after ';') -> {"a@x", "b@y"}; empties dropped.
std::vector<std::string> split_recipients(std::string_view list);

// "EXEDGE01\Default internal receive connector EXEDGE01" -> "Default internal
// receive connector EXEDGE01": the same connector on several servers is one.
std::string_view connector_name(std::string_view connector_id);

// The SMTP session a tracking row belongs to: source-context starts with the
// session id ("08DE2D1A3F5B7C21;2026-11-18T10:15:02.500Z;0",
// "08DE2D1A3F5B7C07;250 2.0.0 Ok: queued as …"). Empty when it does not.
std::string_view session_id_of(std::string_view source_context);

// The key a tracking row and a protocol-log session share:
// "<connector-id in lower case>|<session id>".
std::string session_key(std::string_view connector_id, std::string_view session_id);

// A send that the Transport service proxied through the Front End Transport
// service (a Send connector with -FrontEndProxyEnabled): the connection that
// crossed the boundary is the front end's, whose SmtpSend session names the
// Transport service's session H ("attempting to connect. Outbound proxy from
// EXMBX13.contoso.com with session id H. Proxied session id R"). The tracking
// row of the send and that front-end session meet under this key:
// "outbound proxy|H".
std::string outbound_proxy_key(std::string_view transport_session_id);

// One value of a tracking row's custom-data ("S:Key=Value;S:Key2=Value2", the
// event data Exchange adds to an event): the value of `key`, empty when absent.
std::string_view custom_data_value(std::string_view custom_data, std::string_view key);

// Export-Csv writes a string[] property as its type name.
inline bool is_exported_array_type(std::string_view v) { return v == "System.String[]"; }

}  // namespace mailflow
