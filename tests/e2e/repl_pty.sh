#!/usr/bin/env bash
# The interactive REPL on a real pseudo-terminal: tmux runs build/mailflow in
# a fixed 120x40 window on a private server, we type with send-keys and read
# the screen with capture-pane. Covers Tab completion (cmdlet, parameter,
# ValidateSet value, connector name), a multi-line Lua function, an error
# followed by a success, Ctrl-C at the prompt and during a long Lua loop of
# queries and during a backtracking string.find, Ctrl-D leaving with status 0, history recalled after a restart
# (arrows and Ctrl-R), colour only without NO_COLOR, and a secret read by
# Read-Host -AsSecureString kept out of the history file.
#
# Usage: bash tests/e2e/repl_pty.sh path/to/mailflow   (from the repo root)
set -euo pipefail
bin=$(realpath "$1")
command -v tmux >/dev/null || { echo "repl_pty: tmux is not installed (setup.sh installs it)"; exit 1; }

work=$(mktemp -d)
sock="mailflow-test-$$"
tm() { tmux -L "$sock" "$@"; }
cleanup() {
  tm kill-server 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

export HOME="$work/home" XDG_STATE_HOME="$work/state"
mkdir -p "$HOME"
db="$work/contoso.db"
# A pager that marks what went through it.
printf '#!/bin/sh\nsed "s/^/paged: /"\n' >"$work/pager"
chmod +x "$work/pager"
history_file="$XDG_STATE_HOME/mailflow/history"
"$bin" --db "$db" -c "Import-MessageTrace -Path examples/sample-traces.csv" >/dev/null

screen() { tm capture-pane -p -t repl -S -100 2>/dev/null || true; }
fail() {
  echo "FAIL: $*"
  echo "--- screen:"
  screen | sed '/^$/d'
  exit 1
}
# Polls the screen until the fixed string appears (timeout in seconds).
wait_for() {
  local text=$1 timeout=${2:-10}
  local deadline=$((SECONDS + timeout))
  until screen | grep -qF -- "$text"; do
    ((SECONDS < deadline)) || fail "timed out after ${timeout}s waiting for: $text"
    sleep 0.05
  done
}
# The last non-empty line of the screen: where the cursor's line is.
last_line() { screen | sed '/^$/d' | tail -n 1; }
# Polls until the input line reads exactly "$1" (capture-pane drops the
# trailing spaces of a line, so they are not compared).
wait_line() {
  local want="${1%"${1##*[! ]}"}" deadline=$((SECONDS + 10))
  until [[ "$(last_line)" == "$want" ]]; do
    ((SECONDS < deadline)) || fail "input line is '$(last_line)', expected '$want'"
    sleep 0.05
  done
}
prompt_count() { screen | grep -cF 'mailflow contoso.db>' || true; }
# Waits for one more prompt than there were before the last command.
wait_prompt_after() {
  local before=$1 deadline=$((SECONDS + ${2:-10}))
  until (( $(prompt_count) > before )) && [[ "$(last_line)" == "mailflow contoso.db>" ]]; do
    ((SECONDS < deadline)) || fail "no new prompt after the command"
    sleep 0.05
  done
}
type_line() { tm send-keys -t repl -l -- "$1"; }
enter() { tm send-keys -t repl Enter; }
start() {  # $1: extra environment for mailflow
  tm -f /dev/null new-session -d -s repl -x 120 -y 40 \
    "env $1 TERM=xterm-256color PAGER='$work/pager' '$bin' --db '$db' --now 2026-11-22 -q; echo \"[exit \$?]\"; sleep 60"
  wait_line "mailflow contoso.db> "
}
P="mailflow contoso.db> "
# A second, idle session keeps the private tmux server alive when the REPL's
# session is killed between runs: otherwise the next new-session may reach a
# server that is still shutting down ("server exited unexpectedly").
tm -f /dev/null new-session -d -s keeper "sleep 600"

# --- completion: cmdlet name, parameter, ValidateSet value, connector name
start "NO_COLOR=1"
type_line "Get-TlsU"; tm send-keys -t repl Tab
wait_line "${P}Get-TlsUsage"
type_line "-Dire"; tm send-keys -t repl Tab
wait_line "${P}Get-TlsUsage -Direction"
type_line "inb"; tm send-keys -t repl Tab
wait_line "${P}Get-TlsUsage -Direction Inbound"
type_line "-Conn"; tm send-keys -t repl Tab
wait_line "${P}Get-TlsUsage -Direction Inbound -Connector"
type_line "Fab"; tm send-keys -t repl Tab
wait_line "${P}Get-TlsUsage -Direction Inbound -Connector 'Fabrikam Partner"
tm send-keys -t repl Tab   # ambiguous: the two Fabrikam connectors are listed
wait_for "Fabrikam Partner Outbound"
type_line "I"; tm send-keys -t repl Tab
wait_line "${P}Get-TlsUsage -Direction Inbound -Connector 'Fabrikam Partner Inbound'"
type_line "-Days 30"
n=$(prompt_count); enter; wait_prompt_after "$n"
screen | grep -qE '^Inbound +TLS1\.2 ' || fail "the completed pipeline printed no TLS1.2 row"

# --- | more pages through $PAGER on a terminal
n=$(prompt_count); type_line "Get-TlsUsage -Days 30 -Direction Outbound | more"; enter; wait_prompt_after "$n"
screen | grep -qE '^paged: Outbound +TLS1\.3 ' || fail "| more did not go through the pager"

# --- an error, then a successful command in the same session
n=$(prompt_count); type_line "Get-TlsUsage -Direction Sideways"; enter; wait_prompt_after "$n"
screen | grep -qF "Sideways" || fail "the error does not name the bad value"
n=$(prompt_count); type_line "print(6 * 7)"; enter; wait_prompt_after "$n"
screen | grep -qx "42" || fail "no 42 after the error"

# --- a multi-line Lua function with the continuation prompt
type_line "function share(part, whole)"; enter; wait_line ">> "
type_line "  return string.format('%.1f%%', 100 * part / whole)"; enter; wait_line ">> "
type_line "end"; n=$(prompt_count); enter; wait_prompt_after "$n"
n=$(prompt_count); type_line "share(1, 8)"; enter; wait_prompt_after "$n"
screen | grep -qx "12.5%" || fail "the multi-line function did not run"

# --- Ctrl-C at the prompt drops the line
type_line "Get-MessageTrace -Days 30"; tm send-keys -t repl C-c
wait_line "$P"
n=$(prompt_count); enter; wait_prompt_after "$n"

# --- Ctrl-C during a long Lua loop of queries returns to the prompt
n=$(prompt_count)
type_line 'for i = 1, 100000 do Invoke("Get-MessageTrace -Days 30 | Measure-Object") end print("finished")'
enter
sleep 1.5  # let it run: it would take minutes to finish
(( $(prompt_count) == n )) || fail "the long loop ended by itself"
tm send-keys -t repl C-c
wait_prompt_after "$n" 5
screen | grep -qiE "interrupted|pipeline has been stopped" || fail "no message saying the command was stopped"
screen | grep -qx "finished" && fail "the loop finished instead of being interrupted"
n=$(prompt_count); type_line "print('still here')"; enter; wait_prompt_after "$n"
screen | grep -qx "still here" || fail "the session did not go on after Ctrl-C"

# --- Ctrl-C during a backtracking pattern (C code, where the count hook
# never fires) returns to the prompt
n=$(prompt_count)
type_line "print(string.find(string.rep('a', 60), '.-.-.-.-.-.-.-.-.-.-b'))"
enter
sleep 1.5
(( $(prompt_count) == n )) || fail "the backtracking pattern ended by itself"
tm send-keys -t repl C-c
wait_prompt_after "$n" 5
screen | grep -qi "interrupted" || fail "no message saying the pattern was stopped"

# --- a secret typed at Read-Host -AsSecureString stays out of history
type_line "pw = ReadHost{ Prompt = 'Relay password', AsSecureString = true }"; enter
wait_for "Relay password:"
type_line "hunter2-secret"; n=$(prompt_count); enter; wait_prompt_after "$n"
screen | grep -qF "hunter2-secret" && fail "the secret was echoed"
n=$(prompt_count); type_line "print(#pw[1])"; enter; wait_prompt_after "$n"
screen | grep -qx "14" || fail "the secret was not read"

# --- Ctrl-D leaves with status 0
tm send-keys -t repl C-d
wait_for "[exit 0]"
grep -qF "hunter2" "$history_file" && fail "the secret reached the history file"
grep -qxF "share(1, 8)" "$history_file" || fail "history file lacks a typed line"
tm kill-session -t repl

# --- history after a restart: Up arrow and Ctrl-R; colour without NO_COLOR
start ""
tm send-keys -t repl Up
wait_line "${P}print(#pw[1])"
tm send-keys -t repl C-u C-r; type_line "Fabrikam"
wait_for "(reverse-i-search)\`Fabrikam': Get-TlsUsage -Direction Inbound -Connector 'Fabrikam Partner Inbound' -Days 30"
tm send-keys -t repl C-g C-u
tm capture-pane -p -e -t repl | grep -qF $'\e[1m\e[32mmailflow' ||
  tm capture-pane -p -e -t repl | grep -qF $'\e[1;32mmailflow' || fail "the prompt is not coloured on a terminal"
type_line "exit"; enter
wait_for "[exit 0]"
echo "repl_pty: all checks passed"
