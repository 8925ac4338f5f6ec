#include "reports/tls_usage.h"

#include <map>

#include "reports/connector_report.h"
#include "reports/percent.h"
#include "reports/rollup_query.h"

namespace mailflow {

std::vector<TlsUsageRow> tls_usage(TraceStore& store, const ReportFilter& filter, bool by_connector) {
  std::map<DirectionConnector, std::map<TlsVersion, std::int64_t>, DirectionConnectorLess> groups;
  RollupGrouping grouping =
      by_connector ? RollupGrouping::DirectionConnectorTls : RollupGrouping::DirectionTls;
  for (const RollupCount& c : delivered_counts(store, filter, grouping))
    groups[{c.direction, by_connector ? c.connector : std::nullopt}][c.tls] += c.messages;

  std::vector<TlsUsageRow> rows;
  for (const auto& [key, counts] : groups) {
    std::int64_t known = 0;
    for (const auto& [tls, n] : counts)
      if (tls != TlsVersion::Unknown) known += n;
    for (TlsVersion v : kTlsReportOrder) {
      auto it = counts.find(v);
      if (it == counts.end() || it->second == 0) continue;
      rows.push_back({key.first, key.second, v, it->second, percent_of(it->second, known)});
    }
    if (auto it = counts.find(TlsVersion::Unknown); it != counts.end() && it->second > 0)
      rows.push_back({key.first, key.second, TlsVersion::Unknown, it->second, std::nullopt});
  }
  return rows;
}

}  // namespace mailflow
