#include "repl/line_editor.h"

#include <sys/select.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <vector>

#include <readline/history.h>
#include <readline/readline.h>

namespace mailflow {

namespace {

// Readline's callbacks are plain C functions; they reach the editor's state
// through these. One LineEditor exists at a time.
CompletionSources* g_sources = nullptr;
std::optional<std::string> g_line;
bool g_done = false;
volatile std::sig_atomic_t g_resized = 0;

void on_line(char* line) {
  g_done = true;
  if (line) {
    g_line = line;
    std::free(line);
  } else {
    g_line.reset();
  }
  // Stop reading (and prompting) until the next read(): the entry runs with
  // the terminal back in its normal mode, so Ctrl-C raises SIGINT.
  rl_callback_handler_remove();
}

// Tab: our own completion (completion.h) in place of readline's word-based
// one, so that the replaced span is exactly the one complete() chose.
int on_tab(int, int) {
  if (!g_sources) return 0;
  std::string line(rl_line_buffer, static_cast<size_t>(rl_end));
  size_t cursor = static_cast<size_t>(rl_point);
  CompletionResult result = complete(*g_sources, line, cursor);
  if (result.candidates.empty()) {
    rl_ding();
    return 0;
  }
  CompletionEdit edit = plan_completion_edit(result, line, cursor);
  if (edit.changes) {
    rl_begin_undo_group();
    rl_delete_text(static_cast<int>(edit.start), static_cast<int>(edit.end));
    rl_point = static_cast<int>(edit.start);
    rl_insert_text(edit.text.c_str());
    rl_end_undo_group();
  }
  if (edit.show_list) {
    // matches[0] is the common part, then the candidates, then NULL.
    std::vector<char*> matches;
    std::string typed = line.substr(edit.start, cursor - edit.start);
    matches.push_back(strdup(typed.c_str()));
    int longest = 0;
    for (const auto& c : result.candidates) {
      matches.push_back(strdup(c.display.c_str()));
      longest = std::max(longest, static_cast<int>(c.display.size()));
    }
    matches.push_back(nullptr);
    rl_crlf();
    rl_display_match_list(matches.data(), static_cast<int>(result.candidates.size()), longest);
    rl_forced_update_display();
    for (char* m : matches) std::free(m);
  }
  return 0;
}

}  // namespace

LineEditor::LineEditor(CompletionSources sources, std::atomic<bool>* interrupted)
    : interrupted_(interrupted) {
  g_sources = new CompletionSources(std::move(sources));
  rl_readline_name = "mailflow";
  // Our handlers own SIGINT and SIGWINCH (see repl.cpp); readline must not
  // install its own in callback mode.
  rl_catch_signals = 0;
  rl_catch_sigwinch = 0;
  rl_outstream = isatty(STDOUT_FILENO) ? stdout : stderr;
  rl_bind_key('\t', on_tab);
}

LineEditor::~LineEditor() {
  rl_callback_handler_remove();
  delete g_sources;
  g_sources = nullptr;
}

void LineEditor::note_resize() { g_resized = 1; }

LineEditor::Result LineEditor::read(const std::string& prompt) {
  g_done = false;
  g_line.reset();
  rl_callback_handler_install(prompt.c_str(), on_line);
  while (!g_done) {
    fd_set in;
    FD_ZERO(&in);
    FD_SET(STDIN_FILENO, &in);
    int ready = select(STDIN_FILENO + 1, &in, nullptr, nullptr, nullptr);
    if (g_resized) {
      g_resized = 0;
      rl_resize_terminal();
    }
    if (interrupted_ && interrupted_->exchange(false)) {
      // Ctrl-C: drop the line being typed and start afresh.
      rl_free_line_state();
      rl_callback_sigcleanup();
      std::fputs("^C", rl_outstream);
      rl_crlf();
      rl_replace_line("", 0);
      rl_point = rl_end = 0;
      rl_callback_handler_remove();
      return {Outcome::Interrupted, ""};
    }
    if (ready < 0) {
      if (errno == EINTR) continue;
      rl_callback_handler_remove();
      return {Outcome::EndOfInput, ""};
    }
    rl_callback_read_char();
  }
  if (!g_line) {
    std::fputc('\n', rl_outstream);
    std::fflush(rl_outstream);
    return {Outcome::EndOfInput, ""};
  }
  return {Outcome::Line, *g_line};
}

}  // namespace mailflow
