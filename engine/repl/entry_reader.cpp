#include "repl/entry_reader.h"

#include <cctype>
#include <charconv>

#include "core/text.h"

namespace mailflow {

namespace {

// Quote and bracket state at the end of pipeline text, with PowerShell's
// rules: '' inside single quotes and a backtick inside double quotes escape;
// `#` outside quotes starts a comment to the end of the line.
struct OpenState {
  char quote = 0;
  int depth = 0;
};

OpenState open_state(std::string_view text) {
  OpenState s;
  bool comment = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (comment) {
      if (c == '\n') comment = false;
      continue;
    }
    if (s.quote) {
      if (c == '`' && s.quote == '"') ++i;
      else if (c == s.quote) {
        if (c == '\'' && i + 1 < text.size() && text[i + 1] == '\'') ++i;
        else s.quote = 0;
      }
      continue;
    }
    if (c == '\'' || c == '"') s.quote = c;
    else if (c == '{' || c == '(') ++s.depth;
    else if ((c == '}' || c == ')') && s.depth > 0) --s.depth;
    else if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n'))
      comment = true;
  }
  return s;
}

}  // namespace

std::optional<ExitRequest> parse_exit(std::string_view line) {
  std::string_view t = trim(line);
  if (iequals(t, "quit") || iequals(t, "exit")) return ExitRequest{};
  if (!istarts_with(t, "exit")) return std::nullopt;
  std::string_view rest = t.substr(4);
  if (!rest.empty() && rest.front() == '(' && rest.back() == ')') {
    rest = trim(rest.substr(1, rest.size() - 2));
    if (rest.empty()) return ExitRequest{};
  } else if (rest.empty() || (rest.front() != ' ' && rest.front() != '\t')) {
    return std::nullopt;
  }
  rest = trim(rest);
  int status = 0;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), status);
  if (ec != std::errc() || end != rest.data() + rest.size() || status < 0 || status > 255)
    return std::nullopt;
  return ExitRequest{status};
}

bool pipeline_continues(std::string_view text) {
  OpenState s = open_state(text);
  if (s.quote || s.depth > 0) return true;
  // A trailing `|` (comments aside) asks for the next stage.
  std::string_view t = text;
  size_t line_start = t.rfind('\n');
  std::string_view last = line_start == std::string_view::npos ? t : t.substr(line_start + 1);
  size_t cut = last.size();
  for (size_t i = 0; i < last.size(); ++i) {
    bool token_start = i == 0 || last[i - 1] == ' ' || last[i - 1] == '\t';
    if (last[i] == '#' && token_start && open_state(last.substr(0, i)).quote == 0) {
      cut = i;
      break;
    }
  }
  std::string_view code = trim(last.substr(0, cut));
  return !code.empty() && code.back() == '|';
}

bool EntryReader::add_line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (lines_ == 0) {
    exit_status_.reset();
    if (trim(line).empty()) {
      kind_ = EntryKind::Blank;
      text_.clear();
      return true;
    }
    if (auto request = parse_exit(line)) {
      kind_ = EntryKind::Exit;
      if (request->status >= 0) exit_status_ = request->status;
      text_ = std::string(trim(line));
      return true;
    }
    kind_ = classifier_.is_pipeline && classifier_.is_pipeline(line) ? EntryKind::Pipeline
                                                                     : EntryKind::Lua;
    text_ = std::string(line);
  } else if (kind_ == EntryKind::Pipeline) {
    // Inside a quote the line break is part of the string; elsewhere it is
    // only a separator, and the shell reads one line of pipeline text.
    text_ += open_state(text_).quote ? "\n" : " ";
    text_ += line;
  } else {
    text_ += "\n";
    text_ += line;
  }
  ++lines_;
  if (kind_ == EntryKind::Pipeline) return !pipeline_continues(text_);
  return !classifier_.lua_complete || classifier_.lua_complete(text_);
}

void EntryReader::clear() {
  text_.clear();
  lines_ = 0;
  kind_ = EntryKind::Blank;
  exit_status_.reset();
}

}  // namespace mailflow
