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
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/sqlite.h"

namespace mailflow {

class DictionaryValues {
 public:
  explicit DictionaryValues(Database& db);

  // The string behind `id` in dictionary `dict` (an index into
  // trace_dictionary_tables()); empty when the dictionary has no such id.
  // The view is valid until the next call.
  std::string_view value(int dict, std::int64_t id);

 private:
  // Each dictionary's values read so far, one after another in one arena
  // (a page's values, read together, lie together), found by id through a
  // vector of 32-bit positions: the first page of a session touches memory
  // in proportion to the values it reads, not to the largest id it meets
  // (a vector of std::string by id cost 32 bytes per id below it, written
  // and faulted in, 30 ms of a one-shot `Get-MessageTrace` on a store of
  // 45,000 addresses), and a warm page reads a vector of 4-byte entries
  // and packed strings instead of one heap block per string.
  struct Span {
    std::uint32_t offset = 0, length = 0;
  };
  struct Kind {
    std::vector<std::uint32_t> position_of_id;  // ids below kDenseIds: 1 + index into spans; 0 not read
    std::unordered_map<std::int64_t, std::uint32_t> position_of_large_id;  // the others, the same
    std::vector<Span> spans;
    std::string arena;
    Statement* lookup = nullptr;  // Database::cached, on first use
  };
  std::string_view at(const Kind& k, std::uint32_t position) const {
    const Span& s = k.spans[position - 1];
    return std::string_view(k.arena).substr(s.offset, s.length);
  }

  Database& db_;
  // Ids count up from 1, so most are found by indexing a vector. Memory
  // stays bounded however many distinct values a store holds: a dictionary
  // whose arena or span count passes its cap starts again (a miss costs one
  // lookup by rowid).
  static constexpr std::int64_t kDenseIds = 1 << 22;
  static constexpr std::size_t kMaxArenaBytes = std::size_t{64} << 20;
  static constexpr std::size_t kMaxSpans = std::size_t{1} << 20;
  std::vector<Kind> kinds_;
  std::string uncached_;  // a value read inside a write transaction
};

// The statement name and SQL that look up one value of dictionary `dict`
// (each prepared once per connection, Database::cached).
const std::string& dictionary_value_statement_name(int dict);
const std::string& dictionary_value_sql(int dict);

}  // namespace mailflow
