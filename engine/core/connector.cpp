#include "core/connector.h"

#include <algorithm>

#include "core/error.h"
#include "core/text.h"

namespace mailflow {

void validate_connector(const Connector& c) {
  if (!iequals(c.connector_type, "Partner") && !iequals(c.connector_type, "OnPremises"))
    throw Error("InvalidConnector", "connector '" + c.name + "': -ConnectorType must be Partner or OnPremises, not '" +
                                        c.connector_type + "'");
  if (c.direction == Direction::Inbound) {
    if (c.sender_domains.empty() && c.sender_ips.empty() && !c.tls_sender_certificate_name)
      throw Error("InvalidConnector", "inbound connector '" + c.name +
                                          "' matches no traffic: give -SenderIPAddresses, -SenderDomains or "
                                          "-TlsSenderCertificateName");
  } else if (c.recipient_domains.empty() && c.smart_hosts.empty()) {
    throw Error("InvalidConnector", "outbound connector '" + c.name +
                                        "' matches no traffic: give -RecipientDomains or -SmartHosts");
  }
}

std::vector<IpRange> parse_ip_ranges(const std::vector<std::string>& values, const std::string& parameter) {
  std::vector<IpRange> out;
  for (const std::string& v : values) {
    if (trim(v).empty()) continue;
    std::string why;
    auto r = parse_ip_range(v, &why);
    if (!r) throw Error("InvalidParameter", "-" + parameter + ": " + why);
    out.push_back(*r);
  }
  return out;
}

std::vector<DomainPattern> parse_domain_patterns(const std::vector<std::string>& values,
                                                 const std::string& parameter) {
  std::vector<DomainPattern> out;
  for (const std::string& v : values) {
    if (trim(v).empty()) continue;
    std::string why;
    auto p = parse_domain_pattern(v, &why);
    if (!p) throw Error("InvalidParameter", "-" + parameter + ": " + why);
    out.push_back(*p);
  }
  return out;
}

std::vector<std::string> parse_smart_hosts(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const std::string& v : values) {
    std::string_view h = trim(v);
    if (h.empty()) continue;
    // "[mx.example]:25" and "mx.example:25" name the host mx.example.
    if (h.front() == '[') {
      size_t close = h.find(']');
      if (close != std::string_view::npos) h = h.substr(1, close - 1);
    } else if (std::count(h.begin(), h.end(), ':') == 1) {
      h = h.substr(0, h.find(':'));
    }
    if (h.empty() || h.find_first_of(" ,;@") != std::string_view::npos)
      throw Error("InvalidParameter", "-SmartHosts: '" + v + "' is not a host name or IP address");
    out.push_back(to_lower(h));
  }
  return out;
}

}  // namespace mailflow
