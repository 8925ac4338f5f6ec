#!/usr/bin/env bash
# The store is opened only if it is mailflow's, and a read-only store is
# readable (issue 16, item 4): another application's SQLite file is refused
# and left byte-for-byte unchanged; a store on a read-only mount answers the
# reading cmdlets and refuses writes with one clear line.
# Usage: bash tests/e2e/hostile_store.sh path/to/mailflow   (from the repo root)
set -uo pipefail
mailflow="$(realpath "$1")"
work="$(mktemp -d)"
trap 'umount "$work/ro" 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Another application's database: refused, not modified.
sqlite3 "$work/other.db" "CREATE TABLE moz_places(id INTEGER PRIMARY KEY, url TEXT); INSERT INTO moz_places(url) VALUES('https://example.org/');"
before="$(sha256sum < "$work/other.db")"
"$mailflow" --db "$work/other.db" -c "Get-MessageTrace" > "$work/out" 2> "$work/err"; rc=$?
[ "$rc" = 1 ] || fail "another application's database exited $rc, expected 1"
grep -q "is not a mailflow store" "$work/err" || fail "no clear error: $(cat "$work/err")"
[ "$(wc -l < "$work/err")" = 1 ] || fail "error is not one line: $(cat "$work/err")"
[ "$(sha256sum < "$work/other.db")" = "$before" ] || fail "another application's database was modified"
[ ! -e "$work/other.db-wal" ] || fail "a WAL file was created beside another application's database"

# Garbage user_version: refused cleanly (it once crashed).
sqlite3 "$work/neg.db" "PRAGMA user_version = -1;"
"$mailflow" --db "$work/neg.db" -c "Get-MessageTrace" > /dev/null 2> "$work/err"; rc=$?
[ "$rc" = 1 ] || fail "user_version -1 exited $rc, expected 1"
grep -q "has schema version -1, which no mailflow writes" "$work/err" || fail "no clear error: $(cat "$work/err")"

# A read-only mount: the reading cmdlets work, writes fail clearly.
mkdir -p "$work/rw" "$work/ro"
"$mailflow" --db "$work/rw/t.db" --now 2026-11-22 -c "Import-MessageTrace -Path examples/sample-traces.csv" > /dev/null \
  || fail "import into a fresh store failed"
expected="$("$mailflow" --db "$work/rw/t.db" --now 2026-11-22 -c "Get-TlsUsage -Days 30 | ConvertTo-Json -Compress")"
ro_script="mount --bind '$work/rw' '$work/ro' && mount -o remount,bind,ro '$work/ro' && {
  '$mailflow' --db '$work/ro/t.db' --now 2026-11-22 -c 'Get-TlsUsage -Days 30 | ConvertTo-Json -Compress' > '$work/ro_out' 2> '$work/ro_err'; echo \$? > '$work/ro_rc'
  '$mailflow' --db '$work/ro/t.db' --now 2026-11-22 -c 'Set-MailFlowConfig -MaxReportDays 40' > /dev/null 2> '$work/ro_werr'; echo \$? > '$work/ro_wrc'
}"
if unshare -rm sh -c "$ro_script" 2> "$work/unshare_err" || { [ "$(id -u)" = 0 ] && sh -c "$ro_script; umount '$work/ro'"; }; then
  [ "$(cat "$work/ro_rc")" = 0 ] || fail "reading a store on a read-only mount exited $(cat "$work/ro_rc"): $(cat "$work/ro_err")"
  [ "$(cat "$work/ro_out")" = "$expected" ] || fail "read-only store gave different rows"
  [ "$(cat "$work/ro_wrc")" = 1 ] || fail "writing a read-only store exited $(cat "$work/ro_wrc")"
  grep -q "readonly\|read-only" "$work/ro_werr" || fail "no clear write error: $(cat "$work/ro_werr")"
else
  echo "hostile_store e2e: cannot mount read-only here ($(cat "$work/unshare_err")); read-only part not run" >&2
fi
echo "hostile_store e2e: ok"
