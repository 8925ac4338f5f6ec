#!/usr/bin/env bash
# A mailflow reader that opens a store while another mailflow process is
# still creating it: the importer has just created the file and is running
# its migrations (each in a transaction of its own), or has started its
# first batch. The reader must then wait under the busy timeout or finish
# the migrations itself (migrate() re-reads the version inside the write
# lock), and answer: exit 0, no error on stderr, a count no larger than
# the file's. Meanwhile the import must finish with every record. Readers
# start at staggered moments (0 to ~30 ms after the importer), so some land
# before the first migration commits, some during the migrations, some
# during the load.
# Usage: bash tests/e2e/reader_during_creation.sh path/to/mailflow   (from the repo root)
set -uo pipefail
mailflow="$(realpath "$1")"
work="$(mktemp -d)"
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2> /dev/null; wait 2> /dev/null; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$work" || exit 1

"$mailflow" --db gen.db -c "New-SampleTraceData -Path traces.csv -Days 3 -EndDate 2026-11-20 -MessagesPerDay 3000 -Seed 5" > /dev/null ||
  fail "New-SampleTraceData exited $?"
total=$(( $(wc -l < traces.csv) - 1 ))

RANDOM=77
early=0
for round in $(seq 1 24); do
  rm -f new.db new.db-wal new.db-shm
  "$mailflow" --db new.db -c "Import-MessageTrace -Path traces.csv | ConvertTo-Csv" > import.csv 2> import.err &
  pid=$!
  # Rounds 1-8 start the reader at once, the others after up to ~30 ms.
  if [ "$round" -gt 8 ]; then sleep "0.0$(( RANDOM % 30 ))"; fi
  [ -s new.db ] || early=$((early + 1))  # the importer has not written a page yet
  "$mailflow" --db new.db -c "Get-MessageTrace -StartDate 2026-11-01 -EndDate 2026-11-21 -PageSize 5000 | Measure-Object | ConvertTo-Csv" \
    > reader.csv 2> reader.err || fail "round $round: the reader exited $?: $(head -c 300 reader.err)"
  [ -s reader.err ] && fail "round $round: the reader wrote to stderr: $(head -c 300 reader.err)"
  count=$(tail -n 1 reader.csv | cut -d, -f1 | tr -d '"')
  [[ "$count" =~ ^[0-9]+$ ]] && [ "$count" -le "$total" ] || fail "round $round: the reader counted '$count' (file: $total)"
  wait "$pid" || fail "round $round: the import exited $? while a reader opened the store: $(head -c 300 import.err)"
  pid=
  IFS=, read -r _ _ _ imported _ rejected < <(tail -n 1 import.csv | tr -d '"')
  [ "$imported" = "$total" ] && [ "$rejected" = 0 ] || fail "round $round: import summary $(tail -n 1 import.csv)"
  [ "$(sqlite3 new.db 'PRAGMA user_version')" = "$(sqlite3 gen.db 'PRAGMA user_version')" ] ||
    fail "round $round: the store's schema version differs from a store created alone"
  [ "$(sqlite3 new.db 'SELECT count(*) FROM traces')" = "$total" ] || fail "round $round: the store lost records"
done
echo "reader during creation e2e: ok (24 rounds, $early readers started before the store had its first page)"
