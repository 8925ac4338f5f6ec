// Text for HTML and SVG: escaping of untrusted strings (connector names and
// hosts come from logs that anyone on the Internet can write into) and the
// number formats the dashboard shows.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mailflow {

// Escapes & < > " ' so that the text is safe both as element content and
// inside a double- or single-quoted attribute. Bytes that are not valid
// UTF-8 become U+FFFD and control characters other than tab and newline are
// dropped, so that the page stays valid HTML whatever a log contained.
std::string html_escape(std::string_view text);

// "64.00": the two decimals of the report cmdlets' Percent.
std::string format_percent(double value);
// Plain integer; counts are shown without separators so that what the page
// shows is exactly what the cmdlets returned.
std::string format_count(std::int64_t value);
// For SVG coordinates: at most two decimals, no trailing zeros.
std::string format_coord(double value);

}  // namespace mailflow
