#include "store/dictionary_values.h"

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

DictionaryValues::DictionaryValues(Database& db) : db_(db), values_(trace_dictionary_tables().size()) {}

const std::string& DictionaryValues::value(int dict, std::int64_t id) {
  auto& values = values_.at(static_cast<std::size_t>(dict));
  auto it = values.find(id);
  if (it != values.end()) return it->second;
  // Prepared once per connection and reset before returning: two cursors
  // open in one pipeline share it without either leaving it mid-step.
  StatementUse s(db_.cached(dictionary_value_statement_name(dict), dictionary_value_sql(dict)));
  s->bind(1, id);
  std::string text = s->step() ? s->column_text(0) : std::string();
  return values.emplace(id, std::move(text)).first->second;
}

}  // namespace mailflow
