// Get-Help and Get-Command: the cmdlet surface described from the registry,
// which holds every cmdlet's declaration (built-in and Lua-registered).
#include <algorithm>
#include <cstdlib>

#include "host/cmdlet.h"
#include "cmdlets/help_text.h"
#include "host/session.h"
#include "core/error.h"
#include "core/terminal.h"
#include "shell/format.h"
#include "host/parameters.h"

namespace mailflow {

namespace {

bool terminal_is_utf8() {
  return locale_is_utf8([](const char* name) { return std::getenv(name); });
}

std::unique_ptr<RecordStream> lines_stream(const std::vector<std::string>& lines) {
  std::vector<Value> out;
  out.reserve(lines.size());
  for (const std::string& line : lines) out.emplace_back(line);
  return std::make_unique<VectorStream>(std::move(out));
}

const Registry& registry_of(Session& session, const char* cmdlet) {
  if (!session.registry)
    throw Error("NoRegistry", std::string(cmdlet) + ": no cmdlet registry in this session");
  return *session.registry;
}

std::vector<std::string> parameter_names(const CmdletSpec& cmdlet) {
  std::vector<std::string> names;
  for (const ParamSpec& p : cmdlet.parameters) names.push_back(p.name);
  return names;
}

// -Parameter P: a name or alias, a wildcard pattern, or a unique prefix (as
// the binder accepts).
std::vector<const ParamSpec*> find_parameters(const CmdletSpec& cmdlet, const std::string& wanted) {
  std::vector<const ParamSpec*> found;
  std::string name = wanted.starts_with("-") ? wanted.substr(1) : wanted;
  for (const ParamSpec& p : cmdlet.parameters) {
    bool alias = std::any_of(p.aliases.begin(), p.aliases.end(),
                             [&](const std::string& a) { return iequals(a, name); });
    if (iequals(p.name, name) || alias) return {&p};
  }
  if (has_wildcard(name)) {
    for (const ParamSpec& p : cmdlet.parameters)
      if (wildcard_match(name, p.name)) found.push_back(&p);
  } else {
    for (const ParamSpec& p : cmdlet.parameters)
      if (istarts_with(p.name, name)) found.push_back(&p);
    if (found.size() > 1) {
      std::vector<std::string> names;
      for (const ParamSpec* p : found) names.push_back(p->name);
      throw Error("AmbiguousParameter", "Get-Help: -Parameter '" + wanted + "' of " + cmdlet.name +
                                            " is ambiguous: " + join(names, ", "));
    }
  }
  if (found.empty()) {
    std::string known = cmdlet.parameters.empty() ? "it has none"
                                                   : "its parameters: " + join(parameter_names(cmdlet), ", ");
    throw Error("ParameterNotFound",
                "Get-Help: " + cmdlet.name + " has no parameter '" + wanted + "' (" + known + ")");
  }
  return found;
}

std::vector<std::string> topic_lines(const std::string& name, const std::string& text) {
  std::vector<std::string> out = {"TOPIC", "    " + name, ""};
  for (std::string line : split(text, '\n')) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  while (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

std::string topic_list(const Registry& registry) {
  std::vector<std::string> names;
  for (const auto& [name, text] : registry.topics()) names.push_back(name);
  return names.empty() ? "there are none" : "topics: " + join(names, ", ");
}

// Get-Help with a wildcard: the matching cmdlets and topics as a table.
std::vector<std::string> help_matches(const Registry& registry, const std::string& pattern,
                                      int width) {
  std::vector<Value> rows;
  for (const CmdletSpec* c : registry.all())
    if (wildcard_match(pattern, c->name))
      rows.push_back(make_record({"Name", "Category", "Synopsis"},
                                 {Value(c->name), Value("Cmdlet"), Value(c->synopsis)}));
  for (const auto& [name, text] : registry.topics())
    if (wildcard_match(pattern, name))
      rows.push_back(make_record({"Name", "Category", "Synopsis"},
                                 {Value(name), Value("HelpFile"), Value(split(text, '\n')[0])}));
  if (rows.empty())
    throw Error("HelpNotFound", "Get-Help: no cmdlet or help topic matches '" + pattern + "'");
  TableOptions table;
  table.max_width = width;
  table.unicode = terminal_is_utf8();
  return format_table(rows, table);
}

std::unique_ptr<RecordStream> get_help(Session& session, const BoundParameters& params,
                                       std::unique_ptr<RecordStream>) {
  const Registry& registry = registry_of(session, "Get-Help");
  const int width = session.terminal_width;
  const std::string name = params.string("Name").value_or("");
  const bool full = params.flag("Full"), examples = params.flag("Examples");
  const std::optional<std::string> parameter = params.string("Parameter");
  if (full + examples + parameter.has_value() > 1)
    throw Error("ParameterConflict", "Get-Help: use only one of -Full, -Examples and -Parameter");

  if (name.empty()) {
    if (full || examples || parameter)
      throw Error("ParameterConflict", "Get-Help: -Full, -Examples and -Parameter need a cmdlet name");
    return lines_stream(render_help_overview(registry, width, terminal_is_utf8()));
  }
  if (has_wildcard(name)) return lines_stream(help_matches(registry, name, width));

  if (const CmdletSpec* declared = registry.find(name)) {
    std::shared_ptr<const CmdletSpec> cmdlet = with_dynamic_parameters(*declared, session);
    if (parameter) return lines_stream(render_parameter_help(find_parameters(*cmdlet, *parameter), width));
    HelpView view = full ? HelpView::Full : examples ? HelpView::Examples : HelpView::Default;
    return lines_stream(render_help(*cmdlet, view, width));
  }
  auto topic = registry.topics().find(name);
  if (topic == registry.topics().end() && !istarts_with(name, "about_"))
    topic = registry.topics().find("about_" + name);
  if (topic != registry.topics().end()) return lines_stream(topic_lines(topic->first, topic->second));
  if (istarts_with(name, "about_"))
    throw Error("HelpNotFound", "Get-Help: no help topic '" + name + "' (" + topic_list(registry) + ")");

  std::vector<std::string> similar;
  for (const CmdletSpec* c : registry.all())
    if (to_lower(c->name).find(to_lower(name)) != std::string::npos) similar.push_back(c->name);
  throw Error("HelpNotFound", "Get-Help: no cmdlet, alias or help topic named '" + name + "'" +
                                  (similar.empty() ? "; Get-Command lists the cmdlets"
                                                   : "; did you mean " + join(similar, ", ") + "?"));
}

std::unique_ptr<RecordStream> get_command(Session& session, const BoundParameters& params,
                                          std::unique_ptr<RecordStream>) {
  const Registry& registry = registry_of(session, "Get-Command");
  // Each takes a list, as in PowerShell: a name matches when any pattern does.
  const std::vector<std::string> names = params.strings("Name");
  const std::vector<std::string> verbs = params.strings("Verb");
  const std::vector<std::string> nouns = params.strings("Noun");
  auto matches = [](const std::vector<std::string>& patterns, const std::string& text) {
    return patterns.empty() || std::any_of(patterns.begin(), patterns.end(),
                                           [&](const std::string& p) { return wildcard_match(p, text); });
  };
  const std::vector<std::string> columns = {"CommandType", "Name", "Source", "Definition"};
  std::vector<Value> out;
  for (const CmdletSpec* c : registry.all()) {
    auto dash = c->name.find('-');
    std::string v = dash == std::string::npos ? c->name : c->name.substr(0, dash);
    std::string n = dash == std::string::npos ? "" : c->name.substr(dash + 1);
    if (matches(names, c->name) && matches(verbs, v) && matches(nouns, n))
      out.push_back(make_record(columns, {Value("Cmdlet"), Value(c->name), Value(c->source),
                                          Value(syntax_line(*with_dynamic_parameters(*c, session)))}));
  }
  // Aliases are listed when asked for by name, as `Get-Command ft` does.
  if (!names.empty() && verbs.empty() && nouns.empty()) {
    std::vector<Value> aliases;
    for (const CmdletSpec* c : registry.all())
      for (const std::string& alias : c->aliases)
        if (matches(names, alias))
          aliases.push_back(make_record(columns, {Value("Alias"), Value(alias), Value(c->source),
                                                  Value(c->name)}));
    std::sort(aliases.begin(), aliases.end(), [](const Value& a, const Value& b) {
      return icompare(a.as_record().value(1).as_string(), b.as_record().value(1).as_string()) < 0;
    });
    out.insert(out.end(), aliases.begin(), aliases.end());
  }
  // A plain name that matches nothing is an error, as in PowerShell.
  for (const std::string& name : names) {
    if (has_wildcard(name)) continue;
    auto named = [&](const Value& v) { return iequals(v.as_record().value(1).as_string(), name); };
    if (std::none_of(out.begin(), out.end(), named))
      throw Error("CommandNotFound", "Get-Command: no cmdlet or alias named '" + name + "'");
  }
  return std::make_unique<VectorStream>(std::move(out));
}

}  // namespace

CmdletSpec get_help_cmdlet() {
  CmdletSpec spec;
  spec.name = "Get-Help";
  spec.aliases = {"help"};
  spec.synopsis = "Shows help for a cmdlet, an alias or a topic, generated from the cmdlet's declaration.";
  spec.description =
      "Without a name: how to use help, the topics and every cmdlet with its synopsis. With a "
      "cmdlet or alias: its synopsis, syntax, description, parameters, outputs and aliases; "
      "-Full adds each parameter's type, position, default, accepted values and range, and the "
      "examples; -Examples shows only the examples; -Parameter shows one parameter (a name, "
      "unique prefix or wildcard). about_ names show a topic (the about_ may be left out). A "
      "name with wildcards lists the matching cmdlets and topics. Cmdlets registered from Lua "
      "are described the same way.";
  spec.parameters = declare_parameters({
      Param::String("Name", "a cmdlet, alias or about_ topic; wildcards list matches")
          .position(0)
          .completion(Completion::Cmdlet),
      Param::Switch("Full", "every parameter in detail, and the examples"),
      Param::Switch("Examples", "only the examples"),
      Param::String("Parameter", "show only this parameter (name, unique prefix or wildcard)"),
  });
  spec.outputs = {"String"};
  spec.examples = {
      {"Get-Help Get-TlsUsage", "What Get-TlsUsage reports and the parameters it takes."},
      {"Get-Help Get-MessageTrace -Parameter *Domain",
       "The details of -SenderDomain and -RecipientDomain."},
      {"Get-Help about_Connectors", "How traffic is attributed to connectors."},
      {"help *Connector*", "Every cmdlet and topic about connectors."},
  };
  spec.run = get_help;
  return spec;
}

CmdletSpec get_command_cmdlet() {
  CmdletSpec spec;
  spec.name = "Get-Command";
  spec.aliases = {"gcm"};
  spec.synopsis = "Lists the cmdlets (and, by name, aliases) this host knows.";
  spec.description =
      "One record per cmdlet, sorted by name: CommandType (Cmdlet), Name, Source (builtin, or "
      "the Lua file that registered it) and Definition (the syntax line). With a name or "
      "wildcard pattern, matching aliases follow as CommandType Alias with the cmdlet they "
      "stand for as Definition. -Verb and -Noun match the parts of a cmdlet's name. A name "
      "without wildcards that matches nothing is an error.";
  spec.parameters = declare_parameters({
      Param::Strings("Name", "cmdlet or alias names; wildcards allowed").position(0).completion(Completion::Cmdlet),
      Param::Strings("Verb", "the parts before the dash (Get, Set, ...); wildcards allowed"),
      Param::Strings("Noun", "the parts after the dash; wildcards allowed"),
  });
  spec.outputs = {"CommandType", "Name", "Source", "Definition"};
  spec.examples = {
      {"Get-Command", "Every cmdlet."},
      {"Get-Command *Connector*", "The connector cmdlets, and aliases containing Connector."},
      {"Get-Command -Verb Get -Noun *Tls*", "Cmdlets that read TLS data."},
      {"gcm ft", "Shows that ft is an alias of Format-Table."},
  };
  spec.run = get_command;
  return spec;
}

}  // namespace mailflow
