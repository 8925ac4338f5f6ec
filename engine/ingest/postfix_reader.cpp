#include "ingest/postfix_reader.h"

#include <optional>

#include "ingest/postfix_joiner.h"
#include "ingest/syslog_header.h"

namespace mailflow {

// --- the reader: lines, and journald records ---------------------------

PostfixReader::PostfixReader(const ReaderOptions& options, UnixSeconds window)
    : joiner_(std::make_unique<PostfixJoiner>(options, window)) {}

PostfixReader::~PostfixReader() = default;

std::size_t PostfixReader::open_queue_ids() const { return joiner_->open_queue_ids(); }
std::int64_t PostfixReader::incomplete() const { return joiner_->incomplete(); }

namespace {

bool postfix_program(std::string_view program) {
  return program.starts_with("postfix");
}

// The string value of `"key":` in a one-line JSON object (journalctl -o json
// writes every field as a string, or an array of bytes for binary data, or
// an array for a repeated field); nullopt when absent or not a string.
std::optional<std::string> json_string(std::string_view line, std::string_view key) {
  std::string needle = "\"" + std::string(key) + "\":";
  size_t at = line.find(needle);
  while (at != std::string_view::npos && at > 0 && line[at - 1] != '{' && line[at - 1] != ',')
    at = line.find(needle, at + 1);
  if (at == std::string_view::npos) return std::nullopt;
  size_t i = at + needle.size();
  while (i < line.size() && line[i] == ' ') ++i;
  if (i >= line.size() || line[i] != '"') return std::nullopt;
  std::string out;
  for (++i; i < line.size(); ++i) {
    char c = line[i];
    if (c == '"') return out;
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (++i >= line.size()) return std::nullopt;
    switch (line[i]) {
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case 'r': out.push_back('\r'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'u': {
        if (i + 4 >= line.size()) return std::nullopt;
        unsigned cp = 0;
        for (int k = 1; k <= 4; ++k) {
          char h = line[i + k];
          cp <<= 4;
          if (h >= '0' && h <= '9') cp |= h - '0';
          else if (h >= 'a' && h <= 'f') cp |= h - 'a' + 10;
          else if (h >= 'A' && h <= 'F') cp |= h - 'A' + 10;
          else return std::nullopt;
        }
        i += 4;
        if (cp < 0x80) {
          out.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
          out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
          out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
          out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
          out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
          out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
        break;
      }
      default: out.push_back(line[i]);
    }
  }
  return std::nullopt;
}

bool journal_export_start(std::string_view line) {
  return line.starts_with("__CURSOR=") || line.starts_with("__REALTIME_TIMESTAMP=");
}

}  // namespace

bool PostfixReader::looks_like(const std::vector<std::string>& head) {
  for (const std::string& line : head) {
    if (line.starts_with("{")) {
      auto ident = json_string(line, "SYSLOG_IDENTIFIER");
      if (ident && postfix_program(*ident) && json_string(line, "__REALTIME_TIMESTAMP")) return true;
      continue;
    }
    if (journal_export_start(line)) return true;
    auto h = parse_syslog_header(line);
    if (h && postfix_program(h->program) &&
        (h->program.find('/') != std::string_view::npos || !h->pid.empty()))
      return true;
  }
  return false;
}

void PostfixReader::line(std::string_view text, std::int64_t number, ReaderSink& sink) {
  if (mode_ == Mode::Unknown && !text.empty())
    mode_ = text.starts_with("{") ? Mode::Json : journal_export_start(text) ? Mode::Export : Mode::Syslog;
  if (mode_ == Mode::Json) return json_line(text, number, sink);
  if (mode_ == Mode::Export) return export_line(text, number, sink);
  auto h = parse_syslog_header(text);
  if (!h) {
    // Not a syslog line: another program's output, skipped - unless it
    // names a Postfix daemon, then it is a Postfix line we cannot read.
    if (text.find(" postfix/") != std::string_view::npos && text.find("]: ") != std::string_view::npos)
      sink.reject(number, "Postfix line with an unreadable timestamp or header", text);
    else if (!text.empty())
      sink.ignored("(not a syslog line)");
    return;
  }
  if (!postfix_program(h->program)) {
    sink.ignored(h->program);
    return;
  }
  joiner_->message(*h, text, number, sink);
}

void PostfixReader::json_line(std::string_view text, std::int64_t number, ReaderSink& sink) {
  if (text.empty()) return;
  entry_ = JournalEntry{};
  entry_.first_line = number;
  auto field = [&](std::string_view key, std::string& out) {
    if (auto v = json_string(text, key)) {
      out = std::move(*v);
      return true;
    }
    return false;
  };
  if (!text.starts_with("{") || !field("__REALTIME_TIMESTAMP", entry_.realtime)) {
    sink.reject(number, "journal JSON line without __REALTIME_TIMESTAMP", text);
    return;
  }
  field("_HOSTNAME", entry_.host);
  field("SYSLOG_IDENTIFIER", entry_.identifier);
  if (!field("SYSLOG_PID", entry_.pid)) field("_PID", entry_.pid);
  if (!field("MESSAGE", entry_.message)) {
    sink.ignored(entry_.identifier.empty() ? std::string_view("(journal entry)") : entry_.identifier);
    return;
  }
  journal_entry(number, text, sink);
}

void PostfixReader::export_line(std::string_view text, std::int64_t number, ReaderSink& sink) {
  if (text.empty()) {
    if (entry_.first_line != 0) journal_entry(entry_.first_line, entry_.raw, sink);
    entry_ = JournalEntry{};
    return;
  }
  if (entry_.first_line == 0) entry_.first_line = number;
  if (entry_.raw.size() < kMaxRecordBytes) {
    if (!entry_.raw.empty()) entry_.raw.push_back('\n');
    entry_.raw.append(text);
  }
  size_t eq = text.find('=');
  if (eq == std::string_view::npos) {
    // A binary field: its name alone, then a 64-bit length and raw bytes
    // that this line-based reader cannot follow. The entry is rejected.
    entry_.binary = true;
    return;
  }
  std::string_view key = text.substr(0, eq), value = text.substr(eq + 1);
  if (key == "__REALTIME_TIMESTAMP") entry_.realtime = value;
  else if (key == "_HOSTNAME") entry_.host = value;
  else if (key == "SYSLOG_IDENTIFIER") entry_.identifier = value;
  else if (key == "SYSLOG_PID") entry_.pid = value;
  else if (key == "_PID" && entry_.pid.empty()) entry_.pid = value;
  else if (key == "MESSAGE") entry_.message = value;
}

void PostfixReader::journal_entry(std::int64_t number, std::string_view raw, ReaderSink& sink) {
  if (!postfix_program(entry_.identifier)) {
    sink.ignored(entry_.identifier.empty() ? std::string_view("(journal entry)") : entry_.identifier);
    return;
  }
  if (entry_.binary) {
    sink.reject(number, "journal export entry with a binary field", raw);
    return;
  }
  std::int64_t usec = 0;
  bool ok = !entry_.realtime.empty() && entry_.realtime.size() <= 18;
  for (char c : entry_.realtime) {
    if (c < '0' || c > '9') ok = false;
    else usec = usec * 10 + (c - '0');
  }
  if (!ok) {
    sink.reject(number, "journal entry with a bad __REALTIME_TIMESTAMP '" + entry_.realtime + "'", raw);
    return;
  }
  SyslogHeader h;
  h.has_instant = true;
  h.instant = usec / 1000000;
  h.host = entry_.host;
  h.program = entry_.identifier;
  h.tag = entry_.identifier;
  h.pid = entry_.pid;
  h.message = entry_.message;
  joiner_->message(h, raw, number, sink);
}

void PostfixReader::finish(ReaderSink& sink) {
  if (mode_ == Mode::Export && entry_.first_line != 0) journal_entry(entry_.first_line, entry_.raw, sink);
  entry_ = JournalEntry{};
  if (resumed_) sink.reader_state(joiner_->park(sink));
  else joiner_->finish(sink);
}

void PostfixReader::resume(std::string_view state) {
  resumed_ = true;
  joiner_->resume(state);
}

void PostfixReader::next_file(ReaderSink& sink) {
  // A journal export entry does not continue across files; the joiner's
  // queue ids, sessions and connections do.
  if (mode_ == Mode::Export && entry_.first_line != 0) journal_entry(entry_.first_line, entry_.raw, sink);
  entry_ = JournalEntry{};
  mode_ = Mode::Unknown;
}

}  // namespace mailflow

