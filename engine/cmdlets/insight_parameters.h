// Insight rules may declare parameters (RuleParameter): Get-MailFlowInsights
// accepts each by name (-NoTlsThreshold 10), and Set-MailFlowConfig stores a
// default for each. Call refresh_insight_parameters after the rules load and
// after every RegisterInsightRule so that binding, Get-Help and completion
// see them.
#pragma once

#include "host/cmdlet.h"
#include "reports/insight_rule.h"

namespace mailflow {

// Rebuilds the rule-declared parameters (type Double) of Get-MailFlowInsights
// and Set-MailFlowConfig from `rules`: parameters of rules no longer loaded
// disappear, a parameter shared by two rules is declared once, and a name
// that clashes with a fixed parameter of the cmdlet is left to the fixed one.
void refresh_insight_parameters(Registry& registry, const InsightRuleSet& rules);

}  // namespace mailflow
