// Get-Help about_Pipelines: the pipeline language in one page, for the REPL.
#include "cmdlets/builtin.h"

#include <string>

#include "shell/comparison.h"

namespace mailflow {

namespace {

// "  Comparison  -eq -ne ... -notcontains (strings ignore case)", wrapped at
// 78 columns, from the one operator table Where-Object and script blocks use.
std::string comparison_operators_line() {
  const std::string indent = "              ";
  std::string out = "  Comparison  ";
  std::size_t column = out.size();
  for (const auto& op : kCompareOps) {
    std::string word = "-" + std::string(op.name) + " ";
    if (column + word.size() > 78) {
      out.back() = '\n';
      out += indent;
      column = indent.size();
    }
    out += word;
    column += word.size();
  }
  out += "(strings ignore case)\n";
  return out;
}

}  // namespace

std::string pipelines_help_topic() {
  return R"TXT(about_Pipelines

A line whose first word is a cmdlet or alias is a pipeline; anything else is
Lua in the same state. Stages are joined by '|' and records stream between
them: Get-MessageTrace | Select-Object -First 5 reads five rows.

VALUES
  words and numbers (42, -7, 1.5, 0x1F, 10MB), 'single' and "double" quoted
  strings, $true $false $null, $variable, arrays a,b,'c d', script blocks
  { ... } and hash literals @{ Key = value; ... }.

VARIABLES
  $t = Get-TlsUsage -ByConnector     stores the records in the Lua global t
  $t | Sort-Object Percent           starts a pipeline from them
  $t                                 prints them

SCRIPT BLOCKS (Where-Object, ForEach-Object, calculated properties)
  $_ (or $PSItem) is the record; $_.A.B a nested property.
)TXT" + comparison_operators_line() + R"TXT(  Logical     -and -or -xor (one precedence, left to right), -not, !
  Arithmetic  * / % before + -, both before the comparisons:
              { $_.Size / 1KB -gt 500 }; text on the left of + joins:
              { $_.Connector + ' (' + $_.TlsVersion + ')' }; write a - b
              with spaces (-1 is a number).

CALCULATED PROPERTIES (Select-Object, Sort-Object, Format-Table, Format-List)
  Get-MessageTrace | Select-Object SenderAddress, @{Name='KB'; Expression={ $_.Size / 1KB }}
  Keys: Name (N, Label, L) and Expression (E); the Expression is a script
  block or a property name. Sort-Object takes @{Expression={ ... }} as a key.

PUSHDOWN
  A Where-Object on Direction, Connector, TlsVersion, SenderAddress,
  RecipientAddress (-eq, -like) or Received (-gt -ge -lt -le) right after
  Get-MessageTrace is done by Get-MessageTrace itself, within its page, so it
  keeps exactly what the Where-Object would keep, at less cost. The
  parameters (-TlsVersion TLS1.0) filter before paging instead.

OUTPUT
  A pipeline that ends without a formatter prints a table. ConvertTo-Json
  always prints an array; ConvertTo-Csv and Export-Csv -Path write RFC 4180.
  Errors show the message, then where: At line:1 char:N and a caret.
)TXT";
}

}  // namespace mailflow
