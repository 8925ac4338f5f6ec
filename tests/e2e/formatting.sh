#!/bin/bash
# Output formatting and help through the real binary: tables, lists, JSON,
# CSV files (refusing to overwrite), and help generated from declarations.
# Usage: bash tests/e2e/formatting.sh path/to/mailflow   (from the repo root)
set -u
MAILFLOW=${1:?usage: formatting.sh path/to/mailflow}
EXPECTED=tests/e2e/expected/formatting
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export LC_ALL=C.UTF-8 COLUMNS=120
fail=0

run() { "$MAILFLOW" --db "$WORK/store.db" -c "$1"; }

# Compares what a file holds with the expected file of that name. (Not fed
# by a pipe: a function at the end of a pipe runs in a subshell and could
# not set `fail`.)
same() {  # name, file
  local name=$1
  if ! diff -u "$EXPECTED/$name.txt" "$2"; then
    echo "FAIL: $name" >&2
    fail=1
  fi
}

check() {  # name, pipeline
  run "$2" >"$WORK/$1.out"
  same "$1" "$WORK/$1.out"
}

check table 'Get-Command -Noun Csv'
check table_property 'gcm -Noun Csv | Format-Table Name,CommandType'
check list 'Get-Command ft | Format-List'
check json 'Get-Command -Noun Json | ConvertTo-Json'
check json_empty 'Get-Command -Noun Nothing | ConvertTo-Json -Compress'
check help_full 'Get-Help ConvertTo-Json -Full'

check export_silent "Get-Command -Noun Csv | Export-Csv $WORK/commands.csv"
same export_file "$WORK/commands.csv"

# A second export without -Force is refused and leaves the file as it was.
if run "Get-Command | Export-Csv $WORK/commands.csv" 2>"$WORK/refused.err"; then
  echo "FAIL: Export-Csv overwrote without -Force" >&2
  fail=1
fi
grep -q "Export-Csv: '$WORK/commands.csv' already exists; use -Force to overwrite it" "$WORK/refused.err" ||
  { echo "FAIL: refusal message: $(cat "$WORK/refused.err")" >&2; fail=1; }
same export_file "$WORK/commands.csv"
check export_silent "Get-Command -Noun Json | Export-Csv $WORK/commands.csv -Force"
same export_forced "$WORK/commands.csv"

if run 'Get-Help Export-Csv -Parameter Nope' 2>"$WORK/param.err"; then
  echo "FAIL: Get-Help -Parameter Nope succeeded" >&2
  fail=1
fi
grep -q "Get-Help: Export-Csv has no parameter 'Nope'" "$WORK/param.err" ||
  { echo "FAIL: -Parameter error: $(cat "$WORK/param.err")" >&2; fail=1; }

exit $fail
