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

DictionaryValues::DictionaryValues(Database& db) : db_(db), kinds_(trace_dictionary_tables().size()) {}

std::string_view DictionaryValues::value(int dict, std::int64_t id) {
  Kind& k = kinds_.at(static_cast<std::size_t>(dict));
  bool is_dense = id > 0 && id < kDenseIds;
  if (is_dense) {
    if (static_cast<std::size_t>(id) < k.position_of_id.size())
      if (std::uint32_t p = k.position_of_id[static_cast<std::size_t>(id)]) return at(k, p);
  } else if (auto it = k.position_of_large_id.find(id); it != k.position_of_large_id.end()) {
    return at(k, it->second);
  }
  if (!k.lookup) k.lookup = &db_.cached(dictionary_value_statement_name(dict), dictionary_value_sql(dict));
  // Prepared once per connection and reset before returning: two cursors
  // open in one pipeline share it without either leaving it mid-step.
  StatementUse s(*k.lookup);
  s->bind(1, id);
  if (!s->step()) return {};  // no such id: nothing to remember
  // Read in place: copied once, into the arena (the view lives until the
  // statement is reset, at the end of this call).
  const unsigned char* bytes = sqlite3_column_text(s->handle(), 0);
  std::string_view text = bytes ? std::string_view(reinterpret_cast<const char*>(bytes),
                                                   static_cast<std::size_t>(sqlite3_column_bytes(s->handle(), 0)))
                                : std::string_view();
  // An id this connection's own write transaction created may be given
  // again to another value if that transaction rolls back: remember only
  // committed ids (a committed id is never deleted or reused).
  if (sqlite3_txn_state(db_.handle(), "main") == SQLITE_TXN_WRITE) {
    uncached_.assign(text);
    return uncached_;
  }
  if (k.arena.size() + text.size() > kMaxArenaBytes || k.spans.size() >= kMaxSpans) {
    k.position_of_id.clear();
    k.position_of_large_id.clear();
    k.spans.clear();
    k.arena.clear();
  }
  k.spans.push_back({static_cast<std::uint32_t>(k.arena.size()), static_cast<std::uint32_t>(text.size())});
  k.arena.append(text);
  auto position = static_cast<std::uint32_t>(k.spans.size());
  if (is_dense) {
    auto i = static_cast<std::size_t>(id);
    if (i >= k.position_of_id.size())
      k.position_of_id.resize(std::min(i + 1 + k.position_of_id.size() / 2, static_cast<std::size_t>(kDenseIds)));
    k.position_of_id[i] = position;
  } else {
    k.position_of_large_id.emplace(id, position);
  }
  return at(k, position);
}

}  // namespace mailflow
