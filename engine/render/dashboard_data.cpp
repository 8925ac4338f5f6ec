#include "render/dashboard_data.h"

#include "locale/messages.h"

namespace mailflow {

std::string connector_label(const std::optional<std::string>& connector) {
  // TRANSLATORS: the connector of traffic that used none, as the reports show it.
  return connector ? *connector : _("(none)");
}

}  // namespace mailflow
