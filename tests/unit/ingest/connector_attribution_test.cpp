#include "ingest/connector_attribution.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace mailflow {
namespace {

Connector inbound(std::string name, std::vector<std::string> ips, std::vector<std::string> domains,
                  UnixSeconds created = 0) {
  Connector c;
  c.name = std::move(name);
  c.direction = Direction::Inbound;
  c.sender_ips = parse_ip_ranges(ips, "SenderIPAddresses");
  c.sender_domains = parse_domain_patterns(domains, "SenderDomains");
  c.created = created;
  return c;
}

Connector outbound(std::string name, std::vector<std::string> hosts, std::vector<std::string> domains) {
  Connector c;
  c.name = std::move(name);
  c.direction = Direction::Outbound;
  c.smart_hosts = parse_smart_hosts(hosts);
  c.recipient_domains = parse_domain_patterns(domains, "RecipientDomains");
  return c;
}

Trace in_trace(const char* ip, const char* sender) {
  Trace t;
  t.direction = Direction::Inbound;
  t.remote_ip = ip;
  t.sender = sender;
  t.recipient = "alice@contoso.com";
  return t;
}

Trace out_trace(const char* host, const char* ip, const char* recipients) {
  Trace t;
  t.direction = Direction::Outbound;
  t.remote_host = host;
  t.remote_ip = ip;
  t.sender = "alice@contoso.com";
  t.recipient = recipients;
  return t;
}

TEST(ConnectorAttribution, InboundIpBeforeDomain) {
  ConnectorAttribution a({inbound("ByDomain", {}, {"fabrikam.example"}), inbound("ByIp", {"192.0.2.0/24"}, {})});
  EXPECT_EQ(a.attribute(in_trace("192.0.2.10", "sam@fabrikam.example")), "ByIp");
  EXPECT_EQ(a.attribute(in_trace("198.51.100.1", "sam@fabrikam.example")), "ByDomain");
  EXPECT_EQ(a.attribute(in_trace("198.51.100.1", "x@other.example")), std::nullopt);
}

TEST(ConnectorAttribution, MostSpecificRangeWins) {
  ConnectorAttribution a({inbound("Wide", {"10.0.0.0/8"}, {}), inbound("Narrow", {"10.1.2.0/24"}, {}),
                          inbound("V6", {"2001:db8::/32"}, {}), inbound("V6Host", {"2001:db8::25"}, {})});
  EXPECT_EQ(a.attribute(in_trace("10.1.2.3", "")), "Narrow");
  EXPECT_EQ(a.attribute(in_trace("10.9.9.9", "")), "Wide");
  EXPECT_EQ(a.attribute(in_trace("2001:db8::25", "")), "V6Host");
  EXPECT_EQ(a.attribute(in_trace("2001:db8::26", "")), "V6");
}

TEST(ConnectorAttribution, ExactDomainBeforeWildcard) {
  ConnectorAttribution a({inbound("Any", {}, {"*"}), inbound("Wild", {}, {"*.fabrikam.example"}),
                          inbound("Exact", {}, {"eu.fabrikam.example"})});
  EXPECT_EQ(a.attribute(in_trace("203.0.113.1", "sam@eu.fabrikam.example")), "Exact");
  EXPECT_EQ(a.attribute(in_trace("203.0.113.1", "sam@us.fabrikam.example")), "Wild");
  EXPECT_EQ(a.attribute(in_trace("203.0.113.1", "sam@fabrikam.example")), "Any");  // *.x is not x
  EXPECT_EQ(a.attribute(in_trace("203.0.113.1", "")), std::nullopt);                 // null sender
}

TEST(ConnectorAttribution, DisabledConnectorsAreSkipped) {
  Connector off = inbound("Off", {"192.0.2.0/24"}, {});
  off.enabled = false;
  ConnectorAttribution a({off, inbound("On", {}, {"fabrikam.example"})});
  EXPECT_EQ(a.attribute(in_trace("192.0.2.1", "sam@fabrikam.example")), "On");
  EXPECT_EQ(a.attribute(in_trace("192.0.2.1", "sam@other.example")), std::nullopt);
}

TEST(ConnectorAttribution, TiesGoToTheOlderConnector) {
  ConnectorAttribution a({inbound("Newer", {"192.0.2.0/24"}, {}, 200), inbound("Older", {"192.0.2.0/24"}, {}, 100)});
  EXPECT_EQ(a.attribute(in_trace("192.0.2.1", "")), "Older");
}

TEST(ConnectorAttribution, OutboundSmartHostBeforeDomain) {
  ConnectorAttribution a({outbound("ByDomain", {}, {"fabrikam.example"}),
                          outbound("ViaRelay", {"[SmartHost.Relay.example]:25"}, {}),
                          outbound("ViaIp", {"198.51.100.7"}, {})});
  EXPECT_EQ(a.attribute(out_trace("smarthost.relay.example", "192.0.2.9", "sam@fabrikam.example")), "ViaRelay");
  EXPECT_EQ(a.attribute(out_trace("mx.fabrikam.example", "198.51.100.7", "sam@fabrikam.example")), "ViaIp");
  EXPECT_EQ(a.attribute(out_trace("mx.fabrikam.example", "192.0.2.9", "sam@fabrikam.example")), "ByDomain");
  EXPECT_EQ(a.attribute(out_trace("mx.other.example", "192.0.2.9", "x@other.example")), std::nullopt);
}

TEST(ConnectorAttribution, OutboundWildcardsAndSeveralRecipients) {
  ConnectorAttribution a({outbound("Wild", {}, {"*.fabrikam.example"}), outbound("Exact", {}, {"eu.fabrikam.example"})});
  EXPECT_EQ(a.attribute(out_trace("mx", "192.0.2.9", "a@us.fabrikam.example")), "Wild");
  EXPECT_EQ(a.attribute(out_trace("mx", "192.0.2.9", "a@us.fabrikam.example;b@eu.fabrikam.example")), "Exact");
}

TEST(ConnectorAttribution, DirectionsDoNotMix) {
  ConnectorAttribution a({outbound("Out", {}, {"fabrikam.example"})});
  EXPECT_EQ(a.attribute(in_trace("192.0.2.1", "sam@fabrikam.example")), std::nullopt);
}

TEST(Connector, ValidationNamesTheProblem) {
  Connector c;
  c.name = "Empty";
  try {
    validate_connector(c);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("Empty"), std::string::npos);
  }
  c.direction = Direction::Outbound;
  EXPECT_THROW(validate_connector(c), Error);
  c.smart_hosts = {"relay.example"};
  EXPECT_NO_THROW(validate_connector(c));
  c.connector_type = "Internet";
  EXPECT_THROW(validate_connector(c), Error);
  EXPECT_THROW(parse_ip_ranges({"10.0.0.0/8", "10.0.0.1/8"}, "SenderIPAddresses"), Error);
  EXPECT_THROW(parse_domain_patterns({"bad domain"}, "SenderDomains"), Error);
  EXPECT_THROW(parse_smart_hosts({"a@b"}), Error);
}

}  // namespace
}  // namespace mailflow
