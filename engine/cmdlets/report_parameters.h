// The shared parameter sets (host/parameters.h: range, direction, connector
// selection) read back into a DateRange or a ReportFilter.
#pragma once

#include <vector>

#include "host/cmdlet.h"
#include "host/parameters.h"
#include "host/session.h"
#include "core/date_range.h"
#include "reports/report_filter.h"

namespace mailflow {

// -StartDate, -EndDate and -Days as given, not yet resolved. Throws
// Error("InvalidDate") / Error("InvalidDateRange") for a value that is not a
// date or a whole number of days.
DateRangeRequest bound_date_request(const BoundParameters& params);

// The range asked for (ParameterSet::Range), checked against MaxReportDays;
// `default_days` ending today when none is given. Throws
// Error("InvalidDateRange") or Error("InvalidDate") naming the parameter.
DateRange bound_date_range(Session& session, const BoundParameters& params,
                           int default_days = kDefaultReportDays);

// Range, direction and connector scope (the three shared sets); -Connector must name a known
// connector (Error "UnknownConnector" lists them), and -Connector with
// -NoConnector is an error.
ReportFilter bound_report_filter(Session& session, const BoundParameters& params);

}  // namespace mailflow
