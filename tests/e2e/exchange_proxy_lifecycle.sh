#!/usr/bin/env bash
# Exchange 2013+ outbound proxy through the Front End Transport service, and
# the record lifecycle of a deferral, through the mailflow binary on the
# fixtures of tests/data/exchange/proxy (sources in the README there):
#  - a message sent through the front-end proxy is exactly one outbound record,
#    to the target the front end connected to (not the front end itself);
#  - its TLS is the front end's session to the target, never the Transport
#    service's TLS hop to the front end, whatever order the logs come in;
#  - a DEFER in one tracking file and the SEND in the next make one record,
#    Pending then Delivered: two files in two imports equal one import of
#    both, in either order, records and rollup alike.
# Usage: bash tests/e2e/exchange_proxy_lifecycle.sh path/to/mailflow   (from the repo root)
set -euo pipefail
mailflow="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
root="$PWD"
data="$root/tests/data/exchange"
px="$data/proxy/EXMBX03"
check="$root/tests/e2e/lib/exchange_check.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "exchange_proxy_lifecycle: $*" >&2; exit 1; }
cd "$tmp"
db=x.db
mf() { "$mailflow" --db "$db" --now 2026-11-23 -c "$1"; }
fresh() {
  db="$1.db"
  rm -f "$db"
  mf "Set-MailFlowConfig -OrganizationDomains contoso.com -InternalNetworks 10.0.0.0/16" >/dev/null
}
expect() {  # expect EXPECTED-FILE NAME
  mf "Get-MessageTrace -StartDate 2026-11-10 -EndDate 2026-11-23 -PageSize 5000 | ConvertTo-Csv" >"$2.got"
  python3 "$check" "$data/expected/$1" "$2.got" || fail "$2: records differ from expected/$1"
}
rollup() {  # the store's whole daily rollup, as mailflow reports it
  mf "Get-ConnectorReport -StartDate 2026-11-20 -EndDate 2026-11-20 | ConvertTo-Csv"
  mf "Get-TlsUsage -StartDate 2026-11-20 -EndDate 2026-11-20 -ByConnector | ConvertTo-Csv"
  sqlite3 "$db" "SELECT day, direction, connector, tls, status, messages, bytes FROM daily_rollup ORDER BY 1, 2, 3, 4, 5"
}
h10="$px/MSGTRK2026112010-1.LOG"
h11="$px/MSGTRK2026112011-1.LOG"
hub="$px/Hub/SEND2026112010-1.LOG"
fe="$px/FrontEnd/SEND2026112010-1.LOG"

# 1. Both tracking files in one import: three outbound records, to the targets.
fresh one
mf "Import-MessageTrace -Path '$h10','$h11' | ConvertTo-Csv" >one.csv
python3 - one.csv <<'PY' || fail "one import summary: $(cat one.csv)"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert [r["Format"] for r in rows] == ["ExchangeTracking"] * 2, rows
assert sum(int(r["Rejected"]) for r in rows) == 0, rows
PY
expect proxy.csv one
rollup >one.rollup

# 2. The first hour alone: the deferral is a Pending record ...
fresh two
mf "Import-MessageTrace -Path '$h10'" >/dev/null
expect proxy-first-hour.csv two-first
# ... which the second import turns into the Delivered one: the same store as one import.
mf "Import-MessageTrace -Path '$h11'" >/dev/null
expect proxy.csv two
rollup >two.rollup
diff -u one.rollup two.rollup || fail "two imports left another rollup than one import"
# Importing the deferral's file again adds nothing and brings no Pending back.
mf "Import-MessageTrace -Path '$h10' | ConvertTo-Csv" >again.csv
python3 - again.csv <<'PY' || fail "re-import: $(cat again.csv)"
import csv, sys
r = list(csv.DictReader(open(sys.argv[1])))[0]
assert r["Imported"] == "0", r
PY
expect proxy.csv two-again
rollup >two-again.rollup
diff -u one.rollup two-again.rollup || fail "re-import changed the rollup"

# 3. The send's file first, the deferral's after: still the same.
fresh rev
mf "Import-MessageTrace -Path '$h11'" >/dev/null
mf "Import-MessageTrace -Path '$h10'" >/dev/null
expect proxy.csv rev
rollup >rev.rollup
diff -u one.rollup rev.rollup || fail "the import order changed the rollup"

# 4. The Transport service's own SmtpSend log: its TLS hop to the front end is
#    inside and gives the records nothing; the front end's log gives the TLS.
db=two.db
mf "Import-MessageTrace -Path '$hub' | ConvertTo-Csv" >hub.csv
grep -q ',ExchangeProtocol,' hub.csv || fail "hub SmtpSend log not detected: $(cat hub.csv)"
expect proxy.csv hub-only
mf "Import-MessageTrace -Path '$fe'" >/dev/null
expect proxy-with-protocol.csv tls-after
rollup >tls-after.rollup

# 5. Protocol logs first, then tracking in two imports: the same records and rollup.
fresh tlsfirst
mf "Import-MessageTrace -Path '$fe','$hub'" >/dev/null
mf "Import-MessageTrace -Path '$h10'" >/dev/null
mf "Import-MessageTrace -Path '$h11'" >/dev/null
expect proxy-with-protocol.csv tls-before
rollup >tls-before.rollup
diff -u tls-after.rollup tls-before.rollup || fail "the rollup depends on the order of protocol and tracking logs"
mf "Get-TlsUsage -StartDate 2026-11-20 -EndDate 2026-11-20 -Direction Outbound | ConvertTo-Csv" >usage.csv
python3 - usage.csv <<'PY' || fail "TLS usage of the proxied sends: $(cat usage.csv)"
import csv, sys
got = sorted((r["TlsVersion"], r["Messages"]) for r in csv.DictReader(open(sys.argv[1])))
assert got == [("None", "1"), ("TLS1.2", "2")], got
PY
echo "exchange_proxy_lifecycle: ok"
