// Calculated properties, as PowerShell writes them in Select-Object:
//
//   Get-TlsUsage | Select-Object Connector, @{Name='Plain'; Expression={ $_.Percent }}
//   Get-MessageTrace | select SenderAddress, @{n='KB'; e={ $_.Size / 1KB }}
//
// The binder reads the hashtable into a record (calculated_property_value)
// so that it travels in the parameter's array beside the plain names; the
// cmdlet compiles it (compile_calculated_property) with the session's
// variables. Keys: Name (N, Label, L) and Expression (E), any unique prefix,
// case-insensitive; the expression is a script block (any value expression
// of shell/expression.h) or a property name.
#pragma once

#include <string>
#include <string_view>

#include "core/value.h"
#include "shell/binder.h"
#include "shell/expression.h"

namespace mailflow {

// The body of @{ ... } (the text between the braces) as the record a
// calculated property travels in. `column_offset` is the column of the
// body's first character minus one. Throws Error("ParseError") with the
// column of the fault: an entry that is not `Key = value`, an unknown or
// repeated key, no Expression.
Value calculated_property_value(std::string_view body, int column_offset);

// True for a record made by calculated_property_value.
bool is_calculated_property(const Value& v);

struct CalculatedProperty {
  std::string name;
  Expression expression;
};

CalculatedProperty compile_calculated_property(const Value& v, const VariableLookup& variables);

}  // namespace mailflow
