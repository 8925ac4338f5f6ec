#include "cli/app.h"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cmdlets/builtin.h"
#include "host/script_host.h"
#include "host/session.h"
#include "core/terminal.h"
#include "core/error.h"
#include "cmdlets/mail_flow_config.h"
#include "locale/messages.h"
#include "lua/lua_runtime.h"
#include "reports/insight_rule.h"
#include "repl/repl.h"
#include "shell/shell.h"
#include "store/trace_store.h"

namespace mailflow {

namespace {

// -c PIPELINE: one pipeline (or one line of Lua), output to stdout.
int run_command(Session& session, const AppOptions& options) {
  try {
    if (is_pipeline_line(*session.registry, options.command)) {
      run_line(session, options.command, std::cout);
    } else if (session.lua) {
      session.lua->run_interactive(options.command, std::cout);
    } else {
      std::cerr << "mailflow: '" << options.command
                << "' does not start with a cmdlet name, and Lua is not available to run it\n";
      return 1;
    }
  } catch (const Error& e) {
    std::cout.flush();
    std::cerr << terminal_safe(e.what()) << "\n";
    return 1;
  }
  return 0;
}

// SCRIPT.lua [ARG...]: Lua errors print as `file:line: message` (the Lua
// traceback too with --debug) and end with status 1; exit(n) ends with n.
int run_script(Session& session, const AppOptions& options) {
  auto& lua = static_cast<LuaRuntime&>(*session.lua);
  try {
    return lua.run_script(options.script, options.script_args);
  } catch (const LuaError& e) {
    std::cerr << terminal_safe(e.what()) << "\n";
    if (options.debug && !e.traceback().empty()) std::cerr << terminal_safe(e.traceback()) << "\n";
  } catch (const Error& e) {
    std::cerr << "mailflow: " << terminal_safe(e.what()) << "\n";
  }
  return 1;
}

// No -c and no script: the interactive REPL (or commands from stdin).
int run_repl(Session& session, const AppOptions& options) {
  ReplOptions repl;
  repl.quiet = options.quiet;
  return mailflow::run_repl(session, repl);
}

}  // namespace

int run_app(const AppOptions& options) {
  static std::atomic<bool> interrupted{false};
  try {
    TraceStore store(options.db);
    Registry registry;
    register_builtin_cmdlets(registry);
    InsightRuleSet rules;
    Session session;
    session.store = &store;
    session.registry = &registry;
    session.rules = &rules;
    session.today = options.today.value_or(today_utc());
    session.interrupted = &interrupted;
    session.allow_io = options.allow_io;
    session.debug = options.debug;
    // What a person reads is in the culture in force (Set-MailFlowConfig
    // -Culture, else LC_ALL, LC_MESSAGES, LANG); machine output never is.
    set_default_culture(culture_in_force(store, [](const char* n) { return std::getenv(n); }));

    // Lua runtime: stdlib, then $MAILFLOW_RULES and --rules directories.
    LuaRuntime lua(session);
    session.lua = &lua;
    lua.load_stdlib(find_stdlib_dir());
    std::vector<std::string> rule_dirs = rule_dirs_from_environment();
    rule_dirs.insert(rule_dirs.end(), options.rule_dirs.begin(), options.rule_dirs.end());
    for (const std::string& dir : rule_dirs) {
      if (!std::filesystem::is_directory(dir)) {
        std::cerr << "mailflow: --rules " << dir << ": not a directory\n";
        return 2;
      }
      lua.load_rule_dir(dir, std::cerr);
    }
    if (options.has_command) return run_command(session, options);
    if (!options.script.empty()) return run_script(session, options);
    return run_repl(session, options);
  } catch (const ScriptExit& e) {
    return e.status;  // exit(n) from Lua, in -c or the REPL
  } catch (const Error& e) {
    std::cerr << "mailflow: " << terminal_safe(e.what()) << "\n";
    return 1;
  }
}

}  // namespace mailflow
