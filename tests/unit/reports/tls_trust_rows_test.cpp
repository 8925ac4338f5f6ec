#include "reports/tls_readiness.h"

#include <gtest/gtest.h>

namespace mailflow {

namespace {

TrustCount count(Direction d, std::optional<std::string> connector, std::optional<TlsTrust> trust, std::int64_t n) {
  TrustCount c;
  c.direction = d;
  c.connector = std::move(connector);
  c.trust = trust;
  c.messages = n;
  return c;
}

}  // namespace

// Get-TlsUsage -ByTrust's shaping: groups in report order, trust levels
// Verified, Trusted, Untrusted, Anonymous, then the unrecorded rest, which
// has a count but no percent (percents are of the known ones).
TEST(TlsTrustRows, GroupsInReportOrderAndPercentsOfKnownTrust) {
  std::vector<TrustCount> counts = {
      count(Direction::Outbound, "b", TlsTrust::Verified, 5),
      count(Direction::Inbound, "B", std::nullopt, 7),
      count(Direction::Inbound, "B", TlsTrust::Anonymous, 1),
      count(Direction::Inbound, "a", TlsTrust::Trusted, 2),
      count(Direction::Inbound, "B", TlsTrust::Verified, 3),
      count(Direction::Inbound, std::nullopt, TlsTrust::Untrusted, 4),
      count(Direction::Inbound, "B", TlsTrust::Verified, 1),  // the same key again: added up
  };
  std::vector<TlsTrustRow> rows = tls_trust_rows(counts, true);
  ASSERT_EQ(rows.size(), 6u);
  auto expect = [&](std::size_t i, Direction d, std::optional<std::string> connector, std::optional<TlsTrust> trust,
                    std::int64_t n, std::optional<double> percent) {
    SCOPED_TRACE(i);
    EXPECT_EQ(rows[i].direction, d);
    EXPECT_EQ(rows[i].connector, connector);
    EXPECT_EQ(rows[i].trust, trust);
    EXPECT_EQ(rows[i].messages, n);
    EXPECT_EQ(rows[i].percent, percent);
  };
  expect(0, Direction::Inbound, std::nullopt, TlsTrust::Untrusted, 4, 100.0);
  expect(1, Direction::Inbound, "a", TlsTrust::Trusted, 2, 100.0);
  expect(2, Direction::Inbound, "B", TlsTrust::Verified, 4, 80.0);
  expect(3, Direction::Inbound, "B", TlsTrust::Anonymous, 1, 20.0);
  expect(4, Direction::Inbound, "B", std::nullopt, 7, std::nullopt);
  expect(5, Direction::Outbound, "b", TlsTrust::Verified, 5, 100.0);
}

TEST(TlsTrustRows, WithoutByConnectorOneGroupPerDirectionAndNoEmptyRows) {
  std::vector<TrustCount> counts = {
      count(Direction::Inbound, "a", TlsTrust::Verified, 1),
      count(Direction::Inbound, "b", TlsTrust::Verified, 2),
      count(Direction::Inbound, "b", TlsTrust::Untrusted, 0),
  };
  std::vector<TlsTrustRow> rows = tls_trust_rows(counts, false);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].connector, std::nullopt);
  EXPECT_EQ(rows[0].trust, TlsTrust::Verified);
  EXPECT_EQ(rows[0].messages, 3);
  EXPECT_EQ(rows[0].percent, 100.0);
  EXPECT_TRUE(tls_trust_rows({}, true).empty());
}

}  // namespace mailflow
