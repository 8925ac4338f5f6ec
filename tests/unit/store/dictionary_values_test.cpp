// The read side of the trace dictionaries: TraceCursor turns the ids of a
// page into strings through the store's DictionaryValues, one lookup per
// value the connection has not read before.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <string_view>

#include "core/error.h"
#include "core/trace_fields.h"
#include "store/dictionary_values.h"
#include "store/trace_dictionary.h"
#include "store/trace_query.h"
#include "store/trace_store.h"
#include "test_temp_dir.h"

namespace mailflow {

namespace {

std::string fresh_db(const char* name) {
  auto path = test::temp_dir() /
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
    // A blob handle's statement has no SQL text (sqlite3_sql gives NULL).
    const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(stmt));
    if (sql && std::string_view(sql).find(c->part) != std::string_view::npos) ++c->rows;
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
  store.db().exec(
      "INSERT INTO statuses(id, value) VALUES(5000000, 'Expanded'), (5000001, ''), (8589934592, 'Huge'),"
      " (-3, 'Negative'), (4294967295, 'Top')");
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
    EXPECT_EQ(values.value(statuses, 8589934592), "Huge");
    EXPECT_EQ(values.value(statuses, -3), "Negative");
    EXPECT_EQ(values.value(statuses, 4294967295), "Top");
  }
  sqlite3_trace_v2(store.db().handle(), 0, nullptr, nullptr);
  EXPECT_EQ(lookups.rows, 6);
  // Read ahead, then found without a lookup; an id that is not there is
  // not remembered.
  DictionaryValues ahead(store.db());
  std::vector<std::int64_t> ids = {8589934592, -3, failed_id, 5000001, -3, 4294967295, 777777};
  ahead.read_ahead(statuses, ids);
  EXPECT_EQ(ids, (std::vector<std::int64_t>{-3, failed_id, 777777, 5000001, 4294967295, 8589934592}));
  EXPECT_EQ(ahead.lookups(), 6u);
  for (std::int64_t id : {std::int64_t{8589934592}, std::int64_t{-3}, failed_id, std::int64_t{5000001}, std::int64_t{4294967295}})
    EXPECT_TRUE(ahead.remembered(statuses, id)) << id;
  EXPECT_FALSE(ahead.remembered(statuses, 777777));
  EXPECT_FALSE(ahead.remembered(statuses, 5000000));
  EXPECT_EQ(ahead.value(statuses, 8589934592), "Huge");
  EXPECT_EQ(ahead.value(statuses, -3), "Negative");
  EXPECT_EQ(ahead.value(statuses, 5000001), "");
  EXPECT_EQ(ahead.value(statuses, 4294967295), "Top");
  EXPECT_EQ(ahead.lookups(), 6u);
}

// Counted by the store's DictionaryValues: past the first rows a cursor
// reads ahead and looks values up with one statement per dictionary.
TEST(DictionaryValues, APageLooksUpEachDistinctValueOnce) {
  TraceStore store(fresh_db("once"));
  write_traffic(store);
  struct {
    const DictionaryValues& values;
    std::size_t rows = 0;
  } lookups{store.dictionary_values()};
  auto count = [&] { lookups.rows = lookups.values.lookups(); };
  TraceQuery q;
  q.from = 0;
  q.to = 4102444800;  // 2100-01-01
  std::vector<Trace> page;
  {
    TraceCursor cursor(store, q);
    while (auto t = cursor.next()) page.push_back(std::move(*t));
  }
  ASSERT_EQ(page.size(), 60u);
  count();
  // The store remembers them: a second page of the same rows looks up nothing.
  {
    std::size_t first = lookups.rows;
    TraceCursor again(store, q);
    int rows = 0;
    while (again.next()) ++rows;
    EXPECT_EQ(rows, 60);
    count();
    EXPECT_EQ(lookups.rows, first);
  }
  // 3 connectors + 1 cipher + 2 statuses (the addresses are in the rows);
  // no lookup for a missing value (no connector, host, IP or trust).
  EXPECT_EQ(lookups.rows, 3u + 1 + 2);
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

namespace {

// 3000 traces a second apart, so that newest first is one order: senders
// and hosts named in an order unlike their ids', empty senders (bounces),
// and every nullable field missing on some rows.
void write_varied_traffic(TraceStore& store, int count) {
  TraceWriter w(store);
  for (int i = 0; i < count; ++i) {
    Trace t;
    t.received = 1794816000 + i;
    t.direction = i % 3 ? Direction::Outbound : Direction::Inbound;
    if (i % 5) t.connector = "Connector " + std::to_string(i % 3);
    t.tls = i % 4 ? TlsVersion::Tls12 : TlsVersion::None;
    if (i % 4 == 1) t.tls_trust = TlsTrust::Trusted;
    if (i % 6) t.cipher = "cipher-" + std::to_string(i % 9);
    t.sender = i % 7 ? "s" + std::to_string(i * 7919 % 1500) + "@contoso.com" : "";
    t.recipient = "r" + std::to_string(count - i) + "@fabrikam.com";
    // Hosts: most rows name their own (a large dictionary to read ahead).
    if (i % 3) t.remote_host = "mx" + std::to_string(i * 7 % (count + 1)) + ".example.net";
    if (i % 2) t.remote_ip = "10.0." + std::to_string(i % 250) + "." + std::to_string(i % 7);
    t.size = 1000 + i;
    t.status = i % 10 ? "Delivered" : "Failed";
    if (i % 11) t.message_id = "<" + std::to_string(i) + "@contoso.com>";
    ASSERT_TRUE(w.add(t, trace_fingerprint(t), std::nullopt));
  }
  w.commit();
}

// The traces of `q` as the `traces` view gives them (the dictionaries
// joined in SQL), newest first.
std::vector<Trace> joined_in_sql(TraceStore& store, const std::string& where) {
  auto s = store.db().prepare("SELECT " + trace_field_columns() + " FROM traces" + where + " ORDER BY received DESC");
  std::vector<Trace> out;
  while (s->step()) out.push_back(read_trace_fields(*s, 0));
  return out;
}

std::vector<Trace> read_all(TraceStore& store, const TraceQuery& q) {
  std::vector<Trace> out;
  TraceCursor cursor(store, q);
  while (auto t = cursor.next()) out.push_back(std::move(*t));
  return out;
}

// Every field of every row, in order (nil, an integer or the same text).
void expect_same_traces(const std::vector<Trace>& got, const std::vector<Trace>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t r = 0; r < got.size(); ++r)
    for (const TraceField& f : kTraceFields)
      ASSERT_EQ(FieldValue(f.get(got[r])), FieldValue(f.get(want[r]))) << "row " << r << ", " << f.property;
}

TraceQuery everything() {
  TraceQuery q;
  q.from = 0;
  q.to = 4102444800;  // 2100-01-01
  return q;
}

}  // namespace

// Past its first rows the cursor reads rows ahead and resolves their ids
// in one sorted pass per dictionary (one blob handle each): the
// rows, their order, every string and every missing value are what the
// dictionaries joined in SQL give, on the first read (every value read
// ahead) and the second (every value remembered).
TEST(DictionaryValues, ReadAheadGivesWhatTheDictionariesJoinedInSqlGive) {
  TraceStore store(fresh_db("ahead"));
  write_varied_traffic(store, 3000);
  std::vector<Trace> want = joined_in_sql(store, "");
  ASSERT_EQ(want.size(), 3000u);
  RowCounter on_store{"WHERE id = ?1"};
  sqlite3_trace_v2(store.db().handle(), SQLITE_TRACE_ROW, RowCounter::on_row, &on_store);
  expect_same_traces(read_all(store, everything()), want);
  sqlite3_trace_v2(store.db().handle(), 0, nullptr, nullptr);
  auto distinct = [&](const char* sql) {
    auto s = store.db().prepare(sql);
    EXPECT_TRUE(s->step());
    return static_cast<std::size_t>(s->column_int(0));
  };
  // Each value once, and most through the read-ahead, not on the store's
  // connection (there only the first rows' values, looked up one by one).
  std::size_t values = distinct("SELECT count(*) FROM hosts") +
                       distinct("SELECT count(*) FROM ips") + distinct("SELECT count(*) FROM trace_connectors") +
                       distinct("SELECT count(*) FROM ciphers") + distinct("SELECT count(*) FROM statuses") +
                       distinct("SELECT count(*) FROM trust_levels");
  EXPECT_EQ(store.dictionary_values().lookups(), values);
  EXPECT_GT(on_store.rows, 0);
  EXPECT_LT(on_store.rows, 16 * 8);
  expect_same_traces(read_all(store, everything()), want);
  EXPECT_EQ(store.dictionary_values().lookups(), values);
}

TEST(DictionaryValues, ReadAheadOnAStoreInMemoryGivesTheSame) {
  TraceStore store(":memory:");
  write_varied_traffic(store, 3000);
  expect_same_traces(read_all(store, everything()), joined_in_sql(store, ""));
  expect_same_traces(read_all(store, everything()), joined_in_sql(store, ""));
}

// A pushed-down condition on the row's own fields skips rows while reading
// ahead; a page (LIMIT, OFFSET) ends where it ends.
TEST(DictionaryValues, ReadAheadKeepsPushedDownConditionsAndPages) {
  TraceStore store(fresh_db("ahead-filter"));
  write_varied_traffic(store, 3000);
  TraceQuery q = everything();
  q.in_page.direction = Direction::Inbound;
  q.in_page.tls = TlsVersion::Tls12;
  expect_same_traces(read_all(store, q), joined_in_sql(store, " WHERE direction = 0 AND tls = 12"));
  TraceQuery page = everything();
  page.limit = 700;
  page.offset = 1200;
  std::vector<Trace> all = joined_in_sql(store, "");
  expect_same_traces(read_all(store, page), std::vector<Trace>(all.begin() + 1200, all.begin() + 1900));
}

// Values this connection wrote in a transaction it has not committed: read
// inside it, the cursor still gives them (and does not keep them: after a
// rollback their ids may name other values), on a file and in memory.
class ReadAheadStores : public ::testing::TestWithParam<bool> {
 protected:
  std::string path(const char* name) { return GetParam() ? std::string(":memory:") : fresh_db(name); }
};

INSTANTIATE_TEST_SUITE_P(FileAndMemory, ReadAheadStores, ::testing::Bool());

TEST_P(ReadAheadStores, InsideTheConnectionsOwnWriteTransaction) {
  TraceStore store(path("ahead-own-tx"));
  write_varied_traffic(store, 600);
  auto give_every_row = [&](const char* host) {
    store.db().exec(std::string("INSERT INTO hosts(value) VALUES('") + host + "')");
    store.db().exec("UPDATE trace_rows SET remote_host = (SELECT max(id) FROM hosts)");
  };
  {
    Transaction tx(store.db());
    give_every_row("uncommitted.contoso.com");
    std::vector<Trace> rows = read_all(store, everything());
    ASSERT_EQ(rows.size(), 600u);
    for (const Trace& t : rows) ASSERT_EQ(t.remote_host, "uncommitted.contoso.com");
    expect_same_traces(rows, joined_in_sql(store, ""));
  }  // rolled back: the host's id is free again
  {
    Transaction tx(store.db());
    give_every_row("committed.contoso.com");
    tx.commit();
  }
  std::vector<Trace> rows = read_all(store, everything());
  ASSERT_EQ(rows.size(), 600u);
  for (const Trace& t : rows) ASSERT_EQ(t.remote_host, "committed.contoso.com");
  expect_same_traces(rows, joined_in_sql(store, ""));
}

// Counts the statements run (SQLITE_TRACE_STMT) whose SQL contains `part`.
struct StatementCounter {
  std::string part;
  int runs = 0;
  static int on_statement(unsigned, void* self, void* stmt, void*) {
    auto* c = static_cast<StatementCounter*>(self);
    const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(stmt));  // NULL for a blob handle's
    if (sql && std::string_view(sql).find(c->part) != std::string_view::npos) ++c->runs;
    return 0;
  }
};

// Past the first 16 rows (read one at a time, each new value looked up by
// its own statement), a read-ahead resolves the values of the rows it read
// without a statement per value: 3000 rows name about 2000 distinct
// hosts, and the per-value statement runs only for the first rows'
// values. Every distinct value is looked up once, and a second read of the
// rows looks up none.
TEST(DictionaryValues, ReadAheadRunsNoStatementPerValue) {
  TraceStore store(fresh_db("one-pass"));
  write_varied_traffic(store, 3000);
  StatementCounter one_by_one{"WHERE id = ?1"};
  sqlite3_trace_v2(store.db().handle(), SQLITE_TRACE_STMT, StatementCounter::on_statement, &one_by_one);
  std::vector<Trace> rows = read_all(store, everything());
  EXPECT_EQ(rows.size(), 3000u);
  EXPECT_LE(one_by_one.runs, 16 * static_cast<int>(trace_dictionary_tables().size()));
  std::size_t looked_up = store.dictionary_values().lookups();
  EXPECT_GT(looked_up, 1500u);  // the hosts, at least
  std::size_t distinct = 0;
  for (std::string_view table : trace_dictionary_tables()) {
    auto count = store.db().prepare("SELECT count(*) FROM " + std::string(table));
    count->step();
    distinct += static_cast<std::size_t>(count->column_int(0));
  }
  EXPECT_LE(looked_up, distinct);
  int first = one_by_one.runs;
  rows = read_all(store, everything());
  sqlite3_trace_v2(store.db().handle(), 0, nullptr, nullptr);
  EXPECT_EQ(rows.size(), 3000u);
  EXPECT_EQ(one_by_one.runs, first);
  EXPECT_EQ(store.dictionary_values().lookups(), looked_up);
}

// Read ahead by hand: more ids than the id table and the arena have room
// for (they grow once per pass), some remembered already, some twice, some
// not in the dictionary; every one found by value() afterwards without a
// lookup, and those not there not remembered.
TEST(DictionaryValues, ReadAheadOfManyIdsRemembersEachOnce) {
  TraceStore store(fresh_db("many"));
  write_varied_traffic(store, 3000);
  int hosts = dictionary_index("hosts");
  std::vector<std::pair<std::int64_t, std::string>> all;
  {
    auto s = store.db().prepare("SELECT id, value FROM hosts ORDER BY id");
    while (s->step()) all.emplace_back(s->column_int(0), s->column_text(1));
  }
  ASSERT_GT(all.size(), 1500u);
  DictionaryValues values(store.db());
  EXPECT_EQ(values.value(hosts, all[7].first), all[7].second);  // remembered before the pass
  EXPECT_EQ(values.lookups(), 1u);
  std::vector<std::int64_t> ids;
  for (std::size_t i = all.size(); i-- > 0;) ids.push_back(all[i].first);  // newest first, as rows name them
  ids.push_back(all[3].first);
  // Ids not in the dictionary, first and last in id order: a failed move
  // of the blob handle does not end the pass.
  ids.push_back(999999999);
  ids.push_back(0);
  ids.push_back(-5);
  values.read_ahead(hosts, ids);
  EXPECT_EQ(ids.size(), all.size() + 3);  // sorted, de-duplicated
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(values.lookups(), 3u + all.size());  // all but the one remembered, and the missing ids
  for (std::int64_t missing : {std::int64_t{999999999}, std::int64_t{0}, std::int64_t{-5}})
    EXPECT_FALSE(values.remembered(hosts, missing)) << missing;
  for (const auto& [id, text] : all) {
    ASSERT_TRUE(values.remembered(hosts, id)) << id;
    ASSERT_EQ(values.value(hosts, id), text) << id;
  }
  EXPECT_EQ(values.lookups(), 3u + all.size());
}

}  // namespace mailflow
