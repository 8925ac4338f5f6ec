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
  for (std::string& name : connector_names_traffic_then_defined(store)) add_unique(names, std::move(name));
  std::sort(names.begin(), names.end(),
            [](const std::string& a, const std::string& b) { return icompare(a, b) < 0; });
  return names;
}

std::vector<std::string> ConnectorNameSnapshot::spellings(std::string_view name) {
  if (!lists_ || !still_current(store_, *lists_)) lists_ = connector_name_lists(store_);
  // As connector_spellings: traffic spellings equal ignoring ASCII case (SQL
  // NOCASE), in the rollup's order, then the defined one not among them.
  std::vector<std::string> out;
  for (const std::string& n : lists_->traffic)
    if (iequals(n, name)) out.push_back(n);
  for (const std::string& n : lists_->defined)
    if (iequals(n, name) && std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  return out;
}

std::vector<std::string> resolve_connector(TraceStore& store, std::string_view name,
                                           ConnectorNameSnapshot* snapshot) {
  if (name.empty())
    throw Error("InvalidConnector",
                "-Connector needs a connector name; use -NoConnector for traffic without one");
  std::vector<std::string> spellings = snapshot && &snapshot->store() == &store ? snapshot->spellings(name)
                                                                               : connector_spellings(store, name);
  if (spellings.empty()) {
    std::vector<std::string> known = known_connectors(store);
    throw Error("UnknownConnector",
                "-Connector '" + std::string(name) + "' is not a known connector; known: " +
                    (known.empty() ? std::string("(none)") : join(known, ", ")));
  }
  return spellings;
}

}  // namespace mailflow
