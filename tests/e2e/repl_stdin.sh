#!/usr/bin/env bash
# `mailflow < commands.txt`: the REPL without a terminal reads commands line
# by line with no prompt, banner or colour; continuation lines (a trailing
# `|`, an open Lua function) work as on a terminal; an error names its input
# line and the next command still runs; the status is 1 when any command
# failed, else 0 (or N for `exit N`).
#
# Usage: bash tests/e2e/repl_stdin.sh path/to/mailflow   (from the repo root)
set -euo pipefail
bin=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset NO_COLOR
export HOME="$work" XDG_STATE_HOME="$work/state"
fail() { echo "FAIL: $*"; exit 1; }
# Off a terminal Out-Host -Paging must not use the pager: this one would mark its lines.
printf '#!/bin/sh\nsed "s/^/paged: /"\n' >"$work/pager"
chmod +x "$work/pager"
export PAGER="$work/pager"

# The whole session: stdout and stderr compared exactly.
status=0
"$bin" --db "$work/contoso.db" --now 2026-11-22 <tests/e2e/input/repl_commands.txt \
  >"$work/out" 2>"$work/err" || status=$?
diff -u tests/e2e/expected/repl_stdin.out "$work/out" || fail "stdout differs"
diff -u tests/e2e/expected/repl_stdin.err "$work/err" || fail "stderr differs"
[[ $status == 1 ]] || fail "status $status after failed commands, expected 1"
[[ ! -e "$work/state/mailflow/history" ]] || fail "commands from stdin went into the history"

# Everything succeeds: status 0.
out=$(printf 'print("ok")\nGet-MailFlowConfig | Measure-Object | Select-Object Count\n' |
      "$bin" --db "$work/contoso.db") || fail "status $? when every command succeeded"
[[ "$out" == $'ok\nCount\n-----\n'* ]] || fail "unexpected output: $out"

# exit N stops reading and sets the status.
status=0
out=$(printf 'print(1)\nexit 3\nprint(2)\n' | "$bin" --db "$work/contoso.db") || status=$?
[[ $status == 3 && "$out" == "1" ]] || fail "exit 3: status $status, output '$out'"

# Input ending inside an unfinished entry is an error naming its first line.
status=0
err=$(printf 'print(1)\nfunction f()\n  return 1\n' | "$bin" --db "$work/contoso.db" 2>&1 >/dev/null) || status=$?
[[ $status == 1 ]] || fail "unfinished entry: status $status"
[[ "$err" == "mailflow: line 2: input ended inside an unfinished entry"* ]] || fail "unfinished entry: '$err'"
echo "repl_stdin: all checks passed"
