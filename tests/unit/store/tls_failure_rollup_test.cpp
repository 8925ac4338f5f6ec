// The daily failure rollup (tls_failure_daily, migration 9): kept with every
// stored failure, backfilled when a store of schema 8 (main before it)
// upgrades, and always equal to a GROUP BY over tls_failures.
#include <gtest/gtest.h>

#include "store/migrations.h"
#include "store/tls_failure_store.h"
#include "store/trace_store.h"

#include "store_fixture.h"

namespace mailflow {

namespace {

using testing::fresh_db;
using testing::kDay;
using testing::rows_of;

constexpr const char* kRollup = "SELECT day, direction, connector, peer_domain, failures FROM tls_failure_daily ORDER BY 1, 2, 3, 4";

// What the rollup must hold: tls_failures counted afresh.
constexpr const char* kFailureGroupBy =
    "SELECT time / 86400 - (time < 0 AND time % 86400 != 0), direction, coalesce(connector, ''),"
    " mailflow_peer_domain(0, '', peer_host, peer_ip), count(*) FROM tls_failures GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4";

}  // namespace

// A store main's build made (schema 8, failures stored, no rollup) upgrades
// in place: the rollup counted from its failures, keyed by registered domain.
TEST(TlsFailureRollup, SchemaEightStoreUpgradesWithItsFailuresCounted) {
  std::string path = fresh_db("upgrade8");
  {
    Database db(path);
    migrate(db, 8);
    db.exec(
        "INSERT INTO tls_failures(time, direction, peer_host, peer_ip, connector, reason, text, fingerprint) VALUES"
        " (1794787600, 0, 'MX1.mail.Fabrikam.co.uk', '192.0.2.1', 'Fabrikam', 'SSL_accept', 't', 1),"
        " (1794787700, 0, 'mx2.fabrikam.co.uk', '192.0.2.2', 'Fabrikam', 'SSL_accept', 't', 2),"
        " (1794787800, 0, 'unknown', '192.0.2.9', NULL, 'SSL_accept', 't', 3),"
        " (1794874000, 1, 'mx.tailspin.com.au', NULL, NULL, 'handshake', 't', 4);");
    EXPECT_TRUE(rows_of(db, "SELECT name FROM sqlite_schema WHERE name = 'tls_failure_daily'").empty());
  }
  TraceStore store(path);
  EXPECT_EQ(rows_of(store.db(), "PRAGMA user_version"),
            (std::vector<std::string>{std::to_string(current_schema_version())}));
  EXPECT_EQ(rows_of(store.db(), kRollup),
            (std::vector<std::string>{"20773|0||192.0.2.9|1", "20773|0|Fabrikam|fabrikam.co.uk|2",
                                      "20774|1||tailspin.com.au|1"}));
  EXPECT_EQ(rows_of(store.db(), kRollup), rows_of(store.db(), kFailureGroupBy));
  // The upgraded store counts new failures as they are kept, once each.
  StoredTlsFailure f{kDay + 900, Direction::Inbound, "mx3.Fabrikam.co.uk", "192.0.2.3", "Fabrikam", "SSL_accept", "t"};
  EXPECT_TRUE(add_tls_failure(store, f, 10, std::nullopt));
  EXPECT_FALSE(add_tls_failure(store, f, 10, std::nullopt));  // same fingerprint: kept before
  EXPECT_EQ(rows_of(store.db(), kRollup)[1], "20773|0|Fabrikam|fabrikam.co.uk|3");
  EXPECT_EQ(rows_of(store.db(), kRollup), rows_of(store.db(), kFailureGroupBy));
}

TEST(TlsFailureRollup, CountsPerRangeFromTheRollup) {
  TraceStore store(fresh_db("counts"));
  auto add = [&](UnixSeconds t, Direction d, std::optional<std::string> host, std::optional<std::string> connector,
                 std::int64_t fp) {
    EXPECT_TRUE(add_tls_failure(store, {t, d, host, "198.51.100.1", connector, "r", "t"}, fp, std::nullopt));
  };
  add(kDay - 86400, Direction::Inbound, "a.example.com", "C1", 1);  // the day before: outside
  add(kDay, Direction::Inbound, "a.example.com", "C1", 2);
  add(kDay + 86399, Direction::Inbound, "b.example.com", "C1", 3);
  add(kDay + 86400, Direction::Outbound, std::nullopt, std::nullopt, 4);
  add(kDay + 2 * 86400, Direction::Outbound, std::nullopt, std::nullopt, 5);  // after: outside
  std::vector<std::string> got;
  for (const TlsFailureRollupCount& c : tls_failure_rollup_counts(store, 20773, 20774))
    got.push_back(std::to_string(static_cast<int>(c.direction)) + "|" + c.connector + "|" + c.peer_domain + "|" +
                  std::to_string(c.failures));
  EXPECT_EQ(got, (std::vector<std::string>{"0|C1|example.com|2", "1||198.51.100.1|1"}));
  EXPECT_TRUE(tls_failure_rollup_counts(store, 20700, 20710).empty());
}

}  // namespace mailflow
