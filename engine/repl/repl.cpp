#include "repl/repl.h"

#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <iostream>
#include <string>

#include "host/cmdlet.h"
#include "host/script_host.h"
#include "host/session.h"
#include "cmdlets/session_store.h"
#include "core/error.h"
#include "core/terminal.h"
#include "core/text.h"
#include "locale/messages.h"
#include "reports/insight_rule.h"
#include "repl/completion.h"
#include "repl/entry_reader.h"
#include "repl/history.h"
#include "repl/line_editor.h"
#include "shell/shell.h"

namespace mailflow {

namespace {

constexpr int kHistoryLimit = 1000;

// The session the SIGINT handler interrupts. Only async-signal-safe work
// happens in the handler: a lock-free atomic store and sqlite3_interrupt
// (documented as safe to call while the connection runs a statement).
Session* g_session = nullptr;

extern "C" void on_sigint(int) {
  Session* s = g_session;
  if (!s) return;
  if (s->interrupted) s->interrupted->store(true);
  interrupt_store(*s);
}

extern "C" void on_sigwinch(int) { LineEditor::note_resize(); }

// Installs our SIGINT and SIGWINCH handlers for the life of the REPL. No
// SA_RESTART: a blocking read or select must return EINTR so that the REPL
// sees Ctrl-C at the prompt.
class SignalScope {
 public:
  explicit SignalScope(Session& session) {
    g_session = &session;
    struct sigaction sa {};
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sa.sa_handler = on_sigwinch;
    sigaction(SIGWINCH, &sa, &old_winch_);
  }
  ~SignalScope() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGWINCH, &old_winch_, nullptr);
    g_session = nullptr;
  }
  SignalScope(const SignalScope&) = delete;
  SignalScope& operator=(const SignalScope&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_winch_ {};
};

LineClassifier classifier_for(Session& session) {
  LineClassifier c;
  c.is_pipeline = [&session](std::string_view line) {
    return is_pipeline_line(*session.registry, line);
  };
  c.lua_complete = [&session](const std::string& code) {
    return session.lua ? session.lua->is_complete(code) : true;
  };
  return c;
}

CompletionSources sources_for(Session& session) {
  CompletionSources src;
  src.registry = session.registry;
  src.session = &session;
  if (session.store)
    src.connector_names = [&session] {
      try {
        return store_connector_names(session);
      } catch (const Error&) {
        return std::vector<std::string>{};  // a busy or locked store: offer nothing
      }
    };
  if (session.rules)
    src.rule_names = [&session] {
      std::vector<std::string> names;
      for (InsightRule* r : session.rules->all()) names.push_back(r->name());
      return names;
    };
  if (session.lua) src.lua_globals = [&session] { return session.lua->global_names(); };
  src.paths = list_paths;
  src.today = format_date(session.today);
  return src;
}

// Runs one complete entry. Returns false when it failed; the message has
// been written to `err` (prefixed with `where` when given).
bool run_entry(Session& session, const EntryReader& entry, const std::string& where) {
  session.interrupted->store(false);
  if (int cols = terminal_columns(STDOUT_FILENO); cols > 0) session.terminal_width = cols;
  Palette colour(colour_enabled(STDERR_FILENO));
  std::string message;
  try {
    if (entry.kind() == EntryKind::Pipeline) {
      run_line(session, entry.text(), std::cout);
    } else if (entry.kind() == EntryKind::Lua) {
      if (!session.lua) throw Error("LuaUnavailable", "the Lua runtime is not available");
      session.lua->run_interactive(entry.text(), std::cout);
    }
    std::cout.flush();
    session.interrupted->store(false);
    return true;
  } catch (const Error& e) {
    message = e.what();
  } catch (const std::exception& e) {
    message = std::string("internal error: ") + e.what();
  }
  std::cout.flush();
  // After Ctrl-C the terminal shows `^C` where the cursor was: start afresh.
  if (session.interrupted->load() && session.interactive) std::cerr << "\n";
  std::cerr << colour.red() << where << terminal_safe(message) << colour.reset() << "\n" << std::flush;
  session.interrupted->store(false);
  return false;
}

void print_banner(Session& session) {
  std::cout << format_message(_("mailflow %1$s - store %2$s: "), {MAILFLOW_VERSION, store_file_name(session)})
            << store_contents_summary(session) << "\n";
  std::cout << _("Get-Command lists cmdlets, Get-Help NAME explains one, other lines are Lua; "
                 "exit or Ctrl-D leaves.")
            << "\n";
}

int run_terminal(Session& session, const ReplOptions& options) {
  SignalScope signals(session);
  if (!options.quiet) print_banner(session);
  LineHistory history(
      history_file_path(std::getenv("XDG_STATE_HOME"), std::getenv("HOME")), kHistoryLimit);
  if (!history.problem().empty())
    std::cerr << "mailflow: history is not saved: " << history.problem() << "\n";
  LineEditor editor(sources_for(session), session.interrupted);
  EntryReader entry(classifier_for(session));

  Palette colour(colour_enabled(STDOUT_FILENO));
  std::string store_name = store_file_name(session);
  // \001 and \002 tell readline the SGR sequences take no room on screen.
  auto wrap = [](const char* sgr) { return *sgr ? "\001" + std::string(sgr) + "\002" : ""; };
  std::string prompt = wrap(colour.green()) + "mailflow " + store_name + ">" +
                       wrap(colour.reset()) + " ";
  std::string continuation = wrap(colour.dim()) + ">>" + wrap(colour.reset()) + " ";

  for (;;) {
    LineEditor::Result input = editor.read(entry.continuing() ? continuation : prompt);
    if (input.outcome == LineEditor::Outcome::EndOfInput) return 0;
    if (input.outcome == LineEditor::Outcome::Interrupted) {
      entry.clear();
      continue;
    }
    history.remember(input.line);
    if (!entry.add_line(input.line)) continue;
    if (entry.kind() == EntryKind::Exit) return entry.exit_status().value_or(0);
    run_entry(session, entry, "");
    entry.clear();
  }
}

// Commands from a file or pipe: no readline, no prompt, no banner. Errors
// name the line of input; the status says whether everything succeeded.
int run_stream(Session& session) {
  EntryReader entry(classifier_for(session));
  bool failed = false;
  std::string line;
  int line_number = 0;
  int entry_start = 0;
  while (std::getline(std::cin, line)) {
    ++line_number;
    if (!entry.continuing()) entry_start = line_number;
    if (!entry.add_line(line)) continue;
    if (entry.kind() == EntryKind::Exit) {
      if (entry.exit_status()) return *entry.exit_status();
      return failed ? 1 : 0;
    }
    if (!run_entry(session, entry, "mailflow: line " + std::to_string(entry_start) + ": "))
      failed = true;
    entry.clear();
  }
  if (entry.continuing()) {
    std::cerr << "mailflow: line " << entry_start
              << ": input ended inside an unfinished entry (open function, string, brace or "
                 "trailing '|')\n";
    failed = true;
  }
  return failed ? 1 : 0;
}

}  // namespace

int run_repl(Session& session, const ReplOptions& options) {
  session.interactive = is_terminal(STDIN_FILENO);
  if (session.interactive) return run_terminal(session, options);
  return run_stream(session);
}

}  // namespace mailflow
