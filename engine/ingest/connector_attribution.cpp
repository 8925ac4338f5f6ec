#include "ingest/connector_attribution.h"

#include <algorithm>

#include "core/text.h"

namespace mailflow {

ConnectorAttribution::ConnectorAttribution(std::vector<Connector> connectors) {
  std::stable_sort(connectors.begin(), connectors.end(), [](const Connector& a, const Connector& b) {
    if (a.created != b.created) return a.created < b.created;
    return icompare(a.name, b.name) < 0;
  });
  for (Connector& c : connectors) {
    if (!c.enabled) continue;
    (c.direction == Direction::Inbound ? inbound_ : outbound_).push_back(std::move(c));
  }
}

std::optional<std::string> ConnectorAttribution::attribute(const Trace& t) const {
  return t.direction == Direction::Inbound ? inbound(t) : outbound(t);
}

std::optional<std::string> ConnectorAttribution::inbound(const Trace& t) const {
  if (t.remote_ip) {
    if (auto ip = parse_ip(*t.remote_ip)) {
      const Connector* best = nullptr;
      int best_rank = -1;
      for (const Connector& c : inbound_)
        for (const IpRange& r : c.sender_ips)
          if (r.specificity() > best_rank && r.contains(*ip)) {
            best = &c;
            best_rank = r.specificity();
          }
      if (best) return best->name;
    }
  }
  std::string domain = address_domain(t.sender);
  if (domain.empty()) return std::nullopt;
  const Connector* best = nullptr;
  int best_rank = -1;
  for (const Connector& c : inbound_)
    for (const DomainPattern& p : c.sender_domains)
      if (p.specificity() > best_rank && p.matches(domain)) {
        best = &c;
        best_rank = p.specificity();
      }
  if (best) return best->name;
  return std::nullopt;
}

std::optional<std::string> ConnectorAttribution::outbound(const Trace& t) const {
  std::string host = t.remote_host ? to_lower(*t.remote_host) : std::string();
  std::string ip = t.remote_ip ? to_lower(*t.remote_ip) : std::string();
  for (const Connector& c : outbound_)
    for (const std::string& h : c.smart_hosts)
      if ((!host.empty() && h == host) || (!ip.empty() && h == ip)) return c.name;
  const Connector* best = nullptr;
  int best_rank = -1;
  for (const std::string& rcpt : trace_recipients(t.recipient)) {
    std::string domain = address_domain(rcpt);
    if (domain.empty()) continue;
    for (const Connector& c : outbound_)
      for (const DomainPattern& p : c.recipient_domains)
        if (p.specificity() > best_rank && p.matches(domain)) {
          best = &c;
          best_rank = p.specificity();
        }
  }
  if (best) return best->name;
  return std::nullopt;
}

std::vector<std::string> trace_recipients(const std::string& field) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= field.size()) {
    size_t end = field.find(';', start);
    if (end == std::string::npos) end = field.size();
    std::string_view part = trim(std::string_view(field).substr(start, end - start));
    if (!part.empty()) out.emplace_back(part);
    start = end + 1;
  }
  return out;
}

}  // namespace mailflow
