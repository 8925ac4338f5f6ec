#!/usr/bin/env bash
# The REPL banner in the culture of the environment (LANG=es_ES.UTF-8) and in
# the store's Culture setting (Set-MailFlowConfig -Culture zh-TW), on a real
# pseudo-terminal (tmux, as repl_pty.sh), and in English without a locale.
set -euo pipefail
bin=$(realpath "$1")
command -v tmux >/dev/null || { echo "repl_banner_culture: tmux is not installed (setup.sh installs it)"; exit 1; }
work=$(mktemp -d)
sock="mailflow-banner-$$"
run=0
tm() { tmux -L "$sock-$run" "$@"; }
trap 'for ((r = 1; r <= run; r++)); do tmux -L "$sock-$r" kill-server 2>/dev/null || true; done; rm -rf "$work"' EXIT
export HOME="$work/home" XDG_STATE_HOME="$work/state"
mkdir -p "$HOME"
db="$work/contoso.db"
"$bin" --db "$db" --now 2026-11-22 -c "Import-MessageTrace -Path examples/sample-traces.csv" >/dev/null
fail() { echo "repl_banner_culture: $*" >&2; tm capture-pane -p -t repl 2>/dev/null | sed '/^$/d' >&2 || true; exit 1; }

banner() {  # ENV... : starts the REPL (its own tmux server), waits for the prompt, leaves; prints the screen
  run=$((run + 1))
  tm new-session -d -s repl -x 160 -y 20 \
    "env -u LC_ALL -u LC_MESSAGES -u LANG $* '$bin' --db '$db' --now 2026-11-22; sleep 30"
  local deadline=$((SECONDS + 20))
  until tm capture-pane -p -t repl 2>/dev/null | grep -q "contoso.db>"; do
    ((SECONDS < deadline)) || fail "no prompt with $*"
    sleep 0.05
  done
  tm capture-pane -p -t repl
  tm send-keys -t repl "exit" Enter
  # The REPL has left (and released the store) before the next one starts.
  deadline=$((SECONDS + 20))
  until tm capture-pane -p -t repl 2>/dev/null | grep -q "contoso.db> exit"; do
    ((SECONDS < deadline)) || fail "the REPL did not leave with $*"
    sleep 0.05
  done
  sleep 0.2
  tm kill-server 2>/dev/null || true
}

out=$(banner LANG=es_ES.UTF-8)
grep -q "^mailflow 0.1.0 - almacén contoso.db: 4[.0-9]* seguimientos, del [0-9/]* al [0-9/]*$" <<<"$out" ||
  fail "no Spanish banner: $out"
grep -q "^Get-Command enumera los cmdlets, Get-Help NOMBRE explica uno, las demás líneas son Lua; exit o Ctrl-D para salir.$" <<<"$out" ||
  fail "no Spanish help line: $out"
out=$(banner)
grep -q "^mailflow 0.1.0 - store contoso.db: [0-9]* traces, 20[0-9-]* to 20[0-9-]*$" <<<"$out" || fail "no English banner: $out"
"$bin" --db "$db" -c "Set-MailFlowConfig -Culture zh-TW"
out=$(banner LANG=es_ES.UTF-8)
grep -q "筆追蹤記錄" <<<"$out" || fail "the store's Culture (zh-TW) did not win over LANG: $out"
echo "repl_banner_culture: ok"
