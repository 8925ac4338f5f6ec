#include "reports/tls_readiness.h"

#include <algorithm>
#include <tuple>

#include "reports/connector_report.h"
#include "reports/percent.h"

namespace mailflow {

RollupSelection tls_rollup_selection(const ReportFilter& filter) {
  RollupSelection sel;
  sel.first = filter.range.first;
  sel.last = filter.range.last;
  sel.direction = filter.direction;
  using C = RollupSelection::Connectors;
  sel.connectors = filter.scope == ConnectorScope::All ? C::All : filter.scope == ConnectorScope::Named ? C::Named : C::None;
  sel.connector = filter.connector;
  return sel;
}

bool tls_at_most(TlsVersion v, TlsVersion limit) {
  if (v == TlsVersion::Unknown || limit == TlsVersion::Unknown) return false;
  return static_cast<int>(v) <= static_cast<int>(limit);
}

std::int64_t TlsPeerRow::below_tls12() const {
  auto n = [&](TlsVersion v) {
    auto it = count.find(v);
    return it == count.end() ? 0 : it->second;
  };
  return n(TlsVersion::Tls11) + n(TlsVersion::Tls10) + n(TlsVersion::None);
}

std::vector<TlsPeerRow> tls_peer_rows(const std::vector<PeerTlsCount>& counts, const TlsPeerQuery& query) {
  std::map<std::pair<Direction, std::string>, TlsPeerRow> peers;
  for (const PeerTlsCount& c : counts) {
    TlsPeerRow& row = peers[{c.direction, c.peer}];
    if (row.messages == 0) {
      row.direction = c.direction;
      row.peer = c.peer;
      for (TlsVersion v : kTlsReportOrder) row.count[v] = 0;
      row.count[TlsVersion::Unknown] = 0;
      row.first_seen = c.first_seen;
      row.last_seen = c.last_seen;
    }
    row.messages += c.messages;
    row.count[c.tls] += c.messages;
    row.first_seen = std::min(row.first_seen, c.first_seen);
    row.last_seen = std::max(row.last_seen, c.last_seen);
    if (c.tls != TlsVersion::Unknown && (!row.lowest || tls_at_most(c.tls, *row.lowest))) row.lowest = c.tls;
  }
  std::vector<TlsPeerRow> rows;
  for (auto& [key, row] : peers) {
    if (query.maximum_version && !(row.lowest && tls_at_most(*row.lowest, *query.maximum_version))) continue;
    rows.push_back(std::move(row));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const TlsPeerRow& a, const TlsPeerRow& b) {
    return std::make_tuple(-a.below_tls12(), -a.messages, a.direction, a.peer) <
           std::make_tuple(-b.below_tls12(), -b.messages, b.direction, b.peer);
  });
  if (query.first && static_cast<std::int64_t>(rows.size()) > *query.first) rows.resize(static_cast<std::size_t>(*query.first));
  return rows;
}

std::vector<TlsPeerRow> tls_peer_report(TraceStore& store, const ReportFilter& filter, const TlsPeerQuery& query) {
  return tls_peer_rows(peer_tls_counts(store, tls_rollup_selection(filter), query.by, false), query);
}

namespace {

bool at_risk(TlsVersion v, const TlsPolicy& policy) {
  if (v == TlsVersion::Unknown) return false;
  if (v == TlsVersion::None) return policy.require_tls;
  return static_cast<int>(v) < static_cast<int>(policy.minimum);
}

}  // namespace

std::vector<TlsPolicyRow> test_tls_policy(TraceStore& store, const ReportFilter& filter, const TlsPolicy& policy) {
  std::map<DirectionConnector, TlsPolicyRow, DirectionConnectorLess> groups;
  std::map<DirectionConnector, std::map<std::string, std::int64_t>, DirectionConnectorLess> risky;
  for (const PeerTlsCount& c : peer_tls_counts(store, tls_rollup_selection(filter), PeerKey::Domain, true)) {
    if (c.tls == TlsVersion::Unknown) continue;  // a source that did not record TLS says nothing about the policy
    auto key = std::make_pair(c.direction, c.connector);
    TlsPolicyRow& row = groups[key];
    row.direction = c.direction;
    row.connector = c.connector;
    row.messages += c.messages;
    if (at_risk(c.tls, policy)) {
      row.at_risk += c.messages;
      risky[key][c.peer] += c.messages;
    }
  }
  std::vector<TlsPolicyRow> rows;
  for (auto& [key, row] : groups) {
    row.percent = percent_of(row.at_risk, row.messages);
    std::vector<std::pair<std::string, std::int64_t>> peers(risky[key].begin(), risky[key].end());
    std::stable_sort(peers.begin(), peers.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    for (auto& p : peers) row.peers.push_back(p.first);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<InsightFinding> tls_policy_findings(const std::vector<TlsPolicyRow>& rows, const TlsPolicy& policy) {
  std::vector<InsightFinding> out;
  std::string minimum(tls_name(policy.minimum));
  for (const TlsPolicyRow& r : rows) {
    if (r.at_risk == 0) continue;
    InsightFinding f;
    f.rule = "TlsPolicy";
    f.title = "Requiring " + minimum + (policy.require_tls ? " and TLS" : "") + " would break mail";
    f.direction = r.direction;
    f.connector = r.connector.value_or("");
    f.value = r.percent;
    f.threshold = 0;
    f.messages = r.at_risk;
    std::string peers;
    for (std::size_t i = 0; i < r.peers.size() && i < 10; ++i) peers += (i ? ", " : "") + r.peers[i];
    if (r.peers.size() > 10) peers += ", ...";
    f.recommendation = std::to_string(r.at_risk) + " of " + std::to_string(r.messages) + " " +
                       std::string(r.direction == Direction::Inbound ? "inbound messages would be refused"
                                                                     : "outbound messages would be deferred") +
                       " (peers: " + peers + "). Ask these peers to upgrade before enforcing " + minimum + ".";
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<TlsTrustRow> tls_trust_usage(TraceStore& store, const ReportFilter& filter, bool by_connector) {
  return tls_trust_rows(trust_counts(store, tls_rollup_selection(filter), by_connector), by_connector);
}

std::vector<TlsTrustRow> tls_trust_rows(const std::vector<TrustCount>& input, bool by_connector) {
  std::map<DirectionConnector, std::map<int, std::int64_t>, DirectionConnectorLess> groups;
  // Report order: Verified (0), Trusted, Untrusted, Anonymous, then unrecorded (4).
  auto rank = [](const std::optional<TlsTrust>& t) {
    if (!t) return 4;
    switch (*t) {
      case TlsTrust::Verified: return 0;
      case TlsTrust::Trusted: return 1;
      case TlsTrust::Untrusted: return 2;
      case TlsTrust::Anonymous: return 3;
    }
    return 4;
  };
  const std::optional<TlsTrust> by_rank[] = {TlsTrust::Verified, TlsTrust::Trusted, TlsTrust::Untrusted,
                                             TlsTrust::Anonymous, std::nullopt};
  for (const TrustCount& c : input)
    groups[{c.direction, by_connector ? c.connector : std::nullopt}][rank(c.trust)] += c.messages;
  std::vector<TlsTrustRow> rows;
  for (const auto& [key, counts] : groups) {
    std::int64_t known = 0;
    for (const auto& [r, n] : counts)
      if (r < 4) known += n;
    for (const auto& [r, n] : counts) {
      if (n == 0) continue;
      rows.push_back({key.first, key.second, by_rank[r], n,
                      r < 4 ? std::optional<double>(percent_of(n, known)) : std::nullopt});
    }
  }
  return rows;
}

}  // namespace mailflow
