// A cmdlet is declared once: this description is what binding, validation,
// Get-Help, Get-Command and Tab completion read. Nothing about a parameter is
// listed anywhere else.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/record_stream.h"
#include "core/text.h"
#include "core/value.h"

namespace mailflow {

struct Session;

enum class ParamType {
  String,
  Int,
  Double,
  Date,         // bound as Value::DateTime (UTC); accepts YYYY-MM-DD or ISO-8601
  Switch,       // bound as Value::Bool
  StringArray,  // bound as Value::Array of strings
  Enum,         // a String restricted to validate_set (canonical casing)
  ScriptBlock,  // the text between braces, bound as a String
  Any,          // any value (pipeline objects, -Value of Where-Object, ...)
};

// What Tab completion offers for a parameter's value. Completion switches on
// this, never on the cmdlet's name.
enum class Completion { None, Connector, TlsVersion, Path, Date, Cmdlet, Property, Rule };

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::String;
  std::string help;
  bool mandatory = false;
  int position = -1;            // >= 0: may be given positionally
  bool pipeline_input = false;  // bound from pipeline records (ByPropertyName)
  std::optional<Value> default_value;
  // What Get-Help shows as the default when the value in force comes from
  // elsewhere and so is not a default_value the binder fills in (a rule
  // threshold: the stored setting, else the rule's default).
  std::string default_help;
  std::vector<std::string> validate_set;  // allowed values (case-insensitive)
  std::optional<double> min;              // ValidateRange
  std::optional<double> max;
  Completion completion = Completion::None;
  std::vector<std::string> aliases;
  // StringArray only: items may also be calculated properties written
  // @{Name=...; Expression={...}} (shell/calculated_property.h).
  bool calculated = false;
};

struct Example {
  std::string command;      // e.g. "Get-TlsUsage -Direction Inbound"
  std::string explanation;  // one or two sentences
};

// The parameters a cmdlet received after binding and validation: canonical
// names (as declared) to values of the declared type; defaults filled in.
class BoundParameters {
 public:
  bool has(std::string_view name) const { return values_.find(name) != values_.end(); }
  const Value* find(std::string_view name) const {
    auto it = values_.find(name);
    return it == values_.end() ? nullptr : &it->second;
  }
  void set(const std::string& name, Value v) { values_[name] = std::move(v); }

  // Parameters set by pushdown from a Where-Object that followed the cmdlet
  // (shell/pushdown.h): a paged cmdlet applies them within the page, so that
  // the result is what the Where-Object would have kept.
  void set_pushed(const std::string& name, Value v) {
    set(name, std::move(v));
    pushed_.insert(name);
  }
  bool pushed(std::string_view name) const { return pushed_.find(name) != pushed_.end(); }

  // A script block parameter written in pipeline text: the column of its
  // first character minus one, so that errors in it point into the line.
  void set_script_offset(const std::string& name, int offset) { script_offsets_[name] = offset; }
  int script_offset(std::string_view name) const {
    auto it = script_offsets_.find(name);
    return it == script_offsets_.end() ? 0 : it->second;
  }

  // Typed accessors: nullopt (or false for switches) when not bound.
  std::optional<std::string> string(std::string_view name) const;
  std::optional<std::int64_t> integer(std::string_view name) const;
  std::optional<double> number(std::string_view name) const;
  std::optional<UnixSeconds> instant(std::string_view name) const;
  bool flag(std::string_view name) const;
  std::vector<std::string> strings(std::string_view name) const;  // StringArray (or one String)

  const std::map<std::string, Value, ILess>& all() const { return values_; }

 private:
  std::map<std::string, Value, ILess> values_;
  std::set<std::string, ILess> pushed_;
  std::map<std::string, int, ILess> script_offsets_;
};

// `input` is never null: the first cmdlet of a pipeline gets an empty stream.
using CmdletBody = std::function<std::unique_ptr<RecordStream>(
    Session& session, const BoundParameters& params, std::unique_ptr<RecordStream> input)>;

// A comparison in a `Where-Object` directly after this cmdlet that the cmdlet
// can do itself (in SQL, with bound values): `Where-Object <property> -<op> V`
// becomes `-<parameter> V`. `op` is one of eq, like, gt, ge, lt, le.
struct PushdownRule {
  std::string property;
  std::string op;
  std::string parameter;
};

struct CmdletSpec {
  std::string name;  // Verb-Noun
  std::string synopsis;
  std::string description;
  std::vector<std::string> aliases;
  std::vector<ParamSpec> parameters;
  std::vector<std::string> outputs;  // output property names, for help
  std::vector<Example> examples;
  CmdletBody run;
  std::vector<PushdownRule> pushdown;
  // The other side of pushdown: this cmdlet is a filter whose condition
  // (FilterScript, or Property -op Value) the shell compiles, and may fold
  // into the preceding cmdlet's `pushdown` rules (shell/pushdown.h).
  bool filters_records = false;
  std::string source = "builtin";  // "builtin", or the Lua file that registered it
  // Parameters that exist only while something else does (each loaded
  // insight rule's thresholds): asked for whenever the cmdlet is bound,
  // described or completed (with_dynamic_parameters), never stored here.
  std::function<std::vector<ParamSpec>(const Session&)> dynamic_parameters;

  const ParamSpec* parameter(std::string_view name) const;  // exact (case-insensitive)
};

// `spec` as a caller in `session` sees it: the declared parameters, then the
// dynamic ones (one whose name a declared parameter has is left to the
// declared one). Without a dynamic_parameters callback this is `spec` itself
// (not owned: the registry keeps it).
std::shared_ptr<const CmdletSpec> with_dynamic_parameters(const CmdletSpec& spec, const Session& session);

// Every cmdlet and alias the host knows, built-in and Lua-registered.
class Registry {
 public:
  // Throws Error("DuplicateCmdlet") when the name or an alias is taken.
  void add(CmdletSpec spec);
  // By name or alias, case-insensitive; nullptr when unknown.
  const CmdletSpec* find(std::string_view name_or_alias) const;
  // Sorted by name.
  std::vector<const CmdletSpec*> all() const;
  // Names and aliases, for completion.
  std::vector<std::string> names_and_aliases() const;

  // Conceptual help topics (`Get-Help about_Connectors`).
  void add_topic(std::string name, std::string text) { topics_[std::move(name)] = std::move(text); }
  const std::map<std::string, std::string, ILess>& topics() const { return topics_; }

 private:
  std::map<std::string, std::string, ILess> topics_;
  std::vector<std::unique_ptr<CmdletSpec>> cmdlets_;
  std::map<std::string, const CmdletSpec*, ILess> by_name_;
};

}  // namespace mailflow
