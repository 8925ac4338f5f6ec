#include "cmdlets/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <csignal>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "test_temp_dir.h"

namespace mailflow {

namespace fs = std::filesystem;

namespace {

class AtomicFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::temp_dir() /
           ("mailflow-atomic-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  size_t entries() {
    size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir_)) (void)e, ++n;
    return n;
  }
  std::string message_of(const std::function<void()>& f) {
    try {
      f();
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }

  fs::path dir_;
};

}  // namespace

TEST_F(AtomicFile, WritesANewFileReadableLikeAnyOther) {
  std::string path = (dir_ / "report.html").string();
  write_file_atomically("Export-MailFlowReport", path, "<p>new</p>", false);
  EXPECT_EQ(read(path), "<p>new</p>");
  EXPECT_EQ(entries(), 1u);  // no temporary file left
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  mode_t mask = umask(0);
  umask(mask);
  EXPECT_EQ(st.st_mode & 0777, 0666 & ~mask);
}

TEST_F(AtomicFile, RefusesToReplaceWithoutForce) {
  std::string path = (dir_ / "report.html").string();
  std::ofstream(path) << "old";
  EXPECT_EQ(message_of([&] { write_file_atomically("Export-MailFlowReport", path, "new", false); }),
            "Export-MailFlowReport: '" + path + "' already exists; use -Force to replace it");
  EXPECT_EQ(read(path), "old");
  EXPECT_EQ(entries(), 1u);
}

TEST_F(AtomicFile, ForceReplaces) {
  std::string path = (dir_ / "report.html").string();
  std::ofstream(path) << "old";
  write_file_atomically("Export-MailFlowReport", path, "new", true);
  EXPECT_EQ(read(path), "new");
  EXPECT_EQ(entries(), 1u);
}

TEST_F(AtomicFile, RefusesDirectoriesAndMissingDirectories) {
  EXPECT_EQ(message_of([&] { check_output_path("Export-MailFlowReport", dir_.string(), true); }),
            "Export-MailFlowReport: '" + dir_.string() + "' is a directory");
  std::string missing = (dir_ / "nope" / "report.html").string();
  EXPECT_EQ(message_of([&] { write_file_atomically("Export-MailFlowReport", missing, "x", true); }),
            "Export-MailFlowReport: the directory '" + (dir_ / "nope").string() + "' of '" +
                missing + "' does not exist");
  EXPECT_EQ(message_of([&] { check_output_path("Export-MailFlowReport", "", false); }),
            "Export-MailFlowReport: -Path is empty");
  EXPECT_EQ(entries(), 0u);
}

// A write that fails halfway (here: the file size limit, which binds root
// too) leaves neither a partial report nor the temporary file.
TEST_F(AtomicFile, FailedWriteLeavesNothing) {
  std::string path = (dir_ / "report.html").string();
  std::ofstream(path) << "old";
  struct rlimit saved;
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
  auto old_handler = signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = saved;
  small.rlim_cur = 16;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  std::string message =
      message_of([&] { write_file_atomically("Export-MailFlowReport", path, std::string(4096, 'x'), true); });
  setrlimit(RLIMIT_FSIZE, &saved);
  signal(SIGXFSZ, old_handler);
  EXPECT_EQ(message.rfind("Export-MailFlowReport: cannot write '" + path + "': ", 0), 0u) << message;
  EXPECT_EQ(read(path), "old");
  EXPECT_EQ(entries(), 1u);
}

// -Force replaces regular files only: `Export-MailFlowReport -Path /dev/null
// -Force` as root once replaced the machine's /dev/null. A FIFO stands in
// for the device here; it must still be a FIFO afterwards.
TEST_F(AtomicFile, ForceNeverReplacesAFifoOrDevice) {
  std::string fifo = (dir_ / "pipe").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(message_of([&] { write_file_atomically("Export-MailFlowReport", fifo, "x", true); }),
            "Export-MailFlowReport: '" + fifo +
                "' is not a regular file (a device, FIFO or socket); only regular files are written or replaced");
  EXPECT_TRUE(fs::is_fifo(fs::symlink_status(fifo)));
  EXPECT_EQ(entries(), 1u);
  EXPECT_EQ(message_of([&] { check_output_path("Export-MailFlowReport", "/dev/null", true); }),
            "Export-MailFlowReport: '/dev/null' is not a regular file (a device, FIFO or socket); "
            "only regular files are written or replaced");
}

// A symbolic link is written through: the link stays, its target changes.
TEST_F(AtomicFile, SymlinkIsWrittenThrough) {
  fs::path target = dir_ / "real.html";
  std::ofstream(target) << "old";
  fs::path link = dir_ / "report.html";
  fs::create_symlink("real.html", link);
  write_file_atomically("Export-MailFlowReport", link.string(), "new", true);
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(link)));
  EXPECT_EQ(read(target), "new");
  EXPECT_EQ(entries(), 2u);
  // Without -Force an existing target is not replaced through the link.
  EXPECT_EQ(message_of([&] { write_file_atomically("Export-MailFlowReport", link.string(), "x", false); }),
            "Export-MailFlowReport: '" + link.string() + "' already exists; use -Force to replace it");
  // A dangling link is refused, nothing is created.
  fs::path dangling = dir_ / "dangling.html";
  fs::create_symlink("missing.html", dangling);
  EXPECT_NE(message_of([&] { write_file_atomically("Export-MailFlowReport", dangling.string(), "x", true); })
                .find("is a symbolic link whose target cannot be reached"),
            std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "missing.html"));
}

}  // namespace mailflow
