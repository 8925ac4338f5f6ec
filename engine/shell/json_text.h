// JSON text for ConvertTo-Json: what scripts parse, so it is exact: integers
// stay integers, doubles print in their shortest round-trip form, dates are
// ISO-8601 strings, nil is null, and strings are valid UTF-8 with every
// control character escaped.
#pragma once

#include <string>
#include <string_view>

#include "core/value.h"

namespace mailflow {

// The shortest text that reads back as exactly `d` ("0.35", "1e+21");
// NaN and infinities, which JSON cannot express, are "null".
std::string json_number(double d);

// `text` as a quoted JSON string. Bytes that are not valid UTF-8 become
// U+FFFD, so the output is always valid JSON.
std::string json_string(std::string_view text);

// `value` as JSON. Records and arrays nested deeper than `depth` levels below
// `value` are written as their display text, as PowerShell's -Depth does.
// Pretty text uses two spaces per level, starting at `indent` levels (the
// first line is not indented), with no trailing newline; compact text has no
// whitespace at all.
std::string to_json(const Value& value, int depth, bool pretty, int indent = 0);

}  // namespace mailflow
