// A connector definition (Exchange Online's inbound and outbound connectors),
// as the store keeps it and attribution reads it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/net_match.h"
#include "core/time.h"
#include "core/trace.h"

namespace mailflow {

struct Connector {
  std::string name;
  Direction direction = Direction::Inbound;  // an inbound or an outbound connector
  std::string connector_type = "Partner";    // Partner / OnPremises
  bool enabled = true;
  bool require_tls = false;
  std::optional<std::string> comment;
  // Inbound match criteria.
  std::vector<DomainPattern> sender_domains;
  std::vector<IpRange> sender_ips;
  std::optional<std::string> tls_sender_certificate_name;
  // Outbound match criteria.
  std::vector<DomainPattern> recipient_domains;
  std::vector<std::string> smart_hosts;  // host names or IP literals, lower case
  UnixSeconds created = 0;
};

// Throws Error("InvalidConnector") naming the connector when it has nothing
// to match traffic by (inbound: no SenderDomains, SenderIPAddresses or
// TlsSenderCertificateName; outbound: no RecipientDomains or SmartHosts), or
// a bad ConnectorType.
void validate_connector(const Connector& c);

// Parses the values of -SenderIPAddresses / -SenderDomains / -SmartHosts;
// throws Error("InvalidParameter") naming `parameter` and the bad value.
std::vector<IpRange> parse_ip_ranges(const std::vector<std::string>& values, const std::string& parameter);
std::vector<DomainPattern> parse_domain_patterns(const std::vector<std::string>& values,
                                                 const std::string& parameter);
std::vector<std::string> parse_smart_hosts(const std::vector<std::string>& values);

}  // namespace mailflow
