#!/usr/bin/env bash
# Hostile data never reaches the terminal raw (issue 16, item 7), numbers
# that do not fit are errors (item 6), pushdown never changes results
# (item 9). A connector name holding ESC, BEL, the 8-bit CSI U+009B and the
# bidi override U+202E is imported, then shown through every output path.
# Usage: bash tests/e2e/hostile_output.sh path/to/mailflow   (from the repo root)
set -uo pipefail
mailflow="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
run() { "$mailflow" --db "$work/t.db" --now 2026-11-22 "$@"; }
# raw ESC, BEL, U+009B (C2 9B) or U+202E (E2 80 AE) in a file?
raw() { LC_ALL=C grep -q $'\x1b\|\x07\|\xc2\x9b\|\xe2\x80\xae' "$1"; }

evil=$'Evil\x1b]0;owned\x07\xc2\x9b2J\xe2\x80\xaeexe.pdf'
{
  echo "received,direction,connector,tls,cipher,sender,recipient,remote_host,remote_ip,size,status,message_id"
  echo "2026-11-20T08:00:00Z,Inbound,$evil,TLS1.0,,a@fabrikam.com,b@contoso.com,mx.fabrikam.com,198.51.100.7,1200,Delivered,<1@x>"
  echo "2026-11-20T09:00:00Z,Inbound,Clean,TLS1.2,,c@fabrikam.com,d@contoso.com,mx.fabrikam.com,198.51.100.7,900,Delivered,<2@x>"
} > "$work/evil.csv"
run -c "Import-MessageTrace -Path $work/evil.csv" > /dev/null 2>&1 || fail "import failed"

check() {  # check NAME PIPELINE: stdout and stderr free of raw controls
  run -c "$2" > "$work/out" 2> "$work/err"
  if raw "$work/out" || raw "$work/err"; then fail "$1 writes raw control characters: $(od -c "$work/out" "$work/err" | head -5)"; fi
}
check "Format-List" "Get-MessageTrace -Days 7 | Format-List Connector, SenderAddress"
grep -q 'Evil\\x1B]0;owned\\x07\\u009B2J\\u202Eexe.pdf' "$work/out" || fail "Format-List does not show the escapes: $(cat "$work/out")"
check "Format-Table" "Get-MessageTrace -Days 7 | Format-Table Connector, Size"
check "ForEach-Object" "Get-MessageTrace -Days 7 | ForEach-Object { \$_.Connector }"
grep -q 'Evil\\x1B]0;owned\\x07\\u009B2J\\u202Eexe.pdf' "$work/out" || fail "ForEach-Object does not show the escapes: $(cat "$work/out")"
check "Format-Chart" "Get-TlsUsage -Days 7 -ByConnector | Format-Chart -Value Percent -Label Direction,Connector -Stack TlsVersion"
check "the unknown-connector error" "Get-TlsUsage -Days 7 -Connector Nope"
check "Lua print" "for _, r in ipairs(GetMessageTrace{ Days = 7 }) do print(r.Connector) end"
grep -q 'u202E' "$work/out" || fail "Lua print does not show the escape: $(cat "$work/out")"

# The format-detection error quotes the file's first line.
printf 'junk\x1b[31m\xe2\x80\xae line\nmore\n' > "$work/junk.txt"
run -c "Import-MessageTrace -Path $work/junk.txt" > "$work/out" 2> "$work/err"
[ -s "$work/err" ] || fail "an unrecognised file gave no error"
raw "$work/err" && fail "the format-detection error quotes raw controls: $(od -c "$work/err" | head -3)"

# The HTML report neutralises the bidi override too.
run -c "Export-MailFlowReport -Path $work/r.html -Days 7" > /dev/null 2>&1 || fail "report failed"
raw "$work/r.html" && fail "the HTML report keeps raw controls"

# Checked arithmetic: an error, never SIGFPE or a wrapped number.
run -c "Get-MessageTrace -Days 7 | Select-Object -First 1 | ForEach-Object { (-9223372036854775807 - 1) % -1 }" > "$work/out" 2>&1; rc=$?
[ "$rc" = 0 ] && [ "$(cat "$work/out")" = 0 ] || fail "INT64_MIN % -1 gave rc $rc: $(cat "$work/out")"
run -c "Get-MessageTrace -Days 7 | Select-Object -First 1 | ForEach-Object { 9223372036854775807 + 1 }" > /dev/null 2> "$work/err"; rc=$?
[ "$rc" = 1 ] || fail "INT64_MAX + 1 exited $rc"
grep -q "Arithmetic operation resulted in an overflow" "$work/err" || fail "no overflow error: $(cat "$work/err")"
run -c "Get-MessageTrace -Days 10000000TB" > /dev/null 2> "$work/err"; rc=$?
[ "$rc" = 1 ] || fail "-Days 10000000TB exited $rc"

# Pushdown never changes results.
pushed="$(run -c "Get-MessageTrace | Where-Object Connector -eq 'Nope' | ConvertTo-Json" 2>&1)"; rc1=$?
sorted="$(run -c "Get-MessageTrace | Sort-Object Received | Where-Object Connector -eq 'Nope' | ConvertTo-Json" 2>&1)"; rc2=$?
[ "$rc1" = "$rc2" ] && [ "$pushed" = "$sorted" ] || fail "pushdown changed the result: '$pushed' ($rc1) vs '$sorted' ($rc2)"
# Deep Invoke recursion: one short line naming the cause (it once printed a
# kilobyte of repeated prefixes); exit(2^40) is an error, not status 0.
run -c 'RegisterCmdlet{ Name = "Test-Rec", Synopsis = "r", Run = function() return Invoke("Test-Rec") end } Invoke("Test-Rec")' > /dev/null 2> "$work/err"; rc=$?
[ "$rc" = 1 ] || fail "deep Invoke recursion exited $rc"
[ "$(wc -c < "$work/err")" -lt 200 ] || fail "deep Invoke recursion printed $(wc -c < "$work/err") bytes"
grep -q "stack overflow" "$work/err" || fail "the cause is hidden: $(head -c 300 "$work/err")"
run -c 'exit(2^40)' > /dev/null 2> "$work/err"; rc=$?
[ "$rc" = 1 ] || fail "exit(2^40) exited $rc"
grep -q "out of range (0 to 255)" "$work/err" || fail "no clear exit error: $(cat "$work/err")"
echo "hostile_output e2e: ok"
