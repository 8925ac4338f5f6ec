// Reading trace records back, newest first, one row at a time from a SQLite
// statement (Get-MessageTrace). Every filter is bound; the range on
// `received` (and the connector, when given) is served by the indexes
// traces_received_fingerprint and traces_connector_received; an address
// pattern is tested on the rows the range reads (addresses are kept in the
// rows, schema 11).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/trace.h"
#include "store/trace_store.h"

namespace mailflow {

// Conditions on trace rows. Every one given must hold.
struct TraceFilter {
  std::optional<UnixSeconds> received_from;  // received >= this
  std::optional<UnixSeconds> received_to;    // received < this
  std::optional<Direction> direction;
  // Connector: not set = any; `no_connector` = only traffic without one;
  // else one of these exact stored spellings.
  std::vector<std::string> connectors;
  bool no_connector = false;
  std::optional<TlsVersion> tls;
  // GLOB patterns the lower-cased column must all match (core/wildcard.h).
  std::vector<std::string> sender_globs;
  std::vector<std::string> recipient_globs;
  std::optional<std::string> status;  // case-insensitive

  bool empty() const;
  bool matches(const Trace& t) const;  // the same test as the SQL, in C++
  // The conditions on fields trace_rows holds as they are (received,
  // direction, tls): true when those hold, whatever the strings are.
  bool matches_row_fields(const Trace& t) const;
};

struct TraceQuery {
  UnixSeconds from = 0;  // received >= from
  UnixSeconds to = 0;    // received < to
  TraceFilter where;     // in SQL, before paging
  std::int64_t limit = -1;  // -1: no limit
  std::int64_t offset = 0;
  // Applied to the rows of the page, in order (a Where-Object pushed down
  // from the pipeline: it must not change which records the page holds).
  TraceFilter in_page;
};

// Streams the records of one query. Each cursor owns its statement (not a
// cached one): two cursors over the store may be open in one pipeline.
//
// The first rows are read as they are asked for (`| Select-Object -First 5`
// reads five), their strings looked up one by one; past kLazyRows, rows are
// read ahead of the caller, 256 and then 1024 at a time, as stored, and
// the dictionary ids among them that the store has not resolved yet are
// read in one ordered pass per dictionary (DictionaryValues::read_ahead)
// before the first of them is returned.
class TraceCursor {
 public:
  TraceCursor(TraceStore& store, const TraceQuery& query);
  // The next record, newest first; nullopt when done.
  std::optional<Trace> next();

 private:
  // A row read ahead, as trace_query_sql selects it: per field an integer
  // (a dictionary id, or the value of a field kept as an integer) or, for
  // text kept in the row, its place in text_ (offset << 32 | length); bit i
  // of `nulls` set when field i is NULL.
  struct RowAhead {
    std::uint32_t nulls = 0;
    std::int64_t v[kTraceFieldCount];
  };
  static_assert(kTraceFieldCount <= 32, "RowAhead::nulls has a bit per field");
  static constexpr std::size_t kLazyRows = 16, kFirstRowsAhead = 256, kMaxRowsAhead = 1024;

  std::optional<Trace> next_row();
  bool read_ahead();
  std::unique_ptr<Statement> stmt_;
  std::optional<TraceFilter> in_page_;  // only when a Where-Object was pushed down
  DictionaryValues& values_;            // the store's: the strings of ids read so far
  bool done_ = false;
  std::vector<RowAhead> ahead_;
  std::size_t next_ = 0;  // the next of ahead_ to return
  std::string text_;
  std::vector<std::vector<std::int64_t>> unresolved_;  // per dictionary: ids of ahead_ not resolved yet
  std::size_t rows_read_ = 0;
};

// The SQL for `query` with its parameters bound to a fresh statement;
// exposed so that tests can ask SQLite for the plan of exactly what runs.
std::unique_ptr<Statement> prepare_trace_query(Database& db, const TraceQuery& query);
std::string trace_query_sql(const TraceQuery& query);

// The traces columns of every trace field, in table order ("received,
// direction, ..."), each prefixed with `table_alias.` when one is given.
std::string trace_field_columns(std::string_view table_alias = "");
// A Trace from the row `s` is on, its fields in trace_field_columns' order
// from `first_column`.
Trace read_trace_fields(const Statement& s, int first_column);

// Stored traces with start <= received < end and id > after_id whose file
// was imported in one of `formats`, in id order, at most `limit`, each with
// its row id (for TraceWriter::set_connector).
std::vector<std::pair<std::int64_t, Trace>> traces_imported_as(TraceStore& store,
                                                              const std::vector<std::string>& formats,
                                                              UnixSeconds start, UnixSeconds end,
                                                              std::int64_t after_id, int limit);

}  // namespace mailflow
