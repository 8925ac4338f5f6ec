#include "store/report_totals.h"

namespace mailflow {

ReportTotalsStore::ReportTotalsStore(TraceStore& store) : store_(store) {}  // table: migration 7

bool ReportTotalsStore::remember(std::int64_t fingerprint, DayNumber day, std::optional<std::int64_t> file_id) {
  StatementUse s(store_.db().cached(
      "report_totals.remember",
      "INSERT OR IGNORE INTO imported_report_totals(fingerprint, day, file_id) VALUES(?1, ?2, ?3)"));
  s->bind(1, fingerprint).bind(2, static_cast<std::int64_t>(day));
  if (file_id) s->bind(3, *file_id);
  else s->bind_null(3);
  s->step();
  return store_.db().changes() > 0;
}

std::vector<DayNumber> ReportTotalsStore::days_with_totals(TraceStore& store, DayNumber first, DayNumber last) {
  std::vector<DayNumber> days;
  StatementUse s(store.db().cached(
      "report_totals.days",
      "SELECT DISTINCT day FROM imported_report_totals WHERE day >= ?1 AND day <= ?2 ORDER BY day"));
  s->bind(1, static_cast<std::int64_t>(first)).bind(2, static_cast<std::int64_t>(last));
  while (s->step()) days.push_back(static_cast<DayNumber>(s->column_int(0)));
  return days;
}

}  // namespace mailflow
