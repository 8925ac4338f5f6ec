#!/usr/bin/env bash
# An import killed with SIGKILL at random points, again and again, then run
# to the end: the store must hold exactly what one clean import of the same
# file holds (same trace rows with their fingerprints, same daily and TLS
# rollups, same refusals), pass SQLite's integrity check, and a reader must be able
# to query it while an import writes. Small enough for CI; the same test on
# a 1M-record file is a matter of -MessagesPerDay.
# Rounds 1-2 import the file in time order, rounds 3-4 the same records
# shuffled: an import of those into an empty store loads in bulk after its
# first batch (README, "Bulk load": the indexes dropped, rebuilt at its end).
# A kill during the load leaves the store without its indexes and the load
# pending; readers must still work then, and the next import must finish the
# load (same indexes as a clean import, nothing pending).
# Usage: bash tests/e2e/import_crash.sh path/to/mailflow   (from the repo root)
set -uo pipefail
mailflow="$(realpath "$1")"
work="$(mktemp -d)"
pid=
# A failure while an import runs in the background: stop it before the
# work directory goes, or it writes into the directory being removed.
trap '[ -n "$pid" ] && kill -9 "$pid" 2> /dev/null; wait 2> /dev/null; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v sqlite3 > /dev/null || fail "sqlite3 is needed (setup.sh installs it)"
cd "$work" || exit 1

"$mailflow" --db gen.db -c "New-SampleTraceData -Path big.csv -Days 14 -MessagesPerDay 4000 -Seed 11" > /dev/null ||
  fail "New-SampleTraceData exited $?"
total=$(( $(wc -l < big.csv) - 1 ))
(head -n 1 big.csv; tail -n +2 big.csv | shuf --random-source=<(yes)) > shuffled.csv
input=big.csv
import() { "$mailflow" --db "$1" -c "Import-MessageTrace -Path $input | ConvertTo-Csv" 2> /dev/null; }

rows() {
  sqlite3 "$1" "SELECT received, direction, connector, tls, cipher, sender, recipient, remote_host, remote_ip,
                       size, status, message_id, fingerprint FROM traces ORDER BY received, fingerprint;
                SELECT * FROM daily_rollup ORDER BY day, direction, connector, tls, status;
                SELECT time, reason, fingerprint FROM refused_connections ORDER BY time, fingerprint;
                SELECT * FROM tls_peer_daily ORDER BY 1, 2, 3, 4, 5, 6, 7;
                SELECT * FROM tls_trust_daily ORDER BY 1, 2, 3, 4;"
}
indexes() { sqlite3 -cmd ".timeout 5000" "$1" "SELECT sql FROM sqlite_schema WHERE tbl_name = 'trace_rows' AND type = 'index' ORDER BY name"; }
pending() { sqlite3 -cmd ".timeout 5000" "$1" "SELECT count(*) FROM config WHERE key = 'bulk-load:indexes'" 2> /dev/null; }

# One clean import of `input`, timed, to spread the kills over its length.
clean_import() {
  rm -f clean.db clean.db-wal clean.db-shm
  start=$(date +%s%N)
  import clean.db > clean.csv || fail "clean import of $input exited $?"
  clean_ms=$(( ($(date +%s%N) - start) / 1000000 + 1 ))
  rows clean.db > clean.rows
  first_day=$(sqlite3 clean.db "SELECT date(min(received), 'unixepoch') FROM trace_rows")
  indexes clean.db > clean.indexes
  [ "$(grep -c . clean.indexes)" -ge 2 ] || fail "a clean import of $input left the store without its indexes"
  [ "$(pending clean.db)" = 0 ] || fail "a clean import of $input left its bulk load pending"
  [ "$(grep -c . clean.rows)" -gt "$total" ] || fail "clean store of $input holds too few rows"
}
clean_import
ordered_rows=$(md5sum < clean.rows)

# Each round: a fresh store, the import killed twice at random points
# (RANDOM seeded: a reproducible run), then run to the end and compared.
RANDOM=4242
kills=0
left_pending=0
for round in 1 2 3 4; do
  if [ "$round" = 3 ]; then
    input=shuffled.csv
    clean_import
    # The same records in another order: the same store content.
    [ "$(md5sum < clean.rows)" = "$ordered_rows" ] || fail "the shuffled file's clean import differs from the ordered one's"
  fi
  rm -f killed.db killed.db-wal killed.db-shm
  for attempt in 1 2; do
    # The binary itself in the background (a function would run in a
    # subshell, and the kill would miss the import).
    "$mailflow" --db killed.db -c "Import-MessageTrace -Path $input" > /dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v ms="$(( RANDOM % (clean_ms * 8 / 10 + 1) ))" 'BEGIN { printf "%.3f", ms / 1000 }')"
    # A reader during the import: it sees committed batches, never an error.
    # Only once the store exists: SQLite creates the file when the importer
    # opens it, and until the first migration commits (user_version 1) it
    # is an empty database with no table at all (a mailflow reader then
    # migrates it or waits; the raw sqlite3 reader here would find no table).
    # From version 1 on `traces` always exists (a table, then a view).
    if [ -f killed.db ] &&
       [ "$(sqlite3 -cmd ".timeout 5000" killed.db 'PRAGMA user_version' 2> /dev/null || echo 0)" -gt 0 ]; then
      sqlite3 -cmd ".timeout 5000" killed.db "SELECT count(*) FROM traces" > /dev/null ||
        fail "a reader could not query the store during an import (round $round)"
    fi
    kill -9 "$pid" 2> /dev/null && kills=$((kills + 1))
    wait "$pid" 2> /dev/null
    pid=
    [ "$(sqlite3 -cmd ".timeout 5000" killed.db 'PRAGMA integrity_check')" = ok ] || fail "integrity check failed (round $round)"
    # Killed during a bulk load: no indexes, and a reader still answers.
    if [ -f killed.db ] && [ "$(pending killed.db)" = 1 ]; then
      left_pending=$((left_pending + 1))
      [ "$(indexes killed.db | grep -c .)" = 0 ] || fail "a pending bulk load with its indexes in place (round $round)"
      "$mailflow" --db killed.db -c "Get-MessageTrace -StartDate $first_day -Days 14 -PageSize 5 | Measure-Object" \
        > /dev/null || fail "Get-MessageTrace failed on a store whose bulk load was cut (round $round)"
    fi
  done
  # Re-run to the end: it adds exactly what is missing.
  import killed.db > rerun.csv || fail "re-run exited $? (round $round)"
  IFS=, read -r _ _ lines imported duplicates rejected < <(tail -n 1 rerun.csv)
  [ "$lines" = $((total + 1)) ] && [ "$rejected" = 0 ] || fail "re-run summary: $(tail -n 1 rerun.csv)"
  [ $((imported + duplicates)) = "$total" ] || fail "re-run: $imported imported + $duplicates duplicates != $total"
  [ "$(pending killed.db)" = 0 ] || fail "round $round: the re-run left a bulk load pending"
  indexes killed.db | cmp -s clean.indexes - || fail "round $round: the re-run did not rebuild the indexes"
  rows killed.db > killed.rows
  cmp -s clean.rows killed.rows ||
    fail "round $round: the store differs from a clean import: $(diff clean.rows killed.rows | head -5)"
  added="${added:-}${added:+, }$imported"
done
echo "import crash e2e: ok ($kills kills at random points, $left_pending of them during a bulk load; the re-runs added $added of $total)"
