// TLS readiness report rows (issue #15) as pipeline records, with the
// property names and order of SPEC 5. Shared by the cmdlets and by
// Export-MailFlowReport's tests of the same rows.
#pragma once

#include <string>
#include <vector>

#include "core/value.h"
#include "reports/smtp_auth_report.h"
#include "reports/tls_failure_report.h"
#include "reports/tls_readiness.h"

namespace mailflow {

// Each row's columns, declared once (as in cmdlets/report_records.h): the
// records below are built with them and the cmdlets declare them as outputs.
inline const std::vector<std::string> kTlsPeerColumns = {"Direction", "Peer",  "Messages", "Tls13",
                                                         "Tls12",     "Tls11", "Tls10",    "NoTls",
                                                         "Unknown",   "LowestVersion", "FirstSeen", "LastSeen"};
inline const std::vector<std::string> kTlsPolicyColumns = {"Direction", "Connector", "Messages",
                                                           "AtRisk",    "Percent",   "Peers"};
inline const std::vector<std::string> kTlsFailureColumns = {"Time", "Direction", "Peer", "PeerIP", "Reason", "Text"};
inline const std::vector<std::string> kTlsFailureGroupColumns = {"Direction", "Key", "Failures"};
inline const std::vector<std::string> kSmtpAuthClientColumns = {"User",  "Messages", "Tls13", "Tls12",
                                                                "Tls11", "Tls10",    "NoTls", "LowestVersion"};
// Without -ByConnector a row has no Connector column.
inline const std::vector<std::string> kTlsTrustColumns = {"Direction", "Connector", "TlsTrust", "Messages",
                                                          "Percent"};

// Direction, Peer, Messages, Tls13, Tls12, Tls11, Tls10, NoTls, Unknown, LowestVersion, FirstSeen, LastSeen.
std::vector<Value> tls_peer_records(const std::vector<TlsPeerRow>& rows);
// Direction, Connector, Messages, AtRisk, Percent, Peers (an array of peers at risk).
std::vector<Value> tls_policy_records(const std::vector<TlsPolicyRow>& rows);
// Time, Direction, Peer, PeerIP, Reason, Text.
std::vector<Value> tls_failure_records(const std::vector<StoredTlsFailure>& rows);
// Direction, Key, Failures.
std::vector<Value> tls_failure_group_records(const std::vector<TlsFailureGroupRow>& rows);
// User, Messages, Tls13, Tls12, Tls11, Tls10, NoTls, LowestVersion.
std::vector<Value> smtp_auth_client_records(const std::vector<SmtpAuthClientRow>& rows);
// Direction, [Connector,] TlsTrust, Messages, Percent.
std::vector<Value> tls_trust_records(const std::vector<TlsTrustRow>& rows, bool by_connector);

}  // namespace mailflow
