// The TLS rollups (migration 8) equal the GROUP BY of their columns over
// traces, and a fresh store given the same final traces, after every kind
// of change: inserts, lifecycle settlements, late session TLS and
// re-attribution; the migration backfills them from traces.
#include <gtest/gtest.h>

#include "core/error.h"
#include "core/time.h"
#include "store/auth_submission_store.h"
#include "store/migrations.h"
#include "store/tls_failure_store.h"
#include "store/tls_rollup_counts.h"
#include "store/tls_rollups.h"
#include "store/trace_store.h"

#include "store_fixture.h"

namespace mailflow {

namespace {

using testing::fresh_db;
using testing::kDay;
using testing::rows_of;

using testing::kPeerTable;
using testing::kTrustTable;

Trace make(UnixSeconds t, Direction d, std::optional<std::string> host, std::optional<std::string> ip, TlsVersion tls,
           std::string recipient = "bob@contoso.com", std::string status = "Delivered") {
  Trace x;
  x.received = t;
  x.direction = d;
  x.tls = tls;
  x.sender = "ann@fabrikam.com";
  x.recipient = std::move(recipient);
  x.remote_host = std::move(host);
  x.remote_ip = std::move(ip);
  x.size = 100;
  x.status = std::move(status);
  return x;
}

// Both rollups equal the GROUP BY over traces.
void expect_fresh(TraceStore& store) {
  EXPECT_EQ(rows_of(store.db(), kPeerTable), rows_of(store.db(), tls_rollup_fresh_sql(true)));
  EXPECT_EQ(rows_of(store.db(), kTrustTable), rows_of(store.db(), tls_rollup_fresh_sql(false)));
}

// A second store given `store`'s traces as they now are has the same rollups.
void expect_equal_to_fresh_import(TraceStore& store, const std::string& name) {
  TraceStore fresh(fresh_db(name + "-fresh"));
  {
    auto s = store.db().prepare(
        "SELECT received, direction, connector, tls, tls_trust, sender, recipient, remote_host, remote_ip, size,"
        " status FROM traces ORDER BY id");
    TraceWriter w(fresh);
    std::int64_t fp = 0;
    while (s->step()) {
      Trace t;
      t.received = s->column_int(0);
      t.direction = static_cast<Direction>(s->column_int(1));
      t.connector = s->column_optional_text(2);
      t.tls = static_cast<TlsVersion>(s->column_int(3));
      if (auto trust = s->column_optional_text(4)) t.tls_trust = parse_tls_trust(*trust);
      t.sender = s->column_text(5);
      t.recipient = s->column_text(6);
      t.remote_host = s->column_optional_text(7);
      t.remote_ip = s->column_optional_text(8);
      t.size = s->column_int(9);
      t.status = s->column_text(10);
      w.add(t, ++fp, std::nullopt);
    }
    w.commit();
  }
  EXPECT_EQ(rows_of(store.db(), kPeerTable), rows_of(fresh.db(), kPeerTable));
  EXPECT_EQ(rows_of(store.db(), kTrustTable), rows_of(fresh.db(), kTrustTable));
}

}  // namespace

TEST(TlsRollups, InsertsCountDeliveredPerPeer) {
  TraceStore store(fresh_db("insert"));
  TraceWriter w(store);
  std::int64_t fp = 0;
  w.add(make(kDay + 100, Direction::Inbound, "mx1.mail.fabrikam.com", "203.0.113.1", TlsVersion::Tls10), ++fp, {});
  w.add(make(kDay + 200, Direction::Inbound, "MX2.fabrikam.com", "203.0.113.2", TlsVersion::Tls12), ++fp, {});
  w.add(make(kDay + 300, Direction::Inbound, "mx1.mail.fabrikam.com", "203.0.113.1", TlsVersion::Tls10), ++fp, {});
  w.add(make(kDay + 400, Direction::Inbound, "unknown", "198.51.100.7", TlsVersion::None), ++fp, {});
  w.add(make(kDay + 500, Direction::Outbound, "mx.example.co.uk", "192.0.2.9", TlsVersion::Tls13, "al@Example.CO.UK"),
        ++fp, {});
  w.add(make(kDay + 600, Direction::Inbound, "mx1.mail.fabrikam.com", "203.0.113.1", TlsVersion::Tls10,
             "bob@contoso.com", "Failed"),
        ++fp, {});
  w.commit();
  EXPECT_EQ(rows_of(store.db(), kPeerTable),
            (std::vector<std::string>{
                "20773|0||198.51.100.7||198.51.100.7|0|1|1794787600|1794787600",
                "20773|0||fabrikam.com|mx1.mail.fabrikam.com|203.0.113.1|10|2|1794787300|1794787500",
                "20773|0||fabrikam.com|mx2.fabrikam.com|203.0.113.2|12|1|1794787400|1794787400",
                "20773|1||example.co.uk|mx.example.co.uk|192.0.2.9|13|1|1794787700|1794787700",
            }));
  expect_fresh(store);
}

// More distinct peers in one batch than TlsRollupDeltas keeps interned
// names for (they start again after the batch is written), then a second
// batch naming many of them again: both count exactly.
TEST(TlsRollups, ManyPeersAcrossBatchesStillEqualTheGroupBy) {
  TraceStore store(fresh_db("many-peers"));
  std::int64_t fp = 0;
  const int peers = static_cast<int>(TlsRollupDeltas::kMaxNames) + 100;
  auto host = [](int i) { return "mx" + std::to_string(i) + ".Peer" + std::to_string(i % 97) + ".example.net"; };
  auto ip = [](int i) { return "10." + std::to_string(i / 65536) + "." + std::to_string(i / 256 % 256) + "." +
                               std::to_string(i % 256); };
  {
    TraceWriter w(store);
    for (int i = 0; i < peers; ++i)
      w.add(make(kDay + i % 86400, Direction::Inbound, host(i), ip(i), TlsVersion::Tls12), ++fp, {});
    w.commit();
  }
  {
    // The same peers again (outbound ones by recipient domain), and new ones.
    TraceWriter w(store);
    for (int i = peers / 2; i < peers + 500; ++i)
      w.add(make(kDay + 86400 + i % 86400, i % 3 ? Direction::Inbound : Direction::Outbound, host(i), ip(i),
                 TlsVersion::Tls13, "a@Dom" + std::to_string(i % 11) + ".example.org"),
            ++fp, {});
    w.commit();
  }
  expect_fresh(store);
}

TEST(TlsRollups, LifecycleSettlementMovesPendingIntoTheRollup) {
  TraceStore store(fresh_db("lifecycle"));
  {
    TraceWriter w(store);
    w.add_in_lifecycle(make(kDay + 100, Direction::Outbound, "mx.example.co.uk", "192.0.2.9", TlsVersion::Tls12,
                            "al@example.co.uk", "Pending"),
                       1, std::nullopt, {"h/Q1/al@example.co.uk"});
    w.commit();
  }
  EXPECT_TRUE(rows_of(store.db(), kPeerTable).empty());  // Pending is not counted
  {
    TraceWriter w(store);
    w.add_in_lifecycle(make(kDay + 4000, Direction::Outbound, "mx.example.co.uk", "192.0.2.9", TlsVersion::Tls12,
                            "al@example.co.uk", "Delivered"),
                       2, std::nullopt, {"h/Q1/al@example.co.uk"});
    // Another deferral that expires.
    w.add_in_lifecycle(make(kDay + 200, Direction::Outbound, "mx.tailspin.com.au", "192.0.2.10", TlsVersion::None,
                            "kim@tailspin.com.au", "Pending"),
                       3, std::nullopt, {"h/Q2/kim@tailspin.com.au"});
    w.commit();
  }
  {
    TraceWriter w(store);
    w.expire_pending("h/Q2/", kDay + 9000);
    w.commit();
  }
  EXPECT_EQ(rows_of(store.db(), kPeerTable),
            (std::vector<std::string>{"20773|1||example.co.uk|mx.example.co.uk|192.0.2.9|12|1|1794791200|1794791200"}));
  expect_fresh(store);
  expect_equal_to_fresh_import(store, "lifecycle");
}

TEST(TlsRollups, ReattributionAndLateTlsKeepFirstAndLastSeenExact) {
  TraceStore store(fresh_db("reattribution"));
  std::vector<std::pair<std::int64_t, Trace>> stored;
  {
    TraceWriter w(store);
    for (int i = 0; i < 6; ++i) {
      Trace t = make(kDay + 1000 * (i + 1), Direction::Inbound, "mx1.mail.fabrikam.com", "203.0.113.1",
                     TlsVersion::Tls10);
      t.tls_trust = i % 2 ? TlsTrust::Verified : TlsTrust::Anonymous;
      w.add(t, i + 1, std::nullopt);
      stored.emplace_back(store.db().last_insert_rowid(), t);
    }
    w.commit();
  }
  {
    // Re-attribution moves the first and the last trace of the group to a
    // connector: the old group's first and last seen must shrink.
    TraceWriter w(store);
    for (std::size_t i : {std::size_t{0}, std::size_t{5}}) {
      w.set_connector(stored[i].first, stored[i].second, std::string("Fabrikam-Partner"));
      stored[i].second.connector = "Fabrikam-Partner";
    }
    w.commit();
  }
  expect_fresh(store);
  expect_equal_to_fresh_import(store, "reattribution");
  EXPECT_EQ(rows_of(store.db(), kPeerTable)[0],
            "20773|0||fabrikam.com|mx1.mail.fabrikam.com|203.0.113.1|10|4|1794789200|1794792200");
  {
    // A protocol log tells the TLS later (Exchange): the trace moves version.
    TraceWriter w(store);
    w.set_tls(stored[2].first, stored[2].second, TlsVersion::Tls12, std::nullopt);
    stored[2].second.tls = TlsVersion::Tls12;
    // And one moves back out of the connector (all of its group).
    w.set_connector(stored[0].first, stored[0].second, std::nullopt);
    w.commit();
  }
  expect_fresh(store);
  expect_equal_to_fresh_import(store, "late-tls");
}

TEST(TlsRollups, MigrationBackfillsFromTraces) {
  std::string path = fresh_db("backfill");
  {
    Database db(path);
    migrate(db, 5);
    db.exec(
        "INSERT INTO traces(received, direction, tls, sender, recipient, remote_host, remote_ip, size, status,"
        " fingerprint, tls_trust) VALUES"
        " (1794787300, 0, 10, 'a@x', 'b@contoso.com', 'mx.example.co.uk', '192.0.2.1', 10, 'Delivered', 1, 'Verified'),"
        " (1794787400, 0, 10, 'a@x', 'b@contoso.com', 'mx.example.co.uk', '192.0.2.1', 10, 'Delivered', 2, NULL),"
        " (1794787500, 1, 12, 'b@contoso.com', 'c@Tailspin.com.au', NULL, '192.0.2.2', 10, 'Pending', 3, NULL)");
  }
  TraceStore store(path);
  EXPECT_EQ(rows_of(store.db(), kPeerTable),
            (std::vector<std::string>{"20773|0||example.co.uk|mx.example.co.uk|192.0.2.1|10|2|1794787300|1794787400"}));
  EXPECT_EQ(rows_of(store.db(), kTrustTable), (std::vector<std::string>{"20773|0|||1", "20773|0||Verified|1"}));
  expect_fresh(store);
}

// The table engine/store/session_tls.cpp created on demand before migration
// 8 (main at 780beb0, schema 7), verbatim.
constexpr const char* kOnDemandTlsFailures =
    "CREATE TABLE IF NOT EXISTS tls_failures("
    " id          INTEGER PRIMARY KEY,"
    " time        INTEGER NOT NULL,"
    " direction   INTEGER NOT NULL,"
    " peer_ip     TEXT,"
    " reason      TEXT NOT NULL,"
    " text        TEXT NOT NULL,"
    " fingerprint INTEGER NOT NULL UNIQUE,"
    " file_id     INTEGER REFERENCES imported_files(id)"
    ");"
    "CREATE INDEX IF NOT EXISTS tls_failures_time ON tls_failures(time);";

// A store the previous build made (schema 7: compact trace rows with ids
// into dictionaries, the traces view, the failure table made on demand)
// upgrades in place: rollups backfilled from its rows, failures kept.
TEST(TlsRollups, CompactStoreOfThePreviousBuildUpgradesInPlace) {
  std::string path = fresh_db("upgrade7");
  {
    Database db(path);
    migrate(db, 7);
    db.exec(kOnDemandTlsFailures);
    db.exec(
        "INSERT INTO trace_connectors(value) VALUES ('Fabrikam');"
        "INSERT INTO trust_levels(value) VALUES ('Trusted');"
        "INSERT INTO addresses(value) VALUES ('ann@fabrikam.com'), ('bob@contoso.com');"
        "INSERT INTO hosts(value) VALUES ('MX1.mail.Fabrikam.co.uk');"
        "INSERT INTO ips(value) VALUES ('192.0.2.1');"
        "INSERT INTO statuses(value) VALUES ('Delivered'), ('Pending');"
        "INSERT INTO trace_rows(received, direction, connector, tls, tls_trust, sender, recipient, remote_host,"
        " remote_ip, size, status, fingerprint) VALUES"
        " (1794787300, 0, 1, 10, 1, 1, 2, 1, 1, 10, 1, 1),"
        " (1794787400, 0, 1, 12, NULL, 1, 2, 1, 1, 10, 1, 2),"
        " (1794787500, 0, 1, 10, NULL, 1, 2, 1, 1, 10, 2, 3);"
        "INSERT INTO tls_failures(time, direction, peer_ip, reason, text, fingerprint) VALUES"
        " (1794787600, 0, '192.0.2.9', 'HandshakeFailed', 'SSL_accept error from unknown[192.0.2.9]: -1', 5);");
  }
  TraceStore store(path);
  EXPECT_EQ(rows_of(store.db(), "PRAGMA user_version"),
            (std::vector<std::string>{std::to_string(current_schema_version())}));
  EXPECT_EQ(rows_of(store.db(), kPeerTable),
            (std::vector<std::string>{
                "20773|0|Fabrikam|fabrikam.co.uk|mx1.mail.fabrikam.co.uk|192.0.2.1|10|1|1794787300|1794787300",
                "20773|0|Fabrikam|fabrikam.co.uk|mx1.mail.fabrikam.co.uk|192.0.2.1|12|1|1794787400|1794787400"}));
  EXPECT_EQ(rows_of(store.db(), kTrustTable),
            (std::vector<std::string>{"20773|0|Fabrikam||1", "20773|0|Fabrikam|Trusted|1"}));
  expect_fresh(store);
  // The failure kept, without the peer host and connector it never had.
  auto kept = tls_failures(store, {kDay, kDay + 86400, std::nullopt});
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].peer_ip, "192.0.2.9");
  EXPECT_FALSE(kept[0].peer_host.has_value());
  EXPECT_FALSE(kept[0].connector.has_value());
  // The upgraded store takes new failures and submissions.
  {
    TraceWriter w(store);
    EXPECT_TRUE(add_tls_failure(store, {kDay + 700, Direction::Outbound, "mx.example.com", "192.0.2.10",
                                        std::string("Fabrikam"), "NotOffered", "TLS is required"},
                                6, std::nullopt));
    EXPECT_TRUE(add_auth_submission(store, {kDay + 800, "scanner@contoso.com", TlsVersion::Tls10, std::nullopt,
                                            "10.0.0.5", "mx/4XyZ9"},
                                    std::nullopt));
    w.commit();
  }
  EXPECT_EQ(tls_failures(store, {kDay, kDay + 86400, std::nullopt}).size(), 2u);
  EXPECT_EQ(auth_counts(store, day_of(kDay), day_of(kDay)).size(), 1u);
}

TEST(TlsFailureStore, KeepsPeerHostAndConnectorOnce) {
  TraceStore store(fresh_db("failures"));
  StoredTlsFailure f{kDay + 60, Direction::Outbound, "mx.example.co.uk", "192.0.2.9", "Fabrikam-Out", "handshake",
                     "Cannot start TLS: handshake failure"};
  {
    TraceWriter w(store);  // the importer's batch transaction
    EXPECT_TRUE(add_tls_failure(store, f, 7, std::nullopt));
    EXPECT_FALSE(add_tls_failure(store, f, 7, std::nullopt));
    w.commit();
  }
  auto list = tls_failures(store, {kDay, kDay + 86400, Direction::Outbound});
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].peer_host, "mx.example.co.uk");
  EXPECT_EQ(list[0].connector, "Fabrikam-Out");
  EXPECT_TRUE(tls_failures(store, {kDay, kDay + 86400, Direction::Inbound}).empty());
  auto by_day = tls_failure_counts(store, {kDay, kDay + 86400, std::nullopt}, TlsFailureGrouping::Day);
  ASSERT_EQ(by_day.size(), 1u);
  EXPECT_EQ(by_day[0].day, day_of(kDay));
}

TEST(AuthSubmissionStore, ReimportAddsNothingAndRollupEqualsTheRows) {
  TraceStore store(fresh_db("auth"));
  StoredAuthSubmission a{kDay + 10, "printer@contoso.com", TlsVersion::Tls10, "printer.contoso.com", "10.0.0.5",
                         "mail/4XyZ1"};
  StoredAuthSubmission b{kDay + 20, "printer@contoso.com", TlsVersion::Tls12, std::nullopt, "10.0.0.5", "mail/4XyZ2"};
  StoredAuthSubmission c{kDay + 86400 + 5, "ann@contoso.com", TlsVersion::Tls13, std::nullopt, "10.0.0.9", "mail/4XyZ3"};
  {
    TraceWriter w(store);
    EXPECT_TRUE(add_auth_submission(store, a, std::nullopt));
    EXPECT_TRUE(add_auth_submission(store, b, std::nullopt));
    EXPECT_TRUE(add_auth_submission(store, c, std::nullopt));
    EXPECT_FALSE(add_auth_submission(store, a, std::nullopt));  // the same message key again
    w.commit();
  }
  DayNumber d = day_of(kDay);
  auto counts = auth_counts(store, d, d + 1);
  ASSERT_EQ(counts.size(), 3u);
  EXPECT_EQ(counts[0].user, "ann@contoso.com");
  EXPECT_EQ(counts[1].tls, TlsVersion::Tls10);
  EXPECT_EQ(counts[1].messages, 1);
  auto raw = auth_counts_from_submissions(store, d, d + 1);
  ASSERT_EQ(raw.size(), counts.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    EXPECT_EQ(raw[i].user, counts[i].user);
    EXPECT_EQ(raw[i].tls, counts[i].tls);
    EXPECT_EQ(raw[i].messages, counts[i].messages);
  }
  EXPECT_EQ(auth_counts(store, d, d).size(), 2u);  // the second day's submission is outside
}

}  // namespace mailflow

namespace mailflow {

// The reports sum a block row's days of the range: for ranges inside one
// 32-day block, across two, and clipped at either end, every peer key gives
// the GROUP BY over traces of the same range.
TEST(TlsRollups, BlockRowsGiveTheGroupByOfAnyRange) {
  TraceStore store(fresh_db("blocks"));
  const DayNumber first = 20730;  // block 647 starts at day 20704: 20730..20800 spans three blocks
  {
    TraceWriter w(store);
    std::int64_t fp = 0;
    const char* hosts[] = {"mx1.mail.fabrikam.co.uk", "mx2.fabrikam.co.uk", "unknown", "smtp.tailspin.com.au"};
    const TlsVersion versions[] = {TlsVersion::Tls12, TlsVersion::Tls10, TlsVersion::None, TlsVersion::Tls13,
                                   TlsVersion::Unknown};
    for (int day = 0; day < 70; ++day)
      for (int i = 0; i < 7; ++i) {
        Trace t = make(start_of_day(first + day) + 3600 * i + day, i % 2 ? Direction::Outbound : Direction::Inbound,
                       std::string(hosts[(day + i) % 4]), "192.0.2." + std::to_string(i % 3 + 1),
                       versions[(day * 3 + i) % 5], i % 3 ? "bob@contoso.com" : "carol@Tailspin.com.au",
                       i == 6 ? "Failed" : "Delivered");
        if (i % 4 == 1) t.connector = "Partner";
        w.add(t, ++fp, std::nullopt);
      }
    w.commit();
  }
  expect_fresh(store);
  for (auto [a, b] : {std::pair{first, first + 29}, std::pair{first + 2, first + 5}, std::pair{20735, 20736},
                      std::pair{first + 40, first + 69}, std::pair{first - 5, first + 100}}) {
    RollupSelection sel;
    sel.first = a;
    sel.last = b;
    for (PeerKey key : {PeerKey::Domain, PeerKey::Host, PeerKey::Ip})
      for (bool by_connector : {false, true}) {
        auto rollup = peer_tls_counts(store, sel, key, by_connector);
        auto raw = peer_tls_counts_from_traces(store, sel, key, by_connector);
        ASSERT_EQ(rollup.size(), raw.size()) << a << ".." << b;
        for (std::size_t i = 0; i < raw.size(); ++i) {
          EXPECT_EQ(rollup[i].direction, raw[i].direction);
          EXPECT_EQ(rollup[i].connector, raw[i].connector);
          EXPECT_EQ(rollup[i].peer, raw[i].peer);
          EXPECT_EQ(rollup[i].tls, raw[i].tls);
          EXPECT_EQ(rollup[i].messages, raw[i].messages) << rollup[i].peer;
          EXPECT_EQ(rollup[i].first_seen, raw[i].first_seen);
          EXPECT_EQ(rollup[i].last_seen, raw[i].last_seen);
        }
      }
  }
}

// A block row the store cannot have written is refused with a clear error.
TEST(TlsRollups, DamagedBlockRowIsAnError) {
  EXPECT_EQ(decode_tls_peer_days("[[0,12,3,10,20],[31,-1,1,0,86399]]", "s.db").size(), 2u);
  EXPECT_TRUE(decode_tls_peer_days("[]", "s.db").empty());
  EXPECT_EQ(encode_tls_peer_days(decode_tls_peer_days("[[0,12,3,10,20],[31,-1,1,0,86399]]", "s.db")),
            "[[0,12,3,10,20],[31,-1,1,0,86399]]");
  for (const char* bad : {"", "[[0,12,3,10]]", "[[32,12,3,10,20]]", "[[0,12,0,10,20]]", "[[0,12,3,20,10]]",
                          "[[0,12,3,10,20]]x", "[[0,12,3,10,99999]]", "[[0,12,3,10,20],]"}) {
    try {
      decode_tls_peer_days(bad, "s.db");
      ADD_FAILURE() << "accepted " << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.id(), "StoreCorrupt") << bad;
      EXPECT_NE(std::string(e.what()).find("store 's.db': a row of tls_peer_blocks"), std::string::npos) << e.what();
    }
  }
}

}  // namespace mailflow
