// Parameters every report cmdlet shares (date range, direction, connector
// selection): declared once here, read back into a ReportFilter here.
#pragma once

#include <vector>

#include "cmdlets/cmdlet.h"
#include "cmdlets/session.h"
#include "core/date_range.h"
#include "reports/report_filter.h"

namespace mailflow {

// -StartDate, -EndDate, -Days.
std::vector<ParamSpec> date_range_parameters();
// -Direction Inbound|Outbound.
ParamSpec direction_parameter();
// -Connector NAME, -NoConnector.
std::vector<ParamSpec> connector_parameters();

// The range asked for, checked against MaxReportDays. Throws
// Error("InvalidDateRange") or Error("InvalidDate") naming the parameter.
DateRange bound_date_range(Session& session, const BoundParameters& params);

// Range, direction and connector scope; -Connector must name a known
// connector (Error "UnknownConnector" lists them), and -Connector with
// -NoConnector is an error.
ReportFilter bound_report_filter(Session& session, const BoundParameters& params);

}  // namespace mailflow
