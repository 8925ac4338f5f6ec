#include "reports/tls_failure_report.h"

#include <algorithm>

#include "core/text.h"

namespace mailflow {

namespace {

TlsFailureSelection selection_of(const ReportFilter& filter) {
  return {start_of_day(filter.range.first), start_of_day(filter.range.last + 1), filter.direction};
}

}  // namespace

std::vector<StoredTlsFailure> tls_failure_list(TraceStore& store, const ReportFilter& filter) {
  return tls_failures(store, selection_of(filter));
}

std::string tls_failure_peer(const StoredTlsFailure& f) {
  if (f.peer_host && !f.peer_host->empty() && !iequals(*f.peer_host, "unknown")) {
    std::string h = *f.peer_host;
    for (char& c : h)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return h;
  }
  return f.peer_ip.value_or("");
}

std::vector<TlsFailureGroupRow> tls_failure_groups(TraceStore& store, const ReportFilter& filter,
                                                   TlsFailureGrouping grouping) {
  std::vector<TlsFailureGroupRow> rows;
  for (const TlsFailureCount& c : tls_failure_counts(store, selection_of(filter), grouping))
    rows.push_back({c.direction, grouping == TlsFailureGrouping::Day ? format_date(c.day) : c.key, c.failures});
  std::stable_sort(rows.begin(), rows.end(), [&](const TlsFailureGroupRow& a, const TlsFailureGroupRow& b) {
    if (grouping == TlsFailureGrouping::Day) {
      if (a.key != b.key) return a.key < b.key;
      return a.direction < b.direction;
    }
    if (a.failures != b.failures) return a.failures > b.failures;
    if (a.direction != b.direction) return a.direction < b.direction;
    return a.key < b.key;
  });
  return rows;
}

}  // namespace mailflow
