#include "store/dictionary_values.h"

#include <sqlite3.h>

#include <algorithm>

#include "store/trace_dictionary.h"

namespace mailflow {

namespace {

struct LookupStatements {
  std::vector<std::string> names, sql;
};

const LookupStatements& lookup_statements() {
  static const LookupStatements statements = [] {
    LookupStatements s;
    for (std::string_view table : trace_dictionary_tables()) {
      // A table name from the trace-field table (a constant), never user text.
      s.names.push_back("trace_dictionary.value." + std::string(table));
      s.sql.push_back("SELECT value FROM " + std::string(table) + " WHERE id = ?1");
    }
    return s;
  }();
  return statements;
}

}  // namespace

const std::string& dictionary_value_statement_name(int dict) {
  return lookup_statements().names.at(static_cast<std::size_t>(dict));
}

const std::string& dictionary_value_sql(int dict) {
  return lookup_statements().sql.at(static_cast<std::size_t>(dict));
}

DictionaryValues::DictionaryValues(Database& db)
    : db_(db),
      lookups_(trace_dictionary_tables().size()),
      dense_(trace_dictionary_tables().size()),
      sparse_(trace_dictionary_tables().size()) {}

const std::string& DictionaryValues::value(int dict, std::int64_t id) {
  std::size_t d = static_cast<std::size_t>(dict);
  std::vector<std::string>& dense = dense_.at(d);
  bool is_dense = id > 0 && id < kDenseIds;
  if (is_dense) {
    if (static_cast<std::size_t>(id) < dense.size() && !dense[static_cast<std::size_t>(id)].empty())
      return dense[static_cast<std::size_t>(id)];
  } else if (auto it = sparse_[d].find(id); it != sparse_[d].end()) {
    return it->second;
  }
  Statement*& lookup = lookups_[d];
  if (!lookup) lookup = &db_.cached(dictionary_value_statement_name(dict), dictionary_value_sql(dict));
  // Prepared once per connection and reset before returning: two cursors
  // open in one pipeline share it without either leaving it mid-step.
  StatementUse s(*lookup);
  s->bind(1, id);
  std::string text = s->step() ? s->column_text(0) : std::string();
  // An id this connection's own write transaction created may be given
  // again to another value if that transaction rolls back: remember only
  // committed ids (a committed id is never deleted or reused).
  if (sqlite3_txn_state(db_.handle(), "main") == SQLITE_TXN_WRITE || text.empty()) {
    uncached_ = std::move(text);
    return uncached_;
  }
  if (is_dense) {
    if (static_cast<std::size_t>(id) >= dense.size())
      dense.resize(std::min(static_cast<std::size_t>(id) + 1 + dense.size() / 2, static_cast<std::size_t>(kDenseIds)));
    return dense[static_cast<std::size_t>(id)] = std::move(text);
  }
  if (sparse_[d].size() >= kMaxSparse) sparse_[d].clear();
  return sparse_[d].emplace(id, std::move(text)).first->second;
}

}  // namespace mailflow
