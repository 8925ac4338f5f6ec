#!/usr/bin/env bash
# scripts/tls-audit.lua, compliance-export.lua and partner-followup.lua over
# examples/sample-traces.csv, with the connectors an administrator of the
# sample's contoso.com would have defined. Every number the scripts print or
# write is checked against tests/e2e/lib/scripts_oracle.py, which computes it
# from the CSV itself. Also: exit statuses, --help, usage on bad arguments.
# Usage: bash tests/e2e/lua_scripts.sh path/to/mailflow   (from the repo root)
set -euo pipefail
mailflow="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
scripts="$PWD/scripts"
sample="$PWD/examples/sample-traces.csv"
oracle=(python3 "$PWD/tests/e2e/lib/scripts_oracle.py" "$sample")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "lua_scripts: $*" >&2; exit 1; }
cd "$tmp"
store=defined.db
mf() { "$mailflow" --db "$store" --now 2026-11-22 "$@"; }

# Runs a script; sets $status, leaves stdout in out and stderr in err.
run() {
  status=0
  mf "$scripts/$1" "${@:2}" >out 2>err || status=$?
}
expect_status() {  # expected, what
  [ "$status" = "$1" ] || fail "$2: exited $status, not $1: $(cat out err)"
}
# Bad arguments: status 2, "SCRIPT: problem" and the usage on stderr, nothing on stdout.
expect_usage_error() {  # script, arguments (one word list)
  # shellcheck disable=SC2086
  run "$1" $2
  expect_status 2 "$1 $2"
  [ ! -s out ] || fail "$1 $2 printed on stdout: $(cat out)"
  head -1 err | grep -q "^$1: " || fail "$1 $2: no '$1: problem' line: $(cat err)"
  grep -q "^usage: mailflow .*scripts/$1" err || fail "$1 $2: no usage: $(cat err)"
}
expect_help() {  # script, options the help must list
  run "$1" --help
  expect_status 0 "$1 --help"
  grep -q "^usage: mailflow .*scripts/$1" out || fail "$1 --help: no usage: $(cat out)"
  for option in "${@:2}" --help; do
    grep -q "^  $option" out || fail "$1 --help does not describe $option: $(cat out)"
  done
}

# Two stores of the sample: bare.db knows the connectors only by the names in
# the CSV; defined.db also has their definitions.
for store in bare.db defined.db; do
  mf -c "Import-MessageTrace -Path '$sample'" >/dev/null
done

# What the administrator defined (SPEC 5 New-InboundConnector/New-OutboundConnector):
# the hybrid pair to the on-premises Exchange servers, the partner Fabrikam
# both ways, and the relay the printers and line-of-business apps use.
mf -c "New-InboundConnector -Name 'Contoso On-Premises Inbound' -ConnectorType OnPremises -SenderDomains contoso.com -SenderIPAddresses 203.0.113.10/32,203.0.113.11/32" >/dev/null
mf -c "New-OutboundConnector -Name 'Contoso On-Premises Outbound' -ConnectorType OnPremises -RecipientDomains contoso.com -SmartHosts exch01.contoso.com,exch02.contoso.com" >/dev/null
mf -c "New-InboundConnector -Name 'Fabrikam Partner Inbound' -ConnectorType Partner -SenderDomains fabrikam.com -SenderIPAddresses 198.51.100.25/32,198.51.100.26/32 -TlsSenderCertificateName mail.fabrikam.com" >/dev/null
mf -c "New-OutboundConnector -Name 'Fabrikam Partner Outbound' -ConnectorType Partner -RecipientDomains fabrikam.com -SmartHosts mail.fabrikam.com" >/dev/null
mf -c "New-InboundConnector -Name 'Legacy App Relay' -ConnectorType OnPremises -SenderIPAddresses 203.0.113.48/28 -Comment 'printers and line-of-business apps'" >/dev/null
defined=(--defined "Contoso On-Premises Inbound=OnPremises" --defined "Contoso On-Premises Outbound=OnPremises"
         --defined "Fabrikam Partner Inbound=Partner" --defined "Fabrikam Partner Outbound=Partner"
         --defined "Legacy App Relay=OnPremises")
mf -c "Get-InboundConnector 'Fabrikam Partner Inbound' | Format-List" | grep -q "^ConnectorType *: Partner$" ||
  fail "Get-InboundConnector does not list the partner connector"

# --- tls-audit.lua ---------------------------------------------------------
# Each case: arguments, the range they mean, oracle thresholds, expected status.
audit() {  # expected-status start end "script args" [oracle options...]
  local want=$1 start=$2 end=$3 args=$4
  # shellcheck disable=SC2086
  run tls-audit.lua $args
  expect_status "$want" "tls-audit.lua $args"
  fired=$("${oracle[@]}" tls-audit out --start "$start" --end "$end" "${@:5}") ||
    fail "tls-audit.lua $args does not match the oracle (its output: $(cat out))"
  # 3 exactly when the oracle says an insight fires.
  if [ "$fired" -gt 0 ]; then [ "$want" = 3 ]; else [ "$want" = 0 ]; fi ||
    fail "tls-audit.lua $args: $fired insights by the oracle, status $status"
}
# The widget's week: Legacy App Relay is mostly plain text, Fabrikam mostly TLS 1.0.
audit 3 2026-11-16 2026-11-22 ""
grep -q "^Insights: 2 fired$" out || fail "default week: $(cat out)"
# Raised thresholds: nothing fires.
audit 0 2026-11-16 2026-11-22 "--no-tls-threshold 70 --tls10-threshold=75" --no-tls 70 --tls10 75
grep -q "^Insights: none fired$" out || fail "raised thresholds: $(cat out)"
# 30 days: Fabrikam's TLS 1.0 share is exactly 64.06%, which does not fire at
# 64.06 (strictly above) and fires at 64.05.
audit 3 2026-10-24 2026-11-22 "--days 30 --tls10-threshold 64.06" --tls10 64.06
grep -q "^Insights: 1 fired$" out || fail "Tls10 at its exact share fired: $(cat out)"
audit 3 2026-10-24 2026-11-22 "--days=30 --tls10-threshold 64.05" --tls10 64.05
grep -q "^Insights: 2 fired$" out || fail "Tls10 just under its share did not fire: $(cat out)"
# A day with clean connector traffic, found by the oracle.
clean=$("${oracle[@]}" clean-day)
audit 0 "$clean" "$clean" "--days 1 --end $clean"
# A week before the first trace: no traffic, nothing fires.
audit 0 2026-09-25 2026-10-01 "--end 2026-10-01"
grep -q "no delivered messages in the range" out || fail "empty range: $(cat out)"
# Stored thresholds are the defaults.
mf -c "Set-MailFlowConfig -NoTlsThreshold 70 -Tls10Threshold 75" >/dev/null
audit 0 2026-11-16 2026-11-22 "" --no-tls 70 --tls10 75
mf -c "Set-MailFlowConfig -NoTlsThreshold 25 -Tls10Threshold 50" >/dev/null
# A range over MaxReportDays is an error (1) with the cmdlet's message.
run tls-audit.lua --days 31
expect_status 1 "tls-audit.lua --days 31"
grep -q "MaxReportDays" err || fail "--days 31: $(cat err)"
expect_help tls-audit.lua --days --end --no-tls-threshold --tls10-threshold
for bad in "--days" "--days 0" "--days 1.5" "--days x" "--end" "--end 2026-02-30" "--end 22.11.2026" \
           "--no-tls-threshold 101" "--tls10-threshold=abc" "--bogus" "--help=1" "extra"; do
  expect_usage_error tls-audit.lua "$bad"
done

# --- compliance-export.lua ---------------------------------------------------
export_ok() {  # month-for-oracle "script args" [oracle options...]
  # shellcheck disable=SC2086
  run compliance-export.lua $2
  expect_status 0 "compliance-export.lua $2"
  rows=$("${oracle[@]}" compliance "$csv" --month "$1" "${@:3}") ||
    fail "compliance-export.lua $2: the CSV does not match the oracle"
  grep -q "^compliance-export: $rows rows for $1 " out || fail "compliance-export.lua $2: $(cat out)"
}
csv=november.csv
export_ok 2026-11 "2026-11 $csv"
# No overwrite without --force: status 1, a message naming --force, the file kept.
before=$(cksum < "$csv")
run compliance-export.lua 2026-10 "$csv"
expect_status 1 "compliance-export.lua over an existing file"
{ grep -q "already exists" err && grep -q -- "--force" err; } || fail "unclear refusal: $(cat err)"
[ "$(cksum < "$csv")" = "$before" ] || fail "the refused export changed $csv"
# --force replaces it; --direction takes any case.
export_ok 2026-10 "--force 2026-10 $csv --direction outbound" --direction Outbound
# "previous" is the month before --now: October, 31 days, over the 30-day cap.
csv=previous.csv
export_ok 2026-10 "previous $csv"
# A smaller MaxReportDays: the month is read in more pieces, with the same result.
mf -c "Set-MailFlowConfig -MaxReportDays 7" >/dev/null
csv=weekly-pieces.csv
export_ok 2026-10 "2026-10 $csv"
mf -c "Set-MailFlowConfig -MaxReportDays 30" >/dev/null
expect_help compliance-export.lua MONTH OUTPUT.csv --direction --force
for bad in "" "2026-11" "2026-13 x.csv" "2026-11-01 x.csv" "2026-12 x.csv" "2026-11 x.txt" \
           "2026-11 x.csv --direction sideways" "2026-11 x.csv --direction" "2026-11 x.csv y.csv" \
           "--force=yes 2026-11 x.csv" "--bogus 2026-11 x.csv"; do
  expect_usage_error compliance-export.lua "$bad"
done
[ ! -e x.csv ] || fail "a refused run wrote x.csv"

# --- partner-followup.lua ----------------------------------------------------
# The paging it relies on: Get-MessageTrace -PageSize/-Page pages neither
# overlap nor skip (here 50 a page; the script reads 5000 a page).
paged=$(mf -c 'local seen, n = {}, 0 for page = 1, 100 do local rows = GetMessageTrace{ Days = 30, Connector = "Fabrikam Partner Inbound", Direction = "Inbound", Status = "Delivered", PageSize = 50, Page = page } for _, r in ipairs(rows) do if not seen[r.MessageId] then n = n + 1 end seen[r.MessageId] = true end if #rows < 50 then break end end print(n)')
want=$(python3 -c 'import csv, sys
print(sum(1 for r in csv.DictReader(open(sys.argv[1])) if r["connector"] == "Fabrikam Partner Inbound" and r["status"] == "Delivered"))' "$sample")
[ "$paged" = "$want" ] || fail "paging Get-MessageTrace by 50 gave $paged distinct records, not $want"
followup() {  # start end "script args" [oracle options...]
  # shellcheck disable=SC2086
  run partner-followup.lua $3
  expect_status 0 "partner-followup.lua $3"
  "${oracle[@]}" followup out --start "$1" --end "$2" "${@:4}" >/dev/null ||
    fail "partner-followup.lua $3 does not match the oracle (its output: $(cat out))"
}
# The week: only Fabrikam Partner Inbound is a partner connector with an insight.
followup 2026-11-16 2026-11-22 "" "${defined[@]}"
grep -q "^== Fabrikam Partner Inbound (Inbound, Partner): TLS 1.0 is above 50%$" out || fail "week: $(cat out)"
[ "$(grep -c '^== ' out)" = 1 ] || fail "week: more than Fabrikam followed: $(cat out)"
# Lower thresholds over 30 days: both insights on Fabrikam, one host list.
followup 2026-10-24 2026-11-22 "--days 30 --no-tls-threshold 4 --tls10-threshold 5" --no-tls 4 --tls10 5 "${defined[@]}"
{ [ "$(grep -c '^== Fabrikam Partner Inbound ' out)" = 2 ] && [ "$(grep -c '^RemoteHost ' out)" = 1 ]; } ||
  fail "two insights on one connector: $(cat out)"
# --all adds the on-premises Legacy App Relay.
followup 2026-11-16 2026-11-22 "--all" --all "${defined[@]}"
grep -q "^== Legacy App Relay (Inbound, OnPremises): No TLS is over 25%$" out || fail "--all: $(cat out)"
# A range without partner insights.
followup 2026-11-01 2026-11-01 "--days 1 --end 2026-11-01" "${defined[@]}"
# Without connector definitions nothing is known to be a partner; --all lists them as not defined.
store=bare.db
followup 2026-11-16 2026-11-22 ""
grep -q "^partner-followup: no partner connector has an insight" out || fail "bare store: $(cat out)"
followup 2026-11-16 2026-11-22 "--all" --all
grep -q "^== Fabrikam Partner Inbound (Inbound, not defined): " out || fail "bare store --all: $(cat out)"
store=defined.db
expect_help partner-followup.lua --days --end --all --no-tls-threshold --tls10-threshold
for bad in "--days" "--days -1" "--end 2026-11-31" "--all=yes" "--bogus" "fabrikam"; do
  expect_usage_error partner-followup.lua "$bad"
done

echo "lua_scripts: ok"
