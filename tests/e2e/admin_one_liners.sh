#!/usr/bin/env bash
# Admin one-liners through `mailflow -c '...'` over examples/sample-traces.csv
# (issue #4, the cmdlet host): what an Exchange Online admin types, with the
# exact output expected in tests/e2e/expected/one_liners/NAME.txt.
#
# Where the expected files come from (never captured from mailflow):
# - "oracle": tests/e2e/lib/one_liners_oracle.py does the same steps in plain
#   Python over the records of the independent oracle (sample_oracle.py, SPEC
#   definitions) and formats them as the README describes; this script runs it
#   first, so an expected file that drifts from the oracle fails here too.
# - "by hand": written from SPEC/README text; the comment says how.
# Usage: bash tests/e2e/admin_one_liners.sh path/to/mailflow   (from the repo root)
set -euo pipefail
mailflow="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
sample="$PWD/examples/sample-traces.csv"
expected="$PWD/tests/e2e/expected/one_liners"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8 COLUMNS=200 HOME="$tmp" XDG_STATE_HOME="$tmp/state"
unset MAILFLOW_RULES MAILFLOW_DB  # only the built-in rules; the store is --db
failures=0
# Records a failure and carries on, so that one bug does not hide the rest.
fail() { echo "admin_one_liners: $*" >&2; failures=$((failures + 1)); }

mf() { "$mailflow" --db "$tmp/db" --now 2026-11-22 "$@"; }
mf -c "Import-MessageTrace -Path '$sample'" >/dev/null ||
  { echo "admin_one_liners: the import failed" >&2; exit 1; }

# The expected files agree with the oracle.
python3 -S tests/e2e/lib/one_liners_oracle.py "$sample" "$expected" ||
  fail "expected files differ from tests/e2e/lib/one_liners_oracle.py"

cases=0
# one NAME 'PIPELINE': status 0, nothing on stderr, stdout exactly NAME.txt.
one() {
  local name=$1 pipeline=$2 status=0
  cases=$((cases + 1))
  mf -c "$pipeline" >"$tmp/$name.out" 2>"$tmp/$name.err" || status=$?
  [ "$status" = 0 ] || { fail "$name: '$pipeline' exited $status: $(head -1 "$tmp/$name.err")"; return; }
  [ ! -s "$tmp/$name.err" ] || fail "$name: '$pipeline' wrote on stderr: $(head -1 "$tmp/$name.err")"
  diff -u "$expected/$name.txt" "$tmp/$name.out" >"$tmp/$name.diff" ||
    fail "$name: '$pipeline' printed other than $name.txt:
$(cat "$tmp/$name.diff")"
}

# refused NAME 'PIPELINE': status 1, nothing on stdout, stderr exactly NAME.txt.
refused() {
  local name=$1 pipeline=$2 status=0
  cases=$((cases + 1))
  mf -c "$pipeline" >"$tmp/$name.out" 2>"$tmp/$name.err" || status=$?
  [ "$status" = 1 ] || fail "$name: '$pipeline' exited $status, not 1"
  [ ! -s "$tmp/$name.out" ] || fail "$name: '$pipeline' printed on stdout: $(head -2 "$tmp/$name.out")"
  diff -u "$expected/$name.txt" "$tmp/$name.err" >"$tmp/$name.diff" ||
    fail "$name: '$pipeline' said other than $name.txt:
$(cat "$tmp/$name.diff")"
}

# Which partner connectors are mostly on TLS 1.0? (oracle; by hand: 48 of
# Fabrikam Partner Inbound's 69 delivered messages of 2026-11-16..22 are TLS1.0,
# 69.57%, the only TLS1.0 share above 50 that week.)
one tls10_over_50 "Get-TlsUsage -ByConnector | Where-Object { \$_.TlsVersion -eq 'TLS1.0' -and \$_.Percent -gt 50 } | Sort-Object Percent -Descending | Format-Table"

# Messages per connector over 30 days - of the first 1000 traces only, since
# Get-MessageTrace pages at 1000 by default, as in Exchange Online. (oracle:
# the newest 1000 records of 2026-10-24..11-22, grouped; no connector is the
# empty name and sorts first. By hand: the CSV is in time order with no tie at
# the 1000th record, and tail -n 1000 | cut -d, -f3 | sort | uniq -c gives
# 619 none, 117, 93, 64, 44, 63.)
one group_by_connector "Get-MessageTrace -Days 30 | Group-Object Connector | Select-Object Name,Count | ConvertTo-Json"

# Weak TLS per direction, -in and two sort keys, both descending; aliases ? sort ft. (oracle)
one weak_tls_sorted "Get-TlsUsage -Days 30 | ? TlsVersion -in 'TLS1.0','TLS1.1','None' | sort Direction,Messages -Descending | ft"

# How much does Fabrikam send us? Where-Object -like (pushed down into the
# store) and Measure-Object -Sum -Average; statistics not asked for are nil,
# shown (none). (oracle; by hand: cut -d, -f6 | grep -c '@fabrikam.com$' = 281.)
one fabrikam_size "Get-MessageTrace -Days 30 -PageSize 5000 | Where-Object SenderAddress -like '*@fabrikam.com' | Measure-Object Size -Sum -Average"

# Which sending servers still offer only TLS 1.0? -match (case-insensitive)
# inside an -and that cannot all be pushed down; -ExpandProperty -Unique. (oracle)
one tls10_hosts "Get-MessageTrace -Days 30 -PageSize 5000 | ? { \$_.Direction -eq 'Inbound' -and \$_.TlsVersion -eq 'TLS1.0' -and \$_.RemoteHost -match '^SMTP\.' } | select -ExpandProperty RemoteHost -Unique | sort"

# The last three failures, as a list. (oracle; by hand: the three newest
# ',Failed,' lines of the CSV are 11-21 12:51:25, 11-19 13:59:50, 11-18 12:50:04.)
one failed_list "Get-MessageTrace -Status Failed -Days 30 | Select-Object -First 3 Received,SenderAddress,RecipientAddress,Status | Format-List"

# Daily volume of the relay: measure alias with every statistic. (oracle; by
# hand: 294 delivered Legacy App Relay traces over 30 days = 9.8 a day.)
one legacy_measure "Get-ConnectorReport -Days 30 | ? Connector -eq 'Legacy App Relay' | measure Messages -Sum -Average -Maximum -Minimum"

# The hybrid connectors' TLS, for a spreadsheet: -like ignores case; ConvertTo-Csv. (oracle)
one contoso_csv "Get-TlsUsage -ByConnector -Days 30 | ? Connector -like 'contoso*' | Select-Object Connector,TlsVersion,Percent | ConvertTo-Csv"

# Calculated properties: text joined with +, whole messages a day times 7.
# (oracle; by hand: awk over the CSV counts 1,390 delivered Inbound TLS1.2
# traces in 10-24..11-22: 46 whole a day, 322 a week.)
one calculated_per_week "Get-TlsUsage -Days 30 | Select-Object @{n='Traffic'; e={ \$_.Direction + ' ' + \$_.TlsVersion }}, Messages, @{n='PerWeek'; e={ (\$_.Messages - \$_.Messages % 30) / 30 * 7 }}"

# Days a connector carried nothing (the report's zero-filled rows), newest
# first. (oracle; by hand: Fabrikam Partner Outbound has no line on the
# weekends 10-25, 11-01, 11-07/08, 11-14/15, 11-21.)
one quiet_days "Get-ConnectorReport -Days 30 | ? Messages -eq 0 | sort Date -Descending | select Date,Direction,Connector"

# Who sends us plain text? group -NoElement, a stable sort (the two 36s stay
# in name order), select -First. (oracle)
one plaintext_hosts "Get-MessageTrace -Days 30 -PageSize 5000 | ? { \$_.TlsVersion -eq 'None' -and \$_.Direction -eq 'Inbound' } | group RemoteHost -NoElement | sort Count -Descending | select -First 5"

# What did not get through? -notmatch. (oracle; by hand: cut -d, -f11 | sort |
# uniq -c gives 24 Failed, 5 Pending.)
one not_delivered "Get-MessageTrace -Days 30 -PageSize 5000 | ? Status -notmatch '^deliv' | group Status -NoElement"

# Insights at a stricter threshold, Format-Table with chosen columns. (oracle:
# Fabrikam Partner Inbound's plain-text share is 4.27 > 4 over 30 days.)
one insights_table "Get-MailFlowInsights -Days 30 -NoTlsThreshold 4 | Sort-Object Rule,Value -Descending | Format-Table Rule,Connector,Direction,Value,Messages"

# One number: mail without a connector over 30 days. (oracle; by hand:
# 1832 + 949 traces without a connector, 28 of them not Delivered = 2753.)
one no_connector_sum "Get-ConnectorReport -Days 30 -NoConnector | measure Messages -Sum | Select-Object -ExpandProperty Sum"

# The three largest messages from fabrikam.com, as JSON. (oracle; by hand:
# sort -t, -k10 -n of the fabrikam.com senders ends 6025300, 9122939, 10083832.)
one largest_fabrikam "Get-MessageTrace -SenderDomain fabrikam.com -PageSize 5000 -Days 30 | Sort-Object Size -Descending | Select-Object -First 3 -Property Received,SenderAddress,Size | ConvertTo-Json"

# The last two days of one connector: -Last. (oracle)
one last_two_days "Get-ConnectorReport -Connector 'Fabrikam Partner Inbound' | Select-Object -Last 2"

# Where-Object filters what Get-MessageTrace emits: the first page (1000
# records by default), as in PowerShell. (oracle: 68 TLS1.0 records among the
# newest 1000 of the 30 days, 300 in all; by hand: tail -n 1000 of the CSV |
# grep -c ',TLS1.0,' = 68.) The -like form is not pushed down; the -eq form
# is, and must give the same 68 (pushdown filters within the page).
one tls10_first_page "Get-MessageTrace -Days 30 | Where-Object TlsVersion -like 'TLS1.0' | Measure-Object | Select-Object Count"
one tls10_first_page "Get-MessageTrace -Days 30 | Where-Object TlsVersion -eq 'TLS1.0' | Measure-Object | Select-Object Count"

# Get-Command with a wildcard. (by hand: SPEC section 5 names New-/Get-/Set-/
# Remove- of InboundConnector and OutboundConnector, Get-ConnectorReport and
# Update-ConnectorAttribution: ten cmdlets, listed by name.)
one connector_commands "gcm *Connector* | select -ExpandProperty Name"

# Get-Help for one parameter. (by hand: SPEC section 5, `-View
# MailFlow|TlsUsage`, MailFlow the default; the layout is PowerShell's
# Get-Help -Parameter: name and type, help text, then Required?, Position?,
# Default value, Accept pipeline input?, and the ValidateSet values.)
one help_view "Get-Help Get-ConnectorReport -Parameter View"

# Export-Csv writes the file and prints nothing; it will not replace the file
# without -Force. (oracle: insights_export.txt and insights_export_forced.txt
# are the CSV of those records.)
cases=$((cases + 1))
export_file="$tmp/insights.csv"
status=0
mf -c "Get-MailFlowInsights -Days 30 | Select-Object Rule,Connector,Value,Threshold,Messages | Export-Csv -Path '$export_file'" \
  >"$tmp/export.out" 2>&1 || status=$?
if [ "$status" != 0 ] || [ -s "$tmp/export.out" ]; then
  fail "Export-Csv: status $status, printed $(head -2 "$tmp/export.out")"
fi
diff -u "$expected/insights_export.txt" "$export_file" || fail "Export-Csv wrote other than insights_export.txt"
status=0
mf -c "Get-MailFlowInsights | Export-Csv -Path '$export_file'" >"$tmp/export.out" 2>"$tmp/export.err" || status=$?
[ "$status" = 1 ] || fail "Export-Csv over an existing file without -Force exited $status, not 1"
grep -qF "Export-Csv: '$export_file' already exists; use -Force to overwrite it" "$tmp/export.err" ||
  fail "Export-Csv refusal: $(head -1 "$tmp/export.err")"
diff -q "$expected/insights_export.txt" "$export_file" >/dev/null || fail "the refused Export-Csv changed the file"
mf -c "Get-MailFlowInsights | Select-Object Rule,Connector,Value | Export-Csv -Path '$export_file' -Force" >/dev/null ||
  fail "Export-Csv -Force failed"
diff -u "$expected/insights_export_forced.txt" "$export_file" || fail "Export-Csv -Force wrote other than insights_export_forced.txt"

# Variables: a REPL session reading commands from stdin (one pipeline a line)
# keeps $x for the next line. (oracle: variable_plaintext.txt)
# ($x is mailflow's variable, not the shell's.)
cases=$((cases + 1))
# shellcheck disable=SC2016
printf '%s\n' '$x = Get-TlsUsage -ByConnector -Days 30' \
  '$x | ? TlsVersion -eq None | sort Percent -Descending | select Direction,Connector,Messages,Percent' |
  mf >"$tmp/variable.out" 2>"$tmp/variable.err" || fail "the variable session failed: $(head -1 "$tmp/variable.err")"
diff -u "$expected/variable_plaintext.txt" "$tmp/variable.out" || fail "the variable session printed other than variable_plaintext.txt"
# -c runs one pipeline (SPEC 2): a `;` between two is refused with a clear
# message and its column (by hand: python3 -c "print(s.index(';') + 1)" = 40).
refused err_statement_separator "\$x = Get-TlsUsage -ByConnector -Days 30; \$x | ? TlsVersion -eq None"

# Errors: status 1, nothing on stdout, PowerShell's message and where.
# (by hand: the message texts are PowerShell's, as the README shows for
# 'Conector'; char:N is the 1-based column of the offending token, counted
# with python3 -c "print(s.index('-Conector') + 1)".)
refused err_did_you_mean "Get-MessageTrace -Days 7 -Conector 'Legacy App Relay' | Format-Table"
refused err_sort_parameter "Get-TlsUsage -ByConnector | Sort-Object Percent -Descnding"
refused err_validate_set "Get-MessageTrace -TlsVersion TLS1.4 | Measure-Object"

[ "$cases" -ge 20 ] || fail "only $cases cases ran"
[ "$failures" = 0 ] || { echo "admin_one_liners: $failures failed" >&2; exit 1; }
echo "admin_one_liners: ok"
