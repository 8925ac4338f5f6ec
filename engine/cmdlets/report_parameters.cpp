#include "cmdlets/report_parameters.h"

#include <cmath>

#include "cmdlets/mail_flow_config.h"
#include "core/error.h"
#include "reports/connector_names.h"
#include "store/trace_store.h"

namespace mailflow {

std::vector<ParamSpec> date_range_parameters() {
  ParamSpec start;
  start.name = "StartDate";
  start.type = ParamType::Date;
  start.help = "first UTC day of the range (YYYY-MM-DD or ISO-8601; a time names its UTC day)";
  start.completion = Completion::Date;
  ParamSpec end;
  end.name = "EndDate";
  end.type = ParamType::Date;
  end.help = "last UTC day of the range, included whole (default: today)";
  end.completion = Completion::Date;
  ParamSpec days;
  days.name = "Days";
  days.type = ParamType::Int;
  days.help = "the N days ending on -EndDate (or starting on -StartDate); default 7";
  days.min = 1;
  return {start, end, days};
}

ParamSpec direction_parameter() {
  ParamSpec p;
  p.name = "Direction";
  p.type = ParamType::Enum;
  p.help = "only Inbound or only Outbound traffic";
  p.validate_set = {"Inbound", "Outbound"};
  return p;
}

std::vector<ParamSpec> connector_parameters() {
  ParamSpec connector;
  connector.name = "Connector";
  connector.type = ParamType::String;
  connector.help = "only traffic through this connector";
  connector.completion = Completion::Connector;
  ParamSpec none;
  none.name = "NoConnector";
  none.type = ParamType::Switch;
  none.help = "only traffic that used no connector";
  return {connector, none};
}

namespace {

// Dates arrive as DateTime from the binder; a string (from a caller that did
// not bind) is parsed the same way, and anything else is refused by name.
std::optional<UnixSeconds> date_parameter(const BoundParameters& params, const char* name) {
  const Value* v = params.find(name);
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_datetime()) return v->as_datetime().seconds;
  if (v->is_date()) return start_of_day(v->as_date().day);
  if (v->is_string())
    if (auto t = parse_instant(trim(v->as_string()))) return t;
  throw Error("InvalidDate", std::string("-") + name + " '" + v->to_display() +
                                 "' is not a date (expected YYYY-MM-DD or ISO-8601, e.g. "
                                 "2026-11-16T08:15:02Z)");
}

}  // namespace

std::vector<ParamSpec> report_scope_parameters() {
  std::vector<ParamSpec> out = date_range_parameters();
  out.push_back(direction_parameter());
  for (ParamSpec& p : connector_parameters()) out.push_back(std::move(p));
  return out;
}

DateRangeRequest bound_date_request(const BoundParameters& params) {
  DateRangeRequest request;
  request.start = date_parameter(params, "StartDate");
  request.end = date_parameter(params, "EndDate");
  if (const Value* v = params.find("Days"); v && !v->is_null()) {
    if (!v->is_number() || v->as_number() != std::floor(v->as_number()))
      throw Error("InvalidDateRange", "-Days '" + v->to_display() + "' is not a whole number of days");
    request.days = static_cast<std::int64_t>(v->as_number());
  }
  return request;
}

DateRange bound_date_range(Session& session, const BoundParameters& params) {
  return resolve_date_range(bound_date_request(params), session.today, max_report_days(*session.store));
}

ReportFilter bound_report_filter(Session& session, const BoundParameters& params) {
  ReportFilter filter;
  filter.range = bound_date_range(session, params);
  if (auto d = params.string("Direction")) {
    filter.direction = parse_direction(*d);
    if (!filter.direction)
      throw Error("InvalidDirection", "-Direction '" + *d + "' is not Inbound or Outbound");
  }
  auto connector = params.string("Connector");
  if (connector && params.flag("NoConnector"))
    throw Error("ConflictingParameters",
                "-Connector and -NoConnector exclude each other; give one of them");
  if (connector) {
    resolve_connector(*session.store, *connector);
    filter.scope = ConnectorScope::Named;
    filter.connector = *connector;
  } else if (params.flag("NoConnector")) {
    filter.scope = ConnectorScope::None;
  }
  return filter;
}

}  // namespace mailflow
