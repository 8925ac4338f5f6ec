#include "store/dictionary_values.h"

#include <sqlite3.h>

#include <algorithm>
#include <memory>

#include "store/trace_dictionary.h"

namespace mailflow {
namespace {

struct LookupStatements {
  std::vector<std::string> names, sql;  // one value by id
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

// The text of column 0 of the row `s` is on, in place (valid until the
// statement steps or is reset).
std::string_view column_text_view(Statement& s) {
  const unsigned char* bytes = sqlite3_column_text(s.handle(), 0);
  return bytes ? std::string_view(reinterpret_cast<const char*>(bytes),
                                  static_cast<std::size_t>(sqlite3_column_bytes(s.handle(), 0)))
               : std::string_view();
}

}  // namespace

const std::string& dictionary_value_statement_name(int dict) {
  return lookup_statements().names.at(static_cast<std::size_t>(dict));
}

const std::string& dictionary_value_sql(int dict) {
  return lookup_statements().sql.at(static_cast<std::size_t>(dict));
}

void DictionaryValues::Positions::add(std::int64_t id, std::uint32_t position) {
  if (static_cast<std::uint64_t>(id) > UINT32_MAX) {
    large_.emplace(id, position);
    return;
  }
  if ((used_ + 1) * 2 > slots_.size()) {
    // Doubling keeps the table at most half full.
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    used_ = 0;
    for (const Slot& s : old)
      if (s.position) add(s.id, s.position);
  }
  auto key = static_cast<std::uint32_t>(id);
  std::size_t i = slot_of(key);
  while (slots_[i].position) i = (i + 1) & mask_;
  slots_[i] = Slot{key, position};
  ++used_;
}

DictionaryValues::DictionaryValues(Database& db) : db_(db), kinds_(trace_dictionary_tables().size()) {
  for (std::size_t d = 0; d < kinds_.size(); ++d) kinds_[d].table = std::string(trace_dictionary_tables()[d]);
}

Statement& DictionaryValues::lookup(int dict) {
  Kind& k = kinds_[static_cast<std::size_t>(dict)];
  if (!k.lookup) k.lookup = &db_.cached(dictionary_value_statement_name(dict), dictionary_value_sql(dict));
  return *k.lookup;
}

// An id this connection's own write transaction created may be given again
// to another value if that transaction rolls back: only committed ids are
// remembered (a committed id is never deleted or reused).
bool DictionaryValues::in_write_transaction() const {
  return sqlite3_txn_state(db_.handle(), "main") == SQLITE_TXN_WRITE;
}

std::uint32_t DictionaryValues::remember(Kind& k, std::int64_t id, std::string_view text) {
  if (k.arena.size() + text.size() > kMaxArenaBytes || k.spans.size() >= kMaxSpans) {
    k.positions.clear();
    k.spans.clear();
    k.arena.clear();
  }
  k.spans.push_back({static_cast<std::uint32_t>(k.arena.size()), static_cast<std::uint32_t>(text.size())});
  k.arena.append(text);
  auto position = static_cast<std::uint32_t>(k.spans.size());
  k.positions.add(id, position);
  return position;
}

std::string_view DictionaryValues::value(int dict, std::int64_t id) {
  Kind& k = kinds_.at(static_cast<std::size_t>(dict));
  if (std::uint32_t p = k.positions.find(id)) return at(k, p);
  // Prepared once per connection and reset before returning: two cursors
  // open in one pipeline share it without either leaving it mid-step.
  StatementUse s(lookup(dict));
  s->bind(1, id);
  ++lookups_;
  if (!s->step()) return {};  // no such id: nothing to remember
  // Read in place: copied once, into the arena (the view lives until the
  // statement is reset, at the end of this call).
  std::string_view text = column_text_view(*s);
  if (in_write_transaction()) {
    uncached_.assign(text);
    return uncached_;
  }
  return at(k, remember(k, id, text));
}

void DictionaryValues::Positions::reserve(std::size_t more) {
  std::size_t want = slots_.empty() ? 64 : slots_.size();
  while ((used_ + more) * 2 > want) want *= 2;
  if (want == slots_.size()) return;
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(want, Slot{});
  mask_ = want - 1;
  used_ = 0;
  for (const Slot& s : old)
    if (s.position) add(s.id, s.position);
}

void DictionaryValues::read_ahead(int dict, std::vector<std::int64_t>& ids) {
  Kind& k = kinds_.at(static_cast<std::size_t>(dict));
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  if (ids.empty() || in_write_transaction()) return;
  // The ids not remembered yet, in id order, through one incremental-blob
  // handle on the dictionary's value column, moved from row to row by
  // rowid (sqlite3_blob_reopen): a seek and a copy per value, with no
  // statement to prepare or step. The first page of a process took about
  // 2,150 instructions per value read ahead this way, against 2,950 with
  // one statement over json_each of the ids (callgrind, tests/bench/README.md)
  // and about 4,100 with a statement run per id. The handle reads in the
  // cursor's read transaction and is closed before returning.
  std::size_t wanted = 0;
  for (std::int64_t id : ids)
    if (!k.positions.find(id)) ++wanted;
  if (!wanted) return;
  // Room for the values at once: growing by doubling would copy them and
  // touch twice the memory (each fresh page of it a page fault).
  k.positions.reserve(wanted);
  k.spans.reserve(k.spans.size() + wanted);
  k.arena.reserve(k.arena.size() + wanted * (k.spans.empty() ? 16 : k.arena.size() / k.spans.size() + 1));
  lookups_ += wanted;
  // Closed however the pass ends (an arena that cannot grow throws).
  std::unique_ptr<sqlite3_blob, int (*)(sqlite3_blob*)> blob(nullptr, sqlite3_blob_close);
  for (std::int64_t id : ids) {
    if (k.positions.find(id)) continue;
    // A failed move (no such id) leaves the handle aborted: the next id
    // opens a new one. An id not found stays unremembered; value() then
    // answers it (empty) with a lookup of its own.
    int rc = SQLITE_OK;
    if (blob) {
      rc = sqlite3_blob_reopen(blob.get(), id);
    } else {
      sqlite3_blob* opened = nullptr;
      rc = sqlite3_blob_open(db_.handle(), "main", k.table.c_str(), "value", id, 0, &opened);
      blob.reset(opened);  // NULL when the open failed
    }
    if (rc != SQLITE_OK) {
      blob.reset();
      continue;
    }
    int bytes = sqlite3_blob_bytes(blob.get());
    uncached_.resize(static_cast<std::size_t>(bytes));
    if (bytes > 0 && sqlite3_blob_read(blob.get(), uncached_.data(), bytes, 0) != SQLITE_OK) {
      blob.reset();
      continue;
    }
    remember(k, id, uncached_);
  }
}

}  // namespace mailflow
