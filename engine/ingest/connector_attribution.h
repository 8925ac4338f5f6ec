// Which connector a trace belongs to, for log formats that do not name it.
// The order (also in `Get-Help about_Connectors`):
//   Inbound:  the enabled inbound connector whose SenderIPAddresses contain
//             the remote IP, the most specific range first; else the one
//             whose SenderDomains match the sender's domain, an exact domain
//             before a wildcard (the longer wildcard first); else none.
//   Outbound: the enabled outbound connector one of whose SmartHosts equals
//             the relay host (name or IP); else the one whose
//             RecipientDomains match a recipient's domain, exact before
//             wildcard; else none.
// Ties between connectors go to the one created first, then by name.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/connector.h"
#include "core/trace.h"

namespace mailflow {

class ConnectorAttribution {
 public:
  explicit ConnectorAttribution(std::vector<Connector> connectors);

  // The connector name for `trace`, or nullopt for traffic without one.
  std::optional<std::string> attribute(const Trace& trace) const;
  bool empty() const { return inbound_.empty() && outbound_.empty(); }

 private:
  std::optional<std::string> inbound(const Trace& trace) const;
  std::optional<std::string> outbound(const Trace& trace) const;

  std::vector<Connector> inbound_;   // enabled only, in tie-break order
  std::vector<Connector> outbound_;
};

// The recipients of a trace: RecipientAddress may list several, separated
// by ';' (a Postfix message delivered to several recipients over one
// connection is one record).
std::vector<std::string> trace_recipients(const std::string& recipient_field);

}  // namespace mailflow
