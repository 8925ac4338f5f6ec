// A thin RAII layer over the SQLite C API: a connection that owns named,
// prepared-once statements, and a statement handle that resets itself after
// use. Values are always bound, never spliced into SQL text.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/trace_fields.h"

namespace mailflow {

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binding (1-based index, as SQLite).
  Statement& bind(int index, std::int64_t v);
  Statement& bind(int index, int v) { return bind(index, static_cast<std::int64_t>(v)); }
  Statement& bind(int index, double v);
  Statement& bind(int index, std::string_view v);
  Statement& bind(int index, const char* v) { return bind(index, std::string_view(v)); }
  Statement& bind(int index, const std::string& v) { return bind(index, std::string_view(v)); }
  Statement& bind(int index, const std::optional<std::string>& v);
  Statement& bind_null(int index);
  // A trace field's value (core/trace_fields.h): nil, integer or text.
  Statement& bind(int index, const FieldValue& v);
  // Binds text that the caller keeps alive and unchanged until the next
  // reset: SQLite reads it in place instead of copying it (SQLITE_STATIC).
  Statement& bind_static(int index, std::string_view v) {
    sqlite3_bind_text(stmt_, index, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    return *this;
  }
  Statement& bind_static(int index, const std::string& v) { return bind_static(index, std::string_view(v)); }
  Statement& bind_static(int index, const std::optional<std::string>& v) {
    return v ? bind_static(index, std::string_view(*v)) : bind_null(index);
  }

  // Steps once: true when a row is available, false when done. Throws on error.
  bool step();
  // Steps to completion (for statements that return no rows).
  void run();
  void reset();
  // Ready to run again with the same bindings: for a writer that rebinds
  // every parameter on each row, clearing them first is wasted work.
  void rewind() { sqlite3_reset(stmt_); }

  std::int64_t column_int(int i) const { return sqlite3_column_int64(stmt_, i); }
  double column_double(int i) const { return sqlite3_column_double(stmt_, i); }
  bool column_is_null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
  std::string column_text(int i) const;
  std::optional<std::string> column_optional_text(int i) const;
  // A trace field's column: nil when NULL, else as the field's kind stores it.
  FieldValue column_field(int i, FieldKind kind) const;
  int column_count() const { return sqlite3_column_count(stmt_); }
  std::string column_name(int i) const { return sqlite3_column_name(stmt_, i); }

  sqlite3_stmt* handle() const { return stmt_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a cached statement when it goes out of scope, so a statement is
// never left mid-step whatever path the caller takes.
class StatementUse {
 public:
  explicit StatementUse(Statement& s) : s_(s) {}
  ~StatementUse() { s_.reset(); }
  Statement* operator->() { return &s_; }
  Statement& operator*() { return s_; }

 private:
  Statement& s_;
};

// Rewinds (without clearing bindings) when it goes out of scope: for
// statements a writer holds and rebinds in full on every use.
class StatementRewind {
 public:
  explicit StatementRewind(Statement& s) : s_(s) {}
  ~StatementRewind() { s_.rewind(); }
  Statement* operator->() { return &s_; }

 private:
  Statement& s_;
};

// The VALUES list of a multi-row insert: `rows` groups of `columns`
// numbered parameters, "(?1, ?2),(?3, ?4)" for 2 and 2.
std::string numbered_rows(std::size_t rows, int columns);

class Database {
 public:
  // Opens (creating when missing) the file at `path`. Throws mailflow::Error.
  explicit Database(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(std::string_view sql);
  // A statement prepared once per connection and kept under `name` (found
  // again by a hash of the name: no allocation, one compare).
  Statement& cached(std::string_view name, std::string_view sql);
  // A one-off statement.
  std::unique_ptr<Statement> prepare(std::string_view sql);

  std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }
  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }

  // Interrupts a running statement from another thread (Ctrl-C).
  void interrupt() { sqlite3_interrupt(db_); }
  // PRAGMA journal_mode=WAL, waiting for other connections' locks as long
  // as any statement waits (the pragma itself does not wait).
  void enter_wal_mode();

 private:
  void open(int flags);
  std::string path_;
  sqlite3* db_ = nullptr;
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::unique_ptr<Statement>, NameHash, std::equal_to<>> cache_;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back if destroyed before commit().
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

// BEGIN (deferred) ... end of scope: the reads in between see one snapshot
// of the store, whatever other processes commit meanwhile. Read-only: it is
// rolled back when it ends.
class ReadTransaction {
 public:
  explicit ReadTransaction(Database& db);
  ~ReadTransaction();
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  Database& db_;
};

}  // namespace mailflow
