#include "host/parameters.h"

#include <set>

#include "core/date_range.h"
#include "core/error.h"

namespace mailflow {

Param::Param(std::string name, ParamType type, std::string help) {
  spec_.name = std::move(name);
  spec_.type = type;
  spec_.help = std::move(help);
}

Param Param::Date(std::string name, std::string help) {
  Param p(std::move(name), ParamType::Date, std::move(help));
  p.completion(Completion::Date);
  return p;
}

Param Param::Enum(std::string name, std::vector<std::string> values, std::string help) {
  Param p(std::move(name), ParamType::Enum, std::move(help));
  p.validate_set(std::move(values));
  return p;
}

namespace {

struct SetName {
  ParameterSet set;
  std::string_view name;
};
constexpr SetName kSetNames[] = {{ParameterSet::Range, "Range"},
                                 {ParameterSet::Direction, "Direction"},
                                 {ParameterSet::Connector, "Connector"}};

std::vector<ParamSpec> range_parameters(int default_days) {
  return {
      Param::Date("StartDate", "first UTC day of the range (YYYY-MM-DD or ISO-8601; a time names its UTC day)"),
      Param::Date("EndDate", "last UTC day of the range, included whole (default: today)"),
      Param::Int("Days", "the N days ending on -EndDate (or starting on -StartDate); default " +
                             std::to_string(default_days))
          .min(1),
  };
}

}  // namespace

std::string_view parameter_set_name(ParameterSet set) {
  for (const SetName& s : kSetNames)
    if (s.set == set) return s.name;
  return "";
}

std::optional<ParameterSet> parameter_set_named(std::string_view name) {
  for (const SetName& s : kSetNames)
    if (iequals(s.name, name)) return s.set;
  return std::nullopt;
}

std::vector<ParamSpec> shared_parameters(ParameterSet set) {
  switch (set) {
    case ParameterSet::Range:
      return range_parameters(kDefaultReportDays);
    case ParameterSet::Direction:
      return {Param::Enum("Direction", {"Inbound", "Outbound"}, "only Inbound or only Outbound traffic")};
    case ParameterSet::Connector:
      return {Param::String("Connector", "only traffic through this connector").completion(Completion::Connector),
              Param::Switch("NoConnector", "only traffic that used no connector")};
  }
  return {};
}

std::vector<ParamSpec> declare_parameters(std::vector<ParamEntry> entries, std::string_view cmdlet) {
  std::vector<ParamSpec> out;
  std::set<std::string, ILess> taken;
  auto add = [&](ParamSpec p) {
    std::vector<std::string> keys = p.aliases;
    keys.insert(keys.begin(), p.name);
    for (const std::string& key : keys)
      if (!taken.insert(key).second)
        throw Error("BadCmdletSpec", std::string(cmdlet.empty() ? "a cmdlet" : cmdlet) +
                                         ": parameter '" + key + "' is declared twice");
    out.push_back(std::move(p));
  };
  for (ParamEntry& e : entries) {
    if (e.param) {
      add(std::move(*e.param));
      continue;
    }
    std::vector<ParamSpec> set = e.set == ParameterSet::Range && e.range_days > 0
                                     ? range_parameters(e.range_days)
                                     : shared_parameters(*e.set);
    if (e.first_position >= 0) set.front().position = e.first_position;
    for (ParamSpec& p : set) add(std::move(p));
  }
  return out;
}

}  // namespace mailflow
