// Registered domains come from the Public Suffix List (libpsl), so
// multi-label suffixes are handled without a hand-written table.
#include <gtest/gtest.h>

#include "core/registered_domain.h"

namespace mailflow {

TEST(RegisteredDomain, HostNamesUnderTheirRegisteredDomain) {
  EXPECT_EQ(registered_domain("mx1.mail.fabrikam.com"), "fabrikam.com");
  EXPECT_EQ(registered_domain("fabrikam.com"), "fabrikam.com");
  EXPECT_EQ(registered_domain("MX.Example.CO.UK."), "example.co.uk");
  EXPECT_EQ(registered_domain("mail.tailspin.com.au"), "tailspin.com.au");
  EXPECT_EQ(registered_domain("smtp.relay.example.co.jp"), "example.co.jp");
  EXPECT_EQ(registered_domain("a.b.c.kommune.no"), "c.kommune.no");  // wildcard-free three-label suffix
}

TEST(RegisteredDomain, NotHostNames) {
  EXPECT_EQ(registered_domain(""), std::nullopt);
  EXPECT_EQ(registered_domain("unknown"), std::nullopt);  // Postfix: no reverse DNS
  EXPECT_EQ(registered_domain("203.0.113.25"), std::nullopt);
  EXPECT_EQ(registered_domain("2001:db8::25"), std::nullopt);
  EXPECT_EQ(registered_domain("co.uk"), std::nullopt);  // a public suffix itself
}

TEST(RegisteredDomain, PeerNamesGroupNamelessHostsByIp) {
  PeerNames named = peer_names(std::string("MX2.Mail.Fabrikam.com"), std::string("203.0.113.25"));
  EXPECT_EQ(named.domain, "fabrikam.com");
  EXPECT_EQ(named.host, "mx2.mail.fabrikam.com");
  EXPECT_EQ(named.ip, "203.0.113.25");
  PeerNames nameless = peer_names(std::string("unknown"), std::string("198.51.100.7"));
  EXPECT_EQ(nameless.domain, "198.51.100.7");
  EXPECT_EQ(nameless.host, "");
  PeerNames nothing = peer_names(std::nullopt, std::nullopt);
  EXPECT_EQ(nothing.domain, "");
  PeerNames suffix_only = peer_names(std::string("co.uk"), std::nullopt);
  EXPECT_EQ(suffix_only.domain, "co.uk");
}

}  // namespace mailflow
