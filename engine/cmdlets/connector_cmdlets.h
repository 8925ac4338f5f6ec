// The connector cmdlet family (connector_cmdlets.cpp) and the commands that
// act on stored log traces: Update-ConnectorAttribution, Get-RefusedConnection.
#pragma once

#include <vector>

#include "host/cmdlet.h"

namespace mailflow {

// New-, Get-, Set-, Remove- of InboundConnector and OutboundConnector.
std::vector<CmdletSpec> connector_cmdlets();
// The text of `Get-Help about_Connectors`: the attribution order.
const char* connectors_help_topic();

CmdletSpec update_connector_attribution_cmdlet();
CmdletSpec get_refused_connection_cmdlet();

}  // namespace mailflow
