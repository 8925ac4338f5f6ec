#include "store/report_totals.h"

namespace mailflow {

ReportTotalsStore::ReportTotalsStore(TraceStore& store) : store_(store) {
  store_.db().exec(
      "CREATE TABLE IF NOT EXISTS imported_report_totals("
      " fingerprint INTEGER PRIMARY KEY,"
      " file_id     INTEGER REFERENCES imported_files(id)"
      ");");
}

bool ReportTotalsStore::remember(std::int64_t fingerprint, std::optional<std::int64_t> file_id) {
  StatementUse s(store_.db().cached(
      "report_totals.remember", "INSERT OR IGNORE INTO imported_report_totals(fingerprint, file_id) VALUES(?1, ?2)"));
  s->bind(1, fingerprint);
  if (file_id) s->bind(2, *file_id);
  else s->bind_null(2);
  s->step();
  return store_.db().changes() > 0;
}

}  // namespace mailflow
