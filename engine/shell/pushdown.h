// Pushdown: a Where-Object directly after a cmdlet that declares (in its
// CmdletSpec.pushdown) that it can do the comparison itself is folded into
// that cmdlet's parameters, so `Get-MessageTrace | Where-Object TlsVersion
// -eq 'TLS1.0'` costs what `Get-MessageTrace -TlsVersion TLS1.0` costs.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "host/cmdlet.h"
#include "shell/expression.h"

namespace mailflow {

struct PreparedStage {
  std::shared_ptr<const CmdletSpec> spec;  // with its dynamic parameters
  BoundParameters params;
  int column = 0;
  std::optional<Filter> where;  // Where-Object stages: the compiled filter
};

// Folds every Where-Object whose filter is a comparison, or an -and of
// comparisons, all of which the preceding cmdlet declares, into that cmdlet's
// parameters, and drops the Where-Object. The value is bound with the
// target parameter's own conversion; a filter is left alone when any part
// cannot be pushed (unknown property or operator, parameter already given,
// a value the parameter refuses, wildcards in an -eq value): then the
// Where-Object runs as written, so results never depend on pushdown.
void apply_pushdown(std::vector<PreparedStage>& stages);

}  // namespace mailflow
