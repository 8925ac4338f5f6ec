#include <gtest/gtest.h>

#include <random>

#include "ingest/postfix_joiner.h"

namespace mailflow::postfix {
namespace {

// Networks (InternalNetworks as masks) answers what IpRange::contains does,
// for v4 and v6 ranges of every prefix length and addresses near them.
TEST(PostfixNetworks, AnswersWhatIpRangeContainsAnswers) {
  std::vector<std::string> ranges = {"127.0.0.0/8", "::1/128", "10.0.0.0/8", "192.168.1.0/24", "0.0.0.0/0",
                                     "2001:db8::/32", "::/0", "203.0.113.7/32", "172.16.0.0/12", "fe80::/10"};
  std::vector<std::string> addresses = {"127.0.0.1", "127.255.255.255", "128.0.0.1", "::1", "::2",
                                        "10.1.2.3", "11.0.0.0", "192.168.1.77", "192.168.2.1", "2001:db8::5",
                                        "2001:db9::5", "203.0.113.7", "203.0.113.8", "172.31.255.255", "172.32.0.0",
                                        "::ffff:10.0.0.1", "fe80::1", "febf::1", "fec0::1", "0.0.0.0"};
  std::mt19937 rng(19);
  for (int i = 0; i < 200; ++i) {
    char v4[32];
    std::snprintf(v4, sizeof v4, "%u.%u.%u.%u", rng() % 256, rng() % 256, rng() % 256, rng() % 256);
    addresses.push_back(v4);
  }
  for (const std::string& text : ranges) {
    auto r = parse_ip_range(text);
    ASSERT_TRUE(r) << text;
    Networks one;
    one.add(*r);
    for (const std::string& a : addresses) {
      auto ip = parse_ip(a);
      ASSERT_TRUE(ip) << a;
      EXPECT_EQ(one.contains(*ip), r->contains(*ip)) << text << " " << a;
    }
  }
  Networks none;
  EXPECT_FALSE(none.contains(*parse_ip("127.0.0.1")));
  Networks two;
  two.add(*parse_ip_range("10.0.0.0/8"));
  two.add(*parse_ip_range("::1/128"));
  EXPECT_TRUE(two.contains(*parse_ip("::1")));
  EXPECT_TRUE(two.contains(*parse_ip("10.9.9.9")));
  EXPECT_FALSE(two.contains(*parse_ip("11.0.0.1")));
}

}  // namespace
}  // namespace mailflow::postfix
