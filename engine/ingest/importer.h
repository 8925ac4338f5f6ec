// Import-MessageTrace's engine: streams one file through its reader into the
// store in batched transactions.
//
// Guarantees (SPEC section 8):
// - memory is bounded whatever the file size: the file is read in 1 MiB
//   chunks, a batch holds at most `batch_size` records' rollup deltas, and
//   the occurrence counter is bounded (occurrence_counter.h);
// - every trace is keyed by its fingerprint (content + occurrence within
//   the file), so importing a file again adds nothing (Duplicates);
// - a malformed record is counted under Rejected and kept in import_rejects
//   (path, line, reason, raw text); the import goes on;
// - each batch commits traces, their rollup, rejects and the file's progress
//   in one transaction: a killed import leaves whole batches behind, and a
//   re-run adds exactly the records still missing.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ingest/trace_reader.h"
#include "store/trace_store.h"

namespace mailflow {

struct ImportOptions {
  std::string format = "Auto";  // a name from reader_formats(), or Auto
  ReaderOptions reader;
  // Records (traces, rejects, refusals) per transaction; 0: by the file's
  // size, kBatchRecords, or kLargeBatchRecords for a file of
  // kLargeBatchBytes or more. A kill loses at most one batch's work (the
  // re-run redoes it); a larger batch writes each index page to the WAL
  // fewer times, which matters most for a file not in time order (its
  // inserts land all over the indexes): 22% less CPU for 1M shuffled
  // records at 100,000 than at 20,000 (tests/bench/README.md).
  std::size_t batch_size = 0;
  static constexpr std::size_t kBatchRecords = 20000;
  static constexpr std::size_t kLargeBatchRecords = 100000;
  static constexpr std::int64_t kLargeBatchBytes = 64 << 20;
  // An import into a store without traces loads in bulk: indexes built
  // once at the end (TraceWriter::begin_bulk_load). Off: one insert at a
  // time into the indexes, as into a store that has traces.
  bool bulk_load = true;
  std::atomic<bool>* interrupted = nullptr;
  // Test hook: runs just before each batch commits (1-based batch number);
  // throwing from it simulates an import killed mid-way.
  std::function<void(std::int64_t batch)> before_commit;
};

struct ImportSummary {
  std::string path;    // as given
  std::string format;  // the format used (detected for Auto)
  bool log_format = false;
  std::int64_t lines = 0;
  std::int64_t imported = 0;
  std::int64_t duplicates = 0;
  std::int64_t rejected = 0;
  std::int64_t refused = 0;
  std::int64_t incomplete = 0;  // log formats: queue ids flushed before they completed
  // Log formats: lines that were not the format's (other programs, Postfix
  // daemons that say nothing about mail flow), and how many per program.
  std::int64_t ignored = 0;
  std::vector<std::pair<std::string, std::int64_t>> ignored_by_program;
};

// The store's config key under which a log format's reader keeps what it
// left open at the end of an import for the next one (TraceReader::resume).
std::string reader_state_key(std::string_view format);

// Several files in one import, in the given order (rotation_order() puts
// rotated logs oldest first): a log reader carries its open queue ids from
// one file to the next of the same format, so that importing mail.log.2.gz,
// mail.log.1 and mail.log in one call equals importing their concatenation.
// One summary per file; each file's records count in its own summary.
class MultiFileImport {
 public:
  MultiFileImport(TraceStore& store, std::vector<std::string> paths, ImportOptions options);
  ~MultiFileImport();
  // Imports the next file (throws as import_trace_file does); nullopt when done.
  std::optional<ImportSummary> next();

 private:
  struct Carry;
  TraceStore& store_;
  std::vector<std::string> paths_;
  ImportOptions options_;
  std::size_t next_ = 0;
  std::unique_ptr<Carry> carry_;
};

// Rotated files of one log, oldest first, in the places the list gave them:
// "mail.log", "mail.log.1", "mail.log.2.gz" -> "mail.log.2.gz", "mail.log.1",
// "mail.log" (also logrotate's dateext "mail.log-20261201"); other files keep
// their place.
std::vector<std::string> rotation_order(std::vector<std::string> paths);

// The records per transaction for a file of `file_size` bytes
// (ImportOptions::batch_size, or by the size when that is 0).
std::size_t import_batch_records(const ImportOptions& options, std::int64_t file_size);

// Imports one file. Throws Error naming the path for a missing or unreadable
// file, an unknown format name, an undetectable format or
// a file its reader cannot read at all (a CSV without the required header).
ImportSummary import_trace_file(TraceStore& store, const std::string& path,
                                const ImportOptions& options);

// The path rejects and imported_files are kept under: absolute and
// normalised, so that the same file imported from another directory matches.
std::string import_key_path(const std::string& path);

// -TimeZone as a fixed offset from UTC in seconds: "UTC", "Z", "+01:00",
// "-0500", "UTC+1". nullopt for anything else (e.g. a zone name).
std::optional<int> parse_utc_offset(std::string_view text);

}  // namespace mailflow
