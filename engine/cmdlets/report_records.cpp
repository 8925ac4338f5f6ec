#include "cmdlets/report_records.h"

#include <algorithm>
#include <memory>

namespace mailflow {

namespace {

Value connector_value(const std::optional<std::string>& c) { return c ? Value(*c) : Value(); }

}  // namespace

std::vector<std::string> merged_columns(std::vector<std::string> first, const std::vector<std::string>& second) {
  size_t at = 0;  // where the next new column of `second` goes
  for (const std::string& name : second) {
    auto it = std::find(first.begin(), first.end(), name);
    if (it != first.end()) {
      at = static_cast<size_t>(it - first.begin()) + 1;
    } else {
      first.insert(first.begin() + static_cast<std::ptrdiff_t>(at), name);
      ++at;
    }
  }
  return first;
}

std::vector<Value> connector_day_records(const std::vector<ConnectorDayRow>& rows) {
  static const auto schema = std::make_shared<const Schema>(kConnectorDayColumns);
  std::vector<Value> out;
  out.reserve(rows.size());
  for (const ConnectorDayRow& r : rows)
    out.emplace_back(Record(schema, {Value(Date{r.day}), Value(direction_name(r.direction)),
                                     connector_value(r.connector), Value(r.messages)}));
  return out;
}

std::vector<Value> tls_usage_records(const std::vector<TlsUsageRow>& rows, bool by_connector) {
  static const auto by_conn = std::make_shared<const Schema>(kTlsUsageColumns);
  static const auto by_direction = [] {
    std::vector<std::string> names = kTlsUsageColumns;
    names.erase(names.begin() + 1);  // Connector
    return std::make_shared<const Schema>(std::move(names));
  }();
  std::vector<Value> out;
  out.reserve(rows.size());
  for (const TlsUsageRow& r : rows) {
    if (by_connector)
      out.emplace_back(Record(by_conn, {Value(direction_name(r.direction)), connector_value(r.connector),
                                        Value(tls_name(r.tls)), Value(r.messages),
                                        r.percent ? Value(*r.percent) : Value()}));
    else
      out.emplace_back(Record(by_direction, {Value(direction_name(r.direction)), Value(tls_name(r.tls)),
                                             Value(r.messages), r.percent ? Value(*r.percent) : Value()}));
  }
  return out;
}

std::vector<Value> insight_records(const std::vector<InsightFinding>& findings) {
  static const auto schema = std::make_shared<const Schema>(kInsightColumns);
  std::vector<Value> out;
  for (const InsightFinding& f : findings)
    out.emplace_back(Record(schema, {Value(f.rule), Value(f.title), Value(direction_name(f.direction)),
                                     Value(f.connector), Value(f.value), Value(f.threshold),
                                     Value(f.messages), Value(f.recommendation)}));
  return out;
}

}  // namespace mailflow
