#include "cmdlets/report_parameters.h"

#include <cmath>

#include "cmdlets/mail_flow_config.h"
#include "core/error.h"
#include "reports/connector_names.h"
#include "store/trace_store.h"

namespace mailflow {

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

DateRange bound_date_range(Session& session, const BoundParameters& params, int default_days) {
  DateRangeRequest request = bound_date_request(params);
  request.default_days = default_days;
  // A session without a store (a Lua test host) has the default cap.
  int max_days = session.store ? max_report_days(*session.store) : kDefaultMaxReportDays;
  return resolve_date_range(request, session.today, max_days);
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
    resolve_connector(*session.store, *connector, session.connector_names);
    filter.scope = ConnectorScope::Named;
    filter.connector = *connector;
  } else if (params.flag("NoConnector")) {
    filter.scope = ConnectorScope::None;
  }
  return filter;
}

}  // namespace mailflow
