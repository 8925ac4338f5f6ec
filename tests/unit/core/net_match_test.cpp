#include "core/net_match.h"

#include <gtest/gtest.h>

namespace mailflow {
namespace {

IpRange range(const char* text) {
  std::string error;
  auto r = parse_ip_range(text, &error);
  EXPECT_TRUE(r.has_value()) << text << ": " << error;
  return r.value_or(IpRange{});
}
IpAddress ip(const char* text) {
  auto a = parse_ip(text);
  EXPECT_TRUE(a.has_value()) << text;
  return a.value_or(IpAddress{});
}

TEST(NetMatch, ParsesAndFormatsAddresses) {
  EXPECT_EQ(format_ip(ip("192.0.2.7")), "192.0.2.7");
  EXPECT_EQ(format_ip(ip("2001:DB8:0:0:0:0:0:1")), "2001:db8::1");
  EXPECT_EQ(format_ip(ip("::1")), "::1");
  EXPECT_EQ(format_ip(ip("[2001:db8::5]")), "2001:db8::5");
  EXPECT_EQ(format_ip(ip("ipv6:fe80::1")), "fe80::1");
  EXPECT_EQ(format_ip(ip("::ffff:192.0.2.7")), "192.0.2.7");  // mapped v4 is v4
  EXPECT_EQ(format_ip(ip("2001:db8:1:0:0:1:0:0")), "2001:db8:1::1:0:0");
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1::2::3", "2001:db8:::1",
                          "12345::", "g::1", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:", "unknown"})
    EXPECT_FALSE(parse_ip(bad).has_value()) << bad;
}

TEST(NetMatch, Ipv4Cidr) {
  IpRange r = range("10.0.0.0/8");
  EXPECT_TRUE(r.contains(ip("10.200.3.4")));
  EXPECT_FALSE(r.contains(ip("11.0.0.1")));
  EXPECT_TRUE(range("0.0.0.0/0").contains(ip("203.0.113.9")));
  EXPECT_FALSE(range("0.0.0.0/0").contains(ip("2001:db8::1")));  // a v4 range holds no v6 address
  EXPECT_TRUE(range("192.0.2.7").contains(ip("192.0.2.7")));
  EXPECT_FALSE(range("192.0.2.7").contains(ip("192.0.2.8")));
  EXPECT_TRUE(range("198.51.100.128/25").contains(ip("198.51.100.200")));
  EXPECT_FALSE(range("198.51.100.128/25").contains(ip("198.51.100.127")));
  EXPECT_TRUE(range("10.0.0.0/8").contains(ip("::ffff:10.1.2.3")));
  EXPECT_EQ(format_ip_range(range("192.0.2.7")), "192.0.2.7/32");
}

TEST(NetMatch, Ipv6Cidr) {
  IpRange r = range("2001:db8::/32");
  EXPECT_TRUE(r.contains(ip("2001:db8:ffff::1")));
  EXPECT_FALSE(r.contains(ip("2001:db9::1")));
  EXPECT_FALSE(r.contains(ip("192.0.2.1")));
  EXPECT_TRUE(range("::1/128").contains(ip("::1")));
  EXPECT_TRUE(range("2001:db8:0:2::/63").contains(ip("2001:db8:0:3:ffff::")));
  EXPECT_FALSE(range("2001:db8:0:2::/63").contains(ip("2001:db8:0:1::")));
  EXPECT_TRUE(range("::/0").contains(ip("fe80::1")));
}

TEST(NetMatch, SpecificityAcrossFamilies) {
  EXPECT_GT(range("10.1.0.0/16").specificity(), range("10.0.0.0/8").specificity());
  EXPECT_EQ(range("10.0.0.0/24").specificity(), range("2001:db8::/120").specificity());
}

TEST(NetMatch, BadRangesSayWhy) {
  std::string error;
  EXPECT_FALSE(parse_ip_range("10.0.0.1/8", &error));
  EXPECT_NE(error.find("host bits"), std::string::npos) << error;
  EXPECT_NE(error.find("10.0.0.0/8"), std::string::npos) << error;
  EXPECT_FALSE(parse_ip_range("10.0.0.0/33", &error));
  EXPECT_NE(error.find("longer than the address"), std::string::npos) << error;
  EXPECT_FALSE(parse_ip_range("2001:db8::/129", &error));
  EXPECT_FALSE(parse_ip_range("10.0.0.0/", &error));
  EXPECT_FALSE(parse_ip_range("10.0.0.0/x", &error));
  EXPECT_FALSE(parse_ip_range("mail.contoso.com", &error));
  EXPECT_NE(error.find("mail.contoso.com"), std::string::npos);
}

TEST(NetMatch, DomainPatterns) {
  auto exact = parse_domain_pattern("Contoso.com");
  ASSERT_TRUE(exact);
  EXPECT_TRUE(exact->matches("contoso.COM"));
  EXPECT_FALSE(exact->matches("mail.contoso.com"));
  auto wild = parse_domain_pattern("*.contoso.com");
  ASSERT_TRUE(wild);
  EXPECT_TRUE(wild->matches("mail.contoso.com"));
  EXPECT_TRUE(wild->matches("a.b.CONTOSO.com"));
  EXPECT_FALSE(wild->matches("contoso.com"));
  EXPECT_FALSE(wild->matches("evilcontoso.com"));
  auto any = parse_domain_pattern("*");
  ASSERT_TRUE(any);
  EXPECT_TRUE(any->matches("fabrikam.example"));
  EXPECT_GT(exact->specificity(), wild->specificity());
  EXPECT_GT(parse_domain_pattern("*.eu.contoso.com")->specificity(), wild->specificity());
  EXPECT_GT(wild->specificity(), any->specificity());
  EXPECT_EQ(format_domain_pattern(*wild), "*.contoso.com");
  std::string error;
  for (const char* bad : {"", "*.", "contoso..com", "con toso.com", "*contoso.com", "user@contoso.com", ".contoso.com"}) {
    EXPECT_FALSE(parse_domain_pattern(bad, &error)) << bad;
  }
}

TEST(NetMatch, AddressDomain) {
  EXPECT_EQ(address_domain("Bob@Contoso.COM"), "contoso.com");
  EXPECT_EQ(address_domain(""), "");
  EXPECT_EQ(address_domain("MAILER-DAEMON"), "");
}

}  // namespace
}  // namespace mailflow
