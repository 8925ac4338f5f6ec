// The one way a cmdlet's parameters are declared: built-in cmdlets, Lua's
// RegisterCmdlet and insight rules' parameters all go through `Param` and
// `declare_parameters`, and the parameter sets several cmdlets share (the
// date range, -Direction, the connector selection) are declared here once.
//
//   spec.parameters = declare_parameters({
//       ParameterSet::Range, ParameterSet::Direction, ParameterSet::Connector,
//       Param::Switch("ByConnector", "one group per direction and connector"),
//       Param::Enum("View", {"MailFlow", "TlsUsage"}, "which view").default_value("MailFlow"),
//   });
//
// A cmdlet that declares ParameterSet::Range reads it back with
// bound_date_range (cmdlets/report_parameters.h); Lua cmdlets get the
// resolved range in their params (README, "Lua cmdlets").
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "host/cmdlet.h"

namespace mailflow {

// One parameter: the factories give name, type and help; the chained setters
// the rest. Converts to the ParamSpec that binding, help and completion read.
class Param {
 public:
  Param(std::string name, ParamType type, std::string help);

  static Param String(std::string name, std::string help) { return {std::move(name), ParamType::String, std::move(help)}; }
  static Param Int(std::string name, std::string help) { return {std::move(name), ParamType::Int, std::move(help)}; }
  static Param Double(std::string name, std::string help) { return {std::move(name), ParamType::Double, std::move(help)}; }
  static Param Date(std::string name, std::string help);  // completes as a date
  static Param Switch(std::string name, std::string help) { return {std::move(name), ParamType::Switch, std::move(help)}; }
  static Param Strings(std::string name, std::string help) { return {std::move(name), ParamType::StringArray, std::move(help)}; }
  // A String restricted to `values` (ValidateSet; bound in the declared casing).
  static Param Enum(std::string name, std::vector<std::string> values, std::string help);
  static Param Script(std::string name, std::string help) { return {std::move(name), ParamType::ScriptBlock, std::move(help)}; }
  static Param Any(std::string name, std::string help) { return {std::move(name), ParamType::Any, std::move(help)}; }

  Param& position(int index) { spec_.position = index; return *this; }
  Param& mandatory(bool yes = true) { spec_.mandatory = yes; return *this; }
  Param& pipeline_input(bool yes = true) { spec_.pipeline_input = yes; return *this; }
  Param& default_value(Value v) { spec_.default_value = std::move(v); return *this; }
  Param& default_help(std::string text) { spec_.default_help = std::move(text); return *this; }
  Param& min(double v) { spec_.min = v; return *this; }
  Param& max(double v) { spec_.max = v; return *this; }
  Param& completion(Completion kind) { spec_.completion = kind; return *this; }
  Param& aliases(std::vector<std::string> names) { spec_.aliases = std::move(names); return *this; }
  Param& calculated(bool yes = true) { spec_.calculated = yes; return *this; }
  Param& validate_set(std::vector<std::string> values) { spec_.validate_set = std::move(values); return *this; }

  const ParamSpec& spec() const& { return spec_; }
  ParamSpec spec() && { return std::move(spec_); }
  operator ParamSpec() const& { return spec_; }
  operator ParamSpec() && { return std::move(spec_); }

 private:
  ParamSpec spec_;
};

// The parameter sets several cmdlets share, with one meaning each:
//   Range      -StartDate, -EndDate, -Days (SPEC 5: the N days ending on
//              -EndDate, or starting on -StartDate; default 7 ending today)
//   Direction  -Direction Inbound|Outbound
//   Connector  -Connector NAME (completes connector names), -NoConnector
enum class ParameterSet { Range, Direction, Connector };

// "Range", "Direction", "Connector" (the names Lua's RegisterCmdlet takes).
std::string_view parameter_set_name(ParameterSet set);
std::optional<ParameterSet> parameter_set_named(std::string_view name);  // case-insensitive

// The parameters of `set`, in the order above.
std::vector<ParamSpec> shared_parameters(ParameterSet set);

// One entry of a declaration: a parameter, or a shared set. A set may say
// its default length (Range: `-Days` help) and a position for its first
// parameter (Connector at 0: `Get-TlsTrend 'Fabrikam'`).
struct ParamEntry {
  ParamEntry(Param p) : param(std::move(p).spec()) {}
  ParamEntry(ParamSpec p) : param(std::move(p)) {}
  ParamEntry(ParameterSet s) : set(s) {}

  ParamEntry& position(int index) { first_position = index; return *this; }
  ParamEntry& default_days(int days) { range_days = days; return *this; }

  std::optional<ParamSpec> param;
  std::optional<ParameterSet> set;
  int first_position = -1;
  int range_days = 0;  // 0: the engine's default (kDefaultReportDays)
};

// A cmdlet's parameter list, in the order given, sets expanded. Throws
// Error("BadCmdletSpec") naming `cmdlet` and the parameter when a name or
// alias is declared twice. (Two parameters may share a position when they
// belong to different parameter sets: Where-Object's FilterScript and
// Property.)
std::vector<ParamSpec> declare_parameters(std::vector<ParamEntry> entries,
                                          std::string_view cmdlet = {});

}  // namespace mailflow
