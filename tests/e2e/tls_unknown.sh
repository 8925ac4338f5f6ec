#!/usr/bin/env bash
# TLS "Unknown" (issue #14 item 1) end to end: a canonical CSV whose tls
# column says Unknown (any case) for mail whose source did not record TLS.
#  - Get-TlsUsage: shares over the messages whose TLS is known; an Unknown
#    row with its count and a null Percent, listed after the known versions;
#  - insights judge known traffic only: Partner A has 2 None of 4 known
#    (50%, fires "No TLS is over 25%" with Messages 4), and -MinMessages
#    counts known messages (5 silences it although the connector has 10);
#  - the dashboard says "N messages without TLS information".
# Worked out by hand from tests/e2e/input/tls_unknown.csv.
# Usage: bash tests/e2e/tls_unknown.sh path/to/mailflow   (from the repo root)
set -euo pipefail
mailflow="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
input="$PWD/tests/e2e/input/tls_unknown.csv"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8 COLUMNS=200
unset MAILFLOW_RULES MAILFLOW_DB
fail() { echo "tls_unknown: $*" >&2; exit 1; }
mf() { "$mailflow" --db "$tmp/db" --now 2026-11-22 -c "$1"; }

mf "Import-MessageTrace -Path '$input' | ConvertTo-Csv" >"$tmp/import.csv"
python3 - "$tmp/import.csv" <<'PY' || fail "import: $(cat "$tmp/import.csv")"
import csv, sys
r = list(csv.DictReader(open(sys.argv[1])))[0]
assert (r["Imported"], r["Rejected"]) == ("15", "0"), r
PY

mf "Get-TlsUsage | ConvertTo-Json" >"$tmp/usage.json"
python3 - "$tmp/usage.json" <<'PY' || fail "Get-TlsUsage: $(cat "$tmp/usage.json")"
import json, sys
rows = [(r["Direction"], r["TlsVersion"], r["Messages"], r["Percent"]) for r in json.load(open(sys.argv[1]))]
want = [("Inbound", "TLS1.2", 2, 50.0), ("Inbound", "None", 2, 50.0), ("Inbound", "Unknown", 9, None),
        ("Outbound", "TLS1.2", 1, 50.0), ("Outbound", "TLS1.0", 1, 50.0)]
assert rows == want, rows
PY

mf "Get-TlsUsage -ByConnector -Direction Inbound | ConvertTo-Json" >"$tmp/byconn.json"
python3 - "$tmp/byconn.json" <<'PY' || fail "Get-TlsUsage -ByConnector: $(cat "$tmp/byconn.json")"
import json, sys
rows = [(r["Connector"], r["TlsVersion"], r["Messages"], r["Percent"]) for r in json.load(open(sys.argv[1]))]
want = [(None, "Unknown", 3, None), ("Partner A", "TLS1.2", 2, 50.0), ("Partner A", "None", 2, 50.0),
        ("Partner A", "Unknown", 6, None)]
assert sorted(rows, key=str) == sorted(want, key=str), rows
PY

mf "Get-MailFlowInsights | ConvertTo-Json" >"$tmp/insights.json"
python3 - "$tmp/insights.json" <<'PY' || fail "insights: $(cat "$tmp/insights.json")"
import json, sys
rows = [(r["Rule"], r["Connector"], r["Value"], r["Messages"]) for r in json.load(open(sys.argv[1]))]
assert rows == [("NoTls", "Partner A", 50.0, 4)], rows
PY
mf "Get-MailFlowInsights -MinMessages 5 | ConvertTo-Json" >"$tmp/insights5.json"
python3 - "$tmp/insights5.json" <<'PY' || fail "-MinMessages 5 must count known messages: $(cat "$tmp/insights5.json")"
import json, sys
assert json.load(open(sys.argv[1])) == [], "fired"
PY

mf "Export-MailFlowReport -Path '$tmp/report.html'" >/dev/null
grep -q "9 messages without TLS information" "$tmp/report.html" || fail "dashboard: no '9 messages without TLS information'"
echo "tls_unknown: ok"
