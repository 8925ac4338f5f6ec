#include "store/migrations.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "core/error.h"
#include "store/trace_store.h"
#include "test_temp_dir.h"

namespace mailflow {

namespace {

std::string temp_db(const char* name) {
  auto path = test::temp_dir() / (std::string("mailflow-") + name + ".db");
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
  return path.string();
}

int version_of(Database& db) {
  auto s = db.prepare("PRAGMA user_version");
  s->step();
  return static_cast<int>(s->column_int(0));
}

}  // namespace

TEST(Migrations, EmptyFileGetsCurrentSchema) {
  std::string path = temp_db("empty");
  TraceStore store(path);
  EXPECT_EQ(version_of(store.db()), current_schema_version());
  EXPECT_EQ(store.trace_count(), 0);
}

TEST(Migrations, OlderStoreIsUpgradedAndRollupBackfilled) {
  std::string path = temp_db("v1");
  {
    Database db(path);
    migrate(db, 1);
    // A version-1 store written before mailflow stamped its application id.
    db.exec("PRAGMA application_id = 0");
    ASSERT_EQ(version_of(db), 1);
    db.exec(
        "INSERT INTO traces(received, direction, connector, tls, sender, recipient, size, status,"
        " fingerprint) VALUES"
        " (1763280902, 0, 'Partner', 10, 'a@x.com', 'b@contoso.com', 100, 'Delivered', 1),"
        " (1763280903, 0, 'Partner', 10, 'a@x.com', 'c@contoso.com', 50, 'Delivered', 2),"
        " (1763280904, 1, NULL, 13, 'b@contoso.com', 'a@x.com', 7, 'Delivered', 3)");
  }
  TraceStore store(path);
  EXPECT_EQ(version_of(store.db()), current_schema_version());
  auto s = store.db().prepare(
      "SELECT day, direction, connector, tls, messages, bytes FROM daily_rollup ORDER BY direction");
  ASSERT_TRUE(s->step());
  EXPECT_EQ(s->column_int(0), 1763280902 / 86400);
  EXPECT_EQ(s->column_text(2), "Partner");
  EXPECT_EQ(s->column_int(4), 2);
  EXPECT_EQ(s->column_int(5), 150);
  ASSERT_TRUE(s->step());
  EXPECT_EQ(s->column_text(2), "");
  EXPECT_EQ(s->column_int(3), 13);
  EXPECT_FALSE(s->step());
}

TEST(Migrations, NewerStoreIsRefused) {
  std::string path = temp_db("future");
  {
    Database db(path);
    db.exec("PRAGMA user_version = 999");
  }
  try {
    TraceStore store(path);
    FAIL() << "a store from the future was opened";
  } catch (const Error& e) {
    EXPECT_EQ(e.id(), "StoreTooNew");
    EXPECT_NE(std::string(e.what()).find("schema version 999"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos);
  }
}

namespace {

std::int64_t pragma_of(Database& db, const char* sql) {
  auto s = db.prepare(sql);
  s->step();
  return s->column_int(0);
}

std::string error_of(const std::string& path) {
  try {
    TraceStore store(path);
  } catch (const Error& e) {
    return e.id() + ": " + e.what();
  }
  return "";
}

std::string schema_of(const std::string& path) {
  Database db(path);
  auto s = db.prepare("SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema ORDER BY name)");
  s->step();
  return s->column_text(0);
}

}  // namespace

TEST(Migrations, NewStoreIsStampedWithTheApplicationId) {
  std::string path = temp_db("appid");
  { TraceStore store(path); }
  Database db(path);
  EXPECT_EQ(pragma_of(db, "PRAGMA application_id"), kApplicationId);
}

// A store written at the current version before the id existed opens and
// gets the id.
TEST(Migrations, CurrentStoreWithoutIdIsStamped) {
  std::string path = temp_db("unstamped");
  {
    Database db(path);
    migrate(db);
    db.exec("PRAGMA application_id = 0");
  }
  { TraceStore store(path); }
  Database db(path);
  EXPECT_EQ(pragma_of(db, "PRAGMA application_id"), kApplicationId);
  EXPECT_EQ(version_of(db), current_schema_version());
}

// A negative version once indexed kMigrations out of bounds (a crash, or
// an unrelated string run as SQL with -1).
TEST(Migrations, NegativeVersionIsRefused) {
  for (const char* v : {"-1", "-2", "-2147483648"}) {
    std::string path = temp_db("negative");
    {
      Database db(path);
      db.exec(std::string("PRAGMA user_version = ") + v);
    }
    EXPECT_EQ(error_of(path), std::string("StoreCorrupt: store '") + path + "' has schema version " + v +
                                  ", which no mailflow writes; the file is damaged or not a mailflow store");
  }
}

// Another application's SQLite file is refused and left exactly as it was.
TEST(Migrations, AnotherApplicationsDatabaseIsRefusedUnchanged) {
  std::string path = temp_db("other-app");
  {
    Database db(path);
    db.exec("CREATE TABLE moz_places(id INTEGER PRIMARY KEY, url TEXT)");
  }
  auto size_before = std::filesystem::file_size(path);
  EXPECT_EQ(error_of(path), "NotAMailflowStore: '" + path +
                                "' is not a mailflow store (it holds tables of another application); it was "
                                "left unchanged, choose another --db file");
  EXPECT_EQ(schema_of(path), "moz_places");
  EXPECT_EQ(std::filesystem::file_size(path), size_before);
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));

  std::string other = temp_db("other-id");
  {
    Database db(other);
    db.exec("PRAGMA application_id = 1196444487");  // 0x47504B47, a GeoPackage
  }
  EXPECT_EQ(error_of(other), "NotAMailflowStore: '" + other +
                                 "' is not a mailflow store (its SQLite application id is 0x47504b47); it was "
                                 "left unchanged, choose another --db file");

  std::string versioned = temp_db("other-version");
  {
    Database db(versioned);
    db.exec("CREATE TABLE t(x); PRAGMA user_version = 2");
  }
  EXPECT_EQ(error_of(versioned), "NotAMailflowStore: '" + versioned +
                                     "' is not a mailflow store (it has schema version 2 but not mailflow's "
                                     "tables); it was left unchanged, choose another --db file");
  EXPECT_EQ(schema_of(versioned), "t");
}

}  // namespace mailflow

namespace mailflow {

namespace {

std::string journal_mode(Database& db) {
  auto s = db.prepare("PRAGMA journal_mode");
  s->step();
  return s->column_text(0);
}

}  // namespace

// PRAGMA journal_mode=WAL does not wait under the busy timeout by itself:
// enter_wal_mode waits for another connection's lock (here held for 150 ms,
// as a reader opening a store that is being created holds one) and then
// switches.
TEST(OpenStore, EnterWalModeWaitsForAnotherConnectionsLock) {
  std::string path = temp_db("wal-wait");
  Database other(path);
  other.exec("CREATE TABLE t(x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1)");
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    other.exec("COMMIT");
  });
  Database db(path);
  EXPECT_NO_THROW(db.enter_wal_mode());
  release.join();
  EXPECT_EQ(journal_mode(db), "wal");
}

// A lock held past the busy timeout (5 s): a one-line error naming the
// store, and the file left as it was.
TEST(OpenStore, EnterWalModeGivesUpAfterTheBusyTimeout) {
  std::string path = temp_db("wal-locked");
  Database other(path);
  other.exec("CREATE TABLE t(x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1)");
  Database db(path);
  try {
    db.enter_wal_mode();
    ADD_FAILURE() << "switched to WAL while another connection held the file";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'" + path + "'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("locked"), std::string::npos) << e.what();
  }
  other.exec("COMMIT");
  EXPECT_EQ(journal_mode(other), "delete");
}

// Reads inside a ReadTransaction see one snapshot: a row another
// connection commits meanwhile shows only once it has ended (migrate()
// reads a new store's version, application id and tables this way).
TEST(OpenStore, ReadTransactionSeesOneSnapshot) {
  std::string path = temp_db("snapshot");
  Database writer(path);
  writer.enter_wal_mode();
  writer.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1)");
  Database reader(path);
  auto count = [&] {
    auto s = reader.prepare("SELECT count(*) FROM t");
    s->step();
    return s->column_int(0);
  };
  {
    ReadTransaction snapshot(reader);
    EXPECT_EQ(count(), 1);
    writer.exec("INSERT INTO t VALUES (2)");
    EXPECT_EQ(count(), 1);
  }
  EXPECT_EQ(count(), 2);
}

}  // namespace mailflow
