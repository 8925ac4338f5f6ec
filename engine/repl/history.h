// The REPL's line history: kept by readline in memory, persisted per user in
// $XDG_STATE_HOME/mailflow/history (else ~/.local/state/mailflow/history),
// bounded to a number of entries. Each line is appended as soon as it is
// entered, so a killed session keeps what was typed. Lines read at a secret
// prompt never come here (see read_secret in core/terminal.h).
#pragma once

#include <string>
#include <string_view>

namespace mailflow {

// The history file for these environment values (either may be null or
// empty); "" when neither gives a place.
std::string history_file_path(const char* xdg_state_home, const char* home);

// Blank lines, lines starting with a space (the shells' "ignorespace": a way
// to keep a line out of history on purpose) and repeats of the previous
// entry are not remembered.
bool worth_remembering(std::string_view line, std::string_view previous);

class LineHistory {
 public:
  // Loads `path` into readline's history (creating its directory, mode 0700,
  // and the file, mode 0600) and keeps at most `limit` entries. When the
  // file cannot be used, `problem()` says why and history stays in memory.
  LineHistory(std::string path, int limit);
  ~LineHistory();  // trims the file to `limit` entries
  LineHistory(const LineHistory&) = delete;
  LineHistory& operator=(const LineHistory&) = delete;

  void remember(std::string_view line);
  const std::string& problem() const { return problem_; }

 private:
  std::string path_;
  int limit_;
  bool persistent_ = false;
  std::string problem_;
};

}  // namespace mailflow
