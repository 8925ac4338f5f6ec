// TraceWriter's bulk load (trace_bulk_load.cpp) holds the TLS rollups'
// deltas in memory until its end: the rollups it leaves equal the GROUP BY
// over traces and those of the same traces written one batch at a time,
// whether the deltas are written at the end, early past their bound, or
// rebuilt from the traces when this process does not hold all of them (a
// batch rolled back, a load killed and finished by another process).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/time.h"
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

// Record `i` of a file out of time order: days, peers, TLS versions, trust,
// statuses and connectors vary; every seventh record repeats the key of the
// one seven before it (a duplicate the load's end removes).
struct LoadRecord {
  Trace trace;
  std::int64_t fingerprint;
};
LoadRecord load_record(int i) {
  const int k = i % 7 == 6 ? i - 6 : i;
  Trace t;
  t.received = kDay + (k * 7919 % 40) * 86400 + (k * 104729 % 86400);
  t.direction = k % 3 ? Direction::Inbound : Direction::Outbound;
  if (k % 4 == 1) t.connector = "Partner " + std::to_string(k % 2);
  static const TlsVersion versions[] = {TlsVersion::None, TlsVersion::Tls10, TlsVersion::Tls12, TlsVersion::Tls13};
  t.tls = versions[k % 4];
  if (k % 5 == 2) t.tls_trust = TlsTrust::Trusted;
  t.sender = "a" + std::to_string(k % 13) + "@fabrikam.com";
  t.recipient = "b" + std::to_string(k % 17) + "@Dom" + std::to_string(k % 9) + ".example";
  t.remote_host = "mx" + std::to_string(k % 23) + ".peer" + std::to_string(k % 6) + ".example.net";
  t.remote_ip = "192.0.2." + std::to_string(k % 23);
  t.size = 100 + k;
  t.status = k % 11 == 3 ? "Failed" : "Delivered";
  return {t, 1000 + k};
}

// Both TLS rollups equal the GROUP BY over traces.
void expect_fresh(TraceStore& store) {
  EXPECT_EQ(rows_of(store.db(), kPeerTable), rows_of(store.db(), tls_rollup_fresh_sql(true)));
  EXPECT_EQ(rows_of(store.db(), kTrustTable), rows_of(store.db(), tls_rollup_fresh_sql(false)));
  EXPECT_FALSE(rows_of(store.db(), kPeerTable).empty());
}

// Records [from, to) in one committed batch.
void batch(TraceStore& store, std::vector<LoadRecord>& records, int from, int to) {
  TraceWriter w(store);
  for (int i = from; i < to; ++i) w.add_queued(records[i].trace, records[i].fingerprint, std::nullopt);
  w.commit();
}

std::vector<LoadRecord> make_records(int n) {
  std::vector<LoadRecord> out;
  for (int i = 0; i < n; ++i) out.push_back(load_record(i));
  return out;
}

// The rollups of the same records written batch by batch, without a bulk
// load (duplicates refused as they come).
std::vector<std::string> per_batch_rollups(std::vector<LoadRecord>& all, const std::string& name) {
  TraceStore store(fresh_db(name + "-per-batch"));
  for (int from = 0; from < static_cast<int>(all.size()); from += 50)
    batch(store, all, from, std::min<int>(from + 50, static_cast<int>(all.size())));
  std::vector<std::string> out = rows_of(store.db(), kPeerTable);
  for (std::string& row : rows_of(store.db(), kTrustTable)) out.push_back(row);
  return out;
}

std::vector<std::string> rollups(TraceStore& store) {
  std::vector<std::string> out = rows_of(store.db(), kPeerTable);
  for (std::string& row : rows_of(store.db(), kTrustTable)) out.push_back(row);
  return out;
}

// How many of records [from, to) repeat an earlier record's key.
std::int64_t repeats(int from, int to) {
  std::int64_t n = 0;
  for (int i = from; i < to; ++i) n += i % 7 == 6;
  return n;
}

std::int64_t finish(TraceStore& store) {
  TraceWriter w(store);
  std::int64_t removed = w.finish_bulk_load();
  w.commit();
  return removed;
}

void begin(TraceStore& store) {
  TraceWriter w(store);
  ASSERT_TRUE(w.begin_bulk_load());
  w.commit();
}

}  // namespace

// The deltas wait for the load's end (the rollups lag meanwhile), then are
// written once: the same rows as writing them batch by batch.
TEST(TraceBulkLoad, DeferredTlsRollupsEqualThePerBatchPath) {
  std::vector<LoadRecord> all = make_records(700);
  TraceStore store(fresh_db("bulk-deferred"));
  batch(store, all, 0, 50);  // the first batch, before the load
  std::vector<std::string> before_load = rollups(store);
  begin(store);
  EXPECT_TRUE(store.deferred_tls() != nullptr);
  for (int from = 50; from < 700; from += 50) batch(store, all, from, from + 50);
  EXPECT_EQ(rollups(store), before_load);  // held back
  EXPECT_EQ(finish(store), repeats(50, 700));
  EXPECT_FALSE(TraceWriter::bulk_load_pending(store));
  EXPECT_TRUE(store.deferred_tls() == nullptr);
  expect_fresh(store);
  EXPECT_EQ(rollups(store), per_batch_rollups(all, "bulk-deferred"));
}

// Past the bound a commit writes what is deferred in its own transaction.
TEST(TraceBulkLoad, DeferredTlsRollupsPastTheirBoundAreWrittenByTheCommit) {
  std::vector<LoadRecord> all = make_records(300);
  TraceStore store(fresh_db("bulk-bound"));
  batch(store, all, 0, 50);
  begin(store);
  {
    TraceWriter w(store);
    w.set_deferred_tls_bound(10);
    for (int i = 50; i < 150; ++i) w.add_queued(all[i].trace, all[i].fingerprint, std::nullopt);
    w.commit();
  }
  ASSERT_TRUE(store.deferred_tls() != nullptr);
  EXPECT_EQ(store.deferred_tls()->groups(), 0u);
  // Every committed trace is counted now (the repeated keys too: stored
  // until the load's end).
  expect_fresh(store);
  batch(store, all, 150, 300);
  finish(store);
  expect_fresh(store);
  EXPECT_EQ(rollups(store), per_batch_rollups(all, "bulk-bound"));
}

// A batch that rolls back during the load drops the deferred deltas (some
// were its own); the end rebuilds the rollups from the traces.
TEST(TraceBulkLoad, RolledBackBatchDuringTheLoadRebuildsAtTheEnd) {
  std::vector<LoadRecord> all = make_records(400);
  TraceStore store(fresh_db("bulk-rollback"));
  batch(store, all, 0, 50);
  begin(store);
  batch(store, all, 50, 200);
  {
    TraceWriter w(store);
    for (int i = 200; i < 300; ++i) w.add_queued(all[i].trace, all[i].fingerprint, std::nullopt);
    w.flush_queue();
  }  // rolled back
  EXPECT_TRUE(store.deferred_tls() == nullptr);
  batch(store, all, 200, 400);
  EXPECT_TRUE(TraceWriter::bulk_load_pending(store));
  finish(store);
  expect_fresh(store);
  EXPECT_EQ(rollups(store), per_batch_rollups(all, "bulk-rollback"));
}

// A load killed after some batches: another process (another TraceStore on
// the file, holding no deltas) finishes it by rebuilding; the first one,
// writing again, drops its stale deltas and writes its own as usual.
TEST(TraceBulkLoad, LoadFinishedByAnotherProcessRebuildsAndTheFirstDropsItsDeltas) {
  std::vector<LoadRecord> all = make_records(500);
  const std::string path = fresh_db("bulk-killed");
  TraceStore first(path);
  batch(first, all, 0, 50);
  begin(first);
  batch(first, all, 50, 300);
  {
    TraceStore other(path);
    EXPECT_TRUE(other.deferred_tls() == nullptr);
    EXPECT_EQ(finish(other), repeats(50, 300));
    expect_fresh(other);
  }
  ASSERT_TRUE(first.deferred_tls() != nullptr);
  batch(first, all, 300, 500);  // the unique index is back: repeats refused
  EXPECT_TRUE(first.deferred_tls() == nullptr);
  EXPECT_EQ(finish(first), 0);
  expect_fresh(first);
  EXPECT_EQ(rollups(first), per_batch_rollups(all, "bulk-killed"));
}

// rebuild_tls_rollups gives what the writes gave, from the traces alone.
TEST(TraceBulkLoad, RebuildEqualsTheWrittenRollups) {
  std::vector<LoadRecord> all = make_records(200);
  TraceStore store(fresh_db("bulk-rebuild"));
  batch(store, all, 0, 200);
  std::vector<std::string> written = rollups(store);
  store.db().exec("UPDATE tls_trust_daily SET messages = messages + 1");
  store.db().exec("DELETE FROM tls_peer_blocks WHERE peer_ip = '192.0.2.1'");
  rebuild_tls_rollups(store.db());
  EXPECT_EQ(rollups(store), written);
}

}  // namespace mailflow
