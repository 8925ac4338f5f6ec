#!/usr/bin/env bash
# The report primitives (issue #3) over examples/sample-traces.csv, checked
# against an independent oracle (tests/e2e/lib/sample_oracle.py reads the CSV
# itself and implements SPEC sections 4-5): Get-ConnectorReport, Get-TlsUsage,
# Get-MailFlowInsights and Get-MessageTrace with their filters, date ranges,
# paging, JSON and CSV output; then every error path and its exit status.
# Usage: bash tests/e2e/reports_sample.sh path/to/mailflow   (from the repo root)
set -euo pipefail
mailflow="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
sample="$PWD/examples/sample-traces.csv"
oracle_py="$PWD/tests/e2e/lib/sample_oracle.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8 COLUMNS=200
unset MAILFLOW_RULES MAILFLOW_DB  # only the built-in rules; the store is --db
failures=0
# Records a failure and carries on, so that one bug does not hide the rest.
fail() { echo "reports_sample: $*" >&2; failures=$((failures + 1)); }

mf() { "$mailflow" --db "$tmp/db" --now 2026-11-22 "$@"; }
oracle() { python3 -S "$oracle_py" "$sample" "$@"; }

mf -c "Import-MessageTrace -Path '$sample'" >"$tmp/import.out" ||
  { echo "reports_sample: the import failed" >&2; exit 1; }

n=0
mkdir "$tmp/checks"
# check FORMAT 'PIPELINE' ORACLE-KIND [ORACLE-OPTIONS...]: runs PIPELINE with
# `| ConvertTo-Json` (FORMAT json) or `| ConvertTo-Csv` (csv) into
# $tmp/checkN.out and queues the comparison of its rows with the oracle's; the
# oracle then runs once, at the end, over all of them (one reading of the CSV).
check() {
  local format=$1 pipeline=$2 out
  shift 2
  n=$((n + 1))
  out="$tmp/check$n"
  local converter=ConvertTo-Json csv_flag=()
  if [ "$format" = csv ]; then converter=ConvertTo-Csv; csv_flag=(--csv-output); fi
  local status=0
  mf -c "$pipeline | $converter" >"$out.out" 2>"$out.err" || status=$?
  if [ "$status" != 0 ]; then
    fail "'$pipeline' exited $status: $(head -1 "$out.err")"
    return
  fi
  printf '%s\n' "'$pipeline | $converter'" "$@" "${csv_flag[@]}" --check "$out.out" >"$tmp/checks/$n.args"
}

# refuse STATUS 'PIPELINE' 'TEXT': the pipeline exits STATUS, prints nothing
# on stdout, and its first line on stderr holds TEXT.
refuse() {
  local want=$1 pipeline=$2 text=$3 status=0
  n=$((n + 1))
  mf -c "$pipeline" >"$tmp/refuse$n.out" 2>"$tmp/refuse$n.err" || status=$?
  [ "$status" = "$want" ] || fail "'$pipeline' exited $status, not $want: $(head -1 "$tmp/refuse$n.err")"
  [ ! -s "$tmp/refuse$n.out" ] || fail "'$pipeline' printed on stdout: $(head -3 "$tmp/refuse$n.out")"
  head -1 "$tmp/refuse$n.err" | grep -qF -- "$text" ||
    fail "'$pipeline': the first line on stderr lacks '$text': $(head -1 "$tmp/refuse$n.err")"
}

# The oracle itself, on numbers worked out by hand from the CSV
# (awk -F, '$11=="Delivered" && $1>="2026-11-16" ...'):
# - 2026-11-16..22, Inbound 'Fabrikam Partner Inbound': 69 delivered, 48 of
#   them TLS1.0; 48/69 = 69.565.. -> 69.57, above 50: the Tls10 insight fires.
# - Inbound 'Legacy App Relay': 44 of 70 in plain text = 62.857.. -> 62.86.
# - Outbound without a connector: 99 of 224 TLS1.2 = 44.196.. -> 44.20.
oracle tls-usage --by-connector >"$tmp/oracle.json"
python3 - "$tmp/oracle.json" <<'EOF' || fail "the oracle disagrees with the hand-computed numbers"
import json, sys
rows = {(r["Direction"], r["Connector"], r["TlsVersion"]): (r["Messages"], r["Percent"])
        for r in json.load(open(sys.argv[1]))}
assert rows[("Inbound", "Fabrikam Partner Inbound", "TLS1.0")] == (48, 69.57), rows
assert rows[("Inbound", "Legacy App Relay", "None")] == (44, 62.86)
assert rows[("Outbound", None, "TLS1.2")] == (99, 44.2)
EOF

# ---------------------------------------------------------------- Get-ConnectorReport
# All Mail Flow over the default week (2026-11-16..22): 7 days x 7
# direction+connector groups = 49 rows, no connector included as null.
check json "Get-ConnectorReport" connector-report
check csv "Get-ConnectorReport" connector-report
check json "Get-ConnectorReport -Days 30" connector-report --days 30
check csv "Get-ConnectorReport -Direction Outbound -Days 14 -EndDate 2026-11-10" \
  connector-report --direction Outbound --days 14 --end 2026-11-10
# One connector, named in another case: rows carry the stored name.
check json "Get-ConnectorReport -Connector 'legacy app relay' -Days 30" \
  connector-report --connector 'Legacy App Relay' --days 30
check csv "Get-ConnectorReport -Connector 'Fabrikam Partner Outbound' -StartDate 2026-11-01 -EndDate 2026-11-15" \
  connector-report --connector 'Fabrikam Partner Outbound' --start 2026-11-01 --end 2026-11-15
check json "Get-ConnectorReport -NoConnector" connector-report --no-connector
check csv "Get-ConnectorReport -NoConnector -Direction Inbound -Days 10" \
  connector-report --no-connector --direction Inbound --days 10
# Zero-filled days: 'Fabrikam Partner Outbound' carries no mail on the weekend
# of 2026-11-07/08 (by hand: grep -c '2026-11-0[78]T.*Fabrikam Partner Outbound'
# gives 0) yet has a row with 0 Messages for each day.
check csv "Get-ConnectorReport -Connector 'Fabrikam Partner Outbound' -StartDate 2026-11-07 -EndDate 2026-11-09" \
  connector-report --connector 'Fabrikam Partner Outbound' --start 2026-11-07 --end 2026-11-09
grep -qx '2026-11-07,Outbound,Fabrikam Partner Outbound,0' "$tmp/check$n.out" ||
  fail "no zero row for a quiet day: $(cat "$tmp/check$n.out")"
# The TlsUsage view is Get-TlsUsage -ByConnector with the same filters.
check json "Get-ConnectorReport -View TlsUsage" tls-usage --by-connector
check csv "Get-ConnectorReport -View TlsUsage -Direction Inbound -Days 30" \
  tls-usage --by-connector --direction Inbound --days 30
check json "Get-ConnectorReport -View TlsUsage -Connector 'Legacy App Relay'" \
  tls-usage --by-connector --connector 'Legacy App Relay'

# ---------------------------------------------------------------- Get-TlsUsage
check json "Get-TlsUsage" tls-usage
check csv "Get-TlsUsage -Days 30" tls-usage --days 30
check json "Get-TlsUsage -ByConnector" tls-usage --by-connector
check csv "Get-TlsUsage -ByConnector -Days 30" tls-usage --by-connector --days 30
check json "Get-TlsUsage -Direction Outbound -Connector 'Contoso On-Premises Outbound' -Days 21" \
  tls-usage --direction Outbound --connector 'Contoso On-Premises Outbound' --days 21
check json "Get-TlsUsage -NoConnector -ByConnector" tls-usage --no-connector --by-connector
check csv "Get-TlsUsage -Connector 'Fabrikam Partner Inbound' -ByConnector -EndDate 2026-11-08" \
  tls-usage --connector 'Fabrikam Partner Inbound' --by-connector --end 2026-11-08
# Rounding half away from zero, on exact halves found by searching every range
# with the oracle: Fabrikam Partner Outbound 2026-10-24..11-06 carried 96
# messages, 9 TLS1.3 (9.375 -> 9.38) and 87 TLS1.2 (90.625 -> 90.63); inbound
# 2026-10-25..26 carried 160, 1 of them TLS1.1 (0.625 -> 0.63) and 12 TLS1.0 (7.5).
check json "Get-TlsUsage -Connector 'Fabrikam Partner Outbound' -StartDate 2026-10-24 -EndDate 2026-11-06 -ByConnector" \
  tls-usage --connector 'Fabrikam Partner Outbound' --start 2026-10-24 --end 2026-11-06 --by-connector
grep -q '"Percent": 90.63' "$tmp/check$n.out" || fail "87 of 96 is not 90.63: $(cat "$tmp/check$n.out")"
check csv "Get-TlsUsage -Direction Inbound -StartDate 2026-10-25 -EndDate 2026-10-26" \
  tls-usage --direction Inbound --start 2026-10-25 --end 2026-10-26
grep -qx 'Inbound,TLS1.1,1,0.63' "$tmp/check$n.out" || fail "1 of 160 is not 0.63: $(cat "$tmp/check$n.out")"
# Names and values ignore case, names take unique prefixes, dates take ISO-8601.
check json "get-tlsusage -bycONNECTOR -dir outbound -StartDate 2026-11-16T00:00:00Z -conn 'fabrikam partner outbound'" \
  tls-usage --by-connector --direction Outbound --start 2026-11-16 --connector 'Fabrikam Partner Outbound'

# ---------------------------------------------------------------- Get-MailFlowInsights
# Defaults: Legacy App Relay trips NoTls (62.86 > 25), Fabrikam Partner
# Inbound trips Tls10 (69.57 > 50) - the numbers worked out above.
check json "Get-MailFlowInsights" insights
check csv "Get-MailFlowInsights -Days 30" insights --days 30
check json "Get-MailFlowInsights -NoTlsThreshold 10 -Tls10Threshold 5 -Days 30" \
  insights --no-tls-threshold 10 --tls10-threshold 5 --days 30
check json "Get-MailFlowInsights -NoTlsThreshold 10.5" insights --no-tls-threshold 10.5
# Strictly above: a threshold equal to the share (69.57) does not fire, one
# hundredth below it does.
check json "Get-MailFlowInsights -Tls10Threshold 69.57 -Rule Tls10" insights --tls10-threshold 69.57 --rule Tls10 --allow-empty
check json "Get-MailFlowInsights -Tls10Threshold 69.56 -Rule Tls10" insights --tls10-threshold 69.56 --rule Tls10
mf -c "Get-MailFlowInsights -Tls10Threshold 69.57 -Rule Tls10 | ConvertTo-Json -Compress" >"$tmp/strict.json"
[ "$(cat "$tmp/strict.json")" = "[]" ] || fail "a share equal to the threshold fired: $(cat "$tmp/strict.json")"
# -MinMessages: Legacy App Relay has 70 messages in the week, Fabrikam
# Partner Inbound 69, so 70 keeps the first and skips the second.
check json "Get-MailFlowInsights -MinMessages 70" insights --min-messages 70
check json "Get-MailFlowInsights -MinMessages 71" insights --min-messages 71 --allow-empty
check json "Get-MailFlowInsights -Rule NoTls -Days 30" insights --rule NoTls --days 30
check csv "Get-MailFlowInsights -Rule notls,tls10 -StartDate 2026-10-24 -Days 10" \
  insights --rule NoTls,Tls10 --start 2026-10-24 --days 10
# Rows are ordered by rule in load order (README, Get-MailFlowInsights: "Rows
# are ordered by rule (load order), then direction, then connector"), not in
# the order -Rule names them.
check csv "Get-MailFlowInsights -Rule Tls10,NoTls -StartDate 2026-10-24 -Days 10" \
  insights --rule Tls10,NoTls --start 2026-10-24 --days 10

# ---------------------------------------------------------------- Get-MessageTrace
# Every Status, newest first. The default week holds more than 1000 records
# (the default -PageSize), so page 1 is full and page 2 holds the rest.
[ "$(oracle count)" -gt 1000 ] || fail "the oracle finds 1000 records or fewer in the week"
check json "Get-MessageTrace" message-trace
check csv "Get-MessageTrace -Page 2" message-trace --page 2
check json "Get-MessageTrace -PageSize 50 -Page 3 -Days 30" message-trace --page-size 50 --page 3 --days 30
check csv "Get-MessageTrace -PageSize 5000 -Days 30" message-trace --page-size 5000 --days 30
check json "Get-MessageTrace -PageSize 5000 -Days 30 -Page 2" message-trace --page-size 5000 --days 30 --page 2 --allow-empty
check json "Get-MessageTrace -Direction Inbound -TlsVersion None -Days 30" \
  message-trace --direction Inbound --tls-version None --days 30
check csv "Get-MessageTrace -Connector 'fabrikam partner inbound' -TlsVersion TLS1.0" \
  message-trace --connector 'Fabrikam Partner Inbound' --tls-version TLS1.0
check json "Get-MessageTrace -NoConnector -Direction Outbound -Days 2" \
  message-trace --no-connector --direction Outbound --days 2
check json "Get-MessageTrace -SenderAddress '*@FABRIKAM.com' -Days 30" message-trace --sender '*@FABRIKAM.com' --days 30
check csv "Get-MessageTrace -SenderAddress '[a-c]*.r?o@contoso.com' -Days 30" \
  message-trace --sender '[a-c]*.r?o@contoso.com' --days 30
check json "Get-MessageTrace -RecipientAddress 'lee.*' -Direction Inbound -Days 30" \
  message-trace --recipient 'lee.*' --direction Inbound --days 30
# -SenderDomain is the whole part after the @: fabrikam.com only.
check json "Get-MessageTrace -SenderDomain fabrikam.com -Days 30" message-trace --sender-domain fabrikam.com --days 30
check csv "Get-MessageTrace -RecipientDomain Adatum.com -Days 30" message-trace --recipient-domain adatum.com --days 30
# By hand: 24 Failed and 5 Pending records in the whole file (cut -d, -f11 | sort | uniq -c).
check json "Get-MessageTrace -Status failed -Days 30" message-trace --status Failed --days 30
check json "Get-MessageTrace -Status Pending -Days 30" message-trace --status Pending --days 30
[ "$(oracle count --status Failed --days 30)" = 24 ] || fail "the oracle does not find the 24 Failed records"

# ---------------------------------------------------------------- date ranges
# UTC days, both ends inclusive: 2026-11-01T23:59:45Z (Inbound, no connector)
# belongs to 2026-11-01 and 2026-11-03T00:01:46Z (Legacy App Relay) to 11-03.
check json "Get-MessageTrace -StartDate 2026-11-01 -EndDate 2026-11-01" message-trace --start 2026-11-01 --end 2026-11-01
check json "Get-ConnectorReport -StartDate 2026-11-01 -EndDate 2026-11-03" connector-report --start 2026-11-01 --end 2026-11-03
mf -c "Get-MessageTrace -StartDate 2026-11-01 -EndDate 2026-11-01 | Select-Object -First 1 | ConvertTo-Csv" >"$tmp/last.csv"
grep -q '^2026-11-01T23:59:45Z,' "$tmp/last.csv" || fail "the last second of the end day is not in the range: $(cat "$tmp/last.csv")"
# A date with a time and an offset names its UTC day: 2026-11-02T01:00+02:00 is 2026-11-01.
check json "Get-MessageTrace -EndDate 2026-11-02T01:00:00+02:00 -Days 1" message-trace --end 2026-11-01 --days 1
check json "Get-TlsUsage -StartDate 2026-11-10" tls-usage --start 2026-11-10
check json "Get-TlsUsage -EndDate 2026-11-15" tls-usage --end 2026-11-15
check json "Get-TlsUsage -StartDate 2026-10-24 -Days 5" tls-usage --start 2026-10-24 --days 5
check json "Get-ConnectorReport -Days 1" connector-report --days 1
check csv "Get-ConnectorReport -StartDate 2026-10-24 -EndDate 2026-11-22" connector-report --start 2026-10-24 --end 2026-11-22
check json "Get-TlsUsage -Days 30 -EndDate 2026-11-20 -ByConnector" tls-usage --days 30 --end 2026-11-20 --by-connector

# An empty range is not an error: no rows, status 0.
for cmd in Get-ConnectorReport Get-TlsUsage "Get-TlsUsage -ByConnector" Get-MailFlowInsights Get-MessageTrace \
  "Get-ConnectorReport -Connector 'Legacy App Relay'"; do
  status=0
  mf -c "$cmd -StartDate 2026-09-01 -EndDate 2026-09-30 | ConvertTo-Json -Compress" >"$tmp/empty.json" 2>"$tmp/empty.err" || status=$?
  [ "$status" = 0 ] || fail "'$cmd' over an empty range exited $status: $(cat "$tmp/empty.err")"
  [ "$(cat "$tmp/empty.json")" = "[]" ] || fail "'$cmd' over an empty range printed $(cat "$tmp/empty.json")"
  mf -c "$cmd -StartDate 2026-09-01 -EndDate 2026-09-30 | ConvertTo-Csv" >"$tmp/empty.csv"
  [ ! -s "$tmp/empty.csv" ] || fail "'$cmd | ConvertTo-Csv' over an empty range printed $(cat "$tmp/empty.csv")"
done

# ---------------------------------------------------------------- errors (status 1)
refuse 1 "Get-ConnectorReport -Days 31" "30"
refuse 1 "Get-TlsUsage -StartDate 2026-10-01 -EndDate 2026-11-22" "MaxReportDays"
refuse 1 "Get-MailFlowInsights -StartDate 2026-10-23" "MaxReportDays"
refuse 1 "Get-MessageTrace -Days 45" "MaxReportDays"
refuse 1 "Get-ConnectorReport -StartDate 2026-11-20 -EndDate 2026-11-10" "-StartDate 2026-11-20 is after -EndDate 2026-11-10"
refuse 1 "Get-MessageTrace -StartDate 2026-11-20 -EndDate 2026-11-19" "after"
refuse 1 "Get-TlsUsage -StartDate 2026-11-23" "after"
refuse 1 "Get-TlsUsage -StartDate 2026-13-01" "StartDate"
refuse 1 "Get-ConnectorReport -EndDate 2026-11-31" "EndDate"
refuse 1 "Get-MailFlowInsights -EndDate yesterday" "yesterday"
refuse 1 "Get-TlsUsage -Days 0" "Days"
refuse 1 "Get-TlsUsage -StartDate 2026-11-01 -EndDate 2026-11-05 -Days 3" "-Days"
refuse 1 "Get-MessageTrace -PageSize 5001" "PageSize"
refuse 1 "Get-MessageTrace -Page 0" "Page"
refuse 1 "Get-MessageTrace -TlsVersion TLS2.0" "TlsVersion"
refuse 1 "Get-ConnectorReport -View Bogus" "View"
refuse 1 "Get-ConnectorReport -Connector 'Legacy App Relay' -NoConnector" "-NoConnector"
refuse 1 "Get-TlsUsage -StartDate 2026-10-24 -Days 31" "MaxReportDays"
# 2026-11-22T23:30-01:00 is 2026-11-23 in UTC: after today.
refuse 1 "Get-ConnectorReport -StartDate 2026-11-22T23:30:00-01:00" "after"
refuse 1 "Get-MailFlowInsights -Rule Nope" "NoTls, PlainTextRise, Tls10"
# An unknown connector: the error lists every known one.
for cmd in "Get-ConnectorReport" "Get-TlsUsage" "Get-MessageTrace"; do
  refuse 1 "$cmd -Connector 'Contoso Nowhere'" "'Contoso Nowhere'"
  for known in 'Contoso On-Premises Inbound' 'Contoso On-Premises Outbound' 'Fabrikam Partner Inbound' \
    'Fabrikam Partner Outbound' 'Legacy App Relay'; do
    head -1 "$tmp/refuse$n.err" | grep -qF "$known" || fail "'$cmd -Connector' error does not list '$known'"
  done
done
# Bad command-line usage is status 2.
status=0
"$mailflow" --db "$tmp/db" --now 2026-11-31 -c "Get-TlsUsage" >/dev/null 2>&1 || status=$?
[ "$status" = 2 ] || fail "--now 2026-11-31 exited $status, not 2"

# Settings and definitions change the store: these checks come last.
# A threshold set with Set-MailFlowConfig is the default; the command line wins.
mf -c "Set-MailFlowConfig -NoTlsThreshold 10" >/dev/null
check json "Get-MailFlowInsights" insights --no-tls-threshold 10
check json "Get-MailFlowInsights -NoTlsThreshold 30" insights --no-tls-threshold 30
# A defined connector without traffic is known: no rows, status 0, and listed
# when another name is refused.
mf -c "New-InboundConnector -Name 'Tailspin Partner' -ConnectorType Partner -SenderDomains tailspintoys.com" >/dev/null
mf -c "Get-ConnectorReport -Connector 'tailspin partner' -Days 30 | ConvertTo-Json -Compress" >"$tmp/defined.json" ||
  fail "a defined connector without traffic was refused"
[ "$(cat "$tmp/defined.json")" = "[]" ] || fail "a connector without traffic has rows: $(cat "$tmp/defined.json")"
refuse 1 "Get-ConnectorReport -Connector Nope" "Legacy App Relay, Tailspin Partner"

# MaxReportDays is a setting: raised to 60, 45 days are allowed and 61 are not.
mf -c "Set-MailFlowConfig -MaxReportDays 60" >/dev/null
check json "Get-TlsUsage -Days 45 -ByConnector" tls-usage --days 45 --by-connector
check csv "Get-ConnectorReport -Days 60" connector-report --days 60
refuse 1 "Get-ConnectorReport -Days 61" "60"

# All the queued comparisons with the oracle.
if ! oracle --batch "$tmp/checks" >"$tmp/oracle.out"; then
  sed 's/^FAIL /reports_sample: differs from the oracle: /' "$tmp/oracle.out" >&2
  failures=$((failures + $(grep -c '^FAIL ' "$tmp/oracle.out")))
fi
[ "$n" -ge 80 ] || fail "only $n checks ran"

[ "$failures" = 0 ] || { echo "reports_sample: $failures failed" >&2; exit 1; }
echo "reports_sample: ok"
