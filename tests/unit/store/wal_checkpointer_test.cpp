// The import's checkpoint thread: a writer's commits wake it, it copies the
// committed frames into the database file without holding the writer up,
// and once it is gone the writer has no hook left.
#include "store/wal_checkpointer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

#include "store/trace_store.h"
#include "store_fixture.h"

namespace mailflow {
namespace {

using testing::fresh_db;
using testing::rows_of;

// Only checkpoints write the database file itself (the WAL takes commits).
std::uintmax_t file_bytes(const std::string& path) { return std::filesystem::file_size(path); }

void write_rows(Database& db, int from, int count) {
  Transaction tx(db);
  StatementUse s(db.cached("t.insert", "INSERT INTO t(n, pad) VALUES(?1, zeroblob(3000))"));
  for (int i = from; i < from + count; ++i) {
    s->bind(1, std::int64_t{i});
    s->run();
  }
  tx.commit();
}

bool wait_for(const std::function<bool()>& done) {
  for (int i = 0; i < 1000 && !done(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return done();
}

TEST(WalCheckpointer, CopiesCommittedFramesOnItsOwnThread) {
  std::string path = fresh_db("wal-checkpointer");
  TraceStore store(path);  // WAL mode
  Database& db = store.db();
  db.exec("PRAGMA wal_autocheckpoint=0");  // only the checkpointer copies
  db.exec("CREATE TABLE t(n INTEGER, pad BLOB)");
  {
    std::uintmax_t empty = file_bytes(path);
    WalCheckpointer checkpointer(db, 10);
    write_rows(db, 0, 200);  // ~200 pages: wakes it
    EXPECT_EQ(file_bytes(path), empty);  // the writer did not copy
    ASSERT_TRUE(wait_for([&] { return checkpointer.checkpoints() >= 1; }));
    EXPECT_GT(file_bytes(path), empty + 200 * 3000);  // it did
    // A small commit (fewer frames than asked for since the WAL restarted)
    // does not wake it.
    std::int64_t before = checkpointer.checkpoints();
    write_rows(db, 200, 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(checkpointer.checkpoints(), before);
  }
  // Gone: the writer commits without a hook (nothing calls into freed memory),
  // and every row is there.
  write_rows(db, 201, 200);
  EXPECT_EQ(rows_of(db, "SELECT count(*), sum(n) FROM t"), std::vector<std::string>{"401|80200"});
}

TEST(WalCheckpointer, ReadersKeepTheirSnapshotWhileItCopies) {
  std::string path = fresh_db("wal-checkpointer-reader");
  TraceStore store(path);
  Database& db = store.db();
  db.exec("PRAGMA wal_autocheckpoint=0");
  db.exec("CREATE TABLE t(n INTEGER, pad BLOB)");
  write_rows(db, 0, 50);
  Database reader(path);
  reader.exec("BEGIN");  // a read snapshot taken before the next commits
  EXPECT_EQ(rows_of(reader, "SELECT count(*) FROM t"), std::vector<std::string>{"50"});
  {
    WalCheckpointer checkpointer(db, 10);
    write_rows(db, 50, 200);
    ASSERT_TRUE(wait_for([&] { return checkpointer.checkpoints() >= 1; }));
    EXPECT_EQ(rows_of(reader, "SELECT count(*) FROM t"), std::vector<std::string>{"50"});
  }
  reader.exec("COMMIT");
  EXPECT_EQ(rows_of(reader, "SELECT count(*) FROM t"), std::vector<std::string>{"250"});
}

}  // namespace
}  // namespace mailflow
