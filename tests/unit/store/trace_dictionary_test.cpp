// The dictionaries' insert side (store/trace_dictionary.h): a dictionary
// small enough is read whole on first use and new values are then inserted
// without a lookup first; that shortcut must stay correct when another
// connection adds a value meanwhile, when the store had values before, and
// after a rolled-back transaction.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "store/trace_dictionary.h"
#include "store/trace_store.h"
#include "test_temp_dir.h"

namespace mailflow {

namespace {

std::string fresh_db(const char* name) {
  auto path = test::temp_dir() /
              ("mailflow-dictionary-" + std::to_string(::getpid()) + "-" + name + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path.string();
}

int hosts() { return trace_field_dictionary("remote_host"); }

std::int64_t rows_with(Database& db, const std::string& value) {
  auto s = db.prepare("SELECT count(*) FROM hosts WHERE value = ?1");
  s->bind(1, value);
  s->step();
  return s->column_int(0);
}

}  // namespace

TEST(TraceDictionaries, IdsAreStableAndValuesRoundTrip) {
  TraceStore store(fresh_db("stable"));
  Transaction tx(store.db());
  std::int64_t a = store.dictionaries().id(hosts(), std::string_view("a.contoso.com"));
  std::int64_t b = store.dictionaries().id(hosts(), std::string_view("b.contoso.com"));
  EXPECT_NE(a, b);
  EXPECT_EQ(store.dictionaries().id(hosts(), std::string_view("a.contoso.com")), a);
  EXPECT_EQ(store.dictionaries().value(hosts(), a), "a.contoso.com");
  EXPECT_EQ(store.dictionaries().id(hosts(), std::optional<std::string>()), 0);
  tx.commit();
}

// Values stored before this connection opened are read whole on first use:
// the same ids, and no second row.
TEST(TraceDictionaries, ValuesStoredBeforeKeepTheirIds) {
  std::string path = fresh_db("before");
  std::int64_t id = 0;
  {
    TraceStore store(path);
    Transaction tx(store.db());
    id = store.dictionaries().id(hosts(), std::string_view("kept.contoso.com"));
    tx.commit();
  }
  TraceStore store(path);
  Transaction tx(store.db());
  EXPECT_EQ(store.dictionaries().id(hosts(), std::string_view("kept.contoso.com")), id);
  EXPECT_EQ(rows_with(store.db(), "kept.contoso.com"), 1);
  tx.commit();
}

// Another connection (a second mailflow on the same store) adds a value
// after this one read the dictionary whole: this one gets that id, not a
// constraint error and not a second row.
TEST(TraceDictionaries, ValueAddedByAnotherConnectionIsFound) {
  std::string path = fresh_db("other");
  TraceStore mine(path);
  {
    Transaction tx(mine.db());
    mine.dictionaries().id(hosts(), std::string_view("first.contoso.com"));  // reads the table whole
    tx.commit();
  }
  std::int64_t theirs = 0;
  {
    TraceStore other(path);
    Transaction tx(other.db());
    theirs = other.dictionaries().id(hosts(), std::string_view("late.contoso.com"));
    tx.commit();
  }
  Transaction tx(mine.db());
  EXPECT_EQ(mine.dictionaries().id(hosts(), std::string_view("late.contoso.com")), theirs);
  EXPECT_EQ(rows_with(mine.db(), "late.contoso.com"), 1);
  tx.commit();
}

// An id handed out in a transaction that rolled back is forgotten: the
// value gets an id that is in the table.
TEST(TraceDictionaries, RolledBackIdsAreForgotten) {
  TraceStore store(fresh_db("rollback"));
  {
    Transaction tx(store.db());
    store.dictionaries().id(hosts(), std::string_view("gone.contoso.com"));
  }  // rolled back
  store.dictionaries().forget();
  Transaction tx(store.db());
  std::int64_t id = store.dictionaries().id(hosts(), std::string_view("gone.contoso.com"));
  EXPECT_EQ(store.dictionaries().value(hosts(), id), "gone.contoso.com");
  EXPECT_EQ(rows_with(store.db(), "gone.contoso.com"), 1);
  tx.commit();
}

}  // namespace mailflow

// Bulk load (TraceWriter::begin_bulk_load): the indexes go in the first
// transaction and come back, the same, when it finishes; rows the unique
// index would have refused are removed with their rollup.
namespace mailflow {

namespace {

std::vector<std::string> index_sql(Database& db) {
  std::vector<std::string> out;
  auto s = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'trace_rows'"
                      " AND sql IS NOT NULL ORDER BY name");
  while (s->step()) out.push_back(s->column_text(0));
  return out;
}

std::string rollup(Database& db) {
  std::string out;
  auto s = db.prepare("SELECT day || ' ' || direction || ' ' || connector || ' ' || tls || ' ' || status || ' ' ||"
                      " messages || ' ' || bytes FROM daily_rollup ORDER BY 1");
  while (s->step()) out += s->column_text(0) + "\n";
  return out;
}

std::string rollup_by_group(Database& db) {
  std::string out;
  auto s = db.prepare("SELECT (received / 86400) || ' ' || direction || ' ' || coalesce(connector, '') || ' ' ||"
                      " tls || ' ' || status || ' ' || count(*) || ' ' || sum(size) FROM traces"
                      " GROUP BY received / 86400, direction, connector, tls, status ORDER BY 1");
  while (s->step()) out += s->column_text(0) + "\n";
  return out;
}

Trace bulk_trace(UnixSeconds when, const char* recipient) {
  Trace t;
  t.received = when;
  t.sender = "a@fabrikam.com";
  t.recipient = recipient;
  t.status = "Delivered";
  t.size = 100;
  return t;
}

}  // namespace

TEST(BulkLoad, IndexesComeBackAndRefusedRowsGoWithTheirRollup) {
  TraceStore store(fresh_db("bulk"));
  std::vector<std::string> before = index_sql(store.db());
  ASSERT_EQ(before.size(), 2u);
  TraceWriter first(store);
  ASSERT_TRUE(first.begin_bulk_load());
  EXPECT_TRUE(TraceWriter::bulk_load_pending(store));
  EXPECT_TRUE(index_sql(store.db()).empty());
  Trace a = bulk_trace(1794816000, "b@contoso.com"), b = bulk_trace(1794816060, "c@contoso.com");
  EXPECT_TRUE(first.add(a, 11, std::nullopt));
  EXPECT_TRUE(first.add(b, 12, std::nullopt));
  EXPECT_TRUE(first.add(a, 11, std::nullopt));  // nothing refuses it while the load runs
  first.commit();

  TraceWriter last(store);
  EXPECT_EQ(last.finish_bulk_load(), 1);
  last.commit();
  EXPECT_FALSE(TraceWriter::bulk_load_pending(store));
  EXPECT_EQ(index_sql(store.db()), before);
  EXPECT_EQ(store.trace_count(), 2);
  EXPECT_EQ(rollup(store.db()), rollup_by_group(store.db()));
  // The unique index refuses again.
  TraceWriter again(store);
  EXPECT_FALSE(again.add(a, 11, std::nullopt));
  EXPECT_EQ(again.finish_bulk_load(), 0);  // none pending: nothing done
  again.commit();
}

TEST(BulkLoad, HoldsNoTracesAndOneLoadAtATime) {
  TraceStore store(fresh_db("bulk-not-empty"));
  {
    TraceWriter w(store);
    EXPECT_TRUE(w.holds_no_traces());
    w.add(bulk_trace(1794816000, "b@contoso.com"), 1, std::nullopt);
    EXPECT_FALSE(w.holds_no_traces());
    w.commit();
  }
  TraceWriter w(store);
  EXPECT_TRUE(w.begin_bulk_load());
  EXPECT_FALSE(w.begin_bulk_load());  // pending already
  EXPECT_EQ(w.finish_bulk_load(), 0);
  EXPECT_EQ(index_sql(store.db()).size(), 2u);
  w.commit();
}

// A load that did not commit leaves nothing behind: the indexes were
// dropped in the transaction that rolled back.
TEST(BulkLoad, RolledBackLoadLeavesTheIndexes) {
  TraceStore store(fresh_db("bulk-rollback"));
  {
    TraceWriter w(store);
    ASSERT_TRUE(w.begin_bulk_load());
  }
  EXPECT_FALSE(TraceWriter::bulk_load_pending(store));
  EXPECT_EQ(index_sql(store.db()).size(), 2u);
}

}  // namespace mailflow
