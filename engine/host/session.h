// What a running cmdlet can reach: the store, "today", the registry, the Lua
// host and the interrupt flag. One Session lives as long as the process.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "core/time.h"

namespace mailflow {

class TraceStore;
class Registry;
class ScriptHost;
class InsightRuleSet;
class ConnectorNameSnapshot;

struct Session {
  TraceStore* store = nullptr;
  Registry* registry = nullptr;
  ScriptHost* lua = nullptr;           // null until the Lua runtime is up
  InsightRuleSet* rules = nullptr;     // insight rules (built-in and Lua)
  // The connector names read once, while Get-MailFlowInsights runs its rules
  // (which call Get-TlsUsage -Connector per connector); null otherwise.
  ConnectorNameSnapshot* connector_names = nullptr;
  DayNumber today = 0;                 // --now, else the real UTC date
  std::atomic<bool>* interrupted = nullptr;  // set by Ctrl-C
  bool allow_io = false;               // --allow-io for trusted scripts
  bool debug = false;                  // --debug
  int terminal_width = 120;            // for formatters
  bool interactive = false;
};

}  // namespace mailflow
