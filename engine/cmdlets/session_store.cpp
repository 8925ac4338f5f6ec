#include "cmdlets/session_store.h"

#include <filesystem>

#include "core/time.h"
#include "locale/messages.h"
#include "reports/connector_names.h"
#include "store/store_overview.h"
#include "store/trace_store.h"

namespace mailflow {

std::string store_file_name(const Session& session) {
  if (!session.store) return "";
  return std::filesystem::path(session.store->path()).filename().string();
}

std::vector<std::string> store_connector_names(Session& session) {
  if (!session.store) return {};
  return known_connectors(*session.store);
}

std::string store_contents_summary(Session& session) {
  TraceSpan span = trace_span(*session.store);
  if (span.traces == 0) return _("no traces yet (Import-MessageTrace -Path FILE)");
  const Culture& culture = current_culture();
  return format_message(_n("%1$s trace, %2$s to %3$s", "%1$s traces, %2$s to %3$s", span.traces),
                        {culture.count(span.traces), culture.date(day_of(*span.first)),
                         culture.date(day_of(*span.last))});
}

void interrupt_store(Session& session) {
  if (session.store) session.store->db().interrupt();
}

}  // namespace mailflow
