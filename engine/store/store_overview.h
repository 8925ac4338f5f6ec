// Small read-only questions about the whole store: the connector names it
// holds (reports/connector_names.h makes the one list of known connectors
// from them) and what it holds (for the REPL banner).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "store/trace_store.h"

namespace mailflow {

// Every connector name the store holds, traffic first: the distinct names in
// the daily rollup, then the names of defined connectors. A name may repeat
// (traffic and definition, or two spellings); callers decide which to keep.
std::vector<std::string> connector_names_traffic_then_defined(TraceStore& store);

// The spellings under which `name` (case-insensitive) is stored: in traffic
// first, then the defined connector's name (its stored spelling) when it is
// not among them. One scan of the daily rollup per call (no index on the
// name): a command resolving many names reads ConnectorNameLists once.
std::vector<std::string> connector_spellings(TraceStore& store, std::string_view name);

// Every connector name of the store in the two lists connector_spellings
// reads (traffic, in the same order; defined), so that the spellings of any
// name can be answered from them without a query.
struct ConnectorNameLists {
  std::vector<std::string> traffic;  // distinct, not ''
  std::vector<std::string> defined;
  std::int64_t changes = 0;  // this connection's total changes when read
};
ConnectorNameLists connector_name_lists(TraceStore& store);
// False once this connection changed the store after `lists` were read.
bool still_current(TraceStore& store, const ConnectorNameLists& lists);

struct TraceSpan {
  std::int64_t traces = 0;
  std::optional<UnixSeconds> first;  // earliest Received, none when empty
  std::optional<UnixSeconds> last;   // latest Received
};
TraceSpan trace_span(TraceStore& store);

}  // namespace mailflow
