#!/usr/bin/env bash
# Messages that quote data (issue 16, items 7 and 10). An error quoting data
# that holds a NUL shows the NUL (\x00) and keeps everything after it
# (what() is a C string and once ended the message at the NUL); a path
# holding a NUL is refused, never cut short by the system into another
# file's name; -Verbose's list of ignored programs (names from the log)
# reaches the terminal through terminal_safe.
# Usage: bash tests/e2e/messages_quote_data.sh path/to/mailflow   (from the repo root)
set -uo pipefail
mailflow="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
run() { "$mailflow" --db "$work/t.db" --now 2026-11-22 "$@"; }
has() { grep -qF -- "$2" "$1" || fail "$3: $(cat "$1")"; }

# A connector name from a log holding a NUL, quoted by the unknown-connector
# error's list of known connectors.
{
  echo "received,direction,connector,tls,cipher,sender,recipient,remote_host,remote_ip,size,status,message_id"
  printf '2026-11-20T08:00:00Z,Inbound,Evil\0Conn,TLS1.0,,a@fabrikam.com,b@contoso.com,mx.fabrikam.com,198.51.100.7,1200,Delivered,<1@x>\n'
  echo "2026-11-20T09:00:00Z,Inbound,Zeta,TLS1.2,,c@fabrikam.com,d@contoso.com,mx.fabrikam.com,198.51.100.7,900,Delivered,<2@x>"
} > "$work/nul.csv"
run -c "Import-MessageTrace -Path $work/nul.csv" > /dev/null 2>&1 || fail "import failed"
run -c "Get-TlsUsage -Days 7 -Connector Nope" > "$work/out" 2> "$work/err"; rc=$?
[ "$rc" = 1 ] || fail "unknown connector exited $rc"
has "$work/err" 'known: Evil\x00Conn, Zeta' "the known-connector list is cut at the NUL"

# A connector name typed with a NUL (`0 in a double-quoted string).
run -c 'Get-TlsUsage -Days 7 -Connector "Nope`0Evil"' > "$work/out" 2> "$work/err"; rc=$?
[ "$rc" = 1 ] || fail "-Connector with a NUL exited $rc"
has "$work/err" "-Connector 'Nope\\x00Evil' is not a known connector" "the typed connector name is cut at the NUL"

# The format-detection error quotes the file's first line.
printf 'junk\0after\nmore\n' > "$work/junk.txt"
run -c "Import-MessageTrace -Path $work/junk.txt" > "$work/out" 2> "$work/err"; rc=$?
[ "$rc" = 1 ] || fail "an unrecognised file exited $rc"
has "$work/err" "from its first line 'junk\\x00after'; name it with -Format" "the format-detection error is cut at the NUL"

# A path with a NUL: refused by name, and the file before the NUL is not read.
before="$(run -c 'Get-MessageTrace -Days 7 | Measure-Object | ForEach-Object { $_.Count }')"
run -c "Import-MessageTrace -Path \"$work/nul.csv\`0.evil\"" > "$work/out" 2> "$work/err"; rc=$?
[ "$rc" = 1 ] || fail "a path with a NUL exited $rc: $(cat "$work/out")"
has "$work/err" "The path \"$work/nul.csv\\x00.evil\" holds a NUL character" "no NUL error for -Path"
after="$(run -c 'Get-MessageTrace -Days 7 | Measure-Object | ForEach-Object { $_.Count }')"
[ "$before" = "$after" ] || fail "a path with a NUL imported something ($before then $after traces)"
run -c "Get-MessageTrace -Days 7 | Export-Csv -Path \"$work/out.csv\`0.evil\"" > /dev/null 2> "$work/err"; rc=$?
[ "$rc" = 1 ] || fail "Export-Csv to a path with a NUL exited $rc"
[ -e "$work/out.csv" ] && fail "Export-Csv wrote the file named before the NUL"
run -c "Export-MailFlowReport -Days 7 -Path \"$work/r.html\`0.evil\"" > /dev/null 2> "$work/err"; rc=$?
[ "$rc" = 1 ] || fail "Export-MailFlowReport to a path with a NUL exited $rc"
[ -e "$work/r.html" ] && fail "Export-MailFlowReport wrote the file named before the NUL"

# -Verbose names the programs whose lines were ignored, as the log spells them.
{
  echo 'Nov 20 08:00:00 mail postfix/smtpd[100]: connect from unknown[198.51.100.7]'
  printf 'Nov 20 08:00:01 mail evil\033]0;owned\007\000x[101]: hello\n'
} > "$work/mail.log"
run -c "Import-MessageTrace -Path $work/mail.log -Format Postfix -Year 2026 -TimeZone UTC -Verbose" > /dev/null 2> "$work/err" \
  || fail "the Postfix import failed: $(cat "$work/err")"
has "$work/err" 'evil\x1B]0;owned\x07\x00x 1;' "-Verbose does not show the program name escaped"
LC_ALL=C grep -q $'\x1b\|\x07' "$work/err" && fail "-Verbose writes raw control characters: $(od -c "$work/err" | head -5)"
echo "ok"
