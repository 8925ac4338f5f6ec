#include "cmdlets/builtin.h"

namespace mailflow {

// Each cmdlet file defines one `CmdletSpec xxx_cmdlet()` (or one per noun
// file for a family); declare it here and add it to the list below.

CmdletSpec format_chart_cmdlet();

void register_builtin_cmdlets(Registry& registry) {
  registry.add(format_chart_cmdlet());
}

}  // namespace mailflow
