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
    remember(d, StringTable::hash(value), value, all->column_int(0));
  }
  d.complete = true;
}

std::int64_t TraceDictionaries::id(int k, std::string_view value) {
  Kind& d = kind(k);
  if (!d.loaded) load(d, k);  // the writer's side only: readers never need the whole table
  // Traces in a row often share a value (the same connector, status,
  // cipher or peer): that costs a compare, not a hash and a probe.
  if (d.last_id != 0 && value == d.last) return d.last_id;
  std::uint64_t hash = StringTable::hash(value);
  if (std::int64_t id = d.cache.find(value, hash)) {
    d.last.assign(value);
    return d.last_id = id;
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
  d.last.assign(value);
  return d.last_id = id;
}

// Adds an entry known to be missing. Past kMaxEntries entries the cache
// starts again empty.
void TraceDictionaries::remember(Kind& d, std::uint64_t hash, std::string_view value, std::int64_t id) {
  if (d.cache.size() >= kMaxEntries) clear(d);
  d.cache.add(value, hash, id);
}

void TraceDictionaries::clear(Kind& d) {
  d.cache.clear();
  d.complete = false;
  d.last_id = 0;
}

std::string TraceDictionaries::value(int k, std::int64_t id) {
  Kind& d = kind(k);
  StatementRewind s(*d.value);
  s->bind(1, id);
  return s->step() ? s->column_text(0) : std::string();
}

void TraceDictionaries::forget() {
  for (Kind& d : kinds_) clear(d);
}

}  // namespace mailflow
