// TLS usage: delivered messages per TLS version as a share of their group -
// a direction ("Message protected in transit (by TLS)"), or a direction and
// connector (the TLS usage view of the Connector report).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "reports/report_filter.h"
#include "store/trace_store.h"

namespace mailflow {

struct TlsUsageRow {
  Direction direction = Direction::Inbound;
  std::optional<std::string> connector;  // by connector only; nullopt: no connector
  TlsVersion tls = TlsVersion::None;
  std::int64_t messages = 0;
  // Of the group's messages whose TLS is known, two decimals (reports/percent.h);
  // nullopt for the Unknown row, which is never part of the shares.
  std::optional<double> percent;
};

// Only versions that occur are listed. Ordered by direction, connector
// (connector_less) and TLS version strongest first: TLS1.3 ... TLS1.0, None,
// then Unknown (messages whose source did not record TLS: a count, no percent).
std::vector<TlsUsageRow> tls_usage(TraceStore& store, const ReportFilter& filter, bool by_connector);

}  // namespace mailflow
