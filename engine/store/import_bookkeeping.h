// Import bookkeeping (tables imported_files, import_rejects and
// refused_connections): which files were imported and how far, the malformed
// records kept with their reasons, and sessions a server log refused.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/time.h"
#include "core/trace.h"
#include "store/trace_store.h"

namespace mailflow {

// The imported_files row of a file: the same path with the same head hash is
// the same file imported again (its id is returned); a new head (the log
// rotated) gets a new row. Rejects kept from earlier imports of `path` are
// dropped, so a fixed file does not keep reporting its old problems.
std::int64_t register_imported_file(TraceStore& store, const std::string& path, const std::string& format,
                                    std::int64_t size, std::int64_t head_hash, UnixSeconds now);

// Records how far an import got (called with each committed batch).
void record_import_progress(TraceStore& store, std::int64_t file_id, const std::string& format,
                            std::int64_t size, std::int64_t lines, UnixSeconds now);

// Keeps one rejected record; a reject at the same path and line replaces it.
void keep_import_reject(TraceStore& store, std::int64_t file_id, const std::string& path,
                        std::int64_t line, std::string_view reason, std::string_view text);

// Adds a refused session unless one with the same fingerprint is stored.
// true when the row is new (a re-import adds nothing).
bool add_refused_connection(TraceStore& store, const RefusedConnection& row, std::int64_t fingerprint,
                            std::int64_t file_id);

// add_refused_connection() for an import, its statement prepared once. One
// row per statement: a statement of several rows into this table (it has a
// foreign key, so a row can fail after others went in) needs a statement
// journal to undo itself, and with 32 rows that journal passed SQLite's 64 KiB
// and went to a temporary file: 32,000 of the 54,700 writes of the 200 MiB
// Postfix benchmark (tests/bench/README.md). added() returns how many rows
// were new since it was last called.
class RefusedConnectionWriter {
 public:
  explicit RefusedConnectionWriter(TraceStore& store) : store_(store) {}
  // true when the row is new.
  bool add(const RefusedConnection& row, std::int64_t fingerprint, std::int64_t file_id);
  std::int64_t added() { return std::exchange(added_, 0); }

 private:
  TraceStore& store_;
  Statement* insert_ = nullptr;  // prepared on first use
  std::int64_t added_ = 0;
};

struct ImportRejectRow {
  std::string path;
  std::int64_t line = 0;
  std::string reason;
  std::string text;
};

// Kept rejects in path and line order, streamed from SQLite (a file with a
// million bad lines never sits in memory). With `path`, only the rejects of
// that path as given or as its import key (`key_path`).
class ImportRejectCursor {
 public:
  ImportRejectCursor(TraceStore& store, const std::optional<std::string>& path, const std::string& key_path);
  std::optional<ImportRejectRow> next();

 private:
  std::unique_ptr<Statement> stmt_;
};

// Refused sessions with start <= time < end, newest first.
class RefusedConnectionCursor {
 public:
  RefusedConnectionCursor(TraceStore& store, UnixSeconds start, UnixSeconds end);
  std::optional<RefusedConnection> next();

 private:
  std::unique_ptr<Statement> stmt_;
};

}  // namespace mailflow
