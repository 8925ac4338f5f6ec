// A fresh store and a scratch directory per test, plus helpers to write
// files and compare the rollup with a GROUP BY over traces.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "store/trace_store.h"
#include "test_temp_dir.h"

namespace mailflow::testing {

class ImportFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = test::temp_dir() /
           (std::string("mailflow-ingest-") + info->test_suite_name() + "-" + info->name() + "-" +
            std::to_string(::getpid()));  // two checkouts may run the suite at once
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = std::make_unique<TraceStore>((dir_ / "store.db").string());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string write_file(const std::string& name, const std::string& content) {
    auto path = dir_ / name;
    std::ofstream out(path, std::ios::binary);
    out << content;
    return path.string();
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  std::int64_t scalar(const std::string& sql) {
    auto s = store_->db().prepare(sql);
    s->step();
    return s->column_int(0);
  }

  // Rows of `sql` as text, one string per row.
  std::vector<std::string> rows(const std::string& sql) {
    std::vector<std::string> out;
    auto s = store_->db().prepare(sql);
    while (s->step()) {
      std::string row;
      for (int i = 0; i < s->column_count(); ++i) {
        if (i) row += "|";
        row += s->column_is_null(i) ? "NULL" : s->column_text(i);
      }
      out.push_back(row);
    }
    return out;
  }

  void expect_rollup_matches_traces() {
    auto rollup = rows(
        "SELECT day, direction, connector, tls, status, messages, bytes FROM daily_rollup"
        " ORDER BY 1, 2, 3, 4, 5");
    auto grouped = rows(
        "SELECT received / 86400 - (received < 0 AND received % 86400 != 0), direction,"
        " coalesce(connector, ''), tls, status, count(*), sum(size) FROM traces"
        " GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5");
    EXPECT_EQ(rollup, grouped);
    EXPECT_FALSE(rollup.empty());
  }

  std::filesystem::path dir_;
  std::unique_ptr<TraceStore> store_;
};

inline const char* kCanonicalHeader =
    "received,direction,connector,tls,cipher,sender,recipient,remote_host,remote_ip,size,status,"
    "message_id\n";

}  // namespace mailflow::testing
