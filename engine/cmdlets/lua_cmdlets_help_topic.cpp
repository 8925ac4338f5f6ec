// Get-Help about_LuaCmdlets: writing a cmdlet in Lua with RegisterCmdlet,
// and the parameter sets it shares with the built-in report cmdlets.
#include "cmdlets/builtin.h"

namespace mailflow {

const char* lua_cmdlets_help_topic() {
  return R"TXT(about_LuaCmdlets

A cmdlet written in Lua (a file in a --rules directory, or stdlib/cmdlets)
is declared once with RegisterCmdlet and then binds, completes, shows in
Get-Command and Get-Help and runs in pipelines like a built-in:

  RegisterCmdlet{
    Name = "Get-PlainTextShare",
    Synopsis = "The plain-text share per connector.",
    Parameters = { "Range", "Direction", { Name = "Top", Type = "Int", Min = 1 } },
    Outputs = { "Connector", "Percent" },
    Examples = { { Command = "Get-PlainTextShare -Days 14", Explanation = "..." } },
    Run = function(params, input) ... return rows end,
  }

SHARED PARAMETER SETS
  An item of Parameters may name a set the built-in report cmdlets share;
  the cmdlet then takes exactly their parameters (names, types, checks,
  help and completion):
    "Range"       -StartDate, -EndDate, -Days
    "Direction"   -Direction Inbound|Outbound
    "Connector"   -Connector NAME (completes connector names), -NoConnector
  { Set = "Range", DefaultDays = 28 } sets the range's default length;
  { Set = "Connector", Position = 0 } lets -Connector be given by position.

  With the Range set the range is resolved before Run, by the rules every
  cmdlet follows: -Days N is the N days ending on -EndDate (or starting on
  -StartDate), a range longer than MaxReportDays is refused.
  params.StartDate and params.EndDate are then the first and last day
  (YYYY-MM-DD) and params.Days the number of days.

OTHER PARAMETERS
  { Name =, Type = String|Int|Double|Date|Switch|StringArray|Enum|
    ScriptBlock|Any, Help =, Mandatory =, Position =, PipelineInput =,
  Default =, ValidateSet = {...}, Min =, Max =, Completion = Connector|
  TlsVersion|Path|Date|Cmdlet|Property|Rule, Aliases = {...} }

FROM THE ENGINE
  mailflow.date_range(params [, default_days])   the same range rules
  mailflow.round(x [, decimals])                 half away from zero
  mailflow.percent(part, whole)                  shares as reports give them
  mailflow.tls_versions, mailflow.tls_report_order   the TLS values
)TXT";
}

}  // namespace mailflow
