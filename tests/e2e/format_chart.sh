#!/usr/bin/env bash
# Format-Chart through the real binary over the sample data, in a UTF-8
# locale and in the C locale (ASCII fallback), compared with golden files.
set -euo pipefail
mailflow="$1"
expected=tests/e2e/expected
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "format_chart: $*" >&2; exit 1; }
mf() { "$mailflow" --db "$tmp/db" --now 2026-11-22 "$@"; }
mf -c "Import-MessageTrace -Path examples/sample-traces.csv" >/dev/null

check() {  # NAME LOCALE-VARIABLE=VALUE PIPELINE
  env -u LC_ALL -u LC_CTYPE -u LANG "$2" "$mailflow" --db "$tmp/db" --now 2026-11-22 -c "$3" \
    >"$tmp/$1.txt" || fail "$1: the pipeline failed"
  diff -u "$expected/$1.txt" "$tmp/$1.txt" || fail "$1 differs from $expected/$1.txt"
}
tls="Get-TlsUsage -Days 30 -ByConnector | Format-Chart -Value Percent -Label Direction,Connector -Stack TlsVersion -Width 100"
flow="Get-ConnectorReport -Days 30 | Format-Chart -Value Messages -Label Direction,Connector -Sparkline -Width 100"
bars="Get-ConnectorReport -Days 30 -Direction Inbound | Format-Chart Messages Connector -Width 80"
check format_chart_tls.utf8 LC_ALL=C.UTF-8 "$tls"
check format_chart_tls.ascii LC_ALL=C "$tls"
check format_chart_sparkline.utf8 LANG=C.UTF-8 "$flow"
check format_chart_sparkline.ascii LANG=POSIX "$flow"
check format_chart_bars.utf8 LC_CTYPE=C.UTF-8 "$bars"
check format_chart_bars.forced_ascii LC_ALL=C.UTF-8 "$bars -Ascii"

# Bad input: one clear line naming the property, exit status 1.
if mf -c "Get-TlsUsage -Days 30 | Format-Chart -Value Bogus" 2>"$tmp/err"; then
  fail "a missing property was accepted"
fi
grep -q "Format-Chart: input record 1 has no property 'Bogus'" "$tmp/err" || fail "unclear error: $(cat "$tmp/err")"
echo "format_chart: ok"
