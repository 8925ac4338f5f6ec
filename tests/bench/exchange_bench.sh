#!/usr/bin/env bash
# Exchange import benchmark: a generated set of message tracking and SMTP
# protocol logs (exchange_gen.py, shaped like tests/data/exchange) imported by
# the mailflow binary in one Import-MessageTrace call, RUNS times into a fresh
# store each, niced. Prints per run: wall time, lines, records imported and
# records (traces and protocol-log sessions) imported per second and MiB/s, by
# wall and by CPU time (user + system; the steadier figure on a shared
# machine), peak RSS (the process's maxrss), and the load average before and
# after.
#
# Usage (from the repo root; see tests/bench/README.md):
#   tests/bench/exchange_bench.sh BUILD/mailflow [SIZE_MB=1024] [RUNS=3] [DIR=BUILD/bench-exchange]
set -euo pipefail
mailflow="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
size_mb=${2:-1024}
runs=${3:-3}
dir=${4:-"$(dirname "$mailflow")/bench-exchange"}
here="$(cd "$(dirname "$0")" && pwd)"
data="$dir/logs-$size_mb"
mkdir -p "$dir"
if [ ! -f "$data/.complete" ]; then
  rm -rf "$data"
  nice -n 10 python3 "$here/exchange_gen.py" "$data" "$size_mb"
  touch "$data/.complete"
fi
bytes=$(du -sb --exclude=.complete "$data" | cut -f1)
echo "data: $data, $(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1048576}') MiB in $(find "$data" -name '*.LOG' | wc -l) files"
for run in $(seq 1 "$runs"); do
  db="$dir/bench.db"
  rm -f "$db" "$db-wal" "$db-shm"
  "$mailflow" --db "$db" -c "Set-MailFlowConfig -OrganizationDomains contoso.com -InternalNetworks 10.0.0.0/16" >/dev/null
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  /usr/bin/time -f '%e %M %U %S' -o "$dir/time.txt" nice -n 10 "$mailflow" --db "$db" -c \
    "Import-MessageTrace -Path '$data/*/*.LOG' | ConvertTo-Csv" >"$dir/summary.csv"
  load_after=$(cut -d' ' -f1-3 /proc/loadavg)
  read -r wall rss_kib user sys <"$dir/time.txt"
  python3 - "$dir/summary.csv" "$wall" "$rss_kib" "$bytes" "$run" "$load_before" "$load_after" "$user" "$sys" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
wall, rss, size, run = float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
cpu = float(sys.argv[8]) + float(sys.argv[9])
lines = sum(int(r["Lines"]) for r in rows)
imported = sum(int(r["Imported"]) for r in rows)
rejected = sum(int(r["Rejected"]) for r in rows)
print(f"run {run}: {wall:.1f} s wall, {cpu:.1f} s CPU, {lines} lines, {imported} records imported "
      f"({rejected} rejected): {imported / wall:,.0f} records/s wall ({imported / cpu:,.0f}/s CPU), "
      f"{size / 1048576 / wall:.1f} MiB/s wall ({size / 1048576 / cpu:.1f} MiB/s CPU), "
      f"peak RSS {rss / 1024:.1f} MiB, load {sys.argv[6]} -> {sys.argv[7]}")
PY
done
sqlite3 "$dir/bench.db" "SELECT 'stored: ' || count(*) || ' traces, ' || sum(tls = -1) || ' without TLS (Unknown), ' || sum(status = 'Pending') || ' Pending' FROM traces"
