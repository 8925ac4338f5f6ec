// Sets up the session (store, registry, Lua) from the parsed command line and
// runs the chosen front end: -c, a script, or the REPL.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/time.h"

namespace mailflow {

struct AppOptions {
  std::string db;
  std::optional<DayNumber> today;
  std::vector<std::string> rule_dirs;
  bool has_command = false;
  std::string command;
  std::string script;
  std::vector<std::string> script_args;
  bool allow_io = false;
  bool quiet = false;
  bool debug = false;
};

// Returns the process exit status (SPEC 3).
int run_app(const AppOptions& options);

}  // namespace mailflow
