// list_paths (engine/repl/completion.cpp) holds a directory stream while it
// lists; an exception thrown mid-listing (bad_alloc growing the list or
// building a name) must still close it (issue 16: `opendir` was not closed on
// exceptions). Every allocation of a listing is made to fail in turn and the
// process's descriptors are counted after each.
#include <dirent.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <new>
#include <string>

#include "failing_allocator.h"
#include "repl/completion.h"

namespace mailflow {

namespace {

// Entries of /proc/self/fd, read with the C library only (no operator new).
int open_descriptors() {
  DIR* d = opendir("/proc/self/fd");
  if (!d) return -1;
  int n = 0;
  while (readdir(d)) ++n;
  closedir(d);
  return n;
}

}  // namespace

TEST(ListPathsAllocationFailure, ClosesTheDirectoryWhateverAllocationFails) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("mailflow-list-paths-alloc-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "archive-directory");
  for (int i = 0; i < 20; ++i) std::ofstream(dir / ("message-trace-" + std::to_string(i) + ".csv")) << "x";
  const std::string base = dir.string() + "/";
  const std::size_t listed = list_paths(base).size();
  ASSERT_EQ(listed, 21u);

  const int before = open_descriptors();
  ASSERT_GT(before, 0);
  int failures = 0;
  for (long after = 0;; ++after) {
    bool threw = false, tripped = false;
    {
      test_alloc::AllocationFailure fail(after);
      try {
        list_paths(base);
      } catch (const std::bad_alloc&) {
        threw = true;
      }
      tripped = fail.tripped();
    }
    ASSERT_EQ(threw, tripped) << "allocation " << after;
    ASSERT_EQ(open_descriptors(), before) << "a descriptor leaked when allocation " << after << " failed";
    if (!threw) break;
    ++failures;
  }
  // At least two allocations per entry (its full path, the path to stat) are
  // made while the directory is open: most failures above came mid-listing.
  EXPECT_GE(failures, 2 * static_cast<int>(listed));
  fs::remove_all(dir);
}

}  // namespace mailflow
