#!/usr/bin/env bash
# Import-MessageTrace end to end with the real binary on real files: the
# bundled sample (first import, then a re-import that adds nothing), a file
# with bad lines (exact counts, rejects kept and listed by Get-ImportReject),
# JSON Lines by Auto detection, and an import killed with SIGKILL that a
# re-run completes.
# Usage: bash tests/e2e/import.sh path/to/mailflow   (from the repo root)
set -uo pipefail
mailflow="$(realpath "$1")"
root="$(pwd)"
expected="$root/tests/e2e/expected"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
run() { "$mailflow" --db "$work/t.db" --now 2026-11-22 "$@"; }
cd "$work" || exit 1

# 1. The bundled sample, then the same file again.
cp "$root/examples/sample-traces.csv" .
run -c "Import-MessageTrace -Path sample-traces.csv | ConvertTo-Csv" > first.csv || fail "first import exited $?"
diff -u "$expected/import_first.csv" first.csv || fail "first import summary differs"
run -c "Import-MessageTrace -Path sample-traces.csv | ConvertTo-Csv" > again.csv || fail "re-import exited $?"
diff -u "$expected/import_again.csv" again.csv || fail "re-import summary differs"

# 2. A file with bad lines among good ones (a quoted field spanning lines,
#    CRLF line ends): exact counts, and every reject kept with line and reason.
cp "$root/tests/e2e/import_bad.csv" bad.csv
run -c "Import-MessageTrace -Path bad.csv | ConvertTo-Csv" > bad-summary.csv 2> bad-warning.txt ||
  fail "import of bad.csv exited $?"
diff -u "$expected/import_bad_summary.csv" bad-summary.csv || fail "bad.csv summary differs"
grep -qx "WARNING: 7 records of 'bad.csv' rejected and kept; list them with: Get-ImportReject -Path 'bad.csv'" bad-warning.txt ||
  fail "no warning naming Get-ImportReject: $(cat bad-warning.txt)"
run -c "Get-ImportReject -Path bad.csv | ConvertTo-Csv" | sed "s|$work/|WORK/|g" > rejects.csv ||
  fail "Get-ImportReject exited $?"
diff -u "$expected/import_bad_rejects.csv" rejects.csv || fail "kept rejects differ"
# Importing it again keeps the rejects once.
run -c "Import-MessageTrace -Path bad.csv" > /dev/null 2>&1 || fail "re-import of bad.csv exited $?"
n=$(( $(run -c "Get-ImportReject | ConvertTo-Csv" | wc -l) - 1 ))
[ "$n" = 7 ] || fail "after a re-import Get-ImportReject lists $n rejects, expected 7"

# 3. JSON Lines, detected by content.
cat > traces.jsonl <<'JSONL'
{"received":"2026-11-20T09:12:44+01:00","direction":"inbound","connector":"Fabrikam Partner Inbound","tls":"TLSv1.0","cipher":"TLS_RSA_WITH_AES_128_CBC_SHA","sender":"olivia.hart@fabrikam.com","recipient":"megan.bowen@contoso.com","remote_host":"mail.fabrikam.com","remote_ip":"198.51.100.25","size":48213,"status":"Delivered","message_id":"<118822.4F2A@mail.fabrikam.com>"}
{"received":"2026-11-20T08:13:02Z","direction":"Outbound","connector":null,"tls":"1.3","cipher":"TLS_AES_256_GCM_SHA384","sender":"ren\u00e9e.dubois@contoso.com","recipient":"sam@adatum.com","remote_host":"adatum-com.mail.protection.outlook.com","remote_ip":"198.51.100.211","size":"5120","status":"","message_id":"<DM6PR11MB4690A1@DM6PR11MB4690.namprd11.prod.outlook.com>"}
JSONL
run -c "Import-MessageTrace -Path traces.jsonl | ConvertTo-Csv" > jsonl.csv || fail "JSONL import exited $?"
diff -u "$expected/import_jsonl.csv" jsonl.csv || fail "JSONL summary differs"

# 4. An import killed with SIGKILL: the store stays consistent and a re-run
#    adds exactly what is missing.
run -c "New-SampleTraceData -Path big.csv -Days 10 -MessagesPerDay 6000 -Seed 3" > /dev/null || fail "New-SampleTraceData exited $?"
total=$(( $(wc -l < big.csv) - 1 ))
"$mailflow" --db killed.db -c "Import-MessageTrace -Path big.csv" > /dev/null 2>&1 &
pid=$!
# Kill it once its first batch is committed (visible to a reader), else after 1 s.
if command -v sqlite3 > /dev/null; then
  for _ in $(seq 200); do
    n="$(sqlite3 killed.db "SELECT count(*) FROM traces" 2>/dev/null)"
    [ "${n:-0}" -gt 0 ] && break
    sleep 0.05
  done
else
  sleep 1
fi
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
"$mailflow" --db killed.db -c "Import-MessageTrace -Path big.csv | ConvertTo-Csv" > rerun.csv || fail "re-run exited $?"
IFS=, read -r _ _ lines imported duplicates rejected < <(tail -n 1 rerun.csv)
[ "$lines" = $((total + 1)) ] && [ "$rejected" = 0 ] || fail "re-run summary: $(tail -n 1 rerun.csv)"
[ $((imported + duplicates)) = "$total" ] || fail "re-run: $imported imported + $duplicates duplicates != $total"
"$mailflow" --db killed.db -c "Import-MessageTrace -Path big.csv | ConvertTo-Csv" > third.csv || fail "third run exited $?"
[ "$(tail -n 1 third.csv)" = "big.csv,Csv,$((total + 1)),0,$total,0" ] || fail "third run: $(tail -n 1 third.csv)"
if command -v sqlite3 > /dev/null; then
  drift="$(sqlite3 killed.db "SELECT count(*) FROM (SELECT day, direction, connector, tls, status, messages, bytes FROM daily_rollup EXCEPT SELECT received / 86400, direction, coalesce(connector, ''), tls, status, count(*), sum(size) FROM traces GROUP BY 1, 2, 3, 4, 5)")"
  [ "$drift" = 0 ] || fail "daily rollup differs from the traces after the killed import"
fi
echo "import e2e: ok (killed import re-run added $imported of $total)"
