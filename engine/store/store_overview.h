// Small read-only questions about the whole store that front ends ask: the
// connector names it knows (for Tab completion) and what it holds (for the
// REPL banner).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "store/trace_store.h"

namespace mailflow {

// Distinct connector names seen in traffic (the daily rollup) or defined in
// the store (connectors table), sorted case-insensitively, each name once.
std::vector<std::string> known_connector_names(TraceStore& store);

struct TraceSpan {
  std::int64_t traces = 0;
  std::optional<UnixSeconds> first;  // earliest Received, none when empty
  std::optional<UnixSeconds> last;   // latest Received
};
TraceSpan trace_span(TraceStore& store);

}  // namespace mailflow
