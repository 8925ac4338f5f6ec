// Connector names an administrator may ask reports about: those that carried
// traffic (the daily rollup) and those defined in the store (connectors).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/trace_store.h"

namespace mailflow {

// Sorted case-insensitively, each name once (first spelling seen).
std::vector<std::string> known_connectors(TraceStore& store);

// The spellings under which `name` (case-insensitive) is stored, traffic
// first. Throws Error("UnknownConnector") listing the known names when there
// is none, and Error("InvalidConnector") for an empty name.
std::vector<std::string> resolve_connector(TraceStore& store, std::string_view name);

}  // namespace mailflow
