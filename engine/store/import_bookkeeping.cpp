#include "store/import_bookkeeping.h"

#include <utility>

namespace mailflow {

std::int64_t register_imported_file(TraceStore& store, const std::string& path, const std::string& format,
                                    std::int64_t size, std::int64_t head_hash, UnixSeconds now) {
  Database& db = store.db();
  std::int64_t file_id = 0;
  {
    StatementUse find(db.cached(
        "ingest.file_find",
        "SELECT id FROM imported_files WHERE path = ?1 AND head_hash = ?2 ORDER BY id DESC LIMIT 1"));
    find->bind(1, path).bind(2, head_hash);
    if (find->step()) file_id = find->column_int(0);
  }
  if (file_id == 0) {
    StatementUse insert(db.cached(
        "ingest.file_insert",
        "INSERT INTO imported_files(path, format, size, head_hash, lines, imported_at)"
        " VALUES(?1, ?2, ?3, ?4, 0, ?5)"));
    insert->bind(1, path).bind(2, format).bind(3, size).bind(4, head_hash).bind(5, now);
    insert->run();
    file_id = db.last_insert_rowid();
  }
  StatementUse clear(db.cached("ingest.rejects_clear", "DELETE FROM import_rejects WHERE path = ?1"));
  clear->bind(1, path);
  clear->run();
  return file_id;
}

void record_import_progress(TraceStore& store, std::int64_t file_id, const std::string& format,
                            std::int64_t size, std::int64_t lines, UnixSeconds now) {
  StatementUse s(store.db().cached(
      "ingest.file_progress",
      "UPDATE imported_files SET format = ?2, size = ?3, lines = ?4, imported_at = ?5 WHERE id = ?1"));
  s->bind(1, file_id).bind(2, format).bind(3, size).bind(4, lines).bind(5, now);
  s->run();
}

void keep_import_reject(TraceStore& store, std::int64_t file_id, const std::string& path,
                        std::int64_t line, std::string_view reason, std::string_view text) {
  StatementUse s(store.db().cached(
      "ingest.reject",
      "INSERT INTO import_rejects(file_id, path, line, reason, text) VALUES(?1, ?2, ?3, ?4, ?5)"
      " ON CONFLICT(path, line) DO UPDATE SET file_id = excluded.file_id,"
      " reason = excluded.reason, text = excluded.text"));
  s->bind(1, file_id).bind(2, path).bind(3, line).bind(4, reason).bind(5, text);
  s->run();
}

bool add_refused_connection(TraceStore& store, const RefusedConnection& r, std::int64_t fingerprint,
                            std::int64_t file_id) {
  return RefusedConnectionWriter(store).add(r, fingerprint, file_id);
}

bool RefusedConnectionWriter::add(const RefusedConnection& r, std::int64_t fingerprint, std::int64_t file_id) {
  Database& db = store_.db();
  if (!insert_)
    insert_ = &db.cached("ingest.refused",
                         "INSERT OR IGNORE INTO refused_connections(time, client_host, client_ip, sender,"
                         " recipient, reason, fingerprint, file_id) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  StatementUse s(*insert_);
  s->bind(1, r.time);
  s->bind_static(2, r.client_host);
  s->bind_static(3, r.client_ip);
  s->bind_static(4, r.sender);
  s->bind_static(5, r.recipient);
  s->bind_static(6, r.reason);
  s->bind(7, fingerprint);
  s->bind(8, file_id);
  s->run();
  bool added = db.changes() > 0;
  added_ += added;
  return added;
}

ImportRejectCursor::ImportRejectCursor(TraceStore& store, const std::optional<std::string>& path,
                                       const std::string& key_path) {
  if (path) {
    stmt_ = store.db().prepare(
        "SELECT path, line, reason, text FROM import_rejects WHERE path = ?1 OR path = ?2"
        " ORDER BY path, line");
    stmt_->bind(1, *path).bind(2, key_path);
  } else {
    stmt_ = store.db().prepare("SELECT path, line, reason, text FROM import_rejects ORDER BY path, line");
  }
}

std::optional<ImportRejectRow> ImportRejectCursor::next() {
  if (!stmt_ || !stmt_->step()) {
    stmt_.reset();  // finalise now: releases the read snapshot for writers
    return std::nullopt;
  }
  return ImportRejectRow{stmt_->column_text(0), stmt_->column_int(1), stmt_->column_text(2),
                         stmt_->column_text(3)};
}

RefusedConnectionCursor::RefusedConnectionCursor(TraceStore& store, UnixSeconds start, UnixSeconds end)
    : stmt_(store.db().prepare("SELECT time, client_host, client_ip, sender, recipient, reason"
                               " FROM refused_connections WHERE time >= ?1 AND time < ?2"
                               " ORDER BY time DESC, id DESC")) {
  stmt_->bind(1, start).bind(2, end);
}

std::optional<RefusedConnection> RefusedConnectionCursor::next() {
  if (!stmt_ || !stmt_->step()) {
    stmt_.reset();
    return std::nullopt;
  }
  RefusedConnection r;
  r.time = stmt_->column_int(0);
  r.client_host = stmt_->column_optional_text(1);
  r.client_ip = stmt_->column_optional_text(2);
  r.sender = stmt_->column_optional_text(3);
  r.recipient = stmt_->column_optional_text(4);
  r.reason = stmt_->column_text(5);
  return r;
}

}  // namespace mailflow
