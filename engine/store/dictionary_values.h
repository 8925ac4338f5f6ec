// The read side of the trace dictionaries (store/trace_dictionary.h): the
// string behind a dictionary id, remembered by the store for the life of
// its connection.
//
// A page of Get-MessageTrace names the same few connectors, statuses,
// ciphers, trust levels, hosts and IPs on almost every row, and a session
// that pages through traces meets the same addresses again and again, so
// resolving ids here costs one indexed lookup per value the session has not
// read before, instead of one B-tree search per row and field, which is
// what joining the dictionaries in SQL costs (two of them into the large
// addresses table). Ids are never deleted or reused once committed, so a
// remembered value stays true whoever else writes to the store; a value
// read inside this connection's own write transaction is not remembered,
// since a rollback may give its id to another value.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/sqlite.h"

namespace mailflow {

class DictionaryValues {
 public:
  explicit DictionaryValues(Database& db);

  // The string behind `id` in dictionary `dict` (an index into
  // trace_dictionary_tables()); empty when the dictionary has no such id.
  // The reference is valid until the next call.
  const std::string& value(int dict, std::int64_t id);

 private:
  Database& db_;
  std::vector<Statement*> lookups_;  // per dictionary, from Database::cached on first use
  // Ids count up from 1, so a value is found by indexing a vector; ids past
  // kDenseIds go to a map. Memory stays bounded however many distinct
  // addresses a store holds: a full map starts again (a miss costs one
  // lookup by rowid). An empty string is a value not yet read.
  static constexpr std::int64_t kDenseIds = 1 << 18;
  static constexpr std::size_t kMaxSparse = 1 << 18;
  std::vector<std::vector<std::string>> dense_;
  std::vector<std::unordered_map<std::int64_t, std::string>> sparse_;
  std::string uncached_;  // a value read inside a write transaction
};

// The statement name and SQL that look up one value of dictionary `dict`
// (each prepared once per connection, Database::cached).
const std::string& dictionary_value_statement_name(int dict);
const std::string& dictionary_value_sql(int dict);

}  // namespace mailflow
