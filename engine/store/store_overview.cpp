#include "store/store_overview.h"

#include <algorithm>

#include "core/text.h"

namespace mailflow {

std::vector<std::string> known_connector_names(TraceStore& store) {
  // '' in the rollup stands for "no connector" and is not a name.
  StatementUse s(store.db().cached(
      "overview.connector_names",
      "SELECT connector FROM daily_rollup WHERE connector <> ?1 "
      "UNION SELECT name FROM connectors"));
  s->bind(1, "");
  std::vector<std::string> names;
  while (s->step()) names.push_back(s->column_text(0));
  std::sort(names.begin(), names.end(),
            [](const std::string& a, const std::string& b) { return icompare(a, b) < 0; });
  names.erase(std::unique(names.begin(), names.end(),
                          [](const std::string& a, const std::string& b) { return iequals(a, b); }),
              names.end());
  return names;
}

std::vector<std::string> connector_names_traffic_then_defined(TraceStore& store) {
  std::vector<std::string> names;
  {
    StatementUse s(store.db().cached(
        "connectors.known_in_rollup",
        "SELECT DISTINCT connector FROM daily_rollup WHERE connector <> ''"));
    while (s->step()) names.push_back(s->column_text(0));
  }
  {
    StatementUse s(store.db().cached("connectors.known_defined", "SELECT name FROM connectors"));
    while (s->step()) names.push_back(s->column_text(0));
  }
  return names;
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
