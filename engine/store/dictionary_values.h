// The read side of the trace dictionaries (store/trace_dictionary.h): the
// string behind a dictionary id, remembered by the store for the life of
// its connection.
//
// A page of Get-MessageTrace names the same few connectors, statuses,
// ciphers, trust levels, hosts and IPs on almost every row, so resolving
// ids here costs one indexed lookup per value the session has not read
// before, instead of one B-tree search per row and field, which is what
// joining the dictionaries in SQL costs. Ids are never deleted or reused
// once committed, so a remembered value stays true whoever else writes to
// the store; a value read inside this connection's own write transaction
// is not remembered, since a rollback may give its id to another value.
//
// A cursor hands over the ids of the rows it has read ahead (read_ahead),
// and one blob handle per dictionary reads them in id order, each page of
// the dictionary once. (The addresses were a dictionary until schema 11:
// a first page named about 1,550 of them, on nearly every page of a
// 45,000-address table, and that was what kept the page slower than
// schema 5's; they are in the rows now, store/migrations.cpp.)
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
  // True when value(dict, id) will answer without a lookup.
  bool remembered(int dict, std::int64_t id) const {
    return kinds_[static_cast<std::size_t>(dict)].positions.find(id) != 0;
  }

  // Reads the values of `ids` (sorted and de-duplicated here, in place)
  // that are not remembered yet, in id order, with one blob handle, and
  // remembers them, so that value() then finds them without a lookup. A
  // cursor calls it with the ids of the rows it has read ahead: the
  // dictionary's pages are then visited once each and in order, not once
  // per row in the page's order. Does nothing inside a write transaction
  // (nothing read there is kept; value() looks such ids up one by one).
  void read_ahead(int dict, std::vector<std::int64_t>& ids);

  // How many ids were looked up in the store so far (either way).
  std::size_t lookups() const { return lookups_; }

 private:
  // Ids to positions: a flat open-addressing table sized by the number of
  // values read, not by the largest id (a vector indexed by id touched 4
  // bytes per id below the largest met: 180 KB, and about a hundred page
  // faults while it grew, for the first page of a process on a store of
  // 45,000 addresses, when they were a dictionary). Slots are 8 bytes (ids
  // below 2^32, all but in theory); other ids go to a map. Position 0 marks
  // an empty slot.
  class Positions {
   public:
    std::uint32_t find(std::int64_t id) const {
      if (static_cast<std::uint64_t>(id) > UINT32_MAX) {
        auto it = large_.find(id);
        return it == large_.end() ? 0 : it->second;
      }
      if (slots_.empty()) return 0;
      auto key = static_cast<std::uint32_t>(id);
      for (std::size_t i = slot_of(key);; i = (i + 1) & mask_) {
        const Slot& s = slots_[i];
        if (s.position == 0 || s.id == key) return s.position;
      }
    }
    void add(std::int64_t id, std::uint32_t position);  // id is not in the table
    void reserve(std::size_t more);  // room for `more` adds without growing
    void clear() {
      slots_.clear();
      large_.clear();
      used_ = 0;
    }

   private:
    struct Slot {
      std::uint32_t id = 0, position = 0;
    };
    std::size_t slot_of(std::uint32_t id) const {
      return static_cast<std::size_t>((id * 0x9E3779B97F4A7C15ull) >> 32) & mask_;
    }
    std::vector<Slot> slots_;
    std::size_t mask_ = 0, used_ = 0;
    std::unordered_map<std::int64_t, std::uint32_t> large_;
  };
  // Each dictionary's values read so far, one after another in one arena
  // (a page's values, read together, lie together), found by id through
  // their positions: a warm page reads packed strings instead of one heap
  // block per string.
  struct Span {
    std::uint32_t offset = 0, length = 0;
  };
  struct Kind {
    Positions positions;  // id -> 1 + index into spans
    std::vector<Span> spans;
    std::string arena;
    Statement* lookup = nullptr;  // Database::cached, on first use
    std::string table;            // the dictionary's table, for read_ahead's blob handle
  };
  std::string_view at(const Kind& k, std::uint32_t position) const {
    const Span& s = k.spans[position - 1];
    return std::string_view(k.arena).substr(s.offset, s.length);
  }
  Statement& lookup(int dict);
  bool in_write_transaction() const;
  // Keeps `text` as the value of `id` (not remembered yet); its position.
  std::uint32_t remember(Kind& k, std::int64_t id, std::string_view text);

  Database& db_;
  // Memory stays bounded however many distinct values a store holds: a
  // dictionary whose arena or span count passes its cap starts again (a
  // miss costs one lookup by rowid).
  static constexpr std::size_t kMaxArenaBytes = std::size_t{64} << 20;
  static constexpr std::size_t kMaxSpans = std::size_t{1} << 20;
  std::vector<Kind> kinds_;
  std::string uncached_;  // a value read inside a write transaction, or by read_ahead
  std::size_t lookups_ = 0;
};

// The statement name and SQL that look up one value of dictionary `dict`
// (each prepared once per connection, Database::cached).
const std::string& dictionary_value_statement_name(int dict);
const std::string& dictionary_value_sql(int dict);

}  // namespace mailflow
