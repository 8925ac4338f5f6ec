// The read side of the trace dictionaries: TraceCursor turns the ids of a
// page into strings through the store's DictionaryValues, one lookup per
// value the connection has not read before.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string_view>

#include "store/dictionary_values.h"
#include "store/trace_dictionary.h"
#include "store/trace_query.h"
#include "store/trace_store.h"

namespace mailflow {

namespace {

std::string fresh_db(const char* name) {
  auto path = std::filesystem::temp_directory_path() /
              (std::string("mailflow-dictvalues-") + name + "-" + std::to_string(::getpid()) + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path.string();
}

int dictionary_index(std::string_view table) {
  const auto& tables = trace_dictionary_tables();
  for (std::size_t i = 0; i < tables.size(); ++i)
    if (tables[i] == table) return static_cast<int>(i);
  return -1;
}

// Counts the rows stepped by statements whose SQL contains `part`.
struct RowCounter {
  std::string part;
  int rows = 0;
  static int on_row(unsigned, void* self, void* stmt, void*) {
    auto* c = static_cast<RowCounter*>(self);
    if (std::string_view(sqlite3_sql(static_cast<sqlite3_stmt*>(stmt))).find(c->part) != std::string_view::npos)
      ++c->rows;
    return 0;
  }
};

// 60 traces a minute apart: 3 connectors (and none), 2 statuses, 4
// senders, 60 recipients, one cipher, no host or IP.
void write_traffic(TraceStore& store) {
  static const char* kConnectors[] = {"Contoso-Partner", "Fabrikam", "Relay"};
  TraceWriter w(store);
  for (int i = 0; i < 60; ++i) {
    Trace t;
    t.received = 1794816000 + i * 60;
    t.direction = i % 2 ? Direction::Outbound : Direction::Inbound;
    if (i % 4) t.connector = kConnectors[i % 3];
    t.tls = TlsVersion::Tls12;
    t.cipher = "ECDHE-RSA-AES256-GCM-SHA384";
    t.sender = "user" + std::to_string(i % 4) + "@contoso.com";
    t.recipient = "rcpt" + std::to_string(i) + "@fabrikam.com";
    t.size = 1000 + i;
    t.status = i % 10 ? "Delivered" : "Failed";
    t.message_id = "<" + std::to_string(i) + "@contoso.com>";
    ASSERT_TRUE(w.add(t, trace_fingerprint(t), std::nullopt));
  }
  w.commit();
}

}  // namespace

TEST(DictionaryValues, ValueByIdAndEmptyForAnIdThatIsNotThere) {
  TraceStore store(fresh_db("by-id"));
  write_traffic(store);
  DictionaryValues values(store.db());
  int statuses = dictionary_index("statuses");
  ASSERT_GE(statuses, 0);
  auto id = store.db().prepare("SELECT id FROM statuses WHERE value = 'Failed'");
  ASSERT_TRUE(id->step());
  EXPECT_EQ(values.value(statuses, id->column_int(0)), "Failed");
  EXPECT_EQ(values.value(statuses, 999999), "");
}

// Ids past the dense vector's range (a store whose dictionary grew past 4M
// values), and values that are empty (a bounce's sender), are remembered too.
TEST(DictionaryValues, LargeIdsAndEmptyValuesAreLookedUpOnce) {
  TraceStore store(fresh_db("large"));
  write_traffic(store);
  store.db().exec("INSERT INTO statuses(id, value) VALUES(5000000, 'Expanded'), (5000001, '')");
  int statuses = dictionary_index("statuses");
  auto failed = store.db().prepare("SELECT id FROM statuses WHERE value = 'Failed'");
  ASSERT_TRUE(failed->step());
  std::int64_t failed_id = failed->column_int(0);
  DictionaryValues values(store.db());
  RowCounter lookups{"WHERE id = ?1"};
  sqlite3_trace_v2(store.db().handle(), SQLITE_TRACE_ROW, RowCounter::on_row, &lookups);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(values.value(statuses, 5000000), "Expanded");
    EXPECT_EQ(values.value(statuses, 5000001), "");
    EXPECT_EQ(values.value(statuses, failed_id), "Failed");
  }
  sqlite3_trace_v2(store.db().handle(), 0, nullptr, nullptr);
  EXPECT_EQ(lookups.rows, 3);
}

TEST(DictionaryValues, APageLooksUpEachDistinctValueOnce) {
  TraceStore store(fresh_db("once"));
  write_traffic(store);
  RowCounter lookups{"WHERE id = ?1"};
  sqlite3_trace_v2(store.db().handle(), SQLITE_TRACE_ROW, RowCounter::on_row, &lookups);
  TraceQuery q;
  q.from = 0;
  q.to = 4102444800;  // 2100-01-01
  std::vector<Trace> page;
  {
    TraceCursor cursor(store, q);
    while (auto t = cursor.next()) page.push_back(std::move(*t));
  }
  ASSERT_EQ(page.size(), 60u);
  // The store remembers them: a second page of the same rows looks up nothing.
  {
    int first = lookups.rows;
    TraceCursor again(store, q);
    int rows = 0;
    while (again.next()) ++rows;
    EXPECT_EQ(rows, 60);
    EXPECT_EQ(lookups.rows, first);
  }
  sqlite3_trace_v2(store.db().handle(), 0, nullptr, nullptr);
  // 3 connectors + 1 cipher + 4 senders + 60 recipients + 2 statuses; no
  // lookup for a missing value (no connector, host, IP or trust).
  EXPECT_EQ(lookups.rows, 3 + 1 + 4 + 60 + 2);
  // Newest first, every string as written.
  for (std::size_t k = 0; k < page.size(); ++k) {
    int i = 59 - static_cast<int>(k);
    const Trace& t = page[k];
    EXPECT_EQ(t.received, 1794816000 + i * 60);
    EXPECT_EQ(t.sender, "user" + std::to_string(i % 4) + "@contoso.com");
    EXPECT_EQ(t.recipient, "rcpt" + std::to_string(i) + "@fabrikam.com");
    EXPECT_EQ(t.status, i % 10 ? "Delivered" : "Failed");
    EXPECT_EQ(t.cipher, "ECDHE-RSA-AES256-GCM-SHA384");
    EXPECT_EQ(t.connector.has_value(), i % 4 != 0);
    EXPECT_FALSE(t.remote_host);
    EXPECT_FALSE(t.remote_ip);
    EXPECT_FALSE(t.tls_trust);
    EXPECT_EQ(t.message_id, "<" + std::to_string(i) + "@contoso.com>");
  }
}

TEST(DictionaryValues, AValueReadInAWriteTransactionThatRollsBackIsNotRemembered) {
  TraceStore store(fresh_db("rollback"));
  write_traffic(store);
  int statuses = dictionary_index("statuses");
  auto new_status_id = [&] {
    auto s = store.db().prepare("SELECT max(id) FROM statuses");
    EXPECT_TRUE(s->step());
    return s->column_int(0);
  };
  std::int64_t id = 0;
  {
    Transaction t(store.db());
    store.db().exec("INSERT INTO statuses(value) VALUES('Quarantined')");
    id = new_status_id();
    EXPECT_EQ(store.dictionary_values().value(statuses, id), "Quarantined");
  }  // rolled back: the id is free again
  {
    Transaction t(store.db());
    store.db().exec("INSERT INTO statuses(value) VALUES('Expanded')");
    EXPECT_EQ(new_status_id(), id);
    t.commit();
  }
  EXPECT_EQ(store.dictionary_values().value(statuses, id), "Expanded");
}

TEST(DictionaryValues, TwoCursorsReadInTurnOnOneConnection) {
  TraceStore store(fresh_db("two"));
  write_traffic(store);
  TraceQuery q;
  q.from = 0;
  q.to = 4102444800;
  TraceCursor a(store, q), b(store, q);
  int rows = 0;
  for (;;) {
    auto x = a.next();
    auto y = b.next();
    ASSERT_EQ(x.has_value(), y.has_value());
    if (!x) break;
    EXPECT_EQ(x->recipient, y->recipient);
    EXPECT_EQ(x->status, y->status);
    ++rows;
  }
  EXPECT_EQ(rows, 60);
}

}  // namespace mailflow
