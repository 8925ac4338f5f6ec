#include "cli/app.h"

#include <atomic>
#include <iostream>

#include "cmdlets/builtin.h"
#include "cmdlets/session.h"
#include "core/error.h"
#include "reports/insight_rule.h"
#include "store/trace_store.h"

namespace mailflow {

namespace {

// -c PIPELINE: one pipeline (or one line of Lua), output to stdout.
int run_command(Session& session, const AppOptions& options) {
  (void)session;
  (void)options;
  std::cerr << "mailflow: -c is not wired yet\n";
  return 1;
}

// SCRIPT.lua [ARG...]
int run_script(Session& session, const AppOptions& options) {
  (void)session;
  (void)options;
  std::cerr << "mailflow: scripts are not wired yet\n";
  return 1;
}

// No -c and no script: the interactive REPL (or commands from stdin).
int run_repl(Session& session, const AppOptions& options) {
  (void)session;
  (void)options;
  std::cerr << "mailflow: the REPL is not wired yet\n";
  return 1;
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

    // Lua runtime: stdlib, then --rules directories and $MAILFLOW_RULES.

    if (options.has_command) return run_command(session, options);
    if (!options.script.empty()) return run_script(session, options);
    return run_repl(session, options);
  } catch (const Error& e) {
    std::cerr << "mailflow: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace mailflow
