// Help pages generated from cmdlet metadata (CmdletSpec) and help topics: the
// only source of Get-Help's text, so help cannot drift from what the binder
// accepts. Each function returns lines to print, no trailing newlines.
#pragma once

#include <string>
#include <vector>

#include "host/cmdlet.h"

namespace mailflow {

enum class HelpView { Default, Full, Examples };

// The syntax line as PowerShell writes it:
//   Export-Csv [-Path] <String> [-Force] [-UseQuotes {AsNeeded | Always}]
// positional parameters first (by position), then the others as declared.
std::string syntax_line(const CmdletSpec& cmdlet);

// Default: name, synopsis, syntax, description, parameters (one line of help
// each), outputs, aliases, remarks. Full: parameters in detail (type,
// required, position, default, accepted values, range, pipeline input,
// aliases) and the examples. Examples: name, synopsis and examples.
// Text is wrapped to `width` columns.
std::vector<std::string> render_help(const CmdletSpec& cmdlet, HelpView view, int width);

// The detailed block of each of `params` (Get-Help NAME -Parameter P).
std::vector<std::string> render_parameter_help(const std::vector<const ParamSpec*>& params,
                                               int width);

// Get-Help without a name: how to get help, the topics, and every cmdlet
// with its synopsis.
std::vector<std::string> render_help_overview(const Registry& registry, int width, bool unicode);

// `text` wrapped to `width` columns, every line prefixed by `indent` spaces;
// explicit line breaks in `text` are kept.
std::vector<std::string> wrap_text(const std::string& text, int indent, int width);

}  // namespace mailflow
