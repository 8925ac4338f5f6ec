#include "reports/tls_failure_report.h"

#include <algorithm>
#include <map>

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

std::vector<InsightFinding> tls_failure_findings(TraceStore& store, const ReportFilter& filter, double threshold) {
  ReportFilter before = filter;
  DayNumber length = filter.range.last - filter.range.first + 1;
  before.range.first = filter.range.first - length;
  before.range.last = filter.range.first - 1;
  std::vector<InsightFinding> out;
  for (TlsFailureGrouping g : {TlsFailureGrouping::Connector, TlsFailureGrouping::Peer}) {
    std::map<std::pair<Direction, std::string>, std::int64_t> now, earlier;
    for (const TlsFailureCount& c : tls_failure_counts(store, selection_of(filter), g)) now[{c.direction, c.key}] += c.failures;
    for (const TlsFailureCount& c : tls_failure_counts(store, selection_of(before), g))
      earlier[{c.direction, c.key}] += c.failures;
    for (const auto& [key, n] : now) {
      if (key.second.empty()) continue;  // failures without a connector (or peer) are judged per peer
      auto it = earlier.find(key);
      std::int64_t previous = it == earlier.end() ? 0 : it->second;
      bool over = static_cast<double>(n) > threshold;
      bool doubled = previous > 0 && n >= 2 * previous;
      if (!over && !doubled) continue;
      InsightFinding f;
      f.rule = "TlsFailures";
      f.title = "TLS handshake failures over " + Value(threshold).to_display() + " or doubled";
      f.direction = key.first;
      f.connector = g == TlsFailureGrouping::Connector ? key.second : "";
      f.value = static_cast<double>(n);
      f.threshold = threshold;
      f.messages = n;
      std::string what = g == TlsFailureGrouping::Connector ? "connector '" + key.second + "'" : "peer " + key.second;
      f.recommendation = std::to_string(n) + " failed TLS handshakes with " + what + " (" + std::to_string(previous) +
                         " in the period before). Get-TlsFailure -By Reason shows why; check the certificate and " +
                         "the TLS versions and ciphers both sides allow.";
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace mailflow
