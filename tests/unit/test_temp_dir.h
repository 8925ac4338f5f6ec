// Where unit tests write their stores and files: one directory per test
// process (mkdtemp under $TMPDIR or /tmp), removed with everything in it
// when the process exits. Tests used to leave a store or two behind each,
// several hundred files in /tmp per run of the suite.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace mailflow::test {

inline const std::filesystem::path& temp_dir() {
  struct Dir {
    std::filesystem::path path;
    Dir() {
      std::string pattern = (std::filesystem::temp_directory_path() / "mailflow-unit-XXXXXX").string();
      if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot create a directory from " + pattern);
      path = pattern;
    }
    ~Dir() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const Dir dir;
  return dir.path;
}

}  // namespace mailflow::test
