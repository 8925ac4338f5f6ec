#include "store/trace_query.h"

#include <sqlite3.h>

#include <algorithm>

#include "core/text.h"
#include "store/trace_dictionary.h"

namespace mailflow {

namespace {

// Addresses are kept in the rows (schema 11): a condition on one tests the
// rows the range reads, lower(address) GLOB pattern, as PowerShell's -like
// matches without regard to case (lower() folds ASCII only, as
// core/wildcard.h lower-cases patterns).
void append_address_condition(std::string& sql, const char* column) {
  sql += std::string(" AND lower(") + column + ") GLOB ?";
}

// The conditions of `f` as " AND ..." clauses; bind_filter binds their
// parameters in the same order.
void append_filter(std::string& sql, const TraceFilter& f) {
  if (f.received_from) sql += " AND received >= ?";
  if (f.received_to) sql += " AND received < ?";
  if (f.direction) sql += " AND direction = ?";
  // Strings are dictionary ids (schema 6): a condition on a string picks
  // its ids once, then rows are tested by id as they come off the index.
  if (f.no_connector) {
    sql += " AND connector IS NULL";
  } else if (f.connectors.size() == 1) {
    sql += " AND connector = (SELECT id FROM trace_connectors WHERE value = ?)";
  } else if (!f.connectors.empty()) {
    sql += " AND connector IN (SELECT id FROM trace_connectors WHERE value IN (?";
    for (size_t i = 1; i < f.connectors.size(); ++i) sql += ", ?";
    sql += "))";
  }
  if (f.tls) sql += " AND tls = ?";
  for (std::size_t i = 0; i < f.sender_globs.size(); ++i) append_address_condition(sql, "sender");
  for (std::size_t i = 0; i < f.recipient_globs.size(); ++i) append_address_condition(sql, "recipient");
  if (f.status) sql += " AND status IN (SELECT id FROM statuses WHERE value = ? COLLATE NOCASE)";
}

void bind_filter(Statement& stmt, int& i, const TraceFilter& f) {
  if (f.received_from) stmt.bind(++i, *f.received_from);
  if (f.received_to) stmt.bind(++i, *f.received_to);
  if (f.direction) stmt.bind(++i, static_cast<int>(*f.direction));
  if (!f.no_connector)
    for (const std::string& c : f.connectors) stmt.bind(++i, c);
  if (f.tls) stmt.bind(++i, static_cast<int>(*f.tls));
  for (const std::string& g : f.sender_globs) stmt.bind(++i, g);
  for (const std::string& g : f.recipient_globs) stmt.bind(++i, g);
  if (f.status) stmt.bind(++i, *f.status);
}

bool glob_matches(const std::vector<std::string>& globs, const std::string& text) {
  if (globs.empty()) return true;
  std::string lower = to_lower(text);
  for (const std::string& g : globs)
    if (sqlite3_strglob(g.c_str(), lower.c_str()) != 0) return false;  // SQLite's own GLOB
  return true;
}

}  // namespace

std::string trace_field_columns(std::string_view table_alias) {
  std::string out;
  for (const TraceField& f : kTraceFields) {
    if (!out.empty()) out += ", ";
    if (!table_alias.empty()) out += std::string(table_alias) + ".";
    out += f.key;
  }
  return out;
}

Trace read_trace_fields(const Statement& s, int first_column) {
  Trace t;
  int i = first_column;
  for (const TraceField& f : kTraceFields) f.set(t, s.column_field(i++, f.kind));
  return t;
}

bool TraceFilter::empty() const {
  return !received_from && !received_to && !direction && connectors.empty() && !no_connector && !tls &&
         sender_globs.empty() && recipient_globs.empty() && !status;
}

bool TraceFilter::matches_row_fields(const Trace& t) const {
  if (received_from && t.received < *received_from) return false;
  if (received_to && t.received >= *received_to) return false;
  if (direction && t.direction != *direction) return false;
  return !tls || t.tls == *tls;
}

bool TraceFilter::matches(const Trace& t) const {
  if (!matches_row_fields(t)) return false;
  if (no_connector && t.connector) return false;
  if (!no_connector && !connectors.empty() &&
      (!t.connector || std::find(connectors.begin(), connectors.end(), *t.connector) == connectors.end()))
    return false;
  if (status && !iequals(t.status, *status)) return false;
  return glob_matches(sender_globs, t.sender) && glob_matches(recipient_globs, t.recipient);
}

// Per field: its dictionary (an index into trace_dictionary_tables()), or
// -1 when the row holds the value itself.
static const std::vector<int>& field_dictionaries() {
  static const std::vector<int> of_field = [] {
    std::vector<int> v;
    for (std::size_t i = 0; i < kTraceFieldCount; ++i) v.push_back(trace_field_dictionary(i));
    return v;
  }();
  return of_field;
}

std::string trace_query_sql(const TraceQuery& q) {
  // The page is read from trace_rows alone (named `traces` in the query)
  // with its columns as stored: dictionary fields are ids, which the cursor
  // turns into strings through the store's DictionaryValues. Joining the
  // dictionaries here cost a B-tree search per row and field; the store's
  // cache costs one search per value the session has not read before.
  std::string sql = "SELECT " + trace_field_columns() + " FROM trace_rows AS traces WHERE received >= ? AND received < ?";
  append_filter(sql, q.where);
  // Newest first is the order of both indexes read backwards
  // (traces_received_fingerprint, traces_connector_received), so rows stream
  // without a sort. Records of the same second come in index order: fixed for
  // a given query, so pages neither overlap nor skip.
  sql += " ORDER BY received DESC LIMIT ? OFFSET ?";
  return sql;
}

std::unique_ptr<Statement> prepare_trace_query(Database& db, const TraceQuery& q) {
  auto stmt = db.prepare(trace_query_sql(q));
  stmt->bind(1, q.from);
  stmt->bind(2, q.to);
  int i = 2;
  bind_filter(*stmt, i, q.where);
  stmt->bind(i + 1, q.limit);
  stmt->bind(i + 2, q.offset);
  return stmt;
}

TraceCursor::TraceCursor(TraceStore& store, const TraceQuery& query)
    : stmt_(prepare_trace_query(store.db(), query)),
      values_(store.dictionary_values()),
      unresolved_(trace_dictionary_tables().size()) {
  if (!query.in_page.empty()) in_page_ = query.in_page;
}

std::optional<Trace> TraceCursor::next() {
  while (auto t = next_row())
    if (!in_page_ || in_page_->matches(*t)) return t;
  return std::nullopt;
}

// Reads the next row, or past the first kLazyRows the next rows ahead,
// then the strings of their ids that the store has not resolved yet:
// sorted and de-duplicated per dictionary, a page's values come from one
// pass over each dictionary in id order. False when no row is left.
bool TraceCursor::read_ahead() {
  const std::vector<int>& dictionaries = field_dictionaries();
  std::size_t rows = rows_read_ < kLazyRows ? 1 : rows_read_ < kLazyRows + kFirstRowsAhead ? kFirstRowsAhead : kMaxRowsAhead;
  ahead_.clear();
  if (rows > 1) ahead_.reserve(kMaxRowsAhead);  // once: later rows reuse the memory the first touched
  next_ = 0;
  text_.clear();
  Trace fields;  // the fields a pushed-down condition on the row tests
  while (!done_ && ahead_.size() < rows) {
    if (!stmt_->step()) {
      done_ = true;
      stmt_.reset();  // finalise now: releases the read snapshot for writers
      break;
    }
    // The row as trace_query_sql selects it: every field in table order,
    // dictionary fields as ids (NULL for a missing value). A pushed-down
    // condition on the fields kept in the row (Received, Direction,
    // TlsVersion) skips a row before any of its strings is looked up.
    const Statement& s = *stmt_;
    if (in_page_) {
      for (std::size_t i = 0; i < kTraceFieldCount; ++i)
        if (dictionaries[i] < 0 && stored_as_integer(kTraceFields[i].kind))
          kTraceFields[i].set(fields, s.column_field(static_cast<int>(i), kTraceFields[i].kind));
      if (!in_page_->matches_row_fields(fields)) continue;
    }
    RowAhead& row = ahead_.emplace_back();
    for (std::size_t i = 0; i < kTraceFieldCount; ++i) {
      int column = static_cast<int>(i);
      if (s.column_is_null(column)) {
        row.nulls |= std::uint32_t{1} << i;
        continue;
      }
      int dict = dictionaries[i];
      if (dict >= 0 || stored_as_integer(kTraceFields[i].kind)) {
        row.v[i] = s.column_int(column);
        if (dict >= 0 && !values_.remembered(dict, row.v[i])) unresolved_[static_cast<std::size_t>(dict)].push_back(row.v[i]);
        continue;
      }
      const unsigned char* text = sqlite3_column_text(s.handle(), column);
      auto length = static_cast<std::int64_t>(sqlite3_column_bytes(s.handle(), column));
      row.v[i] = static_cast<std::int64_t>(text_.size()) << 32 | length;
      if (length > 0) text_.append(reinterpret_cast<const char*>(text), static_cast<std::size_t>(length));
    }
  }
  rows_read_ += ahead_.size();
  // One row's ids are looked up one by one (value()); a pass is for many.
  for (std::size_t d = 0; d < unresolved_.size(); ++d)
    if (!unresolved_[d].empty()) {
      if (rows > 1) values_.read_ahead(static_cast<int>(d), unresolved_[d]);
      unresolved_[d].clear();
    }
  return !ahead_.empty();
}

std::optional<Trace> TraceCursor::next_row() {
  if (next_ == ahead_.size() && !read_ahead()) return std::nullopt;
  const std::vector<int>& dictionaries = field_dictionaries();
  const RowAhead& row = ahead_[next_++];
  Trace t;
  for (std::size_t i = 0; i < kTraceFieldCount; ++i) {
    const TraceField& f = kTraceFields[i];
    std::int64_t v = row.v[i];
    if (row.nulls >> i & 1) f.set(t, FieldValue());
    else if (int dict = dictionaries[i]; dict >= 0) f.set(t, FieldValue(std::string(values_.value(dict, v))));
    else if (stored_as_integer(f.kind)) f.set(t, FieldValue(v));
    else f.set(t, FieldValue(text_.substr(static_cast<std::size_t>(v >> 32), static_cast<std::size_t>(v & 0xffffffff))));
  }
  return t;
}

std::vector<std::pair<std::int64_t, Trace>> traces_imported_as(TraceStore& store,
                                                              const std::vector<std::string>& formats,
                                                              UnixSeconds start, UnixSeconds end,
                                                              std::int64_t after_id, int limit) {
  std::string sql = "SELECT t.id, " + trace_field_columns("t") +
                    " FROM traces t JOIN imported_files f ON f.id = t.file_id"
                    " WHERE t.received >= ?1 AND t.received < ?2 AND t.id > ?3 AND f.format IN (";
  for (size_t i = 0; i < formats.size(); ++i) sql += (i ? ", ?" : "?") + std::to_string(i + 5);
  sql += ") ORDER BY t.id LIMIT ?4";
  StatementUse s(store.db().cached("traces.imported_as." + std::to_string(formats.size()), sql));
  s->bind(1, start).bind(2, end).bind(3, after_id).bind(4, limit);
  for (size_t i = 0; i < formats.size(); ++i) s->bind(static_cast<int>(i + 5), formats[i]);
  std::vector<std::pair<std::int64_t, Trace>> out;
  while (s->step()) out.emplace_back(s->column_int(0), read_trace_fields(*s, 1));
  return out;
}

}  // namespace mailflow
