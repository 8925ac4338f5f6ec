#include "repl/history.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <readline/history.h>

namespace mailflow {

std::string history_file_path(const char* xdg_state_home, const char* home) {
  // XDG Base Directory: a relative $XDG_STATE_HOME is invalid and ignored.
  if (xdg_state_home && xdg_state_home[0] == '/')
    return std::string(xdg_state_home) + "/mailflow/history";
  if (home && *home) return std::string(home) + "/.local/state/mailflow/history";
  return "";
}

bool worth_remembering(std::string_view line, std::string_view previous) {
  if (line.empty() || line.front() == ' ' || line.front() == '\t') return false;
  if (line.find_first_not_of(" \t\r\n") == std::string_view::npos) return false;
  return line != previous;
}

LineHistory::LineHistory(std::string path, int limit) : path_(std::move(path)), limit_(limit) {
  using_history();
  stifle_history(limit_);
  if (path_.empty()) {
    problem_ = "neither XDG_STATE_HOME nor HOME is set";
    return;
  }
  std::filesystem::path dir = std::filesystem::path(path_).parent_path();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    problem_ = "cannot create " + dir.string() + ": " + ec.message();
    return;
  }
  ::chmod(dir.c_str(), 0700);
  int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    problem_ = "cannot open " + path_ + ": " + std::strerror(errno);
    return;
  }
  ::close(fd);
  if (int err = read_history(path_.c_str()); err != 0) {
    problem_ = "cannot read " + path_ + ": " + std::strerror(err);
    return;
  }
  persistent_ = true;
}

LineHistory::~LineHistory() {
  if (persistent_) history_truncate_file(path_.c_str(), limit_);
}

void LineHistory::remember(std::string_view line) {
  HIST_ENTRY* last = history_length > 0 ? history_get(history_base + history_length - 1) : nullptr;
  if (!worth_remembering(line, last ? std::string_view(last->line) : std::string_view())) return;
  std::string copy(line);
  add_history(copy.c_str());
  if (persistent_ && append_history(1, path_.c_str()) != 0) persistent_ = false;
}

}  // namespace mailflow
