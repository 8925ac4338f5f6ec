#include "store/migrations.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "store/trace_store.h"

namespace mailflow {

namespace {

std::string temp_db(const char* name) {
  auto path = std::filesystem::temp_directory_path() / (std::string("mailflow-") + name + ".db");
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

}  // namespace mailflow
