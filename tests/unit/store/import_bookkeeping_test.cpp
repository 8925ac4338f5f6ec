// The store's import bookkeeping API (store/import_bookkeeping.h) and the
// connector-name reads (store/store_overview.h) that importer, cmdlets and
// reports call instead of writing SQL themselves.
#include "store/import_bookkeeping.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "store/connector_store.h"
#include "store/store_overview.h"
#include "test_temp_dir.h"

namespace mailflow {

namespace {

std::string fresh_db(const char* name) {
  auto path = test::temp_dir() / (std::string("mailflow-bookkeeping-") + name + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path.string();
}

std::vector<ImportRejectRow> rejects(TraceStore& store, const std::optional<std::string>& path = std::nullopt) {
  ImportRejectCursor cursor(store, path, path.value_or(""));
  std::vector<ImportRejectRow> out;
  while (auto r = cursor.next()) out.push_back(std::move(*r));
  return out;
}

}  // namespace

TEST(ImportBookkeeping, SameHeadIsTheSameFileAndItsOldRejectsGo) {
  TraceStore store(fresh_db("files"));
  std::int64_t id = register_imported_file(store, "/var/log/a.csv", "Csv", 100, 7, 1794816902);
  keep_import_reject(store, id, "/var/log/a.csv", 3, "bad size: 'x'", "line three");
  keep_import_reject(store, id, "/var/log/a.csv", 3, "bad size: 'y'", "line three again");
  record_import_progress(store, id, "Csv", 120, 5, 1794816903);
  auto kept = rejects(store);
  ASSERT_EQ(kept.size(), 1u);  // the same path and line replaces
  EXPECT_EQ(kept[0].reason, "bad size: 'y'");
  EXPECT_EQ(kept[0].line, 3);

  EXPECT_EQ(register_imported_file(store, "/var/log/a.csv", "Csv", 120, 7, 1794816904), id);
  EXPECT_TRUE(rejects(store).empty());
  // The log rotated: a new head is a new file.
  EXPECT_NE(register_imported_file(store, "/var/log/a.csv", "Csv", 10, 8, 1794816905), id);
}

TEST(ImportBookkeeping, RejectsOfOnePathAndRefusedSessionsInTheirOrder) {
  TraceStore store(fresh_db("rows"));
  std::int64_t a = register_imported_file(store, "/a", "Csv", 1, 1, 0);
  std::int64_t b = register_imported_file(store, "/b", "Csv", 1, 2, 0);
  keep_import_reject(store, b, "/b", 2, "r2", "t2");
  keep_import_reject(store, a, "/a", 9, "r9", "t9");
  keep_import_reject(store, b, "/b", 1, "r1", "t1");
  auto only_b = rejects(store, "/b");
  ASSERT_EQ(only_b.size(), 2u);
  EXPECT_EQ(only_b[0].line, 1);
  EXPECT_EQ(rejects(store).front().path, "/a");

  add_refused_connection(store, {100, "h1", "192.0.2.1", std::nullopt, "x@contoso.com", "relay denied"}, 1, a);
  add_refused_connection(store, {100, "h1", "192.0.2.1", std::nullopt, "x@contoso.com", "relay denied"}, 1, a);
  add_refused_connection(store, {200, std::nullopt, "192.0.2.2", "s@x", "y@contoso.com", "spam"}, 2, a);
  RefusedConnectionCursor cursor(store, 0, 1000);
  auto first = cursor.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->time, 200);  // newest first
  EXPECT_FALSE(first->client_host);
  auto second = cursor.next();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->reason, "relay denied");
  EXPECT_FALSE(second->sender);
  EXPECT_FALSE(cursor.next());  // the duplicate fingerprint was not added
}

std::int64_t rows_of_count(TraceStore& store) {
  auto s = store.db().prepare("SELECT count(*) FROM refused_connections");
  s->step();
  return s->column_int(0);
}

TEST(ImportBookkeeping, RefusedSessionWriterCountsWhatIsNew) {
  TraceStore store(fresh_db("refused-writer"));
  std::int64_t file = register_imported_file(store, "/maillog", "Postfix", 1, 1, 0);
  std::vector<RefusedConnection> rows;
  for (int i = 0; i < 70; ++i)
    rows.push_back({100 + i, i % 2 ? std::optional<std::string>("host" + std::to_string(i)) : std::nullopt,
                    "192.0.2." + std::to_string(i), std::nullopt, "x@contoso.com", "relay denied"});
  {
    RefusedConnectionWriter writer(store);
    for (int i = 0; i < 40; ++i) EXPECT_TRUE(writer.add(rows[i], i, file));
    EXPECT_FALSE(writer.add(rows[3], 3, file));  // the same fingerprint again
    EXPECT_EQ(writer.added(), 40);
    EXPECT_EQ(writer.added(), 0);
  }
  {
    RefusedConnectionWriter again(store);
    for (int i = 0; i < 70; ++i) again.add(rows[i], i, file);  // 40 stored, 30 new
    EXPECT_EQ(again.added(), 30);
  }
  EXPECT_EQ(rows_of_count(store), 70);
  RefusedConnectionCursor cursor(store, 0, 1000);
  auto newest = cursor.next();
  ASSERT_TRUE(newest);
  EXPECT_EQ(newest->time, 169);
  EXPECT_EQ(newest->client_host, std::optional<std::string>("host69"));
  EXPECT_EQ(newest->client_ip, std::optional<std::string>("192.0.2.69"));
  EXPECT_FALSE(newest->sender);
}

TEST(ConnectorNames, TrafficFirstThenDefinedAndSpellings) {
  TraceStore store(fresh_db("names"));
  store.db().exec(
      "INSERT INTO daily_rollup(day, direction, connector, tls, status, messages, bytes) VALUES"
      " (1, 0, 'Contoso', 12, 'Delivered', 1, 1), (1, 0, '', 12, 'Delivered', 1, 1),"
      " (2, 0, 'CONTOSO', 12, 'Delivered', 1, 1)");
  Connector c;
  c.name = "Fabrikam";
  ConnectorStore(store).insert(c);
  auto names = connector_names_traffic_then_defined(store);
  ASSERT_EQ(names.size(), 3u);
  EXPECT_EQ(names.back(), "Fabrikam");
  auto spellings = connector_spellings(store, "contoso");
  std::sort(spellings.begin(), spellings.end());
  EXPECT_EQ(spellings, (std::vector<std::string>{"CONTOSO", "Contoso"}));
  EXPECT_EQ(connector_spellings(store, "FABRIKAM"), std::vector<std::string>{"Fabrikam"});
  EXPECT_TRUE(connector_spellings(store, "Northwind").empty());
}

}  // namespace mailflow
