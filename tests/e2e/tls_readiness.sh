#!/usr/bin/env bash
# TLS readiness (issue #15) end to end on build/mailflow:
#  - Get-TlsPeerReport, Test-TlsPolicy (+ -AsInsight), Get-TlsUsage -ByTrust
#    and Get-TlsTrend -Peer over tests/e2e/input/tls_readiness.csv, the
#    numbers worked out by hand below;
#  - Get-TlsFailure over the real Exchange protocol log of
#    tests/data/exchange (one "TLS negotiation failed with error SocketError");
#  - a re-import adds nothing and leaves every report as it was;
#  - Lua functions and a script that exits 3 when the policy would break mail;
#  - bad parameter values fail with one line naming them.
# Usage: bash tests/e2e/tls_readiness.sh path/to/mailflow   (from the repo root)
set -euo pipefail
mailflow="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
input="$PWD/tests/e2e/input/tls_readiness.csv"
exchange="$PWD/tests/data/exchange/multiserver/EXEDGE01/RECV2026111809-1.LOG"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8 COLUMNS=200
unset MAILFLOW_RULES MAILFLOW_DB
fail() { echo "tls_readiness: $*" >&2; exit 1; }
mf() { "$mailflow" --db "$tmp/db" --now 2026-11-22 -c "$1"; }

mf "Import-MessageTrace -Path '$input' | ConvertTo-Csv" >"$tmp/import.csv"
grep -q ',Csv,15,14,0,0' "$tmp/import.csv" || fail "import: $(cat "$tmp/import.csv")"

check() {  # check NAME PIPELINE PYTHON-ASSERTIONS (rows in `r`)
  mf "$2 | ConvertTo-Json" >"$tmp/$1.json"
  python3 - "$tmp/$1.json" "$3" <<'PY' || fail "$1: $(cat "$tmp/$1.json")"
import json, sys
r = json.load(open(sys.argv[1]))
exec(sys.argv[2])
PY
}

# Peers by registered domain (mx1.mail.fabrikam.com and mx2.fabrikam.com are
# fabrikam.com; outbound the recipient's domain; no reverse DNS: the IP),
# sorted by messages below TLS 1.2. The Failed trace and the one of
# 2026-11-10 (outside the 7 days) are not counted.
check peers "Get-TlsPeerReport" '
got = [(x["Direction"], x["Peer"], x["Messages"], x["Tls13"], x["Tls12"], x["Tls11"], x["Tls10"], x["NoTls"],
        x["LowestVersion"]) for x in r]
assert got == [("Inbound", "fabrikam.com", 5, 0, 2, 0, 3, 0, "TLS1.0"),
               ("Inbound", "example.co.uk", 3, 2, 0, 1, 0, 0, "TLS1.1"),
               ("Outbound", "tailspin.com.au", 2, 1, 0, 0, 1, 0, "TLS1.0"),
               ("Inbound", "198.51.100.7", 1, 0, 0, 0, 0, 1, "None"),
               ("Outbound", "example.co.uk", 1, 0, 1, 0, 0, 0, "TLS1.2")], got
assert r[0]["FirstSeen"].startswith("2026-11-16T08:00:00") and r[0]["LastSeen"].startswith("2026-11-19T09:00:00"), r[0]
'
check peers_old "Get-TlsPeerReport -MaximumVersion TLS1.0 -By Host" '
assert [(x["Direction"], x["Peer"]) for x in r] == [("Inbound", "mx1.mail.fabrikam.com"),
    ("Outbound", "mx.tailspin.com.au"), ("Inbound", "198.51.100.7")], r
'

# What-if of TLS 1.2: inbound 9 known messages, 3 TLS1.0 + 1 TLS1.1 at risk;
# outbound 'Partner Relay' 1 TLS1.0 of 2; the connector-less outbound TLS1.3 is safe.
check policy "Test-TlsPolicy -MinimumVersion TLS1.2" '
got = [(x["Direction"], x["Connector"], x["Messages"], x["AtRisk"], x["Percent"], x["Peers"]) for x in r]
assert got == [("Inbound", None, 9, 4, 44.44, ["fabrikam.com", "example.co.uk"]),
               ("Outbound", None, 1, 0, 0, []),
               ("Outbound", "Partner Relay", 2, 1, 50, ["tailspin.com.au"])], got
'
check policy_required "Test-TlsPolicy TLS1.2 -RequireTls -Direction Inbound" '
assert [(x["AtRisk"], x["Percent"]) for x in r] == [(5, 55.56)], r
'
check policy_insight "Test-TlsPolicy -MinimumVersion TLS1.2 -AsInsight" '
assert [(x["Rule"], x["Direction"], x["Connector"], x["Messages"]) for x in r] == [
    ("TlsPolicy", "Inbound", "", 4), ("TlsPolicy", "Outbound", "Partner Relay", 1)], r
'

# Certificate trust: inbound Verified 2, Trusted 2, Anonymous 1 (5 known), 4 not recorded.
check trust "Get-TlsUsage -ByTrust" '
got = [(x["Direction"], x["TlsTrust"], x["Messages"], x["Percent"]) for x in r]
assert got == [("Inbound", "Verified", 2, 40), ("Inbound", "Trusted", 2, 40), ("Inbound", "Anonymous", 1, 20),
               ("Inbound", "Unknown", 4, None), ("Outbound", "Verified", 1, 33.33),
               ("Outbound", "Trusted", 1, 33.33), ("Outbound", "Untrusted", 1, 33.33)], got
'

# One peer week by week: fabrikam.com had 3 TLS1.0 and 2 TLS1.2 in the week of 2026-11-16.
check trend "Get-TlsTrend -Peer fabrikam.com -Direction Inbound -Days 14" '
got = [(x["Period"], x["Peer"], x["TlsVersion"], x["Messages"], x["Percent"], x["Change"]) for x in r]
assert got == [("2026-11-09", "fabrikam.com", "TLS1.2", 0, 0, None), ("2026-11-09", "fabrikam.com", "TLS1.0", 1, 100, None),
               ("2026-11-16", "fabrikam.com", "TLS1.2", 2, 40, 40), ("2026-11-16", "fabrikam.com", "TLS1.0", 3, 60, -40)], got
'

# A real Exchange protocol log: its failed handshake is listed and counted.
mf "Import-MessageTrace -Path '$exchange' -Format ExchangeProtocol" >/dev/null
check failures "Get-TlsFailure" '
assert [(x["Direction"], x["PeerIP"], x["Reason"]) for x in r] == [("Inbound", "203.0.113.201", "SocketError")], r
assert r[0]["Time"].startswith("2026-11-18T11:02:40"), r
'
check failures_by_reason "Get-TlsFailure -By Reason" '
assert [(x["Direction"], x["Key"], x["Failures"]) for x in r] == [("Inbound", "SocketError", 1)], r
'
check failures_by_day "Get-TlsFailure -By Day" '
assert [(x["Key"], x["Failures"]) for x in r] == [("2026-11-18", 1)], r
'
check failure_insight "Get-TlsFailure -AsInsight -Threshold 0" '
assert [(x["Rule"], x["Messages"]) for x in r] == [("TlsFailures", 1)], r
assert "with 203.0.113.201 (0 in the period before)" in r[0]["Recommendation"], r
'
# The built-in insight of Get-MailFlowInsights gives the same row, from the
# same rule, with its threshold as a parameter or a stored setting; at the
# default 10 one failure fires nothing.
mf "Get-TlsFailure -AsInsight -Threshold 0 | ConvertTo-Json" >"$tmp/asinsight.json"
mf "Get-MailFlowInsights -Rule TlsFailures -TlsFailuresThreshold 0 | ConvertTo-Json" >"$tmp/insights.json"
cmp -s "$tmp/asinsight.json" "$tmp/insights.json" || fail "Get-MailFlowInsights TlsFailures: $(cat "$tmp/insights.json")"
[ "$(mf "Get-MailFlowInsights -Rule TlsFailures | ConvertTo-Json")" = "[]" ] || fail "TlsFailures fired at the default 10"
mf "Set-MailFlowConfig -TlsFailuresThreshold 0" >/dev/null
mf "Get-MailFlowInsights -Rule TlsFailures | ConvertTo-Json" >"$tmp/stored.json"
cmp -s "$tmp/asinsight.json" "$tmp/stored.json" || fail "stored TlsFailuresThreshold: $(cat "$tmp/stored.json")"
mf "Set-MailFlowConfig -TlsFailuresThreshold 10" >/dev/null

# Importing both again adds nothing and changes no report.
mf "Get-TlsPeerReport | ConvertTo-Json" >"$tmp/before.json"
mf "Import-MessageTrace -Path '$input','$exchange' | ConvertTo-Csv" >"$tmp/again.csv"
python3 - "$tmp/again.csv" <<'PY' || fail "re-import: $(cat "$tmp/again.csv")"
import csv, sys
for row in csv.DictReader(open(sys.argv[1])):
    assert row["Imported"] == "0", row
PY
mf "Get-TlsPeerReport | ConvertTo-Json" >"$tmp/after.json"
cmp -s "$tmp/before.json" "$tmp/after.json" || fail "a re-import changed Get-TlsPeerReport"
[ "$(mf "(Get-TlsFailure).Count" 2>/dev/null || mf "Get-TlsFailure | Measure-Object | Select-Object -ExpandProperty Count")" = 1 ] ||
  fail "a re-import added failures"

# Lua: every cmdlet is a function; a change review fails with exit status 3.
out=$("$mailflow" --db "$tmp/db" --now 2026-11-22 -c 'print(#GetTlsPeerReport{ MaximumVersion = "TLS1.1" }, #GetSmtpAuthClientReport{}, #TestTlsPolicy{ MinimumVersion = "TLS1.0", AsInsight = true })')
[ "$out" = "4	0	0" ] || fail "Lua functions: $out"
cat >"$tmp/review.lua" <<'LUA'
local breaks = TestTlsPolicy{ MinimumVersion = arg[1], AsInsight = true }
for _, r in ipairs(breaks) do print(r.Direction, r.Connector, r.Messages) end
if #breaks > 0 then exit(3) end
LUA
set +e
"$mailflow" --db "$tmp/db" --now 2026-11-22 "$tmp/review.lua" TLS1.2 >"$tmp/review.out"; status=$?
"$mailflow" --db "$tmp/db" --now 2026-11-22 "$tmp/review.lua" TLS1.0 >/dev/null; safe=$?
set -e
[ "$status" = 3 ] || fail "the review script exits $status for TLS1.2, not 3: $(cat "$tmp/review.out")"
[ "$safe" = 0 ] || fail "the review script exits $safe for TLS1.0, not 0"

# Bad input: a first line naming the parameter or the value, exit status 1.
expect_error() {  # expect_error PIPELINE MESSAGE-PART
  set +e
  "$mailflow" --db "$tmp/db" --now 2026-11-22 -c "$1" >/dev/null 2>"$tmp/err"; local s=$?
  set -e
  [ "$s" = 1 ] || fail "'$1' exits $s, not 1"
  head -1 "$tmp/err" | grep -qF -- "$2" || fail "'$1': $(cat "$tmp/err")"
}
expect_error "Test-TlsPolicy" "MinimumVersion"
expect_error "Test-TlsPolicy -MinimumVersion TLS2" "TLS2"
expect_error "Get-TlsPeerReport -By Country" "Country"
expect_error "Get-TlsPeerReport -Days 40" "30"
expect_error "Get-TlsFailure -By Day -AsInsight" "-By and -AsInsight exclude each other"
expect_error "Get-TlsPeerReport -Connector Nowhere" "Nowhere"
echo "tls_readiness: ok"
