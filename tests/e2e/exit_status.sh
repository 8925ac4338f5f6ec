#!/usr/bin/env bash
# Exit status of the command line (SPEC section 3): 0 on success, 1 when a
# cmdlet fails (a missing file: one line on stderr naming it), 2 on bad usage.
# Usage: bash tests/e2e/exit_status.sh path/to/mailflow   (from the repo root)
set -uo pipefail
mailflow="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
run() { "$mailflow" --db "$work/t.db" --now 2026-11-22 "$@"; }

run -c "Import-MessageTrace -Path examples/sample-traces.csv" > /dev/null 2>&1; rc=$?
[ "$rc" = 0 ] || fail "a good import exited $rc, expected 0"

out="$(run -c "Import-MessageTrace -Path $work/missing.csv" 2> "$work/err")"; rc=$?
[ "$rc" = 1 ] || fail "a missing file exited $rc, expected 1"
[ -z "$out" ] || fail "a missing file printed '$out' on stdout"
grep -q "cannot import '$work/missing.csv': no such file" "$work/err" || fail "stderr does not name the file: $(cat "$work/err")"

run -c "Import-MessageTrace -Path examples/sample-traces.csv -Format Bogus" > /dev/null 2>&1; rc=$?
[ "$rc" = 1 ] || fail "a bad -Format value exited $rc, expected 1"

run --no-such-option > /dev/null 2>&1; rc=$?
[ "$rc" = 2 ] || fail "an unknown option exited $rc, expected 2"
run -c > /dev/null 2>&1; rc=$?
[ "$rc" = 2 ] || fail "-c without a pipeline exited $rc, expected 2"
echo "exit status e2e: ok"
