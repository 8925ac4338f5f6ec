#include "cmdlets/report_records.h"

#include <memory>

namespace mailflow {

namespace {

Value connector_value(const std::optional<std::string>& c) { return c ? Value(*c) : Value(); }

}  // namespace

std::vector<Value> connector_day_records(const std::vector<ConnectorDayRow>& rows) {
  static const auto schema =
      std::make_shared<const Schema>(std::vector<std::string>{"Date", "Direction", "Connector", "Messages"});
  std::vector<Value> out;
  out.reserve(rows.size());
  for (const ConnectorDayRow& r : rows)
    out.emplace_back(Record(schema, {Value(Date{r.day}), Value(direction_name(r.direction)),
                                     connector_value(r.connector), Value(r.messages)}));
  return out;
}

std::vector<Value> tls_usage_records(const std::vector<TlsUsageRow>& rows, bool by_connector) {
  static const auto by_direction = std::make_shared<const Schema>(
      std::vector<std::string>{"Direction", "TlsVersion", "Messages", "Percent"});
  static const auto by_conn = std::make_shared<const Schema>(
      std::vector<std::string>{"Direction", "Connector", "TlsVersion", "Messages", "Percent"});
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
  static const auto schema = std::make_shared<const Schema>(
      std::vector<std::string>{"Rule", "Title", "Direction", "Connector", "Value", "Threshold",
                               "Messages", "Recommendation"});
  std::vector<Value> out;
  for (const InsightFinding& f : findings)
    out.emplace_back(Record(schema, {Value(f.rule), Value(f.title), Value(direction_name(f.direction)),
                                     Value(f.connector), Value(f.value), Value(f.threshold),
                                     Value(f.messages), Value(f.recommendation)}));
  return out;
}

}  // namespace mailflow
