#include "store/page_memory.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <unistd.h>

#include "store/sqlite.h"
#include "test_temp_dir.h"

namespace mailflow {

namespace {

// The first Database of the process installs the allocator.
void install() { Database db(":memory:"); }

}  // namespace

// SQLite's page cache takes its pages as page blocks (the size range fits
// what SQLite asks for a 4 KiB page and its header), gives them back when
// the connection closes, and the next connection reuses them before the
// region hands out more.
TEST(PageMemory, ThePageCacheUsesPageBlocksAndReusesThem) {
  install();
  std::string path = (test::temp_dir() /
                      ("mailflow-page-memory-" + std::to_string(::getpid()) + ".db"))
                         .string();
  std::filesystem::remove(path);
  PageMemoryUse before = page_memory_use();
  {
    Database db(path);
    db.exec("CREATE TABLE t(x TEXT)");
    db.exec("BEGIN");
    auto insert = db.prepare("INSERT INTO t(x) VALUES(?1)");
    std::string value(200, 'x');
    for (int i = 0; i < 4000; ++i) {
      insert->bind(1, value + std::to_string(i));
      insert->step();
      insert->reset();
    }
    db.exec("COMMIT");
    PageMemoryUse during = page_memory_use();
    EXPECT_GE(during.in_use, before.in_use + 100);  // ~800 KiB of pages (the first 20 come from a bulk malloc)
  }
  PageMemoryUse after = page_memory_use();
  EXPECT_EQ(after.in_use, before.in_use);
  {
    Database db(path);
    auto count = db.prepare("SELECT count(*), sum(length(x)) FROM t");
    ASSERT_TRUE(count->step());
    EXPECT_EQ(count->column_int(0), 4000);
    EXPECT_GT(page_memory_use().in_use, after.in_use);
    EXPECT_EQ(page_memory_use().handed_out, after.handed_out);  // freed blocks first
  }
  std::filesystem::remove(path);
}

// Blocks keep their contents through a realloc in and out of the region,
// and report their sizes as SQLite expects (a page block its whole size).
TEST(PageMemory, ReallocKeepsTheBytesAndSizesAreKnown) {
  install();
  const int page = 4096 + 200;
  auto* p = static_cast<unsigned char*>(sqlite3_malloc(page));
  ASSERT_NE(p, nullptr);
  EXPECT_GE(sqlite3_msize(p), static_cast<sqlite3_uint64>(page));
  for (int i = 0; i < page; ++i) p[i] = static_cast<unsigned char>(i * 7);
  auto* q = static_cast<unsigned char*>(sqlite3_realloc(p, page + 20000));  // out of the region
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(sqlite3_msize(q), static_cast<sqlite3_uint64>(page + 20000));
  for (int i = 0; i < page; ++i) ASSERT_EQ(q[i], static_cast<unsigned char>(i * 7)) << i;
  sqlite3_free(q);
  auto* small = static_cast<char*>(sqlite3_malloc(10));
  ASSERT_NE(small, nullptr);
  std::memcpy(small, "abcdefghi", 10);
  EXPECT_EQ(sqlite3_msize(small), 10u);
  small = static_cast<char*>(sqlite3_realloc(small, 3000));
  ASSERT_NE(small, nullptr);
  EXPECT_STREQ(small, "abcdefghi");
  EXPECT_EQ(sqlite3_msize(small), 3000u);
  sqlite3_free(small);
  sqlite3_free(nullptr);
}

}  // namespace mailflow
