#include "reports/connector_names.h"

#include <algorithm>

#include "core/error.h"
#include "core/text.h"

namespace mailflow {

namespace {

void add_unique(std::vector<std::string>& names, std::string name) {
  for (const std::string& n : names)
    if (iequals(n, name)) return;
  names.push_back(std::move(name));
}

}  // namespace

std::vector<std::string> known_connectors(TraceStore& store) {
  std::vector<std::string> names;
  {
    StatementUse s(store.db().cached(
        "connectors.known_in_rollup",
        "SELECT DISTINCT connector FROM daily_rollup WHERE connector <> ''"));
    while (s->step()) add_unique(names, s->column_text(0));
  }
  {
    StatementUse s(store.db().cached("connectors.known_defined", "SELECT name FROM connectors"));
    while (s->step()) add_unique(names, s->column_text(0));
  }
  std::sort(names.begin(), names.end(),
            [](const std::string& a, const std::string& b) { return icompare(a, b) < 0; });
  return names;
}

std::vector<std::string> resolve_connector(TraceStore& store, std::string_view name) {
  if (name.empty())
    throw Error("InvalidConnector",
                "-Connector needs a connector name; use -NoConnector for traffic without one");
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
  if (spellings.empty()) {
    std::vector<std::string> known = known_connectors(store);
    throw Error("UnknownConnector",
                "-Connector '" + std::string(name) + "' is not a known connector; known: " +
                    (known.empty() ? std::string("(none)") : join(known, ", ")));
  }
  return spellings;
}

}  // namespace mailflow
