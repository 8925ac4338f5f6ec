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
#include <string>

#include "ingest/trace_reader.h"
#include "store/trace_store.h"

namespace mailflow {

struct ImportOptions {
  std::string format = "Auto";  // a name from reader_formats(), or Auto
  ReaderOptions reader;
  std::size_t batch_size = 20000;  // records (traces, rejects, refusals) per transaction
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
};

// Imports one file. Throws Error naming the path for a missing or unreadable
// file, an unknown or not yet implemented format, an undetectable format or
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
