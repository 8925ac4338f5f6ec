// The interactive REPL (SPEC 7): readline line editing, history, Tab
// completion, continuation lines, Ctrl-C, and the same loop without a
// terminal for `mailflow < commands.txt`.
#pragma once

namespace mailflow {

struct Session;

struct ReplOptions {
  bool quiet = false;  // no banner
};

// Runs until exit/quit/end of input. Returns the process exit status:
// on a terminal 0 (or N for `exit N`); reading commands from a non-terminal
// stdin 1 when any command failed, else 0 (or N for `exit N`).
int run_repl(Session& session, const ReplOptions& options);

}  // namespace mailflow
