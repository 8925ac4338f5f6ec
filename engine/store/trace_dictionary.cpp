#include "store/trace_dictionary.h"

#include <algorithm>

#include "core/error.h"

namespace mailflow {

namespace {

struct DictionaryMap {
  std::vector<std::string_view> tables;
  std::vector<int> of_field;  // per kTraceFields entry
};

const DictionaryMap& dictionary_map() {
  static const DictionaryMap map = [] {
    DictionaryMap m;
    for (const TraceField& f : kTraceFields) {
      if (f.dictionary.empty()) {
        m.of_field.push_back(-1);
        continue;
      }
      auto it = std::find(m.tables.begin(), m.tables.end(), f.dictionary);
      m.of_field.push_back(static_cast<int>(it - m.tables.begin()));
      if (it == m.tables.end()) m.tables.push_back(f.dictionary);
    }
    return m;
  }();
  return map;
}

}  // namespace

const std::vector<std::string_view>& trace_dictionary_tables() { return dictionary_map().tables; }

int trace_field_dictionary(std::size_t field) { return dictionary_map().of_field.at(field); }

int trace_field_dictionary(std::string_view key) {
  for (std::size_t i = 0; i < kTraceFieldCount; ++i)
    if (kTraceFields[i].key == key) return trace_field_dictionary(i);
  return -1;
}

namespace {

std::uint64_t hash_of(std::string_view s) {
  ContentHash h;
  h.bytes(s.data(), s.size());
  return h.value();
}

}  // namespace

// Statements are prepared on first use: the tables exist only once the
// store has been migrated.
TraceDictionaries::Kind& TraceDictionaries::kind(int dict) {
  Kind& d = kinds_.at(static_cast<std::size_t>(dict));
  if (!d.find) {
    // A name from the trace-field table (a constant), never user text.
    std::string table(trace_dictionary_tables()[static_cast<std::size_t>(dict)]);
    d.find = db_.prepare("SELECT id FROM " + table + " WHERE value = ?1");
    d.insert = db_.prepare("INSERT INTO " + table + "(value) VALUES(?1) ON CONFLICT(value) DO NOTHING");
    d.value = db_.prepare("SELECT value FROM " + table + " WHERE id = ?1");
  }
  return d;
}

// A dictionary small enough is read whole on first use: the cache then
// holds every value the store had, and a miss is a new value, inserted
// without a lookup first (one index probe instead of two). Another
// connection may still have added the value since: the insert then does
// nothing and the lookup follows, so the cache is a shortcut, never the
// authority.
void TraceDictionaries::load(Kind& d, int dict) {
  d.loaded = true;
  // A name from the trace-field table (a constant), never user text.
  std::string table(trace_dictionary_tables()[static_cast<std::size_t>(dict)]);
  auto count = db_.prepare("SELECT count(*) FROM (SELECT 1 FROM " + table + " LIMIT " +
                           std::to_string(kLoadWhole + 1) + ")");
  count->step();
  if (count->column_int(0) > static_cast<std::int64_t>(kLoadWhole)) return;
  auto all = db_.prepare("SELECT id, value FROM " + table);
  while (all->step()) {
    std::string value = all->column_text(1);
    remember(d, hash_of(value), value, all->column_int(0));
  }
  d.complete = true;
}


std::int64_t TraceDictionaries::id(int k, std::string_view value) {
  Kind& d = kind(k);
  if (!d.loaded) load(d, k);  // the writer's side only: readers never need the whole table
  std::uint64_t hash = hash_of(value);
  std::size_t mask = d.slots.size() - 1;
  for (std::size_t i = hash & mask; d.slots[i].id != 0; i = (i + 1) & mask) {
    const Slot& s = d.slots[i];
    if (s.hash == hash && s.length == value.size() &&
        std::string_view(d.arena).substr(s.offset, s.length) == value)
      return s.id;
  }
  std::int64_t id = 0;
  auto find = [&] {
    StatementRewind find(*d.find);
    find->bind_static(1, value);
    if (find->step()) id = find->column_int(0);
  };
  auto insert = [&] {
    StatementRewind insert(*d.insert);
    insert->bind_static(1, value);
    insert->step();
    if (db_.changes() > 0) id = db_.last_insert_rowid();
  };
  if (d.complete) {
    insert();
    if (id == 0) find();  // another connection added it
  } else {
    find();
    if (id == 0) insert();
  }
  if (id == 0) throw Error("StoreError", "store '" + db_.path() + "': no dictionary id for a value");
  remember(d, hash, value, id);
  return id;
}

// Adds an entry known to be missing, keeping the table at most half full:
// it doubles up to kMaxSlots, and past that starts again empty.
void TraceDictionaries::remember(Kind& d, std::uint64_t hash, std::string_view value, std::int64_t id) {
  if ((d.used + 1) * 2 > d.slots.size()) {
    if (d.slots.size() >= kMaxSlots) {
      std::fill(d.slots.begin(), d.slots.end(), Slot{});
      d.used = 0;
      d.arena.clear();
      d.complete = false;
    } else {
      std::vector<Slot> bigger(d.slots.size() * 2);
      std::size_t mask = bigger.size() - 1;
      for (const Slot& s : d.slots) {
        if (s.id == 0) continue;
        std::size_t i = s.hash & mask;
        while (bigger[i].id != 0) i = (i + 1) & mask;
        bigger[i] = s;
      }
      d.slots.swap(bigger);
    }
  }
  std::size_t mask = d.slots.size() - 1;
  std::size_t i = hash & mask;
  while (d.slots[i].id != 0) i = (i + 1) & mask;
  d.slots[i] = Slot{hash, id, static_cast<std::uint32_t>(d.arena.size()), static_cast<std::uint32_t>(value.size())};
  d.arena.append(value);
  ++d.used;
}

std::string TraceDictionaries::value(int k, std::int64_t id) {
  Kind& d = kind(k);
  StatementRewind s(*d.value);
  s->bind(1, id);
  return s->step() ? s->column_text(0) : std::string();
}

void TraceDictionaries::forget() {
  for (Kind& d : kinds_) {
    std::fill(d.slots.begin(), d.slots.end(), Slot{});
    d.used = 0;
    d.arena.clear();
    d.complete = false;
  }
}

}  // namespace mailflow
