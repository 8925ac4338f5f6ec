#include "repl/history.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <readline/history.h>
#include "test_temp_dir.h"

namespace mailflow {

namespace {

std::vector<std::string> file_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::filesystem::path fresh_dir(const char* name) {
  auto dir = test::temp_dir() / name;
  std::filesystem::remove_all(dir);
  return dir;
}

}  // namespace

TEST(HistoryPath, XdgStateHomeThenHome) {
  EXPECT_EQ(history_file_path("/state", "/home/ann"), "/state/mailflow/history");
  EXPECT_EQ(history_file_path(nullptr, "/home/ann"), "/home/ann/.local/state/mailflow/history");
  EXPECT_EQ(history_file_path("", "/home/ann"), "/home/ann/.local/state/mailflow/history");
  // A relative XDG_STATE_HOME is invalid per the XDG spec and is ignored.
  EXPECT_EQ(history_file_path("state", "/home/ann"), "/home/ann/.local/state/mailflow/history");
  EXPECT_EQ(history_file_path(nullptr, nullptr), "");
}

TEST(HistoryFilter, BlankLeadingSpaceAndRepeats) {
  EXPECT_TRUE(worth_remembering("Get-TlsUsage", ""));
  EXPECT_FALSE(worth_remembering("", ""));
  EXPECT_FALSE(worth_remembering("   ", ""));
  EXPECT_FALSE(worth_remembering(" secret = 'x'", ""));
  EXPECT_FALSE(worth_remembering("Get-TlsUsage", "Get-TlsUsage"));
  EXPECT_TRUE(worth_remembering("Get-TlsUsage", "Get-MessageTrace"));
}

TEST(LineHistory, PersistsAcrossSessionsAndStaysBounded) {
  auto dir = fresh_dir("mailflow-history-test");
  std::string path = (dir / "mailflow" / "history").string();
  {
    LineHistory h(path, 3);
    EXPECT_EQ(h.problem(), "");
    for (const char* line : {"one", "two", "two", " hidden", "three", "four"}) h.remember(line);
  }
  EXPECT_EQ(file_lines(path), (std::vector<std::string>{"two", "three", "four"}));
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);  // history may hold addresses: private
  clear_history();
  {
    LineHistory h(path, 3);
    ASSERT_EQ(history_length, 3);
    EXPECT_STREQ(history_get(history_base + 2)->line, "four");
    h.remember("five");
  }
  EXPECT_EQ(file_lines(path), (std::vector<std::string>{"three", "four", "five"}));
  clear_history();
  std::filesystem::remove_all(dir);
}

TEST(LineHistory, UnusablePlaceIsReportedNotFatal) {
  auto dir = fresh_dir("mailflow-history-blocked");
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "file") << "x";  // a file where a directory must go
  LineHistory h((dir / "file" / "mailflow" / "history").string(), 10);
  EXPECT_NE(h.problem().find("cannot create"), std::string::npos) << h.problem();
  h.remember("still in memory");
  EXPECT_EQ(history_length, 1);
  clear_history();
  std::filesystem::remove_all(dir);
}

}  // namespace mailflow
