#!/usr/bin/env bash
# Exchange logs and exports through the mailflow binary, checked against the
# hand-written expected records of tests/data/exchange/expected/ (see the
# README there for the sources of every fixture):
#  - message tracking of five logs on three servers (OWA submit, internal hop,
#    shadow redundancy, Edge, SENDEXTERNAL) makes exactly one outbound record
#    per message, whatever order the files come in;
#  - the SMTP protocol logs give those records their TLS, imported after or
#    before the tracking logs;
#  - Exchange 2010 and 2013 tracking, the MSGTRKMA log, Get-MessageTrackingLog
#    exports (with the System.String[] trap), Exchange Online traces in every
#    shape, historical search reports (UTF-16LE and UTF-8), the EAC connector
#    report into the rollup; and the errors.
# Usage: bash tests/e2e/exchange_import.sh path/to/mailflow   (from the repo root)
set -euo pipefail
mailflow="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
root="$PWD"
data="$root/tests/data/exchange"
check="$root/tests/e2e/lib/exchange_check.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "exchange_import: $*" >&2; exit 1; }
cd "$tmp"
db=x.db
mf() { "$mailflow" --db "$db" --now 2026-11-23 -c "$1"; }
fresh() {
  db="$1.db"
  rm -f "$db"
  mf "Set-MailFlowConfig -OrganizationDomains contoso.com -InternalNetworks 10.0.0.0/16" >/dev/null
}
traces() { mf "Get-MessageTrace -StartDate 2026-11-10 -EndDate 2026-11-23 -PageSize 5000 | ConvertTo-Csv" >"$1"; }
expect() {  # expect EXPECTED-FILE NAME
  traces "$2.got"
  python3 "$check" "$data/expected/$1" "$2.got" || fail "$2: records differ from expected/$1"
}
summary_field() {  # summary_field FILE FIELD -> the field's value summed over the rows
  python3 - "$1" "$2" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print(sum(int(r[sys.argv[2]]) for r in rows))
PY
}

ms="$data/multiserver"
trk_files=("$ms/EXMBX01/MSGTRKMS2026111809-1.LOG" "$ms/EXMBX01/MSGTRK2026111809-1.LOG"
           "$ms/EXMBX01/MSGTRKMD2026111809-1.LOG" "$ms/EXMBX02/MSGTRK2026111809-1.LOG"
           "$ms/EXEDGE01/MSGTRK2026111809-1.LOG")
joined() { local IFS=,; echo "$*"; }
proto="'$ms/EXEDGE01/RECV2026111809-1.LOG','$ms/EXEDGE01/SEND2026111809-1.LOG'"
trk=$(printf "'%s'," "${trk_files[@]}"); trk=${trk%,}

# 1. Multi-server tracking, all files in one call: detected, one outbound record.
fresh multi
mf "Import-MessageTrace -Path $trk | ConvertTo-Csv" >summary.csv
python3 - summary.csv <<'PY' || fail "multi-server summary"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert [r["Format"] for r in rows] == ["ExchangeTracking"] * 5, [r["Format"] for r in rows]
assert sum(int(r["Imported"]) for r in rows) == 3, rows
assert sum(int(r["Rejected"]) for r in rows) == 0, rows
PY
expect multiserver-tracking.csv multi
# Importing them again adds nothing.
mf "Import-MessageTrace -Path $trk | ConvertTo-Csv" >again.csv
[ "$(summary_field again.csv Imported)" = 0 ] || fail "re-import imported records"
[ "$(summary_field again.csv Duplicates)" = 3 ] || fail "re-import: duplicates $(summary_field again.csv Duplicates), want 3"

# 2. The same files one by one in the reverse order: the same three records.
fresh reverse
for ((i = ${#trk_files[@]} - 1; i >= 0; i--)); do
  mf "Import-MessageTrace -Path '${trk_files[$i]}'" >/dev/null
done
expect multiserver-tracking.csv reverse

# 3. Protocol logs after the tracking logs: the records get TLS and cipher.
db=multi.db
mf "Import-MessageTrace -Path $proto | ConvertTo-Csv" >proto.csv
python3 - proto.csv <<'PY' || fail "protocol summary"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert [r["Format"] for r in rows] == ["ExchangeProtocol"] * 2, [r["Format"] for r in rows]
assert sum(int(r["Rejected"]) for r in rows) == 0, rows
PY
expect multiserver-with-protocol.csv tls-after
mf "Get-TlsUsage -StartDate 2026-11-18 -EndDate 2026-11-18 | ConvertTo-Csv" >usage-after.csv

# 4. Protocol logs first, then tracking: the same records.
fresh before
mf "Import-MessageTrace -Path $proto" >/dev/null
mf "Import-MessageTrace -Path $trk" >/dev/null
expect multiserver-with-protocol.csv tls-before
mf "Get-TlsUsage -StartDate 2026-11-18 -EndDate 2026-11-18 | ConvertTo-Csv" >usage-before.csv
diff -u usage-after.csv usage-before.csv || fail "the rollup depends on the import order"

# 5. Tracking alone: TLS Unknown is not plain text. Shares over known traffic only,
#    an Unknown row with its count and no percent.
db=reverse.db
mf "Get-TlsUsage -StartDate 2026-11-18 -EndDate 2026-11-18 | ConvertTo-Csv" >usage-unknown.csv
python3 - usage-unknown.csv <<'PY' || fail "Get-TlsUsage with Unknown: $(cat usage-unknown.csv)"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
got = sorted((r["Direction"], r["TlsVersion"], r["Messages"], r["Percent"]) for r in rows)
assert got == [("Inbound", "Unknown", "2", ""), ("Outbound", "Unknown", "1", "")], got
PY

# 6. Exchange 2010 and 2013 (with the moderation log).
fresh ex2010
mf "Import-MessageTrace -Path '$data/ex2010/MSGTRK20261116-1.LOG'" >/dev/null
expect ex2010.csv ex2010
fresh ex2013
mf "Import-MessageTrace -Path '$data/ex2013/MSGTRK2026111707-1.LOG','$data/ex2013/MSGTRKMA2026111709-1.LOG'" >/dev/null
expect ex2013.csv ex2013

# 7. Get-MessageTrackingLog | Export-Csv: arrays joined, times in the exporting machine's zone.
fresh gmtl
mf "Import-MessageTrace -Path '$data/gmtl-export/joined-notype.csv' -TimeZone -05:00 | ConvertTo-Csv" >gmtl.csv
grep -q ',ExchangeTracking,' gmtl.csv || fail "Get-MessageTrackingLog export not detected: $(cat gmtl.csv)"
expect ex2013.csv gmtl
# The raw export: every boundary row names the field that Export-Csv emptied.
fresh gmtlraw
mf "Import-MessageTrace -Path '$data/gmtl-export/raw-export.csv' -TimeZone -05:00 | ConvertTo-Csv" >raw.csv 2>/dev/null
mf "Get-ImportReject | ConvertTo-Csv" >raw-rejects.csv
python3 - "$data/expected/gmtl-raw-rejects.csv" raw-rejects.csv <<'PY' || fail "raw export rejects: $(cat raw-rejects.csv)"
import csv, sys
want = [(r["line"], r["reason"]) for r in csv.DictReader(open(sys.argv[1]))]
got = [(r["Line"], r["Reason"]) for r in csv.DictReader(open(sys.argv[2]))]
assert [l for l, _ in got] == [l for l, _ in want], got
for (_, field), (_, reason) in zip(want, got):
    assert field in reason and "System.String[]" in reason, reason
PY

# 8. Exchange Online message traces, every shape: the same records.
for f in messagetrace-remote-session.csv messagetracev2.csv messagetrace-ps51.json messagetracev2-ps7.jsonl \
         reportingwebservice-verbose.json reportingwebservice-light.json; do
  fresh "exo-$f"
  mf "Import-MessageTrace -Path '$data/exo/$f' | ConvertTo-Csv" >"$f.summary"
  grep -q ',ExchangeOnline,' "$f.summary" || fail "$f not read as ExchangeOnline: $(cat "$f.summary")"
  expect exo.csv "exo-$f"
done

# 9. Historical search reports: UTF-16LE as delivered, and UTF-8.
for f in summary-utf16.csv summary-utf8.csv; do
  fresh "hist-$f"
  mf "Import-MessageTrace -Path '$data/historical/$f'" >/dev/null
  expect historical-summary.csv "hist-$f"
done
fresh hist-ext
mf "Import-MessageTrace -Path '$data/historical/extended-utf16.csv'" >/dev/null
expect historical-extended.csv hist-ext

# 10. The EAC connector report goes into the rollup: totals, no trace records.
fresh conn
mf "Import-MessageTrace -Path '$data/connector-report/inbound-outbound-report.csv' | ConvertTo-Csv" >conn.csv
grep -q ',ExchangeConnectorReport,' conn.csv || fail "connector report not detected: $(cat conn.csv)"
mf "Get-TlsUsage -StartDate 2026-11-10 -EndDate 2026-11-11 -ByConnector | ConvertTo-Csv" >conn-usage.csv
python3 - "$data/expected/connector-report-rollup.csv" conn-usage.csv <<'PY' || fail "connector report rollup"
import csv, sys
from collections import Counter
want = Counter()
for r in csv.DictReader(open(sys.argv[1])):
    want[(r["direction"], r["connector"], r["tls"])] += int(r["messages"])
got = Counter({(r["Direction"], r["Connector"], r["TlsVersion"]): int(r["Messages"])
               for r in csv.DictReader(open(sys.argv[2]))})
assert got == want, (got, want)
PY
mf "Import-MessageTrace -Path '$data/connector-report/inbound-outbound-report.csv' | ConvertTo-Csv" >conn2.csv
[ "$(summary_field conn2.csv Imported)" = 0 ] || fail "connector report re-import added totals: $(cat conn2.csv)"
mf "Get-TlsUsage -StartDate 2026-11-10 -EndDate 2026-11-11 -ByConnector | ConvertTo-Csv" >conn-usage2.csv
diff -u conn-usage.csv conn-usage2.csv || fail "connector report re-import changed the rollup"
n=$(mf "Get-MessageTrace -StartDate 2026-11-10 -EndDate 2026-11-11 | ConvertTo-Csv" 2>totals-warning.txt | wc -l)
[ "$n" -le 1 ] || fail "the connector report made trace records"
grep -qx "WARNING: 2026-11-10, 2026-11-11: totals only (imported from the connector report), no message records for those days" \
  totals-warning.txt || fail "Get-MessageTrace does not say the days have totals only: $(cat totals-warning.txt)"
mf "Get-MessageTrace -StartDate 2026-11-12 -EndDate 2026-11-13" 2>no-warning.txt >/dev/null
[ ! -s no-warning.txt ] || fail "warning outside the report's days: $(cat no-warning.txt)"

# 11. Errors name the file, the line and the field.
fresh errors
printf '\xef\xbb\xbf#Software: Microsoft Exchange Server\r\n2026-11-18T09:00:00.000Z,10.0.0.1\r\n' >nofields.LOG
if mf "Import-MessageTrace -Path nofields.LOG -Format ExchangeTracking" 2>err.txt; then fail "data before #Fields accepted"; fi
grep -q "nofields.LOG" err.txt && grep -q "line 2" err.txt && grep -q "#Fields" err.txt ||
  fail "no file/line/#Fields in: $(cat err.txt)"
head -5 "$data/ex2010/MSGTRK20261116-1.LOG" >badtime.LOG
printf '2026-13-40T09:00:00.000Z,209.85.220.41,x,10.0.3.31,EXHUB10,S1;t;0,EXHUB10\\Default EXHUB10,SMTP,RECEIVE,1,<m@x>,a@contoso.com,,10,1,,,s,b@gmail.com,b@gmail.com,,,,,,\r\n' >>badtime.LOG
mf "Import-MessageTrace -Path badtime.LOG | ConvertTo-Csv" >bad.csv 2>/dev/null
[ "$(summary_field bad.csv Rejected)" = 1 ] || fail "bad date-time not rejected: $(cat bad.csv)"
mf "Get-ImportReject | ConvertTo-Csv" | grep -q ',6,bad date-time' || fail "reject does not name line 6 and date-time"
echo "exchange_import: ok"
