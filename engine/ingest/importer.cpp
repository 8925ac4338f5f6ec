// Import-MessageTrace's driver (importer.h): one file after another, each
// read and parsed on a parse thread (import_recording.h) and written on this
// thread through the file's ImportSink (import_sink.h); format detection,
// rotation order and -TimeZone parsing.
#include "ingest/importer.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <optional>
#include <thread>

#include "core/error.h"
#include "core/text.h"
#include "ingest/line_source.h"
#include "ingest/connector_attribution.h"
#include "ingest/import_queue.h"
#include "ingest/import_recording.h"
#include "ingest/import_sink.h"
#include "store/connector_store.h"

namespace mailflow {

std::size_t import_batch_records(const ImportOptions& options, std::int64_t file_size) {
  if (options.batch_size) return options.batch_size;
  return file_size >= ImportOptions::kLargeBatchBytes ? ImportOptions::kLargeBatchRecords
                                                      : ImportOptions::kBatchRecords;
}

// The store's config entry for what a log format's reader left open
// (TraceReader::resume); not a setting: Get-MailFlowConfig never lists it.
std::string reader_state_key(std::string_view format) { return "reader-state:" + std::string(format); }

namespace {

const ReaderFormat& resolve_format(const std::string& path, const std::string& name,
                                   const LineSource& source) {
  if (iequals(name, "Auto")) {
    std::vector<std::string> head = source.head_lines(kDetectLines);
    const ReaderFormat* f = detect_reader_format(head);
    if (!f) {
      std::string first = head.empty() ? std::string() : head.front().substr(0, 60);
      std::string names;
      for (const ReaderFormat& r : reader_formats()) names += (names.empty() ? "" : ", ") + r.name;
      throw Error("UnknownFormat", "cannot tell the format of '" + path + "' from its first line '" +
                                       first + "'; name it with -Format (available: " + names + ")");
    }
    return *f;
  }
  const ReaderFormat* f = find_reader_format(name);
  if (!f) throw Error("UnknownFormat", "unknown import format '" + name + "'");
  return *f;
}

}  // namespace

std::string import_key_path(const std::string& path) {
  std::error_code ec;
  auto absolute = std::filesystem::absolute(path, ec);
  if (ec) return path;
  return absolute.lexically_normal().string();
}

std::optional<int> parse_utc_offset(std::string_view text) {
  std::string_view t = trim(text);
  if (iequals(t, "UTC") || iequals(t, "GMT") || iequals(t, "Z")) return 0;
  if (istarts_with(t, "UTC") || istarts_with(t, "GMT")) t.remove_prefix(3);
  if (t.empty() || (t[0] != '+' && t[0] != '-')) return std::nullopt;
  int sign = t[0] == '+' ? 1 : -1;
  t.remove_prefix(1);
  auto number = [](std::string_view s, int& out) {
    if (s.empty() || s.size() > 2) return false;
    out = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    return true;
  };
  int hours = 0, minutes = 0;
  std::size_t colon = t.find(':');
  if (colon != std::string_view::npos) {
    if (!number(t.substr(0, colon), hours) || !number(t.substr(colon + 1), minutes)) return std::nullopt;
  } else if (t.size() == 4) {
    if (!number(t.substr(0, 2), hours) || !number(t.substr(2), minutes)) return std::nullopt;
  } else if (!number(t, hours)) {
    return std::nullopt;
  }
  if (hours > 14 || minutes > 59) return std::nullopt;
  return sign * (hours * 3600 + minutes * 60);
}

namespace {

// "mail.log.2.gz" -> ("mail.log", 2); "mail.log-20261201" -> ("mail.log",
// days before 9999-12-31); "mail.log" -> ("mail.log", 0): the larger the
// rank, the older the file.
std::pair<std::string, std::int64_t> rotation_rank(const std::string& path) {
  std::string name = path;
  for (const char* ext : {".gz", ".xz", ".zst", ".bz2"})
    if (name.size() > std::strlen(ext) && name.ends_with(ext)) {
      name.resize(name.size() - std::strlen(ext));
      break;
    }
  std::size_t cut = name.find_last_of(".-");
  if (cut == std::string::npos || cut + 1 == name.size()) return {name, 0};
  std::string_view suffix = std::string_view(name).substr(cut + 1);
  if (suffix.size() > 9 || suffix.find_first_not_of("0123456789") != std::string_view::npos) return {name, 0};
  std::int64_t n = std::stoll(std::string(suffix));
  if (name[cut] == '-') n = 99991231 - n;  // logrotate dateext: an earlier date is older
  else if (n == 0) return {name, 0};
  return {name.substr(0, cut), n};
}

}  // namespace

std::vector<std::string> rotation_order(std::vector<std::string> paths) {
  // Files of one log keep the places they had in the list, filled oldest
  // first; other files stay where they are.
  std::vector<std::pair<std::string, std::int64_t>> ranks;
  for (const std::string& p : paths) ranks.push_back(rotation_rank(p));
  std::vector<bool> placed(paths.size(), false);
  std::vector<std::string> out = paths;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (placed[i]) continue;
    std::vector<std::size_t> group;
    for (std::size_t j = i; j < paths.size(); ++j)
      if (!placed[j] && ranks[j].first == ranks[i].first) group.push_back(j);
    std::vector<std::size_t> sorted = group;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [&](std::size_t a, std::size_t b) { return ranks[a].second > ranks[b].second; });
    for (std::size_t k = 0; k < group.size(); ++k) {
      out[group[k]] = paths[sorted[k]];
      placed[group[k]] = true;
    }
  }
  return out;
}

struct MultiFileImport::Carry {
  const ReaderFormat* format = nullptr;
  std::unique_ptr<TraceReader> reader;
};

MultiFileImport::MultiFileImport(TraceStore& store, std::vector<std::string> paths, ImportOptions options)
    : store_(store), paths_(std::move(paths)), options_(std::move(options)), carry_(std::make_unique<Carry>()) {}

MultiFileImport::~MultiFileImport() = default;

std::optional<ImportSummary> MultiFileImport::next() {
  if (next_ >= paths_.size()) return std::nullopt;
  const std::string& path = paths_[next_++];
  bool last = next_ == paths_.size();
  LineSource source(path, 1 << 20, options_.interrupted);
  const ReaderFormat& format = resolve_format(path, options_.format, source);

  ImportSummary summary;
  summary.path = path;
  summary.format = format.name;
  summary.log_format = format.log_format;

  // A log reader carries over to the next file of the same format (the
  // next rotated file); any other reader starts afresh.
  if (carry_->reader && carry_->format != &format) carry_->reader.reset();
  if (!carry_->reader) {
    ReaderOptions reader_options = options_.reader;
    std::error_code mtime_error;
    auto mtime = std::filesystem::last_write_time(path, mtime_error);
    if (!mtime_error)  // for year inference from syslog timestamps
      reader_options.file_mtime = std::chrono::duration_cast<std::chrono::seconds>(
                                      std::chrono::file_clock::to_sys(mtime).time_since_epoch())
                                      .count();
    try {
      carry_->reader = format.make(reader_options);
    } catch (const Error& e) {
      throw Error(e.id(), "cannot import '" + path + "': " + e.what());
    }
    carry_->format = &format;
    if (format.log_format) carry_->reader->resume(store_.get_config(reader_state_key(format.name)).value_or(""));
  }
  TraceReader& reader = *carry_->reader;
  std::int64_t incomplete_before = reader.incomplete();

  // Before the sink opens its first batch: the settings change outside a
  // transaction, and are restored (with a checkpoint) after the sink is gone.
  BulkWrite bulk(store_);
  ImportSink sink(store_, options_, summary, import_key_path(path), source.head_hash(), source.file_size());
  if (format.log_format) {
    // Without connectors defined there is nothing to attribute.
    std::vector<Connector> connectors = ConnectorStore(store_).list();
    if (!connectors.empty()) sink.set_attribution(std::make_unique<ConnectorAttribution>(std::move(connectors)));
  }
  bool carries = !last && format.log_format;

  // The parse thread reads and runs the reader; this thread replays what it
  // said into the sink. The parse thread's error (a reader's terminating
  // error, an unreadable file, Ctrl-C while reading) is handed to this
  // thread, which first writes whatever was handed over before it, so the
  // batches that were complete commit as in a one-thread import.
  ImportQueue queue;
  std::exception_ptr parse_error;
  std::thread parser([&] {
    RecordingSink recorder(queue, options_);
    LineSource::Line line;
    try {
      while (source.next(line)) {
        recorder.set_lines(line.number);
        if (line.overlong) {
          recorder.reject(line.number, "line longer than " + std::to_string(kMaxRecordBytes) + " bytes", line.text);
          continue;
        }
        reader.line(line.text, line.number, recorder);
      }
      if (carries) reader.next_file(recorder);
      else reader.finish(recorder);
      recorder.set_lines(line.number);
      recorder.finish();
    } catch (const RecordingSink::Stopped&) {
      // The store thread stopped, or Ctrl-C: it says why.
    } catch (...) {
      parse_error = std::current_exception();
    }
    queue.close();
  });
  // Whatever way this thread leaves, the parse thread is stopped and joined
  // first (an open batch is then rolled back by the sink's writer).
  struct JoinParser {
    ImportQueue& queue;
    std::thread& thread;
    ~JoinParser() {
      queue.close();
      if (thread.joinable()) thread.join();
    }
  } join{queue, parser};

  bool finished = false;
  std::int64_t lines = 0;
  try {
    while (auto chunk = queue.pop()) {
      finished = replay(*chunk, sink);
      lines = chunk->lines;
      queue.recycle(std::move(chunk));
      if (finished) break;
    }
  } catch (...) {
    queue.close();  // the parse thread uses the reader: stopped before it goes
    parser.join();
    carry_->reader.reset();
    throw;
  }
  queue.close();
  parser.join();
  if (!finished) {
    carry_->reader.reset();
    if (parse_error) {
      try {
        std::rethrow_exception(parse_error);
      } catch (const Error& e) {
        // A reader's terminating error (a CSV without its header): name the file.
        if (e.id() == "ImportFormat") throw Error(e.id(), "cannot import '" + path + "': " + e.what());
        throw;
      }
    }
    sink.check_interrupted();
    throw Error("OperationInterrupted", "import of '" + path + "' stopped before the end of the file");
  }
  summary.incomplete = reader.incomplete() - incomplete_before;
  if (!carries) carry_->reader.reset();
  summary.lines = lines;
  sink.set_lines(summary.lines);
  sink.check_interrupted();
  sink.end_bulk_load();
  sink.commit_batch();
  return summary;
}

ImportSummary import_trace_file(TraceStore& store, const std::string& path, const ImportOptions& options) {
  MultiFileImport one(store, {path}, options);
  return *one.next();
}

}  // namespace mailflow
