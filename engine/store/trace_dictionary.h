// Strings that repeat across traces (hosts, IPs, connector
// names, ciphers, statuses, trust levels) are kept once, in one dictionary
// table per kind (id INTEGER PRIMARY KEY, value TEXT UNIQUE), and trace_rows
// refer to them by id. Which fields use which table is the trace-field
// table's `dictionary` (core/trace_fields.h). Ids are never deleted or reused, so an id read once stays valid for
// the life of the store, whoever else writes to it; the cache here only has
// to forget ids it created in a transaction that was rolled back.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/string_table.h"
#include "store/sqlite.h"

namespace mailflow {

// The dictionary tables the trace-field table names, each once, in the
// order fields first name them.
const std::vector<std::string_view>& trace_dictionary_tables();
// The dictionary (an index into trace_dictionary_tables()) of the field
// with canonical key `key`; -1 when that field is kept in the row.
int trace_field_dictionary(std::string_view key);
// The same by the field's index in kTraceFields.
int trace_field_dictionary(std::size_t field);

class TraceDictionaries {
 public:
  explicit TraceDictionaries(Database& db) : db_(db) {}

  // The id of `value` in dictionary `dict`, adding it when new. Call
  // inside a write transaction.
  std::int64_t id(int dict, std::string_view value);
  // 0 (stored as NULL) for a missing value.
  std::int64_t id(int dict, const std::optional<std::string>& value) {
    return value ? id(dict, std::string_view(*value)) : 0;
  }
  // The string behind `id`; empty when there is none.
  std::string value(int dict, std::int64_t id);
  // Ids created in a transaction that did not commit are gone: forget all.
  void forget();

 private:
  struct Kind {
    StringTable cache;
    bool loaded = false;    // load() ran (on the first id())
    bool complete = false;  // the cache holds every value the table had when last read
    std::string last;       // the value asked for last, and its id (0: none)
    std::int64_t last_id = 0;
    std::unique_ptr<Statement> find, insert, value;
  };
  // Memory stays bounded however many distinct hosts a log holds: a
  // full table starts again (a miss costs one indexed SELECT).
  static constexpr std::size_t kMaxEntries = 1 << 17;

  // Dictionaries of up to this many values are read whole on first use.
  static constexpr std::size_t kLoadWhole = 1 << 16;

  void remember(Kind& d, std::uint64_t hash, std::string_view value, std::int64_t id);
  void clear(Kind& d);
  void load(Kind& d, int dict);
  Kind& kind(int dict);

  Database& db_;
  std::vector<Kind> kinds_ = std::vector<Kind>(trace_dictionary_tables().size());
};

}  // namespace mailflow
