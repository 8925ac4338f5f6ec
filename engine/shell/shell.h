// The shell's entry points, used by the front ends (CLI, REPL) and by the Lua
// bindings. The shell parses pipeline text, binds parameters from cmdlet
// metadata and runs the cmdlets lazily.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "host/cmdlet.h"
#include "core/error.h"

namespace mailflow {

struct NamedArgument {
  std::string name;  // as the caller spelt it (may be a unique prefix)
  Value value;
};

// Binds named values (from a Lua table, `VerbNoun{...}`) with exactly the
// rules and error messages of pipeline syntax. Throws mailflow::Error.
BoundParameters bind_named(const CmdletSpec& cmdlet, const std::vector<NamedArgument>& args);

// Runs pipeline text and returns what its last stage emitted (formatters
// emit lines as strings). Throws mailflow::Error with the column of the fault.
std::vector<Value> invoke_pipeline(Session& session, std::string_view text);

// Runs one line as the user typed it (pipeline or `$x = ...`), printing the
// result to `out`: a pipeline that ends without a formatter prints a table.
// An Error it throws already reads as PowerShell prints it (format_error_at):
// the message, `At line:1 char:N`, the line and a caret under the fault.
void run_line(Session& session, std::string_view text, std::ostream& out);

// The message of `error`, then (when it has a column) `At line:1 char:N`, the
// line and a caret under the bad token, each line prefixed "+ " as
// PowerShell does.
std::string format_error_at(const Error& error, std::string_view line);

// True when the first word of `line` is a cmdlet or alias, or the line is a
// `$variable` form: such a line is a pipeline, anything else is Lua (SPEC 7).
bool is_pipeline_line(const Registry& registry, std::string_view line);

}  // namespace mailflow
