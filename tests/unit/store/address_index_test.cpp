// Get-MessageTrace's address filters (-SenderDomain, -SenderAddress and
// the recipient ones): every pattern must pick exactly the traces whose
// lower-cased address its GLOB matches, for every address a log can hold.
// Schema 10 looked domains and addresses up in an index of the addresses
// dictionary; schema 11 keeps the addresses in the rows and tests them
// there (store/migrations.cpp).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "core/wildcard.h"
#include "store/migrations.h"
#include "store/trace_query.h"
#include "store/trace_store.h"

#include "store_fixture.h"
#include "test_temp_dir.h"

namespace mailflow {

namespace {

using testing::contains;
using testing::plan_of;

std::string fresh_db(const char* name) {
  auto path = test::temp_dir() /
              (std::string("mailflow-address-index-") + name + "-" + std::to_string(::getpid()) + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path.string();
}

constexpr UnixSeconds kStart = 1794816000;  // 2026-11-16

// Addresses as logs write them, including the awkward ones: case variants
// (each its own dictionary entry), a quoted local part with an `@`, an `@`
// in the local part, no `@` at all (bounces, local submissions), nothing
// after the `@`, nothing before it, a subdomain, a trailing dot, GLOB and
// LIKE metacharacters, non-ASCII (lower() folds ASCII only).
const char* const kAddresses[] = {
    "Ann.Lee@Contoso.COM", "ann.lee@contoso.com", "\"a@b\"@fabrikam.com", "x@contoso.com@fabrikam.com",
    "contoso.com",         "",                    "root",                 "x@",
    "@contoso.com",        "user@mail.contoso.com", "user@contoso.com.",  "first_last%@x.com",
    "a*b@x.com",           "a[b@x.com",           "\xc3\xa9@\xc3\x89X.com", "\xc3\xa9@\xc3\xa9x.com",
    "b@FABRIKAM.com",      "b\"@fabrikam.com",    "\"p@q@r\"@Contoso.com",
};
constexpr int kAddressCount = sizeof kAddresses / sizeof kAddresses[0];

// One trace per (sender, recipient) pair of kAddresses, a minute apart;
// MessageId says which.
void write_traffic(TraceStore& store) {
  TraceWriter w(store);
  int n = 0;
  for (int s = 0; s < kAddressCount; ++s)
    for (int r = 0; r < kAddressCount; ++r) {
      Trace t;
      t.received = kStart + 60 * n++;
      t.sender = kAddresses[s];
      t.recipient = kAddresses[r];
      t.size = 100;
      t.message_id = std::to_string(s) + "/" + std::to_string(r);
      ASSERT_TRUE(w.add(t, trace_fingerprint(t), std::nullopt));
    }
  w.commit();
}

std::vector<Trace> query(TraceStore& store, const TraceFilter& where) {
  TraceQuery q;
  q.from = kStart;
  q.to = kStart + 86400;
  q.where = where;
  TraceCursor c(store, q);
  std::vector<Trace> out;
  while (auto t = c.next()) out.push_back(*t);
  return out;
}

std::vector<std::string> ids_of(const std::vector<Trace>& traces) {
  std::vector<std::string> out;
  for (const Trace& t : traces) out.push_back(t.message_id.value_or(""));
  std::sort(out.begin(), out.end());
  return out;
}

// The GLOBs Get-MessageTrace builds: -SenderDomain d is `*@` and d as a
// literal, -SenderAddress a is a's wildcards translated.
std::string domain_glob(const std::string& d) { return "*@" + literal_to_glob(d); }


}  // namespace

// Each filter through the store
// against the same GLOB tested in C++ on every stored trace
// (TraceFilter::matches, sqlite3_strglob over the lower-cased address).
TEST(AddressIndex, LookupsPickTheAddressesTheirPatternsMatch) {
  TraceStore store(fresh_db("same-rows"));
  write_traffic(store);
  std::vector<Trace> all = query(store, {});
  ASSERT_EQ(all.size(), static_cast<std::size_t>(kAddressCount * kAddressCount));
  std::vector<std::string> globs = {
      // domains (-SenderDomain, `-SenderAddress *@domain`)
      domain_glob("contoso.com"), domain_glob("CONTOSO.com"), domain_glob("fabrikam.com"),
      domain_glob("mail.contoso.com"), domain_glob("contoso.com."), domain_glob("x.com"),
      domain_glob("\xc3\x89X.com"), domain_glob("\xc3\xa9x.com"), wildcard_to_glob("*@Contoso.com"),
      domain_glob("nowhere.example"),
      // addresses
      wildcard_to_glob("ann.lee@contoso.com"), wildcard_to_glob("ANN.LEE@Contoso.com"),
      wildcard_to_glob("\"a@b\"@fabrikam.com"), wildcard_to_glob("a`*b@x.com"), wildcard_to_glob("a`[b@x.com"),
      wildcard_to_glob("first_last%@x.com"), wildcard_to_glob("@contoso.com"), wildcard_to_glob("x@"),
      wildcard_to_glob("x@contoso.com@fabrikam.com"), wildcard_to_glob("\"P@Q@R\"@contoso.com"),
      // patterns and addresses without `@`
      "*@", "*@b\"@fabrikam.com", wildcard_to_glob("root"), wildcard_to_glob("contoso.com"),
      wildcard_to_glob("ann*"), wildcard_to_glob("*@*.com"), wildcard_to_glob("[a-c]*"), wildcard_to_glob("*contoso*"),
  };
  for (const std::string& g : globs) {
    for (bool sender : {true, false}) {
      TraceFilter f;
      (sender ? f.sender_globs : f.recipient_globs) = {g};
      std::vector<Trace> expected;
      for (const Trace& t : all)
        if (f.matches(t)) expected.push_back(t);
      EXPECT_EQ(ids_of(query(store, f)), ids_of(expected)) << (sender ? "sender " : "recipient ") << g;
    }
  }
  // The filters are not vacuous: contoso.com is two spellings of Ann's
  // address, the address with nothing before the `@` and the quoted one with
  // three, not the subdomain, the trailing dot, the address whose last `@`
  // is fabrikam.com's, nor the value without `@`.
  TraceFilter contoso;
  contoso.sender_globs = {domain_glob("Contoso.com")};
  std::vector<std::string> senders;
  for (const Trace& t : query(store, contoso))
    if (std::find(senders.begin(), senders.end(), t.sender) == senders.end()) senders.push_back(t.sender);
  std::sort(senders.begin(), senders.end());
  EXPECT_EQ(senders, (std::vector<std::string>{"\"p@q@r\"@Contoso.com", "@contoso.com", "Ann.Lee@Contoso.COM",
                                               "ann.lee@contoso.com"}));
  TraceFilter fabrikam;
  fabrikam.recipient_globs = {domain_glob("fabrikam.com")};
  EXPECT_EQ(query(store, fabrikam).size(), 4u * kAddressCount);  // 4 of the recipients
  // Two conditions on the same column must both hold.
  TraceFilter both;
  both.sender_globs = {domain_glob("contoso.com"), wildcard_to_glob("ann.lee@contoso.com")};
  EXPECT_EQ(query(store, both).size(), 2u * kAddressCount);
}

// Addresses are in the rows (schema 11): every address pattern is tested on
// the rows the range reads, off the received index in order, with no
// subquery, no sort and no dictionary.
TEST(AddressIndex, AddressPatternsAreTestedOnTheRowsTheRangeReads) {
  TraceStore store(fresh_db("plan"));
  const std::string globs[] = {domain_glob("contoso.com"), wildcard_to_glob("ann.lee@contoso.com"),
                               wildcard_to_glob("ann*"), wildcard_to_glob("root")};
  for (const std::string& g : globs) {
    for (bool sender : {true, false}) {
      TraceQuery q;
      q.from = 0;
      q.to = 86400;
      q.limit = 1000;
      q.offset = 19000;
      (sender ? q.where.sender_globs : q.where.recipient_globs) = {g};
      std::string sql = trace_query_sql(q);
      EXPECT_TRUE(contains(sql, sender ? "lower(sender) GLOB ?" : "lower(recipient) GLOB ?")) << sql;
      std::string plan = plan_of(store.db(), sql);
      EXPECT_TRUE(contains(plan, "SEARCH traces USING INDEX traces_received_fingerprint (received>? AND received<?)"))
          << g << "\n" << plan;
      EXPECT_FALSE(contains(plan, "SUBQUERY")) << g << "\n" << plan;
      EXPECT_FALSE(contains(plan, "TEMP B-TREE")) << g << "\n" << plan;
      EXPECT_FALSE(contains(plan, "addresses")) << g << "\n" << plan;
    }
  }
}

// A store of schema 10 (addresses as ids into the addresses dictionary, with
// its domain index) upgrades in place: each row gets its addresses back as
// text, byte for byte (case, a second `@`, none, nothing, digits only), the
// dictionary and its index go, and the filters find the same rows.
TEST(AddressIndex, SchemaTenStoreGetsItsAddressesBackInTheRows) {
  std::string path = fresh_db("upgrade10");
  {
    Database db(path);
    migrate(db, 10);
    db.exec(
        "INSERT INTO addresses(id, value) VALUES (1, 'Ann.Lee@Contoso.COM'), (2, 'bob@fabrikam.com'),"
        " (3, 'contoso.com'), (4, 'x@contoso.com@fabrikam.com'), (5, '007'), (6, '');"
        "INSERT INTO statuses(id, value) VALUES (1, 'Delivered');"
        "INSERT INTO trace_rows(received, direction, tls, sender, recipient, size, status, message_id, fingerprint)"
        " VALUES (1794816000, 0, 12, 1, 2, 10, 1, 'a', 1), (1794816060, 0, 12, 2, 1, 10, 1, 'b', 2),"
        " (1794816120, 0, 12, 3, 5, 10, 1, 'c', 3), (1794816180, 0, 12, 4, 6, 10, 1, 'd', 4);");
  }
  std::vector<std::string> progress;
  TraceStore store(path, [&](const std::string& line) { progress.push_back(line); });
  {
    auto s = store.db().prepare("PRAGMA user_version");
    ASSERT_TRUE(s->step());
    EXPECT_EQ(s->column_int(0), current_schema_version());
    EXPECT_GE(current_schema_version(), 11);
  }
  ASSERT_FALSE(progress.empty());
  EXPECT_NE(progress.front().find("schema 11"), std::string::npos) << progress.front();
  EXPECT_NE(progress.front().find("4 traces"), std::string::npos) << progress.front();
  {
    auto s = store.db().prepare(
        "SELECT message_id, sender, typeof(sender), recipient, typeof(recipient) FROM trace_rows ORDER BY id");
    const char* const expected[][3] = {{"a", "Ann.Lee@Contoso.COM", "bob@fabrikam.com"},
                                       {"b", "bob@fabrikam.com", "Ann.Lee@Contoso.COM"},
                                       {"c", "contoso.com", "007"},
                                       {"d", "x@contoso.com@fabrikam.com", ""}};
    for (const auto& row : expected) {
      ASSERT_TRUE(s->step());
      EXPECT_EQ(s->column_text(0), row[0]);
      EXPECT_EQ(s->column_text(1), row[1]);
      EXPECT_EQ(s->column_text(2), "text");
      EXPECT_EQ(s->column_text(3), row[2]);
      EXPECT_EQ(s->column_text(4), "text");
    }
    EXPECT_FALSE(s->step());
  }
  {
    auto s = store.db().prepare("SELECT count(*) FROM sqlite_schema WHERE name IN ('addresses', 'addresses_domain')");
    ASSERT_TRUE(s->step());
    EXPECT_EQ(s->column_int(0), 0);
    auto indexes = store.db().prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'trace_rows' ORDER BY name");
    ASSERT_TRUE(indexes->step());
    EXPECT_EQ(indexes->column_text(0), "traces_connector_received");
    ASSERT_TRUE(indexes->step());
    EXPECT_EQ(indexes->column_text(0), "traces_received_fingerprint");
    EXPECT_FALSE(indexes->step());
  }
  TraceFilter contoso;
  contoso.sender_globs = {domain_glob("contoso.com")};
  EXPECT_EQ(ids_of(query(store, contoso)), (std::vector<std::string>{"a"}));
  TraceFilter fabrikam;
  fabrikam.sender_globs = {domain_glob("Fabrikam.com")};
  EXPECT_EQ(ids_of(query(store, fabrikam)), (std::vector<std::string>{"b", "d"}));
  // Addresses added after the upgrade go into the rows too.
  {
    TraceWriter w(store);
    Trace t;
    t.received = kStart + 600;
    t.sender = "carol@CONTOSO.com";
    t.recipient = "0042";
    t.size = 10;
    t.message_id = "e";
    ASSERT_TRUE(w.add(t, trace_fingerprint(t), std::nullopt));
    w.commit();
  }
  EXPECT_EQ(ids_of(query(store, contoso)), (std::vector<std::string>{"a", "e"}));
  TraceFilter carol;
  carol.sender_globs = {wildcard_to_glob("Carol@contoso.com")};
  std::vector<Trace> found = query(store, carol);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].recipient, "0042");
}

}  // namespace mailflow

namespace mailflow {

// A schema-10 store whose bulk load was cut (its trace_rows indexes
// dropped, their definitions kept in config) upgrades without building
// them; the next import's end builds them on the new table, as it would
// have on the old one.
TEST(AddressIndex, SchemaTenStoreWithABulkLoadPendingUpgradesAndFinishesIt) {
  std::string path = fresh_db("upgrade10-bulk");
  std::string definitions;
  {
    Database db(path);
    migrate(db, 10);
    {
      auto s = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'trace_rows' ORDER BY name");
      while (s->step()) definitions += s->column_text(0) + "\n";
    }
    db.exec(
        "INSERT INTO addresses(id, value) VALUES (1, 'ann@contoso.com'), (2, 'bob@fabrikam.com');"
        "INSERT INTO statuses(id, value) VALUES (1, 'Delivered');"
        "INSERT INTO trace_rows(received, direction, tls, sender, recipient, size, status, message_id, fingerprint)"
        " VALUES (1794816000, 0, 12, 1, 2, 10, 1, 'a', 1), (1794816060, 1, 12, 2, 1, 10, 1, 'b', 2);"
        "DROP INDEX traces_received_fingerprint; DROP INDEX traces_connector_received;");
    auto mark = db.prepare("INSERT INTO config(key, value) VALUES('bulk-load:indexes', ?1)");
    mark->bind(1, definitions);
    mark->run();
  }
  ASSERT_NE(definitions.find("traces_received_fingerprint"), std::string::npos) << definitions;
  TraceStore store(path, [](const std::string&) {});
  auto indexes = [&] {
    auto s = store.db().prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'trace_rows'");
    s->step();
    return s->column_int(0);
  };
  EXPECT_EQ(indexes(), 0);
  EXPECT_TRUE(TraceWriter::bulk_load_pending(store));
  {
    TraceWriter w(store);
    EXPECT_EQ(w.finish_bulk_load(), 0);
    w.commit();
  }
  EXPECT_EQ(indexes(), 2);
  EXPECT_FALSE(TraceWriter::bulk_load_pending(store));
  TraceFilter fabrikam;
  fabrikam.recipient_globs = {domain_glob("fabrikam.com")};
  std::vector<Trace> found = query(store, fabrikam);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].sender, "ann@contoso.com");
}

}  // namespace mailflow
