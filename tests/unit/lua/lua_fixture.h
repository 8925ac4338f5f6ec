// A Lua runtime over a session with a registry and a rule set but no store,
// and helpers to run Lua text and files in tests.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "host/cmdlet.h"
#include "host/session.h"
#include "lua/lua_runtime.h"
#include "reports/insight_rule.h"
#include "test_temp_dir.h"

namespace mailflow {

class LuaFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    session.registry = &registry;
    session.rules = &rules;
    session.today = *parse_date("2026-11-22");
    session.interrupted = &interrupted;
    // Short: Lua shortens chunk names past 60 characters in messages.
    static int counter = 0;
    dir = test::temp_dir() /
          ("mfl" + std::to_string(::getpid()) + "_" + std::to_string(++counter));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  void TearDown() override {
    runtime.reset();
    std::filesystem::remove_all(dir);
  }

  // Starts the runtime (after the test registered its cmdlets).
  LuaRuntime& lua(LuaLimits limits = LuaLimits{}) {
    if (!runtime) runtime = std::make_unique<LuaRuntime>(session, limits);
    return *runtime;
  }

  // Writes `text` to dir/name and returns the path.
  std::string write(const std::string& name, const std::string& text) {
    std::filesystem::path p = dir / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }

  // Runs `code` as a script file; returns its exit status.
  int script(const std::string& code, const std::vector<std::string>& args = {}) {
    return lua().run_script(write("script.lua", code), args);
  }

  // Runs `code` at the REPL and returns what it printed.
  std::string repl(const std::string& code) {
    std::ostringstream out;
    lua().run_interactive(code, out);
    return out.str();
  }

  // The message of the LuaError (or Error) `code` throws as a script, "" if none.
  std::string script_error(const std::string& code) {
    try {
      script(code);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }

  int lua_top() { return lua_gettop(lua().state().L()); }

  Registry registry;
  InsightRuleSet rules;
  Session session;
  std::atomic<bool> interrupted{false};
  std::unique_ptr<LuaRuntime> runtime;
  std::filesystem::path dir;
};

}  // namespace mailflow
