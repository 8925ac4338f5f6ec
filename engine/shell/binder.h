// Parameter binding as PowerShell does it, driven only by CmdletSpec
// metadata: case-insensitive names, unique-prefix abbreviation, aliases,
// positional values, switches, arrays, type conversion, ValidateSet,
// ValidateRange, mandatory parameters and defaults. Pipeline text and Lua
// tables (bind_named in shell.h) go through the same conversion and checks,
// so they fail with the same messages.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "host/cmdlet.h"
#include "shell/parser.h"

namespace mailflow {

// Resolves `$name` used as a value (nullopt when the variable is not set).
using VariableLookup = std::function<std::optional<Value>(const std::string& name)>;

// Variables of the session's Lua runtime (a one-element array is its element);
// finds nothing when Lua is not running.
VariableLookup session_variables(Session& session);

struct Binding {
  BoundParameters params;
  // Where each bound parameter's value came from in the line (canonical name
  // to the argument's value); lets the runner place script-block errors.
  std::map<std::string, const ArgValue*, ILess> sources;
};

// Binds one stage's arguments. `has_pipeline_input`: a mandatory parameter
// that takes pipeline input is satisfied by the upstream stage.
Binding bind_arguments(const CmdletSpec& cmdlet, const std::vector<Argument>& args,
                       bool has_pipeline_input, const VariableLookup& variables);

// The parameter `name` designates: exact name or alias first, then a unique
// prefix of names and aliases. Throws the PowerShell errors for unknown and
// ambiguous names (column 0: callers attach theirs).
const ParamSpec& resolve_parameter(const CmdletSpec& cmdlet, std::string_view name);

// Converts and validates one value for `param` (type, ValidateSet with
// canonical casing, ValidateRange). Throws Error("ParameterBindingFailed").
Value convert_argument(const ParamSpec& param, const Value& value);

// A PowerShell number literal: 42, -7, 1.5, 1e3, 0x1F, 10KB/MB/GB/TB.
std::optional<Value> parse_number(std::string_view text);

// "Int", "String[]", ...: the type names used in messages and help.
std::string param_type_name(ParamType type);

}  // namespace mailflow
