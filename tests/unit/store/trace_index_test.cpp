// Migration 3: traces are unique by (received, fingerprint), and a store
// of version 2 with traces in it upgrades to that index. Since migration 6
// the rows (and their indexes) are in trace_rows; `traces` is a view.
#include <gtest/gtest.h>

#include <filesystem>

#include "store/migrations.h"
#include "store/trace_store.h"
#include "test_temp_dir.h"

namespace mailflow {

namespace {

std::string fresh_db(const char* name) {
  auto path = test::temp_dir() / (std::string("mailflow-index-") + name + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path.string();
}

std::vector<std::string> trace_indexes(Database& db) {
  std::vector<std::string> out;
  auto s = db.prepare("SELECT name || ':' || \"unique\" FROM pragma_index_list('trace_rows') ORDER BY name");
  while (s->step()) out.push_back(s->column_text(0));
  return out;
}

Trace sample_trace(UnixSeconds when) {
  Trace t;
  t.received = when;
  t.sender = "a@fabrikam.com";
  t.recipient = "b@contoso.com";
  return t;
}

}  // namespace

TEST(TraceIndexes, UniqueByReceivedAndFingerprint) {
  TraceStore store(fresh_db("current"));
  EXPECT_EQ(trace_indexes(store.db()),
            (std::vector<std::string>{"traces_connector_received:0", "traces_received_fingerprint:1"}));
  TraceWriter w(store);
  Trace t = sample_trace(1794816902);
  EXPECT_TRUE(w.add(t, trace_fingerprint(t), std::nullopt));
  EXPECT_FALSE(w.add(t, trace_fingerprint(t), std::nullopt));
  // The same fingerprint at another time is another record.
  Trace later = sample_trace(1794816903);
  EXPECT_TRUE(w.add(later, trace_fingerprint(t), std::nullopt));
  w.commit();
  EXPECT_EQ(store.trace_count(), 2);
}

TEST(TraceIndexes, VersionTwoStoreWithTracesUpgrades) {
  std::string path = fresh_db("v2");
  {
    Database db(path);
    migrate(db, 2);
    db.exec(
        "INSERT INTO traces(received, direction, tls, sender, recipient, size, status, fingerprint)"
        " VALUES(1794816902, 0, 12, 'a@x', 'b@contoso.com', 10, 'Delivered', 42),"
        " (1794816903, 1, 13, 'b@contoso.com', 'a@x', 20, 'Delivered', 43)");
  }
  TraceStore store(path);
  EXPECT_EQ(store.trace_count(), 2);
  EXPECT_EQ(trace_indexes(store.db()),
            (std::vector<std::string>{"traces_connector_received:0", "traces_received_fingerprint:1"}));
  // Range scans on received still use an index.
  auto plan = store.db().prepare(
      "EXPLAIN QUERY PLAN SELECT count(*) FROM traces WHERE received BETWEEN 1794816000 AND 1794902399");
  std::string detail;
  while (plan->step()) detail += plan->column_text(3);
  EXPECT_NE(detail.find("traces_received_fingerprint"), std::string::npos) << detail;
}

}  // namespace mailflow
