// Golden-file comparison for rendered text. Run the unit tests with
// MAILFLOW_UPDATE_GOLDEN=1 to (re)write a golden file, then read the diff
// before committing it: a golden is only as good as its review.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace mailflow::testing {

inline std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

inline void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(MAILFLOW_TEST_DATA) + "/" + name;
  const char* update = std::getenv("MAILFLOW_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden file " << path << " (run with MAILFLOW_UPDATE_GOLDEN=1)";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(expected.str(), actual) << "output differs from " << path;
}

}  // namespace mailflow::testing
