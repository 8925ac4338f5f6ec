#include "store/store_overview.h"

#include <algorithm>

#include "core/text.h"

namespace mailflow {

std::vector<std::string> connector_names_traffic_then_defined(TraceStore& store) {
  ConnectorNameLists lists = connector_name_lists(store);
  std::vector<std::string> names = std::move(lists.traffic);
  for (std::string& n : lists.defined) names.push_back(std::move(n));
  return names;
}

ConnectorNameLists connector_name_lists(TraceStore& store) {
  ConnectorNameLists lists;
  lists.changes = sqlite3_total_changes64(store.db().handle());
  {
    StatementUse s(store.db().cached(
        "connectors.known_in_rollup",
        "SELECT DISTINCT connector FROM daily_rollup WHERE connector <> ''"));
    while (s->step()) lists.traffic.push_back(s->column_text(0));
  }
  {
    StatementUse s(store.db().cached("connectors.known_defined", "SELECT name FROM connectors"));
    while (s->step()) lists.defined.push_back(s->column_text(0));
  }
  return lists;
}

bool still_current(TraceStore& store, const ConnectorNameLists& lists) {
  return sqlite3_total_changes64(store.db().handle()) == lists.changes;
}

std::vector<std::string> connector_spellings(TraceStore& store, std::string_view name) {
  std::vector<std::string> spellings;
  {
    // The rollup is the traffic summary: a few rows per connector and day, so
    // this scan stays small even for stores of many millions of traces.
    StatementUse s(store.db().cached(
        "connectors.spellings_in_rollup",
        "SELECT DISTINCT connector FROM daily_rollup WHERE connector = ?1 COLLATE NOCASE"));
    s->bind(1, name);
    while (s->step()) spellings.push_back(s->column_text(0));
  }
  {
    StatementUse s(store.db().cached("connectors.defined_name",
                                     "SELECT name FROM connectors WHERE name = ?1"));
    s->bind(1, name);
    while (s->step()) {
      std::string n = s->column_text(0);
      if (std::find(spellings.begin(), spellings.end(), n) == spellings.end())
        spellings.push_back(std::move(n));
    }
  }
  return spellings;
}

TraceSpan trace_span(TraceStore& store) {
  StatementUse s(store.db().cached("overview.span",
                                   "SELECT count(*), min(received), max(received) FROM trace_rows"));
  TraceSpan span;
  if (!s->step()) return span;
  span.traces = s->column_int(0);
  if (!s->column_is_null(1)) span.first = s->column_int(1);
  if (!s->column_is_null(2)) span.last = s->column_int(2);
  return span;
}

}  // namespace mailflow
