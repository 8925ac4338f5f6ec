// Insights as Get-MailFlowInsights finds them, and the parameters insight
// rules declare. Insight rules may declare parameters (RuleParameter): Get-MailFlowInsights
// accepts each by name (-NoTlsThreshold 10), and Set-MailFlowConfig stores a
// default for each. Both cmdlets declare this as their dynamic_parameters
// callback, so that binding, Get-Help and completion ask the rules loaded
// at that moment; no spec changes when a rule is registered.
#pragma once

#include <vector>

#include "core/date_range.h"
#include "host/cmdlet.h"
#include "host/session.h"
#include "reports/insights.h"

namespace mailflow {

// The parameters (type Double) of the session's loaded rules, in rule load
// order: a parameter shared by two rules is declared once. With
// `stored_default_help` each says the stored setting is its default (for
// Get-MailFlowInsights; Set-MailFlowConfig stores them).
std::vector<ParamSpec> insight_rule_parameters(const Session& session, bool stored_default_help);

// The findings of Get-MailFlowInsights over `range`: `params` may give -Rule,
// -MinMessages and rule parameters (else the stored settings, else the
// rules' defaults). Warnings of the evaluation go to stderr.
std::vector<InsightFinding> insight_findings(Session& session, const BoundParameters& params,
                                             const DateRange& range);

}  // namespace mailflow
