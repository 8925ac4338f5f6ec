#include "store/sqlite.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include "core/error.h"
#include "store/page_memory.h"

namespace mailflow {

namespace {
// How long a statement waits for another connection's lock (SQLITE_BUSY).
constexpr int kBusyTimeoutMs = 5000;
}  // namespace

namespace {

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  int code = sqlite3_errcode(db);
  std::string id = code == SQLITE_INTERRUPT ? "OperationInterrupted" : "StoreError";
  std::string msg = code == SQLITE_INTERRUPT ? std::string("interrupted")
                                             : std::string(what) + ": " + sqlite3_errmsg(db);
  throw Error(id, msg);
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt_, nullptr) != SQLITE_OK)
    fail(db, "cannot prepare statement");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, std::int64_t v) {
  sqlite3_bind_int64(stmt_, index, v);
  return *this;
}

Statement& Statement::bind(int index, double v) {
  sqlite3_bind_double(stmt_, index, v);
  return *this;
}

Statement& Statement::bind(int index, std::string_view v) {
  sqlite3_bind_text(stmt_, index, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& v) {
  if (v) return bind(index, std::string_view(*v));
  return bind_null(index);
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, "query failed");
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Statement::column_text(int i) const {
  const unsigned char* t = sqlite3_column_text(stmt_, i);
  return t ? std::string(reinterpret_cast<const char*>(t),
                         static_cast<size_t>(sqlite3_column_bytes(stmt_, i)))
           : std::string();
}

Statement& Statement::bind(int index, const FieldValue& v) {
  if (auto* i = std::get_if<std::int64_t>(&v)) return bind(index, *i);
  if (auto* s = std::get_if<std::string>(&v)) return bind(index, std::string_view(*s));
  return bind_null(index);
}

FieldValue Statement::column_field(int i, FieldKind kind) const {
  if (column_is_null(i)) return FieldValue();
  if (stored_as_integer(kind)) return FieldValue(column_int(i));
  return FieldValue(column_text(i));
}

std::optional<std::string> Statement::column_optional_text(int i) const {
  if (column_is_null(i)) return std::nullopt;
  return column_text(i);
}

namespace {

// True when `path` exists but cannot be written: a read-only file or a file
// on a read-only mount (EROFS binds root too).
bool exists_read_only(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return false;
  return ::access(path.c_str(), W_OK) != 0;
}

bool writable_directory_of(const std::string& path) {
  std::string::size_type slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  return ::access(dir.c_str(), W_OK) == 0;
}

// file: URI of `path` with SQLite's special characters escaped.
std::string file_uri(const std::string& path, const char* query) {
  std::string uri = "file:";
  for (char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
      uri += buf;
    } else {
      uri += c;
    }
  }
  return uri + query;
}

// The page cache's memory (store/page_memory.h): blocks from a region of
// transparent huge pages, touched as they are used. Sized for a reader's
// 64 MiB page cache; an import's 16 MiB cache fills a quarter of it.
constexpr std::size_t kPageRegionBytes = std::size_t{64} << 20;
constexpr int kPageSize = 4096;  // the store's page size (SQLite's default)

// Once per process, before SQLite initialises. Also: no memory statistics
// (no one reads them), which spares a global mutex on every allocation
// SQLite makes (a few percent of an import's time). Each call fails
// harmlessly when SQLite was initialised already.
bool configure_sqlite() {
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  install_page_memory(kPageSize, kPageRegionBytes);
  return true;
}

}  // namespace

Database::Database(const std::string& path) : path_(path) {
  // A store that cannot be written is opened read-only, so the reading
  // cmdlets work on it; anything that writes fails with SQLite's clear
  // "attempt to write a readonly database".
  open(exists_read_only(path) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
}

void Database::open(int flags) {
  const std::string& path = path_;
  const bool read_only = (flags & SQLITE_OPEN_READONLY) != 0;
  std::string name = path;
  // On a read-only mount SQLite cannot create the -shm file that reading a
  // WAL store needs. With no -wal file (the store was closed cleanly) there
  // is nothing beside the main file to read, and nobody can write it there:
  // open it as immutable.
  struct stat wal;
  if (read_only && !writable_directory_of(path) && ::stat((path + "-wal").c_str(), &wal) != 0) {
    name = file_uri(path, "?immutable=1");
    flags |= SQLITE_OPEN_URI;
  }
  static const bool configured = configure_sqlite();
  (void)configured;
  int rc = sqlite3_open_v2(name.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error("StoreOpenFailed", "cannot open store '" + path + "': " + msg);
  }
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  sqlite3_extended_result_codes(db_, 0);
}

Database::~Database() {
  cache_.clear();
  sqlite3_close(db_);
}

void Database::exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    if (sqlite3_errcode(db_) == SQLITE_INTERRUPT) throw Error("OperationInterrupted", "interrupted");
    throw Error("StoreError", "store '" + path_ + "': " + msg);
  }
}

// Switching a database into WAL needs the only lock on the file, and the
// pragma fails with SQLITE_BUSY at once instead of waiting under the busy
// timeout as other statements do: a reader that opens a new store while
// its creator switches it (or two processes creating it together) made the
// creator fail with "database is locked". Retried here for as long as a
// statement would wait.
void Database::enter_wal_mode() {
  using namespace std::chrono;
  const auto deadline = steady_clock::now() + milliseconds(kBusyTimeoutMs);
  for (auto pause = milliseconds(1);; pause = std::min(pause * 2, milliseconds(50))) {
    int rc = sqlite3_exec(db_, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) return;
    if (rc != SQLITE_BUSY || steady_clock::now() >= deadline)
      throw Error("StoreError", "store '" + path_ + "': " + sqlite3_errmsg(db_));
    std::this_thread::sleep_for(pause);
  }
}

Statement& Database::cached(std::string_view name, std::string_view sql) {
  auto it = cache_.find(name);
  if (it != cache_.end()) return *it->second;
  auto stmt = std::make_unique<Statement>(db_, sql);
  Statement& ref = *stmt;
  cache_.emplace(name, std::move(stmt));
  return ref;
}

std::unique_ptr<Statement> Database::prepare(std::string_view sql) {
  return std::make_unique<Statement>(db_, sql);
}

std::string numbered_rows(std::size_t rows, int columns) {
  std::string sql;
  int n = 0;
  for (std::size_t row = 0; row < rows; ++row) {
    sql += row ? ",(" : "(";
    for (int c = 0; c < columns; ++c) sql += (c ? ", ?" : "?") + std::to_string(++n);
    sql += ")";
  }
  return sql;
}

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (!done_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

ReadTransaction::ReadTransaction(Database& db) : db_(db) { db_.exec("BEGIN"); }

ReadTransaction::~ReadTransaction() { sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr); }

}  // namespace mailflow
