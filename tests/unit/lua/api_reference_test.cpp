// The Lua API reference in README's "## Lua" section is kept consistent with
// the `///` doc comments on the luaL_Reg entries in engine/lua: every
// documented function must be listed there, and every registered C function
// must carry a doc comment.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace mailflow {

namespace {

namespace fs = std::filesystem;

const fs::path kRoot = fs::path(MAILFLOW_SOURCE_STDLIB).parent_path();

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string lua_section() {
  std::string readme = slurp(kRoot / "README.md");
  size_t start = readme.find("\n## Lua\n");
  size_t end = readme.find("\n## ", start + 1);
  return start == std::string::npos ? "" : readme.substr(start, end - start);
}

}  // namespace

TEST(LuaApiReference, EveryDocumentedFunctionIsInTheReadme) {
  std::string section = lua_section();
  ASSERT_FALSE(section.empty()) << "README.md has no ## Lua section";
  std::set<std::string> names;
  // The first line of a doc block starts with the call: `/// name(`, `/// name{`.
  std::regex doc(R"(^\s*/// ([A-Za-z_.]+)[({])");
  for (const auto& entry : fs::directory_iterator(kRoot / "engine/lua")) {
    std::istringstream lines(slurp(entry.path()));
    for (std::string line; std::getline(lines, line);) {
      std::smatch m;
      if (std::regex_search(line, m, doc)) names.insert(m[1]);
    }
  }
  EXPECT_GE(names.size(), 12u);
  for (const std::string& name : names)
    EXPECT_NE(section.find("`" + name), std::string::npos) << name << " is not documented in README ## Lua";
}

TEST(LuaApiReference, EveryLuaRegEntryHasADocComment) {
  std::regex entry(R"re(^\s*\{"([A-Za-z_]+)", [a-z_]+\},)re");
  int entries = 0;
  for (const auto& file : fs::directory_iterator(kRoot / "engine/lua")) {
    std::istringstream lines(slurp(file.path()));
    std::string previous;
    for (std::string line; std::getline(lines, line); previous = line) {
      std::smatch m;
      if (std::regex_search(line, m, entry)) {
        ++entries;
        EXPECT_NE(previous.find("///"), std::string::npos)
            << file.path().filename() << ": " << m[1] << " has no /// doc comment";
      }
    }
  }
  EXPECT_GE(entries, 10);
}

}  // namespace mailflow
