// Tab completion for the REPL, as a pure function of (line, cursor) and the
// sources it may consult. It knows nothing of readline or terminals, so every
// case is unit-tested without one (tests/unit/repl/completion_test.cpp).
//
// What is offered follows the parameter's declared kind (ParamSpec::validate_set
// and ParamSpec::completion), never the cmdlet's name.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "host/cmdlet.h"

namespace mailflow {

// Where candidates come from. Every source is optional: a missing one offers
// nothing (e.g. no Lua runtime, no store).
struct CompletionSources {
  const Registry* registry = nullptr;
  const Session* session = nullptr;  // for cmdlets' dynamic parameters
  std::function<std::vector<std::string>()> connector_names;  // Completion::Connector
  std::function<std::vector<std::string>()> rule_names;       // Completion::Rule
  std::function<std::vector<std::string>()> lua_globals;      // Lua mode
  // Completion::Path: the paths starting with `prefix`, directories ending in '/'.
  std::function<std::vector<std::string>(std::string_view prefix)> paths;
  std::string today;  // YYYY-MM-DD, offered for Completion::Date when set
};

struct CompletionCandidate {
  std::string text;     // what replaces the word, quoted when needed
  std::string display;  // what the list shows (the bare name)
  bool final = true;    // false for a directory: no space, no closing quote
};

// Replace line[start, cursor) with one of `candidates`.
struct CompletionResult {
  size_t start = 0;
  std::vector<CompletionCandidate> candidates;
};

CompletionResult complete(const CompletionSources& sources, std::string_view line, size_t cursor);

// What one press of Tab does with a result: replace line[start, end) with
// `text` (empty `text` and start == end: nothing to insert), and list the
// candidates when several remain and the common prefix adds nothing.
struct CompletionEdit {
  size_t start = 0;
  size_t end = 0;
  std::string text;
  bool changes = false;
  bool show_list = false;
};
CompletionEdit plan_completion_edit(const CompletionResult& result, std::string_view line,
                                    size_t cursor);

// The real file system behind CompletionSources::paths: entries of the
// directory part of `prefix` whose name starts with the rest; hidden entries
// only when the rest starts with '.'. Sorted; directories end in '/'.
std::vector<std::string> list_paths(std::string_view prefix);

}  // namespace mailflow
