#include "cmdlets/help_text.h"

#include <algorithm>

#include "shell/format.h"

namespace mailflow {

namespace {

constexpr int kMinWidth = 40;

std::string type_name(const ParamSpec& p) {
  switch (p.type) {
    case ParamType::String: return "String";
    case ParamType::Int: return "Int";
    case ParamType::Double: return "Double";
    case ParamType::Date: return "DateTime";
    case ParamType::Switch: return "";
    case ParamType::StringArray: return "String[]";
    case ParamType::Enum: return "String";
    case ParamType::ScriptBlock: return "ScriptBlock";
    case ParamType::Any: return "Object";
  }
  return "";
}

// What follows the name in the syntax line: <Type>, {A | B}, or nothing.
std::string syntax_value(const ParamSpec& p) {
  if (p.type == ParamType::Switch) return "";
  if (!p.validate_set.empty()) return "{" + join(p.validate_set, " | ") + "}";
  return "<" + type_name(p) + ">";
}

std::string syntax_fragment(const ParamSpec& p) {
  std::string value = syntax_value(p);
  std::string name = p.position >= 0 ? "[-" + p.name + "]" : "-" + p.name;
  std::string core = value.empty() ? name : name + " " + value;
  return p.mandatory ? core : "[" + core + "]";
}

std::vector<const ParamSpec*> syntax_order(const CmdletSpec& cmdlet) {
  std::vector<const ParamSpec*> positional, named;
  for (const ParamSpec& p : cmdlet.parameters) (p.position >= 0 ? positional : named).push_back(&p);
  std::stable_sort(positional.begin(), positional.end(),
                   [](const ParamSpec* a, const ParamSpec* b) { return a->position < b->position; });
  positional.insert(positional.end(), named.begin(), named.end());
  return positional;
}

// Words joined into lines of at most `width` columns; lines after the first
// start with `continuation` spaces.
std::vector<std::string> fill(const std::vector<std::string>& words, int indent, int continuation,
                              int width) {
  std::vector<std::string> lines;
  std::string line;
  for (const std::string& word : words) {
    if (word.empty()) continue;
    if (line.empty()) {
      line = std::string(static_cast<size_t>(lines.empty() ? indent : continuation), ' ') + word;
    } else if (display_width(line) + 1 + display_width(word) <= static_cast<size_t>(width)) {
      line += ' ' + word;
    } else {
      lines.push_back(line);
      line = std::string(static_cast<size_t>(continuation), ' ') + word;
    }
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

void section(std::vector<std::string>& out, const std::string& title) {
  if (!out.empty()) out.push_back("");
  out.push_back(title);
}

void append(std::vector<std::string>& out, const std::vector<std::string>& lines) {
  out.insert(out.end(), lines.begin(), lines.end());
}

std::string number_text(double d) { return Value(d).to_display(); }

std::string default_text(const ParamSpec& p) {
  if (!p.default_help.empty()) return p.default_help;
  if (p.default_value) {
    if (p.default_value->is_string() && p.default_value->as_string().empty()) return "\"\"";
    return p.default_value->to_display();
  }
  return p.type == ParamType::Switch ? "False" : "None";
}

std::vector<std::string> parameter_detail(const ParamSpec& p, int width) {
  std::vector<std::string> out;
  std::string value = p.type == ParamType::Switch ? "" : " <" + type_name(p) + ">";
  out.push_back("    -" + p.name + value);
  if (!p.help.empty()) append(out, wrap_text(p.help, 8, width));
  out.push_back("");
  auto attribute = [&out](const std::string& label, const std::string& text) {
    std::string padded = label;
    padded.resize(29, ' ');
    out.push_back("        " + padded + text);
  };
  attribute("Required?", p.mandatory ? "true" : "false");
  attribute("Position?", p.position >= 0 ? std::to_string(p.position) : "named");
  attribute("Default value", default_text(p));
  attribute("Accept pipeline input?", p.pipeline_input ? "true (ByPropertyName)" : "false");
  if (!p.validate_set.empty()) attribute("Accepted values", join(p.validate_set, ", "));
  if (p.min && p.max) attribute("Valid range", number_text(*p.min) + " to " + number_text(*p.max));
  else if (p.min) attribute("Valid range", "at least " + number_text(*p.min));
  else if (p.max) attribute("Valid range", "at most " + number_text(*p.max));
  if (!p.aliases.empty()) attribute("Aliases", join(p.aliases, ", "));
  return out;
}

void examples_section(std::vector<std::string>& out, const CmdletSpec& cmdlet, int width) {
  section(out, "EXAMPLES");
  if (cmdlet.examples.empty()) {
    out.push_back("    " + cmdlet.name + " declares no examples.");
    return;
  }
  for (size_t i = 0; i < cmdlet.examples.size(); ++i) {
    const Example& e = cmdlet.examples[i];
    if (i) out.push_back("");
    out.push_back("    -------------------------- EXAMPLE " + std::to_string(i + 1) +
                  " --------------------------");
    out.push_back("");
    out.push_back("    mailflow> " + e.command);
    if (!e.explanation.empty()) {
      out.push_back("");
      append(out, wrap_text(e.explanation, 4, width));
    }
  }
}

}  // namespace

std::vector<std::string> wrap_text(const std::string& text, int indent, int width) {
  width = std::max(width, kMinWidth);
  std::vector<std::string> out;
  for (const std::string& paragraph : split(text, '\n')) {
    if (trim(paragraph).empty()) {
      out.push_back("");
      continue;
    }
    append(out, fill(split(paragraph, ' '), indent, indent, width));
  }
  return out;
}

std::string syntax_line(const CmdletSpec& cmdlet) {
  std::string line = cmdlet.name;
  for (const ParamSpec* p : syntax_order(cmdlet)) line += " " + syntax_fragment(*p);
  return line;
}

std::vector<std::string> render_parameter_help(const std::vector<const ParamSpec*>& params,
                                               int width) {
  width = std::max(width, kMinWidth);
  std::vector<std::string> out;
  for (const ParamSpec* p : params) {
    if (!out.empty()) out.push_back("");
    append(out, parameter_detail(*p, width));
  }
  return out;
}

std::vector<std::string> render_help(const CmdletSpec& cmdlet, HelpView view, int width) {
  width = std::max(width, kMinWidth);
  std::vector<std::string> out;
  section(out, "NAME");
  out.push_back("    " + cmdlet.name);
  if (!cmdlet.synopsis.empty()) {
    section(out, "SYNOPSIS");
    append(out, wrap_text(cmdlet.synopsis, 4, width));
  }
  if (view == HelpView::Examples) {
    examples_section(out, cmdlet, width);
    return out;
  }

  section(out, "SYNTAX");
  std::vector<std::string> words = {cmdlet.name};
  for (const ParamSpec* p : syntax_order(cmdlet)) words.push_back(syntax_fragment(*p));
  // Fragments stay whole: a line breaks only between parameters.
  std::string syntax;
  std::vector<std::string> syntax_lines;
  for (const std::string& w : words) {
    if (syntax.empty()) syntax = "    " + w;
    else if (display_width(syntax) + 1 + display_width(w) <= static_cast<size_t>(width)) syntax += " " + w;
    else {
      syntax_lines.push_back(syntax);
      syntax = "        " + w;
    }
  }
  syntax_lines.push_back(syntax);
  append(out, syntax_lines);

  if (!cmdlet.description.empty()) {
    section(out, "DESCRIPTION");
    append(out, wrap_text(cmdlet.description, 4, width));
  }

  section(out, "PARAMETERS");
  if (cmdlet.parameters.empty()) out.push_back("    None.");
  for (size_t i = 0; i < cmdlet.parameters.size(); ++i) {
    const ParamSpec& p = cmdlet.parameters[i];
    if (i) out.push_back("");
    if (view == HelpView::Full) {
      append(out, parameter_detail(p, width));
    } else {
      std::string value = syntax_value(p);
      out.push_back("    -" + p.name + (value.empty() ? "" : " " + value));
      if (!p.help.empty()) append(out, wrap_text(p.help, 8, width));
    }
  }

  section(out, "OUTPUTS");
  if (cmdlet.outputs.empty()) out.push_back("    None.");
  else if (cmdlet.outputs == std::vector<std::string>{"String"})
    out.push_back("    String: lines of text.");
  else
    append(out, wrap_text("Records with the properties " + join(cmdlet.outputs, ", ") + ".", 4, width));

  if (!cmdlet.aliases.empty()) {
    section(out, "ALIASES");
    out.push_back("    " + join(cmdlet.aliases, ", "));
  }

  if (view == HelpView::Full) {
    examples_section(out, cmdlet, width);
    if (cmdlet.source != "builtin") {
      section(out, "NOTES");
      append(out, wrap_text("Registered by " + cmdlet.source + ".", 4, width));
    }
    return out;
  }
  section(out, "REMARKS");
  out.push_back("    To see the examples, type: \"Get-Help " + cmdlet.name + " -Examples\".");
  out.push_back("    For more information, type: \"Get-Help " + cmdlet.name + " -Full\".");
  return out;
}

std::vector<std::string> render_help_overview(const Registry& registry, int width, bool unicode) {
  width = std::max(width, kMinWidth);
  std::vector<std::string> out;
  section(out, "MAILFLOW");
  append(out, wrap_text("mailflow runs PowerShell-style cmdlets over the message traces kept in its "
                        "store: pipelines such as Get-TlsUsage -Direction Inbound | Format-Table, "
                        "or the same cmdlets from Lua as GetTlsUsage{ Direction = \"Inbound\" }.",
                        4, width));
  section(out, "USING HELP");
  const std::vector<std::pair<std::string, std::string>> usage = {
      {"Get-Help NAME", "help for a cmdlet or alias"},
      {"Get-Help NAME -Full", "every parameter in detail, and examples"},
      {"Get-Help NAME -Examples", "the examples only"},
      {"Get-Help NAME -Parameter P", "one parameter (wildcards allowed)"},
      {"Get-Help about_TOPIC", "a concept explained"},
      {"Get-Command [PATTERN]", "the cmdlets, e.g. Get-Command *Connector*"},
  };
  for (const auto& [command, what] : usage) {
    std::string line = "    " + command;
    line.resize(34, ' ');
    out.push_back(line + what);
  }
  if (!registry.topics().empty()) {
    section(out, "TOPICS");
    std::vector<std::string> names;
    for (const auto& [name, text] : registry.topics()) names.push_back(name);
    append(out, fill(split(join(names, ", "), ' '), 4, 4, width));
  }
  section(out, "CMDLETS");
  std::vector<Value> rows;
  for (const CmdletSpec* c : registry.all())
    rows.push_back(make_record({"Name", "Aliases", "Synopsis"},
                               {Value(c->name), Value(join(c->aliases, ", ")), Value(c->synopsis)}));
  TableOptions table;
  table.max_width = width - 4;
  table.unicode = unicode;
  for (const std::string& line : format_table(rows, table)) out.push_back("    " + line);
  return out;
}

}  // namespace mailflow
