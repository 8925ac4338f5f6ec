// -Property of Select-Object, Format-Table, Format-List and Sort-Object:
// names (wildcards allowed) and calculated properties
// (@{Name='KB'; Expression={ $_.Size / 1KB }}, shell/calculated_property.h),
// and the projection that turns a record into one with just those columns.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "host/cmdlet.h"
#include "host/parameters.h"
#include "host/session.h"
#include "shell/calculated_property.h"
#include "shell/comparison.h"

namespace mailflow {

// One item of -Property: a name (wildcards allowed) or a calculated property.
struct Selector {
  std::string pattern;
  std::optional<CalculatedProperty> calculated;
};

// -Property at position 0: names with wildcards, or calculated properties.
Param property_parameter(const std::string& help);

// The items of `parameter` (default -Property), the calculated ones compiled
// with the session's variables.
std::vector<Selector> property_selectors(Session& session, const BoundParameters& params,
                                         const char* parameter = "Property");
bool has_calculated(const std::vector<Selector>& selectors);

// -Property / -ExcludeProperty as a projection, planned once per input schema.
class Projection {
 public:
  Projection(std::vector<Selector> include, std::vector<std::string> exclude)
      : include_(std::move(include)) {
    for (const std::string& e : exclude) exclude_.emplace_back(e);
  }
  bool active() const { return !include_.empty() || !exclude_.empty(); }
  // A record with the selected columns: a plain name the input lacks is
  // selected as null (as PowerShell does), a calculated one is evaluated.
  Value apply(const Value& item);

 private:
  void plan(const Schema* schema);
  static bool matches_any(const std::vector<Wildcard>& patterns, const std::string& name);

  // sources_ entries: an index into the input record, -1 for a property it
  // lacks, kCalculated - k for include_[k]'s calculated property.
  static constexpr int kCalculated = -2;
  std::vector<Selector> include_;
  std::vector<Wildcard> exclude_;
  bool planned_ = false;
  const Schema* planned_for_ = nullptr;
  std::vector<int> sources_;
  std::shared_ptr<const Schema> out_schema_;
};

// A stream of `input` projected through `projection` (Format-Table and
// Format-List with calculated properties).
std::unique_ptr<RecordStream> projected(std::unique_ptr<RecordStream> input, Projection projection);

}  // namespace mailflow
