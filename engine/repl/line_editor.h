// GNU readline behind one small class: reads a line with editing, history
// (arrows, Ctrl-R) and our Tab completion, and tells a line, end of input
// (Ctrl-D) and Ctrl-C apart. Readline's callback interface is used so that
// Ctrl-C at the prompt only sets a flag (our SIGINT handler) and the line is
// cancelled here, outside the signal handler.
#pragma once

#include <atomic>
#include <string>

#include "repl/completion.h"

namespace mailflow {

class LineEditor {
 public:
  enum class Outcome { Line, EndOfInput, Interrupted };
  struct Result {
    Outcome outcome;
    std::string line;
  };

  // `interrupted` is the flag the SIGINT handler sets.
  LineEditor(CompletionSources sources, std::atomic<bool>* interrupted);
  ~LineEditor();
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  // `prompt` may hold SGR sequences wrapped in \001...\002.
  Result read(const std::string& prompt);
  // The terminal was resized (SIGWINCH): called from the signal handler.
  static void note_resize();

 private:
  std::atomic<bool>* interrupted_;
};

}  // namespace mailflow
