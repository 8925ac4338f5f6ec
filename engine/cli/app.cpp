#include "cli/app.h"

#include <atomic>
#include <iostream>

#include "cmdlets/builtin.h"
#include "cmdlets/session.h"
#include "core/error.h"
#include "store/trace_store.h"

namespace mailflow {

int run_app(const AppOptions& options) {
  static std::atomic<bool> interrupted{false};
  try {
    TraceStore store(options.db);
    Registry registry;
    register_builtin_cmdlets(registry);
    Session session;
    session.store = &store;
    session.registry = &registry;
    session.today = options.today.value_or(today_utc());
    session.interrupted = &interrupted;
    session.allow_io = options.allow_io;
    session.debug = options.debug;
    std::cerr << "mailflow: nothing to run yet\n";
    return 1;
  } catch (const Error& e) {
    std::cerr << "mailflow: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace mailflow
