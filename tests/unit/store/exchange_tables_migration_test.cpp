// Migration 7: the Exchange join tables and the report-totals ledger are part
// of the schema; a store from the build that made them on demand upgrades
// with its rows kept.
#include <gtest/gtest.h>

#include <filesystem>

#include "store/migrations.h"
#include "store/report_totals.h"
#include "store/session_tls.h"
#include "store/trace_store.h"
#include "test_temp_dir.h"

namespace mailflow {

namespace {

std::string temp_db(const char* name) {
  auto path = test::temp_dir() / (std::string("mailflow-") + name + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path.string();
}

bool has_table(Database& db, const char* name) {
  auto s = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1");
  s->bind(1, std::string_view(name));
  return s->step();
}

std::int64_t version_of(Database& db) {
  auto s = db.prepare("PRAGMA user_version");
  s->step();
  return s->column_int(0);
}

// The SQL the previous build ran when SessionTlsStore / ReportTotalsStore were
// first constructed (engine/store/session_tls.cpp and report_totals.cpp before
// migration 7), verbatim.
constexpr const char* kOnDemandTables =
    "CREATE TABLE IF NOT EXISTS smtp_session_tls("
    " session_key TEXT PRIMARY KEY,"
    " tls         INTEGER NOT NULL,"
    " cipher      TEXT"
    ") WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS trace_smtp_session("
    " session_key TEXT NOT NULL,"
    " trace_id    INTEGER NOT NULL REFERENCES traces(id) ON DELETE CASCADE,"
    " PRIMARY KEY(session_key, trace_id)"
    ") WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS imported_report_totals("
    " fingerprint INTEGER PRIMARY KEY,"
    " day         INTEGER NOT NULL,"
    " file_id     INTEGER REFERENCES imported_files(id)"
    ");"
    "CREATE INDEX IF NOT EXISTS imported_report_totals_day ON imported_report_totals(day);";

constexpr int kBeforeExchangeTables = 5;  // the last version without them

}  // namespace

TEST(ExchangeTablesMigration, NewStoreHasTheTablesBeforeAnyImport) {
  TraceStore store(temp_db("x7-new"));
  EXPECT_TRUE(has_table(store.db(), "smtp_session_tls"));
  EXPECT_TRUE(has_table(store.db(), "trace_smtp_session"));
  EXPECT_TRUE(has_table(store.db(), "imported_report_totals"));
  // Asking before any report was imported reads the empty table.
  EXPECT_TRUE(ReportTotalsStore::days_with_totals(store, 0, 30000).empty());
}

TEST(ExchangeTablesMigration, OlderStoreWithoutTheTablesGetsThem) {
  std::string path = temp_db("x7-old");
  {
    Database db(path);
    migrate(db, kBeforeExchangeTables);
    ASSERT_FALSE(has_table(db, "smtp_session_tls"));
  }
  TraceStore store(path);
  EXPECT_EQ(version_of(store.db()), current_schema_version());
  EXPECT_TRUE(has_table(store.db(), "trace_smtp_session"));
  EXPECT_TRUE(has_table(store.db(), "imported_report_totals"));
}

TEST(ExchangeTablesMigration, StoreWhoseTablesWereMadeOnDemandUpgradesWithItsRows) {
  std::string path = temp_db("x7-ondemand");
  {
    Database db(path);
    migrate(db, kBeforeExchangeTables);
    db.exec(kOnDemandTables);
    db.exec(
        "INSERT INTO traces(received, direction, connector, tls, sender, recipient, size, status, fingerprint)"
        " VALUES (1795078800, 0, NULL, -1, 'a@x.example', 'b@contoso.com', 10, 'Delivered', 7);"
        "INSERT INTO smtp_session_tls VALUES ('exedge01\\default|08de2d1a3f5b7c21', 12, 'CALG_AES_256');"
        "INSERT INTO trace_smtp_session VALUES ('exedge01\\default|08de2d1a3f5b7c21', 1);"
        "INSERT INTO imported_report_totals VALUES (42, 20775, NULL);");
  }
  TraceStore store(path);
  EXPECT_EQ(version_of(store.db()), current_schema_version());
  SessionTlsStore sessions(store);
  auto kept = sessions.find("exedge01\\default|08de2d1a3f5b7c21");
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->tls, TlsVersion::Tls12);
  EXPECT_EQ(kept->cipher, "CALG_AES_256");
  ASSERT_EQ(sessions.traces_of("exedge01\\default|08de2d1a3f5b7c21").size(), 1u);
  EXPECT_EQ(ReportTotalsStore::days_with_totals(store, 20770, 20780), std::vector<DayNumber>{20775});
  // The report row is still known: importing it again adds nothing.
  ReportTotalsStore totals(store);
  EXPECT_FALSE(totals.remember(42, 20775, std::nullopt));
  EXPECT_TRUE(totals.remember(43, 20775, std::nullopt));
}

}  // namespace mailflow
