#include "cmdlets/tls_readiness_records.h"

#include <memory>

namespace mailflow {

namespace {

Value count_of(const std::map<TlsVersion, std::int64_t>& count, TlsVersion v) {
  auto it = count.find(v);
  return Value(it == count.end() ? std::int64_t{0} : it->second);
}

Value lowest_of(const std::optional<TlsVersion>& v) { return Value(tls_name(v ? *v : TlsVersion::Unknown)); }

}  // namespace

std::vector<Value> tls_peer_records(const std::vector<TlsPeerRow>& rows) {
  static const auto schema = std::make_shared<const Schema>(kTlsPeerColumns);
  std::vector<Value> out;
  out.reserve(rows.size());
  for (const TlsPeerRow& r : rows)
    out.emplace_back(Record(
        schema, {Value(direction_name(r.direction)), Value(r.peer), Value(r.messages),
                 count_of(r.count, TlsVersion::Tls13), count_of(r.count, TlsVersion::Tls12),
                 count_of(r.count, TlsVersion::Tls11), count_of(r.count, TlsVersion::Tls10),
                 count_of(r.count, TlsVersion::None), count_of(r.count, TlsVersion::Unknown), lowest_of(r.lowest),
                 Value(DateTime{r.first_seen}), Value(DateTime{r.last_seen})}));
  return out;
}

std::vector<Value> tls_policy_records(const std::vector<TlsPolicyRow>& rows) {
  static const auto schema = std::make_shared<const Schema>(kTlsPolicyColumns);
  std::vector<Value> out;
  for (const TlsPolicyRow& r : rows) {
    Array peers;
    for (const std::string& p : r.peers) peers.emplace_back(p);
    out.emplace_back(Record(schema, {Value(direction_name(r.direction)), r.connector ? Value(*r.connector) : Value(),
                                     Value(r.messages), Value(r.at_risk), Value(r.percent), Value(std::move(peers))}));
  }
  return out;
}

std::vector<Value> tls_failure_records(const std::vector<StoredTlsFailure>& rows) {
  static const auto schema = std::make_shared<const Schema>(kTlsFailureColumns);
  std::vector<Value> out;
  for (const StoredTlsFailure& f : rows) {
    std::string peer = tls_failure_peer(f);
    out.emplace_back(Record(schema, {Value(DateTime{f.time}), Value(direction_name(f.direction)),
                                     peer.empty() ? Value() : Value(peer), f.peer_ip ? Value(*f.peer_ip) : Value(),
                                     Value(f.reason), Value(f.text)}));
  }
  return out;
}

std::vector<Value> tls_failure_group_records(const std::vector<TlsFailureGroupRow>& rows) {
  static const auto schema = std::make_shared<const Schema>(kTlsFailureGroupColumns);
  std::vector<Value> out;
  for (const TlsFailureGroupRow& r : rows)
    out.emplace_back(Record(schema, {Value(direction_name(r.direction)), Value(r.key), Value(r.failures)}));
  return out;
}

std::vector<Value> smtp_auth_client_records(const std::vector<SmtpAuthClientRow>& rows) {
  static const auto schema = std::make_shared<const Schema>(kSmtpAuthClientColumns);
  std::vector<Value> out;
  for (const SmtpAuthClientRow& r : rows)
    out.emplace_back(Record(schema, {Value(r.user), Value(r.messages), count_of(r.count, TlsVersion::Tls13),
                                     count_of(r.count, TlsVersion::Tls12), count_of(r.count, TlsVersion::Tls11),
                                     count_of(r.count, TlsVersion::Tls10), count_of(r.count, TlsVersion::None),
                                     lowest_of(r.lowest)}));
  return out;
}

std::vector<Value> tls_trust_records(const std::vector<TlsTrustRow>& rows, bool by_connector) {
  static const auto by_direction = std::make_shared<const Schema>(
      std::vector<std::string>{"Direction", "TlsTrust", "Messages", "Percent"});
  static const auto by_conn = std::make_shared<const Schema>(kTlsTrustColumns);
  std::vector<Value> out;
  for (const TlsTrustRow& r : rows) {
    Value trust = r.trust ? Value(tls_trust_name(*r.trust)) : Value("Unknown");
    Value percent = r.percent ? Value(*r.percent) : Value();
    if (by_connector)
      out.emplace_back(Record(by_conn, {Value(direction_name(r.direction)), r.connector ? Value(*r.connector) : Value(),
                                        trust, Value(r.messages), percent}));
    else
      out.emplace_back(Record(by_direction, {Value(direction_name(r.direction)), trust, Value(r.messages), percent}));
  }
  return out;
}

}  // namespace mailflow
