// Connector names an administrator may ask reports about: those that carried
// traffic (the daily rollup) and those defined in the store (connectors).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store_overview.h"
#include "store/trace_store.h"

namespace mailflow {

// Sorted case-insensitively, each name once (first spelling seen).
std::vector<std::string> known_connectors(TraceStore& store);

// The store's connector names read once, on first use, for a command that
// resolves many: Get-MailFlowInsights holds one while its rules run
// (Session::connector_names), and PlainTextRise calls Get-TlsUsage
// -Connector for every connector, each a scan of the daily rollup otherwise.
// Read again when this connection changed the store since.
class ConnectorNameSnapshot {
 public:
  explicit ConnectorNameSnapshot(TraceStore& store) : store_(store) {}
  TraceStore& store() const { return store_; }
  // What connector_spellings(store(), name) answers.
  std::vector<std::string> spellings(std::string_view name);

 private:
  TraceStore& store_;
  std::optional<ConnectorNameLists> lists_;
};

// The spellings under which `name` (case-insensitive) is stored, traffic
// first. Throws Error("UnknownConnector") listing the known names when there
// is none, and Error("InvalidConnector") for an empty name. With a
// `snapshot` of the same store, no query.
std::vector<std::string> resolve_connector(TraceStore& store, std::string_view name,
                                           ConnectorNameSnapshot* snapshot = nullptr);

}  // namespace mailflow
