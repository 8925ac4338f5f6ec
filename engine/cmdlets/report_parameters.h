// Parameters every report cmdlet shares (date range, direction, connector
// selection): declared once here, read back into a ReportFilter here.
#pragma once

#include <vector>

#include "host/cmdlet.h"
#include "host/session.h"
#include "core/date_range.h"
#include "reports/report_filter.h"

namespace mailflow {

// -StartDate, -EndDate, -Days.
std::vector<ParamSpec> date_range_parameters();
// -Direction Inbound|Outbound.
ParamSpec direction_parameter();
// -Connector NAME, -NoConnector.
std::vector<ParamSpec> connector_parameters();
// The date range, -Direction and the connector selection, in that order:
// the parameters Get-ConnectorReport, Get-TlsUsage and Get-MessageTrace open with.
std::vector<ParamSpec> report_scope_parameters();

// -StartDate, -EndDate and -Days as given, not yet resolved. Throws
// Error("InvalidDate") / Error("InvalidDateRange") for a value that is not a
// date or a whole number of days.
DateRangeRequest bound_date_request(const BoundParameters& params);

// The range asked for, checked against MaxReportDays. Throws
// Error("InvalidDateRange") or Error("InvalidDate") naming the parameter.
DateRange bound_date_range(Session& session, const BoundParameters& params);

// Range, direction and connector scope; -Connector must name a known
// connector (Error "UnknownConnector" lists them), and -Connector with
// -NoConnector is an error.
ReportFilter bound_report_filter(Session& session, const BoundParameters& params);

}  // namespace mailflow
