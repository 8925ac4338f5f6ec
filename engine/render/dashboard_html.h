// The self-contained HTML dashboard of Export-MailFlowReport: Microsoft 365's
// "Outbound and inbound mail flow" widget and its flyouts over the records of
// the report cmdlets. One file: inline CSS and SVG, no script, no external
// font, image or request (a Content-Security-Policy says so to the browser).
#pragma once

#include <cstdint>
#include <string>

#include "render/dashboard_data.h"

namespace mailflow {

// A pure function of its input: the same records give the same bytes.
// Throws Error("InvalidReportData") when a record breaks the SPEC 5 contract.
std::string render_dashboard_html(const DashboardInput& input);

// The colour of a TLS version, strongest (green) to weakest (red), and of
// the n-th connector of the Mail Flow view.
std::string tls_colour(const std::string& tls_version);
std::string connector_colour(size_t index, bool no_connector);

// "12 messages without TLS information", in the current culture: the note for
// the TLS version Unknown (the source did not record it; never plain text).
std::string unknown_tls_note(std::int64_t messages);

}  // namespace mailflow
