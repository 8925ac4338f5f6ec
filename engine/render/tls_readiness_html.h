// The dashboard's "TLS readiness" section (issue #15): peers still on TLS
// 1.1, 1.0 or plain text with their volumes, what requiring TLS 1.2 would
// break, failed handshakes per day, SMTP AUTH clients on old TLS, and the
// outbound certificate trust. A pure function of the typed report rows
// (DashboardInput), in the current culture.
#pragma once

#include <string>

#include "render/dashboard_data.h"

namespace mailflow {

std::string tls_readiness_section(const DashboardInput& in);

}  // namespace mailflow
