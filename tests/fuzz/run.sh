#!/usr/bin/env bash
# Runs every fuzz target of BUILD_DIR (configured with -DMAILFLOW_FUZZ=ON) for
# SECONDS each, one at a time, seeded from the test fixtures, and prints each
# target's executions per second. A finding stops the run with status 1 and
# leaves the crashing input in BUILD_DIR/fuzz/findings/.
# Usage (from the repository root): tests/fuzz/run.sh BUILD_DIR [SECONDS]
set -euo pipefail
build="${1:?usage: tests/fuzz/run.sh BUILD_DIR [SECONDS]}"
seconds="${2:-60}"
cd "$(dirname "$0")/../.."
fuzz="$build/fuzz"
seeds="$fuzz/seeds"
mkdir -p "$fuzz/findings" "$fuzz/corpus"

# Seed corpora from the fixtures: one directory per target.
rm -rf "$seeds"
mkdir -p "$seeds"/{csv,jsonl,postfix,pipeline,json_output,lua_bridge}
cp examples/*.csv tests/e2e/*.csv "$seeds/csv/" 2>/dev/null || true
find tests/data tests/e2e/input -name '*.csv' -size -256k -exec cp {} "$seeds/csv/" \; 2>/dev/null || true
find tests/data tests/e2e/input examples -name '*.jsonl' -size -256k -exec cp {} "$seeds/jsonl/" \; 2>/dev/null || true
find tests/data -name '*.log' -size -256k -exec cp {} "$seeds/postfix/" \; 2>/dev/null || true
cp tests/fuzz/seeds/pipeline/* "$seeds/pipeline/"
printf 'x' > "$seeds/json_output/one"
find stdlib scripts examples -name '*.lua' -size -64k -exec cp {} "$seeds/lua_bridge/" \; 2>/dev/null || true

status=0
for target in csv_reader jsonl_reader postfix_reader pipeline json_output lua_bridge; do
  exe="$fuzz/fuzz_$target"
  [ -x "$exe" ] || { echo "fuzz: $exe is missing (configure with -DMAILFLOW_FUZZ=ON)" >&2; exit 2; }
  corpus="$fuzz/corpus/$target"
  mkdir -p "$corpus"
  log="$fuzz/$target.log"
  if "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -artifact_prefix="$fuzz/findings/$target-" -print_final_stats=1 \
       "$corpus" "$seeds/${target%_reader}" > "$log" 2>&1; then
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    echo "fuzz_$target: ${seconds}s, ${execs:-?} executions, ${rate:-?} exec/s, no finding"
  else
    echo "fuzz_$target: FINDING (see $log and $fuzz/findings/)" >&2
    tail -40 "$log" >&2
    status=1
  fi
done
exit $status
