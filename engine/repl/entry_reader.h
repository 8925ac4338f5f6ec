// Turns physical lines typed at the REPL (or read from stdin) into entries:
// one pipeline or one Lua chunk each (SPEC 7). A pipeline ending in `|`, or
// with an open quote or brace, continues on the next line; so does Lua that
// is not a complete chunk yet (an open `function`, `{` or string).
//
// The classification itself belongs to others (the shell decides what a
// pipeline line is, the Lua host what a complete chunk is); they are passed in
// so this logic is unit-tested without either.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace mailflow {

enum class EntryKind { Blank, Exit, Pipeline, Lua };

struct LineClassifier {
  std::function<bool(std::string_view)> is_pipeline;     // shell: is_pipeline_line
  std::function<bool(const std::string&)> lua_complete;  // ScriptHost::is_complete
};

// `exit`, `quit`, `exit N`, `exit(N)` (N in 0..255): a request to leave.
struct ExitRequest {
  int status = -1;  // -1: no status given
};
std::optional<ExitRequest> parse_exit(std::string_view line);

// True when pipeline text cannot end here: an open quote, `{` or `(`, or a
// trailing `|`.
bool pipeline_continues(std::string_view text);

class EntryReader {
 public:
  explicit EntryReader(LineClassifier classifier) : classifier_(std::move(classifier)) {}

  // Adds one physical line; true when the entry is now complete.
  bool add_line(std::string_view line);
  // Lines have been taken and the entry is not complete: show `>> `.
  bool continuing() const { return lines_ > 0; }

  EntryKind kind() const { return kind_; }
  const std::string& text() const { return text_; }
  std::optional<int> exit_status() const { return exit_status_; }
  // Number of physical lines in the entry.
  int lines() const { return lines_; }

  // Forgets the entry (after running it, or on Ctrl-C).
  void clear();

 private:
  LineClassifier classifier_;
  std::string text_;
  int lines_ = 0;
  EntryKind kind_ = EntryKind::Blank;
  std::optional<int> exit_status_;
};

}  // namespace mailflow
