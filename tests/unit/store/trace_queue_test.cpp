// TraceWriter::add_queued: rows inserted kQueuedRows at a time by one
// statement end up exactly as add() one at a time leaves them: the same
// rows in the same order, the same rollups, the same duplicates refused
// (against stored rows, and within one statement), and the counts right.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/trace_store.h"
#include "store_fixture.h"

namespace mailflow {
namespace {

using testing::fresh_db;
using testing::kDay;
using testing::rows_of;

// Varied traces: connectors, statuses, TLS, addresses and NULLs repeat at
// different periods so that rollup groups and dictionary values mix.
std::vector<Trace> sample_traces(int count) {
  std::vector<Trace> out;
  for (int i = 0; i < count; ++i) {
    Trace t;
    t.received = kDay + i * 97;
    t.direction = i % 3 == 0 ? Direction::Outbound : Direction::Inbound;
    if (i % 4 != 0) t.connector = "Partner " + std::to_string(i % 4);
    t.tls = i % 5 == 0 ? TlsVersion::None : i % 5 == 1 ? TlsVersion::Tls10 : TlsVersion::Tls12;
    if (t.tls != TlsVersion::None) t.cipher = "ECDHE-RSA-AES256-GCM-SHA384";
    t.sender = "sender" + std::to_string(i % 7) + "@fabrikam.com";
    t.recipient = "user" + std::to_string(i % 11) + "@contoso.com";
    if (i % 2) t.remote_host = "mail" + std::to_string(i % 3) + ".fabrikam.com";
    t.remote_ip = "192.0.2." + std::to_string(i % 13);
    t.size = 1000 + i;
    t.status = i % 9 == 0 ? "Failed" : "Delivered";
    if (i % 6) t.message_id = "<" + std::to_string(i) + "@fabrikam.com>";
    out.push_back(t);
  }
  return out;
}

// Everything the writer keeps, apart from row ids: rows in id order, the
// daily rollup and the TLS peer rollup.
std::vector<std::string> store_contents(Database& db) {
  std::vector<std::string> all = rows_of(
      db,
      "SELECT received, direction, connector, tls, cipher, sender, recipient, remote_host, remote_ip, size, status,"
      " message_id, fingerprint FROM traces ORDER BY id");
  for (const char* sql : {"SELECT * FROM daily_rollup ORDER BY 1, 2, 3, 4, 5",
                          "SELECT * FROM tls_peer_blocks ORDER BY 1, 2, 3, 4, 5, 6"}) {
    std::vector<std::string> more = rows_of(db, sql);
    all.push_back("--");
    all.insert(all.end(), more.begin(), more.end());
  }
  return all;
}

// The second batch: new traces, repeats of stored ones, and one trace
// twice within the same statement and once more across its boundary.
std::vector<std::pair<const Trace*, std::int64_t>> second_batch(const std::vector<Trace>& traces) {
  std::vector<std::pair<const Trace*, std::int64_t>> out;
  for (int i = 30; i < 130; ++i) {
    const Trace& t = traces[i];
    out.emplace_back(&t, trace_fingerprint(t));
    if (i == 75) out.emplace_back(&t, trace_fingerprint(t));  // a new trace's key again at once
    if (i == 100) out.emplace_back(&traces[75], trace_fingerprint(traces[75]));  // and in a later statement
  }
  return out;
}

TEST(TraceQueue, EqualsAddingOneAtATime) {
  std::vector<Trace> traces = sample_traces(130);
  TraceStore one(fresh_db("queue-one"));
  TraceStore queued(fresh_db("queue-many"));
  for (TraceStore* store : {&one, &queued}) {  // the stored ones: traces 0..59
    TraceWriter w(*store);
    for (int i = 0; i < 60; ++i) w.add(traces[i], trace_fingerprint(traces[i]), std::nullopt);
    w.commit();
  }
  std::int64_t added = 0, refused = 0;
  {
    TraceWriter w(one);
    for (auto [t, fp] : second_batch(traces)) (w.add(*t, fp, std::int64_t{1}) ? added : refused) += 1;
    w.commit();
  }
  TraceWriter::QueuedCounts counts;
  {
    TraceWriter w(queued);
    for (auto [t, fp] : second_batch(traces)) w.add_queued(*t, fp, std::int64_t{1});
    counts = w.flush_queue();
    w.commit();
  }
  EXPECT_EQ(added, 70);     // traces 60..129
  EXPECT_EQ(refused, 32);   // 30..59 stored, 75 twice more
  EXPECT_EQ(counts.added, added);
  EXPECT_EQ(counts.duplicates, refused);
  EXPECT_EQ(store_contents(queued.db()), store_contents(one.db()));
}

TEST(TraceQueue, AnyOtherCallInsertsWhatIsQueuedFirst) {
  std::vector<Trace> traces = sample_traces(3);
  TraceStore store(fresh_db("queue-order"));
  TraceWriter w(store);
  w.add_queued(traces[0], trace_fingerprint(traces[0]), std::nullopt);
  w.add_queued(traces[1], trace_fingerprint(traces[1]), std::nullopt);
  // add() of a queued trace: the queued one is inserted first, this one refused.
  EXPECT_FALSE(w.add(traces[1], trace_fingerprint(traces[1]), std::nullopt));
  EXPECT_TRUE(w.add(traces[2], trace_fingerprint(traces[2]), std::nullopt));
  TraceWriter::QueuedCounts counts = w.flush_queue();
  EXPECT_EQ(counts.added, 2);
  EXPECT_EQ(counts.duplicates, 0);
  EXPECT_EQ(w.flush_queue().added, 0);  // counted once
  w.commit();
  EXPECT_EQ(rows_of(store.db(), "SELECT size FROM trace_rows ORDER BY id"),
            (std::vector<std::string>{"1000", "1001", "1002"}));
}

TEST(TraceQueue, QueuedRowsRollBackWithTheirTransaction) {
  std::vector<Trace> traces = sample_traces(TraceWriter::kQueuedRows + 5);
  TraceStore store(fresh_db("queue-rollback"));
  {
    TraceWriter w(store);
    for (const Trace& t : traces) w.add_queued(t, trace_fingerprint(t), std::nullopt);
  }  // not committed: one full statement inserted, five still queued; all gone
  EXPECT_EQ(store.trace_count(), 0);
  EXPECT_EQ(rows_of(store.db(), "SELECT count(*) FROM daily_rollup"), std::vector<std::string>{"0"});
}

}  // namespace
}  // namespace mailflow
