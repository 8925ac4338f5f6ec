#include "core/date_range.h"

#include <string>

#include "core/error.h"

namespace mailflow {

namespace {

[[noreturn]] void refuse(const std::string& message) { throw Error("InvalidDateRange", message); }

}  // namespace

DateRange resolve_date_range(const DateRangeRequest& request, DayNumber today, int max_days) {
  if (request.days) {
    if (*request.days < 1)
      refuse("-Days " + std::to_string(*request.days) + " is not a number of days (give 1 or more)");
    if (request.start && request.end)
      refuse("-Days cannot be combined with both -StartDate and -EndDate; give two of the three");
    // Checked before the arithmetic below so that a huge -Days cannot overflow.
    if (*request.days > max_days)
      refuse("-Days " + std::to_string(*request.days) + " is longer than the " +
             std::to_string(max_days) +
             "-day maximum (MaxReportDays; change it with Set-MailFlowConfig -MaxReportDays N)");
  }
  DateRange range;
  if (request.days) {
    int n = static_cast<int>(*request.days);
    if (request.start) {
      range.first = day_of(*request.start);
      range.last = range.first + n - 1;
    } else {
      range.last = request.end ? day_of(*request.end) : today;
      range.first = range.last - n + 1;
    }
  } else {
    range.last = request.end ? day_of(*request.end) : today;
    range.first = request.start ? day_of(*request.start) : range.last - (request.default_days - 1);
  }
  if (range.first > range.last)
    refuse("-StartDate " + format_date(range.first) + " is after " +
           (request.end ? "-EndDate " + format_date(range.last)
                        : "today (" + format_date(range.last) + ")"));
  if (range.days() > max_days)
    refuse("the range " + format_date(range.first) + " to " + format_date(range.last) + " is " +
           std::to_string(range.days()) + " days, longer than the " + std::to_string(max_days) +
           "-day maximum (MaxReportDays; change it with Set-MailFlowConfig -MaxReportDays N)");
  return range;
}

}  // namespace mailflow
