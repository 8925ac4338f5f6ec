#!/usr/bin/env bash
# Runs fuzz targets of BUILD_DIR (configured with -DMAILFLOW_FUZZ=ON) for
# SECONDS each, one at a time, seeded from the test fixtures, and prints each
# target's executions per second and the 1-minute load average when it ended
# (the rate means little without it on a shared machine). A finding makes the
# run end with status 1 and leaves the crashing input in
# BUILD_DIR/fuzz/findings/. Without TARGET names every target runs; two runs
# with different targets may go side by side (each seeds only its own).
# Usage (from the repository root): tests/fuzz/run.sh BUILD_DIR [SECONDS [TARGET...]]
#   TARGET: csv_reader jsonl_reader postfix_reader exchange_tracking_reader
#           exchange_protocol_reader exchange_online_reader
#           exchange_connector_report_reader pipeline json_output lua_bridge
set -euo pipefail
build="${1:?usage: tests/fuzz/run.sh BUILD_DIR [SECONDS [TARGET...]]}"
seconds="${2:-60}"
shift $(($# < 2 ? $# : 2))
all=(csv_reader jsonl_reader postfix_reader exchange_tracking_reader exchange_protocol_reader
     exchange_online_reader exchange_connector_report_reader pipeline json_output lua_bridge)
targets=("$@")
((${#targets[@]})) || targets=("${all[@]}")
cd "$(dirname "$0")/../.."
fuzz="$build/fuzz"
mkdir -p "$fuzz/findings" "$fuzz/corpus" "$fuzz/seeds"

# copy_seeds DIR FILE...: copies each file under a name made of its path
# (several servers' folders hold files of the same name).
copy_seeds() {
  local into=$1 f
  shift
  for f in "$@"; do
    [ -f "$f" ] && [ "$(stat -c %s "$f")" -le 262144 ] && cp "$f" "$into/${f//\//_}"
  done
  return 0
}

# Seeds for one target from the fixtures of its format.
seed() {
  local into="$fuzz/seeds/$1"
  rm -rf "$into"
  mkdir -p "$into"
  shopt -s nullglob globstar
  case $1 in
    csv_reader) copy_seeds "$into" examples/*.csv tests/e2e/*.csv tests/e2e/input/**/*.csv tests/data/**/*.csv ;;
    jsonl_reader) copy_seeds "$into" examples/*.jsonl tests/e2e/input/**/*.jsonl tests/data/**/*.jsonl ;;
    postfix_reader) copy_seeds "$into" tests/data/**/*.log ;;
    exchange_tracking_reader)
      copy_seeds "$into" tests/data/exchange/**/MSGTRK*.LOG tests/data/exchange/gmtl-export/*.csv ;;
    exchange_protocol_reader)
      copy_seeds "$into" tests/data/exchange/**/RECV*.LOG tests/data/exchange/**/SEND*.LOG ;;
    exchange_online_reader) copy_seeds "$into" tests/data/exchange/exo/* tests/data/exchange/historical/* ;;
    exchange_connector_report_reader) copy_seeds "$into" tests/data/exchange/connector-report/*.csv ;;
    pipeline) cp tests/fuzz/seeds/pipeline/* "$into/" ;;
    json_output) printf 'x' > "$into/one" ;;
    lua_bridge) copy_seeds "$into" stdlib/**/*.lua scripts/**/*.lua examples/**/*.lua ;;
    *) echo "fuzz: unknown target '$1' (one of: ${all[*]})" >&2; exit 2 ;;
  esac
  shopt -u nullglob globstar
  if [ -z "$(ls -A "$into")" ]; then echo "fuzz: no seeds for $1" >&2; exit 2; fi
}

status=0
for target in "${targets[@]}"; do
  seed "$target"
  exe="$fuzz/fuzz_$target"
  [ -x "$exe" ] || { echo "fuzz: $exe is missing (configure with -DMAILFLOW_FUZZ=ON)" >&2; exit 2; }
  corpus="$fuzz/corpus/$target"
  mkdir -p "$corpus"
  log="$fuzz/$target.log"
  if "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -artifact_prefix="$fuzz/findings/$target-" -print_final_stats=1 \
       "$corpus" "$fuzz/seeds/$target" > "$log" 2>&1; then
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    load=$(cut -d' ' -f1 /proc/loadavg)
    echo "fuzz_$target: ${seconds}s, ${execs:-?} executions, ${rate:-?} exec/s, load ${load}, no finding"
  else
    echo "fuzz_$target: FINDING (see $log and $fuzz/findings/)" >&2
    tail -40 "$log" >&2
    status=1
  fi
done
exit $status
