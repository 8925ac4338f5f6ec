#include "cmdlets/session_store.h"

#include <filesystem>

#include "core/time.h"
#include "store/store_overview.h"
#include "store/trace_store.h"

namespace mailflow {

std::string store_file_name(const Session& session) {
  if (!session.store) return "";
  return std::filesystem::path(session.store->path()).filename().string();
}

std::vector<std::string> store_connector_names(Session& session) {
  if (!session.store) return {};
  return known_connector_names(*session.store);
}

std::string store_contents_summary(Session& session) {
  TraceSpan span = trace_span(*session.store);
  if (span.traces == 0) return "no traces yet (Import-MessageTrace -Path FILE)";
  return std::to_string(span.traces) + (span.traces == 1 ? " trace" : " traces") + ", " +
         format_date(day_of(*span.first)) + " to " + format_date(day_of(*span.last));
}

void interrupt_store(Session& session) {
  if (session.store) session.store->db().interrupt();
}

}  // namespace mailflow
