// The read side of the trace dictionaries (store/trace_dictionary.h): the
// string behind a dictionary id, remembered for the life of one query.
//
// A page of Get-MessageTrace names the same few connectors, statuses,
// ciphers, trust levels, hosts and IPs on almost every row (and often the
// same addresses), so resolving ids here costs one indexed lookup per
// distinct value instead of one per row and field, which is what joining
// the dictionaries in SQL costs. The cache lives with the cursor, not the
// store: an id the store's own write transaction created and then rolled
// back can be given again to another value, so nothing is kept past a query.
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
  // The reference stays valid for the life of this object.
  const std::string& value(int dict, std::int64_t id);

 private:
  Database& db_;
  // Node-based, so references to values stay valid as entries are added.
  std::vector<std::unordered_map<std::int64_t, std::string>> values_;
};

// The statement name and SQL that look up one value of dictionary `dict`
// (each prepared once per connection, Database::cached).
const std::string& dictionary_value_statement_name(int dict);
const std::string& dictionary_value_sql(int dict);

}  // namespace mailflow
