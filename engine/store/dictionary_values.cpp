#include "store/dictionary_values.h"

#include <sqlite3.h>

#include <algorithm>

#include "core/error.h"
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

DictionaryValues::DictionaryValues(Database& db) : db_(db), kinds_(trace_dictionary_tables().size()) {}

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

// The connection read_ahead reads dictionary pages through: the store's
// file opened again, read-only, with a page cache of kReaderCachePages.
// The first page of a process reads a few hundred pages of the addresses
// dictionary (a page's 1,500 distinct addresses lie on nearly every page of
// it), each once; through the store's connection each stayed in its 64 MiB
// cache, a fresh page buffer each, and a fresh buffer costs a page fault
// (12 us on the 2-core machine of tests/bench/README.md, more than reading
// the page). Here a few buffers are reused for all of them, the store's
// cache keeps the pages of trace_rows it holds, and the strings are kept
// by this class anyway. A process that goes on reading pages (a session)
// would read those pages again for each page, though: past
// kReaderWarmLookups values the reader's cache grows and keeps them.
// nullptr when the file cannot be opened again (a store in memory): the
// store's connection reads them then.
Database* DictionaryValues::reader() {
  if (reader_ || reader_unavailable_) return reader_.get();
  const std::string& path = db_.path();
  if (path.empty() || path == ":memory:") {
    reader_unavailable_ = true;
    return nullptr;
  }
  try {
    reader_ = std::make_unique<Database>(path, Database::ReadOnly{});
    reader_->exec("PRAGMA cache_size=" + std::to_string(kReaderCachePages));
  } catch (const Error&) {
    reader_.reset();
    reader_unavailable_ = true;
  }
  return reader_.get();
}

void DictionaryValues::read_ids(Kind& k, Statement& s, const std::vector<std::int64_t>& ids) {
  // Room for the values at once: growing by doubling would copy them and
  // touch twice the memory (each fresh page of it a page fault).
  k.spans.reserve(k.spans.size() + ids.size());
  k.arena.reserve(k.arena.size() + ids.size() * (k.spans.empty() ? 16 : k.arena.size() / k.spans.size() + 1));
  for (std::int64_t id : ids) {
    if (k.positions.find(id)) continue;
    StatementUse use(s);
    s.bind(1, id);
    ++lookups_;
    if (s.step()) remember(k, id, column_text_view(s));
  }
}

void DictionaryValues::read_ahead(int dict, std::vector<std::int64_t>& ids) {
  Kind& k = kinds_.at(static_cast<std::size_t>(dict));
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  if (ids.empty() || in_write_transaction()) return;
  // The reader sees every committed id (its snapshot is taken now, after
  // the store's connection read the rows): ids are never deleted or reused
  // once committed, and ids this connection has not committed are not
  // read here (in_write_transaction above). One read transaction for the
  // pass; should the reader fail (busy, a schema it cannot read), the
  // store's connection reads from then on.
  if (Database* r = reader()) {
    try {
      if (!reader_cache_grown_ && lookups_ >= kReaderWarmLookups) {
        // A session that goes on reading: from now on the reader keeps the
        // pages it reads, so the next pages' values cost no page reads.
        r->exec("PRAGMA cache_size=-" + std::to_string(kReaderGrownCacheKiB));
        reader_cache_grown_ = true;
      }
      r->exec("BEGIN");
      read_ids(k, r->cached(dictionary_value_statement_name(dict), dictionary_value_sql(dict)), ids);
      r->exec("COMMIT");
      return;
    } catch (const Error&) {
      reader_.reset();
      reader_unavailable_ = true;
    }
  }
  read_ids(k, lookup(dict), ids);
}

}  // namespace mailflow
