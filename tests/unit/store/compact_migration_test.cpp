// Migration 6: a store of version 5 (string columns, FNV fingerprints) is
// rewritten in place into dictionary ids and the new fingerprints, with
// progress reported, row ids kept (session links and lifecycle keys refer to
// them), and the file it came from imported again adds nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "ingest/importer.h"
#include "store/migrations.h"
#include "store/trace_dictionary.h"
#include "store/trace_store.h"
#include "test_temp_dir.h"

namespace mailflow {

namespace {

std::string fresh(const std::string& name) {
  auto path = test::temp_dir() / ("mailflow-compact-" + name);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path.string();
}

// The same records as the CSV below, as the reader makes them.
std::vector<Trace> records() {
  Trace a;
  a.received = 1794816902;  // 2026-11-16T08:15:02Z
  a.direction = Direction::Inbound;
  a.tls = TlsVersion::Tls12;
  a.cipher = "ECDHE-RSA-AES256-GCM-SHA384";
  a.sender = "olivia@fabrikam.com";
  a.recipient = "megan@contoso.com";
  a.remote_host = "mail.fabrikam.com";
  a.remote_ip = "198.51.100.25";
  a.size = 4821;
  a.message_id = "<1@fabrikam.com>";
  Trace b = a;  // the same message twice in the file: occurrence 1
  Trace c;
  c.received = 1794816960;
  c.direction = Direction::Outbound;
  c.tls = TlsVersion::None;
  c.sender = "megan@contoso.com";
  c.recipient = "sam@adatum.com";
  c.size = 120;
  c.status = "Failed";
  return {a, b, c};
}

constexpr const char* kCsv =
    "received,direction,connector,tls,cipher,sender,recipient,remote_host,remote_ip,size,status,message_id\n"
    "2026-11-16T08:15:02Z,Inbound,,TLS1.2,ECDHE-RSA-AES256-GCM-SHA384,olivia@fabrikam.com,megan@contoso.com,"
    "mail.fabrikam.com,198.51.100.25,4821,Delivered,<1@fabrikam.com>\n"
    "2026-11-16T08:15:02Z,Inbound,,TLS1.2,ECDHE-RSA-AES256-GCM-SHA384,olivia@fabrikam.com,megan@contoso.com,"
    "mail.fabrikam.com,198.51.100.25,4821,Delivered,<1@fabrikam.com>\n"
    "2026-11-16T08:16:00Z,Outbound,,None,,megan@contoso.com,sam@adatum.com,,,120,Failed,\n";

}  // namespace

TEST(CompactMigration, VersionFiveStoreIsRewrittenAndReimportAddsNothing) {
  std::string db_path = fresh("v5.db");
  std::vector<Trace> traces = records();
  {
    Database db(db_path);
    db.exec("PRAGMA foreign_keys=ON");
    migrate(db, 5);
    auto insert = db.prepare(
        "INSERT INTO traces(received, direction, connector, tls, cipher, sender, recipient, remote_host,"
        " remote_ip, size, status, message_id, fingerprint) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
        " ?12, ?13)");
    for (std::uint32_t i = 0; i < traces.size(); ++i) {
      const Trace& t = traces[i];
      // As the old importer kept them: the fingerprint of the record as
      // read (no connector), its occurrence in the file, and the connector
      // attribution gave the first one afterwards.
      std::uint32_t occurrence = i == 1 ? 1 : 0;
      insert->bind(1, t.received).bind(2, static_cast<int>(t.direction));
      if (i == 0) insert->bind(3, "Fabrikam Partner Inbound");
      else insert->bind_null(3);
      insert->bind(4, static_cast<int>(t.tls)).bind(5, t.cipher).bind(6, t.sender).bind(7, t.recipient);
      insert->bind(8, t.remote_host).bind(9, t.remote_ip).bind(10, t.size).bind(11, t.status);
      insert->bind(12, t.message_id).bind(13, legacy_trace_fingerprint(t, occurrence));
      insert->run();
    }
    db.exec(
        "INSERT INTO daily_rollup VALUES(20773, 0, 'Fabrikam Partner Inbound', 12, 'Delivered', 1, 4821),"
        " (20773, 0, '', 12, 'Delivered', 1, 4821), (20773, 1, '', 0, 'Failed', 1, 120)");
    // An Exchange session link as store/session_tls.cpp made it before
    // schema 6, and a lifecycle key.
    db.exec(
        "CREATE TABLE trace_smtp_session(session_key TEXT NOT NULL,"
        " trace_id INTEGER NOT NULL REFERENCES traces(id) ON DELETE CASCADE,"
        " PRIMARY KEY(session_key, trace_id)) WITHOUT ROWID;"
        "INSERT INTO trace_smtp_session VALUES('connector|08DD0001', 3);"
        "INSERT INTO trace_lifecycle VALUES('mx/4XyZ1/sam@adatum.com', 3, 0);");
  }
  std::vector<std::string> progress;
  TraceStore store(db_path, [&](const std::string& line) { progress.push_back(line); });
  EXPECT_GE(current_schema_version(), 6);
  ASSERT_FALSE(progress.empty());
  EXPECT_NE(progress.front().find("3 traces"), std::string::npos) << progress.front();
  EXPECT_NE(progress.back().find("upgraded"), std::string::npos) << progress.back();

  // Strings that repeat are ids now, shown as before through the view; the
  // addresses are in the rows (schema 11), and their dictionary is gone.
  auto distinct = store.db().prepare("SELECT count(*) FROM ips");
  ASSERT_TRUE(distinct->step());
  EXPECT_EQ(distinct->column_int(0), 1);
  auto inline_addresses = store.db().prepare(
      "SELECT count(*) FROM trace_rows WHERE typeof(sender) = 'text' AND typeof(recipient) = 'text'");
  ASSERT_TRUE(inline_addresses->step());
  EXPECT_EQ(inline_addresses->column_int(0), 3);
  auto dictionary = store.db().prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'addresses'");
  ASSERT_TRUE(dictionary->step());
  EXPECT_EQ(dictionary->column_int(0), 0);
  auto rows = store.db().prepare(
      "SELECT connector, cipher, sender, remote_ip, status, fingerprint FROM traces ORDER BY id");
  std::vector<std::int64_t> fingerprints;
  ASSERT_TRUE(rows->step());
  EXPECT_EQ(rows->column_text(0), "Fabrikam Partner Inbound");
  EXPECT_EQ(rows->column_text(1), "ECDHE-RSA-AES256-GCM-SHA384");
  EXPECT_EQ(rows->column_text(2), "olivia@fabrikam.com");
  EXPECT_EQ(rows->column_text(3), "198.51.100.25");
  fingerprints.push_back(rows->column_int(5));
  ASSERT_TRUE(rows->step());
  fingerprints.push_back(rows->column_int(5));
  ASSERT_TRUE(rows->step());
  EXPECT_TRUE(rows->column_is_null(0));
  EXPECT_TRUE(rows->column_is_null(1));
  EXPECT_EQ(rows->column_text(4), "Failed");
  fingerprints.push_back(rows->column_int(5));
  EXPECT_FALSE(rows->step());
  EXPECT_EQ(fingerprints[0], trace_fingerprint(traces[0], 0));
  EXPECT_EQ(fingerprints[1], trace_fingerprint(traces[1], 1));
  EXPECT_EQ(fingerprints[2], trace_fingerprint(traces[2], 0));

  // Row ids kept: the link and the lifecycle key still name the third trace,
  // and the link now refers to trace_rows (deleting the row removes it).
  auto linked = store.db().prepare(
      "SELECT t.recipient FROM trace_smtp_session l JOIN traces t ON t.id = l.trace_id"
      " UNION ALL SELECT t.recipient FROM trace_lifecycle k JOIN traces t ON t.id = k.trace_id");
  ASSERT_TRUE(linked->step());
  EXPECT_EQ(linked->column_text(0), "sam@adatum.com");
  ASSERT_TRUE(linked->step());
  EXPECT_EQ(linked->column_text(0), "sam@adatum.com");
  linked.reset();
  {
    Transaction tx(store.db());
    store.db().exec("DELETE FROM trace_rows WHERE id = 3");
    auto left = store.db().prepare("SELECT count(*) FROM trace_smtp_session");
    ASSERT_TRUE(left->step());
    EXPECT_EQ(left->column_int(0), 0);
  }  // rolled back

  // The file those traces came from, imported again: nothing new.
  std::string csv = fresh("v5.csv");
  std::ofstream(csv) << kCsv;
  ImportSummary again = import_trace_file(store, csv, {});
  EXPECT_EQ(again.imported, 0);
  EXPECT_EQ(again.duplicates, 3);
  EXPECT_EQ(store.trace_count(), 3);
}

TEST(CompactMigration, EmptyStoreUpgradesSilently) {
  std::string db_path = fresh("empty.db");
  {
    Database db(db_path);
    migrate(db, 5);
  }
  std::vector<std::string> progress;
  TraceStore store(db_path, [&](const std::string& line) { progress.push_back(line); });
  EXPECT_TRUE(progress.empty());
  EXPECT_EQ(store.trace_count(), 0);
}

}  // namespace mailflow

namespace mailflow {

// The trace-field table and the schema agree: every field is a column of
// trace_rows, a field with a dictionary holds ids of an existing table, and
// the view shows every field by its key, strings as they were written.
TEST(CompactMigration, EveryTraceFieldIsAColumnAndTheViewShowsIt) {
  TraceStore store(fresh("fields.db"));
  std::vector<std::string> columns, view;
  {
    auto s = store.db().prepare("SELECT name FROM pragma_table_info('trace_rows')");
    while (s->step()) columns.push_back(s->column_text(0));
    auto v = store.db().prepare("SELECT name FROM pragma_table_info('traces')");
    while (v->step()) view.push_back(v->column_text(0));
  }
  for (std::size_t i = 0; i < kTraceFieldCount; ++i) {
    std::string key(kTraceFields[i].key);
    EXPECT_NE(std::find(columns.begin(), columns.end(), key), columns.end()) << key;
    EXPECT_NE(std::find(view.begin(), view.end(), key), view.end()) << key;
    int dict = trace_field_dictionary(i);
    EXPECT_EQ(dict >= 0, !kTraceFields[i].dictionary.empty()) << key;
    if (dict < 0) continue;
    auto t = store.db().prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1");
    t->bind(1, trace_dictionary_tables()[static_cast<std::size_t>(dict)]);
    ASSERT_TRUE(t->step());
    EXPECT_EQ(t->column_int(0), 1) << key;
  }
  Trace t;
  t.received = 1794816902;
  t.connector = "Fabrikam Partner Inbound";
  t.tls_trust = TlsTrust::Verified;
  t.cipher = "TLS_AES_256_GCM_SHA384";
  t.sender = "olivia@fabrikam.com";
  t.recipient = "megan@contoso.com";
  t.remote_host = "mail.fabrikam.com";
  t.remote_ip = "198.51.100.25";
  t.message_id = "<1@fabrikam.com>";
  {
    TraceWriter w(store);
    ASSERT_TRUE(w.add(t, trace_fingerprint(t), std::nullopt));
    w.commit();
  }
  auto s = store.db().prepare("SELECT connector, tls_trust, cipher, sender, recipient, remote_host, remote_ip,"
                              " status, message_id FROM traces");
  ASSERT_TRUE(s->step());
  EXPECT_EQ(s->column_text(0), "Fabrikam Partner Inbound");
  EXPECT_EQ(s->column_text(1), "Verified");
  EXPECT_EQ(s->column_text(2), "TLS_AES_256_GCM_SHA384");
  EXPECT_EQ(s->column_text(3), "olivia@fabrikam.com");
  EXPECT_EQ(s->column_text(4), "megan@contoso.com");
  EXPECT_EQ(s->column_text(5), "mail.fabrikam.com");
  EXPECT_EQ(s->column_text(6), "198.51.100.25");
  EXPECT_EQ(s->column_text(7), "Delivered");
  EXPECT_EQ(s->column_text(8), "<1@fabrikam.com>");
}

}  // namespace mailflow
